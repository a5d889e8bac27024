//! Whether a change of entity linking's output can reach quote linking's.
//!
//! Quote linking ([`super::linking::link`]) reads entity linking's output in
//! three ways only: the entity whose mention overlaps a source phrase or a
//! relaying agency's span (`entity_in`), the people named shortly before a
//! "he" or "she" source (the pronoun's window: the statement's paragraph
//! and the two before it), and the properties of the entities it makes
//! speakers (kind, name, gender, id). When entity linking gives a new
//! output after a keystroke in which every entity kept its position and
//! only some entities differ, and none of those differing entities is a
//! speaker, none of their mentions (old or new) overlaps a source or relay
//! span, and none lies where a pronoun source could look for a person, then
//! quote linking decides every quote as before: the pipeline then carries
//! its output over and only swaps the differing entities in.

use crate::entities::EntityLinking;
use crate::model::{EntityKind, MentionForm, Quote, Span};
use crate::pipeline::ParagraphView;
use crate::quotes::SourcePhrase;

/// How many paragraphs after a mention's own a pronoun source may lie and
/// still read the mention: the pronoun's statement looks back over its own
/// paragraph and the two before it, and its source may have been borrowed
/// from the paragraph after the statement's (a continuation's cue).
const PRONOUN_REACH: usize = 3;

/// Whether quote linking, run on `new` (entity linking's new output),
/// would decide every quote as it did on the old output; `old` is the
/// previous keystroke's final linking (after quote linking) moved into the
/// new text, and `differing` the positions of the entities of `new` that
/// differ from the old ones (every other entity of `new` is the old one
/// moved, less quote linking's additions). `paragraphs` are the new
/// draft's, whose quote facts must be the old ones moved.
pub fn linking_change_unreached(
    paragraphs: &[ParagraphView<'_>],
    old: &EntityLinking,
    new: &EntityLinking,
    differing: &[usize],
) -> bool {
    if old.entities.len() != new.entities.len() {
        return false;
    }
    for &position in differing {
        let (Some(old_entity), Some(new_entity)) = (old.entities.get(position), new.entities.get(position)) else {
            return false;
        };
        // A speaker's kind, name and gender go into its quotes; an entity
        // with no statement has no pronoun mention either (quote linking
        // adds those to speakers only).
        if !old_entity.statements.is_empty() {
            return false;
        }
        // Only people's mentions are candidates for a pronoun.
        let person = old_entity.kind == EntityKind::Person || new_entity.kind == EntityKind::Person;
        for mention in old_entity.mentions.iter().chain(&new_entity.mentions) {
            if !mention_unread(paragraphs, mention.span, person) {
                return false;
            }
        }
    }
    true
}

/// The paragraphs (positions, ascending) holding every quote whose
/// linking may read an entity that entity linking replaced, when entity
/// linking's new output `new` renumbered the others (`new_of_old`: each old
/// entity's new position, `None` when it is not in `new` unchanged but for
/// its id and quote linking's additions). `old` is the previous
/// keystroke's final linking moved into the new text, `old_quotes` its
/// quotes moved. A quote reads a changed entity when it is the speaker of
/// the quote (its statements), when one of its mentions (old or new)
/// overlaps the quote's source or relay span, or, for a person, when its
/// mention lies where the quote's "he"/"she" looks for a person. Quotes
/// elsewhere decide as before with their entities renumbered, provided the
/// quotes linked again around these paragraphs give the entities the
/// genders they gave before (`super::window`). Empty when no quote reads
/// a changed entity; `Err` when that cannot be told (a mention or a quote
/// outside any paragraph).
pub fn linking_change_reach(
    paragraphs: &[ParagraphView<'_>],
    old: &EntityLinking,
    new: &EntityLinking,
    new_of_old: &[Option<usize>],
    old_quotes: &[Quote],
) -> Result<Vec<usize>, &'static str> {
    if new_of_old.len() != old.entities.len() {
        return Err("entity map does not fit");
    }
    let mut reached: Vec<usize> = Vec::new();
    let mut reach = |position: usize| reached.push(position);
    let mut new_kept = vec![false; new.entities.len()];
    for (old_position, new_position) in new_of_old.iter().enumerate() {
        let Some(new_position) = *new_position else {
            let entity = &old.entities[old_position];
            for &index in &entity.statements {
                let quote = old_quotes.get(index).ok_or("statement without quote")?;
                for offset in [quote.span.start, quote.span.end.saturating_sub(1)] {
                    reach(paragraph_of(paragraphs, offset).ok_or("quote outside paragraphs")?);
                }
            }
            let person = entity.kind == EntityKind::Person;
            for mention in entity.mentions.iter().filter(|mention| mention.form != MentionForm::Pronoun) {
                mention_reach(paragraphs, mention.span, person, &mut reach)?;
            }
            continue;
        };
        *new_kept.get_mut(new_position).ok_or("entity map does not fit")? = true;
    }
    for (entity, _) in new.entities.iter().zip(&new_kept).filter(|(_, kept)| !**kept) {
        let person = entity.kind == EntityKind::Person;
        for mention in &entity.mentions {
            mention_reach(paragraphs, mention.span, person, &mut reach)?;
        }
    }
    reached.sort_unstable();
    reached.dedup();
    Ok(reached)
}

/// The position of the paragraph holding `offset`: the last starting at or
/// before it, when it ends after it.
fn paragraph_of(paragraphs: &[ParagraphView<'_>], offset: usize) -> Option<usize> {
    let position = paragraphs.partition_point(|view| view.offset() <= offset).checked_sub(1)?;
    (offset <= paragraphs[position].paragraph.span.end).then_some(position)
}

/// Adds to `reach` the paragraphs whose quotes may read a mention at
/// `span`: its own when a source or relay span there overlaps it, and, for
/// a person's mention, each of its paragraph and the [`PRONOUN_REACH`]
/// after it that holds a pronoun source.
fn mention_reach(
    paragraphs: &[ParagraphView<'_>],
    span: Span,
    person: bool,
    reach: &mut impl FnMut(usize),
) -> Result<(), &'static str> {
    let position = paragraph_of(paragraphs, span.start).ok_or("mention outside paragraphs")?;
    let view = &paragraphs[position];
    if span.end > view.paragraph.span.end {
        return Err("mention outside paragraphs");
    }
    let offset = view.offset();
    let quotes = &view.analysis.quotes;
    let overlaps = |relative: Span| relative.shifted(offset).overlaps(span);
    let source_overlaps = |source: &Option<SourcePhrase>| source.is_some_and(|source| overlaps(source.span));
    if quotes
        .statements
        .iter()
        .any(|statement| source_overlaps(&statement.source) || statement.via.iter().any(|via| overlaps(*via)))
        || quotes.dangling_cue.as_ref().is_some_and(|dangling| source_overlaps(&dangling.source))
        || source_overlaps(&quotes.credit_source)
    {
        reach(position);
    }
    if !person {
        return Ok(());
    }
    let last = (position + PRONOUN_REACH).min(paragraphs.len() - 1);
    for (later, view) in paragraphs.iter().enumerate().take(last + 1).skip(position) {
        if has_pronoun_source(&view.analysis.quotes) {
            reach(later);
        }
    }
    Ok(())
}

/// Whether a paragraph's quote facts hold a pronoun source: in a
/// statement, a dangling cue or a credit line.
fn has_pronoun_source(quotes: &super::ParagraphQuotes) -> bool {
    let pronoun = |source: &Option<SourcePhrase>| source.is_some_and(|source| source.pronoun.is_some());
    quotes.statements.iter().any(|statement| pronoun(&statement.source))
        || quotes.dangling_cue.as_ref().is_some_and(|dangling| pronoun(&dangling.source))
        || pronoun(&quotes.credit_source)
}

/// Whether quote linking reads nothing about a mention at `span`: no
/// source or relay span overlaps it, and, for a person's mention (`person`:
/// the entity is a person before the change or after it), no pronoun
/// source lies in its paragraph or the [`PRONOUN_REACH`] after it.
fn mention_unread(paragraphs: &[ParagraphView<'_>], span: Span, person: bool) -> bool {
    // The same test as a window's reach: unread when it reaches no paragraph.
    let mut reached = false;
    mention_reach(paragraphs, span, person, &mut |_| reached = true).is_ok() && !reached
}
