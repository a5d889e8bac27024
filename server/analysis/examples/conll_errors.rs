//! Lists the evaluation's errors for one type on a CoNLL-2003 file, for
//! developers tuning the analysis (prints to stderr; corpus text stays local).
//!
//! Usage: `cargo run --release -p copydesk-analysis --example conll_errors -- FILE PER|ORG|LOC`.

use copydesk_analysis::EntityKind;
use copydesk_analysis::evaluation::conll::{parse_documents, predict};

fn main() {
    let mut arguments = std::env::args().skip(1);
    let path = arguments.next().expect("FILE");
    let wanted = match arguments.next().as_deref() {
        Some("ORG") => EntityKind::Organization,
        Some("LOC") => EntityKind::Place,
        _ => EntityKind::Person,
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {path} is absent");
        return;
    };
    for document in parse_documents(&text) {
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
