//! `workspace/didChangeWatchedFiles`: reloads `copydesk.toml` when it is
//! created, changed or deleted on disk. Nothing else is watched.

use tower_lsp_server::ls_types::DidChangeWatchedFilesParams;

use crate::lsp::server::Backend;
use crate::lsp::stylebook;

pub async fn handle(backend: &Backend, params: DidChangeWatchedFilesParams) {
    if params.changes.iter().any(|change| stylebook::is_stylebook(&change.uri)) {
        stylebook::load(backend, None).await;
    }
}
