//! Trains the quoted-fragment model (`quotes::fragments`) on the PolNeAR
//! training split and writes `server/analysis/data/attribution.bin`.
//!
//! Usage: `cargo run --release -p copydesk-analysis --example train_attribution -- [MODE] [POLNEAR_DIR] [EPOCHS] [THRESHOLD]`
//! (default directory: `corpus/polnear` under `COPYDESK_SHARED`, or under
//! `../shared` beside the repository).
//! Modes:
//!
//! * `write` (default): trains on every training article and writes the model.
//! * `heldout`: trains on nine in ten training articles and scores the
//!   fragment decisions on the tenth, at several thresholds.
//! * `heldout-eval`: trains the same way, installs the model and prints the
//!   attribution scores of the held-out tenth, then of the same articles with
//!   the rules alone (a second process: the model is installed once).
//! * `rules-eval`: the held-out tenth with the rules alone.
//!
//! Only learned weights are written; no corpus text ends up in the file.
//! The dev split is never read: it is the held-out target.

use std::path::{Path, PathBuf};

use copydesk_analysis::evaluation::polnear::{PolnearDocument, evaluate};
use copydesk_analysis::quotes::fragments::{self, training};

/// The articles of one split, each text with its first annotation file.
fn read_split(folder: &Path) -> Vec<PolnearDocument> {
    let mut texts: Vec<PathBuf> = std::fs::read_dir(folder.join("text"))
        .map(|entries| entries.filter_map(Result::ok).map(|entry| entry.path()).collect())
        .unwrap_or_default();
    texts.retain(|path| path.extension().is_some_and(|extension| extension == "txt"));
    texts.sort();
    let mut annotations: Vec<PathBuf> = std::fs::read_dir(folder.join("attributions"))
        .map(|entries| entries.filter_map(Result::ok).map(|entry| entry.path()).collect())
        .unwrap_or_default();
    annotations.sort();
    texts
        .iter()
        .filter_map(|path| {
            let stem = path.file_stem()?.to_str()?;
            let annotation = annotations.iter().find(|candidate| {
                candidate.file_name().and_then(|name| name.to_str()).is_some_and(|name| {
                    name.ends_with(".ann") && name.strip_prefix(stem).is_some_and(|rest| rest.starts_with('_'))
                })
            })?;
            Some(PolnearDocument {
                name: stem.to_owned(),
                text: std::fs::read_to_string(path).ok()?,
                annotations: std::fs::read_to_string(annotation).ok()?,
            })
        })
        .collect()
}

/// An article with its position in name order (which decides its fold).
type Numbered<'a> = (usize, &'a PolnearDocument);

fn main() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut arguments = std::env::args().skip(1);
    let mode = arguments.next().unwrap_or_else(|| "write".to_owned());
    let shared = std::env::var_os("COPYDESK_SHARED").map_or_else(|| manifest.join("../../../shared"), PathBuf::from);
    let corpus = arguments.next().map_or_else(|| shared.join("corpus/polnear"), PathBuf::from);
    let epochs: usize = arguments.next().and_then(|value| value.parse().ok()).unwrap_or(10);
    let threshold: f32 = arguments.next().and_then(|value| value.parse().ok()).unwrap_or(0.0);
    let documents = read_split(&corpus.join("train"));
    if documents.is_empty() {
        eprintln!("no PolNeAR training articles under {}", corpus.display());
        std::process::exit(1);
    }
    let started = std::time::Instant::now();
    // Every tenth article (in name order) is held out in the held-out modes;
    // `HELDOUT_FOLDS` and `HELDOUT_FOLD` choose another cut (cross-validation).
    let folds: usize = std::env::var("HELDOUT_FOLDS").ok().and_then(|value| value.parse().ok()).unwrap_or(10);
    let fold: usize = std::env::var("HELDOUT_FOLD").ok().and_then(|value| value.parse().ok()).unwrap_or(0);
    let (kept, held_out): (Vec<Numbered<'_>>, Vec<Numbered<'_>>) =
        documents.iter().enumerate().partition(|(position, _)| position % folds != fold);
    let examples_of = |documents: &[Numbered<'_>]| -> Vec<training::Example> {
        documents.iter().flat_map(|(_, document)| training::examples(document)).collect()
    };
    match mode.as_str() {
        "write" => {
            let examples: Vec<training::Example> = documents.iter().flat_map(training::examples).collect();
            let positives = examples.iter().filter(|example| example.gold.is_some()).count();
            let bytes = training::train(&examples, epochs, threshold);
            let output = manifest.join("data/attribution.bin");
            std::fs::write(&output, &bytes).expect("model written");
            eprintln!(
                "{} fragments ({positives} in attributions); wrote {} ({} bytes) in {:.1?}",
                examples.len(),
                output.display(),
                bytes.len(),
                started.elapsed()
            );
        }
        "heldout" => {
            let train = examples_of(&kept);
            let test = examples_of(&held_out);
            let bytes = training::train(&train, epochs, 0.0);
            let positives = test.iter().filter(|example| example.gold.is_some()).count();
            eprintln!("held-out fragments {} ({positives} in attributions)", test.len());
            for threshold in [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0] {
                let scores = training::score(&bytes, &test, threshold);
                eprintln!("threshold {threshold:>5}: {scores:?}");
            }
        }
        "heldout-eval" => {
            let train = examples_of(&kept);
            let bytes = training::train(&train, epochs, threshold);
            assert!(fragments::install_model(&bytes), "model installed before any analysis");
            let test: Vec<PolnearDocument> = held_out.iter().map(|(_, document)| (*document).clone()).collect();
            eprintln!("held-out tenth, with the model:\n{}", evaluate(&test));
        }
        "rules-eval" => {
            assert!(fragments::install_model(&[]), "rules alone before any analysis");
            let test: Vec<PolnearDocument> = held_out.iter().map(|(_, document)| (*document).clone()).collect();
            eprintln!("held-out tenth, rules alone:\n{}", evaluate(&test));
        }
        other => {
            eprintln!("unknown mode `{other}` (write, heldout, heldout-eval, rules-eval)");
            std::process::exit(2);
        }
    }
}
