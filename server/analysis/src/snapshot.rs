//! A readable text rendering of an analysis, for golden tests and for people.
//!
//! Each line of the draft is printed with its line number, and under it one
//! annotation line per span that starts on it, with carets under the span:
//!
//! ```text
//!    3 | Chinese Premier Li Keqiang said on Friday.
//!      | ^^^^^^^^^^^^^^^ title of e0 Li Keqiang
//!      |                 ^^^^^^^^^^ e0 person full
//! ```
//!
//! Columns count characters, so the carets line up for any script in a
//! monospaced font that gives each character one cell.

use std::fmt::Write as _;

use crate::document::line_spans;
use crate::model::{Analysis, Span};

struct Annotation {
    span: Span,
    label: String,
}

/// Renders `analysis` of `text`: a summary of entities and quotes, then the
/// annotated text.
pub fn render(text: &str, analysis: &Analysis) -> String {
    let mut out = String::new();
    let name_of =
        |id: &str| analysis.entity(id).map_or_else(|| id.to_owned(), |entity| format!("{id} {}", entity.name));

    out.push_str("== entities\n");
    for entity in &analysis.entities {
        let order = match (&entity.family_name, entity.family_name_first) {
            (Some(family), true) => format!(" [family name first: {family}]"),
            (Some(family), false) => format!(" [family name: {family}]"),
            (None, _) => String::new(),
        };
        let _ = writeln!(out, "{} {:?} {:?}{order}", entity.id, entity.kind, entity.name);
        for title in &entity.titles {
            let _ = writeln!(out, "    title {:?} ({})", title.text, title.normalized);
        }
        if let Some(expansion) = &entity.expansion {
            let _ = writeln!(out, "    expansion {expansion:?}");
        }
        let mentions: Vec<String> =
            entity.mentions.iter().map(|mention| format!("{:?} {:?}", mention.text, mention.form)).collect();
        let _ = writeln!(out, "    mentions: {}", mentions.join(", "));
        if !entity.statements.is_empty() {
            let _ = writeln!(out, "    statements: {:?}", entity.statements);
        }
    }
    if !analysis.ambiguous_mentions.is_empty() {
        out.push_str("== ambiguous\n");
        for ambiguous in &analysis.ambiguous_mentions {
            let candidates: Vec<String> = ambiguous.candidates.iter().map(|id| name_of(id)).collect();
            let _ = writeln!(out, "{:?} could be: {}", ambiguous.text, candidates.join("; "));
        }
    }
    if !analysis.quotes.is_empty() {
        out.push_str("== quotes\n");
        for (index, quote) in analysis.quotes.iter().enumerate() {
            let speaker = quote.speaker.as_deref().map_or_else(|| "-".to_owned(), name_of);
            let cue = quote.cue.as_ref().map_or("-", |cue| cue.text.as_str());
            let source = quote.source_mention.as_ref().map_or("-", |source| source.text.as_str());
            let via: Vec<String> = quote.via.iter().map(|id| name_of(id)).collect();
            let _ = writeln!(
                out,
                "q{index} {} {:?}\n    cue {cue:?} source {source:?} speaker {speaker} kind {:?}{}{}",
                if quote.direct { "direct" } else { "reported" },
                shorten(&quote.text, 70),
                quote.source_kind,
                if via.is_empty() { String::new() } else { format!(" via {}", via.join(", ")) },
                if quote.floating { " (floating)" } else { "" },
            );
        }
    }

    let mut annotations: Vec<Annotation> = Vec::new();
    for entity in &analysis.entities {
        for title in &entity.titles {
            annotations.push(Annotation { span: title.span, label: format!("title of {}", name_of(&entity.id)) });
        }
        for mention in &entity.mentions {
            annotations.push(Annotation {
                span: mention.span,
                label: format!("{} {:?} {:?}", entity.id, entity.kind, mention.form).to_lowercase(),
            });
        }
    }
    for ambiguous in &analysis.ambiguous_mentions {
        annotations
            .push(Annotation { span: ambiguous.span, label: format!("ambiguous: {}", ambiguous.candidates.join("|")) });
    }
    for (index, quote) in analysis.quotes.iter().enumerate() {
        annotations.push(Annotation {
            span: quote.span,
            label: format!("q{index} {}", if quote.direct { "quote" } else { "reported" }),
        });
        if let Some(cue) = &quote.cue {
            annotations.push(Annotation { span: cue.span, label: format!("q{index} cue") });
        }
        if let Some(source) = &quote.source_mention {
            annotations.push(Annotation { span: source.span, label: format!("q{index} source") });
        }
    }
    for diagnostic in &analysis.diagnostics {
        annotations.push(Annotation {
            span: diagnostic.span,
            label: format!("{:?} {}: {}", diagnostic.severity, diagnostic.code, diagnostic.message)
                .to_lowercase_first(),
        });
    }
    annotations.sort_by_key(|annotation| (annotation.span.start, annotation.span.end));

    out.push_str("== text\n");
    let mut next = 0;
    for (line_number, line) in line_spans(text).enumerate() {
        let line_text = &text[line.start..line.end];
        let _ = writeln!(out, "{:>4} | {}", line_number + 1, line_text);
        while next < annotations.len() && annotations[next].span.start <= line.end {
            let annotation = &annotations[next];
            next += 1;
            let column = text[line.start..annotation.span.start.max(line.start)].chars().count();
            let end_on_line = annotation.span.end.min(line.end).max(annotation.span.start);
            let width = text[annotation.span.start.min(end_on_line)..end_on_line].chars().count().max(1);
            let continues = if annotation.span.end > line.end { "…" } else { "" };
            let _ = writeln!(out, "     | {}{}{continues} {}", " ".repeat(column), "^".repeat(width), annotation.label);
        }
    }
    out
}

trait LowercaseFirst {
    fn to_lowercase_first(self) -> String;
}

impl LowercaseFirst for String {
    fn to_lowercase_first(self) -> String {
        let mut characters = self.chars();
        match characters.next() {
            Some(first) => first.to_lowercase().chain(characters).collect(),
            None => self,
        }
    }
}

/// Shortens `text` to at most `limit` characters, with an ellipsis in the middle.
pub fn shorten(text: &str, limit: usize) -> String {
    let count = text.chars().count();
    if count <= limit {
        return text.to_owned();
    }
    let half = limit.saturating_sub(1) / 2;
    let head: String = text.chars().take(half).collect();
    let tail: String = text.chars().skip(count - half).collect();
    format!("{head}…{tail}")
}
