//! The per-document analysis worker and the diagnostics publisher.
//!
//! `didChange` applies the edit synchronously and hands the new version to the
//! document's worker through a `watch` channel, which keeps only the latest
//! value: a burst of edits coalesces into one analysis of the newest text.
//! The worker waits for the configured debounce, analyses on the blocking pool
//! (the async runtime never runs analysis), converts the diagnostics, and
//! queues them for the publisher.
//!
//! The publisher is one task that sends every `publishDiagnostics` in the
//! order they were queued, and drops diagnostics whose version is no longer
//! the document's current one (VS Code ignores the version field, so the
//! server must not publish stale results). A `didClose` queues a clear behind
//! any diagnostics already in flight, so a closed document's warnings go away.

use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::Uri;

use super::diagnostics::snapshot_diagnostics;
use super::panics::{panic_message, report_panic};
use super::state::{AnalysisSlot, AnalysisTicket, PublishMessage, ServerState, check_test_panic};

/// Starts the worker of one opened document. It stops when the document is
/// closed or reopened (its channel's sender is dropped) or the server goes away.
pub fn spawn_document_worker(
    state: Weak<ServerState>,
    client: Client,
    uri: Uri,
    slot: Arc<AnalysisSlot>,
    receiver: watch::Receiver<Option<AnalysisTicket>>,
) {
    tokio::spawn(run_document_worker(state, client, uri, slot, receiver));
}

async fn run_document_worker(
    state: Weak<ServerState>,
    client: Client,
    uri: Uri,
    slot: Arc<AnalysisSlot>,
    mut receiver: watch::Receiver<Option<AnalysisTicket>>,
) {
    // The ticket sent at open is already marked seen by a fresh receiver, so analyse it first.
    let mut first = true;
    loop {
        if !first && receiver.changed().await.is_err() {
            return;
        }
        first = false;
        let debounce = match state.upgrade() {
            Some(state) => state.settings().debounce_ms,
            None => return,
        };
        if debounce > 0 {
            // Wait until no edit has arrived for `debounce` milliseconds.
            loop {
                tokio::select! {
                    () = tokio::time::sleep(Duration::from_millis(debounce)) => break,
                    changed = receiver.changed() => if changed.is_err() { return },
                }
            }
        }
        let Some(ticket) = receiver.borrow_and_update().clone() else { continue };
        let Some(server) = state.upgrade() else { return };
        let (config, config_generation) = server.config();
        let encoding = server.encoding();
        let test_hooks = server.options.test_hooks;
        drop(server);
        let task_slot = Arc::clone(&slot);
        let task_uri = uri.clone();
        let task_ticket = ticket.clone();
        let analysed = tokio::task::spawn_blocking(move || {
            check_test_panic(test_hooks, &task_ticket);
            let snapshot = task_slot.analyze(&task_uri, &task_ticket, &config, config_generation, encoding);
            snapshot_diagnostics(&snapshot)
        })
        .await;
        match analysed {
            Ok(diagnostics) => {
                let Some(server) = state.upgrade() else { return };
                // A client that pulls diagnostics asks for them itself.
                if server.rules.pull_diagnostics() {
                    continue;
                }
                let diagnostics = server.rules.hold_back(&uri, ticket.version, diagnostics, &server.settings());
                server.publish(PublishMessage::Diagnostics {
                    uri: uri.clone(),
                    generation: ticket.generation,
                    version: ticket.version,
                    diagnostics,
                });
            }
            Err(error) => {
                let message =
                    if error.is_panic() { panic_message(error.into_panic().as_ref()) } else { error.to_string() };
                report_panic(
                    &client,
                    &format!("the analysis of {} (version {})", uri.as_str(), ticket.version),
                    &message,
                )
                .await;
            }
        }
    }
}

/// Starts the publisher task.
pub fn spawn_publisher(state: Weak<ServerState>, client: Client, receiver: mpsc::UnboundedReceiver<PublishMessage>) {
    tokio::spawn(run_publisher(state, client, receiver));
}

async fn run_publisher(
    state: Weak<ServerState>,
    client: Client,
    mut receiver: mpsc::UnboundedReceiver<PublishMessage>,
) {
    while let Some(message) = receiver.recv().await {
        match message {
            PublishMessage::Diagnostics { uri, generation, version, diagnostics } => {
                let Some(server) = state.upgrade() else { return };
                // Only the current version of the current opening is published.
                let current = server.current_version(&uri) == Some((generation, version));
                drop(server);
                if current {
                    client.publish_diagnostics(uri, diagnostics, Some(version)).await;
                }
            }
            PublishMessage::Clear { uri } => client.publish_diagnostics(uri, Vec::new(), None).await,
        }
    }
}
