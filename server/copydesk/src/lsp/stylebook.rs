//! The stylebook and the rules' server-side state: finding and loading
//! `copydesk.toml`, merging the editor's severity overrides, telling the user
//! about a broken stylebook, choosing push or pull diagnostics, and holding
//! back the diagnostic under a word that is still being typed.
//!
//! The stylebook is the file named by the `stylebookPath` setting (relative
//! to the workspace root, or absolute), else `copydesk.toml` at the workspace
//! root (the first workspace folder, else `rootUri`). It is read at
//! `initialize`, again when the file changes on disk
//! (`workspace/didChangeWatchedFiles`, registered for `**/copydesk.toml` and
//! the configured file's name when the client allows it), when it is saved
//! from the editor, and when the setting changes. A stylebook that does not
//! parse is reported as a diagnostic on the file itself, at the line and
//! column of the error, and with `window/showMessage`; a configured stylebook
//! that cannot be read (missing, not UTF-8) with `window/showMessage`. The
//! server then runs on the defaults. The effective [`Config`] is the
//! stylebook, then the editor's `rules` settings on top, then today's date
//! (the core never reads the clock, so it is passed in here).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use copydesk_analysis::config::Date;
use copydesk_analysis::{Config, ConfigError};
use dashmap::DashMap;
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticSeverity, DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern,
    InitializeParams, MessageType, NumberOrString, Position, Range, Registration, TextDocumentContentChangeEvent, Uri,
};

use super::diagnostics::DIAGNOSTIC_SOURCE;
use super::positions::PositionEncoding;
use super::server::Backend;
use super::settings::Settings;

/// The stylebook's file name.
pub const STYLEBOOK_FILE: &str = "copydesk.toml";

/// What the rules keep in the server state.
#[derive(Debug, Default)]
pub struct RulesState {
    /// The workspace root, where `copydesk.toml` is looked for.
    root: Mutex<Option<PathBuf>>,
    /// The stylebook as parsed (defaults when absent or broken), before the
    /// editor's overrides.
    stylebook: Mutex<Config>,
    /// True when the client pulls diagnostics (`textDocument/diagnostic`), in
    /// which case the server does not push them.
    pull_diagnostics: AtomicBool,
    /// True when the client accepts `workspace/diagnostic/refresh`.
    refresh_support: AtomicBool,
    /// True when the client lets the server register file watchers.
    watch_registration: AtomicBool,
    /// Per document: the version and the position just after a word being
    /// typed (the last edit inserted a letter or digit there).
    typing: DashMap<Uri, (i32, Position)>,
    /// What reading the stylebook at `initialize` found, reported at `initialized`.
    pending_report: Mutex<Option<LoadOutcome>>,
    /// The stylebook file that has a diagnostic on it now, to clear when
    /// another file becomes the stylebook.
    reported_uri: Mutex<Option<Uri>>,
    /// File names already watched (`**/<name>`), so a changed `stylebookPath`
    /// registers a watcher only for a new name.
    watched_names: Mutex<Vec<String>>,
}

impl RulesState {
    /// Reads what the rules need from the `initialize` request.
    pub fn initialize(&self, params: &InitializeParams) {
        #[allow(deprecated)]
        let root_uri = params
            .workspace_folders
            .as_ref()
            .and_then(|folders| folders.first())
            .map(|folder| folder.uri.clone())
            .or_else(|| params.root_uri.clone());
        *self.root.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = root_uri.as_ref().and_then(uri_to_path);
        let text_document = params.capabilities.text_document.as_ref();
        self.pull_diagnostics.store(text_document.is_some_and(|text| text.diagnostic.is_some()), Ordering::Release);
        let workspace = params.capabilities.workspace.as_ref();
        self.refresh_support.store(
            workspace
                .and_then(|workspace| workspace.diagnostics.as_ref())
                .and_then(|diagnostics| diagnostics.refresh_support)
                == Some(true),
            Ordering::Release,
        );
        self.watch_registration.store(
            workspace
                .and_then(|workspace| workspace.did_change_watched_files.as_ref())
                .and_then(|watched| watched.dynamic_registration)
                == Some(true),
            Ordering::Release,
        );
    }

    /// Whether diagnostics are pulled by the client rather than pushed.
    pub fn pull_diagnostics(&self) -> bool {
        self.pull_diagnostics.load(Ordering::Acquire)
    }

    /// The path of the stylebook: the `stylebookPath` setting (relative to the
    /// workspace root; to the server's working folder without a root), else
    /// `copydesk.toml` at the workspace root; `None` without either.
    pub fn stylebook_path(&self, settings: &Settings) -> Option<PathBuf> {
        let root = self.root.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        match &settings.stylebook_path {
            Some(configured) => {
                let configured = PathBuf::from(configured);
                Some(match root {
                    Some(root) if configured.is_relative() => root.join(configured),
                    _ => configured,
                })
            }
            None => root.map(|root| root.join(STYLEBOOK_FILE)),
        }
    }

    /// Whether `uri` is a stylebook rather than a draft: any `copydesk.toml`,
    /// and the configured stylebook whatever its name.
    pub fn is_stylebook(&self, uri: &Uri, settings: &Settings) -> bool {
        is_stylebook(uri) || self.is_the_stylebook(uri, settings)
    }

    /// Whether `uri` is the stylebook in force (not just any `copydesk.toml`).
    pub fn is_the_stylebook(&self, uri: &Uri, settings: &Settings) -> bool {
        let path = self.stylebook_path(settings);
        path.is_some() && uri_to_path(uri) == path
    }

    /// The stylebook as parsed, without the editor's overrides.
    pub fn stylebook(&self) -> Config {
        self.stylebook.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    fn set_stylebook(&self, config: Config) {
        *self.stylebook.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = config;
    }

    /// Remembers where a word is being typed after a `didChange`, or forgets
    /// it when the last change did not end in a letter or digit.
    pub fn record_typing(
        &self,
        uri: &Uri,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        encoding: PositionEncoding,
    ) {
        let typed = changes.last().and_then(|change| {
            let range = change.range?;
            let last = change.text.chars().next_back()?;
            if !last.is_alphanumeric() || change.text.contains(['\n', '\r']) {
                return None;
            }
            let units: usize = match encoding {
                PositionEncoding::Utf8 => change.text.len(),
                PositionEncoding::Utf16 => change.text.encode_utf16().count(),
                PositionEncoding::Utf32 => change.text.chars().count(),
            };
            Some(Position { line: range.start.line, character: range.start.character + units as u32 })
        });
        match typed {
            Some(position) => {
                self.typing.insert(uri.clone(), (version, position));
            }
            None => {
                self.typing.remove(uri);
            }
        }
    }

    /// Forgets a closed document.
    pub fn forget(&self, uri: &Uri) {
        self.typing.remove(uri);
    }

    /// Where the word being typed in `version` ends, when the setting asks
    /// for its diagnostic to wait (a half-typed word is not yet an error):
    /// the diagnostics whose range contains this position are held back
    /// (`diagnostics::is_held_back`).
    pub fn typing_cursor(&self, uri: &Uri, version: i32, settings: &Settings) -> Option<Position> {
        if !settings.hold_back_while_typing {
            return None;
        }
        let (typed_version, cursor) = self.typing.get(uri).map(|entry| *entry)?;
        (typed_version == version).then_some(cursor)
    }
}

/// The local path of a `file:` URI.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    let path = uri.path().as_str();
    let decoded = percent_decode(path);
    Some(PathBuf::from(decoded))
}

/// A `file:` URI for a local path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let text = path.to_string_lossy();
    let encoded: String = text
        .chars()
        .map(|character| match character {
            ' ' => String::from("%20"),
            '#' => String::from("%23"),
            '?' => String::from("%3F"),
            '%' => String::from("%25"),
            other => other.to_string(),
        })
        .collect();
    format!("file://{encoded}").parse().ok()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&text[index + 1..index + 3], 16) {
                out.push(byte);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether `uri` names a file called `copydesk.toml`.
pub fn is_stylebook(uri: &Uri) -> bool {
    uri.path().as_str().rsplit('/').next() == Some(STYLEBOOK_FILE)
}

/// Today's date (UTC) from the system clock: the server's job, never the core's.
pub fn today() -> Option<Date> {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    Some(civil_from_days((seconds / 86_400) as i64))
}

/// The calendar date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u8;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 } as u8;
    let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
    Date::new(year, month, day)
}

/// The effective configuration: the stylebook, the editor's rule overrides on
/// top, and today's date.
pub fn effective_config(stylebook: &Config, settings: &Settings) -> Config {
    let mut config = stylebook.clone();
    for (code, level) in &settings.rules {
        if copydesk_analysis::rules::rule(code).is_some() {
            config.override_rule_level(code, *level);
        }
    }
    config.today = today();
    config
}

/// The diagnostic a broken stylebook gets, at the error's line and column.
pub fn stylebook_error_diagnostic(error: &ConfigError, text: &str, encoding: PositionEncoding) -> Diagnostic {
    stylebook_error_diagnostic_named(STYLEBOOK_FILE, error, text, encoding)
}

/// [`stylebook_error_diagnostic`] for a stylebook file called `name`.
pub fn stylebook_error_diagnostic_named(
    name: &str,
    error: &ConfigError,
    text: &str,
    encoding: PositionEncoding,
) -> Diagnostic {
    let rope = ropey::Rope::from_str(text);
    let range = match &error.byte_range {
        Some(range) => {
            let start = super::positions::byte_to_position(&rope, range.start.min(text.len()), encoding);
            let mut end = super::positions::byte_to_position(&rope, range.end.min(text.len()), encoding);
            if end == start {
                end.character += 1;
            }
            Range { start, end }
        }
        None => {
            let start = Position { line: error.line.unwrap_or(0) as u32, character: error.column.unwrap_or(0) as u32 };
            Range { start, end: Position { line: start.line, character: start.character + 1 } }
        }
    };
    Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String(String::from("stylebook"))),
        code_description: None,
        source: Some(DIAGNOSTIC_SOURCE.to_owned()),
        message: format!("{name}: {}; Copydesk is using the default settings until this is fixed", error.message),
        related_information: None,
        tags: None,
        data: None,
    }
}

/// What reading the stylebook found: nothing to report, or an error to show.
#[derive(Debug)]
pub enum LoadOutcome {
    /// No workspace root and no configured path: nothing was read.
    NoWorkspace,
    /// Read (or absent) and in force; the file's diagnostics should be cleared.
    Loaded(Option<Uri>),
    /// Broken: defaults are in force; report this diagnostic and message.
    Broken { uri: Option<Uri>, diagnostic: Box<Diagnostic>, message: String },
    /// Could not be read (a configured file that is missing, a file that is
    /// not UTF-8...): defaults are in force; show this message.
    Unreadable { uri: Option<Uri>, message: String },
}

/// Reads and parses the stylebook (from `text` when the editor has it) and
/// stores it, without telling the client anything. Synchronous, so
/// `initialize` can put the stylebook in force before the first draft opens.
pub fn read_stylebook(state: &super::state::ServerState, text: Option<String>) -> LoadOutcome {
    let rules = &state.rules;
    let settings = state.settings();
    let Some(path) = rules.stylebook_path(&settings) else { return LoadOutcome::NoWorkspace };
    let uri = path_to_uri(&path);
    let name = path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned());
    let text = match text {
        Some(text) => text,
        None => match std::fs::read_to_string(&path) {
            Ok(text) => text,
            // No `copydesk.toml` at the root is the normal case: the defaults apply.
            Err(error) if error.kind() == std::io::ErrorKind::NotFound && settings.stylebook_path.is_none() => {
                rules.set_stylebook(Config::default());
                return LoadOutcome::Loaded(uri);
            }
            Err(error) => {
                rules.set_stylebook(Config::default());
                let reason = if error.kind() == std::io::ErrorKind::NotFound {
                    String::from("the file does not exist")
                } else {
                    error.to_string()
                };
                let message = format!(
                    "Copydesk could not read the stylebook {} ({reason}); using the default settings.",
                    path.display()
                );
                return LoadOutcome::Unreadable { uri, message };
            }
        },
    };
    match Config::from_toml_str(&text) {
        Ok(config) => {
            rules.set_stylebook(config);
            LoadOutcome::Loaded(uri)
        }
        Err(error) => {
            rules.set_stylebook(Config::default());
            let diagnostic = Box::new(stylebook_error_diagnostic_named(&name, &error, &text, state.encoding()));
            let message = format!("Copydesk could not read {name} ({error}); using the default settings.");
            LoadOutcome::Broken { uri, diagnostic, message }
        }
    }
}

/// Tells the client what loading the stylebook found, and clears the
/// diagnostic of a file that was the stylebook before.
pub async fn report(backend: &Backend, outcome: LoadOutcome) {
    let (uri, diagnostic, message) = match outcome {
        LoadOutcome::NoWorkspace => (None, None, None),
        LoadOutcome::Loaded(uri) => (uri, None, None),
        LoadOutcome::Broken { uri, diagnostic, message } => (uri, Some(*diagnostic), Some(message)),
        LoadOutcome::Unreadable { uri, message } => (uri, None, Some(message)),
    };
    let previous = {
        let mut reported = backend.state.rules.reported_uri.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let previous = reported.take();
        if diagnostic.is_some() {
            reported.clone_from(&uri);
        }
        previous
    };
    if let Some(previous) = previous {
        if Some(&previous) != uri.as_ref() {
            backend.client.publish_diagnostics(previous, Vec::new(), None).await;
        }
    }
    if let Some(uri) = uri {
        backend.client.publish_diagnostics(uri, diagnostic.into_iter().collect(), None).await;
    }
    if let Some(message) = message {
        backend.client.show_message(MessageType::ERROR, message).await;
    }
}

/// Reads the stylebook from disk (or `text`, when the editor has it),
/// applies it with the editor's overrides, and reports a broken stylebook.
pub async fn load(backend: &Backend, text: Option<String>) {
    let outcome = read_stylebook(&backend.state, text);
    report(backend, outcome).await;
    apply(backend).await;
}

/// Reloads the stylebook after an event on `uri` (opened, saved, changed on
/// disk): with the editor's `text` when `uri` is the stylebook in force, from
/// disk otherwise (another `copydesk.toml` never replaces it).
pub async fn reload_after_event(backend: &Backend, uri: &Uri, text: Option<String>) {
    let settings = backend.state.settings();
    let text = if backend.state.rules.is_the_stylebook(uri, &settings) { text } else { None };
    load(backend, text).await;
}

/// Recomputes the effective configuration and asks for fresh diagnostics.
pub async fn apply(backend: &Backend) {
    let config = effective_config(&backend.state.rules.stylebook(), &backend.state.settings());
    backend.state.set_config(config);
    if backend.state.rules.pull_diagnostics() && backend.state.rules.refresh_support.load(Ordering::Acquire) {
        let _ = backend.client.workspace_diagnostic_refresh().await;
    }
}

/// At `initialize`: put the stylebook in force before any draft is analysed.
/// What it found is reported at `initialized`, once the client listens.
pub fn on_initialize(state: &super::state::ServerState, params: &InitializeParams) {
    state.rules.initialize(params);
    let outcome = read_stylebook(state, None);
    *state.rules.pending_report.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(outcome);
    state.set_config(effective_config(&state.rules.stylebook(), &state.settings()));
}

/// At `initialized`: report the stylebook read at `initialize`, and watch it
/// (when the client allows).
pub async fn on_initialized(backend: &Backend) {
    let pending = backend.state.rules.pending_report.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
    if let Some(outcome) = pending {
        report(backend, outcome).await;
    }
    watch_stylebook(backend).await;
}

/// Registers a file watcher for `**/copydesk.toml` and for the configured
/// stylebook's file name (when the client allows it and it is not watched yet).
pub async fn watch_stylebook(backend: &Backend) {
    let rules = &backend.state.rules;
    if !rules.watch_registration.load(Ordering::Acquire) {
        return;
    }
    let configured = rules
        .stylebook_path(&backend.state.settings())
        .and_then(|path| path.file_name().map(|name| name.to_string_lossy().into_owned()));
    let new_names: Vec<String> = {
        let mut watched = rules.watched_names.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut new_names = Vec::new();
        for name in std::iter::once(STYLEBOOK_FILE.to_owned()).chain(configured) {
            if !watched.contains(&name) {
                watched.push(name.clone());
                new_names.push(name);
            }
        }
        new_names
    };
    if new_names.is_empty() {
        return;
    }
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: new_names
            .iter()
            .map(|name| FileSystemWatcher { glob_pattern: GlobPattern::String(format!("**/{name}")), kind: None })
            .collect(),
    };
    let registration = Registration {
        id: format!("copydesk-stylebook-watcher-{}", new_names.join("-")),
        method: String::from("workspace/didChangeWatchedFiles"),
        register_options: serde_json::to_value(options).ok(),
    };
    let _ = backend.client.register_capability(vec![registration]).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_from_day_counts() {
        assert_eq!(civil_from_days(0), Date::new(1970, 1, 1));
        assert_eq!(civil_from_days(19_723), Date::new(2024, 1, 1));
        assert_eq!(civil_from_days(19_782), Date::new(2024, 2, 29));
    }

    #[test]
    fn file_uris_round_trip() {
        let path = PathBuf::from("/tmp/news desk/copydesk.toml");
        let uri = path_to_uri(&path).expect("uri");
        assert!(is_stylebook(&uri));
        assert_eq!(uri_to_path(&uri), Some(path));
    }

    #[test]
    fn broken_stylebook_diagnostic_points_at_the_error() {
        let text = "[rules]\nunbalanced-quote = \"loud\"\n";
        let error = Config::from_toml_str(text).expect_err("broken");
        let diagnostic = stylebook_error_diagnostic(&error, text, PositionEncoding::Utf16);
        assert_eq!(diagnostic.range.start, Position { line: 1, character: 19 });
        assert!(diagnostic.message.contains("default settings"));
    }

    #[test]
    fn editor_overrides_win_over_the_stylebook() {
        let stylebook = Config::from_toml_str("[rules]\ntitle-case = \"off\"\n").expect("parses");
        let settings =
            Settings::default().merged_with(&serde_json::json!({"rules": {"title-case": "error", "nope": "off"}}));
        let config = effective_config(&stylebook, &settings);
        assert_eq!(config.rule_level("title-case"), Some(copydesk_analysis::config::RuleLevel::Error));
        assert!(config.today.is_some());
    }
}
