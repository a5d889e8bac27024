//! `duplicate-paragraph`: a paragraph that repeats an earlier one word for word.
//!
//! Copy-paste leaves captions and whole paragraphs in a draft twice. Paragraphs
//! are compared with their spacing collapsed; very short ones (fewer than four
//! words, such as "Read more:", which `leftover-boilerplate` reports) are left
//! out, since short lines legitimately repeat. Each repeat is reported once,
//! pointing at the first copy.

use std::collections::HashMap;

use crate::document::ParagraphKind;
use crate::model::{Diagnostic, Fix, RelatedSpan, Severity, Span};
use crate::rules::text::delete_paragraph;
use crate::rules::{Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "duplicate-paragraph",
    default_severity: Severity::Warning,
    summary: "A paragraph repeated verbatim.",
    check,
};

const MINIMUM_WORDS: usize = 4;

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let mut first_seen: HashMap<String, Span> = HashMap::new();
    for paragraph in &context.layout.paragraphs {
        if matches!(paragraph.kind, ParagraphKind::Tags | ParagraphKind::Outlet) {
            continue;
        }
        let words: Vec<&str> = paragraph.prose.split_whitespace().collect();
        if words.len() < MINIMUM_WORDS {
            continue;
        }
        let key = words.join(" ");
        let trimmed_start = paragraph.span.start + (paragraph.prose.len() - paragraph.prose.trim_start().len());
        let span = Span::new(trimmed_start, trimmed_start + paragraph.prose.trim().len());
        match first_seen.get(&key) {
            Some(first) => {
                let line = context.text[..first.start].matches('\n').count() + 1;
                diagnostics.push(Diagnostic {
                    code: RULE.code,
                    severity: RULE.default_severity,
                    span,
                    message: format!(
                        "this paragraph (\"{}\") repeats the one on line {line} word for word",
                        crate::snapshot::shorten(&key, 50)
                    ),
                    related: vec![RelatedSpan { span: *first, message: String::from("first copy of the paragraph") }],
                    fixes: vec![Fix {
                        title: String::from("Delete the duplicate paragraph"),
                        edits: vec![delete_paragraph(context.text, paragraph.span)],
                        preferred: true,
                    }],
                });
            }
            None => {
                first_seen.insert(key, span);
            }
        }
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
