//! Renaming an entity: every full form, the family-name form and possessives,
//! rewritten consistently, or a refusal that says why.
//!
//! A person's name has structure the editor does not know: "Choe Son Hui"
//! puts the family name first, so its later references are "Choe"; "Igor
//! Morgulov" puts it last. Rename keeps that structure: the new family name is
//! the word in the same position of the new name, family-name references are
//! rewritten only when it changes, and title or pronoun references are left
//! alone. A rename that would make the draft ambiguous (a family name another
//! person already has, or another entity's full name) is refused.

use super::{Draft, Target, target_at};
use crate::model::{Entity, EntityKind, MentionForm, Span, TextEdit};

/// Why a rename cannot happen here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameError {
    /// The cursor is not on anything that can be renamed.
    NothingToRename,
    /// The rename is possible in principle but refused; the message says why.
    Refused(String),
}

/// What `prepareRename` answers: the span under the cursor and the text the
/// editor should propose (the entity's fullest name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameTarget {
    pub span: Span,
    pub placeholder: String,
    pub entity_id: String,
}

/// Checks that the cursor is on something renameable.
pub fn prepare_rename(draft: &Draft<'_>, offset: usize) -> Result<RenameTarget, RenameError> {
    let target = target_at(draft, offset).ok_or(RenameError::NothingToRename)?;
    match target {
        Target::Ambiguous(ambiguous) => {
            let names: Vec<String> = ambiguous
                .candidates
                .iter()
                .filter_map(|id| draft.analysis.entity(id))
                .map(|entity| entity.name.clone())
                .collect();
            Err(RenameError::Refused(format!(
                "\u{201c}{}\u{201d} could mean {}; rename from a mention that says who it is.",
                ambiguous.text,
                super::join_names(&names).replace(" and ", " or ")
            )))
        }
        Target::Quote { .. } => Err(RenameError::NothingToRename),
        _ => {
            let entity = target.entity().ok_or(RenameError::NothingToRename)?;
            Ok(RenameTarget { span: target.span(), placeholder: entity.name.clone(), entity_id: entity.id.clone() })
        }
    }
}

/// The edits that rename the entity at `offset` to `new_name`, in text order.
pub fn rename(draft: &Draft<'_>, offset: usize, new_name: &str) -> Result<Vec<TextEdit>, RenameError> {
    let target = prepare_rename(draft, offset)?;
    let entity = draft.analysis.entity(&target.entity_id).ok_or(RenameError::NothingToRename)?;
    let new_name = new_name.trim();
    if new_name.is_empty() {
        return Err(RenameError::Refused("The new name is empty.".to_owned()));
    }
    if new_name.contains(['\n', '\r']) {
        return Err(RenameError::Refused("A name cannot contain a line break.".to_owned()));
    }
    if new_name == entity.name {
        return Err(RenameError::Refused(format!("\u{201c}{new_name}\u{201d} is already the name.")));
    }
    if let Some(other) =
        draft.analysis.entities.iter().find(|other| other.id != entity.id && other.name.eq_ignore_ascii_case(new_name))
    {
        return Err(RenameError::Refused(format!(
            "The draft already has {} \u{201c}{}\u{201d}; renaming would make the two indistinguishable.",
            super::kind_word(other.kind),
            other.name
        )));
    }
    let old_family = entity.family_name.as_deref().filter(|_| entity.kind == EntityKind::Person);
    let new_family = old_family.and_then(|family| new_family_name(entity, family, new_name));
    let family_changes = matches!((old_family, new_family.as_deref()), (Some(old), Some(new)) if old != new);
    if family_changes {
        let new_family = new_family.as_deref().unwrap_or_default();
        let short_references = entity.mentions.iter().filter(|mention| mention.form == MentionForm::Partial).count();
        if let Some(other) = draft.analysis.entities.iter().find(|other| {
            other.id != entity.id
                && other.kind == EntityKind::Person
                && other.family_name.as_deref().is_some_and(|family| family.eq_ignore_ascii_case(new_family))
        }) {
            if short_references > 0 {
                return Err(RenameError::Refused(format!(
                    "\u{201c}{new_family}\u{201d} is also the family name of {}, so the {} family-name reference{} to {} would become ambiguous.",
                    other.name,
                    short_references,
                    if short_references == 1 { "" } else { "s" },
                    entity.name
                )));
            }
        }
    }

    let mut edits = Vec::new();
    let mut edited: Vec<Span> = Vec::new();
    for mention in &entity.mentions {
        let edit = match mention.form {
            MentionForm::Full => full_form_edit(mention.span, &mention.text, &entity.name, new_name),
            MentionForm::Partial if family_changes => {
                word_edit(mention.span, &mention.text, old_family.unwrap_or_default(), new_family.as_deref())
            }
            _ => None,
        };
        if let Some(edit) = edit {
            edited.push(mention.span);
            edits.push(edit);
        }
    }
    // Source phrases of statements not recorded as mentions, when they spell
    // the name ("according to Choe" found only by the attribution stage).
    for quote in &draft.analysis.quotes {
        let Some(source) = quote.source_mention.as_ref().filter(|_| quote.speaker.as_deref() == Some(&entity.id))
        else {
            continue;
        };
        if edited.iter().any(|span| span.overlaps(source.span)) {
            continue;
        }
        let spells_full_name = source.text.contains(entity.name.as_str());
        let edit = spells_full_name
            .then(|| full_form_edit(source.span, &source.text, &entity.name, new_name))
            .flatten()
            .or_else(|| {
                if family_changes {
                    word_edit(source.span, &source.text, old_family.unwrap_or_default(), new_family.as_deref())
                } else {
                    None
                }
            });
        if let Some(edit) = edit {
            edited.push(source.span);
            edits.push(edit);
        }
    }
    edits.sort_by_key(|edit| edit.span);
    edits.dedup_by(|later, earlier| later.span.overlaps(earlier.span));
    Ok(edits)
}

/// The family name of `new_name`: the word in the same position (counted from
/// the front for family-name-first names, from the back otherwise) as the
/// old family name had in the old name.
fn new_family_name(entity: &Entity, old_family: &str, new_name: &str) -> Option<String> {
    let old_words: Vec<&str> = entity.name.split_whitespace().collect();
    let new_words: Vec<&str> = new_name.split_whitespace().collect();
    let from_front = old_words.iter().position(|word| *word == old_family);
    let from_back = old_words.iter().rev().position(|word| *word == old_family);
    let word = if entity.family_name_first {
        new_words.get(from_front.unwrap_or(0))
    } else {
        new_words.len().checked_sub(1 + from_back.unwrap_or(0)).and_then(|index| new_words.get(index))
    };
    word.map(|word| (*word).to_owned())
}

/// Splits a trailing possessive ("'s", "’s", or a lone apostrophe) off `text`.
fn without_possessive(text: &str) -> &str {
    for suffix in ["'s", "\u{2019}s", "'", "\u{2019}"] {
        if let Some(stem) = text.strip_suffix(suffix) {
            return stem;
        }
    }
    text
}

/// Rewrites a full-form mention: the old name inside it becomes the new name;
/// a variant spelling ("Kim Jong-un" for "Kim Jong Un") is replaced whole. A
/// possessive ending and anything before the name (an honorific) are kept.
fn full_form_edit(span: Span, text: &str, old_name: &str, new_name: &str) -> Option<TextEdit> {
    let stem = without_possessive(text);
    let (start, end) = match stem.find(old_name) {
        Some(found) => (found, found + old_name.len()),
        None => (0, stem.len()),
    };
    if &stem[start..end] == new_name {
        return None;
    }
    Some(TextEdit { span: Span::new(span.start + start, span.start + end), new_text: new_name.to_owned() })
}

/// Rewrites the last whole-word occurrence of `old_word` in a short form.
fn word_edit(span: Span, text: &str, old_word: &str, new_word: Option<&str>) -> Option<TextEdit> {
    let new_word = new_word?;
    let stem = without_possessive(text);
    let found =
        stem.match_indices(old_word).map(|(index, _)| index).collect::<Vec<_>>().into_iter().rev().find(|index| {
            let before = stem[..*index].chars().next_back();
            let after = stem[index + old_word.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })?;
    Some(TextEdit {
        span: Span::new(span.start + found, span.start + found + old_word.len()),
        new_text: new_word.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Story, cursor};
    use super::*;

    /// Applies the edits and returns the changed lines, or the refusal.
    fn check(marked: &str, new_name: &str, expect: &str) {
        let story = Story::new();
        let draft = story.draft();
        let offset = cursor(&story.text, marked);
        let actual = match rename(&draft, offset, new_name) {
            Err(RenameError::NothingToRename) => "nothing to rename".to_owned(),
            Err(RenameError::Refused(reason)) => format!("refused: {reason}"),
            Ok(edits) => {
                let mut text = story.text.clone();
                for edit in edits.iter().rev() {
                    text.replace_range(edit.span.start..edit.span.end, &edit.new_text);
                }
                let changed: Vec<&str> =
                    text.lines().zip(story.text.lines()).filter(|(new, old)| new != old).map(|(new, _)| new).collect();
                changed.join("\n")
            }
        };
        assert_eq!(actual.trim(), expect.trim(), "\nactual:\n{actual}");
    }

    #[test]
    fn family_name_first_rename_keeps_the_family_name_references() {
        check(
            "$0Park told",
            "Park Min-ji",
            "Valdoran Deputy Trade Minister Park Min-ji met her counterpart, Fisheries Minister Laura Fenwick, in Port Azure on Tuesday.",
        );
    }

    #[test]
    fn a_middle_initial_is_added_to_every_full_form() {
        check(
            "Laura$0 Fenwick",
            "Laura J. Fenwick",
            "Valdoran Deputy Trade Minister Park Min Ji met her counterpart, Fisheries Minister Laura J. Fenwick, in Port Azure on Tuesday.",
        );
    }

    #[test]
    fn a_new_family_name_rewrites_the_short_references() {
        check(
            "the minis$0ter",
            "Laura Fenwick-Hale",
            "
Valdoran Deputy Trade Minister Park Min Ji met her counterpart, Fisheries Minister Laura Fenwick-Hale, in Port Azure on Tuesday.
Fenwick-Hale said the quotas were fair. \"We have offered more than once,\" the minister said.",
        );
    }

    #[test]
    fn refuses_what_would_be_ambiguous() {
        check(
            "$0Park is expected",
            "Park Min-ji",
            "refused: \u{201c}Park\u{201d} could mean Park Min Ji, Park Sung Ho or Park Jae Won; rename from a mention that says who it is.",
        );
        check(
            "Fenwick$0 said",
            "Laura Park",
            "refused: \u{201c}Park\u{201d} is also the family name of Park Min Ji, so the 1 family-name reference to Laura Fenwick would become ambiguous.",
        );
        check(
            "Fenwick$0 said",
            "Park Sung Ho",
            "refused: The draft already has person \u{201c}Park Sung Ho\u{201d}; renaming would make the two indistinguishable.",
        );
        check("on Tues$0day", "Wednesday", "nothing to rename");
    }

    #[test]
    fn possessives_keep_their_ending() {
        let edit = full_form_edit(Span::new(10, 25), "Choe Son Hui's", "Choe Son Hui", "Choe Son-hui").unwrap();
        assert_eq!(edit, TextEdit { span: Span::new(10, 22), new_text: "Choe Son-hui".to_owned() });
        let edit = word_edit(Span::new(0, 9), "Mr. Biegun\u{2019}s", "Biegun", Some("Begun")).unwrap();
        assert_eq!(edit.span, Span::new(4, 10));
    }
}
