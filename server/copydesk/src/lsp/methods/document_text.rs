//! `copydesk/documentText` (custom request): the server's current text and
//! version of an open document. Tests use it to check that edits were applied
//! in order; editors can use it to debug synchronisation.
//!
//! Params: `{"textDocument": {"uri": "..."}}`. Result:
//! `{"uri": "...", "version": 7, "text": "..."}`, or `null` when not open.

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{TextDocumentIdentifier, Uri};

use crate::lsp::server::Backend;

/// The method name.
pub const METHOD: &str = "copydesk/documentText";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentTextParams {
    pub text_document: TextDocumentIdentifier,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct DocumentTextResult {
    pub uri: Uri,
    pub version: i32,
    pub text: String,
}

pub async fn handle(backend: &Backend, params: DocumentTextParams) -> Result<Option<DocumentTextResult>> {
    let uri = params.text_document.uri;
    Ok(backend.state.document_text(&uri).map(|(version, text)| DocumentTextResult { uri, version, text }))
}
