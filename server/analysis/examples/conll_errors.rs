//! Lists the evaluation's errors for one type on a CoNLL-2003 file, for
//! developers tuning the analysis (prints to stderr; corpus text stays local).
//!
//! Usage: `cargo run --release -p copydesk-analysis --example conll_errors -- FILE PER|ORG|LOC [MODEL]`
//! (MODEL: a `tagger.bin` to use instead of the compiled-in one),
//! or `-- heldout PER|ORG|LOC [CORPUS_DIR]` for the errors on the held-out
//! fifth of `eng.train` with a model trained in memory on the rest (as the
//! `heldout_conll` example does).

use std::path::PathBuf;

use copydesk_analysis::EntityKind;
use copydesk_analysis::entities::tagger;
use copydesk_analysis::evaluation::conll::{ConllDocument, parse_documents, predict, split_held_out};

fn main() {
    let mut arguments = std::env::args().skip(1);
    let path = arguments.next().expect("FILE");
    let wanted = match arguments.next().as_deref() {
        Some("ORG") => EntityKind::Organization,
        Some("LOC") => EntityKind::Place,
        _ => EntityKind::Person,
    };
    let documents: Vec<ConllDocument> = if path == "heldout" {
        let corpus = arguments
            .next()
            .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"), PathBuf::from);
        let Ok(text) = std::fs::read_to_string(corpus.join("conll2003/eng.train")) else {
            eprintln!("skipping: eng.train is absent");
            return;
        };
        let (training, held_out) = split_held_out(parse_documents(&text), 5);
        assert!(tagger::install_model(&tagger::training::train_documents(&training, 10)));
        held_out
    } else {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipping: {path} is absent");
            return;
        };
        if let Some(model_path) = arguments.next() {
            let bytes = std::fs::read(&model_path).expect("model file");
            assert!(tagger::install_model(&bytes), "{model_path} is not a current model");
        }
        parse_documents(&text)
    };
    for document in documents {
        let predicted = predict(&document.text);
        let gold: Vec<_> = document
            .entities
            .iter()
            .filter_map(|entity| entity.label.and_then(|label| label.entity_kind()).map(|kind| (entity.span, kind)))
            .collect();
        let show = |span: copydesk_analysis::Span| {
            let line_start = document.text[..span.start].rfind('\n').map_or(0, |index| index + 1);
            let line_end = document.text[span.end..].find('\n').map_or(document.text.len(), |index| span.end + index);
            format!("{:?} in {:?}", &document.text[span.start..span.end], &document.text[line_start..line_end])
        };
        for (span, kind) in &predicted {
            if *kind == wanted && !gold.contains(&(*span, *kind)) {
                let truth =
                    gold.iter().find(|(gold_span, _)| gold_span.overlaps(*span)).map(|(_, kind)| format!("{kind:?}"));
                eprintln!("FP {} gold={}", show(*span), truth.unwrap_or_else(|| "-".into()));
            }
        }
        for (span, kind) in &gold {
            if *kind == wanted && !predicted.contains(&(*span, *kind)) {
                let ours = predicted
                    .iter()
                    .find(|(ours, _)| ours.overlaps(*span))
                    .map(|(s, kind)| format!("{kind:?} {:?}", &document.text[s.start..s.end]));
                eprintln!("FN {} ours={}", show(*span), ours.unwrap_or_else(|| "-".into()));
            }
        }
    }
}
