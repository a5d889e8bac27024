//! The command line: `copydesk lsp | check | analyze | eval`, `--help`, `--version`.
//!
//! Hand-written argument parsing: four subcommands with a handful of flags do
//! not earn a CLI crate's compile time.

pub mod analyze;
pub mod check;
pub mod eval;
pub mod files;
pub mod json;

use std::process::ExitCode;

use crate::lsp::state::ServerOptions;

/// The help text.
pub const HELP: &str = "\
copydesk: a language server and checker for news drafts

Usage:
  copydesk lsp [--stdio]                 Run the language server over stdio
  copydesk check [--format text|json] PATH...
                                         Check drafts (.txt, .md files or folders)
  copydesk analyze [--format json] FILE  Print the full analysis of one draft
  copydesk eval conll|polnear|false-alarms [--corpus DIR] [--samples] [--split dev|train] [--show-errors]
                                         Score the analysis on the shared corpora
  copydesk --help | --version

Exit status of check: 0 when no error-level diagnostic, 1 when any, 2 on
usage or input/output errors.
";

/// Runs the command line and returns the process exit code.
pub fn run(arguments: &[String]) -> ExitCode {
    let Some(command) = arguments.first() else {
        eprintln!("copydesk: missing command\n\n{HELP}");
        return ExitCode::from(2);
    };
    match command.as_str() {
        "--help" | "-h" | "help" => {
            print_out(HELP);
            ExitCode::SUCCESS
        }
        "--version" | "-V" => {
            print_out(&format!("copydesk {}\n", env!("CARGO_PKG_VERSION")));
            ExitCode::SUCCESS
        }
        "lsp" | "--stdio" => run_lsp(&arguments[1..]),
        "check" => check::run(&arguments[1..]),
        "analyze" => analyze::run(&arguments[1..]),
        "eval" => eval::run(&arguments[1..]),
        other => {
            eprintln!("copydesk: unknown command `{other}`\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}

/// Writes to stdout, ignoring a closed pipe (`copydesk check | head`).
pub fn print_out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn run_lsp(arguments: &[String]) -> ExitCode {
    for argument in arguments {
        if argument != "--stdio" {
            eprintln!("copydesk lsp: unknown argument `{argument}` (the server speaks LSP over stdio)");
            return ExitCode::from(2);
        }
    }
    let options = ServerOptions { test_hooks: std::env::var("COPYDESK_TEST_HOOKS").is_ok_and(|value| value == "1") };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("copydesk lsp: cannot start the async runtime: {error}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(crate::lsp::serve_stdio(options));
    // Do not wait for blocking analysis tasks still running after `exit`.
    runtime.shutdown_background();
    ExitCode::SUCCESS
}
