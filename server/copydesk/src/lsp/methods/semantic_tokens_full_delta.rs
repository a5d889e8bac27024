//! `textDocument/semanticTokens/full/delta`: Semantic tokens as a delta against a previous result. Advertised through semantic_tokens_full.rs.
//!
//! Owner: the features helper. Placeholder until implemented: answers
//! `None`.
//! Get a consistent snapshot with `backend.state.snapshot_for_request(&uri).await`
//! and convert positions only through its `offset_at` / `range_of` helpers.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::lsp::server::Backend;

pub async fn handle(
    backend: &Backend,
    params: SemanticTokensDeltaParams,
) -> Result<Option<SemanticTokensFullDeltaResult>> {
    let _ = (backend, params);
    Ok(None)
}
