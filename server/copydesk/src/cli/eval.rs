//! `copydesk eval conll|polnear|false-alarms [--corpus DIR] [--samples]
//! [--split dev|train] [--show-errors] [--rules-alone]`: scores the analysis
//! on the shared corpora and prints the report.
//!
//! `--split` picks the PolNeAR split (dev by default; train is the larger
//! held-out check against tuning to dev), `--show-errors` lists every
//! missed or spurious direct quote and every wrong source after the figures,
//! and `--rules-alone` scores without the learned models (the quoted-fragment
//! model, the extent model and the join model of floating quotes).
//!
//! The corpora are never part of the project. By default they are looked up
//! as `shared/corpus` beside the current folder or any of its ancestors (so
//! `../shared/corpus` from the repository root, and from a worktree below it).
//! When absent, the command prints a skip message and exits 0; figures are
//! printed, never gated on.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use copydesk_analysis::evaluation::conll;
use copydesk_analysis::evaluation::false_alarms::{self, Article};
use copydesk_analysis::evaluation::polnear::{self, PolnearDocument};

use super::print_out;

/// Finds `shared/corpus` in the current folder's ancestors.
pub fn default_corpus() -> Option<PathBuf> {
    let current = std::env::current_dir().ok()?;
    current.ancestors().map(|ancestor| ancestor.join("shared").join("corpus")).find(|path| path.is_dir())
}

pub fn run(arguments: &[String]) -> ExitCode {
    let mut which = None;
    let mut corpus = None;
    let mut samples = false;
    let mut split = String::from("dev");
    let mut show_errors = false;
    let mut rules_alone = false;
    let mut index = 0;
    while index < arguments.len() {
        match arguments[index].as_str() {
            "--corpus" => {
                index += 1;
                let Some(folder) = arguments.get(index) else {
                    eprintln!("copydesk eval: --corpus needs a folder");
                    return ExitCode::from(2);
                };
                corpus = Some(PathBuf::from(folder));
            }
            "--samples" => samples = true,
            "--show-errors" => show_errors = true,
            // Scores the rules without the quoted-fragment model, so that a
            // rule change can be told apart from the retrained model's noise.
            "--rules-alone" => rules_alone = true,
            "--split" => {
                index += 1;
                match arguments.get(index).map(String::as_str) {
                    Some(name @ ("dev" | "train")) => split = name.to_owned(),
                    _ => {
                        eprintln!("copydesk eval: --split needs `dev` or `train`");
                        return ExitCode::from(2);
                    }
                }
            }
            name @ ("conll" | "polnear" | "false-alarms") if which.is_none() => which = Some(name.to_owned()),
            other => {
                eprintln!(
                    "copydesk eval: unexpected argument `{other}` (usage: copydesk eval conll|polnear|false-alarms [--corpus DIR] [--samples] [--split dev|train] [--show-errors] [--rules-alone])"
                );
                return ExitCode::from(2);
            }
        }
        index += 1;
    }
    let Some(which) = which else {
        eprintln!("copydesk eval: name an evaluation: conll, polnear or false-alarms");
        return ExitCode::from(2);
    };
    let Some(corpus) = corpus.or_else(default_corpus) else {
        eprintln!("copydesk eval {which}: skipped: no corpus folder (../shared/corpus not found; pass --corpus DIR)");
        return ExitCode::SUCCESS;
    };
    match which.as_str() {
        "conll" => eval_conll(&corpus),
        "polnear" => {
            if rules_alone {
                // Before any analysis, so the compiled-in model is never loaded.
                copydesk_analysis::quotes::fragments::install_model(&[]);
                copydesk_analysis::quotes::joins::install_model(&[]);
                copydesk_analysis::quotes::extents::install_model(&[]);
            }
            eval_polnear(&corpus, &split, show_errors)
        }
        _ => eval_false_alarms(&corpus, samples),
    }
    ExitCode::SUCCESS
}

fn skip(what: &str, path: &Path) {
    eprintln!("copydesk eval {what}: skipped: {} is absent or unreadable", path.display());
}

fn eval_conll(corpus: &Path) {
    let path = corpus.join("conll2003").join("eng.testa");
    let Ok(text) = std::fs::read_to_string(&path) else { return skip("conll", &path) };
    print_out(&format!("{}", conll::evaluate(&text)));
}

/// The `.txt` files of a folder, sorted.
fn text_files(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "txt"))
        .collect();
    paths.sort();
    paths
}

/// The articles of one PolNeAR split folder (`text/*.txt` beside
/// `attributions/*.ann`), each text with its first annotation file, in file
/// name order. Shared with the quoted-fragment model's trainer
/// (`cargo run -p copydesk --example train_attribution`), so both read the
/// corpus the same way.
pub fn read_polnear_split(split_folder: &Path) -> Vec<PolnearDocument> {
    let texts = text_files(&split_folder.join("text"));
    let mut annotation_files: Vec<PathBuf> = std::fs::read_dir(split_folder.join("attributions"))
        .map(|entries| entries.filter_map(Result::ok).map(|entry| entry.path()).collect())
        .unwrap_or_default();
    annotation_files.sort();
    texts
        .iter()
        .filter_map(|path| {
            let stem = path.file_stem()?.to_str()?;
            // Annotation files are named `<text stem>_<annotator hash>.ann`; take the first.
            let annotation = annotation_files.iter().find(|candidate| {
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

fn eval_polnear(corpus: &Path, split: &str, show_errors: bool) {
    let dev = corpus.join("polnear").join(split);
    let texts = text_files(&dev.join("text"));
    if texts.is_empty() {
        return skip("polnear", &dev);
    }
    let documents = read_polnear_split(&dev);
    let mut errors = Vec::new();
    let report = polnear::evaluate_with_errors(&documents, &mut errors);
    print_out(&format!("split {split}\n{report}"));
    if show_errors {
        print_out(&format!("{}\n", errors.join("\n")));
    }
}

fn eval_false_alarms(corpus: &Path, samples: bool) {
    let folder = corpus.join("bbc").join("politics");
    let articles: Vec<Article> = text_files(&folder)
        .iter()
        .filter_map(|path| {
            Some(Article {
                name: path.file_name()?.to_string_lossy().into_owned(),
                text: std::fs::read_to_string(path).ok()?,
            })
        })
        .collect();
    if articles.is_empty() {
        return skip("false-alarms", &folder);
    }
    let report = false_alarms::evaluate(&articles);
    print_out(&format!("BBC politics: {report}"));
    if samples {
        print_out(&report.samples());
    }
}
