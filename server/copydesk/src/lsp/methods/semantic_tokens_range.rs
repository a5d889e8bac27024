//! `textDocument/semanticTokens/range`: the tokens of the visible part of the
//! document, for a quick first paint of a long draft.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::semantic_tokens_full::encode;
use crate::lsp::server::Backend;

pub async fn handle(backend: &Backend, params: SemanticTokensRangeParams) -> Result<Option<SemanticTokensRangeResult>> {
    let Some(snapshot) = backend.state.snapshot_for_request(&params.text_document.uri).await else {
        return Ok(None);
    };
    let range = snapshot.span_of(params.range);
    let tokens = encode(&snapshot, Some(range));
    Ok(Some(SemanticTokensRangeResult::Tokens(SemanticTokens { result_id: None, data: tokens })))
}
