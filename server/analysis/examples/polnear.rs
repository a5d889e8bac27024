//! Scores attribution on a PolNeAR split: `cargo run --release -p copydesk-analysis
//! --example polnear -- [SPLIT_DIR]` (default `../shared/corpus/polnear/dev`
//! relative to the repository root). Prints a skip message when absent.
//!
//! Pairs `text/NAME.txt` with the first (by name) `attributions/NAME_XXXX.ann`:
//! a few articles were annotated by several annotators; one annotation each.

use std::path::{Path, PathBuf};

use copydesk_analysis::evaluation::polnear::{PolnearDocument, evaluate, evaluate_with_errors};

fn main() {
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/polnear/dev");
    let folder = std::env::args().nth(1).map_or(default, PathBuf::from);
    let attributions = folder.join("attributions");
    let Ok(entries) = std::fs::read_dir(&attributions) else {
        eprintln!("skipping PolNeAR evaluation: {} not found", attributions.display());
        return;
    };
    let mut names: Vec<String> = entries.filter_map(|entry| entry.ok()?.file_name().into_string().ok()).collect();
    names.sort();
    let mut documents: Vec<PolnearDocument> = Vec::new();
    let verbose = std::env::var_os("POLNEAR_VERBOSE").is_some();
    for name in names {
        let Some(stem) = name.strip_suffix(".ann") else { continue };
        let Some((base, _annotator)) = stem.rsplit_once('_') else { continue };
        if documents.iter().any(|document| document.name == base) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(folder.join("text").join(format!("{base}.txt"))) else { continue };
        let Ok(annotations) = std::fs::read_to_string(attributions.join(&name)) else { continue };
        documents.push(PolnearDocument { name: base.to_owned(), text, annotations });
    }
    if verbose {
        for document in &documents {
            let report = evaluate(std::slice::from_ref(document));
            eprintln!("{}: {:?}", document.name, report.direct_quotes);
        }
    }
    let started = std::time::Instant::now();
    let report = if std::env::var_os("POLNEAR_ERRORS").is_some() {
        let mut errors = Vec::new();
        let report = evaluate_with_errors(&documents, &mut errors);
        for error in errors {
            eprintln!("{error}");
        }
        report
    } else {
        evaluate(&documents)
    };
    eprintln!("{report}(evaluated in {:.2?})", started.elapsed());
}
