//! The `copydesk` binary: `copydesk lsp`, `copydesk check`, `copydesk analyze`,
//! `copydesk eval`. Everything lives in the library; see `cli/mod.rs`.

fn main() -> std::process::ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    copydesk::cli::run(&arguments)
}
