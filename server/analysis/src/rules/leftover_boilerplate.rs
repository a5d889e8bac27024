//! `leftover-boilerplate`: web or CMS debris left in a draft on a line of its own.
//!
//! Text pasted from a web page brings "Read more:" link headers, "Click here"
//! prompts, share and subscribe buttons, advertisement markers and orphan photo
//! credits ("Photo: Getty Images", "/Agency Photo" alone on a line). They are
//! only reported when they stand as a paragraph of their own, so a sentence
//! that merely contains "click here" is left alone. Extra phrases can be
//! added in the stylebook (`[rules.leftover-boilerplate] phrases = [...]`).

use crate::document::ParagraphKind;
use crate::model::{Diagnostic, Fix, Severity};
use crate::rules::text::delete_paragraph;
use crate::rules::{DocumentPart, Fact, KindReads, Reads, Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "leftover-boilerplate",
    default_severity: Severity::Warning,
    summary: "Web or CMS debris (\"Read more:\", \"Click here\", an orphan photo credit) on a line of its own.",
    check_paragraph: None,
    check: DocumentPart::Whole(check),
    reads: Reads {
        linking: false,
        quotes: false,
        facts: &[Fact::Boilerplate],
        paragraph_order: true,
        paragraph_kinds: KindReads::HeaderLines,
        quote_additions: false,
    },
};

/// Whole-paragraph forms, compared after lowercasing and trimming trailing
/// punctuation and arrows.
const EXACT: &[&str] = &[
    "read more",
    "read more here",
    "related",
    "related stories",
    "related articles",
    "related content",
    "see also",
    "also read",
    "also see",
    "more",
    "more on this story",
    "watch",
    "watch video",
    "listen",
    "advertisement",
    "advertising",
    "sponsored",
    "sponsored content",
    "story continues below",
    "story continues below advertisement",
    "article continues below",
    "continue reading",
    "continue reading below",
    "scroll to continue",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share on facebook",
    "share on twitter",
    "tweet",
    "email",
    "print",
    "comments",
    "loading",
    "top stories",
    "most read",
    "trending",
    "recommended",
    "you may also like",
    "more from this section",
    "back to top",
];

/// Prefixes of whole-paragraph debris ("Read more: Ministers meet ...", "Click here to ...").
const PREFIXES: &[&str] = &[
    "read more:",
    "related:",
    "see also:",
    "also read:",
    "watch:",
    "listen:",
    "click here",
    "tap here",
    "subscribe to",
    "subscribe now",
    "sign up for",
    "sign up to",
    "follow us on",
    "download our app",
    "download the app",
    "image copyright",
    "image caption",
    "image source",
    "photo:",
    "photo credit",
    "photograph:",
    "file photo",
    "(photo:",
    "(photo by",
    "getty images",
    "media caption",
];

/// A photo credit standing alone: "/VCG Photo", "Photo / Reuters", "(AP Photo)".
fn is_orphan_credit(line: &str) -> bool {
    let word_count = line.split_whitespace().take(6).count();
    if word_count == 0 || word_count > 5 {
        return false;
    }
    let lower = line.to_lowercase();
    let credit_word = lower.contains("photo") || lower.contains("image") || lower.contains("picture");
    let starts_like_credit = line.starts_with('/') || line.starts_with('(') || line.starts_with('©');
    credit_word && (starts_like_credit || lower.ends_with("photo") || lower.ends_with("photos"))
        || line.starts_with('©')
}

/// A line that starts like web-page debris ("Read more: ...", "Click here ...");
/// `lower` is the lowercased start of the line (at least as long as any prefix).
fn prefix_debris(line: &str, lower: &str, extra: &[String]) -> Option<&'static str> {
    if PREFIXES.iter().any(|prefix| lower.starts_with(prefix))
        || extra.iter().any(|phrase| phrase.ends_with(':') && lower.starts_with(&phrase.to_lowercase()))
    {
        // "Click here ..." prompts are short; a long paragraph starting with
        // "Photo:" may be a real caption, but a "Read more:" header never is prose.
        let short = line.split_whitespace().nth(16).is_none();
        if lower.starts_with("read more:") || lower.starts_with("related:") || short {
            return Some("web page debris");
        }
    }
    None
}

/// Why a paragraph is debris, or `None`.
pub fn boilerplate_kind(paragraph: &str, extra: &[String]) -> Option<&'static str> {
    let line = paragraph.trim();
    if line.is_empty() {
        return None;
    }
    // Debris is a short line or starts with one of the prefixes; a long
    // paragraph needs only its start lowercased, which keeps this rule from
    // lowercasing every paragraph of the draft on every keystroke.
    let longest_form = extra.iter().map(String::len).max().unwrap_or(0).max(48);
    if extra.is_empty() && line.len() > longest_form {
        // The common case, a paragraph of prose: compare its start with the
        // prefixes without lowercasing anything.
        let starts_like_debris = PREFIXES.iter().any(|prefix| {
            line.as_bytes().get(..prefix.len()).is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
        });
        if !starts_like_debris {
            return is_orphan_credit(line).then_some("a photo credit with no caption");
        }
    }
    let head = if line.len() > longest_form {
        let mut end = longest_form;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        &line[..end]
    } else {
        line
    };
    let lower = head.to_lowercase();
    if head.len() < line.len() {
        // Too long to be a whole-line form; only the prefixes can match.
        return prefix_debris(line, &lower, extra)
            .or_else(|| is_orphan_credit(line).then_some("a photo credit with no caption"));
    }
    let bare = lower.trim_end_matches(|character: char| {
        matches!(character, ':' | '.' | '…' | '>' | '»' | '›' | '→' | '|' | '-' | ' ')
    });
    if EXACT.contains(&bare) || extra.iter().any(|phrase| phrase.to_lowercase() == bare) {
        return Some("a link or button label from a web page");
    }
    if let Some(reason) = prefix_debris(line, &lower, extra) {
        return Some(reason);
    }
    if is_orphan_credit(line) {
        return Some("a photo credit with no caption");
    }
    None
}

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let extra: &[String] = context.config.rule_table(RULE.code).map_or(&[], |table| table.phrases.as_slice());
    for (paragraph, view) in context.layout.paragraphs.iter().zip(context.paragraphs) {
        if matches!(paragraph.kind, ParagraphKind::Tags | ParagraphKind::Outlet) {
            continue;
        }
        // The per-paragraph stage already checked the built-in lists.
        let found = if extra.is_empty() {
            view.analysis.rule_facts.boilerplate
        } else {
            context.text.record(paragraph.span.start, paragraph.span.end);
            boilerplate_kind(&paragraph.prose, extra)
        };
        let Some(reason) = found else { continue };
        context.text.record(paragraph.span.start, paragraph.span.end);
        let shown = paragraph.prose.trim();
        let start = paragraph.span.start + (paragraph.prose.len() - paragraph.prose.trim_start().len());
        diagnostics.push(Diagnostic {
            code: RULE.code,
            severity: RULE.default_severity,
            span: crate::model::Span::new(start, start + shown.len()),
            message: format!("\"{}\" looks like {reason} left in the draft", crate::snapshot::shorten(shown, 60)),
            related: Vec::new(),
            fixes: vec![Fix {
                title: String::from("Delete this line"),
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
    fn debris_lines_are_flagged_and_deleted() {
        check(
            "leftover-boilerplate",
            "Bridge reopens after repairs\nThe bridge reopened on Monday.\nRead more:\nClick here to subscribe to our newsletter\n/Agency Photo\nTraffic was light.",
            r#"
Warning "Read more:": "Read more:" looks like a link or button label from a web page left in the draft
  fix "Delete this line" (preferred) -> "Bridge reopens after repairs\nThe bridge reopened on Monday.\nClick here to subscribe to our newsletter\n/Agency Photo\nTraffic was light."
Warning "Click here to subscribe to our newsletter": "Click here to subscribe to our newsletter" looks like web page debris left in the draft
  fix "Delete this line" (preferred) -> "Bridge reopens after repairs\nThe bridge reopened on Monday.\nRead more:\n/Agency Photo\nTraffic was light."
Warning "/Agency Photo": "/Agency Photo" looks like a photo credit with no caption left in the draft
  fix "Delete this line" (preferred) -> "Bridge reopens after repairs\nThe bridge reopened on Monday.\nRead more:\nClick here to subscribe to our newsletter\nTraffic was light."
"#,
        );
    }

    #[test]
    fn prose_mentioning_the_phrases_is_quiet() {
        check(
            "leftover-boilerplate",
            "Bridge reopens after repairs\nVisitors who click here and there on the council site find little.\nThe photo exhibition on the pier, which opened on Monday, drew many visitors.\nA caption under the photo read: the old pier in 1920. /Agency Photo",
            "",
        );
    }
}
