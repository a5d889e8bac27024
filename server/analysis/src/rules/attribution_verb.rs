//! `attribution-verb`: a loaded or non-speech verb used to attribute a statement.
//!
//! "Said" is the neutral verb. "Claimed" and "insisted" suggest the writer
//! doubts the speaker, "admitted" and "conceded" imply a confession, "laughed"
//! and "smiled" are not ways of speaking, "opined" is stilted. The rule is a
//! hint: sometimes the loaded verb is the accurate one.
//!
//! A verb counts as attribution when it introduces or follows a statement: a
//! quote right before it (`," she claimed`), a colon or an opening quotation
//! mark right after it (`admitted: "...`), or `that` after it (`claimed that`);
//! or when the attribution analysis found it as the cue of a quote. "Admitted
//! to hospital" or "the claims that" are therefore left alone. The list is
//! configurable: `[rules.attribution-verb] verbs = [...]` replaces it,
//! `extra_verbs = [...]` adds to it.

use std::borrow::Cow;

use crate::document::ParagraphKind;
use crate::model::{Diagnostic, Fix, Severity, Span, TextEdit};
use crate::rules::text::Word;
use crate::rules::{Reads, Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "attribution-verb",
    default_severity: Severity::Hint,
    summary: "\"Claimed\", \"admitted\", \"laughed\", \"opined\" and the like as attribution verbs; \"said\" is neutral.",
    check_paragraph: Some(check),
    check: super::NO_DOCUMENT_CHECK,
    reads: Reads::NO_DOCUMENT_PART,
};

/// The built-in verbs (as written) with why each is a problem.
const VERBS: &[(&str, &str)] = &[
    ("claimed", "suggests the writer doubts the speaker"),
    ("claims", "suggests the writer doubts the speaker"),
    ("insisted", "suggests the writer doubts the speaker"),
    ("insists", "suggests the writer doubts the speaker"),
    ("admitted", "implies a confession of wrongdoing"),
    ("admits", "implies a confession of wrongdoing"),
    ("conceded", "implies a confession of wrongdoing"),
    ("concedes", "implies a confession of wrongdoing"),
    ("confessed", "implies a confession of wrongdoing"),
    ("laughed", "is not a way of speaking"),
    ("laughs", "is not a way of speaking"),
    ("smiled", "is not a way of speaking"),
    ("smiles", "is not a way of speaking"),
    ("grinned", "is not a way of speaking"),
    ("chuckled", "is not a way of speaking"),
    ("giggled", "is not a way of speaking"),
    ("sneered", "is not a way of speaking"),
    ("scoffed", "is not a way of speaking"),
    ("opined", "is stilted"),
    ("opines", "is stilted"),
];

/// The verbs to flag under this configuration, lowercase, with their reasons.
/// The built-in ones are borrowed: this runs once per paragraph, and copying
/// twenty words each time cost more than the rule's own work.
fn configured_verbs(context: &RuleContext<'_>) -> Vec<(Cow<'static, str>, &'static str)> {
    let table = context.config.rule_table(RULE.code);
    let mut verbs: Vec<(Cow<'static, str>, &'static str)> = match table.and_then(|table| table.verbs.as_ref()) {
        Some(listed) => listed
            .iter()
            .map(|verb| {
                let lower = verb.to_lowercase();
                let reason = VERBS
                    .iter()
                    .find(|(known, _)| *known == lower)
                    .map_or("is on the stylebook's list", |(_, reason)| *reason);
                (Cow::Owned(lower), reason)
            })
            .collect(),
        None => VERBS.iter().map(|(verb, reason)| (Cow::Borrowed(*verb), *reason)).collect(),
    };
    if let Some(table) = table {
        verbs.extend(
            table.extra_verbs.iter().map(|verb| (Cow::Owned(verb.to_lowercase()), "is on the stylebook's list")),
        );
    }
    verbs
}

/// The neutral replacement in the same tense.
fn neutral(verb: &str) -> &'static str {
    if verb.ends_with('s') && !verb.ends_with("ss") { "says" } else { "said" }
}

const DETERMINERS: &[&str] =
    &["the", "these", "those", "his", "her", "their", "its", "our", "such", "any", "no", "of", "new", "false"];

/// Whether `text` ends with the end of a quoted statement (`,"` or `?”`).
fn ends_statement(text: &str) -> bool {
    [",\"", ",”", "?\"", "?”", "!\"", "!”"].iter().any(|end| text.ends_with(end))
}

/// Whether the verb at `index` reads as attribution in its paragraph.
fn is_attribution(prose: &str, offset: usize, paragraph_words: &[Word<'_>], index: usize) -> bool {
    let word = paragraph_words[index];
    let before = prose[..word.span.start - offset].trim_end();
    let after = prose[word.span.end - offset..].trim_start();
    if index > 0 && DETERMINERS.contains(&paragraph_words[index - 1].text.to_lowercase().as_str()) {
        return false;
    }
    // `," claimed the minister` or `," the minister claimed` (a subject of up
    // to five words between the quote and the verb: `," board chair Ana Reyes claimed`).
    let follows_quote = ends_statement(before)
        || (1..=5).filter(|back| *back <= index).any(|back| {
            let subject_start = paragraph_words[index - back].span.start - offset;
            ends_statement(prose[..subject_start].trim_end())
        });
    let introduces =
        after.starts_with(':') || after.starts_with('"') || after.starts_with('“') || after.starts_with("that ");
    follows_quote || introduces
}

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let verbs = configured_verbs(context);
    // Bit `n` set when some verb is `n` bytes long (bit 63: 63 or more): an
    // ASCII word of another length is no verb (ASCII lowercasing keeps the length).
    let length_bit = |length: usize| 1u64 << length.min(63);
    let verb_lengths = verbs.iter().fold(0u64, |bits, (verb, _)| bits | length_bit(verb.len()));
    // Bit `b` set when some verb starts with the ASCII byte `b` (lowercased):
    // with the length test, it leaves few words to compare with the list.
    let first_byte_bit = |byte: u8| if byte.is_ascii() { 1u128 << byte.to_ascii_lowercase() } else { 0 };
    let verb_first_bytes = verbs
        .iter()
        .fold(0u128, |bits, (verb, _)| bits | verb.as_bytes().first().map_or(0, |&byte| first_byte_bit(byte)));
    // The cues the attribution stage found in the paragraph itself: this part
    // of the rule runs on one paragraph at a time (see `Rule::check_paragraph`).
    for (position, (paragraph, view)) in context.layout.paragraphs.iter().zip(context.paragraphs).enumerate() {
        let cues: Vec<Span> = view
            .analysis
            .quotes
            .statements
            .iter()
            .filter_map(|statement| statement.cue)
            .map(|cue| cue.shifted(view.offset()))
            .collect();
        if paragraph.kind != ParagraphKind::Body {
            continue;
        }
        let offset = paragraph.span.start;
        let paragraph_words = context.paragraph_words(position);
        for (index, word) in paragraph_words.iter().enumerate() {
            // Most words are ASCII and no verb: compare without allocating,
            // and only with the verbs of the same length.
            let found = if word.text.is_ascii() {
                if verb_lengths & length_bit(word.text.len()) == 0
                    || word.text.as_bytes().first().is_some_and(|&byte| verb_first_bytes & first_byte_bit(byte) == 0)
                {
                    continue;
                }
                verbs.iter().find(|(verb, _)| word.text.eq_ignore_ascii_case(verb))
            } else {
                let lower = word.text.to_lowercase();
                verbs.iter().find(|(verb, _)| *verb == lower)
            };
            let Some((verb, reason)) = found else { continue };
            let is_cue = cues.iter().any(|cue| cue.contains(word.span));
            if !is_cue && !is_attribution(&paragraph.prose, offset, paragraph_words, index) {
                continue;
            }
            let replacement = neutral(verb);
            diagnostics.push(Diagnostic {
                code: RULE.code,
                severity: RULE.default_severity,
                span: word.span,
                message: format!("\"{}\" as an attribution verb {reason}; \"{replacement}\" is neutral", word.text),
                related: Vec::new(),
                fixes: vec![Fix {
                    title: format!("Replace \"{}\" with \"{replacement}\"", word.text),
                    edits: vec![TextEdit { span: word.span, new_text: replacement.to_owned() }],
                    preferred: true,
                }],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::document::DocumentKind;
    use crate::rules::test_support::{check, check_with};

    #[test]
    fn loaded_verbs_next_to_statements_are_hinted() {
        check(
            "attribution-verb",
            "The mayor claimed that the budget was balanced.\n\"It was a mistake,\" she admitted.\n\"Nonsense,\" laughed the treasurer.",
            r#"
Hint "claimed": "claimed" as an attribution verb suggests the writer doubts the speaker; "said" is neutral
  fix "Replace \"claimed\" with \"said\"" (preferred) -> "The mayor said that the budget was balanced.\n\"It was a mistake,\" she admitted.\n\"Nonsense,\" laughed the treasurer."
Hint "admitted": "admitted" as an attribution verb implies a confession of wrongdoing; "said" is neutral
  fix "Replace \"admitted\" with \"said\"" (preferred) -> "The mayor claimed that the budget was balanced.\n\"It was a mistake,\" she said.\n\"Nonsense,\" laughed the treasurer."
Hint "laughed": "laughed" as an attribution verb is not a way of speaking; "said" is neutral
  fix "Replace \"laughed\" with \"said\"" (preferred) -> "The mayor claimed that the budget was balanced.\n\"It was a mistake,\" she admitted.\n\"Nonsense,\" said the treasurer."
"#,
        );
    }

    #[test]
    fn other_uses_are_quiet() {
        check(
            "attribution-verb",
            "He was admitted to hospital on Monday.\nThe claims that the pier was unsafe were rejected.\nThe crowd laughed at the mime.",
            "",
        );
    }

    #[test]
    fn the_list_is_configurable() {
        let config = Config::from_toml_str("[rules.attribution-verb]\nverbs = [\"quipped\"]\n").expect("parses");
        check_with(
            "attribution-verb",
            "\"Never,\" he quipped.\nShe claimed that it rained.",
            DocumentKind::PlainText,
            &config,
            r#"
Hint "quipped": "quipped" as an attribution verb is on the stylebook's list; "said" is neutral
  fix "Replace \"quipped\" with \"said\"" (preferred) -> "\"Never,\" he said.\nShe claimed that it rained."
"#,
        );
    }
}
