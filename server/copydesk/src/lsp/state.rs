//! The server's shared state: open documents (ropes with their versions), the
//! negotiated position encoding, settings and the stylebook, and the one easy
//! way for a feature handler to get a consistent analysed snapshot.
//!
//! # For feature handlers
//!
//! ```text
//! let Some(snapshot) = backend.state.snapshot_for_request(&uri).await else { return Ok(None) };
//! let offset = snapshot.offset_at(params.position);          // LSP position -> byte
//! let entity = snapshot.analysis.analysis.entities.first();   // core results, byte spans
//! let range = snapshot.range_of(mention.span);                // byte span -> LSP range
//! ```
//!
//! A snapshot is immutable and describes exactly one version of the document:
//! its text, its rope (for position conversion) and the analysis of that text.
//! If the stored analysis is older than the current text (the worker has not
//! caught up yet), `snapshot_for_request` analyses the current text on the
//! blocking pool first, so a request never sees a half-applied edit nor an
//! analysis of a different text than the one it converts positions against.

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use copydesk_analysis::{Analyzer, Config, DocumentAnalysis, DocumentKind, Span};
use dashmap::DashMap;
use ropey::Rope;
use tokio::sync::watch;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

use super::diagnostics::{TextChange, clear_body};
use super::output::{FrameSender, FramedBody};
use super::positions::{self, ByteEdit, LineIndex, PositionEncoding};
use super::settings::Settings;

/// Options fixed when the server is built (not LSP settings).
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// Enables hooks that exist only so tests can prove the server survives a
    /// panic: the `copydesk/testPanic` request, and a panic in the analysis
    /// worker when a document contains [`TEST_PANIC_MARKER`]. The binary turns
    /// this on only when the environment variable `COPYDESK_TEST_HOOKS=1` is set.
    pub test_hooks: bool,
}

/// Text that makes the analysis worker panic when test hooks are on.
pub const TEST_PANIC_MARKER: &str = "COPYDESK-TEST-PANIC-IN-WORKER";

/// One immutable, analysed version of a document. Feature handlers read
/// everything from here, so all their answers agree with one text.
#[derive(Debug)]
pub struct AnalyzedSnapshot {
    pub uri: Uri,
    pub version: i32,
    pub kind: DocumentKind,
    /// The text the analysis was computed on. An `Arc<String>` rather than an
    /// `Arc<str>`: the next version's text is this buffer with the edits
    /// applied in place, when nothing else holds this snapshot any more (see
    /// [`AnalysisSlot::analyze_unless_stale`]).
    pub text: Arc<String>,
    /// The same text as a rope.
    pub rope: Rope,
    /// Where the lines of `text` start: every position conversion of the
    /// snapshot goes through it. Must be built from `text`.
    pub lines: LineIndex,
    /// The negotiated position encoding.
    pub encoding: PositionEncoding,
    /// The full analysis (byte offsets into `text`).
    pub analysis: DocumentAnalysis,
    /// Which stylebook/settings generation the analysis used.
    pub config_generation: u64,
}

impl AnalyzedSnapshot {
    /// The byte offset of an LSP position (clamped, on a char boundary).
    pub fn offset_at(&self, position: Position) -> usize {
        self.lines.offset(&self.text, position, self.encoding)
    }

    /// The LSP position of a byte offset.
    pub fn position_at(&self, offset: usize) -> Position {
        self.lines.position(&self.text, offset, self.encoding)
    }

    /// The LSP range of a core span.
    pub fn range_of(&self, span: Span) -> Range {
        self.lines.range(&self.text, span, self.encoding)
    }

    /// The byte span of an LSP range (clamped).
    pub fn span_of(&self, range: Range) -> Span {
        self.lines.span(&self.text, range, self.encoding)
    }

    /// A snapshot of `text` as a plain-text draft, analysed with the default
    /// settings, for the unit tests of the modules that read snapshots.
    #[cfg(test)]
    pub fn of_plain_text(uri: &str, version: i32, text: &str, encoding: PositionEncoding) -> AnalyzedSnapshot {
        let analysis = Analyzer::new().analyze(text, DocumentKind::PlainText, &Config::default());
        AnalyzedSnapshot {
            uri: uri.parse().expect("a URI"),
            version,
            kind: DocumentKind::PlainText,
            text: Arc::new(text.to_owned()),
            rope: Rope::from_str(text),
            lines: LineIndex::new(text),
            encoding,
            analysis,
            config_generation: 0,
        }
    }
}

/// What the analysis worker is asked to analyse: one version of one document.
#[derive(Debug, Clone)]
pub struct AnalysisTicket {
    pub version: i32,
    pub rope: Rope,
    pub kind: DocumentKind,
    pub generation: u64,
}

/// The per-document analysis state: the paragraph cache and the latest snapshot.
#[derive(Debug, Default)]
pub struct AnalysisSlot {
    inner: Mutex<AnalysisSlotInner>,
    /// Woken each time an analysis (or a look at the slot by one) ends, so a
    /// request that found the slot busy waits for it on the async runtime.
    finished: tokio::sync::Notify,
    /// The edits applied to the document since the latest snapshot's
    /// version, for bringing that snapshot's text and line index up to date
    /// in place. A lock of its own, held only to add or take edits: the
    /// `didChange` handler adds to it while an analysis runs.
    edits: Mutex<EditLog>,
}

/// The document's edits not yet in the latest snapshot, each with the
/// version it belongs to, in the order applied.
#[derive(Debug, Default)]
struct EditLog {
    /// `None`: the whole text was replaced (or an edit could not be
    /// followed), so the text must be copied from the rope afresh.
    entries: Vec<(i32, Option<ByteEdit>)>,
    /// Bytes inserted by the entries.
    inserted: usize,
}

/// How much the edit log holds before it gives up on following the edits
/// (when no analysis takes them, as when every analysis of the document
/// panics): past this, copying the rope out afresh is as cheap, and the log
/// must not grow without end.
const EDIT_LOG_MAX_ENTRIES: usize = 4096;
const EDIT_LOG_MAX_BYTES: usize = 1 << 20;

impl EditLog {
    fn record(&mut self, version: i32, edit: Option<ByteEdit>) {
        let inserted = edit.as_ref().map_or(0, |edit| edit.inserted.len());
        if edit.is_none() || self.entries.len() >= EDIT_LOG_MAX_ENTRIES || self.inserted + inserted > EDIT_LOG_MAX_BYTES
        {
            // Nothing before a fresh copy matters any more. The marker takes
            // the version of the first edit it replaces, so an analysis of
            // any version that needed one of those edits copies afresh too.
            let first = self.entries.first().map_or(version, |(first, _)| *first);
            self.entries.clear();
            self.entries.push((first, None));
            self.inserted = 0;
            return;
        }
        self.inserted += inserted;
        self.entries.push((version, edit));
    }

    /// Removes and returns the entries of `version` and earlier.
    fn take_through(&mut self, version: i32) -> Vec<(i32, Option<ByteEdit>)> {
        let count = self.entries.iter().take_while(|(edited, _)| *edited <= version).count();
        let taken: Vec<_> = self.entries.drain(..count).collect();
        self.inserted -=
            taken.iter().filter_map(|(_, edit)| edit.as_ref()).map(|edit| edit.inserted.len()).sum::<usize>();
        taken
    }
}

/// What a request finds in the slot (see [`AnalysisSlot::current`]).
#[derive(Debug)]
pub enum SlotState {
    /// The latest snapshot describes the version asked for.
    Current(Arc<AnalyzedSnapshot>),
    /// An analysis is running (the worker's, or another request's).
    Busy,
    /// Nothing describes the version asked for, and nothing is running.
    Stale,
}

/// Wakes a slot's waiters when dropped: after the slot's lock is released,
/// whether the analysis ended normally or by a panic.
struct WakeWaitersOnDrop<'a>(&'a tokio::sync::Notify);

impl Drop for WakeWaitersOnDrop<'_> {
    fn drop(&mut self) {
        self.0.notify_waiters();
    }
}

/// How many analyses the server has run, and in how many the document
/// stage's output was carried over from the previous version: process-wide
/// counts for the keystroke benchmark.
pub static ANALYSES_RUN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
pub static DOCUMENT_STAGES_CARRIED_OVER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
/// How many times the server's idle work after a keystroke
/// ([`AnalysisSlot::prepare_next_edit`]) was kept; for the benchmark.
pub static IDLE_PREPARATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

#[derive(Debug, Default)]
struct AnalysisSlotInner {
    analyzer: Analyzer,
    latest: Option<Arc<AnalyzedSnapshot>>,
}

impl AnalysisSlot {
    /// The latest snapshot if it describes `version` under `config_generation`,
    /// else whether an analysis is running.
    ///
    /// Never waits: this runs on the async runtime, and the lock is held for a
    /// whole analysis. Waiting here would stall the server's message loop (no
    /// `$/cancelRequest`, no other request) for the length of an analysis;
    /// when the slot is busy the caller awaits [`AnalysisSlot::finished`].
    pub fn current(&self, version: i32, config_generation: u64) -> SlotState {
        // Another request may find the slot busy because this one holds the
        // lock for this look: wake it when the look is over (after the
        // guard below is dropped), or it would wait for the next analysis.
        let _wake_waiters;
        let inner = match self.inner.try_lock() {
            Ok(inner) => inner,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return SlotState::Busy,
        };
        _wake_waiters = WakeWaitersOnDrop(&self.finished);
        match inner.latest.as_ref() {
            Some(latest) if latest.version == version && latest.config_generation == config_generation => {
                SlotState::Current(Arc::clone(latest))
            }
            _ => SlotState::Stale,
        }
    }

    /// Records an edit of `version` (`None`: the whole text replaced), applied
    /// to the document's rope in order with every other.
    pub fn record_edit(&self, version: i32, edit: Option<ByteEdit>) {
        self.edits.lock().unwrap_or_else(std::sync::PoisonError::into_inner).record(version, edit);
    }

    /// The text of `ticket` and its line index, for a ticket newer than the
    /// `previous` latest snapshot: that snapshot's text and index with the
    /// logged edits applied, in place when nothing else holds the snapshot
    /// (a copy otherwise). Copying the rope out and indexing the copy were
    /// both passes over the whole draft on every keystroke. Falls back to
    /// the copy whenever the edits cannot be followed exactly.
    fn follow_edits(
        &self,
        ticket: &AnalysisTicket,
        previous: Option<&mut Arc<AnalyzedSnapshot>>,
    ) -> (Arc<String>, LineIndex, Option<TextChange>) {
        let edits = self.edits.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take_through(ticket.version);
        if let Some(previous) = previous {
            let since = previous.version;
            let (text, lines) = match Arc::get_mut(previous) {
                Some(unshared) => {
                    // No other snapshot shares a snapshot's text; were one to,
                    // a copy would do as well.
                    let text = match Arc::get_mut(&mut unshared.text) {
                        Some(text) => std::mem::take(text),
                        None => unshared.text.as_ref().clone(),
                    };
                    (text, std::mem::take(&mut unshared.lines))
                }
                None => (previous.text.as_ref().clone(), previous.lines.clone()),
            };
            let newer = edits.iter().filter(|(version, _)| *version > since).map(|(_, edit)| edit.as_ref());
            if let Some((text, lines, change)) = apply_edits(text, lines, newer, since) {
                if text.len() == ticket.rope.len_bytes() {
                    debug_assert!(ticket.rope == text.as_str(), "the followed text equals the rope");
                    debug_assert!(lines == LineIndex::new(&text), "the followed line index equals a fresh one");
                    return (Arc::new(text), lines, Some(change));
                }
            }
        }
        let text = ticket.rope.to_string();
        let lines = LineIndex::new(&text);
        (Arc::new(text), lines, None)
    }

    /// A future that completes when the analysis running now ends. Create and
    /// enable it before calling [`AnalysisSlot::current`], so an analysis
    /// ending in between is not missed.
    pub fn finished(&self) -> tokio::sync::futures::Notified<'_> {
        self.finished.notified()
    }

    /// Analyses the ticket's text (reusing cached paragraphs), unless the latest
    /// snapshot already describes it, and hands back the snapshot the new one
    /// replaced, so the caller chooses when to free it. Blocking: call from the
    /// blocking pool.
    pub fn analyze_replacing(
        &self,
        uri: &Uri,
        ticket: &AnalysisTicket,
        config: &Config,
        config_generation: u64,
        encoding: PositionEncoding,
    ) -> Analyzed {
        self.analyze_unless_stale(uri, ticket, config, config_generation, encoding, || true)
            .unwrap_or_else(|| unreachable!("the ticket is always wanted"))
    }

    /// [`AnalysisSlot::analyze_replacing`] for the document's worker, which
    /// needs the analysis only while its ticket is the document's current
    /// version: `None`, analysing nothing, when `still_wanted` (asked once the
    /// lock is held, and only when the latest snapshot does not already
    /// describe the ticket) says a newer edit has come in. The worker may
    /// have waited for the lock behind a request analysing that newer
    /// version; analysing its own, stale, version after it would only delay
    /// the next keystroke (its diagnostics could never be published).
    pub fn analyze_unless_stale(
        &self,
        uri: &Uri,
        ticket: &AnalysisTicket,
        config: &Config,
        config_generation: u64,
        encoding: PositionEncoding,
        still_wanted: impl FnOnce() -> bool,
    ) -> Option<Analyzed> {
        // Declared before the lock's guard, so dropped after it: waiters wake
        // to an unlocked slot.
        let _wake_waiters = WakeWaitersOnDrop(&self.finished);
        // A panic in a previous analysis poisons the lock; the analyzer's cache
        // holds only finished paragraph results, so it is safe to keep using it.
        let mut inner = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(latest) = &inner.latest {
            if latest.version == ticket.version && latest.config_generation == config_generation {
                return Some(Analyzed { snapshot: Arc::clone(latest), replaced: None, change: None });
            }
        }
        if !still_wanted() {
            return None;
        }
        let newer_than_stored = inner
            .latest
            .as_ref()
            .is_none_or(|latest| (latest.version, latest.config_generation) <= (ticket.version, config_generation));
        // The snapshot about to be replaced shares the last output with the
        // analyzer, which carries that output over to the new text when the
        // edit cannot change it: in place if nobody else holds it, by copying
        // it otherwise (a whole draft's worth of strings). Requests cannot
        // take the latest snapshot while the lock is held, so when none
        // holds it now its share is let go before the analysis.
        let mut replaced = inner.latest.take_if(|_| newer_than_stored);
        if let Some(unshared) = replaced.as_mut().and_then(Arc::get_mut) {
            unshared.analysis.analysis = Arc::default();
        }
        // An older version than the stored one (a request's, rare) is copied
        // from its rope: the edit log runs forward from the stored version.
        let (text, lines, change) = if newer_than_stored {
            self.follow_edits(ticket, replaced.as_mut())
        } else {
            let text = ticket.rope.to_string();
            let lines = LineIndex::new(&text);
            (Arc::new(text), lines, None)
        };
        super::probe::stamp(super::probe::Stage::TextReady);
        let analysis = inner.analyzer.analyze(&text, ticket.kind, config);
        ANALYSES_RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if inner.analyzer.last_carried_output() {
            DOCUMENT_STAGES_CARRIED_OVER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        super::probe::stamp(super::probe::Stage::Analysed);
        let snapshot = Arc::new(AnalyzedSnapshot {
            uri: uri.clone(),
            version: ticket.version,
            kind: ticket.kind,
            text,
            rope: ticket.rope.clone(),
            lines,
            encoding,
            analysis,
            config_generation,
        });
        // An older version than the one stored leaves the stored one in place.
        if newer_than_stored {
            inner.latest = Some(Arc::clone(&snapshot));
        }
        super::probe::stamp(super::probe::Stage::SnapshotBuilt);
        Some(Analyzed { snapshot, replaced, change })
    }
}

impl AnalysisSlot {
    /// Whether the idle work would do anything now: `false` too when an
    /// analysis holds the slot (its own idle work follows it). Never waits.
    pub fn idle_work_waiting(&self, config: &Config) -> bool {
        // A request that finds the slot busy because of this look waits
        // for the slot's waiters to be woken: woken when the look is over.
        let _wake_waiters = WakeWaitersOnDrop(&self.finished);
        let inner = match self.inner.try_lock() {
            Ok(inner) => inner,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return false,
        };
        inner.analyzer.next_edit_work_waiting(config)
    }

    /// Idle work once the latest version's diagnostics are out
    /// ([`Analyzer::next_edit_preparation`]): what makes the writer's next
    /// keystroke cheap, done while the writer is not waiting for anything.
    /// The lock is held only to take what the work needs and to hand its
    /// result back, not while it runs (a few milliseconds in a long
    /// draft), so a request or the next keystroke's analysis does not wait
    /// for it; when an analysis has run in the meantime, the result is
    /// dropped. Done only when `still_idle` (asked once the lock is held)
    /// says no newer edit has come in, and only for an analysis under
    /// `config_generation`. Returns whether the result was kept. Blocking:
    /// call from the blocking pool, as the analysis.
    pub fn prepare_next_edit(
        &self,
        config: &Config,
        config_generation: u64,
        still_idle: impl FnOnce() -> bool,
    ) -> bool {
        let lock = || self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Each hold of the lock wakes the slot's waiters when it ends (a
        // request that found the slot busy waits for that), the guard
        // dropped before the waker.
        let preparation = {
            let _wake_waiters = WakeWaitersOnDrop(&self.finished);
            let inner = lock();
            if inner.latest.as_ref().is_none_or(|latest| latest.config_generation != config_generation) || !still_idle()
            {
                return false;
            }
            inner.analyzer.next_edit_preparation(config)
        };
        let Some(preparation) = preparation else { return false };
        let prepared = preparation.run(config);
        let kept = {
            let _wake_waiters = WakeWaitersOnDrop(&self.finished);
            lock().analyzer.install_prepared(prepared)
        };
        if kept {
            IDLE_PREPARATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        kept
    }
}

/// `text` (of version `since`) and its index with `edits` applied in order,
/// and the region they changed, or `None` when one of them does not fit the
/// text (or the whole text was replaced).
fn apply_edits<'a>(
    mut text: String,
    mut lines: LineIndex,
    edits: impl Iterator<Item = Option<&'a ByteEdit>>,
    since: i32,
) -> Option<(String, LineIndex, TextChange)> {
    let old_lines = lines.line_count();
    let mut region: Option<(usize, usize, usize)> = None;
    for edit in edits {
        let edit = edit?;
        let fits = edit.start <= edit.end
            && edit.end <= text.len()
            && text.is_char_boundary(edit.start)
            && text.is_char_boundary(edit.end);
        if !fits {
            return None;
        }
        text.replace_range(edit.start..edit.end, &edit.inserted);
        lines.edit(&text, edit.start, edit.end, edit.inserted.len());
        // The region changed so far (start, old end, new end), widened to
        // take in this edit: what lies past both ends is unchanged bytes of
        // the old text.
        let (start, old_end, new_end) = region.unwrap_or((edit.start, edit.end, edit.end));
        let end = new_end.max(edit.end);
        region =
            Some((start.min(edit.start), end - new_end + old_end, end - edit.end + edit.start + edit.inserted.len()));
    }
    // No edit (a new stylebook): an empty change at the end.
    let (start, old_end, new_end) = region.unwrap_or((text.len(), text.len(), text.len()));
    let lines_added = lines.line_count() as isize - old_lines as isize;
    Some((text, lines, TextChange { since, start, old_end, new_end, lines_added }))
}

/// What [`AnalysisSlot::analyze_replacing`] returns.
#[derive(Debug)]
pub struct Analyzed {
    pub snapshot: Arc<AnalyzedSnapshot>,
    /// The snapshot this one replaced as the latest, if any. Freeing a whole
    /// analysis of a long draft takes a while (a few percent of analysing
    /// it), so the worker frees it after the diagnostics are on their way.
    pub replaced: Option<Arc<AnalyzedSnapshot>>,
    /// How the snapshot's text differs from the one it replaced, when the
    /// edits between them were followed (for `publish_body_reusing`).
    pub change: Option<TextChange>,
}

/// An open document.
#[derive(Debug)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub kind: DocumentKind,
    pub language_id: String,
    /// Distinguishes this opening of the URI from earlier ones (a reopen is a
    /// fresh document, and its versions may start lower).
    pub generation: u64,
    pub slot: Arc<AnalysisSlot>,
    /// Wakes the document's analysis worker; dropping it stops the worker.
    pub worker: watch::Sender<Option<AnalysisTicket>>,
}

impl Document {
    pub fn ticket(&self) -> AnalysisTicket {
        AnalysisTicket { version: self.version, rope: self.rope.clone(), kind: self.kind, generation: self.generation }
    }
}

/// Result of applying a `didChange`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeOutcome {
    Applied,
    /// The version was not newer than the document's; nothing was changed.
    Stale {
        current: i32,
    },
    /// The document is not open.
    NotOpen,
}

/// The state shared by all handlers.
#[derive(Debug)]
pub struct ServerState {
    pub options: ServerOptions,
    documents: DashMap<Uri, Document>,
    encoding: AtomicU8,
    settings: RwLock<Settings>,
    config: RwLock<Arc<Config>>,
    config_generation: AtomicU64,
    next_generation: AtomicU64,
    /// Where `publishDiagnostics` frames go (see `output.rs`).
    frames: FrameSender,
    /// The last semantic tokens sent per document, for `full/delta` requests.
    pub semantic_tokens: super::methods::semantic_tokens_full::SemanticTokensCache,
    /// The stylebook, push/pull choice and typing positions (see `stylebook.rs`).
    pub rules: super::stylebook::RulesState,
}

impl ServerState {
    pub fn new(options: ServerOptions, frames: FrameSender) -> ServerState {
        ServerState {
            options,
            documents: DashMap::new(),
            encoding: AtomicU8::new(encoding_to_u8(PositionEncoding::Utf16)),
            settings: RwLock::new(Settings::default()),
            config: RwLock::new(Arc::new(Config::default())),
            config_generation: AtomicU64::new(0),
            next_generation: AtomicU64::new(1),
            frames,
            semantic_tokens: Default::default(),
            rules: super::stylebook::RulesState::default(),
        }
    }

    /// The negotiated position encoding (UTF-16 until `initialize` says otherwise).
    pub fn encoding(&self) -> PositionEncoding {
        encoding_from_u8(self.encoding.load(Ordering::Acquire))
    }

    pub fn set_encoding(&self, encoding: PositionEncoding) {
        self.encoding.store(encoding_to_u8(encoding), Ordering::Release);
    }

    pub fn settings(&self) -> Settings {
        self.settings.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    pub fn set_settings(&self, settings: Settings) {
        *self.settings.write().unwrap_or_else(std::sync::PoisonError::into_inner) = settings;
    }

    /// The stylebook in force, and its generation (bumped on every change so
    /// snapshots analysed under an older stylebook are recomputed).
    pub fn config(&self) -> (Arc<Config>, u64) {
        let config = Arc::clone(&self.config.read().unwrap_or_else(std::sync::PoisonError::into_inner));
        (config, self.config_generation.load(Ordering::Acquire))
    }

    /// Replaces the stylebook and asks every open document to be analysed again.
    pub fn set_config(&self, config: Config) {
        {
            let mut slot = self.config.write().unwrap_or_else(std::sync::PoisonError::into_inner);
            *slot = Arc::new(config);
            self.config_generation.fetch_add(1, Ordering::AcqRel);
        }
        self.reanalyze_all();
    }

    /// Wakes every document's worker (after a settings or stylebook change).
    pub fn reanalyze_all(&self) {
        for document in &self.documents {
            document.worker.send_replace(Some(document.ticket()));
        }
    }

    /// Opens (or reopens, as a fresh document) `uri`. Returns the new document's
    /// generation and the receiver its worker must listen on.
    pub fn open(
        &self,
        uri: Uri,
        text: &str,
        version: i32,
        kind: DocumentKind,
        language_id: String,
    ) -> (u64, Arc<AnalysisSlot>, watch::Receiver<Option<AnalysisTicket>>) {
        let generation = self.next_generation.fetch_add(1, Ordering::AcqRel);
        let rope = Rope::from_str(text);
        let slot = Arc::new(AnalysisSlot::default());
        let ticket = AnalysisTicket { version, rope: rope.clone(), kind, generation };
        let (sender, receiver) = watch::channel(Some(ticket));
        let document =
            Document { rope, version, kind, language_id, generation, slot: Arc::clone(&slot), worker: sender };
        // Replacing an existing entry drops its worker sender, which stops that worker.
        self.documents.insert(uri, document);
        (generation, slot, receiver)
    }

    /// Applies a `didChange` synchronously: checks the version is newer, applies
    /// every content change in order (each relative to the text the previous
    /// one left), then wakes the worker. Never awaits, so no other message can
    /// be handled between receiving the change and applying it.
    pub fn apply_changes(&self, uri: &Uri, version: i32, changes: &[TextDocumentContentChangeEvent]) -> ChangeOutcome {
        let encoding = self.encoding();
        let Some(mut document) = self.documents.get_mut(uri) else { return ChangeOutcome::NotOpen };
        if version <= document.version {
            return ChangeOutcome::Stale { current: document.version };
        }
        for change in changes {
            let edit = positions::apply_content_change(&mut document.rope, change, encoding);
            document.slot.record_edit(version, edit);
        }
        document.version = version;
        // Before the worker wakes, so its diagnostics for this version already
        // know which word is being typed.
        self.rules.record_typing(uri, version, changes, encoding);
        let ticket = document.ticket();
        document.worker.send_replace(Some(ticket));
        super::probe::stamp(super::probe::Stage::Applied);
        ChangeOutcome::Applied
    }

    /// Closes `uri`: frees the rope, the analysis cache and the worker, and
    /// clears its diagnostics. Returns false when it was not open.
    pub fn close(&self, uri: &Uri) -> bool {
        let removed = self.documents.remove(uri).is_some();
        self.semantic_tokens.forget(uri);
        if removed {
            // Queued behind any diagnostics already on their way (see
            // `publish_diagnostics`), so the clear wins.
            self.frames.send_body(&clear_body(uri));
        }
        removed
    }

    /// Stashes the JSON of a response's `result` for the output to put in
    /// place of the placeholder named by the returned token (see `output.rs`).
    pub fn stash_result(&self, result: Vec<u8>) -> u64 {
        self.frames.stash_result(result)
    }

    /// The current version and generation of `uri`, when open.
    pub fn current_version(&self, uri: &Uri) -> Option<(u64, i32)> {
        self.documents.get(uri).map(|document| (document.generation, document.version))
    }

    /// The current text and version of `uri` (a copy), when open.
    pub fn document_text(&self, uri: &Uri) -> Option<(i32, String)> {
        self.documents.get(uri).map(|document| (document.version, document.rope.to_string()))
    }

    /// The URIs of every open document.
    pub fn open_documents(&self) -> Vec<Uri> {
        self.documents.iter().map(|entry| entry.key().clone()).collect()
    }

    /// How many documents are open (for tests: didClose frees them).
    pub fn open_document_count(&self) -> usize {
        self.documents.len()
    }

    /// Queues `body` (a `publishDiagnostics` notification for `version` of the
    /// opening `generation` of `uri`) for the output, unless that version is
    /// no longer the current one: stale diagnostics are never published (VS
    /// Code ignores the version field). The check and the queueing happen
    /// while the document's entry is read-locked, and `didClose` removes the
    /// entry (write lock) before queueing its clear, so diagnostics that pass
    /// the check are always queued before the clear.
    pub fn publish_diagnostics(&self, uri: &Uri, generation: u64, version: i32, body: FramedBody) -> bool {
        let Some(document) = self.documents.get(uri) else { return false };
        let current = document.generation == generation && document.version == version;
        if current {
            self.frames.send_framed(body);
        }
        drop(document);
        current
    }

    /// A consistent analysed snapshot of the current version of `uri`, or
    /// `None` when the document is not open (or its analysis panicked).
    /// Analyses on the blocking pool when the stored analysis is out of date.
    pub async fn snapshot_for_request(&self, uri: &Uri) -> Option<Arc<AnalyzedSnapshot>> {
        let (ticket, slot) = {
            let document = self.documents.get(uri)?;
            (document.ticket(), Arc::clone(&document.slot))
        };
        let (config, config_generation) = self.config();
        // While an analysis runs (usually the worker's, of this very version:
        // it starts at every edit), wait for it here rather than on a blocking
        // thread behind the slot's lock: when it is done, this handler answers
        // at once, with no other thread to wake first.
        loop {
            let finished = slot.finished();
            tokio::pin!(finished);
            finished.as_mut().enable();
            match slot.current(ticket.version, config_generation) {
                SlotState::Current(snapshot) => return Some(snapshot),
                SlotState::Busy => finished.await,
                SlotState::Stale => break,
            }
        }
        let encoding = self.encoding();
        let uri = uri.clone();
        let test_hooks = self.options.test_hooks;
        let analyzed = tokio::task::spawn_blocking(move || {
            check_test_panic(test_hooks, &ticket);
            slot.analyze_replacing(&uri, &ticket, &config, config_generation, encoding)
        })
        .await
        .ok()?;
        free_later(analyzed.replaced);
        Some(analyzed.snapshot)
    }
}

/// Frees a replaced snapshot on the blocking pool, off the path of the
/// request or the publishing that replaced it: freeing the whole analysis of
/// a 10,000-word draft takes a good part of a millisecond (thousands of
/// small allocations), which a request sent right after a keystroke, or the
/// next keystroke's analysis, would otherwise wait for. Must be called
/// inside the tokio runtime.
pub fn free_later(replaced: Option<Arc<AnalyzedSnapshot>>) {
    if let Some(replaced) = replaced {
        // Only the last owner frees anything; a snapshot a request still
        // holds is freed when that request is done with it.
        if Arc::strong_count(&replaced) == 1 {
            tokio::task::spawn_blocking(move || drop(replaced));
        }
    }
}

/// With test hooks on, panics when the text contains [`TEST_PANIC_MARKER`].
pub fn check_test_panic(test_hooks: bool, ticket: &AnalysisTicket) {
    if test_hooks && ticket.rope.chunks().any(|chunk| chunk.contains(TEST_PANIC_MARKER)) {
        panic!("test hook: the document contains the panic marker");
    }
}

fn encoding_to_u8(encoding: PositionEncoding) -> u8 {
    match encoding {
        PositionEncoding::Utf8 => 8,
        PositionEncoding::Utf16 => 16,
        PositionEncoding::Utf32 => 32,
    }
}

fn encoding_from_u8(value: u8) -> PositionEncoding {
    match value {
        8 => PositionEncoding::Utf8,
        32 => PositionEncoding::Utf32,
        _ => PositionEncoding::Utf16,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(version: i32, text: &str) -> AnalysisTicket {
        AnalysisTicket { version, rope: Rope::from_str(text), kind: DocumentKind::PlainText, generation: 1 }
    }

    #[test]
    fn a_stale_ticket_is_not_analysed_but_a_done_one_is_shared() {
        let slot = AnalysisSlot::default();
        let uri: Uri = "file:///desk/a.txt".parse().expect("a URI");
        let config = Config::default();
        let encoding = PositionEncoding::Utf16;
        let first = ticket(1, "The mayor said \"yes.\n");
        assert!(slot.analyze_unless_stale(&uri, &first, &config, 0, encoding, || false).is_none());
        assert!(matches!(slot.current(1, 0), SlotState::Stale));
        let analyzed = slot.analyze_unless_stale(&uri, &first, &config, 0, encoding, || true).expect("analysed");
        assert_eq!(analyzed.snapshot.version, 1);
        // Already analysed: shared even when no longer wanted, never analysed twice.
        let again = slot.analyze_unless_stale(&uri, &first, &config, 0, encoding, || false).expect("shared");
        assert!(Arc::ptr_eq(&again.snapshot, &analyzed.snapshot));
        assert!(
            matches!(slot.current(1, 0), SlotState::Current(snapshot) if Arc::ptr_eq(&snapshot, &analyzed.snapshot))
        );
        assert!(matches!(slot.current(1, 1), SlotState::Stale), "another stylebook generation");
        assert!(slot.analyze_unless_stale(&uri, &ticket(2, "Later.\n"), &config, 0, encoding, || false).is_none());
    }

    /// The idle work runs only for an analysed version under the stylebook
    /// generation asked for, only while no newer edit has come in, and once.
    #[test]
    fn idle_work_runs_once_for_the_latest_analysis_and_only_while_idle() {
        let slot = AnalysisSlot::default();
        let config = Config::default();
        assert!(!slot.prepare_next_edit(&config, 0, || true), "nothing analysed yet");
        let first = ticket(1, "Harbour Commissioner Ulla Brandvik met Mayor Tomas Ek.\nBrandvik said \"yes.\"\n");
        let uri: Uri = "file:///desk/b.txt".parse().expect("a URI");
        slot.analyze_replacing(&uri, &first, &config, 0, PositionEncoding::Utf8);
        assert!(!slot.prepare_next_edit(&config, 1, || true), "another stylebook generation");
        assert!(!slot.prepare_next_edit(&config, 0, || false), "a newer edit waits");
        assert!(slot.prepare_next_edit(&config, 0, || true));
        assert!(!slot.prepare_next_edit(&config, 0, || true), "already done");
    }

    /// Random edits through `apply_changes`, analysed now and then (so edits
    /// coalesce), with a snapshot sometimes held as a request would (so its
    /// buffer cannot be reused) and an older version sometimes analysed after
    /// a newer one: every snapshot's text is its version's rope, its line
    /// index is a fresh index of that text, and the diagnostics published
    /// through the edit log's change are the bytes written from scratch.
    #[test]
    fn followed_text_line_index_and_diagnostics_equal_a_fresh_computation() {
        use proptest::prelude::*;
        use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

        use crate::lsp::diagnostics::{DiagnosticJsonCache, publish_body, publish_body_after_change};
        use crate::lsp::output::OutputQueue;

        const PIECES: &[&str] =
            &["a", " ", "Ana Lindqvist", " said ", "\"", "Lindqvist", ".", "\n", "\r\n", "\r", "é", "😀", "UN", ""];
        let start = "Mayor Ana Lindqvist said the plan was \"final.\n\
                     Lindqvist said \"it is final\" on Monday. 😀 Ana Lindqvist said so.\r\n\
                     He said \"the money is there,\" a source said. The UN said so.\n\
                     Ana Lindqvist met Tom Okafor. Okafor said \"no.\n";
        let change = (0u32..6, 0u32..40, 0u32..6, 0u32..40, prop::collection::vec(0..PIECES.len(), 0..3)).prop_map(
            |(start_line, start_character, end_line, end_character, pieces)| TextDocumentContentChangeEvent {
                range: Some(Range::new(
                    Position::new(start_line, start_character),
                    Position::new(end_line.min(start_line + 1), end_character),
                )),
                range_length: None,
                text: pieces.iter().map(|piece| PIECES[*piece]).collect(),
            },
        );
        // Per step: the changes of one didChange, whether to analyse after
        // it, whether to hold the snapshot, whether to hold a diagnostic back.
        let step = (prop::collection::vec(change, 1..3), 0u8..4, any::<bool>(), any::<bool>());
        let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
            cases: 64,
            failure_persistence: None,
            ..Default::default()
        });
        let followed = std::cell::Cell::new(0);
        let result = runner.run(&prop::collection::vec(step, 24), |steps| {
            let queue = OutputQueue::new();
            let state = ServerState::new(ServerOptions::default(), queue.frame_sender());
            let uri: Uri = "file:///desk/draft.txt".parse().expect("a URI");
            let (_, slot, _receiver) = state.open(uri.clone(), start, 1, DocumentKind::PlainText, "plaintext".into());
            let config = Config::default();
            let encoding = PositionEncoding::Utf16;
            let mut cache = DiagnosticJsonCache::default();
            let mut held = None;
            let mut older_ticket = None;
            for (version, (changes, analyse, hold, hold_back)) in (2..).zip(steps) {
                prop_assert_eq!(state.apply_changes(&uri, version, &changes), ChangeOutcome::Applied);
                let ticket = state.documents.get(&uri).expect("open").ticket();
                if analyse == 0 {
                    older_ticket = Some(ticket);
                    continue;
                }
                let analyzed = slot.analyze_replacing(&uri, &ticket, &config, 0, encoding);
                let snapshot = &analyzed.snapshot;
                prop_assert!(ticket.rope == snapshot.text.as_str());
                prop_assert_eq!(&snapshot.lines, &LineIndex::new(&snapshot.text));
                followed.set(followed.get() + usize::from(analyzed.change.is_some()));
                let held_back = snapshot
                    .analysis
                    .analysis
                    .diagnostics
                    .first()
                    .filter(|_| hold_back)
                    .map(|diagnostic| snapshot.range_of(diagnostic.span).end);
                let published = publish_body_after_change(snapshot, held_back, analyzed.change.as_ref(), &mut cache);
                let fresh = publish_body(snapshot, held_back);
                prop_assert_eq!(String::from_utf8_lossy(&published), String::from_utf8_lossy(&fresh));
                // A request holding the snapshot keeps its text as it was.
                if hold {
                    held = Some((Arc::clone(snapshot), ticket.rope.clone()));
                }
                if let Some((snapshot, rope)) = &held {
                    prop_assert!(*rope == snapshot.text.as_str());
                }
                // A request's older version, analysed after a newer one.
                if analyse == 1 {
                    if let Some(older) = older_ticket.take() {
                        let analyzed = slot.analyze_replacing(&uri, &older, &config, 0, encoding);
                        prop_assert!(older.rope == analyzed.snapshot.text.as_str());
                        prop_assert_eq!(&analyzed.snapshot.lines, &LineIndex::new(&analyzed.snapshot.text));
                    }
                }
            }
            Ok(())
        });
        if let Err(error) = result {
            panic!("{error}");
        }
        assert!(followed.get() > 100, "only {} analyses followed the edits", followed.get());
    }

    #[test]
    fn an_overflowing_edit_log_makes_every_version_it_dropped_copy_afresh() {
        let edit = |at: usize| Some(ByteEdit { start: at, end: at, inserted: "x".to_owned() });
        let mut log = EditLog::default();
        for version in 2..2 + EDIT_LOG_MAX_ENTRIES as i32 {
            log.record(version, edit(0));
        }
        assert!(log.entries.iter().all(|(_, edit)| edit.is_some()));
        // One more: the log gives up, and an analysis of version 3 (whose
        // edits were dropped) must not find an empty list.
        log.record(2 + EDIT_LOG_MAX_ENTRIES as i32, edit(0));
        assert_eq!(log.take_through(3), vec![(2, None)]);
        assert!(log.entries.is_empty());
        let mut log = EditLog::default();
        log.record(5, Some(ByteEdit { start: 0, end: 0, inserted: "y".repeat(EDIT_LOG_MAX_BYTES + 1) }));
        assert_eq!(log.take_through(5), vec![(5, None)]);
    }

    #[tokio::test]
    async fn a_request_waiting_on_a_busy_slot_wakes_when_the_analysis_ends() {
        let slot = Arc::new(AnalysisSlot::default());
        let guard = slot.inner.lock().expect("the lock");
        let finished = slot.finished();
        tokio::pin!(finished);
        finished.as_mut().enable();
        assert!(matches!(slot.current(1, 0), SlotState::Busy));
        let analysing = Arc::clone(&slot);
        let analysis = std::thread::spawn(move || {
            let uri: Uri = "file:///desk/a.txt".parse().expect("a URI");
            analysing.analyze_replacing(&uri, &ticket(1, "Text.\n"), &Config::default(), 0, PositionEncoding::Utf16)
        });
        // The analysis waits for the lock; once it is released, the analysis
        // runs and its end wakes the waiter.
        drop(guard);
        finished.await;
        assert!(analysis.join().is_ok());
        assert!(matches!(slot.current(1, 0), SlotState::Current(_)));
    }
}
