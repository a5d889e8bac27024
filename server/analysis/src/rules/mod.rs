//! Copy-desk rules: each rule reads the finished analysis and reports diagnostics.
//!
//! One file per rule; every rule has a stable code, a default severity and a
//! documentation page in `docs/rules/<code>.md`. [`run`] calls every enabled
//! rule, applies the severity the stylebook or the editor settings give it,
//! drops what inline suppression comments silence, and sorts the result.

use crate::config::Config;
use crate::document::DocumentLayout;
use crate::entities::EntityLinking;
use crate::model::{Diagnostic, Quote, Severity};
use crate::pipeline::ParagraphView;

pub mod ambiguous_reference;
pub mod attribution_verb;
pub mod duplicate_paragraph;
pub mod given_name_as_surname;
pub mod incomplete_first_reference;
pub mod inconsistent_spelling;
pub mod inconsistent_title;
pub mod leftover_boilerplate;
pub mod paragraph_too_long;
pub mod repeated_full_name;
pub mod stale_title;
pub mod suppression;
pub mod text;
pub mod title_case;
pub mod unattributed_quote;
pub mod unbalanced_quote;
pub mod unexpanded_acronym;
pub mod vague_source;

/// Everything a rule may look at.
#[derive(Debug)]
pub struct RuleContext<'a> {
    pub text: &'a str,
    pub layout: &'a DocumentLayout,
    pub paragraphs: &'a [ParagraphView<'a>],
    pub linking: &'a EntityLinking,
    pub quotes: &'a [Quote],
    pub config: &'a Config,
}

/// A rule's identity and entry point.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The stable code used in diagnostics, settings and suppression comments.
    pub code: &'static str,
    pub default_severity: Severity,
    /// One line saying what the rule reports, for documentation and listings.
    pub summary: &'static str,
    /// Reports the rule's diagnostics; their severity is set by [`run`].
    pub check: fn(&RuleContext<'_>, &mut Vec<Diagnostic>),
}

/// Every rule, in documentation order.
pub const RULES: &[Rule] = &[
    unbalanced_quote::RULE,
    unattributed_quote::RULE,
    vague_source::RULE,
    incomplete_first_reference::RULE,
    repeated_full_name::RULE,
    ambiguous_reference::RULE,
    given_name_as_surname::RULE,
    inconsistent_title::RULE,
    inconsistent_spelling::RULE,
    title_case::RULE,
    unexpanded_acronym::RULE,
    attribution_verb::RULE,
    leftover_boilerplate::RULE,
    duplicate_paragraph::RULE,
    stale_title::RULE,
    paragraph_too_long::RULE,
];

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.code == code)
}

/// Where a rule's documentation lives, relative to the repository root.
pub fn documentation_path(code: &str) -> String {
    format!("docs/rules/{code}.md")
}

/// The rule's documentation page as a URL, for the editor's link on a diagnostic.
pub fn documentation_url(code: &str) -> String {
    format!("{}/blob/main/{}", env!("CARGO_PKG_REPOSITORY"), documentation_path(code))
}

/// The severity `code` runs at under `config`, or `None` when it is off.
pub fn effective_severity(rule: &Rule, config: &Config) -> Option<Severity> {
    match config.rule_level(rule.code) {
        Some(level) => level.severity(),
        None => Some(rule.default_severity),
    }
}

/// Runs every enabled rule and returns the diagnostics sorted by position.
pub fn run(context: &RuleContext<'_>) -> Vec<Diagnostic> {
    let suppressions = suppression::Suppressions::parse(context.text, context.layout);
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for rule in RULES {
        let Some(severity) = effective_severity(rule, context.config) else { continue };
        let mut found = Vec::new();
        (rule.check)(context, &mut found);
        for mut diagnostic in found {
            diagnostic.severity = severity;
            if !suppressions.silences(rule.code, diagnostic.span.start) {
                diagnostic.fixes.extend(suppression::suppression_fixes(context.text, context.layout, &diagnostic));
                diagnostics.push(diagnostic);
            }
        }
    }
    diagnostics.sort_by_key(|diagnostic| (diagnostic.span.start, diagnostic.span.end, diagnostic.code));
    diagnostics
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every rule has a documentation page and is listed in the stylebook's
    /// JSON schema, so neither can fall behind the code.
    #[test]
    fn every_rule_is_documented_and_in_the_schema() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs");
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(docs.join("copydesk.schema.json")).expect("schema readable"))
                .expect("schema is JSON");
        let listed = schema["properties"]["rules"]["properties"].as_object().expect("rules listed");
        assert_eq!(listed.len(), super::RULES.len());
        for rule in super::RULES {
            assert!(docs.join(format!("rules/{}.md", rule.code)).is_file(), "no page for {}", rule.code);
            assert!(listed.contains_key(rule.code), "{} missing from the schema", rule.code);
        }
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! One `check` helper for every rule's unit tests: analyse a draft and render
    //! the diagnostics of one rule, with their evidence, related spans and fixes.

    use std::fmt::Write as _;

    use crate::config::Config;
    use crate::document::DocumentKind;

    /// Renders the diagnostics of `code` for `text`, one block per diagnostic:
    /// the flagged text and message, then related spans and fixes (with the
    /// text each fix produces).
    pub(crate) fn render(text: &str, kind: DocumentKind, config: &Config, code: &str) -> String {
        let analysis = crate::analyze(text, kind, config);
        let mut out = String::new();
        for diagnostic in analysis.diagnostics.iter().filter(|diagnostic| diagnostic.code == code) {
            let _ = writeln!(
                out,
                "{:?} {:?}: {}",
                diagnostic.severity,
                &text[diagnostic.span.start..diagnostic.span.end],
                diagnostic.message
            );
            for related in &diagnostic.related {
                let _ =
                    writeln!(out, "  related {:?}: {}", &text[related.span.start..related.span.end], related.message);
            }
            for fix in &diagnostic.fixes {
                if fix.title.starts_with("Ignore ") {
                    continue;
                }
                let mut fixed = text.to_owned();
                let mut edits = fix.edits.clone();
                edits.sort_by_key(|edit| std::cmp::Reverse(edit.span.start));
                for edit in edits {
                    fixed.replace_range(edit.span.start..edit.span.end, &edit.new_text);
                }
                let _ = writeln!(
                    out,
                    "  fix {:?}{} -> {:?}",
                    fix.title,
                    if fix.preferred { " (preferred)" } else { "" },
                    fixed
                );
            }
        }
        out
    }

    /// Asserts the rendering of `code`'s diagnostics on a plain-text draft.
    pub(crate) fn check(code: &str, text: &str, expect: &str) {
        check_with(code, text, DocumentKind::PlainText, &Config::default(), expect);
    }

    pub(crate) fn check_with(code: &str, text: &str, kind: DocumentKind, config: &Config, expect: &str) {
        let actual = render(text, kind, config, code);
        assert_eq!(actual.trim_end(), expect.trim(), "\nactual:\n{actual}");
    }
}
