//! `title-case`: a formal title capitalised the wrong way for where it stands.
//!
//! Style guides capitalise a formal title directly before a name ("Prime
//! Minister Ana Reyes", "Mayor Ulla Brandvik") and lowercase it when it stands
//! alone or follows the name ("the prime minister said", "Ana Reyes, the prime
//! minister,"). The rule knows a short list of formal titles (president,
//! prime minister, premier, chancellor, governor, mayor, senator, minister,
//! ambassador, and the like); occupational descriptions ("spokesman",
//! "leader") are never capitalised and are not checked.
//!
//! A capitalised title is left alone when it is part of a longer title or a
//! proper noun (a capitalised word right before it, or "of"/"for" after it:
//! "Minister for Culture", "President of the Senate"), at the start of a
//! sentence, and in headlines.
//!
//! This is a house convention (AP and most American copy) rather than an error:
//! British copy often writes "the Prime Minister" and "shadow chancellor Ann
//! Hale". The rule is therefore a hint by default; a newsroom that follows AP
//! raises it in the stylebook (`title-case = "warning"`).

use crate::document::ParagraphKind;
use crate::entities::lexicon::FastMap;
use crate::model::{Diagnostic, Fix, Severity, Span, TextEdit};
use crate::rules::text::{Word, is_capitalized, lowercase_first, starts_sentence, uppercase_first};
use crate::rules::{Reads, Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "title-case",
    default_severity: Severity::Hint,
    summary: "A formal title capitalised when it stands alone, or lowercase directly before a name.",
    check_paragraph: Some(check),
    check: super::NO_DOCUMENT_CHECK,
    reads: Reads::NO_DOCUMENT_PART,
};

/// Formal titles, longest first so "vice president" wins over "president".
const TITLES: &[&str] = &[
    "secretary of state",
    "vice president",
    "prime minister",
    "foreign minister",
    "president",
    "premier",
    "chancellor",
    "governor",
    "mayor",
    "senator",
    "minister",
    "ambassador",
    "king",
    "queen",
    "pope",
    "cardinal",
    "archbishop",
    "bishop",
    "rabbi",
    "congressman",
    "congresswoman",
    "councillor",
    "councilman",
    "councilwoman",
    "sheriff",
    "judge",
];

/// Words that, capitalised, do not start a name.
const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "And",
    "But",
    "On",
    "In",
    "At",
    "Of",
    "For",
    "To",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "This",
    "That",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The titles of [`TITLES`] split into lowercase words and grouped by their
/// first word, in list order. Built once: `title_at` runs for every word of
/// every body paragraph on every keystroke, so it must not split or lowercase
/// the whole list each time.
/// Keyed with the lexicons' fast hasher: SipHash on every word was a visible
/// part of the rule's cost.
static TITLES_BY_FIRST_WORD: std::sync::LazyLock<FastMap<&'static str, Vec<Vec<&'static str>>>> =
    std::sync::LazyLock::new(|| {
        let mut by_first_word: FastMap<&'static str, Vec<Vec<&'static str>>> = FastMap::default();
        for title in TITLES {
            let parts: Vec<&'static str> = title.split(' ').collect();
            by_first_word.entry(parts[0]).or_default().push(parts);
        }
        by_first_word
    });

/// Bit `n` of entry [`word_shape`] set when a first word of [`TITLES`]
/// with that first and last byte is `n` bytes long.
static FIRST_WORD_SHAPES: std::sync::LazyLock<[u32; 1024]> = std::sync::LazyLock::new(|| {
    let mut shapes = [0u32; 1024];
    for first_word in TITLES_BY_FIRST_WORD.keys() {
        assert!(first_word.is_ascii() && first_word.len() < 32, "titles are short ASCII words");
        shapes[word_shape(first_word.as_bytes())] |= 1 << first_word.len();
    }
    shapes
});

/// The entry of a word (of at least one byte) in [`FIRST_WORD_SHAPES`]: its
/// first and last bytes modulo 32, which maps an ASCII capital and its small
/// letter alike, so a word and its ASCII lowercasing share it.
fn word_shape(bytes: &[u8]) -> usize {
    usize::from(bytes[0] & 31) * 32 + usize::from(bytes[bytes.len() - 1] & 31)
}

/// The title starting at word `index`, as the number of words it spans.
fn title_at(paragraph_words: &[Word<'_>], index: usize) -> Option<usize> {
    let first = paragraph_words.get(index)?.text;
    // Titles are lowercase in the list; skip the allocation for the common
    // word that is already lowercase ASCII.
    // Titles are short ASCII words: lowercase into a buffer on the stack
    // rather than allocating for every capitalised word of the draft.
    let mut buffer = [0u8; 16];
    let lowered;
    // Most words are ruled out by their first and last letters and length alone.
    if first.is_ascii() {
        first.bytes().next().filter(u8::is_ascii_alphabetic)?;
        if first.len() >= 32 || FIRST_WORD_SHAPES[word_shape(first.as_bytes())] & (1 << first.len()) == 0 {
            return None;
        }
    }
    let first_lowercase = if first.is_ascii() && first.len() <= buffer.len() {
        buffer[..first.len()].copy_from_slice(first.as_bytes());
        buffer[..first.len()].make_ascii_lowercase();
        std::str::from_utf8(&buffer[..first.len()]).ok()?
    } else if first.is_ascii() {
        return None;
    } else {
        lowered = first.to_lowercase();
        lowered.as_str()
    };
    let candidates = TITLES_BY_FIRST_WORD.get(first_lowercase)?;
    candidates.iter().find_map(|parts| {
        let matches = parts.iter().enumerate().skip(1).all(|(offset, part)| {
            paragraph_words.get(index + offset).is_some_and(|word| {
                // The parts are lowercase ASCII; an ASCII word matches without
                // allocating (other words may still lowercase to ASCII).
                if word.text.is_ascii() {
                    word.text.eq_ignore_ascii_case(part)
                } else {
                    word.text.to_lowercase() == *part
                }
            })
        });
        matches.then_some(parts.len())
    })
}

fn looks_like_name(word: Option<&Word<'_>>) -> bool {
    word.is_some_and(|word| {
        is_capitalized(word.text)
            && !NOT_NAMES.contains(&word.text)
            && word.text.chars().nth(1).is_some_and(char::is_lowercase)
    })
}

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let text = context.text;
    for (position, paragraph) in context.layout.paragraphs.iter().enumerate().take(context.paragraphs.len()) {
        if paragraph.kind != ParagraphKind::Body {
            continue;
        }
        let paragraph_words = context.paragraph_words(position);
        let mut index = 0;
        while index < paragraph_words.len() {
            let Some(length) = title_at(paragraph_words, index) else {
                index += 1;
                continue;
            };
            let title_words = &paragraph_words[index..index + length];
            let span = Span::new(title_words[0].span.start, title_words[length - 1].span.end);
            let written = &text[span.start..span.end];
            let next = paragraph_words.get(index + length);
            let adjacent_next = next.filter(|next| text[span.end..next.span.start].trim().is_empty());
            let previous = index.checked_sub(1).map(|before| paragraph_words[before]);
            let adjacent_previous = previous.filter(|previous| text[previous.span.end..span.start].trim().is_empty());
            let at_sentence_start = starts_sentence(text, paragraph.span.start, span.start);
            let all_lower = title_words.iter().all(|word| !is_capitalized(word.text));
            let all_capitalized = title_words.iter().all(|word| is_capitalized(word.text) || word.text == "of");
            let before_name = looks_like_name(adjacent_next);
            index += length;
            if before_name && all_lower && !at_sentence_start {
                let article_before = adjacent_previous
                    .is_some_and(|previous| matches!(previous.text.to_lowercase().as_str(), "a" | "an" | "the"));
                if article_before {
                    continue;
                }
                let name = adjacent_next.map_or("", |next| next.text);
                let fixed: Vec<String> = title_words
                    .iter()
                    .map(|word| if word.text == "of" { String::from("of") } else { uppercase_first(word.text) })
                    .collect();
                let fixed = fixed.join(" ");
                diagnostics.push(Diagnostic {
                    code: RULE.code,
                    severity: RULE.default_severity,
                    span,
                    message: format!(
                        "\"{written}\" is a formal title directly before the name {name}: capitalise it (\"{fixed}\")"
                    ),
                    related: Vec::new(),
                    fixes: vec![Fix {
                        title: format!("Capitalise: {fixed}"),
                        edits: vec![TextEdit { span, new_text: fixed }],
                        preferred: true,
                    }],
                });
            } else if !before_name && all_capitalized && !at_sentence_start {
                // Part of a longer title or a proper noun: leave it alone.
                let capital_before = adjacent_previous
                    .is_some_and(|previous| is_capitalized(previous.text) && !NOT_NAMES.contains(&previous.text));
                let continues = adjacent_next
                    .is_some_and(|next| matches!(next.text, "of" | "for" | "Of" | "For") || is_capitalized(next.text));
                let possessive_or_plural = text[span.end..].starts_with(['\'', '’', 's']);
                if capital_before || continues || possessive_or_plural {
                    continue;
                }
                let fixed = title_words.iter().map(|word| lowercase_first(word.text)).collect::<Vec<_>>().join(" ");
                diagnostics.push(Diagnostic {
                    code: RULE.code,
                    severity: RULE.default_severity,
                    span,
                    message: format!(
                        "\"{written}\" stands alone here, with no name after it: lowercase it (\"{fixed}\")"
                    ),
                    related: Vec::new(),
                    fixes: vec![Fix {
                        title: format!("Lowercase: {fixed}"),
                        edits: vec![TextEdit { span, new_text: fixed }],
                        preferred: true,
                    }],
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check;

    #[test]
    fn lowercase_before_name_and_capital_alone_are_flagged() {
        check(
            "title-case",
            "Ferry deal signed\nFormer prime minister Ana Reyes opened the terminal. The President said the ferry would run daily.",
            r#"
Hint "prime minister": "prime minister" is a formal title directly before the name Ana: capitalise it ("Prime Minister")
  fix "Capitalise: Prime Minister" (preferred) -> "Ferry deal signed\nFormer Prime Minister Ana Reyes opened the terminal. The President said the ferry would run daily."
Hint "President": "President" stands alone here, with no name after it: lowercase it ("president")
  fix "Lowercase: president" (preferred) -> "Ferry deal signed\nFormer prime minister Ana Reyes opened the terminal. The president said the ferry would run daily."
"#,
        );
    }

    #[test]
    fn correct_and_compound_titles_are_quiet() {
        check(
            "title-case",
            "Ferry deal signed\nPrime Minister Ana Reyes and the mayor, Ulla Brandvik, met Vice Foreign Minister Tor Lund and the Minister for Transport on Monday. Mayor Brandvik spoke first. President of the council Eva Holm spoke last, at the President's House.",
            "",
        );
    }
}
