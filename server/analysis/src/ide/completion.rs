//! Completion of names and titles already used in the draft.
//!
//! Triggered on a capitalised prefix ("Fen", "Park M"). The inserted form
//! depends on where the cursor is: before the entity's first full reference
//! it is the full name (the writer is introducing the person); after it, a
//! person's family name, unless another person shares that family name, in
//! which case the full name again (the short form would be ambiguous).

use super::{Draft, kind_word};
use crate::model::{Entity, EntityKind, MentionForm, Span};

/// How many words back a multi-word prefix ("Park Min J") may reach.
const PREFIX_WORDS: usize = 4;

/// What a candidate completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Person,
    Organization,
    Place,
    Title,
}

/// One completion candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionCandidate {
    /// What the list shows.
    pub label: String,
    /// What replaces `replace`.
    pub insert_text: String,
    /// The typed prefix the candidate replaces.
    pub replace: Span,
    /// What the client filters on (the prefix must match its start).
    pub filter_text: String,
    pub kind: CompletionKind,
    pub detail: String,
    /// Orders candidates: entities mentioned nearer the cursor first.
    pub sort_text: String,
}

fn is_name_character(character: char) -> bool {
    character.is_alphanumeric() || matches!(character, '-' | '\'' | '\u{2019}' | '.')
}

/// The possible prefixes ending at `offset`, longest first: the current word,
/// extended back over earlier capitalised words separated by single spaces.
fn prefixes(text: &str, offset: usize) -> Vec<Span> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, character)| is_name_character(*character))
        .last()
        .map_or(offset, |(index, _)| index);
    let word = &text[word_start..offset];
    if !word.chars().next().is_some_and(char::is_uppercase) {
        return Vec::new();
    }
    let mut spans = vec![Span::new(word_start, offset)];
    let mut start = word_start;
    for _ in 1..PREFIX_WORDS {
        let Some(before_space) = text[..start].strip_suffix(' ') else { break };
        let previous_start = before_space
            .char_indices()
            .rev()
            .take_while(|(_, character)| is_name_character(*character))
            .last()
            .map_or(before_space.len(), |(index, _)| index);
        let previous = &text[previous_start..before_space.len()];
        if !previous.chars().next().is_some_and(char::is_uppercase) {
            break;
        }
        start = previous_start;
        spans.push(Span::new(start, offset));
    }
    spans.reverse();
    spans
}

fn completion_kind(kind: EntityKind) -> CompletionKind {
    match kind {
        EntityKind::Person => CompletionKind::Person,
        EntityKind::Organization => CompletionKind::Organization,
        EntityKind::Place => CompletionKind::Place,
    }
}

/// Whether `label` starts with `prefix`, ignoring case, and is longer.
fn extends(label: &str, prefix: &str) -> bool {
    label.len() > prefix.len() && label.get(..prefix.len()).is_some_and(|start| start.eq_ignore_ascii_case(prefix))
        || label.to_lowercase().starts_with(&prefix.to_lowercase()) && label.chars().count() > prefix.chars().count()
}

/// The completion candidates at `offset`.
pub fn completions(draft: &Draft<'_>, offset: usize) -> Vec<CompletionCandidate> {
    let prefixes = prefixes(draft.text, offset);
    let Some(word) = prefixes.last().copied() else {
        return Vec::new();
    };
    let analysis = draft.analysis;
    let mut candidates: Vec<CompletionCandidate> = Vec::new();
    for entity in &analysis.entities {
        // The word being typed may itself have been analysed as a mention; an
        // entity known only from it is not a real suggestion.
        if entity.mentions.iter().all(|mention| mention.span.overlaps(word) || mention.span.touches_offset(word.end)) {
            continue;
        }
        let mut matched: Option<(Span, String)> = None;
        for prefix in &prefixes {
            let typed = draft.slice(*prefix);
            if extends(&entity.name, typed) {
                matched = Some((*prefix, entity.name.clone()));
                break;
            }
            if let Some(family) = entity.family_name.as_deref().filter(|_| *prefix == word) {
                if extends(family, typed) || family == typed {
                    matched = Some((*prefix, family.to_owned()));
                    break;
                }
            }
        }
        let Some((replace, filter_text)) = matched else { continue };
        let insert_text = form_for_position(draft, entity, replace);
        let mut detail = kind_word(entity.kind).to_owned();
        if let Some(title) = entity.titles.first() {
            detail = format!("{} · {detail}", title.text);
        }
        if insert_text != entity.name {
            detail.push_str(" · later reference");
        } else if !introduced_before(entity, replace.start) {
            detail.push_str(" · first reference");
        }
        let distance = entity
            .mentions
            .iter()
            .map(|mention| mention.span.start.abs_diff(replace.start))
            .min()
            .unwrap_or(usize::MAX);
        candidates.push(CompletionCandidate {
            label: entity.name.clone(),
            insert_text,
            replace,
            filter_text,
            kind: completion_kind(entity.kind),
            detail,
            sort_text: format!("0{distance:012}"),
        });
    }
    // Titles as written, once each.
    for entity in &analysis.entities {
        for title in &entity.titles {
            if title.span.overlaps(word) || candidates.iter().any(|candidate| candidate.label == title.text) {
                continue;
            }
            let Some(prefix) = prefixes.iter().find(|prefix| extends(&title.text, draft.slice(**prefix))) else {
                continue;
            };
            candidates.push(CompletionCandidate {
                label: title.text.clone(),
                insert_text: title.text.clone(),
                replace: *prefix,
                filter_text: title.text.clone(),
                kind: CompletionKind::Title,
                detail: format!("title of {}", entity.name),
                sort_text: format!("1{}", title.text),
            });
        }
    }
    candidates.sort_by(|left, right| left.sort_text.cmp(&right.sort_text).then(left.label.cmp(&right.label)));
    candidates
}

/// Whether the entity has a full-form mention that ends before `offset`.
fn introduced_before(entity: &Entity, offset: usize) -> bool {
    entity.mentions.iter().any(|mention| mention.form == MentionForm::Full && mention.span.end <= offset)
}

/// The full name on first reference; after it, a person's family name when no
/// other person in the draft shares it.
fn form_for_position(draft: &Draft<'_>, entity: &Entity, replace: Span) -> String {
    if entity.kind != EntityKind::Person || !introduced_before(entity, replace.start) {
        return entity.name.clone();
    }
    let Some(family) = entity.family_name.as_deref() else {
        return entity.name.clone();
    };
    let shared = draft.analysis.entities.iter().any(|other| {
        other.id != entity.id && other.kind == EntityKind::Person && other.family_name.as_deref() == Some(family)
    });
    // A prefix longer than the family name means the writer is typing the full name.
    if shared || draft.slice(replace).len() > family.len() { entity.name.clone() } else { family.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Story;
    use super::*;

    /// Inserts `typed` at the end of the line that starts with `line_start`,
    /// builds the story analysis of the edited text (the spans of the story
    /// are found again in it), and renders the candidates.
    fn check(after: &str, typed: &str, expect: &str) {
        let base = super::super::fixture::STORY;
        let at = base.find(after).expect("anchor") + after.len();
        let text = format!("{}{typed}{}", &base[..at], &base[at..]);
        let story = Story::build(&text);
        let draft = story.draft();
        let offset = at + typed.len();
        let actual: Vec<String> = completions(&draft, offset)
            .iter()
            .map(|candidate| {
                format!(
                    "{:?} -> {:?} replacing {:?} ({})",
                    candidate.label,
                    candidate.insert_text,
                    draft.slice(candidate.replace),
                    candidate.detail
                )
            })
            .collect();
        assert_eq!(actual.join("\n"), expect.trim(), "\nactual:\n{}", actual.join("\n"));
    }

    #[test]
    fn family_name_after_the_first_reference_unless_shared() {
        check(
            "next week.",
            " Fen",
            r#""Laura Fenwick" -> "Fenwick" replacing "Fen" (Fisheries Minister · person · later reference)"#,
        );
        check(
            "next week.",
            " Pa",
            r#"
"Park Jae Won" -> "Park Jae Won" replacing "Pa" (Harbour Authority chief · person)
"Park Sung Ho" -> "Park Sung Ho" replacing "Pa" (Fleet Commissioner · person)
"Park Min Ji" -> "Park Min Ji" replacing "Pa" (Valdoran Deputy Trade Minister · person)"#,
        );
    }

    #[test]
    fn full_name_on_first_reference_and_multi_word_prefixes() {
        check(
            "Harbour talks stall over fishing quotas",
            " with Laura F",
            r#""Laura Fenwick" -> "Laura Fenwick" replacing "Laura F" (Fisheries Minister · person · first reference)
"Fisheries Minister" -> "Fisheries Minister" replacing "F" (title of Laura Fenwick)
"Fleet Commissioner" -> "Fleet Commissioner" replacing "F" (title of Park Sung Ho)"#,
        );
        check(
            "next week.",
            " Park S",
            r#""Park Sung Ho" -> "Park Sung Ho" replacing "Park S" (Fleet Commissioner · person)"#,
        );
    }

    #[test]
    fn titles_and_lowercase_prefixes() {
        check(
            "next week.",
            " Fle",
            r#""Fleet Commissioner" -> "Fleet Commissioner" replacing "Fle" (title of Park Sung Ho)"#,
        );
        check("next week.", " fen", "");
    }
}
