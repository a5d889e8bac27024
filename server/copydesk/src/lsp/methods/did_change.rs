//! `textDocument/didChange`: applies incremental edits strictly in order.
//!
//! The edit is applied synchronously, before the first `.await` of this
//! handler: tower-lsp-server starts handlers in message order but lets the
//! next one run whenever a handler awaits, so awaiting before applying could
//! reorder edits. Changes whose version is not newer than the document's are
//! dropped and logged.

use tower_lsp_server::ls_types::{DidChangeTextDocumentParams, MessageType};

use crate::lsp::server::Backend;
use crate::lsp::state::ChangeOutcome;

pub async fn handle(backend: &Backend, params: DidChangeTextDocumentParams) {
    crate::lsp::probe::stamp(crate::lsp::probe::Stage::Handler);
    let uri = params.text_document.uri;
    let version = params.text_document.version;
    // No `.await` before this line: see the module documentation.
    // Also records where a word is being typed (for holding its diagnostic back).
    let outcome = backend.state.apply_changes(&uri, version, &params.content_changes);
    let message = match outcome {
        ChangeOutcome::Applied => return,
        ChangeOutcome::Stale { current } => {
            format!("ignored a stale change to {} (version {version}, current {current})", uri.as_str())
        }
        ChangeOutcome::NotOpen => format!("ignored a change to {}, which is not open", uri.as_str()),
    };
    eprintln!("copydesk: {message}");
    backend.client.log_message(MessageType::WARNING, message).await;
}
