//! `incomplete-first-reference`: a person first mentioned without a full name.
//!
//! The first reference to a person gives the full name (and, for officials,
//! the title); later references use the family name. A family name alone on
//! first reference ("Trump said") leaves the reader to guess who is meant.
//!
//! Reported for a person whose first mention in the draft is a partial form (a
//! family name, with or without an honorific). When the full name appears
//! later, the message says where and the fix moves it to the first reference;
//! when the stylebook knows the person, the fix writes the stylebook's name
//! and the title held on the article's date. The language server also offers
//! to add the person to the stylebook.

use crate::config::PersonEntry;
use crate::model::{Diagnostic, EntityKind, Fix, MentionForm, RelatedSpan, Severity, TextEdit};
use crate::rules::stale_title::article_date;
use crate::rules::text::{in_body, line_of};
use crate::rules::{Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "incomplete-first-reference",
    default_severity: Severity::Warning,
    summary: "A person's first mention gives only the family name (no given name or title).",
    check,
};

/// The stylebook person whose family name or alias is `short`.
pub fn stylebook_person_for<'a>(context: &'a RuleContext<'_>, short: &str) -> Option<&'a PersonEntry> {
    context.config.person_named(short).or_else(|| {
        let mut matches = context.config.people.iter().filter(|person| person.family_name() == Some(short));
        let first = matches.next()?;
        matches.next().is_none().then_some(first)
    })
}

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let date = article_date(context);
    for entity in &context.linking.entities {
        if entity.kind != EntityKind::Person {
            continue;
        }
        let Some(first) = entity.mentions.iter().min_by_key(|mention| mention.span.start) else { continue };
        if first.form != MentionForm::Partial || !in_body(context.layout, first.span.start) {
            continue;
        }
        // A partial first mention with a title right before it ("Mayor Ek")
        // still names an official clearly enough.
        if entity.titles.iter().any(|title| title.span.end <= first.span.start && first.span.start - title.span.end <= 1) {
            continue;
        }
        let full = entity.mentions.iter().find(|mention| mention.form == MentionForm::Full);
        let mut related = Vec::new();
        let mut fixes = Vec::new();
        let message = match full {
            Some(full) => {
                related.push(RelatedSpan {
                    span: full.span,
                    message: format!("the full name first appears here (line {})", line_of(context.text, full.span.start)),
                });
                let family = entity.family_name.clone().unwrap_or_else(|| first.text.clone());
                fixes.push(Fix {
                    title: format!("Give the full name here ({}) and the family name later", full.text),
                    edits: vec![
                        TextEdit { span: first.span, new_text: full.text.clone() },
                        TextEdit { span: full.span, new_text: family },
                    ],
                    preferred: true,
                });
                format!(
                    "first reference to {} gives only \"{}\"; the full name comes later, on line {}",
                    entity.name,
                    first.text,
                    line_of(context.text, full.span.start)
                )
            }
            None => format!("first reference to \"{}\" gives no given name or title: who is this?", first.text),
        };
        if let Some(person) = stylebook_person_for(context, &first.text) {
            let title = date.and_then(|date| person.titles.iter().find(|title| title.held_on(date)));
            let replacement = match title {
                Some(title) => format!("{} {}", title.title, person.name),
                None => person.name.clone(),
            };
            fixes.insert(
                0,
                Fix {
                    title: format!("Use the stylebook's first reference: {replacement}"),
                    edits: vec![TextEdit { span: first.span, new_text: replacement }],
                    preferred: true,
                },
            );
            if fixes.len() > 1 {
                fixes[1].preferred = false;
            }
        }
        diagnostics.push(Diagnostic {
            code: RULE.code,
            severity: RULE.default_severity,
            span: first.span,
            message,
            related,
            fixes,
        });
    }
}
