//! `textDocument/didSave`: nothing to do for drafts (the server works on the
//! live text); saving the stylebook from the editor reloads it.

use tower_lsp_server::ls_types::DidSaveTextDocumentParams;

use crate::lsp::server::Backend;
use crate::lsp::stylebook;

pub async fn handle(backend: &Backend, params: DidSaveTextDocumentParams) {
    let uri = &params.text_document.uri;
    if backend.state.rules.is_stylebook(uri, &backend.state.settings()) {
        stylebook::reload_after_event(backend, uri, params.text.clone()).await;
    }
}
