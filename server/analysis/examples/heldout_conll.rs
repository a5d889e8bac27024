//! The held-out check for the name tagger and the rules around it: trains a
//! model in memory on four fifths of CoNLL-2003 `eng.train` (whole documents;
//! every fifth document is held out, see `conll::split_held_out`), then scores
//! the full analysis with that model on the held-out fifth and on `eng.testa`.
//! Nothing is written. A change that helps `eng.testa` but not the held-out
//! documents is tuned to `eng.testa`, not better.
//!
//! Usage: `cargo run --release -p copydesk-analysis --example heldout_conll -- [CORPUS_DIR] [EPOCHS] [EVERY]`
//! (defaults: `../shared/corpus` beside the repository, 10 epochs, every 5th document).

use std::path::PathBuf;

use copydesk_analysis::entities::tagger;
use copydesk_analysis::evaluation::conll::{evaluate_documents, parse_documents, split_held_out};

fn main() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut arguments = std::env::args().skip(1);
    let corpus = arguments.next().map_or_else(|| manifest.join("../../../shared/corpus"), PathBuf::from);
    let epochs: usize = arguments.next().and_then(|value| value.parse().ok()).unwrap_or(10);
    let every: usize = arguments.next().and_then(|value| value.parse().ok()).unwrap_or(5);
    let read = |name: &str| {
        let path = corpus.join("conll2003").join(name);
        std::fs::read_to_string(&path).map_err(|error| format!("skipping: cannot read {}: {error}", path.display()))
    };
    let (train_text, testa_text) = match (read("eng.train"), read("eng.testa")) {
        (Ok(train), Ok(testa)) => (train, testa),
        (Err(message), _) | (_, Err(message)) => {
            eprintln!("{message}");
            return;
        }
    };
    let (training, held_out) = split_held_out(parse_documents(&train_text), every);
    let bytes = tagger::training::train_documents(&training, epochs);
    assert!(tagger::install_model(&bytes), "the freshly trained model is installed before any analysis");
    eprintln!(
        "model trained on {} eng.train documents ({epochs} epochs); {} documents held out (every {every}th)",
        training.len(),
        held_out.len()
    );
    eprint!("held-out eng.train: {}", evaluate_documents(&held_out));
    eprint!("eng.testa (same model): {}", evaluate_documents(&parse_documents(&testa_text)));
}
