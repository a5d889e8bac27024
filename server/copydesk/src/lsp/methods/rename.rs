//! `textDocument/rename`: Renames a person or organisation consistently across its mentions (the capability is shared with prepare_rename.rs).
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
pub fn capability() -> Option<OneOf<bool, RenameOptions>> {
    None
}

pub async fn handle(backend: &Backend, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let _ = (backend, params);
    Ok(None)
}
