//! Prints the golden-snapshot rendering of a draft's analysis:
//! `cargo run -p copydesk-analysis --example render -- FILE`.

use copydesk_analysis::{Config, DocumentKind, analyze, snapshot};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: render FILE");
        return;
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("cannot read {path}: {error}");
            return;
        }
    };
    let analysis = analyze(&text, DocumentKind::from_path(&path), &Config::default());
    eprint!("{}", snapshot::render(&text, &analysis));
}
