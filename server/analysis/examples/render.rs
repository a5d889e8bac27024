//! Prints the snapshot rendering of a draft's analysis (for developers).
//!
//! Usage: `cargo run -p copydesk-analysis --example render -- FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: render FILE");
        return;
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("cannot read {path}");
        return;
    };
    let kind = copydesk_analysis::DocumentKind::from_path(&path);
    let analysis = copydesk_analysis::analyze(&text, kind, &copydesk_analysis::Config::default());
    eprint!("{}", copydesk_analysis::snapshot::render(&text, &analysis));
}
