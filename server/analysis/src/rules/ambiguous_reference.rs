//! `ambiguous-reference`: a short form that fits several people in the draft.
//!
//! When three people named Kim appear, "Kim said" could be any of them; the
//! entity analysis refuses to guess and records the mention with its
//! candidates. The rule reports each such mention, points at where every
//! candidate is introduced, and offers the full name of each as a fix.

use crate::model::{Diagnostic, Fix, RelatedSpan, Severity, TextEdit};
use crate::rules::text::join_or;
use crate::rules::{Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "ambiguous-reference",
    default_severity: Severity::Warning,
    summary: "A short form (a family name, a title) that fits several people in the draft.",
    check_paragraph: None,
    check,
};

/// Words that start an entity name the analysis took for a person but that
/// is a title, a party or a phrase ("Baroness Hale", "Vote Hale", "New Labour").
const NOT_GIVEN_NAMES: &[&str] = &[
    "Baron",
    "Baroness",
    "Lord",
    "Lady",
    "Sir",
    "Dame",
    "Vote",
    "New",
    "Former",
    "Labour",
    "Tory",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "President",
    "Prime",
    "Minister",
    "Chancellor",
    "Good",
    "The",
];

/// Whether `name` reads as a person's full name containing `short` as a whole
/// word at its start or end: two or more capitalised words, no compound
/// ("Hale-era"), not starting with a title or a common word.
fn is_person_name(name: &str, short: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    words.len() >= 2
        && words.iter().all(|word| word.chars().next().is_some_and(char::is_uppercase))
        && !NOT_GIVEN_NAMES.contains(&words[0])
        && !words[0].ends_with("'s")
        && (words[0] == short || words[words.len() - 1] == short)
}

/// Whether `short` is the candidate's family name (when the analysis knows it):
/// "Howard" fits Michael Howard, not Howard Flight.
fn is_family_name_of(entity: &crate::model::Entity, short: &str) -> bool {
    entity.family_name.as_deref().is_none_or(|family| family == short)
}

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for ambiguous in &context.linking.ambiguous_mentions {
        let all: Vec<_> = ambiguous
            .candidates
            .iter()
            .filter_map(|id| crate::model::entity_by_id(&context.linking.entities, id))
            .filter(|entity| {
                entity.kind == crate::model::EntityKind::Person
                    && is_person_name(&entity.name, &ambiguous.text)
                    && is_family_name_of(entity, &ambiguous.text)
            })
            .collect();
        // Two forms of one name ("Plaid Cymru's Ann Hale" and "Ann Hale") are
        // one person, not a choice.
        let candidates: Vec<_> = all
            .iter()
            .copied()
            .filter(|entity| {
                !all.iter().any(|other| {
                    let same_ends = |a: &str, b: &str| {
                        a.split_whitespace().next() == b.split_whitespace().next()
                            && a.split_whitespace().next_back() == b.split_whitespace().next_back()
                    };
                    other.id != entity.id
                        && entity.name.len() > other.name.len()
                        && (entity.name.ends_with(&format!(" {}", other.name)) || same_ends(&entity.name, &other.name))
                })
            })
            .collect();
        // Only a name-like short form: a capitalised word, not an acronym.
        let name_like = ambiguous.text.chars().next().is_some_and(char::is_uppercase)
            && !ambiguous.text.chars().nth(1).is_some_and(char::is_uppercase);
        if candidates.len() < 2 || !name_like {
            continue;
        }
        let names: Vec<String> = candidates.iter().map(|entity| entity.name.clone()).collect();
        let related = candidates
            .iter()
            .filter_map(|entity| {
                entity.introducing_mention().map(|mention| RelatedSpan {
                    span: mention.span,
                    message: format!(
                        "{} is introduced here (line {})",
                        entity.name,
                        context.line_of(mention.span.start)
                    ),
                })
            })
            .collect();
        let fixes = candidates
            .iter()
            .map(|entity| Fix {
                title: format!("Use the full name: {}", entity.name),
                edits: vec![TextEdit { span: ambiguous.span, new_text: entity.name.clone() }],
                preferred: false,
            })
            .collect();
        diagnostics.push(Diagnostic {
            code: RULE.code,
            severity: RULE.default_severity,
            span: ambiguous.span,
            message: format!(
                "\"{}\" could mean {} people in this draft: {}; use the full name",
                ambiguous.text,
                candidates.len(),
                join_or(&names)
            ),
            related,
            fixes,
        });
    }
}
