//! `textDocument/didSave`: nothing to do for drafts (the server works on the
//! live text). The rules helper may reload `copydesk.toml` here.

use tower_lsp_server::ls_types::DidSaveTextDocumentParams;

use crate::lsp::server::Backend;

pub async fn handle(backend: &Backend, params: DidSaveTextDocumentParams) {
    let _ = (backend, params);
}
