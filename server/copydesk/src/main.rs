//! The `copydesk` binary: `copydesk lsp`, `copydesk check`, `copydesk analyze`.

fn main() {
    eprintln!("copydesk: not wired yet");
    std::process::exit(2);
}
