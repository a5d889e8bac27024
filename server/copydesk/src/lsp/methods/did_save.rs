//! `textDocument/didSave`: nothing to do for drafts (the server works on the
//! live text); saving `copydesk.toml` from the editor reloads the stylebook.

use tower_lsp_server::ls_types::DidSaveTextDocumentParams;

use crate::lsp::server::Backend;
use crate::lsp::stylebook;

pub async fn handle(backend: &Backend, params: DidSaveTextDocumentParams) {
    if stylebook::is_stylebook(&params.text_document.uri) {
        stylebook::load(backend, params.text.clone()).await;
    }
}
