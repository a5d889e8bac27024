//! `shutdown`: nothing to flush; documents are dropped with the server.
//! tower-lsp-server answers every later request with an error and ends the
//! serving loop on `exit`.

use tower_lsp_server::jsonrpc::Result;

use crate::lsp::server::Backend;

pub async fn handle(backend: &Backend) -> Result<()> {
    let _ = backend;
    Ok(())
}
