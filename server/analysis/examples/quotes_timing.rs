//! Times the per-paragraph attribution stage alone on a folder of text files:
//! `cargo run --release -p copydesk-analysis --example quotes_timing -- DIR`.

use copydesk_analysis::document::{DocumentKind, layout};
use copydesk_analysis::entities::ParagraphEntities;
use copydesk_analysis::quotes;

fn main() {
    let Some(folder) = std::env::args().nth(1) else {
        eprintln!("usage: quotes_timing DIR");
        return;
    };
    let mut texts = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(folder)];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                stack.extend(entries.filter_map(|entry| entry.ok().map(|entry| entry.path())));
            }
        } else if path.extension().is_some_and(|extension| extension == "txt")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            texts.push(text);
        }
    }
    let words: usize = texts.iter().map(|text| text.split_whitespace().count()).sum();
    let layouts: Vec<_> = texts.iter().map(|text| layout(text, DocumentKind::PlainText)).collect();
    let entities = ParagraphEntities::default();
    let started = std::time::Instant::now();
    let mut statements = 0;
    for document in &layouts {
        for paragraph in &document.paragraphs {
            statements += quotes::analyze_paragraph(&paragraph.prose, paragraph.kind, &entities).statements.len();
        }
    }
    let elapsed = started.elapsed();
    eprintln!(
        "{} words, {statements} statements, {:.2?}: {:.0} words/s in the attribution paragraph stage",
        words,
        elapsed,
        words as f64 / elapsed.as_secs_f64()
    );
}
