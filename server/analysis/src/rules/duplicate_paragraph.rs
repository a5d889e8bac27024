//! `duplicate-paragraph`: a paragraph that repeats an earlier one word for word.
//!
//! Copy-paste leaves captions and whole paragraphs in a draft twice. Paragraphs
//! are compared with their spacing collapsed; very short ones (fewer than four
//! words, such as "Read more:", which `leftover-boilerplate` reports) are left
//! out, since short lines legitimately repeat. Each repeat is reported once,
//! pointing at the first copy.

use rustc_hash::FxHashMap;

use crate::document::ParagraphKind;
use crate::model::{Diagnostic, Fix, RelatedSpan, Severity, Span};
use crate::rules::text::delete_paragraph;
use crate::rules::{DocumentPart, Fact, KindReads, Reads, Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "duplicate-paragraph",
    default_severity: Severity::Warning,
    summary: "A paragraph repeated verbatim.",
    check_paragraph: None,
    check: DocumentPart::Whole(check),
    reads: Reads {
        linking: false,
        quotes: false,
        facts: &[Fact::DuplicateKey],
        paragraph_order: true,
        paragraph_kinds: KindReads::Never,
        quote_additions: false,
    },
};

const MINIMUM_WORDS: usize = 4;

/// A hash of the paragraph's words joined by single spaces (so spacing does
/// not matter), or `None` for a paragraph the rule leaves out. Equal hashes
/// are confirmed word by word before anything is reported.
pub fn duplicate_key(prose: &str, kind: ParagraphKind) -> Option<u64> {
    if matches!(kind, ParagraphKind::Tags | ParagraphKind::Outlet)
        || prose.split_whitespace().nth(MINIMUM_WORDS - 1).is_none()
    {
        return None;
    }
    // FNV-1a over the words with a separator: fast, and a collision only
    // costs a word-by-word comparison in the check.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut add = |byte: u8| hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
    if prose.is_ascii() {
        // The same bytes as below, read straight from the text: the ASCII
        // characters `split_whitespace` splits at are tab, line feed, vertical
        // tab, form feed, carriage return and space.
        let mut in_word = false;
        for &byte in prose.as_bytes() {
            if matches!(byte, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
                if in_word {
                    add(0xff);
                    in_word = false;
                }
            } else {
                add(byte);
                in_word = true;
            }
        }
        if in_word {
            add(0xff);
        }
    } else {
        for word in prose.split_whitespace() {
            for byte in word.bytes().chain([0xff]) {
                add(byte);
            }
        }
    }
    Some(hash)
}

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    // The first paragraph seen with each key. Two different texts with the
    // same 64-bit hash would hide a repeat of the second; that is the price
    // of not keeping a list per key.
    // The keys are already 64-bit hashes: the Fx hasher is enough.
    let mut first_seen: FxHashMap<u64, (&str, Span)> =
        FxHashMap::with_capacity_and_hasher(context.paragraphs.len(), Default::default());
    for view in context.paragraphs {
        let Some(key) = view.analysis.rule_facts.duplicate_key else { continue };
        let paragraph = view.paragraph;
        let prose = &*paragraph.prose;
        let trimmed_start = paragraph.span.start + (prose.len() - prose.trim_start().len());
        let span = Span::new(trimmed_start, trimmed_start + prose.trim().len());
        let first = match first_seen.entry(key) {
            std::collections::hash_map::Entry::Vacant(vacant) => {
                vacant.insert((prose, span));
                continue;
            }
            std::collections::hash_map::Entry::Occupied(occupied) => *occupied.get(),
        };
        let (earlier, first) = first;
        // Both paragraphs' prose is read whole from here on (their first
        // copy's span was found from its prose too).
        let earlier_paragraph =
            crate::rules::text::paragraph_at(context.layout, first.start).map_or(first, |found| found.span);
        context.text.record(earlier_paragraph.start, earlier_paragraph.end);
        context.text.record(paragraph.span.start, paragraph.span.end);
        if !earlier.split_whitespace().eq(prose.split_whitespace()) {
            continue;
        }
        let line = context.line_of(first.start);
        let words: Vec<&str> = prose.split_whitespace().collect();
        diagnostics.push(Diagnostic {
            code: RULE.code,
            severity: RULE.default_severity,
            span,
            message: format!(
                "this paragraph (\"{}\") repeats the one on line {line} word for word",
                crate::snapshot::shorten(&words.join(" "), 50)
            ),
            related: vec![RelatedSpan { span: first, message: String::from("first copy of the paragraph") }],
            fixes: vec![Fix {
                title: String::from("Delete the duplicate paragraph"),
                edits: vec![delete_paragraph(context.text, paragraph.span)],
                preferred: true,
            }],
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check;

    #[test]
    fn verbatim_repeat_is_flagged_with_the_first_copy() {
        check(
            "duplicate-paragraph",
            "Pier reopens\nThe pier reopened on Monday after repairs.\n\nThe old pier in 1920, seen from the beach. /Agency Photo\n\nThe old pier in 1920,  seen from the beach. /Agency Photo\n\nTraffic was light.",
            r#"
Warning "The old pier in 1920,  seen from the beach. /Agency Photo": this paragraph ("The old pier in 1920, se…the beach. /Agency Photo") repeats the one on line 4 word for word
  related "The old pier in 1920, seen from the beach. /Agency Photo": first copy of the paragraph
  fix "Delete the duplicate paragraph" (preferred) -> "Pier reopens\nThe pier reopened on Monday after repairs.\n\nThe old pier in 1920, seen from the beach. /Agency Photo\n\nTraffic was light."
"#,
        );
    }

    #[test]
    fn similar_or_short_paragraphs_are_quiet() {
        check(
            "duplicate-paragraph",
            "Pier reopens\nThe pier reopened on Monday.\nThe pier reopened on Tuesday.\nNo comment.\nNo comment.",
            "",
        );
    }
}
