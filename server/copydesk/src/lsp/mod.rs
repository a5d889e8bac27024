//! The language server: `copydesk lsp` over stdio (tower-lsp-server).
//!
//! - `server.rs`: the `LanguageServer` impl, routing each method to `methods/<method>.rs`.
//! - `state.rs`: open documents (ropes), settings, stylebook, analysed snapshots.
//! - `positions.rs`: the only place offsets are converted.
//! - `worker.rs`: per-document analysis workers, which publish the diagnostics.
//! - `diagnostics.rs`: core diagnostics to LSP (structs, or JSON written directly).
//! - `output.rs`: the one writer of the server's output (tower's messages and ours).
//! - `capabilities.rs`: what `initialize` announces.
//! - `stylebook.rs`: `copydesk.toml`, rule overrides, push or pull diagnostics.
//! - `probe.rs`: timestamps along a keystroke's path, for the keystroke benchmark only.

pub mod capabilities;
pub mod diagnostics;
pub mod framing;
pub mod methods;
pub mod output;
pub mod panics;
pub mod positions;
pub mod probe;
pub mod server;
pub mod settings;
pub mod state;
pub mod stylebook;
pub mod worker;

use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{ClientSocket, LspService, Server};

use self::output::{FrameSender, OutputQueue};
use self::server::Backend;
use self::state::{ServerOptions, ServerState};

/// Builds the service: the backend (publishing diagnostics through `frames`)
/// and the custom methods. Must be called inside a tokio runtime.
pub fn build_service(options: ServerOptions, frames: FrameSender) -> (LspService<Backend>, ClientSocket) {
    LspService::build(move |client| {
        let state = Arc::new(ServerState::new(options, frames));
        Backend { client, state }
    })
    .custom_method(methods::document_text::METHOD, Backend::document_text)
    .custom_method(methods::test_panic::METHOD, Backend::test_panic)
    .custom_method(framing::PARSE_ERROR_METHOD, Backend::answer_parse_error)
    .custom_method(framing::INVALID_REQUEST_METHOD, Backend::answer_invalid_request)
    .finish()
}

/// Serves LSP over any byte streams (stdio in the binary, a duplex pipe in tests).
/// Returns when the client sends `exit` or closes the input. The input goes
/// through the guard in `framing.rs` so malformed messages cannot stop the
/// server; the output goes through the queue in `output.rs`, which also
/// carries the diagnostics the server serialises itself.
pub async fn serve<I, O>(input: I, output: O, options: ServerOptions)
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let queue = OutputQueue::new();
    let (service, socket) = build_service(options, queue.frame_sender());
    // Pipe buffers grow as needed up to these limits: large enough that a big
    // message (a whole draft in `didOpen`, a long outline) passes in one go
    // instead of in many hand-offs between tasks.
    let (guarded_writer, guarded_reader) = tokio::io::duplex(1 << 22);
    let (tower_writer, tower_reader) = tokio::io::duplex(1 << 22);
    let guard = framing::guard_input(input, guarded_writer);
    let server = Server::new(guarded_reader, tower_writer, socket).serve(service);
    let serving = async move {
        tokio::pin!(guard, server);
        tokio::select! {
            () = &mut server => {}
            // The guard ends with the input and drops its writer: the server sees
            // the end of its input and stops too.
            () = &mut guard => server.await,
        }
    };
    // When the server stops it drops its end of the pipe; the output queue
    // then writes what is left and ends too.
    tokio::join!(serving, queue.run(tower_reader, output));
}

/// Serves LSP over stdin/stdout. Nothing else is ever written to stdout.
pub async fn serve_stdio(options: ServerOptions) {
    serve(tokio::io::stdin(), tokio::io::stdout(), options).await;
}
