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

use std::collections::HashSet;

use crate::document::ParagraphKind;
use crate::model::{Diagnostic, Fix, RelatedSpan, Severity, Span, TextEdit};
use crate::rules::text::words;
use crate::rules::{Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "unexpanded-acronym",
    default_severity: Severity::Warning,
    summary: "An acronym never spelled out (apart from those every reader knows).",
    check,
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
    let words: Vec<&str> = prose.split_whitespace().filter(|word| word.chars().any(char::is_alphabetic)).collect();
    let capitals =
        words.iter().filter(|word| word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)).count();
    words.len() >= 3 && capitals * 2 > words.len()
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

/// Where the draft spells `key` out without parentheses: capitalised words
/// whose initials (an acronym word counts with all its letters, small words
/// are skipped) give the acronym, as in "the National Audit Office said ... the NAO".
fn spelled_out_by_initials(tokens: &[&str], key: &str) -> bool {
    let letters: String = key.chars().filter(|character| character.is_alphabetic()).collect();
    if letters.len() < 2 {
        return false;
    }
    let first_letter = letters.chars().next();
    'start: for start in 0..tokens.len() {
        // An expansion starts with a word whose initial is the acronym's first
        // letter; checking that first keeps the scan linear in practice.
        if tokens[start].chars().next() != first_letter {
            continue;
        }
        let mut built = String::new();
        for token in &tokens[start..] {
            let bare = token.trim_end_matches("'s").trim_end_matches("’s").trim_end_matches(['\'', '’']);
            if matches!(bare, "of" | "and" | "for" | "the" | "on" | "in" | "to" | "&") && !built.is_empty() {
                continue;
            }
            if !bare.chars().next().is_some_and(char::is_uppercase) {
                continue 'start;
            }
            let contribution: String = if bare.len() >= 2 && bare.chars().all(|character| character.is_uppercase()) {
                bare.to_owned()
            } else {
                bare.chars().take(1).collect()
            };
            built.push_str(&contribution);
            if built == letters {
                // The acronym itself is not its own expansion.
                return !(token.trim_end_matches("'s") == key || built.len() == contribution.len());
            }
            if !letters.starts_with(&built) {
                continue 'start;
            }
        }
    }
    false
}

/// Where `key` is spelled out in the text: "(KEY)" after its expansion or
/// "KEY (" before one. Returns the span of the acronym at that place.
fn spelled_out_at(text: &str, uses: &[Span]) -> Option<Span> {
    uses.iter().copied().find(|span| {
        let before = text[..span.start].trim_end();
        let after = &text[span.end..];
        let in_parentheses = before.ends_with('(') && after.trim_start_matches(['\'', '’', 's']).starts_with(')');
        let expansion_follows = after.trim_start().starts_with('(')
            && after.trim_start()[1..].trim_start().chars().next().is_some_and(char::is_uppercase);
        in_parentheses || expansion_follows
    })
}

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let settings = &context.config.acronyms;
    let mut known: HashSet<String> = settings.known.iter().map(|known| known.replace('.', "")).collect();
    if settings.use_builtin {
        known.extend(KNOWN.iter().map(|known| (*known).to_owned()));
    }
    let expanded_by_entities: HashSet<String> = context
        .linking
        .entities
        .iter()
        .filter(|entity| entity.expansion.is_some())
        .flat_map(|entity| entity.mentions.iter().filter_map(|mention| acronym_key(&mention.text)))
        .collect();
    // Every use of each acronym in the body, in text order.
    let mut uses: Vec<(String, Vec<Span>)> = Vec::new();
    for paragraph in &context.layout.paragraphs {
        if paragraph.kind != ParagraphKind::Body || mostly_capitals(&paragraph.prose) {
            continue;
        }
        let paragraph_words = words(&paragraph.prose, paragraph.span.start);
        let dateline = dateline_length(&paragraph.prose, paragraph.span.start, &paragraph_words);
        for word in paragraph_words.into_iter().skip(dateline) {
            let mut part_start = word.span.start;
            for part in word.text.split('-') {
                let span = Span::new(part_start, part_start + part.len());
                part_start += part.len() + 1;
                let Some(key) = acronym_key(part) else { continue };
                // "ITV1" is ITV's first channel: known when ITV is.
                let without_digits = key.trim_end_matches(|character: char| character.is_ascii_digit());
                if known.contains(&key) || known.contains(without_digits) || SHOUTED_WORDS.contains(&key.as_str()) {
                    continue;
                }
                match uses.iter_mut().find(|(existing, _)| *existing == key) {
                    Some((_, spans)) => spans.push(span),
                    None => uses.push((key, vec![span])),
                }
            }
        }
    }
    // Words of the whole draft, split once for every acronym's expansion search.
    let tokens: Vec<&str> = context
        .text
        .split(|character: char| !(character.is_alphanumeric() || character == '\'' || character == '’'))
        .filter(|token| !token.is_empty())
        .collect();
    for (key, spans) in uses {
        let first = spans[0];
        let written = &context.text[first.start..first.end];
        let stylebook_expansion = context.config.organizations.iter().find_map(|organization| {
            (organization.name.replace('.', "") == key).then_some(organization.expansion.as_ref()).flatten()
        });
        let (message, related) = match spelled_out_at(context.text, &spans) {
            Some(place) if place == first => continue,
            None if spelled_out_by_initials(&tokens, &key) || expanded_by_entities.contains(&key) => continue,
            Some(place) => (
                format!("{written} is used before it is spelled out; spell it out on first reference"),
                vec![RelatedSpan { span: place, message: format!("{key} is spelled out here") }],
            ),
            None => {
                let count = spans.len();
                let also = if count > 1 { format!(" (used {count} times)") } else { String::new() };
                let related = spans
                    .iter()
                    .skip(1)
                    .take(3)
                    .map(|span| RelatedSpan { span: *span, message: format!("{key} used again here") })
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
    fn spelled_out_without_parentheses_counts() {
        check(
            "unexpanded-acronym",
            "Audit finds delays\nA Harbour Audit Office report says costs rose. The HAO said more.\nThe UK Fishing Party (UKFP) and UKFP members agree.\nIt was SO late.",
            "",
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
