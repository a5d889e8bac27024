//! The keystroke bench's breakdown of a keystroke's latency by stage of the
//! server's path (`copydesk::lsp::probe`), on when `COPYDESK_BENCH_STAGES=1`:
//! from the client starting to send `didChange` to the client having read
//! and checked the `publishDiagnostics` of that version.

use copydesk::lsp::probe;

/// The per-keystroke durations of each step, in nanoseconds.
pub struct Stages {
    on: bool,
    started: u64,
    steps: Vec<Vec<u64>>,
}

/// The steps reported: from one stamp (or the client's start) to the next
/// (or the client's end).
const STEPS: [&str; 12] = [
    "client writes didChange, guard reads and checks it",
    "tower parses and dispatches it",
    "edit applied, worker woken (didChange handler)",
    "worker task scheduled",
    "slot locked, text and line index made",
    "analysis (core)",
    "snapshot built and stored",
    "publishDiagnostics JSON",
    "stale check, header, queueing",
    "output writer task wakes and takes the frame",
    "output writer writes the frame",
    "client reads and checks the frame",
];

impl Stages {
    pub fn from_env() -> Stages {
        let on = std::env::var("COPYDESK_BENCH_STAGES").is_ok_and(|value| value == "1");
        if on {
            probe::enable();
        }
        Stages { on, started: 0, steps: vec![Vec::new(); STEPS.len()] }
    }

    /// Call right before sending the keystroke.
    pub fn start(&mut self) {
        if self.on {
            self.started = probe::now();
        }
    }

    /// Call once the keystroke's diagnostics have been read.
    pub fn finish(&mut self) {
        if !self.on {
            return;
        }
        let ended = probe::now();
        let stamps = probe::stamps();
        let mut points = vec![self.started];
        points.extend(stamps);
        points.push(ended);
        // A stamp can land just after the client has moved on (the thread
        // that stamps it lost its CPU), or belong to an earlier keystroke:
        // each point is kept within the keystroke and after the one before.
        let mut floor = self.started;
        for point in &mut points {
            *point = (*point).clamp(floor, ended);
            floor = *point;
        }
        for (step, pair) in points.windows(2).enumerate() {
            self.steps[step].push(pair[1].saturating_sub(pair[0]));
        }
    }

    /// Prints the median and mean of each step, and their share of the total.
    pub fn report(&mut self, label: &str) {
        if !self.on || self.steps[0].is_empty() {
            return;
        }
        let mut total_mean = 0.0;
        let means: Vec<f64> = self
            .steps
            .iter()
            .map(|step| {
                let mean = step.iter().sum::<u64>() as f64 / step.len() as f64 / 1e6;
                total_mean += mean;
                mean
            })
            .collect();
        println!("stages of a keystroke through the server, {label} ({} keystrokes):", self.steps[0].len());
        for ((name, step), mean) in STEPS.iter().zip(&mut self.steps).zip(&means) {
            step.sort_unstable();
            let median = step[step.len() / 2] as f64 / 1e6;
            println!(
                "  {name:<52} median {median:.3} ms, mean {mean:.3} ms ({:.0} % of the mean total)",
                100.0 * mean / total_mean
            );
        }
        println!("  {:<52} mean {total_mean:.3} ms", "total");
    }
}
