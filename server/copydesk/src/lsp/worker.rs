//! The per-document analysis worker and the diagnostics publisher.
//!
//! `didChange` applies the edit synchronously and hands the new version to the
//! document's worker through a `watch` channel, which keeps only the latest
//! value: edits that arrive during an analysis coalesce into one analysis of
//! the newest text. The worker analyses at once, outside the async
//! scheduling (`run_blocking`: no other task waits behind an analysis), and
//! serialises the `publishDiagnostics` notification there too
//! (`diagnostics.rs`, positions through the snapshot's line index). It then
//! waits for the configured debounce (counted from when it took the edit)
//! and queues the notification on the output (`output.rs`, bypassing
//! tower-lsp-server's `Value` round trip for this one, large, frequent
//! message), unless a newer edit came in meanwhile: that one is analysed
//! instead.
//!
//! Only the publishing is debounced, not the analysis: a request sent while
//! the writer types (a hover, the editor's semantic tokens or inlay hints
//! after each keystroke) must answer on the current text, and when the
//! analysis waited for the debounce, a quarter of such requests (any sent in
//! the 20 ms after a keystroke, at one keystroke every 80 ms) had to run the
//! analysis themselves before answering. Analysing at once costs nothing
//! more while the writer types slower than the debounce, which is the usual
//! case; a faster burst still coalesces behind the running analysis.
//!
//! Diagnostics whose version is no longer the document's current one are
//! dropped, never published (VS Code ignores the version field, so the server
//! must not publish stale results): the check and the queueing are atomic
//! with respect to `didChange` and `didClose` (`ServerState::publish_diagnostics`).
//! A `didClose` queues a clear behind any diagnostics already queued, so a
//! closed document's warnings go away.
//!
//! Once a version's diagnostics are out, the worker starts the idle work
//! for the next keystroke (`spawn_idle_work`) and goes back to waiting: it
//! runs on the blocking pool, never on the keystroke's path.

use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::watch;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::Uri;

use super::diagnostics::{DiagnosticJsonCache, publish_body_after_change};
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
    // Whether a ticket is waiting that `changed()` would not report: the one
    // sent at open (a fresh receiver has already seen it), or one that arrived
    // during a debounce.
    let mut ticket_waiting = true;
    // The JSON of the diagnostics last published, mostly reused by the next
    // notification (see `diagnostics.rs`). Only this worker uses it.
    let diagnostic_json = Arc::new(std::sync::Mutex::new(DiagnosticJsonCache::default()));
    loop {
        if !ticket_waiting && receiver.changed().await.is_err() {
            return;
        }
        ticket_waiting = false;
        // The debounce counts from now: the edit has just arrived, or arrived
        // during the previous analysis (then it is coalesced with any later).
        let edited_at = tokio::time::Instant::now();
        let Some(ticket) = receiver.borrow_and_update().clone() else { continue };
        super::probe::stamp(super::probe::Stage::WorkerWoken);
        let Some(server) = state.upgrade() else { return };
        let (config, config_generation) = server.config();
        let encoding = server.encoding();
        let test_hooks = server.options.test_hooks;
        let debounce = Duration::from_millis(server.settings().debounce_ms);
        drop(server);
        let task_state = Weak::clone(&state);
        let task_slot = Arc::clone(&slot);
        let task_uri = uri.clone();
        let task_ticket = ticket.clone();
        let task_diagnostic_json = Arc::clone(&diagnostic_json);
        // The analysis runs at once, whatever the debounce: a request sent
        // while the writer types then finds the analysis of the current text
        // done, or under way, instead of starting it itself. The debounce
        // holds back only the publishing.
        let work = move || -> Option<super::output::FramedBody> {
            check_test_panic(test_hooks, &task_ticket);
            let server = task_state.upgrade()?;
            let still_current =
                || server.current_version(&task_uri) == Some((task_ticket.generation, task_ticket.version));
            let analyzed = task_slot.analyze_unless_stale(
                &task_uri,
                &task_ticket,
                &config,
                config_generation,
                encoding,
                still_current,
            )?;
            // A client that pulls diagnostics asks for them itself; and when a
            // newer edit has arrived, these diagnostics would be dropped anyway.
            let current = still_current();
            let mut body = None;
            if current && !server.rules.pull_diagnostics() {
                let held_back = server.rules.typing_cursor(&task_uri, task_ticket.version, &server.settings());
                let mut cache = task_diagnostic_json.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                let serialised =
                    publish_body_after_change(&analyzed.snapshot, held_back, analyzed.change.as_ref(), &mut cache);
                drop(cache);
                super::probe::stamp(super::probe::Stage::Serialised);
                if debounce.is_zero() {
                    server.publish_diagnostics(&task_uri, task_ticket.generation, task_ticket.version, serialised);
                } else {
                    body = Some(serialised);
                }
            }
            // Only now, and on another thread, free the previous analysis, so
            // the next keystroke's analysis does not wait for it either.
            free_later(analyzed.replaced);
            body
        };
        let body = match run_blocking(work).await {
            Ok(body) => body,
            Err(message) => {
                let place = format!("the analysis of {} (version {})", uri.as_str(), ticket.version);
                report_panic(&client, &place, &message).await;
                None
            }
        };
        let Some(body) = body else {
            // The diagnostics are out (or not wanted, or stale).
            spawn_idle_work(&state, &client, &uri, &slot, &ticket);
            continue;
        };
        // Publish once no edit has arrived for `debounce` since this one; a
        // newer edit means these diagnostics are already stale: analyse that
        // one instead (it publishes in turn once the writer pauses).
        tokio::select! {
            () = tokio::time::sleep_until(edited_at + debounce) => {}
            changed = receiver.changed() => {
                if changed.is_err() {
                    return;
                }
                ticket_waiting = true;
                continue;
            }
        }
        let Some(server) = state.upgrade() else { return };
        server.publish_diagnostics(&uri, ticket.generation, ticket.version, body);
        drop(server);
        spawn_idle_work(&state, &client, &uri, &slot, &ticket);
    }
}

/// Starts the idle work for the writer's next keystroke
/// ([`AnalysisSlot::prepare_next_edit`]) once `ticket`'s diagnostics are
/// out, on the blocking pool and without waiting for it: the worker goes
/// back to waiting for edits, and an edit that comes in meanwhile is
/// analysed at once (the work's result is then kept only when that
/// analysis left entity linking as it was). Nothing is done when a newer
/// edit has already come in.
fn spawn_idle_work(
    state: &Weak<ServerState>,
    client: &Client,
    uri: &Uri,
    slot: &Arc<AnalysisSlot>,
    ticket: &AnalysisTicket,
) {
    // Most keystrokes leave nothing to prepare: no thread is woken for them.
    let Some(server) = state.upgrade() else { return };
    if !slot.idle_work_waiting(&server.config().0) {
        return;
    }
    drop(server);
    let (state, client, uri, slot) = (Weak::clone(state), client.clone(), uri.clone(), Arc::clone(slot));
    let (generation, version) = (ticket.generation, ticket.version);
    tokio::spawn(async move {
        let idle_uri = uri.clone();
        let idle = move || {
            let Some(server) = state.upgrade() else { return };
            let (config, config_generation) = server.config();
            let still_idle = || server.current_version(&idle_uri) == Some((generation, version));
            slot.prepare_next_edit(&config, config_generation, still_idle);
        };
        let finished =
            tokio::task::spawn_blocking(move || std::panic::catch_unwind(std::panic::AssertUnwindSafe(idle)));
        let message = match finished.await {
            Ok(Ok(())) => return,
            Ok(Err(payload)) => panic_message(payload.as_ref()),
            Err(error) => error.to_string(),
        };
        report_panic(&client, &format!("the idle work on {} (version {version})", uri.as_str()), &message).await;
    });
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
async fn run_blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    if tokio::runtime::Handle::current().runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread {
        tokio::task::block_in_place(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)))
            .map_err(|payload| panic_message(payload.as_ref()))
    } else {
        tokio::task::spawn_blocking(work).await.map_err(|error| {
            if error.is_panic() { panic_message(error.into_panic().as_ref()) } else { error.to_string() }
        })
    }
}
