//! `paragraph-too-long`: a paragraph too long to analyse.
//!
//! The layout blanks the prose view of any paragraph over
//! [`MAX_ANALYSED_PARAGRAPH_BYTES`] so that a pasted data dump or minified file
//! cannot freeze the editor. This rule says so, instead of leaving the writer
//! to wonder why a stretch of the draft gets no hovers or warnings.

use crate::document::MAX_ANALYSED_PARAGRAPH_BYTES;
use crate::model::{Diagnostic, Severity, Span};
use crate::rules::{DocumentPart, KindReads, Reads, Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "paragraph-too-long",
    default_severity: Severity::Information,
    summary: "A paragraph too long to analyse (over 64 KiB).",
    check_paragraph: None,
    check: DocumentPart::Whole(check),
    // The oversized paragraphs' spans alone, whatever their kind.
    reads: Reads { paragraph_kinds: KindReads::Never, ..Reads::NOTHING },
};

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for span in &context.layout.oversized {
        // Point at the paragraph's first word rather than underlining megabytes.
        let text = &context.text[span.start..span.end];
        let first_word = text.find(char::is_whitespace).unwrap_or(text.len()).clamp(1, 80);
        let end = (span.start + first_word).min(span.end);
        let mut end = end;
        while !context.text.is_char_boundary(end) {
            end -= 1;
        }
        diagnostics.push(Diagnostic {
            code: RULE.code,
            severity: RULE.default_severity,
            span: Span::new(span.start, end.max(span.start)),
            message: format!(
                "this paragraph is {} KiB long, more than the {} KiB Copydesk analyses; it gets no warnings, hovers or references",
                span.len() / 1024,
                MAX_ANALYSED_PARAGRAPH_BYTES / 1024
            ),
            related: Vec::new(),
            fixes: Vec::new(),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::document::{DocumentKind, MAX_ANALYSED_PARAGRAPH_BYTES};
    use crate::{Config, analyze};

    #[test]
    fn an_oversized_paragraph_is_reported_once_and_not_analysed() {
        let long_line = "Mayor Ann Lee said \"yes\" ".repeat(MAX_ANALYSED_PARAGRAPH_BYTES / 20);
        let text = format!("Headline\nMayor Ann Lee said on Monday that the pier would reopen.\n{long_line}\n");
        let analysis = analyze(&text, DocumentKind::PlainText, &Config::default());
        let reported: Vec<_> =
            analysis.diagnostics.iter().filter(|diagnostic| diagnostic.code == "paragraph-too-long").collect();
        assert_eq!(reported.len(), 1);
        assert!(reported[0].message.contains("KiB"));
        let long_start = text.find(&long_line).unwrap();
        assert!(
            analysis.entities.iter().flat_map(|entity| &entity.mentions).all(|mention| mention.span.start < long_start)
        );
        assert!(analysis.quotes.iter().all(|quote| quote.span.start < long_start));
    }

    #[test]
    fn ordinary_paragraphs_are_quiet() {
        let analysis = analyze("Headline\nThe pier reopened on Monday.\n", DocumentKind::PlainText, &Config::default());
        assert!(analysis.diagnostics.iter().all(|diagnostic| diagnostic.code != "paragraph-too-long"));
    }
}
