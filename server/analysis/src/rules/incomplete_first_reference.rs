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
use crate::rules::text::{in_body, starts_sentence};
use crate::rules::{DocumentPart, EntityScope, KindReads, OwnedFindings, Reads, Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "incomplete-first-reference",
    default_severity: Severity::Warning,
    summary: "A person's first mention gives only the family name (no given name or title).",
    check_paragraph: None,
    check: DocumentPart::PerEntity(check),
    reads: Reads {
        linking: true,
        quotes: false,
        facts: &[],
        paragraph_order: false,
        paragraph_kinds: KindReads::AtEntityMentions,
        quote_additions: true,
    },
};

/// The stylebook person whose family name or alias is `short`.
pub fn stylebook_person_for<'a>(context: &'a RuleContext<'_>, short: &str) -> Option<&'a PersonEntry> {
    context.config.person_named(short).or_else(|| {
        let mut matches = context.config.people.iter().filter(|person| person.family_name() == Some(short));
        let first = matches.next()?;
        matches.next().is_none().then_some(first)
    })
}

/// Honorifics that mark the next word as a person's family name.
const HONORIFICS: &[&str] = &["Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Dr", "Dr."];

/// Titles that complete a reference on their own: peers and royals are
/// correctly introduced as "Lord Falconer" or "Prince Edward".
const NOBLE_TITLES: &[&str] = &[
    "Lord", "Lady", "Baroness", "Baron", "Earl", "Duke", "Duchess", "Prince", "Princess", "King", "Queen", "Viscount",
    "Sir", "Dame",
];

const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "argued",
    "warned",
    "urged",
    "announced",
    "insisted",
    "claimed",
    "admitted",
    "stated",
    "noted",
    "replied",
    "asked",
    "wrote",
    "tweeted",
];

/// Whether the context shows a lone capitalised word is a person: an
/// honorific before it, a speech verb after it, or another person's name
/// joined to it by "and" ("between Trump and Kim"). The entity analysis
/// guesses people from capitalised words; a first-reference warning needs
/// firmer ground than a guess. The offsets at which it asks whether a
/// person is named go to `lookups`, as the entity at `owner`'s.
fn reads_as_person(
    context: &RuleContext<'_>,
    span: crate::model::Span,
    has_honorific: bool,
    owner: u32,
    lookups: &mut Vec<(u32, usize)>,
) -> bool {
    let text = context.text;
    // The words on either side are found in the text unrecorded; the bytes
    // looked at (through the word before, or the one before "and", and
    // through the word after, or "and " and what follows) are recorded below.
    let whole = text.unrecorded();
    let before = whole[..span.start].trim_end();
    let previous_word = before.rsplit(char::is_whitespace).next().unwrap_or("");
    let after = whole[span.end..].trim_start_matches(['\'', '’', 's']).trim_start();
    let next_word = after.split(|c: char| !c.is_alphabetic()).next().unwrap_or("");
    let joined_before = before.strip_suffix(" and").map(|rest| rest.trim_end().len());
    let looked_back = joined_before.unwrap_or(before.len()).min(before.len() - previous_word.len());
    text.record(looked_back.saturating_sub(4), span.start);
    let after_start = text.offset_of(after);
    text.record(span.end, (after_start + next_word.len().max(4) + 4).min(text.len()));
    if has_honorific || HONORIFICS.contains(&previous_word) {
        return true;
    }
    // After a preposition ("Archbishop of Canterbury", "War on Want") or a
    // comma ("Badminton, Gloucestershire said"), the word names a place or an
    // organisation; a title word ("The Chancellor said") is not a name.
    let after_preposition = matches!(previous_word, "of" | "on" | "in" | "at" | "from" | "for" | "to" | "by");
    let after_comma = before.ends_with(',');
    let word = &text[span.start..span.end];
    let title_word = matches!(
        word.to_lowercase().as_str(),
        "chancellor"
            | "president"
            | "premier"
            | "minister"
            | "secretary"
            | "speaker"
            | "mayor"
            | "governor"
            | "senator"
    );
    if after_preposition || after_comma || title_word {
        return false;
    }
    if SPEECH_VERBS.contains(&next_word) {
        return true;
    }
    let mut person_at = |offset: usize| {
        lookups.push((owner, offset));
        context.linking.entities.iter().any(|entity| {
            entity.kind == EntityKind::Person
                && entity.mentions.iter().any(|mention| mention.span.touches_offset(offset))
        }) || context.linking.ambiguous_mentions.iter().any(|mention| mention.span.touches_offset(offset))
    };
    let joined_after = after.strip_prefix("and ").map(|rest| text.len() - rest.len());
    joined_after.is_some_and(&mut person_at) || joined_before.is_some_and(|offset| offset > 0 && person_at(offset - 1))
}

fn check(context: &RuleContext<'_>, scope: EntityScope<'_>, findings: &mut OwnedFindings) {
    let date = article_date(context);
    for position in scope.positions(context.linking.entities.len()) {
        let entity = &context.linking.entities[position];
        let owner = OwnedFindings::entity_owner(position);
        // What is read from here on is read for this entity's findings
        // alone: an edit there runs the rule on this entity only.
        context.text.set_owner(Some(owner));
        if entity.kind != EntityKind::Person {
            continue;
        }
        // The first mention in the body: a headline names people in shorthand.
        let Some(first) = entity
            .mentions
            .iter()
            .filter(|mention| in_body(context.layout, mention.span.start))
            .min_by_key(|mention| mention.span.start)
        else {
            continue;
        };
        // Checked before the word in front is read: either way the mention
        // is passed over, and the read would tie the output to that word.
        if first.form != MentionForm::Partial || !in_body(context.layout, first.span.start) {
            continue;
        }
        // The word before the first reference, and (for the fix below) the
        // honorific that may end the text before it: found in the text
        // without recording, then the range looked at is recorded (the
        // longest honorific is four bytes).
        let before_first = &context.text.unrecorded()[..first.span.start];
        let trimmed_before = before_first.trim_end();
        let previous_word = trimmed_before.rsplit(char::is_whitespace).next().unwrap_or("");
        let looked_from = (trimmed_before.len() - previous_word.len()).min(trimmed_before.len().saturating_sub(4));
        context.text.record(looked_from.saturating_sub(4), first.span.start);
        if NOBLE_TITLES.contains(&previous_word) || NOBLE_TITLES.iter().any(|title| first.text.starts_with(title)) {
            continue;
        }
        // Only a name-like word (an optional honorific, then one capitalised
        // word of letters) mid-sentence: a capitalised word at the start of a
        // sentence or a hyphenated compound is too often not a person at all.
        let surname = first.text.rsplit(' ').next().unwrap_or("");
        let name_like = surname.chars().next().is_some_and(char::is_uppercase)
            && surname.chars().skip(1).all(|c| c.is_lowercase() || c == '\'' || c == '’')
            && surname.chars().count() > 1
            && first.text.split(' ').count() <= 2;
        let paragraph_start = crate::rules::text::paragraph_at(context.layout, first.span.start)
            .map_or(0, |paragraph| paragraph.span.start);
        if !name_like || starts_sentence(context.text, paragraph_start, first.span.start) {
            continue;
        }
        if !reads_as_person(context, first.span, first.text.contains(' '), owner, &mut findings.person_lookups) {
            continue;
        }
        // A partial first mention with a title right before it ("Mayor Ek")
        // still names an official clearly enough.
        if entity
            .titles
            .iter()
            .any(|title| title.span.end <= first.span.start && first.span.start - title.span.end <= 1)
        {
            continue;
        }
        let full = entity.mentions.iter().find(|mention| mention.form == MentionForm::Full);
        let mut related = Vec::new();
        let mut fixes = Vec::new();
        let message = match full {
            Some(full) => {
                related.push(RelatedSpan {
                    span: full.span,
                    message: format!("the full name first appears here (line {})", context.line_of(full.span.start)),
                });
                let family = entity.family_name.clone().unwrap_or_else(|| first.text.clone());
                // The title written before the full name ("Mayor Ulla Brandvik")
                // moves to the first reference with it.
                let title = entity.titles.iter().find(|title| {
                    title.span.end <= full.span.start && context.text[title.span.end..full.span.start].trim().is_empty()
                });
                let first_reference = match title {
                    Some(title) => format!("{} {}", title.text, full.text),
                    None => full.text.clone(),
                };
                // An honorific before the family name ("Mr Hale") gives way to the full name.
                let honorific_start = HONORIFICS
                    .iter()
                    .find_map(|honorific| trimmed_before.strip_suffix(honorific).map(str::len))
                    .filter(|start| before_first[*start..].trim() != "")
                    .filter(|start| !before_first[..*start].ends_with(|c: char| c.is_alphanumeric()));
                let first_span = crate::model::Span::new(honorific_start.unwrap_or(first.span.start), first.span.end);
                fixes.push(Fix {
                    title: format!("Give the full name here ({first_reference}) and the family name later"),
                    edits: vec![
                        TextEdit { span: first_span, new_text: first_reference.clone() },
                        TextEdit { span: full.span, new_text: family },
                    ],
                    preferred: true,
                });
                format!(
                    "first reference to {} gives only \"{}\"; the full name comes later, on line {}",
                    entity.name,
                    first.text,
                    context.line_of(full.span.start)
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
        findings.push(
            Some(position),
            Diagnostic { code: RULE.code, severity: RULE.default_severity, span: first.span, message, related, fixes },
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check;

    #[test]
    fn full_name_and_title_move_to_the_first_reference() {
        check(
            "incomplete-first-reference",
            "Quay vote delayed\nThe vote was delayed after Mr Brandvik said the figures were late.\nHarbour Commissioner Ulla Brandvik met the board on Monday.",
            r#"
Warning "Brandvik": first reference to Ulla Brandvik gives only "Brandvik"; the full name comes later, on line 3
  related "Ulla Brandvik": the full name first appears here (line 3)
  fix "Give the full name here (Harbour Commissioner Ulla Brandvik) and the family name later" (preferred) -> "Quay vote delayed\nThe vote was delayed after Harbour Commissioner Ulla Brandvik said the figures were late.\nHarbour Commissioner Brandvik met the board on Monday."
"#,
        );
    }

    #[test]
    fn peers_and_sentence_starts_are_quiet() {
        check(
            "incomplete-first-reference",
            "Quay vote delayed\nLord Falconer said the vote would wait. Brandvik agreed.\nUlla Brandvik met the board.",
            "",
        );
    }
}
