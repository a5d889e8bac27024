//! The newsroom stylebook (`copydesk.toml`) and per-rule settings.
//!
//! The core only parses text handed to it; finding and reading the file is the
//! caller's job. A parse error carries a line and column so the server can put a
//! diagnostic on the stylebook itself and keep running on defaults.

use serde::Deserialize;

/// Everything configurable about the analysis. `Config::default()` is what a
/// newsroom without a stylebook gets.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {}

/// A stylebook that could not be read, with where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
    /// Zero-based line and column (in characters) of the error, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Byte range of the error in the stylebook text, when known.
    pub byte_range: Option<std::ops::Range<usize>>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(formatter, "{}:{}: {}", line + 1, column + 1, self.message)
            }
            _ => write!(formatter, "{}", self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Parses a `copydesk.toml` stylebook.
    pub fn from_toml_str(text: &str) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|error| {
            let byte_range = error.span();
            let (line, column) = match &byte_range {
                Some(range) => {
                    let before = &text[..range.start.min(text.len())];
                    let line = before.matches('\n').count();
                    let column = before.rsplit('\n').next().map_or(0, |tail| tail.chars().count());
                    (Some(line), Some(column))
                }
                None => (None, None),
            };
            ConfigError { message: error.message().to_owned(), line, column, byte_range }
        })
    }
}
