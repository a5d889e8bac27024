//! Quote linking again for a window of paragraphs around an edit, the rest
//! of its last output kept.
//!
//! After a keystroke that changed the edited paragraph's quote facts (and
//! left entity linking's output as it was), linking every quote of a long
//! draft again cost as much as the rest of the keystroke. But quote linking
//! ([`super::linking`]) reaches across paragraphs in few ways only: a
//! multi-paragraph quote (an open-ended direct quote goes on into the next
//! paragraph), a floating quote taking the speaker of a direct quote in the
//! paragraph before, a cue left dangling at a paragraph's end, a credit
//! line under a block quote, a "he"/"she" source looking back over its
//! paragraph and the two before it, and the genders pronouns give people
//! (a "she" resolved to Dana Holt makes her a "she" for every later
//! pronoun). So the draft is cut before the first and after the last
//! paragraph of a window holding the edit, at *clean cuts*: the paragraph
//! before the cut holds no direct quote and no dangling cue (so no
//! statement after the cut merges into, borrows from or takes a cue from
//! one before it, and no credit line after it serves one before it), and
//! the three paragraphs after the cut hold no pronoun source (so no pronoun
//! of a statement after the cut looks back past it). The cuts must be
//! clean in the old draft and in the new one (they differ only in the
//! edited paragraph).
//!
//! Between clean cuts, the statements of the window are linked as a run
//! over the whole draft links them, given the genders the pronouns before
//! the window gave (read from the old quotes before it: a quote with a
//! "he"/"she" source, not floating, with a speaker); the statements after
//! the window are linked as before when the pronouns of the window give
//! the same genders as before (old and new window alike read from their
//! quotes). The quotes before the window are the old ones, the window's the
//! new ones, those after it the old ones with their indices moved; each
//! speaker's statements and the pronoun mentions of the window are put in
//! place likewise. When a condition fails, the caller links every quote.

use crate::entities::EntityLinking;
use crate::model::{Mention, MentionForm, Quote, Span};
use crate::pipeline::ParagraphView;
use crate::tracked_text::TrackedText;

use super::ParagraphQuotes;
use super::linking::{AgencyAnswers, link_quotes};
use super::sources::Pronoun;

/// How many paragraphs a window may reach on either side of the edited
/// one before linking every quote is the cheaper way.
const WIDEST_REACH: usize = 24;

/// How many paragraphs after a cut must hold no pronoun source: a pronoun's
/// statement looks back over its own paragraph and the two before it, and
/// it may sit one paragraph before its source (a continuation's cue, a
/// credit line) or after it (a dangling cue).
const PRONOUN_FREE_AFTER_CUT: usize = 3;

/// The edited paragraph and its quote facts before the edit.
#[derive(Debug, Clone, Copy)]
pub struct EditedQuotes<'a> {
    pub position: usize,
    pub old: &'a ParagraphQuotes,
    /// The edited bytes, in the new text.
    pub bytes: Span,
    /// The paragraphs (first and last positions) the window must hold: the
    /// edited one, or after a change of entity linking's output, some of
    /// those whose quotes read a changed entity
    /// (`super::reach::linking_change_reach`; see [`windows_holding`]).
    pub held: (usize, usize),
}

/// How many windows a keystroke may link again before linking every quote
/// is the cheaper way.
const MOST_WINDOWS: usize = 8;

/// The windows holding the edited paragraph and each of the paragraphs
/// `reached` (ascending), in text order: each paragraph's own window, and
/// windows that overlap or touch merged into one holding what both held.
pub fn windows_holding<'a>(
    paragraphs: &[ParagraphView<'_>],
    edited: EditedQuotes<'a>,
    reached: &[usize],
) -> Result<Vec<EditedQuotes<'a>>, Refusal> {
    let mut held: Vec<usize> = reached.to_vec();
    let place = held.partition_point(|&position| position < edited.position);
    if held.get(place) != Some(&edited.position) {
        held.insert(place, edited.position);
    }
    // Each window as (what it holds, its first and last paragraphs).
    let mut windows: Vec<((usize, usize), (usize, usize))> = Vec::new();
    for position in held {
        let mut holds = (position, position);
        loop {
            let bounds = window_bounds(paragraphs, EditedQuotes { held: holds, ..edited })?;
            match windows.last() {
                Some(&(last_holds, last_bounds)) if last_bounds.1 + 1 >= bounds.0 => {
                    windows.pop();
                    holds = (last_holds.0.min(holds.0), last_holds.1.max(holds.1));
                }
                _ => {
                    windows.push((holds, bounds));
                    break;
                }
            }
        }
        if windows.len() > MOST_WINDOWS {
            return Err(("too many quote windows", false));
        }
    }
    Ok(windows.into_iter().map(|(held, _)| EditedQuotes { held, ..edited }).collect())
}

/// Why the window could not be used (the caller links every quote), and
/// whether `linking` was changed on the way.
pub type Refusal = (&'static str, bool);

/// The window linked again.
#[derive(Debug, Clone)]
pub struct Window {
    /// Its first and last paragraphs (positions).
    pub first: usize,
    pub last: usize,
    /// Whether its quotes came out as before.
    pub same: bool,
    /// Whether quote linking's additions to the linking (each speaker's
    /// statements, the pronoun mentions) came out as before: as many
    /// quotes, each with the same speaker, source words and floating flag
    /// (a pronoun mention is a speaker's pronoun source words, made by a
    /// quote not floating). Typing inside a quote changes its text, not who
    /// said it: the rules that read the linking need not run again.
    pub additions_same: bool,
    /// The entities (positions) whose pronoun mentions in the window came
    /// out other than before, each with the spans of its old ones there:
    /// the only change quote linking by a window makes to an entity besides
    /// its statements, which the rules that run per entity read.
    pub pronouns_changed: Vec<(usize, Vec<Span>)>,
}

/// The first and last paragraphs of the window holding `edited.held`,
/// between clean cuts.
pub fn window_bounds(paragraphs: &[ParagraphView<'_>], edited: EditedQuotes<'_>) -> Result<(usize, usize), Refusal> {
    let facts = |position: usize| -> [&ParagraphQuotes; 2] {
        let new = &paragraphs[position].analysis.quotes;
        if position == edited.position { [new, edited.old] } else { [new, new] }
    };
    // A cut before paragraph `cut`: clean when the paragraph before it has
    // no direct statement and no dangling cue, and the ones after it no
    // pronoun source, in old and new facts.
    // (Nothing lies before the first paragraph: a cut there is clean.)
    let clean_cut = |cut: usize| {
        let Some(before) = cut.checked_sub(1) else { return true };
        let before_clean = facts(before)
            .iter()
            .all(|quotes| quotes.dangling_cue.is_none() && !quotes.statements.iter().any(|statement| statement.direct));
        let last = (cut + PRONOUN_FREE_AFTER_CUT).min(paragraphs.len());
        before_clean && (cut..last).all(|position| facts(position).iter().all(|quotes| !has_pronoun_source(quotes)))
    };
    let (held_first, held_last) = edited.held;
    if held_last < held_first || held_last - held_first > 2 * WIDEST_REACH || held_last >= paragraphs.len() {
        return Err(("quote window too wide", false));
    }
    let mut first = held_first;
    while !clean_cut(first) {
        if held_first - first >= WIDEST_REACH {
            return Err(("quote window too wide", false));
        }
        first -= 1;
    }
    let mut last = held_last;
    while last + 1 < paragraphs.len() && !clean_cut(last + 1) {
        if last - held_last >= WIDEST_REACH {
            return Err(("quote window too wide", false));
        }
        last += 1;
    }
    Ok((first, last))
}

/// Links again the quotes of a window around the edited paragraph.
/// `linking` is the previous output's linking moved into the new text
/// (entity linking's output with quote linking's additions) and `quotes`
/// its quotes moved (texts taken again where they meet the edit); on
/// success both are the output of quote linking on the new draft (what the
/// window's linking read is in `text`'s record). On failure after
/// `linking` was changed, it still holds entity linking's output under
/// quote linking's additions (pronoun mentions and statements only), which
/// `carry_over::strip_quote_linking` removes.
pub fn relink_window(
    text: &TrackedText<'_>,
    paragraphs: &[ParagraphView<'_>],
    edited: EditedQuotes<'_>,
    linking: &mut EntityLinking,
    quotes: &mut Vec<Quote>,
    agency: &mut AgencyAnswers,
) -> Result<Window, Refusal> {
    let (first, last) = window_bounds(paragraphs, edited)?;
    let (window, genders_changed) =
        relink_paragraphs(text, paragraphs, (first, last), edited, linking, quotes, agency)?;
    if !genders_changed || last + 1 == paragraphs.len() {
        return Ok(window);
    }
    // The window's pronouns gave other genders than before, which the
    // quotes after it may read: they are linked again too, from the clean
    // cut after the window to the draft's end, where no quote is left to
    // read a gender. (Refused before: quote linking then ran over the whole
    // draft, for a name typed near a "he" or "she" quote.)
    let (rest, _) =
        relink_paragraphs(text, paragraphs, (last + 1, paragraphs.len() - 1), edited, linking, quotes, agency)
            .map_err(|(reason, _)| (reason, true))?;
    let mut pronouns_changed = window.pronouns_changed;
    for (entity, removed) in rest.pronouns_changed {
        match pronouns_changed.iter_mut().find(|(changed, _)| *changed == entity) {
            Some((_, spans)) => spans.extend(removed),
            None => pronouns_changed.push((entity, removed)),
        }
    }
    Ok(Window {
        first: window.first,
        last: rest.last,
        same: window.same && rest.same,
        additions_same: window.additions_same && rest.additions_same,
        pronouns_changed,
    })
}

/// [`relink_window`] over paragraphs `first..=last`, cut cleanly on both
/// sides; also gives whether the window's "he"/"she" sources gave its
/// speakers other genders than before.
fn relink_paragraphs(
    text: &TrackedText<'_>,
    paragraphs: &[ParagraphView<'_>],
    (first, last): (usize, usize),
    edited: EditedQuotes<'_>,
    linking: &mut EntityLinking,
    quotes: &mut Vec<Quote>,
    agency: &mut AgencyAnswers,
) -> Result<(Window, bool), Refusal> {
    // A window holding the first or the last paragraph reaches the draft's
    // start or end: a paragraph removed there (the last line deleted, with
    // only its line break left before it) leaves its old quotes placed at
    // the edit, outside every paragraph, and they must fall in the window.
    let window_start = if first == 0 { 0 } else { paragraphs[first].offset() };
    let window_end = if last + 1 == paragraphs.len() { text.len() } else { paragraphs[last].paragraph.span.end };
    let window = Span::new(window_start, window_end);
    // The old quotes before, in and after the window: quote spans (and
    // contents) lie within the paragraphs of their statements, which the
    // clean cuts keep on one side.
    // (A quote starting at the window's end is one the edit met, placed at
    // the edit's start: the next paragraph starts after a line break.)
    let start = quotes.partition_point(|quote| quote.span.start < window.start);
    let end = quotes.partition_point(|quote| quote.span.start <= window.end);
    // A quote's source words may lie in another paragraph than its marks
    // (an open quote running on, its cue paragraphs later): they count as
    // the quote's, which must be wholly on one side of the window.
    let source_span = |quote: &Quote| quote.source_mention.as_ref().map(|source| source.span);
    let outside = |quote: &Quote| {
        quote.span.end.max(quote.content.end).max(source_span(quote).map_or(0, |source| source.end)) <= window.start
    };
    let inside = |quote: &Quote| {
        window.start <= quote.content.start.min(quote.span.start) && quote.span.end.max(quote.content.end) <= window.end
    };
    if !quotes[..start].iter().all(outside) || !quotes[start..end].iter().all(inside) {
        return Err(("quote outside its paragraph", false));
    }
    if quotes[end..].iter().any(|quote| {
        quote.content.start.min(quote.span.start).min(source_span(quote).map_or(usize::MAX, |source| source.start))
            <= window.end
    }) {
        return Err(("quote outside its paragraph", false));
    }
    // A floating quote after the window joins a quote after it.
    if quotes[end..].iter().any(|quote| quote.earlier_quote.is_some_and(|earlier| earlier < end)) {
        return Err(("earlier quote before the window", false));
    }
    let genders_before = pronoun_genders(&quotes[..start], linking).ok_or(("genders mixed", false))?;
    // The old quotes' texts were taken again from the new text where they
    // meet the edit: a source there may have been a pronoun before it.
    let edited_source = |quote: &Quote| {
        quote
            .source_mention
            .as_ref()
            .is_some_and(|source| source.span.start <= edited.bytes.end && edited.bytes.start <= source.span.end)
    };
    if quotes[start..end].iter().any(|quote| !quote.floating && quote.speaker.is_some() && edited_source(quote)) {
        return Err(("speaker's source edited", false));
    }
    let old_window_genders = pronoun_genders(&quotes[start..end], linking).ok_or(("genders mixed", false))?;
    if quotes[start..end]
        .iter()
        .any(|quote| quote.speaker.as_deref().is_some_and(|id| position_of(linking, id).is_none()))
    {
        return Err(("speaker not found", false));
    }

    // Quote linking's additions of the old window out: its pronoun
    // mentions (made for speakers of its quotes) and its statements.
    let old_count = end - start;
    let in_window = |mention: &Mention| mention.form == MentionForm::Pronoun && window.contains(mention.span);
    // The old speakers' pronoun mentions in the window, to tell which
    // entities' mentions the window changed.
    let mut old_pronouns: Vec<(usize, Vec<Span>)> = Vec::new();
    for quote in &quotes[start..end] {
        let Some(entity) = quote.speaker.as_deref().and_then(|id| position_of(linking, id)) else { continue };
        if old_pronouns.iter().any(|(speaker, _)| *speaker == entity) {
            continue;
        }
        let entity_mentions = &mut linking.entities[entity];
        let removed: Vec<Span> =
            entity_mentions.mentions.iter().filter(|mention| in_window(mention)).map(|mention| mention.span).collect();
        entity_mentions.mentions.retain(|mention| !in_window(mention));
        entity_mentions.statements.retain(|index| !(start..end).contains(index));
        old_pronouns.push((entity, removed));
    }
    let (mut window_quotes, speakers) =
        link_quotes(text, &paragraphs[first..=last], linking, None, agency, (&genders_before, Some(window)));
    let new_window_genders = pronoun_genders(&window_quotes, linking).ok_or(("genders mixed", true))?;
    let genders_changed = new_window_genders != old_window_genders;
    // Indices into the whole list: the window's quotes start at `start`,
    // and the quotes after it move by the change in count.
    let new_count = window_quotes.len();
    for quote in &mut window_quotes {
        quote.earlier_quote = quote.earlier_quote.map(|earlier| earlier + start);
    }
    let moved = |index: usize| index + new_count - old_count;
    for quote in &mut quotes[end..] {
        quote.earlier_quote = quote.earlier_quote.map(moved);
    }
    for entity in &mut linking.entities {
        for index in &mut entity.statements {
            if *index >= end {
                *index = moved(*index);
            }
        }
    }
    for (offset, speaker) in speakers.iter().enumerate() {
        if let Some(entity) = *speaker {
            let statements = &mut linking.entities[entity].statements;
            let index = start + offset;
            let place = statements.partition_point(|other| *other < index);
            statements.insert(place, index);
        }
    }
    // The entities whose pronoun mentions in the window differ: among the
    // old speakers and the new ones.
    let mut pronouns_changed: Vec<(usize, Vec<Span>)> = Vec::new();
    let new_speakers = speakers.iter().flatten().map(|&entity| (entity, Vec::new()));
    for (entity, removed) in old_pronouns.into_iter().chain(new_speakers) {
        if pronouns_changed.iter().any(|(changed, _)| *changed == entity) {
            continue;
        }
        let now =
            linking.entities[entity].mentions.iter().filter(|mention| in_window(mention)).map(|mention| mention.span);
        if !now.eq(removed.iter().copied()) {
            pronouns_changed.push((entity, removed));
        }
    }
    let same = window_quotes.as_slice() == &quotes[start..end];
    let additions_same = new_count == old_count
        && window_quotes.iter().zip(&quotes[start..end]).all(|(new, old)| {
            new.speaker == old.speaker && new.source_mention == old.source_mention && new.floating == old.floating
        });
    quotes.splice(start..end, window_quotes);
    Ok((Window { first, last, same, additions_same, pronouns_changed }, genders_changed))
}

/// Whether a paragraph's quote facts hold a "he"/"she" (or any pronoun)
/// source: in a statement, a dangling cue or a credit line.
fn has_pronoun_source(quotes: &ParagraphQuotes) -> bool {
    let pronoun = |source: &Option<super::SourcePhrase>| source.is_some_and(|source| source.pronoun.is_some());
    quotes.statements.iter().any(|statement| pronoun(&statement.source))
        || quotes.dangling_cue.as_ref().is_some_and(|dangling| pronoun(&dangling.source))
        || pronoun(&quotes.credit_source)
}

/// The position of the entity with id `id`: entity linking numbers the
/// entities in order (`model::entity_id`), checked here.
fn position_of(linking: &EntityLinking, id: &str) -> Option<usize> {
    let position: usize = id.strip_prefix('e')?.parse().ok()?;
    linking.entities.get(position).is_some_and(|entity| entity.id == id).then_some(position)
}

/// The gender each entity was last given by a resolved "he"/"she" source
/// among `quotes` (one not floating, whose source words are the pronoun,
/// with a speaker: quote linking sets the speaker's gender for each), by
/// entity position, in entity order; `None` when an entity was given both
/// (which one came last would depend on the order of the statements, not
/// read here).
fn pronoun_genders(quotes: &[Quote], linking: &EntityLinking) -> Option<Vec<(usize, Pronoun)>> {
    let mut genders: Vec<(usize, Pronoun)> = Vec::new();
    for quote in quotes {
        if quote.floating {
            continue;
        }
        let Some(pronoun) = quote.source_mention.as_ref().and_then(|source| Pronoun::from_word(&source.text)) else {
            continue;
        };
        if !matches!(pronoun, Pronoun::He | Pronoun::She) {
            continue;
        }
        let Some(entity) = quote.speaker.as_deref().and_then(|id| position_of(linking, id)) else { continue };
        match genders.iter().find(|(given, _)| *given == entity) {
            Some((_, given)) if *given != pronoun => return None,
            Some(_) => {}
            None => genders.push((entity, pronoun)),
        }
    }
    genders.sort_by_key(|(entity, _)| *entity);
    Some(genders)
}
