//! `copydesk check [--format text|json] PATH...`: diagnostics for drafts.
//!
//! Text output is one annotated snippet per diagnostic (`file:line:col`, the
//! line, carets under the span, the rule code); JSON output is described in
//! `docs/analyze-json.md`. Lines and columns are one-based, columns in Unicode
//! code points. Exit status: 2 when the command line is wrong or any path,
//! draft or stylebook could not be read (the others are still checked);
//! otherwise 1 when any diagnostic is an error, else 0.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use copydesk_analysis::document::line_spans;
use copydesk_analysis::{Analysis, Config, Diagnostic, DocumentKind, Severity, Span};
use serde_json::{Value, json};

use super::files::{StylebookCache, collect_drafts, describe_io_error};
use super::json::Offsets;
use super::print_out;

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Parses `--format X` / `--format=X`; returns the format and the remaining arguments.
pub fn parse_format(arguments: &[String], default: Format) -> Result<(Format, Vec<String>), String> {
    let mut format = default;
    let mut rest = Vec::new();
    let mut index = 0;
    while index < arguments.len() {
        let argument = &arguments[index];
        let value = if argument == "--format" {
            index += 1;
            Some(arguments.get(index).cloned().ok_or("--format needs a value: text or json")?)
        } else {
            argument.strip_prefix("--format=").map(str::to_owned)
        };
        match value.as_deref() {
            Some("text") => format = Format::Text,
            Some("json") => format = Format::Json,
            Some(other) => return Err(format!("unknown format `{other}` (expected text or json)")),
            None if argument.starts_with("--") && argument != "--" => {
                return Err(format!("unknown option `{argument}`"));
            }
            None => rest.push(argument.clone()),
        }
        index += 1;
    }
    Ok((format, rest))
}

/// One checked draft.
struct CheckedDraft {
    path: PathBuf,
    text: String,
    analysis: Analysis,
}

/// Runs `copydesk check`.
pub fn run(arguments: &[String]) -> ExitCode {
    let (format, paths) = match parse_format(arguments, Format::Text) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("copydesk check: {message}");
            return ExitCode::from(2);
        }
    };
    if paths.is_empty() {
        eprintln!(
            "copydesk check: give at least one file or folder (usage: copydesk check [--format text|json] PATH...)"
        );
        return ExitCode::from(2);
    }
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let (drafts, mut errors) = collect_drafts(&paths);
    let mut stylebooks = StylebookCache::default();
    let mut reported_stylebooks: Vec<PathBuf> = Vec::new();
    let mut checked = Vec::new();
    let today = crate::lsp::stylebook::today();
    for path in drafts {
        let text = match read_draft(&path) {
            Ok(text) => text,
            Err(message) => {
                errors.push((path, message));
                continue;
            }
        };
        let mut config = match stylebooks.for_draft(&path) {
            Some((_, Ok(config))) => config,
            Some((stylebook, Err(message))) => {
                if !reported_stylebooks.contains(&stylebook) {
                    errors.push((stylebook.clone(), format!("{message} (using the default stylebook)")));
                    reported_stylebooks.push(stylebook);
                }
                Config::default()
            }
            None => Config::default(),
        };
        // Today's date, as the server passes it: `stale-title` falls back to it
        // when the draft and the stylebook give no article date.
        config.today = today;
        let kind = DocumentKind::from_path(&path.to_string_lossy());
        // A bug in the analysis must not lose the other drafts' results: report it and go on.
        let analysed = std::panic::catch_unwind(|| copydesk_analysis::analyze(&text, kind, &config));
        let mut analysis = match analysed {
            Ok(analysis) => analysis,
            Err(payload) => {
                let message = crate::lsp::panics::panic_message(payload.as_ref());
                errors.push((path, format!("internal error in the analysis ({message}); skipped")));
                continue;
            }
        };
        analysis.diagnostics.sort_by_key(|diagnostic| (diagnostic.span.start, diagnostic.span.end));
        checked.push(CheckedDraft { path, text, analysis });
    }
    let any_error = checked
        .iter()
        .any(|draft| draft.analysis.diagnostics.iter().any(|diagnostic| diagnostic.severity == Severity::Error));
    match format {
        Format::Text => {
            for draft in &checked {
                print_out(&render_text(&draft.path, &draft.text, &draft.analysis.diagnostics));
            }
            for (path, message) in &errors {
                eprintln!("copydesk check: {}: {message}", path.display());
            }
            eprintln!("{}", summary(&checked, errors.len()));
        }
        Format::Json => {
            let files: Vec<Value> = checked.iter().map(draft_to_json).collect();
            let error_values: Vec<Value> = errors
                .iter()
                .map(|(path, message)| json!({ "path": path.to_string_lossy(), "message": message }))
                .collect();
            let output = json!({ "files": files, "errors": error_values });
            print_out(&format!("{output:#}\n"));
            for (path, message) in &errors {
                eprintln!("copydesk check: {}: {message}", path.display());
            }
        }
    }
    if !errors.is_empty() {
        ExitCode::from(2)
    } else if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads a draft as UTF-8, with a clear message when it cannot be.
fn read_draft(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|error| format!("cannot read: {}; skipped", describe_io_error(&error)))?;
    String::from_utf8(bytes).map_err(|error| {
        format!("not UTF-8 text (invalid byte at offset {}); skipped", error.utf8_error().valid_up_to())
    })
}

fn summary(checked: &[CheckedDraft], unreadable: usize) -> String {
    let count = |severity: Severity| {
        checked
            .iter()
            .flat_map(|draft| &draft.analysis.diagnostics)
            .filter(|diagnostic| diagnostic.severity == severity)
            .count()
    };
    let mut line = format!(
        "{} draft(s) checked: {} error(s), {} warning(s), {} note(s), {} hint(s)",
        checked.len(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Information),
        count(Severity::Hint)
    );
    if unreadable > 0 {
        let _ = write!(line, "; {unreadable} path(s) could not be read or checked");
    }
    line
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information => "note",
        Severity::Hint => "hint",
    }
}

/// Line and column lookups for one text: one-based lines, one-based
/// code-point columns. Cheap per lookup even on a single 50 MB line.
struct LineLookup<'a> {
    text: &'a str,
    lines: Vec<Span>,
    offsets: Offsets<'a>,
}

impl<'a> LineLookup<'a> {
    fn new(text: &'a str) -> LineLookup<'a> {
        LineLookup { text, lines: line_spans(text).collect(), offsets: Offsets::new(text) }
    }

    /// Zero-based line index containing `byte`.
    fn line_index(&self, byte: usize) -> usize {
        self.lines.partition_point(|line| line.end < byte).min(self.lines.len().saturating_sub(1))
    }

    fn line_span(&self, index: usize) -> Span {
        self.lines.get(index).copied().unwrap_or_default()
    }

    /// One-based (line, column).
    fn line_column(&self, byte: usize) -> (usize, usize) {
        let index = self.line_index(byte);
        let line = self.line_span(index);
        let byte = byte.clamp(line.start, line.end.max(line.start));
        (index + 1, self.offsets.point(byte) - self.offsets.point(line.start) + 1)
    }
}

/// The most of a line shown in a snippet, in characters.
const SNIPPET_WIDTH: usize = 160;

/// Renders every diagnostic of one draft as an annotated snippet.
pub fn render_text(path: &Path, text: &str, diagnostics: &[Diagnostic]) -> String {
    let lookup = LineLookup::new(text);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let (line_number, column) = lookup.line_column(diagnostic.span.start);
        let _ = writeln!(
            out,
            "{}:{line_number}:{column}: {}[{}]: {}",
            path.display(),
            severity_word(diagnostic.severity),
            diagnostic.code,
            diagnostic.message
        );
        out.push_str(&snippet(&lookup, diagnostic.span, line_number));
        for related in &diagnostic.related {
            let (related_line, related_column) = lookup.line_column(related.span.start);
            let _ = writeln!(out, "  = note: {related_line}:{related_column}: {}", related.message);
        }
        out.push('\n');
    }
    out
}

/// The source line with carets under the span (first line of the span only),
/// cut to a window around the span when the line is long.
fn snippet(lookup: &LineLookup<'_>, span: Span, line_number: usize) -> String {
    let line = lookup.line_span(line_number - 1);
    let text = lookup.text;
    let start = span.start.clamp(line.start, line.end);
    let end = span.end.clamp(start, line.end);
    // Characters before the span, shown up to a window; the line is never
    // copied whole, so a one-line 50 MB draft stays cheap.
    let before_start = floor_boundary(text, start.saturating_sub(SNIPPET_WIDTH * 4).max(line.start));
    let before: Vec<char> = text[before_start..start].chars().collect();
    let shown_before: String = before[before.len().saturating_sub(SNIPPET_WIDTH / 2)..].iter().collect();
    let cut_before = before_start > line.start || before.len() > SNIPPET_WIDTH / 2;
    let after_end = floor_boundary(text, (end + SNIPPET_WIDTH * 4).min(line.end));
    let marked: String = text[start..end].chars().take(SNIPPET_WIDTH).collect();
    let rest_budget = SNIPPET_WIDTH.saturating_sub(shown_before.chars().count() + marked.chars().count());
    let after: String = text[end..after_end].chars().take(rest_budget).collect();
    let cut_after = end + after.len() < line.end || marked.len() < end - start;
    let prefix = if cut_before { "…" } else { "" };
    let suffix = if cut_after { "…" } else { "" };
    let gutter = " ".repeat(line_number.to_string().len());
    let shown = format!("{prefix}{shown_before}{marked}{after}{suffix}").replace('\t', " ");
    let caret_offset = prefix.chars().count() + shown_before.chars().count();
    let caret_count = marked.chars().count().max(1);
    format!("{gutter} |\n{line_number} | {shown}\n{gutter} | {}{}\n", " ".repeat(caret_offset), "^".repeat(caret_count))
}

fn floor_boundary(text: &str, mut byte: usize) -> usize {
    byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

fn draft_to_json(draft: &CheckedDraft) -> Value {
    let lookup = LineLookup::new(&draft.text);
    let diagnostics: Vec<Value> = draft
        .analysis
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let mut value = lookup.offsets.diagnostic(diagnostic);
            let (line, column) = lookup.line_column(diagnostic.span.start);
            let (end_line, end_column) = lookup.line_column(diagnostic.span.end);
            value["line"] = json!(line);
            value["column"] = json!(column);
            value["end_line"] = json!(end_line);
            value["end_column"] = json!(end_column);
            value
        })
        .collect();
    json!({ "path": draft.path.to_string_lossy(), "diagnostics": diagnostics })
}

#[cfg(test)]
mod tests {
    use super::*;
    use copydesk_analysis::Fix;

    fn diagnostic(span: Span) -> Diagnostic {
        Diagnostic {
            code: "unbalanced-quote",
            severity: Severity::Warning,
            span,
            message: "no closing quotation mark".to_owned(),
            related: Vec::new(),
            fixes: Vec::<Fix>::new(),
        }
    }

    fn check(text: &str, span: Span, expect: &str) {
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        let actual = render_text(Path::new("draft.txt"), text, &[diagnostic(span)]);
        assert_eq!(actual.trim_end(), expect.trim(), "\nactual:\n{actual}");
    }

    #[test]
    fn snippet_points_at_the_span_in_code_points() {
        check(
            "Headline\nThe 東京 office said \"hello.\n",
            Span::new(32, 33),
            "draft.txt:2:20: warning[unbalanced-quote]: no closing quotation mark\n  |\n2 | The 東京 office said \"hello.\n  |                    ^",
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let text = format!("{}\"x{}", "a".repeat(1000), "b".repeat(1000));
        let rendered = render_text(Path::new("d.txt"), &text, &[diagnostic(Span::new(1000, 1001))]);
        let shown = rendered.lines().nth(2).unwrap_or_default();
        assert!(shown.starts_with("1 | …") && shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() < SNIPPET_WIDTH + 10);
        let carets = rendered.lines().nth(3).unwrap_or_default();
        assert_eq!(carets.find('^').map(|at| carets[..at].chars().count()), Some(4 + 1 + SNIPPET_WIDTH / 2));
    }

    #[test]
    fn format_flags_are_parsed() {
        let arguments: Vec<String> = ["--format", "json", "a.txt"].iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(parse_format(&arguments, Format::Text), Ok((Format::Json, vec!["a.txt".to_owned()])));
        assert!(parse_format(&["--format=xml".to_owned()], Format::Text).is_err());
        assert!(parse_format(&["--frobnicate".to_owned()], Format::Text).is_err());
    }
}
