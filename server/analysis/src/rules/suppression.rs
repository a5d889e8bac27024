//! Inline suppression comments, and the quick fixes that write them.
//!
//! In Markdown the directives are HTML comments; in plain text they are lines
//! of their own starting with `#` (or `//`), which the document layout already
//! keeps out of the prose:
//!
//! ```text
//! <!-- copydesk-disable vague-source -->        # copydesk-disable vague-source
//! <!-- copydesk-enable vague-source -->         # copydesk-enable vague-source
//! <!-- copydesk-disable-next-line -->           # copydesk-disable-next-line title-case
//! <!-- copydesk-disable-file duplicate-paragraph -->
//! ```
//!
//! Without a rule code a directive applies to every rule; several codes may be
//! given, separated by spaces or commas. `disable` lasts until a matching
//! `enable` or the end of the draft; `disable-next-line` covers the next
//! paragraph (in plain text, the next line; in Markdown, the paragraph that
//! starts after the comment); `disable-file` covers the whole draft wherever it
//! is written.

use crate::document::{DocumentKind, DocumentLayout, ParagraphKind};
use crate::model::{Diagnostic, Fix, Span, TextEdit};

/// What one directive does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Disable,
    Enable,
    DisableNextLine,
    DisableFile,
}

#[derive(Debug, Clone)]
struct Directive {
    action: Action,
    /// Rule codes; empty means every rule.
    codes: Vec<String>,
    /// Where the directive takes effect: its end for regions, the covered
    /// paragraph for next-line.
    span: Span,
}

impl Directive {
    fn applies_to(&self, code: &str) -> bool {
        self.codes.is_empty() || self.codes.iter().any(|listed| listed == code)
    }
}

/// The suppression directives of one draft.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    directives: Vec<Directive>,
}

/// Reads a directive out of a comment's text, or `None` when the comment is not one.
fn parse_directive(comment: &str) -> Option<(Action, Vec<String>)> {
    let inner = comment.trim();
    let inner = inner.strip_prefix("<!--").map_or(inner, |rest| rest.strip_suffix("-->").unwrap_or(rest));
    let inner = inner.trim();
    let inner = inner.strip_prefix('#').or_else(|| inner.strip_prefix("//")).unwrap_or(inner).trim();
    let (word, rest) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    let action = match word {
        "copydesk-disable" => Action::Disable,
        "copydesk-enable" => Action::Enable,
        "copydesk-disable-next-line" => Action::DisableNextLine,
        "copydesk-disable-file" => Action::DisableFile,
        _ => return None,
    };
    // Anything after `--` is a free-text reason, as in ESLint.
    let codes_part = rest.split(" -- ").next().unwrap_or("");
    let codes = codes_part
        .split(|character: char| character.is_whitespace() || character == ',')
        .filter(|code| !code.is_empty())
        .map(str::to_owned)
        .collect();
    Some((action, codes))
}

impl Suppressions {
    pub fn parse(text: &crate::tracked_text::TrackedText<'_>, layout: &DocumentLayout) -> Suppressions {
        let mut directives = Vec::new();
        for comment in &layout.comments {
            let Some(comment_text) = text.get(comment.start..comment.end) else { continue };
            let Some((action, codes)) = parse_directive(comment_text) else { continue };
            let span = match action {
                Action::Disable | Action::Enable => Span::new(comment.end, comment.end),
                Action::DisableFile => Span::new(0, text.len()),
                Action::DisableNextLine => {
                    let Some(next) = layout.paragraphs.iter().find(|paragraph| paragraph.span.start >= comment.end)
                    else {
                        continue;
                    };
                    Span::new(comment.end, next.span.end)
                }
            };
            directives.push(Directive { action, codes, span });
        }
        Suppressions { directives }
    }

    /// Whether a diagnostic of rule `code` starting at `offset` is silenced.
    pub fn silences(&self, code: &str, offset: usize) -> bool {
        let mut disabled = false;
        for directive in self.directives.iter().filter(|directive| directive.applies_to(code)) {
            match directive.action {
                Action::DisableFile | Action::DisableNextLine if directive.span.touches_offset(offset) => return true,
                Action::Disable if directive.span.start <= offset => disabled = true,
                Action::Enable if directive.span.start <= offset => disabled = false,
                _ => {}
            }
        }
        disabled
    }
}

/// Writes the "Ignore this rule here" and "in this file" fixes of diagnostics.
///
/// The rules do not attach these fixes to their diagnostics (they would be
/// formatted for every diagnostic on every keystroke); whoever offers fixes
/// (the language server's code actions) asks for them. What the fixes need
/// from the whole draft (its line break, its kind, its paragraphs) is read
/// once, so each diagnostic costs a binary search.
#[derive(Debug)]
pub struct SuppressionFixer<'a> {
    text: &'a str,
    layout: &'a DocumentLayout,
    /// The line break the draft already uses, so inserted lines match it.
    newline: &'static str,
}

impl<'a> SuppressionFixer<'a> {
    pub fn new(text: &'a str, layout: &'a DocumentLayout) -> SuppressionFixer<'a> {
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        SuppressionFixer { text, layout, newline }
    }

    /// The suppression fixes for `diagnostic`.
    pub fn fixes(&self, diagnostic: &Diagnostic) -> Vec<Fix> {
        let text = self.text;
        let newline = self.newline;
        let markdown = self.layout.kind == DocumentKind::Markdown;
        let directive = |action: &str| {
            if markdown {
                format!("<!-- copydesk-{action} {} -->", diagnostic.code)
            } else {
                format!("# copydesk-{action} {}", diagnostic.code)
            }
        };
        let mut fixes = Vec::new();
        if let Some(paragraph) = crate::rules::text::paragraph_at(self.layout, diagnostic.span.start) {
            // In plain text a directive line above the wire header would hide the
            // header, so the line fix is not offered there.
            let header = matches!(paragraph.kind, ParagraphKind::Outlet | ParagraphKind::Tags)
                || (!markdown && paragraph.kind == ParagraphKind::Headline);
            if !header {
                let line_start = text[..paragraph.span.start].rfind(['\n', '\r']).map_or(0, |index| index + 1);
                fixes.push(Fix {
                    title: format!("Ignore {} for this paragraph", diagnostic.code),
                    edits: vec![TextEdit {
                        span: Span::new(line_start, line_start),
                        new_text: format!("{}{newline}", directive("disable-next-line")),
                    }],
                    preferred: false,
                });
            }
        }
        let needs_break = !text.is_empty() && !text.ends_with(['\n', '\r']);
        fixes.push(Fix {
            title: format!("Ignore {} in this file", diagnostic.code),
            edits: vec![TextEdit {
                span: Span::new(text.len(), text.len()),
                new_text: format!("{}{}{newline}", if needs_break { newline } else { "" }, directive("disable-file")),
            }],
            preferred: false,
        });
        fixes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// Codes of the unbalanced-quote diagnostics left, with the text they flag.
    fn flagged(text: &str, kind: DocumentKind) -> Vec<String> {
        crate::analyze(text, kind, &Config::default())
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.code == "unbalanced-quote")
            .map(|diagnostic| format!("{} {:?}", diagnostic.code, &text[diagnostic.span.start..diagnostic.span.end]))
            .collect()
    }

    #[test]
    fn directives_parse() {
        assert_eq!(
            parse_directive("<!-- copydesk-disable a-rule, b-rule -- reason here -->"),
            Some((Action::Disable, vec![String::from("a-rule"), String::from("b-rule")]))
        );
        assert_eq!(parse_directive("# copydesk-disable-next-line"), Some((Action::DisableNextLine, vec![])));
        assert_eq!(parse_directive("<!-- a normal comment -->"), None);
    }

    #[test]
    fn markdown_regions_and_next_line() {
        let text = "One said yes,\" he said.\n\n<!-- copydesk-disable unbalanced-quote -->\nTwo said yes,\" he said.\n\n<!-- copydesk-enable unbalanced-quote -->\n\nThree said yes,\" he said.\n\n<!-- copydesk-disable-next-line -->\nFour said yes,\" he said.\n\nFive said yes,\" he said.\n";
        let left: Vec<String> = flagged(text, DocumentKind::Markdown);
        assert_eq!(left.len(), 3, "{left:?}");
        assert!(left.iter().all(|entry| entry.starts_with("unbalanced-quote")));
        let starts: Vec<usize> = crate::analyze(text, DocumentKind::Markdown, &Config::default())
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.code == "unbalanced-quote")
            .map(|diagnostic| diagnostic.span.start)
            .collect();
        let lines: Vec<&str> = starts.iter().map(|start| &text[*start..]).collect();
        assert!(
            lines[0].starts_with("One") && lines[1].starts_with("Three") && lines[2].starts_with("Five"),
            "{lines:?}"
        );
    }

    #[test]
    fn plain_text_directive_lines_and_file_scope() {
        let text = "One said yes,\" he said.\n# copydesk-disable-next-line unbalanced-quote\nTwo said yes,\" he said.\nThree said yes,\" he said.\n";
        assert_eq!(flagged(text, DocumentKind::PlainText).len(), 2);
        let other_rule =
            "One said yes,\" he said.\n# copydesk-disable-next-line title-case\nTwo said yes,\" he said.\n";
        assert_eq!(flagged(other_rule, DocumentKind::PlainText).len(), 2);
        let whole_file =
            "One said yes,\" he said.\nTwo said yes,\" he said.\n# copydesk-disable-file unbalanced-quote\n";
        assert!(flagged(whole_file, DocumentKind::PlainText).is_empty());
    }

    #[test]
    fn suppression_fixes_silence_the_diagnostic() {
        for (text, kind) in [
            ("First line is fine.\nTwo said yes,\" he said.", DocumentKind::PlainText),
            ("# Head\n\nTwo said yes,\" he said.\r\n", DocumentKind::Markdown),
        ] {
            let analysis = crate::analyze(text, kind, &Config::default());
            let diagnostic =
                analysis.diagnostics.iter().find(|diagnostic| diagnostic.code == "unbalanced-quote").expect("flagged");
            assert!(!diagnostic.fixes.iter().any(|fix| fix.title.starts_with("Ignore")), "attached only when asked");
            let layout = crate::document::layout(text, kind);
            let fixes = SuppressionFixer::new(text, &layout).fixes(diagnostic);
            assert_eq!(fixes.len(), 2, "{fixes:?}");
            for fix in fixes {
                let mut fixed = text.to_owned();
                let edit = &fix.edits[0];
                fixed.replace_range(edit.span.start..edit.span.end, &edit.new_text);
                assert!(
                    !crate::analyze(&fixed, kind, &Config::default())
                        .diagnostics
                        .iter()
                        .any(|other| other.code == diagnostic.code),
                    "{} did not silence:\n{fixed}",
                    fix.title
                );
            }
        }
    }
}
