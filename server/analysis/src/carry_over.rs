//! Moving analysis results across an edit: the offsets after the edited
//! bytes move by the edit's change in length, the ones before stay.
//!
//! The pipeline uses this twice when it carries a part of the document
//! stage (entity linking, quote linking, the rules' document parts) over to
//! a new version of the draft. First to check that the facts of the edited
//! paragraph that part reads are the old ones moved (if they are, the part
//! sees the same facts at the moved places). Then to move the part's old
//! output into place. Every function here destructures its struct completely, so a
//! field added later does not compile until someone decides how it moves: a
//! forgotten offset field would otherwise be carried over unmoved.

use crate::entities::{EntityLinking, MentionCandidate, ParagraphEntities, TitleCandidate, Token};
use crate::model::{
    AmbiguousMention, Diagnostic, Entity, Fix, Mention, MentionForm, Quote, RelatedSpan, Span, TextEdit, TextSpan,
    Title,
};
use crate::pipeline::ParagraphAnalysis;
use crate::quotes::{DanglingCue, ParagraphQuotes, QuoteMark, QuotePair, SourcePhrase, Statement};
use crate::rules::given_name_as_surname::CapitalizedStart;
use crate::rules::unexpanded_acronym::{AcronymFacts, AcronymUse, Initials};
use crate::rules::{Fact, ParagraphFacts};
use crate::tracked_text::ReadRecord;

/// One edit: the old bytes `start..old_end` were replaced by `new_length`
/// bytes. An offset before the edit stays; one at or after `old_end` moves
/// by the change in length; one strictly inside the replaced bytes has no
/// place in the new text. When bytes were replaced (not only inserted), an
/// offset at `start` stays where it is; when bytes were only deleted, an
/// offset at `start` has no place either (it would meet the offsets at
/// `old_end`, and offsets that were in order must stay in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetMap {
    pub start: usize,
    pub old_end: usize,
    pub new_length: usize,
}

impl OffsetMap {
    /// The new end of the edited bytes.
    pub fn new_end(self) -> usize {
        self.start + self.new_length
    }

    /// The same edit seen from a paragraph starting at `paragraph_start`
    /// (which must not lie after the edit's start).
    pub fn relative_to(self, paragraph_start: usize) -> OffsetMap {
        OffsetMap {
            start: self.start - paragraph_start,
            old_end: self.old_end - paragraph_start,
            new_length: self.new_length,
        }
    }

    /// Where an old offset is in the new text.
    pub fn offset(self, old: usize) -> Option<usize> {
        if old >= self.old_end {
            Some(old - self.old_end + self.new_end())
        } else if old < self.start || (old == self.start && self.new_length > 0) {
            Some(old)
        } else {
            None
        }
    }

    pub fn span(self, old: Span) -> Option<Span> {
        Some(Span::new(self.offset(old.start)?, self.offset(old.end)?))
    }

    fn spans(self, old: &mut [Span]) -> Option<()> {
        for span in old {
            *span = self.span(*span)?;
        }
        Some(())
    }

    fn optional_span(self, old: &mut Option<Span>) -> Option<()> {
        if let Some(span) = old {
            *span = self.span(*span)?;
        }
        Some(())
    }

    /// Whether a read of the old bytes `read` reads the same bytes at its
    /// moved place in the new text: it must lie wholly before the edit (and
    /// its end must not move) or wholly after it.
    pub fn read_unchanged(self, read: Span) -> bool {
        (read.end <= self.start && self.offset(read.end) == Some(read.end)) || read.start >= self.old_end
    }
}

/// The read record of the old text, moved into the new one; `None` when a
/// read does not read the same bytes in the new text ([`OffsetMap::read_unchanged`]).
pub fn shift_record(map: OffsetMap, record: &mut ReadRecord) -> Option<()> {
    let ReadRecord { ranges, close_distances, furthest_line_number_read } = record;
    // The line numbers of offsets moved with the edit are the same (the
    // caller makes sure of it: an edit that adds or removes a line break
    // before the furthest offset makes the part run).
    if let Some(offset) = furthest_line_number_read {
        *offset = map.offset(*offset)?;
    }
    for read in ranges.iter_mut() {
        // The two common cases first, without the general offset logic: a
        // record holds thousands of reads, all but a few wholly before the
        // edit (where nothing moves) or wholly after it. A read ending
        // before the edit's start reads the same bytes at the same place;
        // one starting at or after its old end, the same bytes moved.
        if read.end < map.start {
            continue;
        }
        if read.start >= map.old_end {
            *read = Span::new(read.start - map.old_end + map.new_end(), read.end - map.old_end + map.new_end());
            continue;
        }
        if !map.read_unchanged(*read) {
            return None;
        }
        *read = map.span(*read)?;
    }
    map.spans(close_distances)
}

/// How the linking's entities changed across an edit, for the rules whose
/// document parts run per entity (`rules::DocumentPart::PerEntity`), which
/// read neither an entity's id nor its statements: those change for
/// entities the edit did not touch when an entity is added before them or a
/// quote before theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityChange {
    /// Whether every entity is the old one moved, id and statements too
    /// (the linking may still differ in its ambiguous mentions).
    pub entities_same: bool,
    /// The old positions whose entities are gone or changed, ascending.
    pub old_replaced: Vec<usize>,
    /// The new positions whose entities are new or changed, ascending.
    pub new_changed: Vec<usize>,
    /// Old positions from this one on, not replaced, moved by `shift`
    /// (an entity added or removed before them); those before it stay.
    pub shift_from_old: usize,
    pub shift: isize,
    /// The spans of every mention of the replaced entities (old, moved)
    /// and of the changed ones (new), and of the ambiguous mentions that
    /// are not in both linkings: where the answer to "is a person named
    /// here?" may have changed.
    pub changed_spans: Vec<Span>,
}

impl EntityChange {
    /// The new position of the old entity at `old_position`, `None` when it was replaced.
    pub fn new_position(&self, old_position: usize) -> Option<usize> {
        if self.old_replaced.binary_search(&old_position).is_ok() {
            return None;
        }
        if old_position < self.shift_from_old {
            return Some(old_position);
        }
        old_position.checked_add_signed(self.shift)
    }
}

/// Whether two entities are the same to the rules that run per entity:
/// equal but for their ids and statements. Every field is named, so that a
/// field added to `Entity` must be placed on one side or the other here.
fn same_for_rules_per_entity(old: &Entity, new: &Entity) -> bool {
    let Entity { id: _, kind, name, family_name, family_name_first, titles, mentions, expansion, statements: _ } = old;
    *kind == new.kind
        && *name == new.name
        && *family_name == new.family_name
        && *family_name_first == new.family_name_first
        && *titles == new.titles
        && *mentions == new.mentions
        && *expansion == new.expansion
}

/// The spans of `EntityChange::changed_spans`: the mentions of `old_replaced`
/// (entities of the old linking, moved) and of `new_changed` (of the new),
/// and the ambiguous mentions of either linking not in the other (outside
/// their common first and last ones).
pub fn changed_spans<'a>(
    old_replaced: impl Iterator<Item = &'a Entity>,
    new_changed: impl Iterator<Item = &'a Entity>,
    old_ambiguous: &[AmbiguousMention],
    new_ambiguous: &[AmbiguousMention],
) -> Vec<Span> {
    let mut spans: Vec<Span> =
        old_replaced.chain(new_changed).flat_map(|entity| entity.mentions.iter().map(|mention| mention.span)).collect();
    let (prefix, suffix) = common_ends(old_ambiguous, new_ambiguous, AmbiguousMention::eq, AmbiguousMention::eq);
    let differing_old = &old_ambiguous[prefix..old_ambiguous.len() - suffix];
    let differing_new = &new_ambiguous[prefix..new_ambiguous.len() - suffix];
    spans.extend(differing_old.iter().chain(differing_new).map(|ambiguous| ambiguous.span));
    spans
}

/// How `new`'s entities differ from `old`'s (moved to the new text); `None`
/// when that is not narrowed down. With as many entities on both sides,
/// position by position; otherwise the entities before the first change
/// must be equal, and those after the last the same to the rules but for
/// the move in position. Compares every entity, as comparing the two
/// linkings whole would when they are equal.
pub fn entity_change(old_linking: &EntityLinking, new_linking: &EntityLinking) -> Option<EntityChange> {
    let (old, new) = (&old_linking.entities, &new_linking.entities);
    if old.len() == new.len() {
        let mut entities_same = true;
        let mut changed = Vec::new();
        for (position, (old_entity, new_entity)) in old.iter().zip(new).enumerate() {
            if old_entity != new_entity {
                entities_same = false;
                if !same_for_rules_per_entity(old_entity, new_entity) {
                    changed.push(position);
                }
            }
        }
        let changed_spans = changed_spans(
            changed.iter().map(|&position| &old[position]),
            changed.iter().map(|&position| &new[position]),
            &old_linking.ambiguous_mentions,
            &new_linking.ambiguous_mentions,
        );
        return Some(EntityChange {
            entities_same,
            old_replaced: changed.clone(),
            new_changed: changed,
            shift_from_old: old.len(),
            shift: 0,
            changed_spans,
        });
    }
    let (prefix, suffix) =
        common_ends(old, new, |old_entity, new_entity| old_entity == new_entity, same_for_rules_per_entity);
    let shift = isize::try_from(new.len()).ok()? - isize::try_from(old.len()).ok()?;
    let (old_replaced, new_changed) = (prefix..old.len() - suffix, prefix..new.len() - suffix);
    Some(EntityChange {
        entities_same: false,
        changed_spans: changed_spans(
            old[old_replaced.clone()].iter(),
            new[new_changed.clone()].iter(),
            &old_linking.ambiguous_mentions,
            &new_linking.ambiguous_mentions,
        ),
        old_replaced: old_replaced.collect(),
        new_changed: new_changed.collect(),
        shift_from_old: old.len() - suffix,
        shift,
    })
}

/// Where each entity of `old` (the previous keystroke's final linking,
/// moved) went in `new` (entity linking's new output, before quote
/// linking): its position there when it is there unchanged but for its id
/// and quote linking's additions, `None` when it was replaced. Used when a
/// full entity linking ran (a re-linking knows it already): the entities
/// alike at both ends are kept, and between them, each old entity kept
/// when a new one starts where it starts and equals it (both lists are in
/// text order by their first mention).
pub fn entity_map(old: &EntityLinking, new: &EntityLinking) -> Vec<Option<usize>> {
    let (old, new) = (&old.entities, &new.entities);
    let alike = |old_entity: &Entity, new_entity: &Entity| {
        crate::entities::linking::same_entity_before_quote_linking(new_entity, &old_entity.id, old_entity)
    };
    let (prefix, suffix) = common_ends(old, new, alike, alike);
    let mut new_of_old: Vec<Option<usize>> = vec![None; old.len()];
    for (position, slot) in new_of_old.iter_mut().enumerate().take(prefix) {
        *slot = Some(position);
    }
    for offset in 1..=suffix {
        new_of_old[old.len() - offset] = Some(new.len() - offset);
    }
    let starts = |entity: &Entity| {
        entity.mentions.iter().find(|mention| mention.form != MentionForm::Pronoun).map(|mention| mention.span.start)
    };
    let mut new_middle = (prefix..new.len() - suffix).peekable();
    for old_position in prefix..old.len() - suffix {
        let Some(old_start) = starts(&old[old_position]) else { continue };
        while new_middle.next_if(|&position| starts(&new[position]).is_some_and(|start| start < old_start)).is_some() {}
        if let Some(&position) = new_middle.peek()
            && starts(&new[position]) == Some(old_start)
            && alike(&old[old_position], &new[position])
        {
            new_of_old[old_position] = Some(position);
        }
    }
    new_of_old
}

/// Why a part's read record cannot be moved across the edit: `Some("distance")`
/// when a distance it compared close to its limit meets the edit,
/// `Some("read")` when a read does; `None` when [`shift_record`] would
/// move it. Looks without moving, so that the record stays whole for
/// [`shift_record_replacing`] when it refuses.
pub fn record_meets_edit(map: OffsetMap, record: &ReadRecord) -> Option<&'static str> {
    if record.close_distances.iter().any(|pair| pair.start <= map.old_end && map.start <= pair.end) {
        return Some("distance");
    }
    let unchanged = |read: &Span| read.end < map.start || read.start >= map.old_end || map.read_unchanged(*read);
    (!record.ranges.iter().all(unchanged)).then_some("read")
}

/// The read record of entity linking moved across an edit within one
/// paragraph (`old_paragraph`, its old span) that entity linking follows by
/// linking some items again (`entities::linking::relink`): the reads within
/// the paragraph are dropped (the re-linking reads all of the paragraph's
/// items again and adds those reads), the others moved. Entity linking
/// reads the text of each mention candidate, its spelled-out acronym and
/// each other capitalised word, whatever it decides, so the reads outside
/// the paragraph are the same after the edit. `None` when a read outside
/// the paragraph or a compared distance meets the edit; the record is then
/// left part moved and must not be used.
pub fn shift_record_replacing(map: OffsetMap, record: &mut ReadRecord, old_paragraph: Span) -> Option<()> {
    if record.close_distances.iter().any(|pair| pair.start <= map.old_end && map.start <= pair.end) {
        return None;
    }
    record.ranges.retain(|read| !(old_paragraph.start <= read.start && read.end <= old_paragraph.end));
    shift_record(map, record)
}

/// The parts of a paragraph's analysis entity linking (`entities::link`)
/// reads: the mention candidates and the other capitalised words; not the
/// tokens or sentences, which only the per-paragraph stage uses, nor a
/// candidate's sentence index, which nothing after the per-paragraph stage
/// reads (it is zero here). A keystroke that adds a word changes those, and
/// nothing entity linking sees need change with them; a full stop typed
/// mid-paragraph, or Enter inside a sentence, renumbers the sentences after
/// it and nothing else.
///
/// Keep this in step with `entities::link`: a field it starts to read must
/// be kept here.
pub fn entity_facts(analysis: &ParagraphAnalysis) -> ParagraphEntities {
    entity_facts_for_linking(&analysis.entities)
}

/// The entity facts ([`entity_facts`]) of several consecutive paragraphs
/// read as one, relative to `base`: each piece is a paragraph's analysis
/// with the offset its paragraph starts at, in one text's offsets (the old
/// text's or the new one's); its items are moved there. A paragraph split in two
/// or two joined into one keeps entity linking's items exactly when the one
/// paragraph's facts equal the two's read this way (entity linking reads a
/// paragraph's position only to file its items' dependencies). `None` when
/// a piece starts before `base`.
pub fn concatenated_entity_facts(pieces: &[(&ParagraphAnalysis, usize)], base: usize) -> Option<ParagraphEntities> {
    let mut joined = ParagraphEntities::default();
    for &(analysis, start) in pieces {
        let moved = OffsetMap { start: 0, old_end: 0, new_length: start.checked_sub(base)? };
        let mut facts = shift_entity_facts(moved, entity_facts(analysis))?;
        joined.mentions.append(&mut facts.mentions);
        joined.other_capitalized.append(&mut facts.other_capitalized);
    }
    Some(joined)
}

/// [`entity_facts`] of a paragraph's entity analysis.
pub fn entity_facts_for_linking(entities: &ParagraphEntities) -> ParagraphEntities {
    let ParagraphEntities { tokens: _, sentences: _, sentence_tokens: _, mentions, other_capitalized } = entities;
    ParagraphEntities {
        tokens: Vec::new(),
        sentences: Vec::new(),
        sentence_tokens: Vec::new(),
        mentions: mentions.iter().map(|mention| MentionCandidate { sentence: 0, ..mention.clone() }).collect(),
        other_capitalized: other_capitalized.clone(),
    }
}

/// The parts of a paragraph's analysis the rules' document parts read: the
/// rule facts but the word spans, which only the paragraph parts use (their
/// findings are compared on their own).
///
/// Keep this in step with the rules' `check` functions: a field they start
/// to read must be kept here.
pub fn rule_facts(analysis: &ParagraphAnalysis) -> ParagraphFacts {
    let ParagraphFacts { words: _, acronyms, duplicate_key, boilerplate, quote_marks, capitalized_starts } =
        &analysis.rule_facts;
    ParagraphFacts {
        words: Vec::new(),
        acronyms: acronyms.clone(),
        duplicate_key: *duplicate_key,
        boilerplate: *boilerplate,
        quote_marks: quote_marks.clone(),
        capitalized_starts: capitalized_starts.clone(),
    }
}

/// The items of `new` and `old` outside their common first and last
/// items: those an edit added, removed or changed, old ones first.
pub fn changed_items<T: PartialEq + Copy>(old: &[T], new: &[T]) -> Vec<T> {
    let (prefix, suffix) = common_ends(old, new, T::eq, T::eq);
    old[prefix..old.len() - suffix].iter().chain(&new[prefix..new.len() - suffix]).copied().collect()
}

/// How many first items of `old` and `new` are alike (`same_first`), and
/// how many last items of what is left (`same_last`): the two lists differ
/// only between those ends.
fn common_ends<T>(
    old: &[T],
    new: &[T],
    same_first: impl Fn(&T, &T) -> bool,
    same_last: impl Fn(&T, &T) -> bool,
) -> (usize, usize) {
    let prefix = old.iter().zip(new).take_while(|(old_item, new_item)| same_first(old_item, new_item)).count();
    let shortest = old.len().min(new.len());
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(shortest - prefix)
        .take_while(|(old_item, new_item)| same_last(old_item, new_item))
        .count();
    (prefix, suffix)
}

/// The fields in which two paragraphs' rule facts differ (the word spans
/// are not compared: [`rule_facts`]). Each is read by the rules that list it
/// in their [`crate::rules::Reads`].
pub fn differing_facts(old: &ParagraphFacts, new: &ParagraphFacts) -> Vec<Fact> {
    let ParagraphFacts { words: _, acronyms, duplicate_key, boilerplate, quote_marks, capitalized_starts } = old;
    let mut differing = Vec::new();
    if *acronyms != new.acronyms {
        differing.push(Fact::Acronyms);
    }
    if *duplicate_key != new.duplicate_key {
        differing.push(Fact::DuplicateKey);
    }
    if *boilerplate != new.boilerplate {
        differing.push(Fact::Boilerplate);
    }
    if *quote_marks != new.quote_marks {
        differing.push(Fact::QuoteMarks);
    }
    if *capitalized_starts != new.capitalized_starts {
        differing.push(Fact::CapitalizedStarts);
    }
    differing
}

/// A paragraph's entity facts ([`entity_facts`]), moved by `map` (relative
/// to the paragraph).
pub fn shift_entity_facts(map: OffsetMap, mut moved: ParagraphEntities) -> Option<ParagraphEntities> {
    shift_entities(map, &mut moved)?;
    Some(moved)
}

/// A paragraph's quote facts (all of `ParagraphQuotes`, which quote linking
/// reads whole), moved by `map` (relative to the paragraph).
pub fn shift_quote_facts(map: OffsetMap, mut moved: ParagraphQuotes) -> Option<ParagraphQuotes> {
    shift_quotes(map, &mut moved)?;
    Some(moved)
}

/// A paragraph's rule facts ([`rule_facts`]), moved by `map` (relative to
/// the paragraph).
pub fn shift_rule_facts(map: OffsetMap, mut moved: ParagraphFacts) -> Option<ParagraphFacts> {
    shift_facts(map, &mut moved)?;
    Some(moved)
}

fn shift_entities(map: OffsetMap, entities: &mut ParagraphEntities) -> Option<()> {
    // `sentence_tokens` are token indices, not offsets.
    let ParagraphEntities { tokens, sentences, sentence_tokens: _, mentions, other_capitalized } = entities;
    for token in tokens {
        let Token { span, kind: _, caps: _ } = token;
        *span = map.span(*span)?;
    }
    map.spans(sentences)?;
    for mention in mentions {
        // `sentence` is a sentence index.
        let MentionCandidate {
            span,
            kind: _,
            form: _,
            name_parts,
            honorific,
            title,
            relative_to,
            possessive: _,
            acronym,
            family_name_first: _,
            sentence: _,
        } = mention;
        *span = map.span(*span)?;
        map.spans(name_parts)?;
        map.optional_span(honorific)?;
        if let Some(TitleCandidate { span, text: _, normalized: _, placement: _ }) = title {
            *span = map.span(*span)?;
        }
        map.optional_span(relative_to)?;
        map.optional_span(acronym)?;
    }
    map.spans(other_capitalized)
}

fn shift_source(map: OffsetMap, source: &mut SourcePhrase) -> Option<()> {
    // `first` and `last` are token indices.
    let SourcePhrase { span, first: _, last: _, kind: _, pronoun: _ } = source;
    *span = map.span(*span)?;
    Some(())
}

fn shift_quotes(map: OffsetMap, quotes: &mut ParagraphQuotes) -> Option<()> {
    let ParagraphQuotes { marks, pairs, statements, dangling_cue, credit_source } = quotes;
    for mark in marks {
        // `pair` is an index into the pairs.
        let QuoteMark { span, level: _, style: _, role: _, pair: _ } = mark;
        *span = map.span(*span)?;
    }
    for pair in pairs {
        // `open` and `close` are indices into the marks.
        let QuotePair { open: _, close: _, span } = pair;
        *span = map.span(*span)?;
    }
    for statement in statements {
        let Statement {
            span,
            content,
            direct: _,
            pair: _,
            cue,
            cue_kind: _,
            source,
            via,
            sentence,
            quote_like: _,
            open_ended: _,
            starts_paragraph: _,
        } = statement;
        *span = map.span(*span)?;
        *content = map.span(*content)?;
        map.optional_span(cue)?;
        if let Some(source) = source {
            shift_source(map, source)?;
        }
        map.spans(via)?;
        *sentence = map.span(*sentence)?;
    }
    if let Some(DanglingCue { cue, kind: _, source }) = dangling_cue {
        *cue = map.span(*cue)?;
        if let Some(source) = source {
            shift_source(map, source)?;
        }
    }
    if let Some(source) = credit_source {
        shift_source(map, source)?;
    }
    Some(())
}

fn shift_facts(map: OffsetMap, facts: &mut ParagraphFacts) -> Option<()> {
    let ParagraphFacts { words, acronyms, duplicate_key: _, boilerplate: _, quote_marks, capitalized_starts } = facts;
    map.spans(words)?;
    let AcronymFacts { uses, initials } = acronyms;
    for AcronymUse { key: _, span, parenthesised: _ } in uses {
        *span = map.span(*span)?;
    }
    for Initials { letters: _, start, single_word: _ } in initials {
        *start = map.offset(*start)?;
    }
    quote_marks.shift(|offset| map.offset(offset))?;
    for CapitalizedStart { offset, segment_hash: _, reaches_end: _ } in capitalized_starts {
        *offset = u32::try_from(map.offset(*offset as usize)?).ok()?;
    }
    Some(())
}

/// Diagnostics moved by `map`.
pub fn shift_diagnostics(map: OffsetMap, diagnostics: &mut [Diagnostic]) -> Option<()> {
    for diagnostic in diagnostics {
        let Diagnostic { code: _, severity: _, span, message: _, related, fixes } = diagnostic;
        *span = map.span(*span)?;
        for RelatedSpan { span, message: _ } in related {
            *span = map.span(*span)?;
        }
        for Fix { title: _, edits, preferred: _ } in fixes {
            for TextEdit { span, new_text: _ } in edits {
                *span = map.span(*span)?;
            }
        }
    }
    Some(())
}

/// Whether any span of `diagnostics` (their own, their related places',
/// their fixes' edits) starts or ends at `offset`.
pub fn diagnostics_touch_offset(diagnostics: &[Diagnostic], offset: usize) -> bool {
    let at = |span: &Span| span.start == offset || span.end == offset;
    diagnostics.iter().any(|diagnostic| {
        at(&diagnostic.span)
            || diagnostic.related.iter().any(|related| at(&related.span))
            || diagnostic.fixes.iter().flat_map(|fix| &fix.edits).any(|edit| at(&edit.span))
    })
}

/// A rule's findings moved by `map`: their diagnostics, the offsets at
/// which they asked whether a person is named, and the entities' reads.
/// A read that does not read the same bytes in the new text is left out:
/// the caller runs the rule again on its entity (`entity_reads_meeting`).
pub fn shift_findings(map: OffsetMap, findings: &mut crate::rules::OwnedFindings) -> Option<()> {
    shift_diagnostics(map, &mut findings.diagnostics)?;
    for (_, offset) in &mut findings.person_lookups {
        *offset = map.offset(*offset)?;
    }
    findings.entity_reads.retain_mut(|(_, read)| match map.read_unchanged(*read).then(|| map.span(*read)).flatten() {
        Some(moved) => {
            *read = moved;
            true
        }
        None => false,
    });
    Some(())
}

/// Entity linking's output moved by `map`.
pub fn shift_linking(map: OffsetMap, linking: &mut EntityLinking) -> Option<()> {
    let EntityLinking { entities, ambiguous_mentions } = linking;
    shift_linked_entities(map, entities, ambiguous_mentions)
}

fn shift_linked_entities(
    map: OffsetMap,
    entities: &mut [Entity],
    ambiguous_mentions: &mut [AmbiguousMention],
) -> Option<()> {
    for entity in entities {
        let Entity {
            id: _,
            kind: _,
            name: _,
            family_name: _,
            family_name_first: _,
            titles,
            mentions,
            expansion: _,
            statements: _,
        } = entity;
        for Title { text: _, normalized: _, span } in titles {
            *span = map.span(*span)?;
        }
        for Mention { span, text: _, form: _ } in mentions {
            *span = map.span(*span)?;
        }
    }
    for AmbiguousMention { span, text: _, candidates: _ } in ambiguous_mentions {
        *span = map.span(*span)?;
    }
    Some(())
}

/// Whether entity linking's output holds nothing of what quote linking adds
/// to it (pronoun mentions, statements): then it is the output after quote
/// linking less those ([`strip_quote_linking`]), and the pipeline need not
/// keep a copy of it. Entity linking makes no pronoun mention and lists no
/// statement; the pipeline checks that this holds rather than trust it.
pub fn free_of_quote_linking(linking: &EntityLinking) -> bool {
    linking.entities.iter().all(|entity| {
        entity.statements.is_empty() && entity.mentions.iter().all(|mention| mention.form != MentionForm::Pronoun)
    })
}

/// What quote linking added to a linking, taken out of it by
/// [`strip_quote_linking`]: each entity's statements, and the whole
/// mention list of each entity that had a pronoun mention.
#[derive(Debug, Default)]
pub struct QuoteLinkingAdditions {
    statements: Vec<Vec<usize>>,
    /// (entity position, its mentions with the pronoun ones), in entity order.
    mentions_with_pronouns: Vec<(usize, Vec<Mention>)>,
}

/// Removes from a linking what quote linking added to it (`quotes::link`
/// inserts pronoun mentions of speakers and lists each entity's
/// statements, and changes nothing else), giving entity linking's output
/// back when that held neither ([`free_of_quote_linking`]); returns what it
/// removed. Done in place, moving the statements out and copying only the
/// mention lists that held a pronoun: copying the whole linking of a long
/// draft to strip the copy cost as much as a third of quote linking.
pub fn strip_quote_linking(linking: &mut EntityLinking) -> QuoteLinkingAdditions {
    let mut additions = QuoteLinkingAdditions {
        statements: Vec::with_capacity(linking.entities.len()),
        mentions_with_pronouns: Vec::new(),
    };
    for (position, entity) in linking.entities.iter_mut().enumerate() {
        additions.statements.push(std::mem::take(&mut entity.statements));
        if entity.mentions.iter().any(|mention| mention.form == MentionForm::Pronoun) {
            additions.mentions_with_pronouns.push((position, entity.mentions.clone()));
            entity.mentions.retain(|mention| mention.form != MentionForm::Pronoun);
        }
    }
    additions
}

/// Whether quote linking, run on the stripped linking ([`strip_quote_linking`])
/// and giving `linking`, added exactly what it had added before
/// (`additions`): then `linking` is the linking before stripping.
pub fn same_quote_linking_additions(linking: &EntityLinking, additions: &QuoteLinkingAdditions) -> bool {
    if linking.entities.len() != additions.statements.len() {
        return false;
    }
    let mut with_pronouns = additions.mentions_with_pronouns.iter().peekable();
    linking.entities.iter().zip(&additions.statements).enumerate().all(|(position, (entity, statements))| {
        entity.statements == *statements
            && match with_pronouns.next_if(|(with, _)| *with == position) {
                Some((_, mentions)) => entity.mentions == *mentions,
                None => entity.mentions.iter().all(|mention| mention.form != MentionForm::Pronoun),
            }
    })
}

/// Whether `before` (entity linking's output) equals `after` (a linking
/// after quote linking) less what quote linking adds, without copying
/// `after`.
pub fn same_before_quote_linking(before: &EntityLinking, after: &EntityLinking) -> bool {
    let EntityLinking { entities, ambiguous_mentions } = before;
    *ambiguous_mentions == after.ambiguous_mentions
        && entities.len() == after.entities.len()
        && entities.iter().zip(&after.entities).all(|(before, after)| {
            crate::entities::linking::same_entity_before_quote_linking(before, &before.id, after)
        })
}

/// Quote linking's quotes moved by `map`, with every text whose span meets
/// the edit taken again from the new text (they are copies of the text at
/// their spans: `TrackedText::copy`; the others are the same bytes moved).
/// `None` when a span has no place; every quote is placed all the same, an
/// offset without a place put at the edit's start (a quote linked again by
/// a window, `quotes::window`, needs the others moved and this one only
/// near the edit), and the quotes must not be taken as the old ones moved.
pub fn shift_quotes_output_refreshing(map: OffsetMap, text: &str, quotes: &mut [Quote]) -> Option<()> {
    let mut placed_all = true;
    let meets_edit = |span: Span| span.start <= map.new_end() && map.start <= span.end;
    for quote in quotes {
        let Quote {
            span,
            content,
            text: quote_text,
            direct: _,
            cue,
            source_mention,
            speaker: _,
            source_kind: _,
            via: _,
            floating: _,
            continues: _,
            earlier_quote: _,
        } = quote;
        // The two common cases first: a quote whose spans all end before
        // the edit's start neither moves nor meets the edit; one whose
        // spans all start after its old end moves by the change in length
        // and does not meet it either (its texts are the same bytes).
        let all = |test: &dyn Fn(Span) -> bool| {
            test(*span)
                && test(*content)
                && cue.as_ref().is_none_or(|copied| test(copied.span))
                && source_mention.as_ref().is_none_or(|copied| test(copied.span))
        };
        if all(&|span| span.end < map.start) {
            continue;
        }
        if all(&|span| span.start > map.old_end) {
            let moved = |span: Span| {
                Span::new(span.start - map.old_end + map.new_end(), span.end - map.old_end + map.new_end())
            };
            *span = moved(*span);
            *content = moved(*content);
            for TextSpan { span, text: _ } in cue.iter_mut().chain(source_mention.iter_mut()) {
                *span = moved(*span);
            }
            continue;
        }
        let mut place = |old: Span| {
            map.span(old).unwrap_or_else(|| {
                placed_all = false;
                Span::new(map.offset(old.start).unwrap_or(map.start), map.offset(old.end).unwrap_or(map.start))
            })
        };
        *span = place(*span);
        *content = place(*content);
        for TextSpan { span, text: _ } in cue.iter_mut().chain(source_mention.iter_mut()) {
            *span = place(*span);
        }
        // A span placed at the edit's start may no longer start and end on
        // character boundaries of the new text: its text is left as it was.
        for (span, copied) in std::iter::once((*span, &mut *quote_text))
            .chain(cue.iter_mut().chain(source_mention.iter_mut()).map(|copied| (copied.span, &mut copied.text)))
        {
            if meets_edit(span)
                && let Some(taken) = text.get(span.start..span.end)
            {
                *copied = taken.to_owned();
            }
        }
    }
    placed_all.then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_move_after_the_edit_and_not_before() {
        let insert = OffsetMap { start: 10, old_end: 10, new_length: 2 };
        assert_eq!(insert.offset(9), Some(9));
        assert_eq!(insert.offset(10), Some(12), "an insertion pushes what starts at its place");
        assert!(!insert.read_unchanged(Span::new(5, 10)), "a read ending at an insertion now ends after it");
        assert!(insert.read_unchanged(Span::new(5, 9)));
        assert!(insert.read_unchanged(Span::new(10, 14)));
        let delete = OffsetMap { start: 10, old_end: 12, new_length: 0 };
        assert_eq!(delete.offset(9), Some(9));
        assert_eq!(delete.offset(10), None, "it would meet the old end");
        assert_eq!(delete.offset(11), None);
        assert_eq!(delete.offset(12), Some(10));
        assert!(!delete.read_unchanged(Span::new(5, 10)));
        assert!(delete.read_unchanged(Span::new(5, 9)));
        let replace = OffsetMap { start: 10, old_end: 11, new_length: 1 };
        assert_eq!(replace.offset(10), Some(10));
        assert_eq!(replace.offset(11), Some(11));
        assert!(replace.read_unchanged(Span::new(5, 10)));
        assert!(!delete.read_unchanged(Span::new(5, 11)));
        assert!(delete.read_unchanged(Span::new(12, 20)));
    }
}
