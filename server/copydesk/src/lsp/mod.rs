//! The language server: `copydesk lsp` over stdio (tower-lsp-server).
//!
//! - `server.rs`: the `LanguageServer` impl, routing each method to `methods/<method>.rs`.
//! - `state.rs`: open documents (ropes), settings, stylebook, analysed snapshots.
//! - `positions.rs`: the only place offsets are converted.
//! - `worker.rs`: per-document analysis workers and the diagnostics publisher.
//! - `capabilities.rs`: what `initialize` announces.

pub mod capabilities;
pub mod diagnostics;
pub mod methods;
pub mod panics;
pub mod positions;
pub mod server;
pub mod settings;
pub mod state;
pub mod worker;

use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tower_lsp_server::{ClientSocket, LspService, Server};

use self::server::Backend;
use self::state::{ServerOptions, ServerState};

/// Builds the service: the backend, its publisher task and the custom methods.
/// Must be called inside a tokio runtime.
pub fn build_service(options: ServerOptions) -> (LspService<Backend>, ClientSocket) {
    LspService::build(move |client| {
        let (sender, receiver) = mpsc::unbounded_channel();
        let state = Arc::new(ServerState::new(options, sender));
        worker::spawn_publisher(Arc::downgrade(&state), client.clone(), receiver);
        Backend { client, state }
    })
    .custom_method(methods::document_text::METHOD, Backend::document_text)
    .custom_method(methods::test_panic::METHOD, Backend::test_panic)
    .finish()
}

/// Serves LSP over any byte streams (stdio in the binary, a duplex pipe in tests).
/// Returns when the client sends `exit` or closes the input.
pub async fn serve<I, O>(input: I, output: O, options: ServerOptions)
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let (service, socket) = build_service(options);
    Server::new(input, output, socket).serve(service).await;
}

/// Serves LSP over stdin/stdout. Nothing else is ever written to stdout.
pub async fn serve_stdio(options: ServerOptions) {
    serve(tokio::io::stdin(), tokio::io::stdout(), options).await;
}
