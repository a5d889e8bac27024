//! `textDocument/didOpen`: stores the draft as a rope and starts its analysis
//! worker. Opening an already open URI replaces it with a fresh document
//! (its version may be lower than the old one's).

use std::sync::Arc;

use copydesk_analysis::DocumentKind;
use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use crate::lsp::server::Backend;
use crate::lsp::worker::spawn_document_worker;

pub async fn handle(backend: &Backend, params: DidOpenTextDocumentParams) {
    let document = params.text_document;
    // The stylebook is configuration, not a draft: read it, do not analyse it.
    if backend.state.rules.is_stylebook(&document.uri, &backend.state.settings()) {
        crate::lsp::stylebook::reload_after_event(backend, &document.uri, Some(document.text)).await;
        return;
    }
    let kind = DocumentKind::from_language_id(&document.language_id)
        .unwrap_or_else(|| DocumentKind::from_path(document.uri.path().as_str()));
    let (_, slot, receiver) =
        backend.state.open(document.uri.clone(), &document.text, document.version, kind, document.language_id);
    spawn_document_worker(Arc::downgrade(&backend.state), backend.client.clone(), document.uri, slot, receiver);
}
