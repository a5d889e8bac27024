//! Timestamps along one keystroke's path through the server, for the
//! keystroke benchmark's breakdown of where the time goes (issue #3).
//!
//! Off unless a benchmark calls [`enable`]: each stamp is then one relaxed
//! atomic load. When on, each [`Stage`] keeps the time it was last reached
//! (nanoseconds since the probe's epoch), so a client that sends one
//! keystroke at a time and waits for its diagnostics reads, after each, the
//! time every stage of that keystroke took. Nothing is ever printed: the
//! benchmark reads the stamps and reports them.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

/// A point on a keystroke's path, in the order they are reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The input guard has read and checked a whole message.
    Framed,
    /// tower-lsp-server has parsed the `didChange` and called its handler.
    Handler,
    /// The edit is applied to the document and the worker woken.
    Applied,
    /// The worker has taken the new version.
    WorkerWoken,
    /// The worker holds the slot and has the text to analyse.
    TextReady,
    /// The core's analysis is done.
    Analysed,
    /// The snapshot (line index included) is built.
    SnapshotBuilt,
    /// The `publishDiagnostics` JSON is written.
    Serialised,
    /// The notification is framed and queued for the output.
    Queued,
    /// The output writer has taken a frame off its queue.
    WriterTook,
    /// The output writer has written a frame.
    Written,
}

/// How many stages there are.
pub const STAGES: usize = 11;

/// Every stage, in order, with a short name for reports.
pub const ALL: [(Stage, &str); STAGES] = [
    (Stage::Framed, "framed"),
    (Stage::Handler, "handler"),
    (Stage::Applied, "applied"),
    (Stage::WorkerWoken, "worker woken"),
    (Stage::TextReady, "text ready"),
    (Stage::Analysed, "analysed"),
    (Stage::SnapshotBuilt, "snapshot built"),
    (Stage::Serialised, "serialised"),
    (Stage::Queued, "queued"),
    (Stage::WriterTook, "writer took"),
    (Stage::Written, "written"),
];

static ENABLED: AtomicBool = AtomicBool::new(false);
static STAMPS: [AtomicU64; STAGES] = [const { AtomicU64::new(0) }; STAGES];

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Turns the stamps on (for the process's life).
pub fn enable() {
    epoch();
    ENABLED.store(true, Ordering::Release);
}

/// Nanoseconds since the probe's epoch, on the stamps' clock.
pub fn now() -> u64 {
    u64::try_from(epoch().elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// Records that `stage` has just been reached, when the probe is on.
#[inline]
pub fn stamp(stage: Stage) {
    if ENABLED.load(Ordering::Relaxed) {
        STAMPS[stage as usize].store(now(), Ordering::Relaxed);
    }
}

/// The last time each stage was reached, in [`ALL`]'s order (0: never).
pub fn stamps() -> [u64; STAGES] {
    std::array::from_fn(|index| STAMPS[index].load(Ordering::Relaxed))
}
