//! `copydesk analyze [--format json] FILE`: the full analysis of one draft as
//! JSON (schema in `docs/analyze-json.md`), with code-point offsets. The
//! nearest `copydesk.toml` applies, as for `check`.

use std::path::PathBuf;
use std::process::ExitCode;

use copydesk_analysis::{Config, DocumentKind};

use super::check::{Format, parse_format};
use super::files::{StylebookCache, describe_io_error};
use super::json::analysis_to_json;
use super::print_out;

pub fn run(arguments: &[String]) -> ExitCode {
    let (format, paths) = match parse_format(arguments, Format::Json) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("copydesk analyze: {message}");
            return ExitCode::from(2);
        }
    };
    if format != Format::Json {
        eprintln!("copydesk analyze: only --format json is supported");
        return ExitCode::from(2);
    }
    let [path] = paths.as_slice() else {
        eprintln!("copydesk analyze: give exactly one file (usage: copydesk analyze --format json FILE)");
        return ExitCode::from(2);
    };
    let path = PathBuf::from(path);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("copydesk analyze: {}: cannot read: {}", path.display(), describe_io_error(&error));
            return ExitCode::from(2);
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            eprintln!(
                "copydesk analyze: {}: not UTF-8 text (invalid byte at offset {})",
                path.display(),
                error.utf8_error().valid_up_to()
            );
            return ExitCode::from(2);
        }
    };
    let mut config = match StylebookCache::default().for_draft(&path) {
        Some((_, Ok(config))) => config,
        Some((stylebook, Err(message))) => {
            eprintln!("copydesk analyze: {}: {message} (using the default stylebook)", stylebook.display());
            Config::default()
        }
        None => Config::default(),
    };
    // Today's date, as `check` and the server pass it: `stale-title` falls
    // back to it when the draft and the stylebook give no article date, so
    // the three report the same diagnostics for the same draft.
    config.today = crate::lsp::stylebook::today();
    let kind = DocumentKind::from_path(&path.to_string_lossy());
    // A bug in the analysis gets a clear message and exit code 2, not a
    // panic's backtrace in the middle of a pipeline expecting JSON.
    let analysis = match std::panic::catch_unwind(|| copydesk_analysis::analyze(&text, kind, &config)) {
        Ok(analysis) => analysis,
        Err(payload) => {
            let message = crate::lsp::panics::panic_message(payload.as_ref());
            eprintln!("copydesk analyze: {}: internal error in the analysis ({message})", path.display());
            return ExitCode::from(2);
        }
    };
    print_out(&format!("{:#}\n", analysis_to_json(&text, &analysis)));
    ExitCode::SUCCESS
}
