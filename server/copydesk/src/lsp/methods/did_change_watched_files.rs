//! `workspace/didChangeWatchedFiles`: reloads the stylebook (`copydesk.toml`,
//! or the file `stylebookPath` names) when it is created, changed or deleted
//! on disk. Nothing else is watched.

use tower_lsp_server::ls_types::DidChangeWatchedFilesParams;

use crate::lsp::server::Backend;
use crate::lsp::stylebook;

pub async fn handle(backend: &Backend, params: DidChangeWatchedFilesParams) {
    let settings = backend.state.settings();
    if params.changes.iter().any(|change| backend.state.rules.is_stylebook(&change.uri, &settings)) {
        stylebook::load(backend, None).await;
    }
}
