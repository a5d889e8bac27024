//! The per-document analysis worker and the diagnostics publisher.
//!
//! `didChange` applies the edit synchronously and hands the new version to the
//! document's worker through a `watch` channel, which keeps only the latest
//! value: a burst of edits coalesces into one analysis of the newest text.
//! The worker waits for the configured debounce, analyses outside the async
//! scheduling (`run_blocking`: no other task waits behind an analysis),
//! serialises the `publishDiagnostics` notification there too
//! (`diagnostics.rs`, positions through the snapshot's line index), and
//! queues it on the output (`output.rs`, bypassing tower-lsp-server's `Value`
//! round trip for this one, large, frequent message).
//!
//! Diagnostics whose version is no longer the document's current one are
//! dropped, never published (VS Code ignores the version field, so the server
//! must not publish stale results): the check and the queueing are atomic
//! with respect to `didChange` and `didClose` (`ServerState::publish_diagnostics`).
//! A `didClose` queues a clear behind any diagnostics already queued, so a
//! closed document's warnings go away.

use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::watch;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::Uri;

use super::diagnostics::publish_body;
use super::panics::{panic_message, report_panic};
use super::state::{AnalysisSlot, AnalysisTicket, ServerState, check_test_panic, free_later};

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
        let work = move || {
            check_test_panic(test_hooks, &task_ticket);
            let analyzed = task_slot.analyze_replacing(&task_uri, &task_ticket, &config, config_generation, encoding);
            let Some(server) = task_state.upgrade() else { return };
            // A client that pulls diagnostics asks for them itself; and when a
            // newer edit has arrived, these diagnostics would be dropped anyway.
            let current = server.current_version(&task_uri) == Some((task_ticket.generation, task_ticket.version));
            if current && !server.rules.pull_diagnostics() {
                let held_back = server.rules.typing_cursor(&task_uri, task_ticket.version, &server.settings());
                let body = publish_body(&analyzed.snapshot, held_back);
                server.publish_diagnostics(&task_uri, task_ticket.generation, task_ticket.version, &body);
            }
            // Only now, and on another thread, free the previous analysis, so
            // the next keystroke's analysis does not wait for it either.
            free_later(analyzed.replaced);
        };
        if let Err(message) = run_blocking(work).await {
            report_panic(&client, &format!("the analysis of {} (version {})", uri.as_str(), ticket.version), &message)
                .await;
        }
    }
}

/// Runs the analysis of one version (and the publishing of its diagnostics)
/// off the async runtime's scheduling, returning the panic message if it
/// panicked.
///
/// On the multi-threaded runtime (the binary's) the work runs right here, on
/// this worker thread, after `block_in_place` has handed the thread's other
/// tasks to another thread: the keystroke's path then has no thread to wake
/// (`spawn_blocking` would wake a blocking-pool thread, a cost measured in
/// hundreds of microseconds on a busy machine). Elsewhere (a current-thread
/// runtime, where `block_in_place` is not allowed) it uses the blocking pool.
async fn run_blocking(work: impl FnOnce() + Send + 'static) -> Result<(), String> {
    if tokio::runtime::Handle::current().runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread {
        tokio::task::block_in_place(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)))
            .map_err(|payload| panic_message(payload.as_ref()))
    } else {
        tokio::task::spawn_blocking(work).await.map_err(|error| {
            if error.is_panic() { panic_message(error.into_panic().as_ref()) } else { error.to_string() }
        })
    }
}
