//! Prints entity P/R/F1 on a CoNLL-2003 file (default `eng.testa`) and the
//! throughput of the per-paragraph entity analysis on it.
//!
//! Usage: `cargo run --release -p copydesk-analysis --example eval_conll -- [FILE]`.
//! The `copydesk eval conll` command calls the same library function.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = std::env::args()
        .nth(1)
        .map_or_else(|| manifest.join("../../../shared/corpus/conll2003/eng.testa"), PathBuf::from);
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} is absent", path.display());
        return;
    };
    let started = std::time::Instant::now();
    let report = copydesk_analysis::evaluation::conll::evaluate(&text);
    eprint!("{report}");
    eprintln!("{:.2?}", started.elapsed());
}
