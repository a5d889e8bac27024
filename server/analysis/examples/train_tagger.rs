//! Trains the name tagger on CoNLL-2003 `eng.train` and writes
//! `server/analysis/data/tagger.bin`.
//!
//! Usage: `cargo run --release -p copydesk-analysis --example train_tagger -- [CORPUS_DIR] [EPOCHS] [OUTPUT]`
//! (default corpus: `../shared/corpus` beside the repository; default output:
//! `server/analysis/data/tagger.bin`, which is compiled in). Only learned
//! weights are written; no corpus text ends up in the file.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut arguments = std::env::args().skip(1);
    let corpus = arguments.next().map_or_else(|| manifest.join("../../../shared/corpus"), PathBuf::from);
    let epochs: usize = arguments.next().and_then(|value| value.parse().ok()).unwrap_or(10);
    let train_path = corpus.join("conll2003/eng.train");
    let text = match std::fs::read_to_string(&train_path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("cannot read {}: {error}", train_path.display());
            std::process::exit(1);
        }
    };
    let started = std::time::Instant::now();
    let bytes = copydesk_analysis::entities::tagger::training::train(&text, epochs);
    let output = arguments.next().map_or_else(|| manifest.join("data/tagger.bin"), PathBuf::from);
    std::fs::write(&output, &bytes).expect("model written");
    eprintln!("wrote {} ({} bytes) in {:.1?}", output.display(), bytes.len(), started.elapsed());
}
