//! The per-document analysis worker and the diagnostics publisher.
//!
//! `didChange` applies the edit synchronously and hands the new version to the
//! document's worker through a `watch` channel, which keeps only the latest
//! value: a burst of edits coalesces into one analysis of the newest text.
//! The worker waits for the configured debounce, analyses on the blocking pool
//! (the async runtime never runs analysis), serialises the
//! `publishDiagnostics` notification there too (`diagnostics.rs`, positions
//! through the snapshot's line index), and queues it for the publisher.
//!
//! The publisher is one task that sends every `publishDiagnostics` in the
//! order they were queued, and drops diagnostics whose version is no longer
//! the document's current one (VS Code ignores the version field, so the
//! server must not publish stale results). A `didClose` queues a clear behind
//! any diagnostics already in flight, so a closed document's warnings go away.
//! It writes through the output queue (`output.rs`), bypassing
//! tower-lsp-server's `Value` round trip for this one, large, frequent message.

use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::Uri;

use super::diagnostics::{clear_body, publish_body};
use super::output::FrameSender;
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
        let task_state = Weak::clone(&state);
        let task_slot = Arc::clone(&slot);
        let task_uri = uri.clone();
        let task_ticket = ticket.clone();
        // Analysis, conversion and serialisation all run on the blocking pool,
        // which also queues the result for the publisher (a synchronous send):
        // one hop fewer than coming back to this task first.
        let analysed = tokio::task::spawn_blocking(move || {
            check_test_panic(test_hooks, &task_ticket);
            let analyzed = task_slot.analyze_replacing(&task_uri, &task_ticket, &config, config_generation, encoding);
            let Some(server) = task_state.upgrade() else { return };
            // A client that pulls diagnostics asks for them itself; and when a
            // newer edit has arrived, these diagnostics would be dropped anyway.
            let current = server.current_version(&task_uri) == Some((task_ticket.generation, task_ticket.version));
            if current && !server.rules.pull_diagnostics() {
                let held_back = server.rules.typing_cursor(&task_uri, task_ticket.version, &server.settings());
                server.publish(PublishMessage::Diagnostics {
                    uri: task_uri,
                    generation: task_ticket.generation,
                    version: task_ticket.version,
                    body: publish_body(&analyzed.snapshot, held_back),
                });
            }
            // Only now, off the keystroke's path, free the previous analysis.
            drop(analyzed);
        })
        .await;
        if let Err(error) = analysed {
            let message = if error.is_panic() { panic_message(error.into_panic().as_ref()) } else { error.to_string() };
            report_panic(&client, &format!("the analysis of {} (version {})", uri.as_str(), ticket.version), &message)
                .await;
        }
    }
}

/// Starts the publisher task, which writes through `frames` (see `output.rs`).
pub fn spawn_publisher(
    state: Weak<ServerState>,
    frames: FrameSender,
    receiver: mpsc::UnboundedReceiver<PublishMessage>,
) {
    tokio::spawn(run_publisher(state, frames, receiver));
}

async fn run_publisher(
    state: Weak<ServerState>,
    frames: FrameSender,
    mut receiver: mpsc::UnboundedReceiver<PublishMessage>,
) {
    while let Some(message) = receiver.recv().await {
        match message {
            PublishMessage::Diagnostics { uri, generation, version, body } => {
                let Some(server) = state.upgrade() else { return };
                // Only the current version of the current opening is published.
                // A `didClose` removes the document before queueing its `Clear`,
                // so diagnostics checked here before the removal are still
                // written before the clear.
                if server.current_version(&uri) == Some((generation, version)) {
                    frames.send_body(&body);
                }
            }
            PublishMessage::Clear { uri } => frames.send_body(&clear_body(&uri)),
        }
    }
}
