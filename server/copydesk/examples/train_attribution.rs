//! Trains the quoted-fragment model (`quotes::fragments`) and the join model
//! of floating quotes (`quotes::joins`) on the PolNeAR training split and
//! writes `server/analysis/data/attribution.bin` and
//! `server/analysis/data/attribution-joins.bin`.
//!
//! Usage: `cargo run --release -p copydesk --example train_attribution -- [MODE] [POLNEAR_DIR] [EPOCHS] [THRESHOLD]`
//! (default directory: `corpus/polnear` under `COPYDESK_SHARED`, or under
//! `../shared` beside the repository).
//! Modes:
//!
//! * `write` (default): trains on every training article and writes the model.
//! * `heldout`: trains on nine in ten training articles and scores the
//!   fragment decisions on the tenth, at several thresholds.
//! * `heldout-eval`: trains the same way, installs the model, then trains
//!   the join model on the analysis of the same articles and installs it,
//!   and prints the attribution scores of the held-out tenth (with
//!   `HELDOUT_SHOW=1`, and every error on standard output, as `copydesk
//!   eval --show-errors`) and how the join model did on its floating quotes.
//! * `rules-eval`: the held-out tenth with the rules alone.
//!
//! `JOIN_MODEL=0` leaves the join model out (the rule decides: a floating
//! quote goes on with the quote before it within a paragraph only);
//! `JOIN_EPOCHS` (10) and `JOIN_THRESHOLD` (0) tune it.
//!
//! Each mode first learns the cue lexicon (`fragments::CueLexicon`) from
//! the gold cues of the articles it trains on; `CUE_LEXICON=0` trains
//! without it, for comparison.
//!
//! Only learned weights and word hashes are written; no corpus text ends up
//! in the file.
//! An example of the `copydesk` crate, not of the analysis core, because
//! it reads the corpus from disk with `copydesk eval`'s reader.
//! The dev split is never read: it is the held-out target.

use std::io::Write;
use std::path::PathBuf;

use copydesk::cli::eval::read_polnear_split;
use copydesk_analysis::evaluation::polnear::{PolnearDocument, evaluate, evaluate_with_errors};
use copydesk_analysis::quotes::fragments::{self, training};
use copydesk_analysis::quotes::{extents, joins};

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
    let documents = read_polnear_split(&corpus.join("train"));
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
    let kept_documents: Vec<&PolnearDocument> = kept.iter().map(|(_, document)| *document).collect();
    // `CUE_LEXICON=0` trains without the cue lexicon (for comparison).
    let lexicon_of = |documents: &[&PolnearDocument]| {
        if std::env::var("CUE_LEXICON").is_ok_and(|value| value == "0") {
            fragments::CueLexicon::default()
        } else {
            training::cue_lexicon(documents)
        }
    };
    // The join model (`quotes::joins`) learns from the analysis of the
    // articles it trains on, with the fragment model already installed, so
    // that it sees the floating quotes the shipped analysis produces.
    // `JOIN_MODEL=0` leaves it out (the rule decides), for comparison.
    let join_epochs: usize = std::env::var("JOIN_EPOCHS").ok().and_then(|value| value.parse().ok()).unwrap_or(10);
    let join_threshold: f32 = std::env::var("JOIN_THRESHOLD").ok().and_then(|value| value.parse().ok()).unwrap_or(0.0);
    let train_joins = |documents: &[&PolnearDocument]| -> Vec<u8> {
        if std::env::var("JOIN_MODEL").is_ok_and(|value| value == "0") {
            return Vec::new();
        }
        joins::install_model(&[]);
        let examples: Vec<joins::training::Example> =
            documents.iter().flat_map(|document| joins::training::examples(document)).collect();
        let joined = examples.iter().filter(|example| example.joined).count();
        eprintln!("{} floating quotes ({joined} joined in the gold)", examples.len());
        joins::training::train(&examples, join_epochs, join_threshold)
    };
    // The extent model (`quotes::extents`) learns from the analysis of the
    // articles it trains on with the fragment model installed and no extent
    // model; the join model then learns from the analysis with both.
    // `EXTENT_MODEL=0` leaves it out, for comparison.
    let extent_epochs: usize = std::env::var("EXTENT_EPOCHS").ok().and_then(|value| value.parse().ok()).unwrap_or(10);
    let extent_threshold: f32 =
        std::env::var("EXTENT_THRESHOLD").ok().and_then(|value| value.parse().ok()).unwrap_or(2.0);
    let train_extents = |documents: &[&PolnearDocument]| -> Vec<u8> {
        extents::install_model(&[]);
        if std::env::var("EXTENT_MODEL").is_ok_and(|value| value == "0") {
            return Vec::new();
        }
        let examples: Vec<extents::training::Example> =
            documents.iter().flat_map(|document| extents::training::examples(document)).collect();
        let bytes = extents::training::train(&examples, extent_epochs, extent_threshold);
        let scores = extents::training::score(&bytes, &examples);
        eprintln!("{} statements for the extent model; on them: {scores:?}", examples.len());
        bytes
    };
    match mode.as_str() {
        "write" => {
            let examples: Vec<training::Example> = documents.iter().flat_map(training::examples).collect();
            let positives = examples.iter().filter(|example| example.gold.is_some()).count();
            let all: Vec<&PolnearDocument> = documents.iter().collect();
            let bytes = training::train(&examples, &lexicon_of(&all), epochs, threshold);
            let output = manifest.join("../analysis/data/attribution.bin");
            std::fs::write(&output, &bytes).expect("model written");
            assert!(fragments::install_model(&bytes), "model installed before any analysis");
            let extent_bytes = train_extents(&all);
            let extent_output = manifest.join("../analysis/data/attribution-extents.bin");
            std::fs::write(&extent_output, &extent_bytes).expect("extent model written");
            eprintln!("wrote {} ({} bytes)", extent_output.display(), extent_bytes.len());
            extents::install_model(&extent_bytes);
            let join_bytes = train_joins(&all);
            let join_output = manifest.join("../analysis/data/attribution-joins.bin");
            std::fs::write(&join_output, &join_bytes).expect("join model written");
            eprintln!("wrote {} ({} bytes)", join_output.display(), join_bytes.len());
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
            let bytes = training::train(&train, &lexicon_of(&kept_documents), epochs, 0.0);
            let positives = test.iter().filter(|example| example.gold.is_some()).count();
            eprintln!("held-out fragments {} ({positives} in attributions)", test.len());
            // `FRAGMENT_SHOW=1` lists every decision that went wrong, and
            // every accepted extent beside the gold one.
            let show = std::env::var_os("FRAGMENT_SHOW").is_some();
            for threshold in [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0] {
                let mut errors = Vec::new();
                let scores = training::score(&bytes, &test, threshold, show.then_some(&mut errors));
                for error in &errors {
                    eprintln!("{error}");
                }
                eprintln!("threshold {threshold:>5}: {scores:?}");
            }
        }
        "heldout-eval" => {
            let train = examples_of(&kept);
            let bytes = training::train(&train, &lexicon_of(&kept_documents), epochs, threshold);
            assert!(fragments::install_model(&bytes), "model installed before any analysis");
            let extent_bytes = train_extents(&kept_documents);
            extents::install_model(&extent_bytes);
            // How the extent model does on the held-out statements (the
            // examples read the analysis with the rules' extents).
            let held: Vec<extents::training::Example> =
                held_out.iter().flat_map(|(_, document)| extents::training::examples(document)).collect();
            eprintln!("held-out extents: {:?}", extents::training::score(&extent_bytes, &held));
            // `EXTENT_SHOW=1` lists the held-out statements the rules or the
            // model leave unmatched.
            if std::env::var_os("EXTENT_SHOW").is_some() {
                let mut lines = Vec::new();
                extents::training::describe(&extent_bytes, &held, &mut lines);
                for line in lines {
                    eprintln!("{line}");
                }
            }
            let join_bytes = train_joins(&kept_documents);
            joins::install_model(&join_bytes);
            // How the join model does on the held-out floating quotes, by
            // gold reading and by whether the quote opens a new paragraph.
            if let Some(model) = joins::model() {
                let mut table = [[[0_usize; 2]; 2]; 2];
                for (_, document) in &held_out {
                    for example in joins::training::examples(document) {
                        let predicted = model.score(&example.features) > join_threshold;
                        table[usize::from(example.same_paragraph)][usize::from(example.joined)]
                            [usize::from(predicted)] += 1;
                    }
                }
                for (same, name) in [(1, "same paragraph"), (0, "new paragraph")] {
                    eprintln!(
                        "held-out floating quotes, {name}: joined in the gold {} (we join {}), apart {} (we join {})",
                        table[same][1][0] + table[same][1][1],
                        table[same][1][1],
                        table[same][0][0] + table[same][0][1],
                        table[same][0][1]
                    );
                }
            }
            let test: Vec<PolnearDocument> = held_out.iter().map(|(_, document)| (*document).clone()).collect();
            // On train without holding out, the model has learned most of
            // the quoted fragments it misses elsewhere: the held-out errors
            // are the ones to read.
            print_evaluation("held-out tenth, with the model", &test);
        }
        // The three models `write` would write, trained on all of train and
        // installed in this process, scoring dev: what a rule change does
        // to dev once the models are retrained on it, with no rebuild.
        "dev-eval" => {
            let examples: Vec<training::Example> = documents.iter().flat_map(training::examples).collect();
            let all: Vec<&PolnearDocument> = documents.iter().collect();
            let bytes = training::train(&examples, &lexicon_of(&all), epochs, threshold);
            assert!(fragments::install_model(&bytes), "model installed before any analysis");
            let extent_bytes = train_extents(&all);
            extents::install_model(&extent_bytes);
            joins::install_model(&train_joins(&all));
            let dev = read_polnear_split(&corpus.join("dev"));
            print_evaluation("dev, the models retrained", &dev);
        }
        "rules-eval" => {
            assert!(fragments::install_model(&[]), "rules alone before any analysis");
            extents::install_model(&[]);
            joins::install_model(&[]);
            let test: Vec<PolnearDocument> = held_out.iter().map(|(_, document)| (*document).clone()).collect();
            eprintln!("held-out tenth, rules alone:\n{}", evaluate(&test));
        }
        other => {
            eprintln!("unknown mode `{other}` (write, heldout, heldout-eval, dev-eval, rules-eval)");
            std::process::exit(2);
        }
    }
}

/// Prints the scores of `documents` under `label` (on stderr); with
/// `HELDOUT_SHOW=1`, also every error, as `copydesk eval --show-errors`
/// lists them (on stdout), so that error pools can be read from articles
/// the models did not learn from.
fn print_evaluation(label: &str, documents: &[PolnearDocument]) {
    if std::env::var_os("HELDOUT_SHOW").is_some() {
        let mut errors = Vec::new();
        let report = evaluate_with_errors(documents, &mut errors);
        let mut out = std::io::stdout().lock();
        for error in &errors {
            writeln!(out, "{error}").expect("errors written");
        }
        eprintln!("{label}:\n{report}");
    } else {
        eprintln!("{label}:\n{}", evaluate(documents));
    }
}
