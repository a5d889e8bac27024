//! `textDocument/semanticTokens/full`: people, organisations, places, titles,
//! direct quotes and speaker cues for the whole document. Also declares the
//! capability (legend, full with delta, range) for all three semantic token
//! methods, encodes core spans as LSP tokens, and keeps the last result of
//! each document so `full/delta` can answer with an edit.
//!
//! The legend is `copydesk_analysis::ide::semantic_tokens::{TOKEN_TYPES,
//! TOKEN_MODIFIERS}`, documented in `docs/features.md`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use copydesk_analysis::Span;
use copydesk_analysis::ide::semantic_tokens::{TOKEN_MODIFIERS, TOKEN_TYPES, semantic_spans};
use dashmap::DashMap;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::feature_support::draft;
use crate::lsp::output::direct_result_name;
use crate::lsp::server::Backend;
use crate::lsp::state::AnalyzedSnapshot;

/// The legend announced in `initialize`.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TOKEN_TYPES.iter().map(|name| SemanticTokenType::new(name)).collect(),
        token_modifiers: TOKEN_MODIFIERS.iter().map(|name| SemanticTokenModifier::new(name)).collect(),
    }
}

pub fn capability() -> Option<SemanticTokensServerCapabilities> {
    Some(SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
        work_done_progress_options: WorkDoneProgressOptions::default(),
        legend: legend(),
        range: Some(true),
        full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
    }))
}

/// The last tokens sent for each document, by URI, with their result id.
#[derive(Debug, Default)]
pub struct SemanticTokensCache {
    last: DashMap<Uri, (String, Vec<SemanticToken>)>,
    /// Guards the read-compare-store of a delta so two requests for one
    /// document cannot interleave.
    update: Mutex<()>,
}

static NEXT_RESULT_ID: AtomicU64 = AtomicU64::new(1);

/// A result id no earlier result had.
fn new_result_id() -> String {
    NEXT_RESULT_ID.fetch_add(1, Ordering::Relaxed).to_string()
}

impl SemanticTokensCache {
    /// Remembers `tokens` as the latest result for `uri` and returns its id.
    pub fn store(&self, uri: &Uri, tokens: Vec<SemanticToken>) -> String {
        let result_id = new_result_id();
        self.store_as(uri.clone(), result_id.clone(), tokens);
        result_id
    }

    /// Remembers `tokens` as the latest result for `uri`, under an id taken
    /// beforehand (the full request writes the id into its JSON first).
    fn store_as(&self, uri: Uri, result_id: String, tokens: Vec<SemanticToken>) {
        self.last.insert(uri, (result_id, tokens));
    }

    /// The delta from `previous_result_id` to `tokens`, or `None` when the
    /// previous result is unknown (the client then gets the full tokens).
    pub fn delta(
        &self,
        uri: &Uri,
        previous_result_id: &str,
        tokens: &[SemanticToken],
    ) -> Option<Vec<SemanticTokensEdit>> {
        let _guard = self.update.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = self.last.get(uri)?;
        let (result_id, previous) = entry.value();
        if result_id != previous_result_id {
            return None;
        }
        Some(diff(previous, tokens))
    }

    /// Forgets a closed document.
    pub fn forget(&self, uri: &Uri) {
        self.last.remove(uri);
    }
}

/// One edit replacing the tokens between the common prefix and suffix.
pub fn diff(previous: &[SemanticToken], current: &[SemanticToken]) -> Vec<SemanticTokensEdit> {
    let prefix = previous.iter().zip(current).take_while(|(left, right)| left == right).count();
    let suffix = previous[prefix..]
        .iter()
        .rev()
        .zip(current[prefix..].iter().rev())
        .take_while(|(left, right)| left == right)
        .count();
    let deleted = previous.len() - prefix - suffix;
    let inserted = &current[prefix..current.len() - suffix];
    if deleted == 0 && inserted.is_empty() {
        return Vec::new();
    }
    vec![SemanticTokensEdit {
        // Edits count integers, five per token.
        start: (prefix * 5) as u32,
        delete_count: (deleted * 5) as u32,
        data: (!inserted.is_empty()).then(|| inserted.to_vec()),
    }]
}

/// The document's tokens overlapping `range` (all when `None`), relative-encoded.
pub fn encode(snapshot: &AnalyzedSnapshot, range: Option<Span>) -> Vec<SemanticToken> {
    let spans = semantic_spans(&draft(snapshot, None), range);
    let mut tokens = Vec::with_capacity(spans.len());
    let (mut previous_line, mut previous_start) = (0, 0);
    for span in spans {
        let range = snapshot.range_of(span.span);
        // Spans never cross a line break, so the length is a difference of columns.
        if range.start.line != range.end.line || range.end.character <= range.start.character {
            continue;
        }
        let delta_line = range.start.line - previous_line;
        let delta_start = if delta_line == 0 { range.start.character - previous_start } else { range.start.character };
        tokens.push(SemanticToken {
            delta_line,
            delta_start,
            length: range.end.character - range.start.character,
            token_type: span.token_type as u32,
            token_modifiers_bitset: span.modifiers,
        });
        previous_line = range.start.line;
        previous_start = range.start.character;
    }
    tokens
}

/// The JSON of a full result (`{"resultId":...,"data":[...]}`), written
/// directly: the same JSON as serialising `SemanticTokens` (a test checks
/// it). VS Code asks for the tokens after every keystroke, and through
/// tower-lsp-server's `Value` tree each of the five integers of every token
/// became a `Value` of its own (36 KB, 9,000 integers at 10k words).
pub fn tokens_json(result_id: &str, tokens: &[SemanticToken]) -> Vec<u8> {
    let mut json = Vec::with_capacity(32 + result_id.len() + tokens.len() * 20);
    json.extend_from_slice(br#"{"resultId":"#);
    // A string into a vector cannot fail to serialise.
    let _ = serde_json::to_writer(&mut json, result_id);
    json.extend_from_slice(br#","data":["#);
    for (index, token) in tokens.iter().enumerate() {
        let numbers =
            [token.delta_line, token.delta_start, token.length, token.token_type, token.token_modifiers_bitset];
        for (position, number) in numbers.into_iter().enumerate() {
            if index > 0 || position > 0 {
                json.push(b',');
            }
            // A number into a vector cannot fail to serialise.
            let _ = serde_json::to_writer(&mut json, &number);
        }
    }
    json.extend_from_slice(b"]}");
    json
}

/// The result tower-lsp-server sends in place of the stashed tokens: as a
/// `Value` it reads `{"data":[],"resultId":"<placeholder>"}`, which the
/// output swaps for the stashed JSON (see `output.rs`).
fn placeholder(token: u64) -> SemanticTokensResult {
    SemanticTokensResult::Tokens(SemanticTokens { result_id: Some(direct_result_name(token)), data: Vec::new() })
}

pub async fn handle(backend: &Backend, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
    let uri = params.text_document.uri;
    let Some(snapshot) = backend.state.snapshot_for_request(&uri).await else {
        return Ok(None);
    };
    // No `.await` from here on: the stash and the answer go together, so a
    // cancelled request leaves nothing stashed.
    let tokens = encode(&snapshot, None);
    let result_id = new_result_id();
    let json = tokens_json(&result_id, &tokens);
    backend.state.semantic_tokens.store_as(uri, result_id, tokens);
    let token = backend.state.stash_result(json);
    Ok(Some(placeholder(token)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(delta_line: u32, length: u32) -> SemanticToken {
        SemanticToken { delta_line, delta_start: 0, length, token_type: 0, token_modifiers_bitset: 0 }
    }

    #[test]
    fn direct_json_equals_the_ls_types_json() {
        let tokens = [
            SemanticToken { delta_line: 0, delta_start: 0, length: 7, token_type: 0, token_modifiers_bitset: 1 },
            SemanticToken {
                delta_line: 12,
                delta_start: 4_294_967_295,
                length: 10,
                token_type: 5,
                token_modifiers_bitset: 0,
            },
        ];
        for (result_id, tokens) in [("17", &tokens[..]), ("a \"quoted\" id", &tokens[..1]), ("1", &[][..])] {
            let direct: serde_json::Value = serde_json::from_slice(&tokens_json(result_id, tokens)).expect("JSON");
            let expected =
                serde_json::to_value(SemanticTokens { result_id: Some(result_id.to_owned()), data: tokens.to_vec() })
                    .expect("JSON");
            assert_eq!(direct, expected);
        }
    }

    #[test]
    fn the_placeholder_sits_where_the_output_looks_for_it() {
        // The output swaps a placeholder found within the first bytes of a
        // result; tower writes the result through a `Value`, keys sorted.
        let json = serde_json::to_string(&serde_json::to_value(placeholder(42)).expect("JSON")).expect("JSON");
        let name = direct_result_name(42);
        assert_eq!(json, format!(r#"{{"data":[],"resultId":"{name}"}}"#));
    }

    #[test]
    fn delta_is_one_edit_between_common_prefix_and_suffix() {
        let before = [token(0, 3), token(1, 4), token(1, 5)];
        let after = [token(0, 3), token(1, 9), token(2, 1), token(1, 5)];
        let edits = diff(&before, &after);
        assert_eq!(edits.len(), 1);
        assert_eq!((edits[0].start, edits[0].delete_count), (5, 5));
        assert_eq!(edits[0].data.as_deref(), Some(&after[1..3]));
        assert!(diff(&before, &before).is_empty());
        let removed = diff(&before, &before[..2]);
        assert_eq!((removed[0].start, removed[0].delete_count, removed[0].data.clone()), (10, 5, None));
    }
}
