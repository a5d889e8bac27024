//! `unexpanded-acronym`: an acronym the draft never spells out.
//!
//! Style guides ask for an acronym to be spelled out on first reference unless
//! every reader knows it. The rule reports the first use in the body of an
//! all-capital word of two to six letters (dots allowed: "U.N.") that is not
//! on the list of acronyms everyone knows and is not spelled out in the draft,
//! or that is used before the place where it is spelled out.
//!
//! "Spelled out" means written next to its expansion in parentheses, either
//! way round ("Workers' Union (WU)" or "WU (Workers' Union)"), or known to the
//! entity analysis as an expansion. Headlines, the outlet line and lines
//! written all in capitals are not checked. The list of known acronyms is
//! built in and extended by the stylebook (`[acronyms] known = [...]`); an
//! organisation in the stylebook with an `expansion` gives the quick fix.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::document::ParagraphKind;
use crate::model::{Diagnostic, Fix, RelatedSpan, Severity, Span, TextEdit};
use crate::rules::text::Word;
use crate::rules::{DocumentPart, Fact, KindReads, Reads, Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "unexpanded-acronym",
    default_severity: Severity::Warning,
    summary: "An acronym never spelled out (apart from those every reader knows).",
    check_paragraph: None,
    check: DocumentPart::Whole(check),
    reads: Reads {
        linking: false,
        quotes: false,
        facts: &[Fact::Acronyms],
        paragraph_order: true,
        paragraph_kinds: KindReads::Never,
        quote_additions: false,
    },
};

/// Acronyms a general news reader knows without expansion (written without
/// dots; "U.S." matches "US").
pub const KNOWN: &[&str] = &[
    "AP", "AFP", "UPI", "TASS", "BBC", "CNN", "ABC", "CBS", "NBC", "NPR", "PBS", "ITV", "UN", "US", "USA", "UK", "EU",
    "NATO", "FBI", "CIA", "NSA", "NASA", "NHS", "MP", "MEP", "PM", "TV", "GDP", "CEO", "CFO", "AIDS", "HIV", "DNA",
    "UNESCO", "UNICEF", "OPEC", "WHO", "IMF", "WTO", "OK", "AM", "ID", "IQ", "ATM", "PC", "SUV", "UFO", "USB", "GPS",
    "PIN", "VIP", "FAQ", "LGBT", "LGBTQ", "COVID", "SARS", "NBA", "NFL", "FIFA", "UEFA", "IT", "AI", "PR", "DJ", "BC",
    "AD", "CD", "DVD", "CCTV", "SMS", "URL", "PDF", "MRI", "ICU", "IVF", "DIY", "R&D", "VAT", "GMT", "UTC", "USSR",
    "UAE", "DC", "NGO", "MBA", "PhD", "QC", "OBE", "MBE", "CBE", "FTSE", "NYSE", "IPO", "ICC", "G7", "G8", "G20",
    "MI5", "MI6", "KGB", "RAF", "SAS", "NYPD", "LAPD", "TB", "AWOL", "SOS", "RIP", "HQ", "GP", "HMS", "NY", "NYC",
    "VW", "BMW", "IBM", "BP", "CPI", "COP", "ASEAN", "APEC", "AGM", "EPA", "FDA", "SEC", "FCC", "FAA", "IRS", "NAACP",
    "GOP", "OECD",
];

/// The letters of an acronym-looking word, without dots, possessive or plural
/// ending ("U.S." -> "US", "MPs" -> "MP", "NATO's" -> "NATO"); `None` when the
/// word is not an acronym.
pub fn acronym_key(word: &str) -> Option<String> {
    // Most words are ordinary ("The", "said"); an acronym's second character
    // is a capital, a digit, a dot or an ampersand. Answering those before
    // building the key saves an allocation per word of the draft.
    // An ASCII first byte must be a capital letter.
    if word.as_bytes().first().is_some_and(|first| first.is_ascii() && !first.is_ascii_uppercase()) {
        return None;
    }
    let mut characters = word.chars();
    match (characters.next(), characters.next()) {
        (Some(first), Some(second))
            if first.is_uppercase()
                && (second.is_uppercase() || second.is_ascii_digit() || matches!(second, '.' | '&')) => {}
        _ => return None,
    }
    let word = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).unwrap_or(word);
    let word = word
        .strip_suffix('s')
        .filter(|rest| rest.len() >= 2 && rest.chars().all(|c| c.is_uppercase() || c == '.'))
        .unwrap_or(word);
    let key: String = word.chars().filter(|character| *character != '.').collect();
    let letters = key.chars().filter(|character| character.is_alphanumeric()).count();
    let first_is_letter = key.chars().next().is_some_and(char::is_alphabetic);
    let all_capitals =
        key.chars().all(|character| character.is_uppercase() || character.is_ascii_digit() || character == '&');
    let roman = key.chars().all(|character| matches!(character, 'I' | 'V' | 'X'));
    (first_is_letter && all_capitals && (2..=6).contains(&letters) && !roman).then_some(key)
}

/// A paragraph written mostly in capitals (a shouted headline or label).
fn mostly_capitals(prose: &str) -> bool {
    let (mut words, mut capitals) = (0, 0);
    if prose.is_ascii() {
        // The same count over bytes: ASCII letters are alphabetic, and the
        // ASCII characters `split_whitespace` splits at are tab, line feed,
        // vertical tab, form feed, carriage return and space.
        let bytes = prose.as_bytes();
        let (mut letters, mut all_capitals) = (false, true);
        for (position, &byte) in bytes.iter().enumerate() {
            if matches!(byte, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
                if letters {
                    words += 1;
                    capitals += usize::from(all_capitals);
                    // The words still to come are at most one per two of the
                    // bytes left: once the lowercase words outnumber the
                    // capital ones by more, the answer is no (most
                    // paragraphs are settled well before their end).
                    if words - capitals > capitals + (bytes.len() - position) / 2 + 1 {
                        return false;
                    }
                }
                (letters, all_capitals) = (false, true);
            } else if byte.is_ascii_alphabetic() {
                letters = true;
                all_capitals &= byte.is_ascii_uppercase();
            }
        }
        if letters {
            words += 1;
            capitals += usize::from(all_capitals);
        }
        return words >= 3 && capitals * 2 > words;
    }
    for word in prose.split_whitespace() {
        // One pass per word: does it have a letter, and are all its letters capitals?
        let (mut letters, mut all_capitals) = (false, true);
        for character in word.chars() {
            if character.is_alphabetic() {
                letters = true;
                all_capitals &= character.is_uppercase();
            }
        }
        if letters {
            words += 1;
            capitals += usize::from(all_capitals);
        }
    }
    words >= 3 && capitals * 2 > words
}

/// How many words at the start of a paragraph form a capitalised dateline
/// ("HARBOUR TOWN, March 3 --"): capital words followed by a comma or a dash.
fn dateline_length(prose: &str, offset: usize, paragraph_words: &[crate::rules::text::Word<'_>]) -> usize {
    let capitals = paragraph_words
        .iter()
        .take_while(|word| word.text.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase))
        .count();
    let Some(last) = capitals.checked_sub(1).map(|index| paragraph_words[index]) else { return 0 };
    let after = prose[last.span.end - offset..].trim_start();
    if after.starts_with(',') || after.starts_with("--") || after.starts_with('—') || after.starts_with('(') {
        capitals
    } else {
        0
    }
}

/// Words that are ordinary English when written in capitals for emphasis.
const SHOUTED_WORDS: &[&str] = &[
    "SO", "NO", "IF", "OR", "AND", "THE", "WE", "IS", "BE", "DO", "GO", "MY", "ME", "UP", "ON", "AT", "IN", "TO", "OF",
    "BY", "AN", "AS", "HE", "OH", "NOT", "ALL", "YES", "BUT", "YOU", "ARE", "WAS", "NOW", "NEW", "ONE", "TWO", "WHY",
    "HOW", "OUR", "ANY", "CAN", "WILL", "THIS", "THAT", "MUST", "VERY", "EVER", "NEVER", "ONLY", "MORE", "STOP",
];

/// Small words an expansion may skip: "Department *of* Energy" is DOE.
fn is_filler(word: &str) -> bool {
    matches!(word, "of" | "and" | "for" | "the" | "on" | "in" | "to" | "&")
}

/// What the rule needs from one paragraph, found once with the paragraph's
/// analysis (paragraph-relative offsets, independent of the stylebook).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AcronymFacts {
    /// Acronym-looking words of a body paragraph (not in its dateline, not in
    /// a paragraph written in capitals), in text order.
    pub uses: Vec<AcronymUse>,
    /// The initials that runs of capitalised words spell, for expansions
    /// written without parentheses ("the National Audit Office ... the NAO").
    pub initials: Vec<Initials>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcronymUse {
    /// The acronym's letters ("U.S." -> "US").
    pub key: String,
    pub span: Span,
    /// Written next to its expansion in parentheses, either way round.
    pub parenthesised: bool,
}

/// Initials spelled from the word at `start` on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Initials {
    /// Capital letters: a word's initial, or all of an acronym word's letters.
    pub letters: String,
    pub start: usize,
    /// One acronym word alone gave the letters: the acronym itself, not an expansion.
    pub single_word: bool,
}

/// The longest initials worth recording: acronyms have two to six letters.
const LONGEST_INITIALS: usize = 6;

/// Where the speaker label of a transcript turn ends, or 0 when the paragraph
/// opens with none: at most three words in capitals (after an opening
/// quotation mark) followed by a colon, as in `HOST: Welcome back.` or
/// `"LORNE: Because nobody takes it.` Interview transcripts print the speaker
/// that way, and the attribution reads those labels as sources.
fn speaker_label_end(prose: &str) -> usize {
    let opening = prose.len() - prose.trim_start_matches(['"', '\u{201c}', '\'', '\u{2018}', ' ']).len();
    let Some(colon) = prose[opening..].find(':').map(|colon| opening + colon) else { return 0 };
    let label = &prose[opening..colon];
    let words = label.split(' ').count();
    let capitals = label.chars().any(char::is_uppercase)
        && label.chars().all(|character| character.is_uppercase() || matches!(character, ' ' | '.' | '\'' | '-'));
    if capitals && words <= 3 && !label.starts_with(' ') && !label.ends_with(' ') { colon } else { 0 }
}

/// Which of the bytes that split a word for this rule a word holds, as bits:
/// [`HYPHEN`] for '-', [`OTHER_SEPARATOR`] for '.' and '&'. All are ASCII, so
/// never inside a longer character.
const SEPARATOR_BITS: [u8; 256] = {
    let mut table = [0u8; 256];
    table[b'-' as usize] = HYPHEN;
    table[b'.' as usize] = OTHER_SEPARATOR;
    table[b'&' as usize] = OTHER_SEPARATOR;
    table
};
const HYPHEN: u8 = 1;
const OTHER_SEPARATOR: u8 = 2;

/// The acronym facts of one paragraph's prose.
///
/// One walk over the words does both jobs: the acronym uses (split at
/// hyphens) and the initials (split at hyphens, dots and ampersands). Each
/// word's bytes are read once to learn which separators it holds; most words
/// hold none, and they are then one piece for both jobs, with no splitting.
pub fn paragraph_facts(prose: &str, kind: ParagraphKind, paragraph_words: &[Word<'_>]) -> AcronymFacts {
    let mut facts = AcronymFacts::default();
    // Acronym uses are looked for in a body paragraph not written in
    // capitals, after its dateline and its transcript speaker label.
    let (uses_from, label_end) = if kind == ParagraphKind::Body && !mostly_capitals(prose) {
        (dateline_length(prose, 0, paragraph_words), speaker_label_end(prose))
    } else {
        (usize::MAX, 0)
    };
    // Tokens as an expansion is read (runs of letters, digits and
    // apostrophes), each with what it gives an expansion: its initial, or all
    // its letters when it is itself an acronym; nothing for a lowercase word,
    // which ends a run unless it is a filler ("of", "and").
    // The words split further at hyphens, dots and ampersands ("Anglo-Dutch"
    // gives two initials, "U.S." two letters).
    // The run of contributions since the last word that ends one, fillers
    // left out: the initials are spelled from each of its members on.
    let mut run: Vec<(usize, &str)> = Vec::new();
    for (position, word) in paragraph_words.iter().enumerate() {
        let bytes = word.text.as_bytes();
        let separators = bytes.iter().fold(0u8, |found, &byte| found | SEPARATOR_BITS[usize::from(byte)]);
        // A transcript's speaker label ("HOST:", "\"LORNE: Because...")
        // is a name in capitals, not an acronym.
        if position >= uses_from && word.span.end > label_end {
            // A part is an acronym only when its first character is an
            // uppercase letter: an ASCII word with neither a capital nor a
            // hyphen (most words) has no such part.
            let has_part = !(bytes.first().is_some_and(|first| first.is_ascii() && !first.is_ascii_uppercase())
                && separators & HYPHEN == 0);
            if has_part {
                record_acronym_uses(prose, word, separators, &mut facts.uses);
            }
        }
        if separators == 0 {
            add_initials_piece(word.text, word.span.start, &mut run, &mut facts.initials);
            continue;
        }
        // Split at the bytes of '-', '.' and '&': the same pieces as
        // `split(['-', '.', '&'])` without the pattern machinery.
        let mut piece_begin = 0;
        for (at, &byte) in bytes.iter().enumerate() {
            if SEPARATOR_BITS[usize::from(byte)] != 0 {
                add_initials_piece(
                    &word.text[piece_begin..at],
                    word.span.start + piece_begin,
                    &mut run,
                    &mut facts.initials,
                );
                piece_begin = at + 1;
            }
        }
        add_initials_piece(&word.text[piece_begin..], word.span.start + piece_begin, &mut run, &mut facts.initials);
    }
    spell_initials(&mut run, &mut facts.initials);
    facts
}

/// Records the acronyms among the parts of `word` between hyphens, as
/// `split('-')` gives them; `separators` are the word's [`SEPARATOR_BITS`].
fn record_acronym_uses(prose: &str, word: &Word<'_>, separators: u8, uses: &mut Vec<AcronymUse>) {
    let mut record = |part_begin: usize, part_end: usize| {
        let part = &word.text[part_begin..part_end];
        let span = Span::new(word.span.start + part_begin, word.span.start + part_end);
        if let Some(key) = acronym_key(part) {
            uses.push(AcronymUse { key, span, parenthesised: parenthesised(prose, span) });
        }
    };
    let mut part_begin = 0;
    if separators & HYPHEN != 0 {
        for (at, &byte) in word.text.as_bytes().iter().enumerate() {
            if byte == b'-' {
                record(part_begin, at);
                part_begin = at + 1;
            }
        }
    }
    record(part_begin, word.text.len());
}

/// Adds one piece of a word (between hyphens, dots and ampersands), starting
/// at paragraph offset `start`, to the run of initials: its contribution, or
/// the end of the run.
fn add_initials_piece<'a>(piece: &'a str, start: usize, run: &mut Vec<(usize, &'a str)>, initials: &mut Vec<Initials>) {
    let Some(&first_byte) = piece.as_bytes().first() else { return };
    // A piece starting with a lowercase ASCII letter or a digit gives no
    // initial (whatever its ending), and with no run open it has no run to
    // end or to skip: most pieces of a paragraph.
    if run.is_empty() && (first_byte.is_ascii_lowercase() || first_byte.is_ascii_digit()) {
        return;
    }
    // A piece ending in an ASCII letter or digit other than 's' has no
    // possessive or apostrophe to trim (the common case).
    let last = piece.as_bytes()[piece.len() - 1];
    let bare = if last.is_ascii_alphanumeric() && last != b's' {
        piece
    } else {
        trim_repeated_suffix(trim_repeated_suffix(piece, "'s"), "’s").trim_end_matches(['\'', '’'])
    };
    // A lowercase ASCII letter or a digit first gives nothing.
    let plain = bare.as_bytes().first().is_some_and(|first| first.is_ascii_lowercase() || first.is_ascii_digit());
    let contribution = match bare.chars().next().filter(|_| !plain) {
        Some(first) if first.is_uppercase() => {
            if bare.len() >= 2 && bare.chars().all(char::is_uppercase) {
                Some(bare)
            } else {
                Some(&bare[..first.len_utf8()])
            }
        }
        _ => None,
    };
    match contribution {
        Some(contribution) => run.push((start, contribution)),
        None if is_filler(bare) => {}
        None if run.is_empty() => {}
        None => spell_initials(run, initials),
    }
}

/// Records the initials a run of contributions spells from each of its
/// members on (up to [`LONGEST_INITIALS`] letters), then empties the run.
fn spell_initials(run: &mut Vec<(usize, &str)>, initials: &mut Vec<Initials>) {
    for (index, (start, first)) in run.iter().enumerate() {
        if first.chars().count() > LONGEST_INITIALS {
            continue;
        }
        if first.len() >= 2 {
            // An acronym word: the acronym itself, not an expansion.
            initials.push(Initials { letters: (*first).to_owned(), start: *start, single_word: true });
        }
        // Built only when a second capitalised word follows: most capitalised
        // words stand alone and cost no allocation.
        let mut built: Option<String> = None;
        for (_, contribution) in &run[index + 1..] {
            let built = built.get_or_insert_with(|| String::from(*first));
            built.push_str(contribution);
            if built.chars().count() > LONGEST_INITIALS {
                break;
            }
            initials.push(Initials { letters: built.clone(), start: *start, single_word: false });
        }
    }
    run.clear();
}

/// `text` without every trailing repeat of `suffix`: what `trim_end_matches`
/// gives for a string pattern, without building a substring searcher for
/// each of the paragraph's words.
fn trim_repeated_suffix<'a>(mut text: &'a str, suffix: &str) -> &'a str {
    while let Some(rest) = text.strip_suffix(suffix) {
        text = rest;
    }
    text
}

/// Whether the acronym at `span` stands next to its expansion in parentheses:
/// "(WU)" after the name, or "WU (Workers' Union)".
fn parenthesised(prose: &str, span: Span) -> bool {
    let before = prose[..span.start].trim_end();
    let after = &prose[span.end..];
    let in_parentheses = before.ends_with('(') && after.trim_start_matches(['\'', '’', 's']).starts_with(')');
    let expansion_follows = after.trim_start().starts_with('(')
        && after.trim_start()[1..].trim_start().chars().next().is_some_and(char::is_uppercase);
    in_parentheses || expansion_follows
}

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let settings = &context.config.acronyms;
    let configured: Vec<String> = settings.known.iter().map(|known| known.replace('.', "")).collect();
    let is_known =
        |key: &str| configured.iter().any(|known| known == key) || (settings.use_builtin && KNOWN.contains(&key));
    let expanded_by_entities: FxHashSet<String> = context
        .linking
        .entities
        .iter()
        .filter(|entity| entity.expansion.is_some())
        .flat_map(|entity| entity.mentions.iter().filter_map(|mention| acronym_key(&mention.text)))
        .collect();
    // Each acronym with its uses: (span, parenthesised), in text order.
    let mut uses: Vec<(&str, Vec<(Span, bool)>)> = Vec::new();
    // Where each acronym sits in `uses`, or `None` for one that is known or
    // a shouted word: a linear search per use made the rule quadratic in
    // drafts with many acronyms, and testing every use of "MP" against the
    // built-in lists again cost more than the rest of the rule.
    let mut use_index: FxHashMap<&str, Option<usize>> = FxHashMap::default();
    for view in context.paragraphs {
        for found in &view.analysis.rule_facts.acronyms.uses {
            let key = found.key.as_str();
            let place = (found.span.shifted(view.offset()), found.parenthesised);
            match use_index.get(key) {
                Some(Some(index)) => uses[*index].1.push(place),
                Some(None) => {}
                None => {
                    let without_digits = key.trim_end_matches(|character: char| character.is_ascii_digit());
                    if is_known(key) || is_known(without_digits) || SHOUTED_WORDS.contains(&key) {
                        use_index.insert(key, None);
                    } else {
                        use_index.insert(key, Some(uses.len()));
                        uses.push((key, vec![place]));
                    }
                }
            }
        }
    }
    if uses.is_empty() {
        return;
    }
    // For each acronym's letters, the first run of words that spells them:
    // an expansion ("National Audit Office") or the acronym itself, whichever
    // comes first in the draft; only an expansion that comes first counts.
    let wanted_letters: Vec<String> =
        uses.iter().map(|(key, _)| key.chars().filter(|character| character.is_alphabetic()).collect()).collect();
    // The first run of initials for each wanted spelling, in one pass over the draft.
    let mut first_initials: FxHashMap<&str, Option<&Initials>> =
        wanted_letters.iter().map(|letters| (letters.as_str(), None)).collect();
    for view in context.paragraphs {
        for initials in &view.analysis.rule_facts.acronyms.initials {
            if let Some(first @ None) = first_initials.get_mut(initials.letters.as_str()) {
                *first = Some(initials);
            }
        }
    }
    let mut first_spelling: Vec<(String, bool)> = Vec::new();
    for letters in &wanted_letters {
        let first = first_initials.get(letters.as_str()).copied().flatten();
        let spelled = letters.len() >= 2 && first.is_some_and(|initials| !initials.single_word);
        first_spelling.push((letters.clone(), spelled));
    }
    for ((key, places), (_, spelled_by_initials)) in uses.into_iter().zip(first_spelling) {
        let first = places[0].0;
        let written = &context.text[first.start..first.end];
        let stylebook_expansion = context.config.organizations.iter().find_map(|organization| {
            (organization.name.replace('.', "") == key).then_some(organization.expansion.as_ref()).flatten()
        });
        let spelled_at = places.iter().find(|(_, parenthesised)| *parenthesised).map(|(span, _)| *span);
        let (message, related) = match spelled_at {
            Some(place) if place == first => continue,
            None if spelled_by_initials || expanded_by_entities.contains(key) => continue,
            Some(place) => (
                format!("{written} is used before it is spelled out; spell it out on first reference"),
                vec![RelatedSpan { span: place, message: format!("{key} is spelled out here") }],
            ),
            None => {
                let count = places.len();
                let also = if count > 1 { format!(" (used {count} times)") } else { String::new() };
                let related = places
                    .iter()
                    .skip(1)
                    .take(3)
                    .map(|(span, _)| RelatedSpan { span: *span, message: format!("{key} used again here") })
                    .collect();
                (format!("{written} is never spelled out{also}; readers may not know what it stands for"), related)
            }
        };
        let fixes = stylebook_expansion
            .map(|expansion| Fix {
                title: format!("Spell out: {expansion} ({written})"),
                edits: vec![TextEdit { span: first, new_text: format!("{expansion} ({written})") }],
                preferred: true,
            })
            .into_iter()
            .collect();
        diagnostics.push(Diagnostic {
            code: RULE.code,
            severity: RULE.default_severity,
            span: first,
            message,
            related,
            fixes,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::acronym_key;
    use crate::config::Config;
    use crate::document::DocumentKind;
    use crate::rules::test_support::{check, check_with};

    #[test]
    fn keys() {
        for (word, key) in [
            ("U.S.", Some("US")),
            ("MPs", Some("MP")),
            ("NATO's", Some("NATO")),
            ("G20", Some("G20")),
            ("III", None),
            ("A", None),
            ("Nato", None),
        ] {
            assert_eq!(acronym_key(word).as_deref(), key, "{word}");
        }
    }

    #[test]
    fn unknown_acronyms_never_spelled_out_are_flagged_once() {
        check(
            "unexpanded-acronym",
            "Port strike ends\nThe PWF called off the strike after talks with the UN and the EU. PWF members return on Monday.\nThe Harbour Safety Board (HSB) welcomed the deal; the HSB will review it.\nSHOUTING LINE FROM THE WIRE ABOUT XYZ",
            r#"
Warning "PWF": PWF is never spelled out (used 2 times); readers may not know what it stands for
  related "PWF": PWF used again here
"#,
        );
    }

    #[test]
    fn a_transcript_speaker_label_is_not_an_acronym() {
        check(
            "unexpanded-acronym",
            "Ferry interview\nHOST: Why did the sailings stop?\n\"LORNE: Because nobody takes it.\nMARA OSTBY: The FRB has the numbers.",
            r#"
Warning "FRB": FRB is never spelled out; readers may not know what it stands for
"#,
        );
    }

    #[test]
    fn spelled_out_without_parentheses_counts() {
        check(
            "unexpanded-acronym",
            "Audit finds delays\nA Harbour Audit Office report says costs rose. The HAO said more.\nThe UK Fishing Party (UKFP) and UKFP members agree.\nIt was SO late.",
            "",
        );
    }

    #[test]
    fn an_expansion_without_parentheses_counts_only_before_the_acronym() {
        // The initials of "Coastal Freight Board" come after the first "CFB",
        // across a paragraph and a hyphenated word, so the reader met the
        // acronym unexplained; the "Anglo-Dutch Shipping" initials ("ADS")
        // come first and count.
        check(
            "unexpanded-acronym",
            "Port news\nThe CFB met. Later the Coastal Freight Board agreed.\nAnglo-Dutch Shipping staff struck. ADS said so.",
            r#"
Warning "CFB": CFB is never spelled out; readers may not know what it stands for
"#,
        );
    }

    #[test]
    fn used_before_spelled_out_points_at_the_expansion() {
        check(
            "unexpanded-acronym",
            "Port strike ends\nThe HSB met on Monday.\nThe Harbour Safety Board (HSB) welcomed the deal.",
            r#"
Warning "HSB": HSB is used before it is spelled out; spell it out on first reference
  related "HSB": HSB is spelled out here
"#,
        );
    }

    #[test]
    fn stylebook_adds_known_acronyms_and_expansions() {
        let config = Config::from_toml_str(
            "[acronyms]\nknown = [\"PWF\"]\n\n[[organizations]]\nname = \"HSB\"\nexpansion = \"Harbour Safety Board\"\n",
        )
        .expect("parses");
        check_with(
            "unexpanded-acronym",
            "Port strike ends\nThe PWF and the HSB met.",
            DocumentKind::PlainText,
            &config,
            r#"
Warning "HSB": HSB is never spelled out; readers may not know what it stands for
  fix "Spell out: Harbour Safety Board (HSB)" (preferred) -> "Port strike ends\nThe PWF and the Harbour Safety Board (HSB) met."
"#,
        );
    }
}
