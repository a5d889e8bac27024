//! `initialized`: the client is ready; say hello in the log.

use tower_lsp_server::ls_types::{InitializedParams, MessageType};

use crate::lsp::server::Backend;

pub async fn handle(backend: &Backend, params: InitializedParams) {
    let _ = params;
    let encoding = backend.state.encoding();
    backend
        .client
        .log_message(
            MessageType::INFO,
            format!("copydesk {} ready (positions in {encoding:?})", env!("CARGO_PKG_VERSION")),
        )
        .await;
    crate::lsp::stylebook::on_initialized(backend).await;
}
