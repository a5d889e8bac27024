//! The JSON output of `copydesk analyze --format json` (see `docs/analyze-json.md`).
//!
//! The core speaks byte offsets; this output promises Unicode code-point
//! offsets (half-open), converted through one `CodePointIndex` per document.

use copydesk_analysis::offsets::CodePointIndex;
use copydesk_analysis::{Analysis, Diagnostic, Span, TextSpan};
use serde_json::{Value, json};

/// Converts spans of one text to code-point offsets.
#[derive(Debug)]
pub struct Offsets<'a> {
    index: CodePointIndex<'a>,
}

impl<'a> Offsets<'a> {
    pub fn new(text: &'a str) -> Offsets<'a> {
        Offsets { index: CodePointIndex::new(text) }
    }

    pub fn point(&self, byte: usize) -> usize {
        self.index.code_point(byte)
    }

    /// Adds `"start"` and `"end"` (code points) to `object`.
    fn with_span(&self, mut object: Value, span: Span) -> Value {
        object["start"] = json!(self.point(span.start));
        object["end"] = json!(self.point(span.end));
        object
    }

    fn text_span(&self, text_span: Option<&TextSpan>) -> Value {
        match text_span {
            Some(text_span) => self.with_span(json!({ "text": text_span.text }), text_span.span),
            None => Value::Null,
        }
    }

    /// One diagnostic, with its related spans.
    pub fn diagnostic(&self, diagnostic: &Diagnostic) -> Value {
        let related: Vec<Value> = diagnostic
            .related
            .iter()
            .map(|related| self.with_span(json!({ "message": related.message }), related.span))
            .collect();
        self.with_span(
            json!({
                "code": diagnostic.code,
                "severity": diagnostic.severity,
                "message": diagnostic.message,
                "related": related,
            }),
            diagnostic.span,
        )
    }
}

/// The whole analysis as the documented JSON object.
pub fn analysis_to_json(text: &str, analysis: &Analysis) -> Value {
    let offsets = Offsets::new(text);
    let entities: Vec<Value> = analysis
        .entities
        .iter()
        .map(|entity| {
            let titles: Vec<Value> = entity
                .titles
                .iter()
                .map(|title| {
                    offsets.with_span(json!({ "text": title.text, "normalized": title.normalized }), title.span)
                })
                .collect();
            let mentions: Vec<Value> = entity
                .mentions
                .iter()
                .map(|mention| offsets.with_span(json!({ "text": mention.text, "form": mention.form }), mention.span))
                .collect();
            json!({
                "id": entity.id,
                "kind": entity.kind,
                "name": entity.name,
                "family_name": entity.family_name,
                "family_name_first": entity.family_name_first,
                "titles": titles,
                "mentions": mentions,
                "expansion": entity.expansion,
                "statements": entity.statements,
            })
        })
        .collect();
    let ambiguous: Vec<Value> = analysis
        .ambiguous_mentions
        .iter()
        .map(|mention| {
            offsets.with_span(json!({ "text": mention.text, "candidates": mention.candidates }), mention.span)
        })
        .collect();
    let quotes: Vec<Value> = analysis
        .quotes
        .iter()
        .map(|quote| {
            offsets.with_span(
                json!({
                    "text": quote.text,
                    "direct": quote.direct,
                    "cue": offsets.text_span(quote.cue.as_ref()),
                    "source_mention": offsets.text_span(quote.source_mention.as_ref()),
                    "speaker": quote.speaker,
                    "source_kind": quote.source_kind,
                    "via": quote.via,
                    "floating": quote.floating,
                    "continues": quote.continues,
                    "content": offsets.with_span(json!({}), quote.content),
                }),
                quote.span,
            )
        })
        .collect();
    let diagnostics: Vec<Value> =
        analysis.diagnostics.iter().map(|diagnostic| offsets.diagnostic(diagnostic)).collect();
    json!({
        "entities": entities,
        "ambiguous_mentions": ambiguous,
        "quotes": quotes,
        "diagnostics": diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use copydesk_analysis::{Fix, RelatedSpan, Severity};

    #[test]
    fn offsets_are_code_points() {
        let text = "😀 é \"x";
        let offsets = Offsets::new(text);
        let diagnostic = Diagnostic {
            code: "unbalanced-quote",
            severity: Severity::Warning,
            span: Span::new(text.find('"').unwrap_or(0), text.len()),
            message: "m".to_owned(),
            related: vec![RelatedSpan { span: Span::new(0, 4), message: "r".to_owned() }],
            fixes: Vec::<Fix>::new(),
        };
        let value = offsets.diagnostic(&diagnostic);
        assert_eq!(
            value,
            json!({"code":"unbalanced-quote","severity":"warning","message":"m","start":4,"end":6,
                   "related":[{"message":"r","start":0,"end":1}]})
        );
    }
}
