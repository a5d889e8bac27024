//! `given-name-as-surname`: a person's given name used as if it were the family name.
//!
//! "Chairman Un", "Mr. Jinping", "Jong Un said": with names written family
//! name first (Korean, Chinese, Vietnamese, Hungarian...), a writer used to
//! given-family order takes the last word for the family name. The rule knows
//! each person's name order from the entity analysis (or the stylebook's
//! `name_order`) and reports a given name, or the given names without the
//! family name, after an honorific or title, or standing before a speech verb.
//! The fix writes the family name.

use rustc_hash::FxHashMap;

use crate::config::NameOrder;
use crate::model::{Diagnostic, EntityKind, Fix, RelatedSpan, Severity, Span, TextEdit};
use crate::rules::text::in_body;
use crate::rules::{Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "given-name-as-surname",
    default_severity: Severity::Warning,
    summary: "A given name used as the family name (\"Chairman Un\", \"Mr. Jinping\", \"Jong Un said\").",
    check_paragraph: None,
    check,
};

/// Words that, right before a name, make it a family-name reference.
const HONORIFICS: &[&str] = &[
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Dr",
    "Dr.",
    "Chairman",
    "Chairwoman",
    "President",
    "Premier",
    "Minister",
    "Leader",
    "General",
    "Marshal",
    "Comrade",
    "Secretary",
    "Ambassador",
    "Governor",
    "Mayor",
    "Senator",
    "Prime",
];

const SPEECH_VERBS: &[&str] = &["said", "says", "told", "added", "noted", "stated", "warned", "urged", "announced"];

/// One person the rule looks for: the entity, its family name, and the
/// wrong forms (given names) to find in the text.
struct Candidate<'a> {
    entity: &'a crate::model::Entity,
    family: &'a str,
    family_used_alone: usize,
    three_part: bool,
    forms: Vec<String>,
}

/// The alphanumeric run that starts at `start`: a form's first segment must
/// equal it for the form to start there with no letter glued on either side.
fn first_segment(text: &str) -> &str {
    let end = text.find(|c: char| !c.is_alphanumeric()).unwrap_or(text.len());
    &text[..end]
}

/// Every place in `text` where each candidate form starts at a word boundary
/// (no letter, digit or hyphen before it), found in one pass over the text:
/// searching the whole draft once per person made the rule quadratic in long
/// drafts. Indexed `[candidate][form]`, each list in text order.
fn form_starts(text: &str, candidates: &[Candidate<'_>]) -> Vec<Vec<Vec<usize>>> {
    let mut starts: Vec<Vec<Vec<usize>>> =
        candidates.iter().map(|candidate| vec![Vec::new(); candidate.forms.len()]).collect();
    let mut by_first_segment: FxHashMap<&str, Vec<(usize, usize)>> = FxHashMap::default();
    for (candidate_index, candidate) in candidates.iter().enumerate() {
        for (form_index, form) in candidate.forms.iter().enumerate() {
            let segment = first_segment(form);
            if !segment.is_empty() {
                by_first_segment.entry(segment).or_default().push((candidate_index, form_index));
            }
        }
    }
    if by_first_segment.is_empty() {
        return starts;
    }
    let first_characters: Vec<char> = by_first_segment.keys().filter_map(|segment| segment.chars().next()).collect();
    let mut ascii_first = [false; 128];
    for character in first_characters.iter().filter(|character| character.is_ascii()) {
        ascii_first[*character as usize] = true;
    }
    let joins = |character: char| character.is_alphanumeric() || character == '-';
    let mut try_at = |offset: usize| {
        let rest = &text[offset..];
        if let Some(found) = by_first_segment.get(first_segment(rest)) {
            for &(candidate_index, form_index) in found {
                if rest.starts_with(candidates[candidate_index].forms[form_index].as_str()) {
                    starts[candidate_index][form_index].push(offset);
                }
            }
        }
    };
    let bytes = text.as_bytes();
    if first_characters.iter().all(char::is_ascii) {
        // The usual case (names start with an ASCII capital): look only at
        // the bytes that can start a form, then at the character before.
        let mut consider = |offset: usize| {
            let glued = text[..offset].chars().next_back().is_some_and(joins);
            if !glued {
                try_at(offset);
            }
        };
        let mut distinct: Vec<u8> = first_characters.iter().map(|character| *character as u8).collect();
        distinct.sort_unstable();
        distinct.dedup();
        // Up to three distinct first bytes (a draft with a few family-first
        // names) are found with memchr's vectorised search, which skips the
        // text many bytes at a time; the byte-by-byte table walk below was a
        // visible share of every keystroke in a long draft.
        match distinct.as_slice() {
            [one] => memchr::memchr_iter(*one, bytes).for_each(&mut consider),
            [one, two] => memchr::memchr2_iter(*one, *two, bytes).for_each(&mut consider),
            [one, two, three] => memchr::memchr3_iter(*one, *two, *three, bytes).for_each(&mut consider),
            _ => {
                for (offset, &byte) in bytes.iter().enumerate() {
                    if byte.is_ascii() && ascii_first[usize::from(byte)] {
                        consider(offset);
                    }
                }
            }
        }
    } else {
        let mut previous_joins = false;
        for (offset, character) in text.char_indices() {
            if !previous_joins && first_characters.contains(&character) {
                try_at(offset);
            }
            previous_joins = joins(character);
        }
    }
    starts
}

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let text = context.text;
    let mut candidates = Vec::new();
    for entity in &context.linking.entities {
        if entity.kind != EntityKind::Person {
            continue;
        }
        let stylebook = context.config.person_named(&entity.name);
        let family_first = match stylebook.and_then(|person| person.name_order) {
            Some(order) => order == NameOrder::FamilyFirst,
            None => entity.family_name_first,
        };
        let Some(family) = stylebook.and_then(|person| person.family_name()).or(entity.family_name.as_deref()) else {
            continue;
        };
        // The name order must be firmly known: from the stylebook, or from the
        // family name standing alone elsewhere in the draft ("Kim said"), or
        // from a three-part family-first name ("Kim Jong Un").
        let family_used_alone = entity.mentions.iter().filter(|mention| mention.text == family).count();
        let firmly_known = stylebook.and_then(|person| person.name_order).is_some()
            || family_used_alone > 0
            || entity.name.split_whitespace().count() >= 3;
        if !family_first || !firmly_known {
            continue;
        }
        let given: Vec<&str> = entity.name.split_whitespace().filter(|word| *word != family).collect();
        if given.is_empty() {
            continue;
        }
        // Candidate wrong forms: the whole given name ("Jong Un"), its last part ("Un").
        let mut forms: Vec<String> = vec![given.join(" ")];
        if given.len() > 1 {
            forms.push(given[given.len() - 1].to_owned());
        }
        // Hyphenated given names ("Jong-un") count too.
        forms.push(given.join("-"));
        let three_part = entity.name.split_whitespace().count() >= 3 || stylebook.is_some();
        candidates.push(Candidate { entity, family, family_used_alone, three_part, forms });
    }
    if candidates.is_empty() {
        return;
    }
    let starts = form_starts(text, &candidates);
    for (candidate, form_starts) in candidates.iter().zip(&starts) {
        let Candidate { entity, family, family_used_alone, three_part, forms } = candidate;
        let introduction = entity.introducing_mention().map(|mention| mention.span);
        let mut reported: Vec<Span> = Vec::new();
        let start_of_entity = diagnostics.len();
        for (form, starts) in forms.iter().zip(form_starts) {
            // Matches of one form never overlap, as with a left-to-right search.
            let mut from = 0;
            for &start in starts {
                if start < from {
                    continue;
                }
                let end = start + form.len();
                from = end;
                let span = Span::new(start, end);
                let letter_after = text[end..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '-');
                if letter_after || !in_body(context.layout, start) || reported.iter().any(|done| done.overlaps(span)) {
                    continue;
                }
                // Part of the full name ("Kim Jong Un"): the family name precedes it.
                let before = text[..start].trim_end();
                if before.ends_with(family) {
                    continue;
                }
                let previous_word = before.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
                let next_word = text[end..].split_whitespace().next().unwrap_or("").trim_end_matches([',', '.', ';']);
                let after_honorific = HONORIFICS.contains(&previous_word);
                let before_verb = form.contains([' ', '-']) && SPEECH_VERBS.contains(&next_word);
                if !(after_honorific || before_verb) {
                    continue;
                }
                reported.push(span);
                diagnostics.push(Diagnostic {
                    code: RULE.code,
                    severity: RULE.default_severity,
                    span,
                    message: format!(
                        "\"{form}\" is {}'s given name; the family name is \"{family}\" (it comes first)",
                        entity.name
                    ),
                    related: introduction
                        .map(|span| RelatedSpan {
                            span,
                            message: format!("{} introduced here (line {})", entity.name, context.line_of(span.start)),
                        })
                        .into_iter()
                        .collect(),
                    fixes: vec![Fix {
                        title: format!("Use the family name: {family}"),
                        edits: vec![TextEdit { span, new_text: (*family).to_owned() }],
                        preferred: true,
                    }],
                });
            }
        }
        // With a two-part name, a "given name" the writer uses more often than
        // the supposed family name is more likely the real family name (the
        // name order guess was wrong): say nothing.
        if !three_part && diagnostics.len() - start_of_entity > *family_used_alone {
            diagnostics.truncate(start_of_entity);
        }
    }
}
