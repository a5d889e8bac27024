//! Core diagnostics to LSP diagnostics: as `ls_types` structs (pull
//! diagnostics, code actions) and, for the notification sent on every
//! keystroke, serialised straight to the `publishDiagnostics` JSON.
//!
//! Both give the same JSON (a test checks it). The direct path borrows the
//! core's strings instead of copying them into `ls_types::Diagnostic`s and
//! skips tower-lsp-server's intermediate `serde_json::Value` tree (see
//! `output.rs`), which were most of the server's cost per keystroke.
//!
//! The worker goes one step further ([`publish_body_reusing`]): a keystroke
//! changes one paragraph, so nearly every diagnostic of the next
//! notification is the same as in the last one, at the same position. Each
//! document keeps the JSON of its last notification's diagnostics
//! ([`DiagnosticJsonCache`]) and copies the JSON of every diagnostic that is
//! equal (range, severity, code, message, related ranges and messages)
//! instead of serialising it again. The bytes are the same as
//! [`publish_body`]'s (a test checks it). When the worker knows how the text
//! changed since that notification ([`TextChange`]), a diagnostic whose
//! spans all lie where positions cannot have moved is matched on its byte
//! spans, without converting them to positions at all.

use copydesk_analysis::{Severity, Span};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range, Uri,
};

use super::output::FramedBody;
use super::state::AnalyzedSnapshot;

/// The `source` field of every Copydesk diagnostic.
pub const DIAGNOSTIC_SOURCE: &str = "copydesk";

/// The LSP severity of a core severity.
pub fn to_lsp_severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// Converts one core diagnostic of `snapshot` to LSP, with its rule code and
/// related spans (as locations in the same document).
pub fn to_lsp_diagnostic(snapshot: &AnalyzedSnapshot, diagnostic: &copydesk_analysis::Diagnostic) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .map(|related| DiagnosticRelatedInformation {
            location: Location { uri: snapshot.uri.clone(), range: snapshot.range_of(related.span) },
            message: related.message.clone(),
        })
        .collect();
    Diagnostic {
        range: snapshot.range_of(diagnostic.span),
        severity: Some(to_lsp_severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.to_owned())),
        code_description: None,
        source: Some(DIAGNOSTIC_SOURCE.to_owned()),
        message: diagnostic.message.clone(),
        related_information: if related.is_empty() { None } else { Some(related) },
        tags: None,
        data: None,
    }
}

/// Converts every diagnostic of `snapshot`, leaving out the ones whose range
/// contains `held_back` (the end of a word still being typed).
pub fn snapshot_diagnostics(snapshot: &AnalyzedSnapshot, held_back: Option<Position>) -> Vec<Diagnostic> {
    snapshot
        .analysis
        .analysis
        .diagnostics
        .iter()
        .filter(|diagnostic| !is_held_back(snapshot.range_of(diagnostic.span), held_back))
        .map(|diagnostic| to_lsp_diagnostic(snapshot, diagnostic))
        .collect()
}

/// Whether a diagnostic over `range` waits because the cursor of a word being typed is in it.
pub fn is_held_back(range: Range, held_back: Option<Position>) -> bool {
    held_back.is_some_and(|cursor| range.start <= cursor && cursor <= range.end)
}

/// The JSON body of the `textDocument/publishDiagnostics` notification for
/// `snapshot` (its version included), without the diagnostics held back at
/// `held_back`. Equal, as JSON, to what tower-lsp-server would send for
/// [`snapshot_diagnostics`].
pub fn publish_body(snapshot: &AnalyzedSnapshot, held_back: Option<Position>) -> Vec<u8> {
    let params = PublishParamsJson {
        uri: &snapshot.uri,
        diagnostics: DiagnosticsJson { snapshot, held_back },
        version: Some(snapshot.version),
    };
    notification_body(&params)
}

/// The JSON of each diagnostic of a document's last `publishDiagnostics`,
/// in the order published, for [`publish_body_reusing`]. Holds only the last
/// notification's diagnostics: it never grows beyond one copy of them.
#[derive(Debug, Default)]
pub struct DiagnosticJsonCache {
    published: Vec<CachedDiagnosticJson>,
    /// The version of the snapshot those diagnostics were published for.
    version: Option<i32>,
}

/// One diagnostic as it was published: what its JSON was written from, and the JSON.
#[derive(Debug)]
struct CachedDiagnosticJson {
    span: Span,
    range: Range,
    severity: Severity,
    code: &'static str,
    message: String,
    related: Vec<CachedRelated>,
    json: Vec<u8>,
}

/// One related span of a published diagnostic.
#[derive(Debug)]
struct CachedRelated {
    span: Span,
    range: Range,
    message: String,
}

impl CachedDiagnosticJson {
    /// Whether `diagnostic`, at `range` with its related spans at
    /// `related_ranges`, serialises to exactly this JSON (the URI, the
    /// other input, is the document's own for the cache's whole life).
    fn describes(&self, range: Range, diagnostic: &copydesk_analysis::Diagnostic, related_ranges: &[Range]) -> bool {
        self.range == range
            && self.same_fields(diagnostic)
            && self.related.iter().zip(related_ranges.iter().zip(&diagnostic.related)).all(
                |(cached, (related_range, related))| {
                    cached.range == *related_range && cached.message == related.message
                },
            )
    }

    /// Everything but the positions.
    fn same_fields(&self, diagnostic: &copydesk_analysis::Diagnostic) -> bool {
        self.severity == diagnostic.severity
            && self.code == diagnostic.code
            && self.message == diagnostic.message
            && self.related.len() == diagnostic.related.len()
    }
}

/// How the text of a snapshot differs from the text of the snapshot
/// analysed before it, as one replaced region: bytes before `start` are
/// unchanged, bytes from `old_end` on in the old text are the bytes from
/// `new_end` on in the new. Lets [`publish_body_reusing`] tell, from byte
/// offsets and a line search alone, which diagnostics kept their LSP
/// positions: counting the UTF-16 units of every diagnostic's line was most
/// of the cost of that notification on a long draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextChange {
    /// The version of the snapshot the change starts from.
    pub since: i32,
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
    /// How many lines the text gained (negative: lost).
    pub lines_added: isize,
}

impl TextChange {
    /// The span of the old text that `span` of the new text was, when the
    /// LSP positions of both its ends are the same in both texts: it ends
    /// before the change, or it starts on a line that starts after the
    /// change and no line was added or removed. `None` when that is not
    /// known.
    fn unmoved_source(&self, snapshot: &AnalyzedSnapshot, span: Span) -> Option<Span> {
        // The position of an offset depends on its line's bytes before it
        // and on the byte at it (inside a `\r\n` is the end of the line).
        if span.end < self.start && span.start <= span.end {
            return Some(span);
        }
        if self.lines_added != 0 || span.start <= self.new_end || span.end < span.start {
            return None;
        }
        // A line starting past the change starts past it in the old text too
        // (its line break is in the unchanged bytes), with the same bytes
        // up to the span and the same number of lines before it.
        if snapshot.lines.line_start_of(span.start) <= self.new_end {
            return None;
        }
        let shift = |offset: usize| offset - self.new_end + self.old_end;
        Some(Span::new(shift(span.start), shift(span.end)))
    }
}

/// How far past the expected place [`publish_body_reusing`] looks for a
/// diagnostic published last time: far enough to step over the few that a
/// keystroke removes.
const REUSE_LOOKAHEAD: usize = 8;

/// [`publish_body`] (framed in place: see [`FramedBody`]), copying the JSON
/// of every diagnostic already published identically (found in `cache`)
/// instead of serialising it again; `cache` then holds this notification's
/// diagnostics. Same bytes as [`publish_body`].
///
/// The core lists diagnostics in a stable order, and a keystroke adds,
/// removes or moves only the few of its paragraph, so the old and new lists
/// are walked side by side: each new diagnostic is compared with the next
/// old one (and a few after it, past removed ones), field by field. A
/// diagnostic found nowhere is serialised; nothing is ever reused on a hash
/// alone.
pub fn publish_body_reusing(
    snapshot: &AnalyzedSnapshot,
    held_back: Option<Position>,
    cache: &mut DiagnosticJsonCache,
) -> FramedBody {
    publish_body_after_change(snapshot, held_back, None, cache)
}

/// [`publish_body_reusing`], told by `change` how the text differs from the
/// one `cache` was published for (ignored when it starts from another
/// version): a diagnostic whose every span kept its position (see
/// [`TextChange`]) is then matched on its byte spans, without computing its
/// positions again.
pub fn publish_body_after_change(
    snapshot: &AnalyzedSnapshot,
    held_back: Option<Position>,
    change: Option<&TextChange>,
    cache: &mut DiagnosticJsonCache,
) -> FramedBody {
    let change = change.filter(|change| cache.version == Some(change.since));
    let mut previous = std::mem::take(&mut cache.published);
    cache.version = Some(snapshot.version);
    let diagnostics = &snapshot.analysis.analysis.diagnostics;
    cache.published.reserve(diagnostics.len());
    let mut body = FramedBody::with_capacity(previous.iter().map(|cached| cached.json.len() + 1).sum::<usize>() + 256);
    body.extend_from_slice(br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#);
    // Serialising a URI (a string) into a Vec cannot fail.
    let _ = serde_json::to_writer(body.writer(), &snapshot.uri);
    body.extend_from_slice(br#","diagnostics":["#);
    let mut related_ranges = Vec::new();
    let mut unmoved_related = Vec::new();
    // The next old diagnostic expected to come up again.
    let mut next_previous = 0;
    let mut first = true;
    for diagnostic in diagnostics {
        let window_end = previous.len().min(next_previous + REUSE_LOOKAHEAD);
        // First by byte spans, when every span kept its position.
        let mut found_unmoved = None;
        if let Some(change) = change {
            let source = change.unmoved_source(snapshot, diagnostic.span);
            unmoved_related.clear();
            unmoved_related
                .extend(diagnostic.related.iter().map_while(|related| change.unmoved_source(snapshot, related.span)));
            if let Some(source) = source.filter(|_| unmoved_related.len() == diagnostic.related.len()) {
                found_unmoved = (next_previous..window_end).find(|&index| {
                    let cached = &previous[index];
                    // An entry already reused has given its JSON away (empty).
                    !cached.json.is_empty()
                        && cached.span == source
                        && cached.same_fields(diagnostic)
                        && cached.related.iter().zip(unmoved_related.iter().zip(&diagnostic.related)).all(
                            |(cached, (source, related))| cached.span == *source && cached.message == related.message,
                        )
                });
            }
        }
        let range = match found_unmoved {
            Some(index) => previous[index].range,
            None => snapshot.range_of(diagnostic.span),
        };
        if is_held_back(range, held_back) {
            continue;
        }
        let found = found_unmoved.or_else(|| {
            related_ranges.clear();
            related_ranges.extend(diagnostic.related.iter().map(|related| snapshot.range_of(related.span)));
            (next_previous..window_end).find(|&index| {
                !previous[index].json.is_empty() && previous[index].describes(range, diagnostic, &related_ranges)
            })
        });
        let cached = match found {
            Some(index) => {
                next_previous = index + 1;
                let reused = &mut previous[index];
                let mut related = std::mem::take(&mut reused.related);
                for (cached, new) in related.iter_mut().zip(&diagnostic.related) {
                    cached.span = new.span;
                }
                CachedDiagnosticJson {
                    span: diagnostic.span,
                    range,
                    severity: reused.severity,
                    code: reused.code,
                    message: std::mem::take(&mut reused.message),
                    related,
                    json: std::mem::take(&mut reused.json),
                }
            }
            None => {
                related_ranges.clear();
                related_ranges.extend(diagnostic.related.iter().map(|related| snapshot.range_of(related.span)));
                let mut json = Vec::with_capacity(256 + diagnostic.message.len());
                // Serialising borrowed strings and numbers into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut json, &diagnostic_json(snapshot, range, diagnostic));
                CachedDiagnosticJson {
                    span: diagnostic.span,
                    range,
                    severity: diagnostic.severity,
                    code: diagnostic.code,
                    message: diagnostic.message.clone(),
                    related: related_ranges
                        .iter()
                        .zip(&diagnostic.related)
                        .map(|(related_range, related)| CachedRelated {
                            span: related.span,
                            range: *related_range,
                            message: related.message.clone(),
                        })
                        .collect(),
                    json,
                }
            }
        };
        if !first {
            body.push(b',');
        }
        first = false;
        body.extend_from_slice(&cached.json);
        cache.published.push(cached);
    }
    body.extend_from_slice(br#"],"version":"#);
    body.extend_from_slice(snapshot.version.to_string().as_bytes());
    body.extend_from_slice(b"}}");
    body
}

/// The JSON of a full pull-diagnostics report (`textDocument/diagnostic`'s
/// result) for `snapshot`, without the diagnostics held back at `held_back`:
/// the same JSON as tower-lsp-server would send for a
/// `RelatedFullDocumentDiagnosticReport` of [`snapshot_diagnostics`] (a test
/// checks it), written directly for the result stash (`output.rs`).
pub fn full_report_json(snapshot: &AnalyzedSnapshot, held_back: Option<Position>, result_id: &str) -> Vec<u8> {
    let report = FullReportJson { kind: "full", result_id, items: DiagnosticsJson { snapshot, held_back } };
    // Serialising borrowed strings and numbers into a Vec cannot fail.
    serde_json::to_vec(&report).unwrap_or_default()
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct FullReportJson<'a> {
    kind: &'static str,
    result_id: &'a str,
    items: DiagnosticsJson<'a>,
}

/// The JSON body of the notification that clears the diagnostics of `uri`.
pub fn clear_body(uri: &Uri) -> Vec<u8> {
    notification_body(&PublishParamsJson { uri, diagnostics: [(); 0], version: None })
}

fn notification_body<P: Serialize>(params: &P) -> Vec<u8> {
    let message = NotificationJson { jsonrpc: "2.0", method: "textDocument/publishDiagnostics", params };
    // Serialising borrowed strings and numbers into a Vec cannot fail.
    serde_json::to_vec(&message).unwrap_or_default()
}

#[derive(serde::Serialize)]
struct NotificationJson<'a, P> {
    jsonrpc: &'static str,
    method: &'static str,
    params: &'a P,
}

#[derive(serde::Serialize)]
struct PublishParamsJson<'a, D> {
    uri: &'a Uri,
    diagnostics: D,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<i32>,
}

/// Every diagnostic of a snapshot, converted while it is serialised.
struct DiagnosticsJson<'a> {
    snapshot: &'a AnalyzedSnapshot,
    held_back: Option<Position>,
}

impl Serialize for DiagnosticsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let snapshot = self.snapshot;
        let mut sequence = serializer.serialize_seq(None)?;
        for diagnostic in &snapshot.analysis.analysis.diagnostics {
            let range = snapshot.range_of(diagnostic.span);
            if is_held_back(range, self.held_back) {
                continue;
            }
            sequence.serialize_element(&diagnostic_json(snapshot, range, diagnostic))?;
        }
        sequence.end()
    }
}

/// What one diagnostic of `snapshot`, at `range`, serialises from.
fn diagnostic_json<'a>(
    snapshot: &'a AnalyzedSnapshot,
    range: Range,
    diagnostic: &'a copydesk_analysis::Diagnostic,
) -> DiagnosticJson<'a> {
    DiagnosticJson {
        range,
        severity: to_lsp_severity(diagnostic.severity),
        code: diagnostic.code,
        source: DIAGNOSTIC_SOURCE,
        message: &diagnostic.message,
        related_information: RelatedJson { snapshot, related: &diagnostic.related },
    }
}

/// The fields of `ls_types::Diagnostic` Copydesk fills, in its order and names.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct DiagnosticJson<'a> {
    range: Range,
    severity: DiagnosticSeverity,
    code: &'a str,
    source: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "RelatedJson::is_empty")]
    related_information: RelatedJson<'a>,
}

/// A diagnostic's related spans as `DiagnosticRelatedInformation`s.
struct RelatedJson<'a> {
    snapshot: &'a AnalyzedSnapshot,
    related: &'a [copydesk_analysis::RelatedSpan],
}

impl RelatedJson<'_> {
    fn is_empty(&self) -> bool {
        self.related.is_empty()
    }
}

impl Serialize for RelatedJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut sequence = serializer.serialize_seq(Some(self.related.len()))?;
        for related in self.related {
            sequence.serialize_element(&RelatedInformationJson {
                location: LocationJson { uri: &self.snapshot.uri, range: self.snapshot.range_of(related.span) },
                message: &related.message,
            })?;
        }
        sequence.end()
    }
}

#[derive(serde::Serialize)]
struct RelatedInformationJson<'a> {
    location: LocationJson<'a>,
    message: &'a str,
}

#[derive(serde::Serialize)]
struct LocationJson<'a> {
    uri: &'a Uri,
    range: Range,
}

#[cfg(test)]
mod tests {
    use tower_lsp_server::ls_types::PublishDiagnosticsParams;

    use super::*;
    use crate::lsp::positions::PositionEncoding;

    fn snapshot(text: &str, encoding: PositionEncoding) -> AnalyzedSnapshot {
        AnalyzedSnapshot::of_plain_text("file:///desk/draft%20one.txt", 7, text, encoding)
    }

    /// The direct JSON equals tower-lsp-server's JSON for the same diagnostics.
    fn check(text: &str, encoding: PositionEncoding, held_back: Option<Position>) {
        let snapshot = snapshot(text, encoding);
        let direct: serde_json::Value = serde_json::from_slice(&publish_body(&snapshot, held_back)).expect("JSON");
        let diagnostics = snapshot_diagnostics(&snapshot, held_back);
        let expected = serde_json::json!({
            "jsonrpc": "2.0",
            "method": "textDocument/publishDiagnostics",
            "params": PublishDiagnosticsParams::new(snapshot.uri, diagnostics, Some(7)),
        });
        assert_eq!(direct, expected);
    }

    #[test]
    fn direct_json_equals_the_ls_types_json() {
        let text = "Mayor Ana Lindqvist said the plan was \"final.\n\
                    Lindqvist said \"it is final\" on Monday. 😀 Ana Lindqvist said the council agreed.\r\n\
                    He said \"the money is there,\" a source said. The UN said so.\n";
        let snapshot = snapshot(text, PositionEncoding::Utf16);
        let count = snapshot.analysis.analysis.diagnostics.len();
        assert!(count >= 2, "the fixture should have diagnostics, has {count}");
        assert!(snapshot.analysis.analysis.diagnostics.iter().any(|diagnostic| !diagnostic.related.is_empty()));
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
            check(text, encoding, None);
        }
        let first = snapshot.range_of(snapshot.analysis.analysis.diagnostics[0].span);
        check(text, PositionEncoding::Utf16, Some(first.end));
        assert!(snapshot_diagnostics(&snapshot, Some(first.end)).len() < count);
    }

    #[test]
    fn reused_json_equals_fresh_json_while_editing() {
        let mut text = String::from(
            "Mayor Ana Lindqvist said the plan was \"final.\n\
             Lindqvist said \"it is final\" on Monday. 😀 Ana Lindqvist said the council agreed.\r\n\
             He said \"the money is there,\" a source said. The UN said so.\n\
             Ana Lindqvist met Tom Okafor. Okafor said \"no.\n",
        );
        // Typing inside the first line, a new line that moves every later
        // diagnostic down, a quote closed, then the same text again.
        let edits: [(usize, &str); 5] = [(10, "x"), (11, "y"), (0, "New line.\n"), (50, "\""), (0, "")];
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
            let mut cache = DiagnosticJsonCache::default();
            let mut text = text.clone();
            let mut reused_any = false;
            for (offset, inserted) in edits {
                text.insert_str(offset, inserted);
                let snapshot = snapshot(&text, encoding);
                let before = cache.published.len();
                let reused = publish_body_reusing(&snapshot, None, &mut cache);
                assert_eq!(String::from_utf8_lossy(&reused), String::from_utf8_lossy(&publish_body(&snapshot, None)));
                reused_any |= before > 0;
                let first = snapshot.range_of(snapshot.analysis.analysis.diagnostics[0].span);
                let held_back = publish_body_reusing(&snapshot, Some(first.end), &mut cache);
                assert_eq!(held_back, publish_body(&snapshot, Some(first.end)));
            }
            assert!(reused_any);
        }
        // Publishing the same diagnostics again copies every one's JSON: the
        // very buffers move from the old notification's cache to the new.
        let unchanged = snapshot(&text, PositionEncoding::Utf16);
        let mut cache = DiagnosticJsonCache::default();
        publish_body_reusing(&unchanged, None, &mut cache);
        let buffers: Vec<*const u8> = cache.published.iter().map(|cached| cached.json.as_ptr()).collect();
        assert_eq!(publish_body_reusing(&unchanged, None, &mut cache), publish_body(&unchanged, None));
        assert_eq!(cache.published.iter().map(|cached| cached.json.as_ptr()).collect::<Vec<_>>(), buffers);
        // The cache keeps one notification's diagnostics, not every one seen.
        let mut cache = DiagnosticJsonCache::default();
        for _ in 0..3 {
            text.push_str(" More.");
            let snapshot = snapshot(&text, PositionEncoding::Utf16);
            publish_body_reusing(&snapshot, None, &mut cache);
            assert_eq!(cache.published.len(), snapshot.analysis.analysis.diagnostics.len());
        }
    }

    #[test]
    fn direct_pull_report_equals_the_ls_types_json() {
        let text = "Mayor Ana Lindqvist said the plan was \"final.\nLindqvist said \"it is final\" on Monday. 😀\n";
        let snapshot = snapshot(text, PositionEncoding::Utf16);
        assert!(!snapshot.analysis.analysis.diagnostics.is_empty());
        let first = snapshot.range_of(snapshot.analysis.analysis.diagnostics[0].span);
        for held_back in [None, Some(first.end)] {
            let direct: serde_json::Value =
                serde_json::from_slice(&full_report_json(&snapshot, held_back, "3:7:0")).expect("JSON");
            let expected = tower_lsp_server::ls_types::DocumentDiagnosticReportResult::Report(
                tower_lsp_server::ls_types::DocumentDiagnosticReport::Full(
                    tower_lsp_server::ls_types::RelatedFullDocumentDiagnosticReport {
                        related_documents: None,
                        full_document_diagnostic_report: tower_lsp_server::ls_types::FullDocumentDiagnosticReport {
                            result_id: Some("3:7:0".to_owned()),
                            items: snapshot_diagnostics(&snapshot, held_back),
                        },
                    },
                ),
            );
            assert_eq!(direct, serde_json::to_value(expected).expect("JSON"));
        }
    }

    #[test]
    fn clearing_sends_an_empty_list_without_version() {
        let uri: Uri = "file:///desk/a.txt".parse().expect("a URI");
        let cleared: serde_json::Value = serde_json::from_slice(&clear_body(&uri)).expect("JSON");
        assert_eq!(
            cleared,
            serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
                "params": {"uri": "file:///desk/a.txt", "diagnostics": []}})
        );
    }
}
