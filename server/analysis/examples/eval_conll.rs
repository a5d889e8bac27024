//! Prints entity P/R/F1 on a CoNLL-2003 file (default `eng.testa`) and the
//! throughput of the per-paragraph entity analysis on it.
//!
//! Usage: `cargo run --release -p copydesk-analysis --example eval_conll -- [FILE [MODEL]]`.
//! The `copydesk eval conll` command calls the same library function. With
//! MODEL (a `tagger.bin` written by `train_tagger`), that model replaces the
//! compiled-in one, so a retrained model can be scored without rebuilding.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = std::env::args()
        .nth(1)
        .map_or_else(|| manifest.join("../../../shared/corpus/conll2003/eng.testa"), PathBuf::from);
    if let Some(model_path) = std::env::args().nth(2) {
        let bytes = std::fs::read(&model_path).unwrap_or_else(|error| panic!("cannot read {model_path}: {error}"));
        assert!(copydesk_analysis::entities::tagger::install_model(&bytes), "{model_path} is not a current model");
    }
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} is absent", path.display());
        return;
    };
    let started = std::time::Instant::now();
    let report = copydesk_analysis::evaluation::conll::evaluate(&text);
    eprint!("{report}");
    eprintln!("{:.2?}", started.elapsed());
}
