//! Catching panics at handler boundaries and in workers.
//!
//! tower-lsp-server runs every handler future inside its main serving task, so
//! an uncaught panic in one handler would end the whole server. Each handler
//! in `server.rs` goes through [`guard_request`] or [`guard_notification`]: a
//! panic is logged to stderr and to the client (`window/logMessage`) and, for
//! a request, answered as a JSON-RPC internal error. The server keeps serving.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use tower_lsp_server::Client;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::MessageType;

/// The text of a panic payload.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "unknown panic".to_owned()
    }
}

/// Logs a caught panic to stderr and to the client.
pub async fn report_panic(client: &Client, place: &str, message: &str) {
    let text = format!("copydesk: internal error in {place}: {message}");
    eprintln!("{text}");
    client.log_message(MessageType::ERROR, text).await;
}

/// Runs a request handler, turning a panic into an internal error response.
pub async fn guard_request<T>(client: &Client, method: &str, handler: impl Future<Output = Result<T>>) -> Result<T> {
    match AssertUnwindSafe(handler).catch_unwind().await {
        Ok(result) => result,
        Err(payload) => {
            let message = panic_message(payload.as_ref());
            report_panic(client, method, &message).await;
            Err(Error {
                code: ErrorCode::InternalError,
                message: format!("copydesk: internal error in {method}: {message}").into(),
                data: None,
            })
        }
    }
}

/// Runs a notification handler, logging a panic.
pub async fn guard_notification(client: &Client, method: &str, handler: impl Future<Output = ()>) {
    if let Err(payload) = AssertUnwindSafe(handler).catch_unwind().await {
        let message = panic_message(payload.as_ref());
        report_panic(client, method, &message).await;
    }
}
