//! `stale-title`: a title used for a person outside the dates the stylebook gives for it.
//!
//! Titles change: a mayor leaves office, a minister is promoted. The stylebook
//! records each person's titles with `from`/`until` dates; the rule compares a
//! title written in the draft with them, on the article's date: the
//! front-matter field named by `[article] date_field` (default `date`), else
//! `[article] date`, else today's date as the caller passes it in
//! `Config::today` (the core never reads the clock). Without a date, or for a
//! title the stylebook does not list for the person, nothing is reported.

use crate::config::{Date, PersonEntry, TitleEntry};
use crate::model::{Diagnostic, EntityKind, Fix, Severity, TextEdit};
use crate::rules::{DocumentPart, KindReads, Reads, Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "stale-title",
    default_severity: Severity::Warning,
    summary: "A title used for a person outside the dates the stylebook gives for it.",
    check_paragraph: None,
    check: DocumentPart::Whole(check),
    reads: Reads {
        linking: true,
        quotes: false,
        facts: &[],
        paragraph_order: false,
        paragraph_kinds: KindReads::Never,
        quote_additions: true,
    },
};

/// The article's date: front matter, then `[article] date`, then `Config::today`.
pub fn article_date(context: &RuleContext<'_>) -> Option<Date> {
    front_matter_date(context).or(context.config.article.date).or(context.config.today)
}

/// The date in the front matter field `[article] date_field` (`date: 2024-05-01`
/// in YAML, `date = 2024-05-01` in TOML front matter).
fn front_matter_date(context: &RuleContext<'_>) -> Option<Date> {
    let span = context.layout.front_matter?;
    let field = context.config.article.date_field.as_str();
    context.text[span.start..span.end].lines().find_map(|line| {
        let rest = line.trim().strip_prefix(field)?;
        let value = rest.trim_start().strip_prefix([':', '='])?;
        Date::parse(value.trim())
    })
}

/// The stylebook title entries matching a title as written (the written title
/// ends with the stylebook's, ignoring case: "DPRK Vice Foreign Minister"
/// matches "Vice Foreign Minister").
fn matching_entries<'a>(person: &'a PersonEntry, written: &str) -> Vec<&'a TitleEntry> {
    let written = written.to_lowercase();
    person
        .titles
        .iter()
        .filter(|entry| {
            let title = entry.title.to_lowercase();
            written == title || written.ends_with(&format!(" {title}"))
        })
        .collect()
}

fn describe_dates(entry: &TitleEntry) -> String {
    match (entry.from, entry.until) {
        (Some(from), Some(until)) => format!("from {from} until {until}"),
        (Some(from), None) => format!("from {from}"),
        (None, Some(until)) => format!("until {until}"),
        (None, None) => String::from("with no dates"),
    }
}

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let Some(date) = article_date(context) else { return };
    for entity in &context.linking.entities {
        if entity.kind != EntityKind::Person {
            continue;
        }
        let person = context
            .config
            .person_named(&entity.name)
            .or_else(|| entity.mentions.iter().find_map(|mention| context.config.person_named(&mention.text)));
        let Some(person) = person else { continue };
        for title in &entity.titles {
            let entries = matching_entries(person, &title.text);
            if entries.is_empty() || entries.iter().any(|entry| entry.held_on(date)) {
                continue;
            }
            let held: Vec<String> = entries.iter().map(|entry| describe_dates(entry)).collect();
            let current = person.titles.iter().find(|entry| entry.held_on(date));
            let fixes = current
                .map(|entry| Fix {
                    title: format!("Use the title held on {date}: {}", entry.title),
                    edits: vec![TextEdit { span: title.span, new_text: entry.title.clone() }],
                    preferred: true,
                })
                .into_iter()
                .collect();
            let now = current.map_or(String::new(), |entry| format!("; on that date the title is \"{}\"", entry.title));
            diagnostics.push(Diagnostic {
                code: RULE.code,
                severity: RULE.default_severity,
                span: title.span,
                message: format!(
                    "the stylebook gives {} the title \"{}\" {}, but the article is dated {date}{now}",
                    person.name,
                    title.text,
                    held.join(" and ")
                ),
                related: Vec::new(),
                fixes,
            });
        }
    }
}
