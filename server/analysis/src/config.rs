//! The newsroom stylebook (`copydesk.toml`) and per-rule settings.
//!
//! The core only parses text handed to it; finding and reading the file is the
//! caller's job. A parse error carries a line and column so the server can put a
//! diagnostic on the stylebook itself and keep running on defaults.
//!
//! The core never reads the clock: the date a title is checked against comes
//! from the article (front matter), from `[article] date`, or from
//! [`Config::today`], which the caller fills in.
//!
//! The format is documented in `docs/stylebook.md` and described for editors by
//! `docs/copydesk.schema.json`.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::model::Severity;

/// Everything configurable about the analysis. `Config::default()` is what a
/// newsroom without a stylebook gets.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Per-rule settings, keyed by rule code: `"off"`, a severity, or a table
    /// with `severity` and rule-specific options.
    pub rules: BTreeMap<String, RuleSetting>,
    /// Acronyms every reader knows, on top of (or instead of) the built-in list.
    pub acronyms: AcronymSettings,
    /// Preferred spellings: the preferred form mapped to the variants to replace.
    pub spellings: BTreeMap<String, Vec<String>>,
    /// People the newsroom writes about.
    pub people: Vec<PersonEntry>,
    /// Organisations the newsroom writes about.
    pub organizations: Vec<OrganizationEntry>,
    /// Where the article's own date comes from.
    pub article: ArticleSettings,
    /// Today's date, set by the caller (never read from the clock by the core);
    /// the last fallback for the article date.
    #[serde(skip)]
    pub today: Option<Date>,
}

/// How serious a rule is, or that it is turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Off,
    Error,
    Warning,
    #[serde(alias = "info")]
    Information,
    Hint,
}

impl RuleLevel {
    /// The diagnostic severity, or `None` when the rule is off.
    pub const fn severity(self) -> Option<Severity> {
        match self {
            RuleLevel::Off => None,
            RuleLevel::Error => Some(Severity::Error),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Information => Some(Severity::Information),
            RuleLevel::Hint => Some(Severity::Hint),
        }
    }

    /// Parses the words used in settings ("off", "error", "warning", "info",
    /// "information", "hint"), also accepting "none"/"false" for off.
    pub fn parse(word: &str) -> Option<RuleLevel> {
        match word.trim().to_ascii_lowercase().as_str() {
            "off" | "none" | "false" | "disabled" => Some(RuleLevel::Off),
            "error" => Some(RuleLevel::Error),
            "warning" | "warn" => Some(RuleLevel::Warning),
            "information" | "info" => Some(RuleLevel::Information),
            "hint" | "on" => Some(RuleLevel::Hint),
            _ => None,
        }
    }
}

/// The setting for one rule: a bare level (`"off"`, `"hint"`) or a table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(
    untagged,
    expecting = "a level (\"off\", \"error\", \"warning\", \"information\", \"hint\") or a table such as { severity = \"hint\" }"
)]
pub enum RuleSetting {
    Level(RuleLevel),
    Table(RuleTable),
}

/// The table form of a rule setting.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleTable {
    /// The severity; `"off"` turns the rule off. Absent means the rule's default.
    pub severity: Option<RuleLevel>,
    /// For `attribution-verb`: the verbs to flag, replacing the built-in list.
    pub verbs: Option<Vec<String>>,
    /// For `attribution-verb`: verbs to flag on top of the built-in list.
    pub extra_verbs: Vec<String>,
    /// For `vague-source` and `leftover-boilerplate`: extra phrases to flag.
    pub phrases: Vec<String>,
}

/// The `[acronyms]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AcronymSettings {
    /// Acronyms readers know without expansion, added to the built-in list.
    pub known: Vec<String>,
    /// When false, only `known` counts and the built-in list is ignored.
    pub use_builtin: bool,
}

impl Default for AcronymSettings {
    fn default() -> AcronymSettings {
        AcronymSettings { known: Vec::new(), use_builtin: true }
    }
}

/// Which part of a person's name is the family name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameOrder {
    /// "Kim Jong Un": family name first.
    FamilyFirst,
    /// "Stephen Biegun": family name last.
    GivenFirst,
}

/// A person in the stylebook.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonEntry {
    /// The canonical full name, as the newsroom writes it.
    pub name: String,
    /// Family name; derived from `name` and `name_order` when absent.
    #[serde(default)]
    pub family_name: Option<String>,
    #[serde(default)]
    pub name_order: Option<NameOrder>,
    /// Other spellings or forms that mean this person ("Kim Jong-un").
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Titles with the dates they were held.
    #[serde(default)]
    pub titles: Vec<TitleEntry>,
    /// Pronouns, e.g. "she/her".
    #[serde(default)]
    pub pronouns: Option<String>,
}

impl PersonEntry {
    /// The family name: as given, else the first word (family-first order) or
    /// the last word.
    pub fn family_name(&self) -> Option<&str> {
        if let Some(family) = &self.family_name {
            return Some(family.as_str());
        }
        let mut words = self.name.split_whitespace();
        match self.name_order {
            Some(NameOrder::FamilyFirst) => words.next(),
            _ => words.next_back(),
        }
    }

    /// The canonical name and every alias.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// A title a person held, between two dates (either may be open).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleEntry {
    pub title: String,
    #[serde(default)]
    pub from: Option<Date>,
    #[serde(default)]
    pub until: Option<Date>,
}

impl TitleEntry {
    /// Whether the title was held on `date` (inclusive bounds).
    pub fn held_on(&self, date: Date) -> bool {
        self.from.is_none_or(|from| from <= date) && self.until.is_none_or(|until| date <= until)
    }
}

/// An organisation in the stylebook.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationEntry {
    /// The canonical name ("TASS").
    pub name: String,
    /// Other spellings that mean the same organisation ("Tass").
    #[serde(default)]
    pub aliases: Vec<String>,
    /// For an acronym: what it stands for; an acronym with an expansion here is
    /// not reported as unexpanded.
    #[serde(default)]
    pub expansion: Option<String>,
}

/// The `[article]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ArticleSettings {
    /// The front-matter field holding the article's date.
    pub date_field: String,
    /// The article date to use when the front matter has none.
    pub date: Option<Date>,
}

impl Default for ArticleSettings {
    fn default() -> ArticleSettings {
        ArticleSettings { date_field: String::from("date"), date: None }
    }
}

/// A calendar date, without time zone. Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub const fn new(year: i32, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM` (first of the month) or `YYYY` (first of
    /// the year), optionally followed by a time (`T...` or a space), which is ignored.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim().trim_matches(|character| character == '"' || character == '\'');
        let date_part = text.split(['T', ' ', 't']).next()?;
        let mut parts = date_part.split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u8 = match parts.next() {
            Some(month) => month.parse().ok()?,
            None => 1,
        };
        let day: u8 = match parts.next() {
            Some(day) => day.parse().ok()?,
            None => 1,
        };
        if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) || year < 1 {
            return None;
        }
        Some(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        // A TOML file may write a date bare (`from = 2019-03-01`) or quoted.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Toml(toml::value::Datetime),
            Text(String),
        }
        let text = match Written::deserialize(deserializer)? {
            Written::Toml(datetime) => datetime.to_string(),
            Written::Text(text) => text,
        };
        Date::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a date (expected YYYY-MM-DD)")))
    }
}

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
        let config: Config = toml::from_str(text).map_err(|error| {
            let byte_range = error.span();
            let (line, column) = match &byte_range {
                Some(range) => line_and_column(text, range.start),
                None => (None, None),
            };
            ConfigError { message: error.message().trim().to_owned(), line, column, byte_range }
        })?;
        config.validate(text)?;
        Ok(config)
    }

    /// Checks what serde cannot: rule codes that do not exist.
    fn validate(&self, text: &str) -> Result<(), ConfigError> {
        for code in self.rules.keys() {
            if crate::rules::rule(code).is_none() {
                let position = text.find(code.as_str());
                let (line, column) = position.map_or((None, None), |offset| line_and_column(text, offset));
                let known: Vec<&str> = crate::rules::RULES.iter().map(|rule| rule.code).collect();
                return Err(ConfigError {
                    message: format!("unknown rule `{code}` in [rules]; known rules: {}", known.join(", ")),
                    line,
                    column,
                    byte_range: position.map(|offset| offset..offset + code.len()),
                });
            }
        }
        Ok(())
    }

    /// The level configured for `code`, or `None` to use the rule's default.
    pub fn rule_level(&self, code: &str) -> Option<RuleLevel> {
        match self.rules.get(code)? {
            RuleSetting::Level(level) => Some(*level),
            RuleSetting::Table(table) => table.severity,
        }
    }

    /// The table form of a rule's settings, when the stylebook gives one.
    pub fn rule_table(&self, code: &str) -> Option<&RuleTable> {
        match self.rules.get(code)? {
            RuleSetting::Table(table) => Some(table),
            RuleSetting::Level(_) => None,
        }
    }

    /// Overrides the level of one rule, keeping its other options; used for the
    /// editor's settings, which win over the stylebook.
    pub fn override_rule_level(&mut self, code: &str, level: RuleLevel) {
        match self.rules.get_mut(code) {
            Some(RuleSetting::Table(table)) => table.severity = Some(level),
            Some(setting) => *setting = RuleSetting::Level(level),
            None => {
                self.rules.insert(code.to_owned(), RuleSetting::Level(level));
            }
        }
    }

    /// The stylebook person one of whose names is `name` (exact, case-sensitive).
    pub fn person_named(&self, name: &str) -> Option<&PersonEntry> {
        self.people.iter().find(|person| person.all_names().any(|known| known == name))
    }
}

/// Zero-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (Option<usize>, Option<usize>) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let column = before.rsplit('\n').next().map_or(0, |tail| tail.chars().count());
    (Some(line), Some(column))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_error(text: &str, expect: &str) {
        let error = Config::from_toml_str(text).expect_err("the stylebook should not parse");
        assert_eq!(error.to_string(), expect);
    }

    #[test]
    fn full_stylebook_parses() {
        let config = Config::from_toml_str(
            r#"
[rules]
unbalanced-quote = { severity = "information", phrases = ["x"] }

[acronyms]
known = ["NATO", "EU"]

[spellings]
"Kim Jong Un" = ["Kim Jong-un"]

[[people]]
name = "Ulla Brandvik"
name_order = "given-first"
aliases = ["Ulla Brandvick"]
pronouns = "she/her"
titles = [
  { title = "Harbour Commissioner", from = 2019-04-01, until = "2023-12-31" },
  { title = "Mayor", from = "2024-01" },
]

[[organizations]]
name = "TASS"
aliases = ["Tass"]

[article]
date_field = "published"
date = 2024-06-01
"#,
        )
        .expect("parses");
        assert_eq!(config.rule_level("unbalanced-quote"), Some(RuleLevel::Information));
        assert_eq!(config.rule_level("vague-source"), None);
        let person = config.person_named("Ulla Brandvick").expect("alias found");
        assert_eq!(person.family_name(), Some("Brandvik"));
        assert_eq!(person.titles[0].from, Some(Date::new(2019, 4, 1)));
        assert!(person.titles[1].held_on(Date::new(2024, 1, 1)));
        assert!(!person.titles[0].held_on(Date::new(2024, 1, 1)));
        assert_eq!(config.article.date, Some(Date::new(2024, 6, 1)));
        assert_eq!(config.article.date_field, "published");
    }

    #[test]
    fn errors_have_line_and_column() {
        check_error(
            "[rules]\nunbalanced-quote = \"loud\"\n",
            "2:20: a level (\"off\", \"error\", \"warning\", \"information\", \"hint\") or a table such as { severity = \"hint\" }",
        );
        check_error(
            "[rules]\nno-such-rule = \"off\"\n",
            "2:1: unknown rule `no-such-rule` in [rules]; known rules: unbalanced-quote, unattributed-quote, vague-source, incomplete-first-reference, repeated-full-name, ambiguous-reference, given-name-as-surname, inconsistent-title, inconsistent-spelling, title-case, unexpanded-acronym, attribution-verb, leftover-boilerplate, duplicate-paragraph, stale-title, paragraph-too-long",
        );
        check_error("[acronyms]\nknown = [\"EU\"\n", "3:1: invalid array\nexpected `]`");
        check_error(
            "colour = 3\n",
            "1:1: unknown field `colour`, expected one of `rules`, `acronyms`, `spellings`, `people`, `organizations`, `article`",
        );
        check_error(
            "[[people]]\nname = \"A B\"\ntitles = [{ title = \"Mayor\", from = \"last year\" }]\n",
            "3:37: `last year` is not a date (expected YYYY-MM-DD)",
        );
    }

    #[test]
    fn editor_overrides_keep_rule_options() {
        let mut config =
            Config::from_toml_str("[rules]\nunbalanced-quote = { severity = \"hint\", extra_verbs = [\"quipped\"] }\n")
                .expect("parses");
        config.override_rule_level("unbalanced-quote", RuleLevel::Off);
        assert_eq!(config.rule_level("unbalanced-quote"), Some(RuleLevel::Off));
        assert_eq!(
            config.rule_table("unbalanced-quote").map(|table| table.extra_verbs.clone()),
            Some(vec![String::from("quipped")])
        );
        let mut fresh = Config::default();
        fresh.override_rule_level("unbalanced-quote", RuleLevel::Error);
        assert_eq!(fresh.rule_level("unbalanced-quote"), Some(RuleLevel::Error));
    }

    #[test]
    fn dates_parse_leniently_but_not_wrongly() {
        assert_eq!(Date::parse("2019-03-01T10:00:00Z"), Some(Date::new(2019, 3, 1)));
        assert_eq!(Date::parse("\"2019-03\""), Some(Date::new(2019, 3, 1)));
        assert_eq!(Date::parse("2019-13-01"), None);
        assert_eq!(Date::parse("March 2019"), None);
    }
}
