//! `workspace/executeCommand`: Server-side commands.
//!
//! Owner: the features and rules helper. Placeholder until implemented: answers
//! `None`; the capability is not advertised.
//! Get a consistent snapshot with `backend.state.snapshot_for_request(&uri).await`
//! and convert positions only through its `offset_at` / `range_of` helpers.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::lsp::server::Backend;

/// The capability to advertise, or `None` while this feature is not
/// implemented (`capabilities.rs` advertises exactly what this returns).
pub fn capability() -> Option<ExecuteCommandOptions> {
    None
}

pub async fn handle(backend: &Backend, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
    let _ = (backend, params);
    Ok(None)
}
