//! `textDocument/semanticTokens/full/delta`: the change since the client's
//! previous result for this document, as one edit; the full tokens when the
//! previous result is unknown (another version was sent since, or none).

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::semantic_tokens_full::encode;
use crate::lsp::server::Backend;

pub async fn handle(
    backend: &Backend,
    params: SemanticTokensDeltaParams,
) -> Result<Option<SemanticTokensFullDeltaResult>> {
    let uri = params.text_document.uri;
    let Some(snapshot) = backend.state.snapshot_for_request(&uri).await else {
        return Ok(None);
    };
    let tokens = encode(&snapshot, None);
    let cache = &backend.state.semantic_tokens;
    let edits = cache.delta(&uri, &params.previous_result_id, &tokens);
    let result_id = cache.store(&uri, tokens.clone());
    Ok(Some(match edits {
        Some(edits) => {
            SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta { result_id: Some(result_id), edits })
        }
        None => SemanticTokensFullDeltaResult::Tokens(SemanticTokens { result_id: Some(result_id), data: tokens }),
    }))
}
