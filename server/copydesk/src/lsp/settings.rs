//! LSP settings: what the client can tune through `initializationOptions`
//! and `workspace/didChangeConfiguration`.
//!
//! Both accept either the settings object itself or one nested under a
//! `copydesk` key (`{"copydesk": {"debounceMs": 0}}`), because VS Code sends
//! the whole settings tree while Neovim users usually pass the section.
//! Unknown keys are ignored so other helpers can add settings freely.

use std::collections::BTreeMap;

use copydesk_analysis::config::RuleLevel;
use serde_json::Value;

/// How long the analysis worker waits for more edits before analysing, by default.
pub const DEFAULT_DEBOUNCE_MS: u64 = 20;

/// The server's tunable settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Milliseconds the worker waits after an edit for more edits before
    /// analysing. 0 analyses right away (tests and benchmarks).
    pub debounce_ms: u64,
    /// Whether inlay hints are shown (read by the inlay hint handler).
    pub inlay_hints: bool,
    /// Rule severities that override the stylebook (`"rules": {"title-case": "warning"}`).
    pub rules: BTreeMap<String, RuleLevel>,
    /// Whether the diagnostic under a word still being typed waits until the
    /// word is finished (`"holdBackWhileTyping"`, default true).
    pub hold_back_while_typing: bool,
    /// The stylebook file (`"stylebookPath"`), relative to the workspace root
    /// or absolute; `None` (null or empty) means `copydesk.toml` at the root.
    pub stylebook_path: Option<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            debounce_ms: DEFAULT_DEBOUNCE_MS,
            inlay_hints: true,
            rules: BTreeMap::new(),
            hold_back_while_typing: true,
            stylebook_path: None,
        }
    }
}

impl Settings {
    /// Returns these settings updated with whatever `value` sets.
    pub fn merged_with(&self, value: &Value) -> Settings {
        let section = value.get("copydesk").unwrap_or(value);
        let mut settings = self.clone();
        if let Some(debounce) = section.get("debounceMs").and_then(Value::as_u64) {
            settings.debounce_ms = debounce.min(10_000);
        }
        if let Some(inlay_hints) = section.get("inlayHints").and_then(Value::as_bool) {
            settings.inlay_hints = inlay_hints;
        }
        if let Some(rules) = section.get("rules").and_then(Value::as_object) {
            // The whole map is replaced, so removing an override in the editor takes effect.
            settings.rules = rules
                .iter()
                .filter_map(|(code, level)| {
                    let word = level.as_str().or_else(|| level.get("severity").and_then(Value::as_str))?;
                    Some((code.clone(), RuleLevel::parse(word)?))
                })
                .collect();
        }
        if let Some(hold_back) = section.get("holdBackWhileTyping").and_then(Value::as_bool) {
            settings.hold_back_while_typing = hold_back;
        }
        match section.get("stylebookPath") {
            Some(Value::String(path)) if !path.trim().is_empty() => {
                settings.stylebook_path = Some(path.trim().to_owned())
            }
            Some(Value::String(_) | Value::Null) => settings.stylebook_path = None,
            _ => {}
        }
        settings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_are_read_flat_or_under_copydesk() {
        let defaults = Settings::default();
        assert_eq!(defaults.merged_with(&json!({"debounceMs": 0})).debounce_ms, 0);
        assert_eq!(defaults.merged_with(&json!({"copydesk": {"debounceMs": 5}})).debounce_ms, 5);
        assert_eq!(defaults.merged_with(&json!({"debounceMs": "x"})), defaults);
        assert!(!defaults.merged_with(&json!({"copydesk": {"inlayHints": false}})).inlay_hints);
        let configured = defaults.merged_with(&json!({"stylebookPath": " desk/house.toml "}));
        assert_eq!(configured.stylebook_path.as_deref(), Some("desk/house.toml"));
        assert_eq!(configured.merged_with(&json!({"inlayHints": true})).stylebook_path, configured.stylebook_path);
        assert_eq!(configured.merged_with(&json!({"stylebookPath": null})).stylebook_path, None);
        assert_eq!(configured.merged_with(&json!({"stylebookPath": ""})).stylebook_path, None);
    }
}
