//! `textDocument/documentHighlight`: Highlights every mention of the entity under the cursor.
//!
//! Owner: the features helper. Placeholder until implemented: answers
//! `None`; the capability is not advertised.
//! Get a consistent snapshot with `backend.state.snapshot_for_request(&uri).await`
//! and convert positions only through its `offset_at` / `range_of` helpers.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::lsp::server::Backend;

/// The capability to advertise, or `None` while this feature is not
/// implemented (`capabilities.rs` advertises exactly what this returns).
pub fn capability() -> Option<OneOf<bool, DocumentHighlightOptions>> {
    None
}

pub async fn handle(backend: &Backend, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
    let _ = (backend, params);
    Ok(None)
}
