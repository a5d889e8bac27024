//! `textDocument/didClose`: frees the rope, the paragraph cache, the latest
//! snapshot and the worker of the document, and clears its diagnostics.

use tower_lsp_server::ls_types::DidCloseTextDocumentParams;

use crate::lsp::server::Backend;

pub async fn handle(backend: &Backend, params: DidCloseTextDocumentParams) {
    backend.state.close(&params.text_document.uri);
    backend.state.rules.forget(&params.text_document.uri);
}
