//! Document-level linking: joins the paragraphs' mention candidates into
//! entities, in one pass over the mentions in text order.
//!
//! - A full name joins the entity with the same name (case, hyphens and
//!   spacing ignored: "Kim Jong-un" is "Kim Jong Un"), or a single-word entity
//!   whose word it contains ("Trump", then "Donald Trump"), else starts one.
//! - A single word or honorific + surname joins the person whose family name
//!   it is (or, when the order is unknown yet, whose first or last name part it
//!   is); when it fits several people it is recorded in
//!   [`EntityLinking::ambiguous_mentions`] with every candidate, never guessed.
//!   A later "Im" alone that matches the *first* part of "Im Chon Il" is the
//!   text telling us the family name comes first; the entity records it.
//! - An acronym joins the name it was spelled out after ("(DPRK)"), else an
//!   organisation or place with the same letters in any case ("Tass"/"TASS").
//! - A standalone title ("the premier") names the person who carries that
//!   title word from a title written before it; when several do, the one
//!   named last if named just before, else it is ambiguous. Titles are
//!   resolved after the other mentions are linked ([`resolve_titles`]),
//!   on what those made.
//!
//! The cost is linear in the number of mentions times the number of entities
//! with a matching key, which stays tiny for news copy.

use rustc_hash::FxHashMap;

use super::dependencies::{
    LinkingDependencies, NO_COMPONENT, ParagraphComponents, Recorder, Role, add_component, candidate_tokens,
    word_tokens,
};
use super::lexicon::lexicon;
use super::{EntityLinking, MentionCandidate, ParagraphEntities};
use crate::carry_over::{self, OffsetMap};
use crate::config::{Config, NameOrder};
use crate::model::{
    AmbiguousMention, Entity, EntityKind, Mention, MentionForm, Span, Title, entity_id, entity_position,
};
use crate::pipeline::ParagraphView;
use crate::tracked_text::TrackedText;

/// How close (in bytes) the last mention of a person must be for a title
/// alone ("the minister") to mean that person when several carry the title.
const RECENT_BYTES: usize = 240;

/// What the stylebook's `[[people]]` say about a person's name order:
/// `Some(true)` when the family name comes first. The linker prefers it over
/// what the text and the lexicon say. A person is found by the canonical name
/// or an alias, written exactly as the draft's fullest form.
pub fn name_order_from_stylebook(config: &Config, name: &str) -> Option<bool> {
    let person = config.person_named(name)?;
    person.name_order.map(|order| order == NameOrder::FamilyFirst)
}

/// The words of a name, split at white space and hyphens.
fn name_words(name: &str) -> impl Iterator<Item = &str> {
    name.split(|character: char| character.is_whitespace() || matches!(character, '-' | '‐' | '‑'))
        .filter(|part| !part.is_empty())
}

/// Lowercase words of a name with hyphens treated as spaces, for comparing names.
fn name_key(name: &str) -> Vec<String> {
    name_words(name).map(str::to_lowercase).collect()
}

/// [`name_key`] written into `key`, reusing its strings: the linking asks for
/// the key of every mention of the draft, and three allocations for each
/// ("Laura Fenwick": the vector and two words) showed in a keystroke's profile.
fn fill_name_key(name: &str, key: &mut Vec<String>) {
    let mut used = 0;
    for part in name_words(name) {
        if used == key.len() {
            key.push(String::new());
        }
        lowercase_into(part, &mut key[used]);
        used += 1;
    }
    key.truncate(used);
}

/// Writes `word` lowercased into `buffer`, replacing what it held, without
/// allocating when the buffer is large enough and the word is ASCII (nearly
/// every name in English copy).
fn lowercase_into(word: &str, buffer: &mut String) {
    buffer.clear();
    if word.is_ascii() {
        buffer.push_str(word);
        buffer.make_ascii_lowercase();
    } else {
        // `str::to_lowercase`, not a per-character mapping: a final
        // sigma lowercases differently at the end of a word.
        buffer.push_str(&word.to_lowercase());
    }
}

#[derive(Debug)]
struct Builder {
    entity: Entity,
    /// Lowercase words of the fullest name.
    key: Vec<String>,
    /// Acronym the name was spelled out with, lowercase.
    acronym: Option<String>,
    /// Whether order was settled by the text or stylebook (not just guessed).
    order_settled: bool,
    /// How often each kind was proposed for this entity's mentions
    /// (person, organisation, place); the majority decides the kind.
    votes: [u32; 3],
    /// Set when a spelled-out name defined the entity ("Democratic People's
    /// Republic of Korea (DPRK)"): its kind then outweighs the votes.
    kind_fixed: bool,
    /// The item of the linking run that started the entity
    /// ([`super::dependencies::Recorder`]).
    item: u32,
}

const fn kind_index(kind: EntityKind) -> usize {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Organization => 1,
        EntityKind::Place => 2,
    }
}

impl Builder {
    fn family_name_first(&self) -> Option<bool> {
        if self.order_settled || self.entity.family_name.is_some() { Some(self.entity.family_name_first) } else { None }
    }

    /// True when `word` (lowercase) can be this person's family name.
    fn family_name_matches(&self, word: &str) -> bool {
        if self.key.len() < 2 {
            return self.key.first().is_some_and(|only| only == word);
        }
        let first = self.key.first().is_some_and(|part| part == word);
        let last = self.key.last().is_some_and(|part| part == word);
        match self.family_name_first() {
            Some(true) => first,
            Some(false) => last,
            None => first || last,
        }
    }

    fn set_family_name(&mut self, first: bool) {
        let words: Vec<&str> = self.entity.name.split_whitespace().collect();
        let family = if first {
            words.first().map(|word| (*word).to_owned())
        } else {
            // A surname with particles keeps them: "von der Leyen", "van den Berg".
            let particles = words
                .iter()
                .take(words.len().saturating_sub(1))
                .position(|word| word.chars().next().is_some_and(char::is_lowercase) && words.len() > 2);
            match particles {
                Some(start) if start > 0 => Some(words[start..].join(" ")),
                _ => words.last().map(|word| (*word).to_owned()),
            }
        };
        let Some(family) = family else { return };
        self.entity.family_name = Some(family);
        self.entity.family_name_first = first;
    }
}

/// A mention candidate to link: its paragraph (by position) and its index
/// among that paragraph's candidates, the paragraph's offset, the candidate.
#[derive(Debug, Clone, Copy)]
struct CandidateItem<'a> {
    paragraph: usize,
    index: usize,
    offset: usize,
    candidate: &'a MentionCandidate,
}

/// A capitalised word of the second pass: its paragraph, its index among
/// that paragraph's other capitalised words, the paragraph's offset, its
/// paragraph-relative span.
#[derive(Debug, Clone, Copy)]
struct WordItem {
    paragraph: usize,
    index: usize,
    offset: usize,
    word: Span,
}

/// An ambiguous mention as a run records it: candidates by builder
/// position, and the item that recorded it.
#[derive(Debug)]
struct PendingAmbiguous {
    span: Span,
    text: String,
    candidates: Vec<usize>,
    item: u32,
}

impl PendingAmbiguous {
    /// The ambiguous mention it records, each candidate named by the id
    /// of its position in the output (`position`, from its position in the
    /// run).
    fn named(&self, position: impl Fn(usize) -> usize) -> AmbiguousMention {
        AmbiguousMention {
            span: self.span,
            text: self.text.clone(),
            candidates: self.candidates.iter().map(|&candidate| entity_id(position(candidate))).collect(),
        }
    }
}

/// What one linking run made: its entities in the order they were started
/// (mentions sorted, kinds settled), the item that started each, and the
/// ambiguous mentions in text order.
#[derive(Debug)]
struct RunOutput {
    entities: Vec<Entity>,
    starting_items: Vec<u32>,
    ambiguous: Vec<PendingAmbiguous>,
}

impl RunOutput {
    /// The linking a run gives: entities numbered in the order they
    /// started, ambiguous mentions naming their candidates by those ids.
    fn into_linking(self) -> EntityLinking {
        let mut entities = self.entities;
        for (index, entity) in entities.iter_mut().enumerate() {
            entity.id = entity_id(index);
        }
        let ambiguous_mentions = self.ambiguous.iter().map(|ambiguous| ambiguous.named(|index| index)).collect();
        EntityLinking { entities, ambiguous_mentions }
    }
}

/// Links the paragraphs' mention candidates into entities.
pub fn link(text: &TrackedText<'_>, paragraphs: &[ParagraphView<'_>], config: &Config) -> EntityLinking {
    let (candidates, words) = all_items(paragraphs);
    let mut run = link_items(text, &candidates, &words, config, &mut Recorder::off());
    complete_with_titles(text, &candidates, &mut run);
    run.into_linking()
}

/// Every item of the paragraphs, mention candidates and capitalised words,
/// each in text order.
fn all_items<'a>(paragraphs: &'a [ParagraphView<'_>]) -> (Vec<CandidateItem<'a>>, Vec<WordItem>) {
    let mut candidates = Vec::new();
    let mut words = Vec::new();
    for (paragraph, view) in paragraphs.iter().enumerate() {
        let offset = view.offset();
        let entities = &view.analysis.entities;
        candidates.extend(entities.mentions.iter().enumerate().map(|(index, candidate)| CandidateItem {
            paragraph,
            index,
            offset,
            candidate,
        }));
        words.extend(entities.other_capitalized.iter().enumerate().map(|(index, &word)| WordItem {
            paragraph,
            index,
            offset,
            word,
        }));
    }
    (candidates, words)
}

/// [`link`], also returning what each item depends on, for
/// [`relink`] on a later keystroke. Recording them costs a full linking
/// about a third more, so the `Analyzer` records them only when a
/// keystroke could use them (`pipeline.rs`).
pub fn link_with_dependencies(
    text: &TrackedText<'_>,
    paragraphs: &[ParagraphView<'_>],
    config: &Config,
) -> (EntityLinking, LinkingDependencies) {
    let (candidates, words) = all_items(paragraphs);
    let mut recorder = Recorder::on();
    let mut run = link_items(text, &candidates, &words, config, &mut recorder);
    complete_with_titles(text, &candidates, &mut run);
    let mut next_component = 0;
    let finished = recorder.finish(&mut next_component);
    let mut dependencies = LinkingDependencies {
        paragraphs: paragraphs
            .iter()
            .map(|view| ParagraphComponents {
                mentions: Vec::with_capacity(view.analysis.entities.mentions.len()),
                words: Vec::with_capacity(view.analysis.entities.other_capitalized.len()),
            })
            .collect(),
        next_component,
        ..LinkingDependencies::default()
    };
    for (item, candidate) in candidates.iter().enumerate() {
        dependencies.paragraphs[candidate.paragraph].mentions.push(finished.item_components[item]);
    }
    for (item, word) in words.iter().enumerate() {
        dependencies.paragraphs[word.paragraph].words.push(finished.item_components[candidates.len() + item]);
    }
    dependencies.entities = run.starting_items.iter().map(|&item| finished.item_components[item as usize]).collect();
    // A title's ambiguity was recorded by no item: it belongs to no component.
    dependencies.ambiguous = run
        .ambiguous
        .iter()
        .map(|ambiguous| finished.item_components.get(ambiguous.item as usize).copied().unwrap_or(NO_COMPONENT))
        .collect();
    dependencies.full_entries = finished.token_components.iter().map(|(_, components)| components.len()).sum();
    dependencies.tokens = finished.token_components.into_iter().collect();
    (run.into_linking(), dependencies)
}

/// What [`relink`] found.
#[derive(Debug)]
pub enum Relinked {
    /// Entity linking's output is the old one (moved) exactly.
    Same,
    /// Entity linking's new output, and when every entity kept its
    /// position (the re-linked entities are as many as before and sit where
    /// the old ones sat), the positions of the entities that differ from the
    /// old ones: every other entity is the old one moved. Quote linking
    /// needs no more than that to tell whether the change can reach it
    /// (`quotes::reach`). Last, for each old entity, its position in the
    /// new output when it is there unchanged (but for its id and quote
    /// linking's additions), `None` when it was replaced: quote linking
    /// by a window renumbers the kept quotes' speakers through it.
    ///
    /// The output holds a placeholder (its id and kind alone) for each
    /// entity kept from the old output unchanged: what quote linking reads
    /// of the change is the entities that differ, and it takes the kept
    /// ones from the old output, with their quote linking additions.
    /// [`fill_kept_entities`] makes the output whole, for a full quote
    /// linking.
    Changed(EntityLinking, Option<Vec<usize>>, Vec<Option<usize>>),
}

/// A kept entity's stand-in in [`Relinked::Changed`]'s output.
fn kept_placeholder(old: &Entity) -> Entity {
    Entity {
        id: String::new(),
        kind: old.kind,
        name: String::new(),
        family_name: None,
        family_name_first: false,
        titles: Vec::new(),
        mentions: Vec::new(),
        expansion: None,
        statements: Vec::new(),
    }
}

/// Makes a re-linking's output ([`Relinked::Changed`]) whole: each entity
/// `new_of_old` says is an old one unchanged becomes a copy of it, less
/// quote linking's additions (`old` is the linking given to `relink`).
/// Also right, if needless, on an output without placeholders whose
/// `new_of_old` maps old entities only onto equal ones.
pub fn fill_kept_entities(linking: &mut EntityLinking, old: &EntityLinking, new_of_old: &[Option<usize>]) {
    for (old_entity, new_position) in old.entities.iter().zip(new_of_old) {
        let Some(new_position) = *new_position else { continue };
        let Some(slot) = linking.entities.get_mut(new_position) else { continue };
        let mut entity = old_entity.clone();
        entity.mentions.retain(|mention| mention.form != MentionForm::Pronoun);
        entity.statements.clear();
        entity.id = entity_id(new_position);
        *slot = entity;
    }
}

/// The edited paragraph as [`relink`] needs it: its position, its entity
/// facts before the edit (paragraph-relative), and the edit seen from the
/// paragraph's start.
#[derive(Debug, Clone, Copy)]
pub struct EditedParagraph<'a> {
    pub position: usize,
    pub old: &'a ParagraphEntities,
    pub edit: OffsetMap,
}

/// Which of the edited paragraph's items the edit changed, as the numbers
/// of unchanged items before and after the changed ones, in the old list
/// and the new. An item is unchanged when the new item is the old one
/// moved (`moved`: `None` when the paragraph's items could not all be
/// moved, and then every item counts as changed) and the bytes it reads
/// (`reads`) lie wholly before the edit, with none of its offsets moved,
/// or wholly after it. The offsets must not move in the first case because
/// the old linking kept for the unchanged items is moved by the same map:
/// a mention ending where text is inserted has its end pushed past the
/// insertion, as the offset map does with any offset there, and the
/// mention must then be linked again to be right.
fn unchanged_ends<T: PartialEq>(
    old: &[T],
    moved: Option<&[T]>,
    new: &[T],
    edit: OffsetMap,
    reads: impl Fn(&T) -> Span,
) -> (usize, usize) {
    let Some(moved) = moved else { return (0, 0) };
    let same = |old_index: usize, new_index: usize| {
        let read = reads(&old[old_index]);
        moved[old_index] == new[new_index]
            && ((read.end <= edit.start && moved[old_index] == old[old_index]) || read.start >= edit.old_end)
    };
    let mut before = 0;
    while before < old.len() && before < new.len() && same(before, before) {
        before += 1;
    }
    let mut after = 0;
    while after < old.len() - before && after < new.len() - before && same(old.len() - 1 - after, new.len() - 1 - after)
    {
        after += 1;
    }
    (before, after)
}

/// Entity linking after an edit within one paragraph, found by linking
/// again only the items the edit can reach: the components of the
/// paragraph's items the edit changed (removed, added, or reading the
/// edited bytes), and every component that touched a token the changed new
/// items touch (see [`super::dependencies`]); with them, every item of
/// those components, and the changed new items. `old` is the previous
/// linking with its offsets moved (quote linking's pronoun mentions and
/// statements may be in it; they are not entity linking's and are left
/// out), `dependencies` the previous linking's, updated in place. Reads
/// the text of every item of the edited paragraph, as a full linking does.
/// Returns how many items it linked again, or `Err` when it cannot follow
/// the edit (the caller then links in full, which also makes new
/// dependencies).
pub fn relink(
    text: &TrackedText<'_>,
    paragraphs: &[ParagraphView<'_>],
    edited: EditedParagraph<'_>,
    old: &EntityLinking,
    dependencies: &mut LinkingDependencies,
    config: &Config,
) -> Result<(Relinked, usize), &'static str> {
    if dependencies.paragraphs.len() != paragraphs.len()
        || dependencies.entities.len() != old.entities.len()
        || dependencies.ambiguous.len() != old.ambiguous_mentions.len()
    {
        return Err("dependencies do not fit");
    }
    if dependencies.added_entries > dependencies.full_entries.max(1_000) {
        return Err("dependencies grown");
    }
    let EditedParagraph { position: edited, old: old_facts, edit } = edited;
    let Some(view) = paragraphs.get(edited) else { return Err("dependencies do not fit") };
    let new_facts = &view.analysis.entities;
    let edited_offset = view.offset();
    let old_components = &dependencies.paragraphs[edited];
    if old_components.mentions.len() != old_facts.mentions.len()
        || old_components.words.len() != old_facts.other_capitalized.len()
    {
        return Err("dependencies do not fit");
    }
    // The edited paragraph's items the edit left as they were, at each end.
    // The items as entity linking reads them (without the sentence
    // indices, which it does not read), before the edit, moved, and after.
    let old_read = carry_over::entity_facts_for_linking(old_facts);
    let new_read = carry_over::entity_facts_for_linking(new_facts);
    let moved = carry_over::shift_entity_facts(edit, old_read.clone());
    // A mention candidate reads its text and its spelled-out acronym.
    let (mentions_before, mentions_after) = unchanged_ends(
        &old_read.mentions,
        moved.as_ref().map(|moved| moved.mentions.as_slice()),
        &new_read.mentions,
        edit,
        |candidate| match candidate.acronym {
            Some(acronym) => Span::new(candidate.span.start.min(acronym.start), candidate.span.end.max(acronym.end)),
            None => candidate.span,
        },
    );
    let (words_before, words_after) = unchanged_ends(
        &old_facts.other_capitalized,
        moved.as_ref().map(|moved| moved.other_capitalized.as_slice()),
        &new_facts.other_capitalized,
        edit,
        |word| *word,
    );
    let changed = |index: usize, before: usize, after: usize, length: usize| index >= before && index + after < length;
    // The components the edit reaches: the changed old items'.
    let mut reached = vec![false; dependencies.next_component as usize];
    for (index, &component) in old_components.mentions.iter().enumerate() {
        if component != NO_COMPONENT && changed(index, mentions_before, mentions_after, old_facts.mentions.len()) {
            reached[component as usize] = true;
        }
    }
    for (index, &component) in old_components.words.iter().enumerate() {
        if component != NO_COMPONENT && changed(index, words_before, words_after, old_facts.other_capitalized.len()) {
            reached[component as usize] = true;
        }
    }
    // And every component touching a token the changed new items touch.
    // Every item of the paragraph is read, changed or not, so that the
    // caller's read record holds the paragraph's reads as a full linking's
    // would.
    let offset = view.offset();
    // A lookup depends on the components that could file an entity under
    // the token, a registration on those that look it up: two items that
    // only look a token up (or only file under it) do not meet there.
    let mut reach = |token: u64, role: Role| {
        if let Some(components) = dependencies.tokens.get(&token) {
            let met = Role::met_by(role.bit());
            for &(component, roles) in components {
                if roles & met != 0 {
                    reached[component as usize] = true;
                }
            }
        }
    };
    let mut key = Vec::new();
    let mut word_buffer = String::new();
    for (index, candidate) in new_facts.mentions.iter().enumerate() {
        let span = candidate.span.shifted(offset);
        let Some(mention_text) = text.get(span.start..span.end) else { continue };
        let acronym = candidate.acronym.and_then(|acronym| {
            let acronym = acronym.shifted(offset);
            text.get(acronym.start..acronym.end).map(str::to_lowercase)
        });
        if changed(index, mentions_before, mentions_after, new_facts.mentions.len()) {
            fill_name_key(mention_text, &mut key);
            candidate_tokens(candidate, &key, mention_text, acronym.as_deref(), &mut reach);
        }
    }
    for (index, word) in new_facts.other_capitalized.iter().enumerate() {
        let span = word.shifted(offset);
        let Some(word_text) = text.get(span.start..span.end) else { continue };
        if changed(index, words_before, words_after, new_facts.other_capitalized.len()) {
            lowercase_into(word_text, &mut word_buffer);
            word_tokens(&word_buffer, &mut reach);
        }
    }
    // The components of the edited paragraph's new items, where known: an
    // unchanged item keeps its old one (replaced below when reached).
    let new_component = |old_list: &[u32], before: usize, after: usize, index: usize, new_length: usize| {
        if index < before {
            old_list[index]
        } else if index + after >= new_length {
            old_list[old_list.len() - (new_length - index)]
        } else {
            NO_COMPONENT
        }
    };
    let edited_components = ParagraphComponents {
        mentions: (0..new_facts.mentions.len())
            .map(|index| {
                new_component(
                    &old_components.mentions,
                    mentions_before,
                    mentions_after,
                    index,
                    new_facts.mentions.len(),
                )
            })
            .collect(),
        words: (0..new_facts.other_capitalized.len())
            .map(|index| {
                new_component(
                    &old_components.words,
                    words_before,
                    words_after,
                    index,
                    new_facts.other_capitalized.len(),
                )
            })
            .collect(),
    };
    let changed_new_mention = |index: usize| changed(index, mentions_before, mentions_after, new_facts.mentions.len());
    let changed_new_word = |index: usize| changed(index, words_before, words_after, new_facts.other_capitalized.len());
    dependencies.paragraphs[edited] = edited_components;
    // The items to link again, in text order: the changed new items, and
    // every item of a reached component.
    let mut candidates = Vec::new();
    let mut words = Vec::new();
    for (paragraph, view) in paragraphs.iter().enumerate() {
        let offset = view.offset();
        let entities = &view.analysis.entities;
        let components = &dependencies.paragraphs[paragraph];
        if components.mentions.len() != entities.mentions.len()
            || components.words.len() != entities.other_capitalized.len()
        {
            return Err("dependencies do not fit");
        }
        let reached_item =
            |index: usize, components: &[u32]| components[index] != NO_COMPONENT && reached[components[index] as usize];
        for (index, candidate) in entities.mentions.iter().enumerate() {
            if reached_item(index, &components.mentions) || paragraph == edited && changed_new_mention(index) {
                candidates.push(CandidateItem { paragraph, index, offset, candidate });
            }
        }
        for (index, &word) in entities.other_capitalized.iter().enumerate() {
            if reached_item(index, &components.words) || paragraph == edited && changed_new_word(index) {
                words.push(WordItem { paragraph, index, offset, word });
            }
        }
    }
    let mut recorder = Recorder::on();
    let mut run = link_items(text, &candidates, &words, config, &mut recorder);
    let finished = recorder.finish(&mut dependencies.next_component);
    let relinked = candidates.len() + words.len();
    // Whether an old component was reached; `NO_COMPONENT` (a title's
    // ambiguity) and the run's new numbers never were.
    let was_reached = |component: u32| reached.get(component as usize).copied().unwrap_or(false);

    // The new entities among the old ones that keep their component, each
    // by where it starts (its first mention: the one that started it).
    let starts = |entity: &Entity| {
        entity
            .mentions
            .iter()
            .find(|mention| !matches!(mention.form, MentionForm::Pronoun | MentionForm::Title))
            .map(|mention| (mention.span.start, mention.span.end))
    };
    // `None` for a new entity (by its position in the run), `Some` for an old one.
    let kept = old.entities.iter().enumerate().filter(|(index, _)| !was_reached(dependencies.entities[*index]));
    let order = merge_in_text_order(kept, run.entities.iter().enumerate(), |old_entity, new_entity| {
        let (Some(old_start), Some(new_start)) = (starts(old_entity), starts(new_entity)) else {
            return Err("entity without mentions");
        };
        if old_start == new_start {
            return Err("two entities start at one place");
        }
        Ok(old_start < new_start)
    })?;
    // Each new entity's position in the merged list.
    let mut new_positions = vec![0; run.entities.len()];
    for (position, &(old_index, index)) in order.iter().enumerate() {
        if old_index.is_none() {
            new_positions[index] = position;
        }
    }
    let reached_old: Vec<usize> =
        (0..old.entities.len()).filter(|&index| was_reached(dependencies.entities[index])).collect();
    // Each re-linked old entity's counterpart: the new entity that starts
    // where it started (both lists are in text order by their first mention).
    let mut counterparts: Vec<Option<usize>> = Vec::with_capacity(reached_old.len());
    {
        let mut run_entities = run.entities.iter().enumerate().peekable();
        for &old_index in &reached_old {
            let Some(old_start) = starts(&old.entities[old_index]) else {
                counterparts.push(None);
                continue;
            };
            while run_entities
                .next_if(|(_, new_entity)| starts(new_entity).is_some_and(|start| start < old_start))
                .is_some()
            {}
            counterparts.push(
                run_entities
                    .peek()
                    .filter(|(_, new_entity)| starts(new_entity) == Some(old_start))
                    .map(|&(index, _)| index),
            );
        }
    }

    // Title-alone references ([`resolve_titles`]) read only people with a
    // title, and only what precedes them: their kind, titles and mentions.
    // From the first place where the re-linking changed such a person (or
    // the edit changed a title-alone reference), they are resolved again;
    // before it, they decide as they did.
    let titled = |entity: &Entity| !entity.titles.is_empty();
    let first_place = |entity: &Entity| {
        entity
            .titles
            .iter()
            .map(|title| title.span.start)
            .chain(entity.mentions.first().map(|mention| mention.span.start))
            .min()
            .unwrap_or(0)
    };
    let same_for_titles = |old_entity: &Entity, new_entity: &Entity| {
        let own = |mention: &&Mention| !matches!(mention.form, MentionForm::Title | MentionForm::Pronoun);
        old_entity.kind == new_entity.kind
            && old_entity.titles == new_entity.titles
            && old_entity.mentions.iter().filter(own).eq(new_entity.mentions.iter().filter(own))
    };
    let mut titles_from = usize::MAX;
    let mut has_counterpart = vec![false; run.entities.len()];
    for (&old_index, &counterpart) in reached_old.iter().zip(&counterparts) {
        let old_entity = &old.entities[old_index];
        match counterpart {
            Some(index) => {
                has_counterpart[index] = true;
                let new_entity = &run.entities[index];
                if (titled(old_entity) || titled(new_entity)) && !same_for_titles(old_entity, new_entity) {
                    titles_from = titles_from.min(first_place(old_entity)).min(first_place(new_entity));
                }
            }
            None if titled(old_entity) => titles_from = titles_from.min(first_place(old_entity)),
            None => {}
        }
    }
    for (index, new_entity) in run.entities.iter().enumerate() {
        if !has_counterpart[index] && titled(new_entity) {
            titles_from = titles_from.min(first_place(new_entity));
        }
    }
    let title_changed = |facts: &ParagraphEntities, before: usize, after: usize| {
        facts.mentions.iter().enumerate().any(|(index, candidate)| {
            candidate.form == MentionForm::Title && changed(index, before, after, facts.mentions.len())
        })
    };
    if title_changed(old_facts, mentions_before, mentions_after)
        || title_changed(new_facts, mentions_before, mentions_after)
    {
        titles_from = titles_from.min(edited_offset);
    }
    // The re-linked people whose titles resolve as before keep the title
    // mentions they had before that place.
    for (&old_index, &counterpart) in reached_old.iter().zip(&counterparts) {
        let mut kept_titles = old.entities[old_index]
            .mentions
            .iter()
            .filter(|mention| mention.form == MentionForm::Title && mention.span.start < titles_from)
            .peekable();
        if kept_titles.peek().is_none() {
            continue;
        }
        let Some(index) = counterpart else { return Err("a title's person was re-linked away") };
        let mentions = &mut run.entities[index].mentions;
        mentions.extend(kept_titles.cloned());
        mentions.sort_by_key(|mention| (mention.span.start, mention.span.end));
    }
    // The title-alone references from that place on, resolved again.
    let mut title_items_again = Vec::new();
    if titles_from != usize::MAX {
        let first = paragraphs.partition_point(|view| view.paragraph.span.end <= titles_from);
        for (paragraph, view) in paragraphs.iter().enumerate().skip(first) {
            let offset = view.offset();
            for (index, candidate) in view.analysis.entities.mentions.iter().enumerate() {
                if candidate.form == MentionForm::Title && candidate.span.start + offset >= titles_from {
                    title_items_again.push(CandidateItem { paragraph, index, offset, candidate });
                }
            }
        }
    }
    let resolution = {
        let entity_at = |position: usize| match order[position] {
            (Some(old_index), _) => &old.entities[old_index],
            (None, index) => &run.entities[index],
        };
        resolve_titles(text, &title_items_again, order.len(), entity_at, titles_from)
    };
    // The kept entities whose title mentions change: those holding one
    // from that place on, and those given one. Each gets its new form.
    let mut given: FxHashMap<usize, Vec<Mention>> = FxHashMap::default();
    for (position, mention) in resolution.assigned {
        match order[position] {
            (None, index) => {
                let mentions = &mut run.entities[index].mentions;
                mentions.push(mention);
                mentions.sort_by_key(|mention| (mention.span.start, mention.span.end));
            }
            (Some(_), _) => given.entry(position).or_default().push(mention),
        }
    }
    let mut retitled: FxHashMap<usize, Entity> = FxHashMap::default();
    if titles_from != usize::MAX {
        for (position, &(old_index, _)) in order.iter().enumerate() {
            let Some(old_index) = old_index else { continue };
            let old_entity = &old.entities[old_index];
            let stale = titled(old_entity)
                && old_entity.mentions
                    [old_entity.mentions.partition_point(|mention| mention.span.start < titles_from)..]
                    .iter()
                    .any(|mention| mention.form == MentionForm::Title);
            let given_here = given.remove(&position);
            if !stale && given_here.is_none() {
                continue;
            }
            let mut entity = old_entity.clone();
            entity.statements.clear();
            entity.mentions.retain(|mention| {
                mention.form != MentionForm::Pronoun
                    && !(mention.form == MentionForm::Title && mention.span.start >= titles_from)
            });
            entity.mentions.extend(given_here.into_iter().flatten());
            entity.mentions.sort_by_key(|mention| (mention.span.start, mention.span.end));
            retitled.insert(position, entity);
        }
    }
    // The kept entities the new resolution changed (by old position).
    let mut retitled_changed: Vec<usize> = retitled
        .iter()
        .filter_map(|(&position, entity)| {
            let old_index = order[position].0?;
            let old_entity = &old.entities[old_index];
            (!same_entity_before_quote_linking(entity, &old_entity.id, old_entity)).then_some(old_index)
        })
        .collect();
    retitled_changed.sort_unstable();

    let new_ambiguous: Vec<AmbiguousMention> =
        run.ambiguous.iter().map(|ambiguous| ambiguous.named(|index| new_positions[index])).collect();
    let new_title_ambiguous: Vec<AmbiguousMention> =
        resolution.ambiguous.iter().map(|ambiguous| ambiguous.named(|position| position)).collect();

    // The same output when the new entities sit where the reached old ones
    // sat and equal them, and so do the ambiguous mentions.
    let same_places = reached_old.len() == run.entities.len()
        && reached_old.iter().zip(&new_positions).all(|(&old_index, &position)| old_index == position);
    // Where the entities kept their places, the ones that differ.
    let differing: Option<Vec<usize>> = same_places.then(|| {
        let mut differing: Vec<usize> = reached_old
            .iter()
            .zip(&run.entities)
            .filter(|&(&old_index, new_entity)| {
                !same_entity_before_quote_linking(new_entity, &entity_id(old_index), &old.entities[old_index])
            })
            .map(|(&old_index, _)| old_index)
            .chain(retitled_changed.iter().copied())
            .collect();
        differing.sort_unstable();
        differing
    });
    // Where each old entity went: the kept ones where the merge put them
    // (unless their title mentions changed), the re-linked ones where
    // their counterpart is, when it equals them.
    let mut new_of_old: Vec<Option<usize>> = vec![None; old.entities.len()];
    for (position, &(old_index, _)) in order.iter().enumerate() {
        if let Some(old_index) = old_index {
            new_of_old[old_index] = Some(position);
        }
    }
    for &old_index in &retitled_changed {
        new_of_old[old_index] = None;
    }
    for (&old_index, &counterpart) in reached_old.iter().zip(&counterparts) {
        let old_entity = &old.entities[old_index];
        if let Some(index) = counterpart
            && same_entity_before_quote_linking(&run.entities[index], &old_entity.id, old_entity)
        {
            new_of_old[old_index] = Some(new_positions[index]);
        }
    }
    // The old ambiguous mentions: of the passes (by component), and of the
    // titles (no component), kept before `titles_from` and redone after.
    let old_title_ambiguity = |index: usize| dependencies.ambiguous[index] == NO_COMPONENT;
    let same = differing.as_ref().is_some_and(Vec::is_empty)
        && {
            let mut reached_ambiguous = old
                .ambiguous_mentions
                .iter()
                .enumerate()
                .filter(|(index, _)| was_reached(dependencies.ambiguous[*index]))
                .map(|(_, ambiguous)| ambiguous);
            reached_ambiguous.by_ref().eq(new_ambiguous.iter())
        }
        && {
            let mut redone = old
                .ambiguous_mentions
                .iter()
                .enumerate()
                .filter(|(index, ambiguous)| old_title_ambiguity(*index) && ambiguous.span.start >= titles_from)
                .map(|(_, ambiguous)| ambiguous);
            redone.by_ref().eq(new_title_ambiguous.iter())
        };

    // The dependencies follow: the items linked again get their new
    // components, the tokens they touched list them.
    for (item, candidate) in candidates.iter().enumerate() {
        dependencies.paragraphs[candidate.paragraph].mentions[candidate.index] = finished.item_components[item];
    }
    for (item, word) in words.iter().enumerate() {
        dependencies.paragraphs[word.paragraph].words[word.index] = finished.item_components[candidates.len() + item];
    }
    // Every item of a reached component was linked again and touched the
    // same tokens as before (an item's tokens are its own), so a token the
    // run touched drops its reached components for the new ones; only the
    // tokens of the edited paragraph's old items keep stale entries, which
    // `added_entries` counts.
    for (token, components) in finished.token_components {
        let listed = dependencies.tokens.entry(token).or_default();
        let before = listed.len();
        listed.retain(|&(component, _)| !was_reached(component));
        dependencies.added_entries = dependencies.added_entries.saturating_sub(before - listed.len());
        for (component, roles) in components {
            if add_component(listed, component, roles) {
                dependencies.added_entries += 1;
            }
        }
    }
    let new_entity_components: Vec<u32> =
        run.starting_items.iter().map(|&item| finished.item_components[item as usize]).collect();
    let entity_components: Vec<u32> = order
        .iter()
        .map(|&(old_index, index)| match old_index {
            Some(old_index) => dependencies.entities[old_index],
            None => new_entity_components[index],
        })
        .collect();
    // The ambiguous mentions kept and the new ones, in text order (by start).
    #[derive(Clone, Copy)]
    enum AmbiguousSource {
        Old(usize),
        New(usize),
        NewTitle(usize),
    }
    let mut ambiguous_order: Vec<(usize, AmbiguousSource)> = old
        .ambiguous_mentions
        .iter()
        .enumerate()
        .filter(|(index, ambiguous)| {
            if old_title_ambiguity(*index) {
                ambiguous.span.start < titles_from
            } else {
                !was_reached(dependencies.ambiguous[*index])
            }
        })
        .map(|(index, ambiguous)| (ambiguous.span.start, AmbiguousSource::Old(index)))
        .chain(
            new_ambiguous
                .iter()
                .enumerate()
                .map(|(index, ambiguous)| (ambiguous.span.start, AmbiguousSource::New(index))),
        )
        .chain(
            new_title_ambiguous
                .iter()
                .enumerate()
                .map(|(index, ambiguous)| (ambiguous.span.start, AmbiguousSource::NewTitle(index))),
        )
        .collect();
    ambiguous_order.sort_by_key(|&(start, _)| start);
    if ambiguous_order.windows(2).any(|pair| pair[0].0 == pair[1].0) {
        return Err("two ambiguous mentions start at one place");
    }
    let ambiguous_components: Vec<u32> = ambiguous_order
        .iter()
        .map(|&(_, source)| match source {
            AmbiguousSource::Old(index) => dependencies.ambiguous[index],
            AmbiguousSource::New(index) => finished.item_components[run.ambiguous[index].item as usize],
            AmbiguousSource::NewTitle(_) => NO_COMPONENT,
        })
        .collect();
    if same {
        dependencies.entities = entity_components;
        dependencies.ambiguous = ambiguous_components;
        return Ok((Relinked::Same, relinked));
    }

    // The new output: placeholders for the kept old entities (but those
    // whose title mentions changed) and the new ones, numbered in order.
    let mut old_positions = vec![usize::MAX; old.entities.len()];
    for (position, &(old_index, _)) in order.iter().enumerate() {
        if let Some(old_index) = old_index {
            old_positions[old_index] = position;
        }
    }
    // A kept title ambiguity may name a re-linked person whose titles
    // resolve as before: it names the counterpart.
    let mut title_positions = old_positions.clone();
    for (&old_index, &counterpart) in reached_old.iter().zip(&counterparts) {
        if let Some(index) = counterpart {
            title_positions[old_index] = new_positions[index];
        }
    }
    let mut new_entities: Vec<Option<Entity>> = run.entities.into_iter().map(Some).collect();
    let mut entities = Vec::with_capacity(order.len());
    for (position, &(old_index, index)) in order.iter().enumerate() {
        let mut entity = match old_index {
            // A kept entity is a placeholder (see `Relinked::Changed`):
            // cloning every kept entity, mentions and all, was most of a
            // re-linking's cost in a long draft, and quote linking then
            // swaps the old entity (with its additions) into its place.
            Some(old_index) => match retitled.remove(&position) {
                Some(entity) => entity,
                None => kept_placeholder(&old.entities[old_index]),
            },
            None => new_entities[index].take().ok_or("merge")?,
        };
        if old_index != Some(position) || entity.id.is_empty() {
            entity.id = entity_id(position);
        }
        entities.push(entity);
    }
    let mut new_ambiguous: Vec<Option<AmbiguousMention>> = new_ambiguous.into_iter().map(Some).collect();
    let mut new_title_ambiguous: Vec<Option<AmbiguousMention>> = new_title_ambiguous.into_iter().map(Some).collect();
    let mut ambiguous_mentions = Vec::with_capacity(ambiguous_order.len());
    for &(_, source) in &ambiguous_order {
        match source {
            AmbiguousSource::Old(old_index) => {
                let positions = if old_title_ambiguity(old_index) { &title_positions } else { &old_positions };
                let mut ambiguous = old.ambiguous_mentions[old_index].clone();
                for candidate in &mut ambiguous.candidates {
                    let old_position = entity_position(candidate).ok_or("entity id")?;
                    let position = *positions.get(old_position).ok_or("entity id")?;
                    if position == usize::MAX {
                        return Err("kept ambiguity names a re-linked entity");
                    }
                    if position != old_position {
                        *candidate = entity_id(position);
                    }
                }
                ambiguous_mentions.push(ambiguous);
            }
            AmbiguousSource::New(index) => ambiguous_mentions.push(new_ambiguous[index].take().ok_or("merge")?),
            AmbiguousSource::NewTitle(index) => {
                ambiguous_mentions.push(new_title_ambiguous[index].take().ok_or("merge")?);
            }
        }
    }
    dependencies.entities = entity_components;
    dependencies.ambiguous = ambiguous_components;
    Ok((Relinked::Changed(EntityLinking { entities, ambiguous_mentions }, differing, new_of_old), relinked))
}

/// Merges the kept old items and the new ones (each `(index, item)` in text
/// order) into one list in text order: `(Some(index), index)` for an old
/// item, `(None, index)` for a new one. `old_first` says whether the old
/// item comes before the new one, or why the two cannot be ordered.
fn merge_in_text_order<'a, T: 'a>(
    kept: impl Iterator<Item = (usize, &'a T)>,
    new: impl Iterator<Item = (usize, &'a T)>,
    old_first: impl Fn(&T, &T) -> Result<bool, &'static str>,
) -> Result<Vec<(Option<usize>, usize)>, &'static str> {
    let (mut kept, mut new) = (kept.peekable(), new.peekable());
    let mut order = Vec::new();
    loop {
        let take_old = match (kept.peek(), new.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some((_, old_item)), Some((_, new_item))) => old_first(old_item, new_item)?,
        };
        if take_old {
            let (index, _) = kept.next().ok_or("merge")?;
            order.push((Some(index), index));
        } else {
            let (index, _) = new.next().ok_or("merge")?;
            order.push((None, index));
        }
    }
    Ok(order)
}

/// Whether `new` (entity linking's output, without its id) with id `id`
/// equals `old` (possibly after quote linking) less what quote linking adds.
pub(crate) fn same_entity_before_quote_linking(new: &Entity, id: &str, old: &Entity) -> bool {
    let Entity { id: _, kind, name, family_name, family_name_first, titles, mentions, expansion, statements } = new;
    statements.is_empty()
        && id == old.id
        && *kind == old.kind
        && *name == old.name
        && *family_name == old.family_name
        && *family_name_first == old.family_name_first
        && *titles == old.titles
        && *expansion == old.expansion
        && mentions.iter().eq(old.mentions.iter().filter(|mention| mention.form != MentionForm::Pronoun))
}

/// One linking run over `candidates` and then `words` (each in text
/// order), recording every item's tokens and joins in `recorder` (items
/// numbered candidates first, then words).
fn link_items(
    text: &TrackedText<'_>,
    candidates: &[CandidateItem<'_>],
    words: &[WordItem],
    config: &Config,
    recorder: &mut Recorder,
) -> RunOutput {
    let mut builders: Vec<Builder> = Vec::new();
    let mut builder_index = BuilderIndex::default();
    let mut ambiguous: Vec<PendingAmbiguous> = Vec::new();
    let mut key = Vec::new();
    for item in candidates {
        let node = recorder.begin_item();
        let (offset, candidate) = (item.offset, item.candidate);
        // A title alone ("the minister") is resolved after both passes
        // ([`resolve_titles`]): it joins no entity the passes read, so no
        // other item's decision depends on it, and keeping it out of the
        // passes keeps it out of every component (see `dependencies.rs`).
        if candidate.form == MentionForm::Title {
            continue;
        }
        let span = candidate.span.shifted(offset);
        let Some(mention_text) = text.get(span.start..span.end) else {
            continue;
        };
        // The spelled-out acronym, read whatever the linking decides, so
        // that what entity linking reads depends on the paragraphs' facts
        // alone (a re-linking relies on that to keep its read record).
        let acronym = candidate.acronym.and_then(|acronym| {
            let acronym = acronym.shifted(offset);
            text.get(acronym.start..acronym.end).map(str::to_lowercase)
        });
        let ambiguous_before = ambiguous.len();
        let joined = link_one(
            text,
            offset,
            candidate,
            span,
            mention_text,
            config,
            &mut key,
            &mut builders,
            &mut builder_index,
            &mut ambiguous,
            node,
        );
        if recorder.is_on() {
            candidate_tokens(candidate, &key, mention_text, acronym.as_deref(), |token, role| {
                recorder.touch(node, token, role);
            });
        }
        for recorded in &mut ambiguous[ambiguous_before..] {
            recorded.item = node;
        }
        if let Some(index) = joined {
            recorder.join(node, builders[index].item);
            if candidate.form != MentionForm::Title {
                builders[index].votes[kind_index(candidate.kind)] += 1;
            }
        }
    }
    // Second pass: capitalised words outside every mention join an entity
    // when they are, unambiguously, its name or a person's family name.
    // The entities are indexed by the words that can match (a person's first
    // and last name parts, a one-word name), so each word costs a lookup
    // rather than a walk over every entity.
    let mut by_word = WordIndex::default();
    for (index, builder) in builders.iter().enumerate() {
        if builder.entity.kind == EntityKind::Person && builder.key.len() > 1 {
            by_word.file(&builder.key[0], index);
            by_word.file(&builder.key[builder.key.len() - 1], index);
        } else if builder.entity.kind != EntityKind::Person && builder.key.len() == 1 {
            by_word.file(&builder.key[0], index);
        }
    }
    let mut word_buffer = String::new();
    for item in words {
        let node = recorder.begin_item();
        let span = item.word.shifted(item.offset);
        let Some(word_text) = text.get(span.start..span.end) else { continue };
        // Lowercased into one reused buffer: a fresh string for each of
        // the draft's capitalised words showed in a keystroke's profile.
        lowercase_into(word_text, &mut word_buffer);
        let word = word_buffer.as_str();
        if recorder.is_on() {
            word_tokens(word, |token, role| recorder.touch(node, token, role));
        }
        let Some(indices) = by_word.get(word) else { continue };
        // Only entities introduced before the word count: "Park" right
        // after "Park Min Ji" is hers even if two more Parks come later.
        let mut matches = indices.iter().map(|&index| (index, &builders[index])).filter(|(_, builder)| {
            let introduced_before = builder.entity.mentions.first().is_some_and(|first| first.span.start < span.start);
            if !introduced_before {
                false
            } else if builder.entity.kind == EntityKind::Person {
                builder.key.len() > 1 && builder.family_name_matches(word)
            } else {
                builder.key.len() == 1 && builder.key[0] == word
            }
        });
        // Exactly one entity: a list names each entity once, unless two
        // words share a hash, so a second mention of the same entity is
        // not a second match.
        let Some((index, _)) = matches.next() else { continue };
        if matches.any(|(other, _)| other != index) {
            continue;
        }
        recorder.join(node, builders[index].item);
        let form =
            if builders[index].entity.kind == EntityKind::Person { MentionForm::Partial } else { MentionForm::Full };
        let builder = &mut builders[index];
        // A bare family name settles the person's name order, exactly as
        // it does when the tagger proposed the word as a mention.
        if builder.entity.kind == EntityKind::Person && !builder.order_settled && builder.key.len() > 1 {
            let first = builder.key.first().is_some_and(|part| *part == word);
            let settled = name_order_from_stylebook(config, &builder.entity.name).unwrap_or(first);
            builder.set_family_name(settled);
            builder.order_settled = true;
        }
        builder.entity.mentions.push(Mention { span, text: word_text.to_owned(), form });
    }
    let mut starting_items = Vec::with_capacity(builders.len());
    let mut entities = Vec::with_capacity(builders.len());
    for mut builder in builders {
        builder.entity.mentions.sort_by_key(|mention| (mention.span.start, mention.span.end));
        // A person with a multi-word name stays a person; otherwise the
        // majority of the proposed kinds wins (ties keep the first kind).
        let current = kind_index(builder.entity.kind);
        let best = (0..3).max_by_key(|&index| (builder.votes[index], index == current)).unwrap_or(current);
        if best != current
            && !builder.kind_fixed
            && !(builder.entity.kind == EntityKind::Person && builder.key.len() > 1)
        {
            builder.entity.kind = [EntityKind::Person, EntityKind::Organization, EntityKind::Place][best];
        }
        starting_items.push(builder.item);
        entities.push(builder.entity);
    }
    RunOutput { entities, starting_items, ambiguous }
}
/// Links one mention candidate; returns the entity it joined or started
/// (`None` when it joined nothing or only the ambiguous mentions).
#[allow(clippy::too_many_arguments)]
fn link_one(
    text: &TrackedText<'_>,
    offset: usize,
    candidate: &MentionCandidate,
    span: Span,
    mention_text: &str,
    config: &Config,
    key_buffer: &mut Vec<String>,
    builders: &mut Vec<Builder>,
    index: &mut BuilderIndex,
    ambiguous: &mut Vec<PendingAmbiguous>,
    item: u32,
) -> Option<usize> {
    fill_name_key(mention_text, key_buffer);
    let key: &[String] = key_buffer;
    if key.is_empty() {
        return None;
    }
    let title = candidate.title.as_ref().map(|title| Title {
        text: title.text.clone(),
        normalized: title.normalized.clone(),
        span: title.span.shifted(offset),
    });
    let mention = |form: MentionForm| Mention { span, text: mention_text.to_owned(), form };

    match candidate.form {
        // Title-alone items never reach this pass (`link_items` leaves
        // them to `resolve_titles`).
        MentionForm::Title => return None,
        MentionForm::Acronym => {
            let lower = mention_text.to_lowercase();
            if let Some(found) = lowest(index.by_acronym.get(&lower).into_iter().flatten(), |candidate| {
                builders[candidate].acronym.as_deref() == Some(lower.as_str())
            }) {
                builders[found].entity.mentions.push(mention(MentionForm::Acronym));
                return Some(found);
            }
            if let Some(found) = lowest(index.by_first.get(&key[0]).into_iter().flatten(), |candidate| {
                builders[candidate].entity.kind != EntityKind::Person && builders[candidate].key == key
            }) {
                let form = if builders[found].acronym.is_some() { MentionForm::Full } else { MentionForm::Acronym };
                builders[found].entity.mentions.push(mention(form));
                return Some(found);
            }
        }
        MentionForm::Partial | MentionForm::Full | MentionForm::Pronoun => {}
    }

    // A spelled-out name with its acronym, after the acronym alone (a
    // headline's "DPRK"): the acronym's entity gets the full name.
    if let Some(acronym) = candidate.acronym {
        let acronym_text = text[acronym.shifted(offset).start..acronym.shifted(offset).end].to_lowercase();
        if let Some(found) = lowest(index.by_first.get(&acronym_text).into_iter().flatten(), |candidate| {
            let builder = &builders[candidate];
            builder.entity.expansion.is_none() && builder.key.len() == 1 && builder.key[0] == acronym_text
        }) {
            let builder = &mut builders[found];
            builder.entity.name = mention_text.to_owned();
            builder.entity.expansion = Some(mention_text.to_owned());
            builder.entity.kind = candidate.kind;
            builder.kind_fixed = true;
            builder.key = key.to_vec();
            builder.acronym = Some(acronym_text);
            builder.entity.mentions.push(mention(MentionForm::Full));
            index.add(found, builder);
            return Some(found);
        }
    }

    // Same name (or the same letters in another case: "Tass" and "TASS").
    if let Some(found) = lowest(index.by_first.get(&key[0]).into_iter().flatten(), |candidate_index| {
        let builder = &builders[candidate_index];
        builder.key == key && compatible(builder.entity.kind, candidate.kind, key.len())
    }) {
        let builder = &mut builders[found];
        let form = if candidate.form == MentionForm::Acronym {
            MentionForm::Acronym
        } else if key.len() == 1 && builder.entity.kind == EntityKind::Person && builder.key.len() > 1 {
            MentionForm::Partial
        } else {
            candidate.form
        };
        builder.entity.mentions.push(mention(form));
        give_title(builder, title);
        return Some(found);
    }

    if key.len() == 1 {
        let word = &key[0];
        // A single word: a person's family name, or a short form of an organisation/place.
        let candidate_has_honorific = candidate.honorific.is_some();
        let mut people: Vec<usize> = index
            .by_first
            .get(word)
            .into_iter()
            .chain(index.by_last.get(word))
            .flatten()
            .copied()
            .filter(|&candidate| {
                let builder = &builders[candidate];
                // "Mr Howard" names a family name: when a person's name order
                // is still open, an honorific reference matches their last
                // word only ("Mr Howard" is not Howard Flight).
                let honorific_on_open_order = candidate_has_honorific && builder.family_name_first().is_none();
                // "Mr Younger" after "Sam Younger": when the family-first order
                // was only the lexicon's guess (Sam is also a family name) and
                // the first name is a common given name, an honorific before
                // the last name is the text settling the order.
                let given_name_first = candidate_has_honorific
                    && !builder.order_settled
                    && builder.key.len() == 2
                    && builder.key.last() == Some(word)
                    && builder
                        .entity
                        .name
                        .split_whitespace()
                        .next()
                        .is_some_and(|first| lexicon().is_given_name(first));
                builder.entity.kind == EntityKind::Person
                    && builder.key.len() > 1
                    && if honorific_on_open_order || given_name_first {
                        builder.key.last() == Some(word)
                    } else {
                        builder.family_name_matches(word)
                    }
            })
            .collect();
        people.sort_unstable();
        people.dedup();
        match people.as_slice() {
            [only]
                if candidate.kind == EntityKind::Person
                    || candidate.honorific.is_some()
                    || !(lexicon().is_place(mention_text) || lexicon().is_organization(mention_text)) =>
            {
                let builder = &mut builders[*only];
                if !builder.order_settled && builder.key.len() > 1 {
                    let first = builder.key.first().is_some_and(|part| part == word);
                    let settled = name_order_from_stylebook(config, &builder.entity.name).unwrap_or(first);
                    builder.set_family_name(settled);
                    builder.order_settled = true;
                }
                builder.entity.mentions.push(mention(MentionForm::Partial));
                give_title(builder, title);
                return Some(*only);
            }
            [] => {}
            several
                if candidate.kind == EntityKind::Person
                    || candidate.honorific.is_some()
                    || !(lexicon().is_place(mention_text) || lexicon().is_organization(mention_text)) =>
            {
                record_ambiguous(ambiguous, span, mention_text, several);
                return None;
            }
            _ => {}
        }
        // The last word of an organisation or place ("Tass" for "Tass news agency").
        if let Some(found) = lowest(index.by_first.get(word).into_iter().flatten(), |candidate_index| {
            let builder = &builders[candidate_index];
            builder.entity.kind != EntityKind::Person
                && builder.key.len() > 1
                && builder.key.first() == Some(word)
                && candidate.kind != EntityKind::Person
        }) {
            builders[found].entity.mentions.push(mention(MentionForm::Partial));
            return Some(found);
        }
    } else if candidate.kind == EntityKind::Person {
        // "Donald Trump" after "Trump": the single-word person grows its name.
        let single_words = index.by_first.get(&key[0]).into_iter().chain(index.by_first.get(&key[key.len() - 1]));
        let grows = lowest(single_words.flatten(), |candidate| {
            let builder = &builders[candidate];
            builder.entity.kind == EntityKind::Person
                && builder.key.len() == 1
                && (key.last() == builder.key.first() || key.first() == builder.key.first())
        });
        // "von der Leyen" or "Van den Berg" after "Ursula von der Leyen": the
        // surname with its particles.
        let surname = lowest(index.by_last.get(&key[key.len() - 1]).into_iter().flatten(), |candidate| {
            let builder = &builders[candidate];
            builder.entity.kind == EntityKind::Person
                && builder.key.len() > key.len()
                && builder.key.ends_with(key)
                && builder.entity.family_name.as_deref().is_some_and(|family| name_key(family) == key)
        });
        if let Some(found) = surname {
            builders[found].entity.mentions.push(mention(MentionForm::Partial));
            give_title(&mut builders[found], title);
            return Some(found);
        }
        // "Donald Trump" after "Donald J. Trump": a subset of a fuller name.
        let subset = lowest(index.by_first.get(&key[0]).into_iter().flatten(), |candidate| {
            let builder = &builders[candidate];
            builder.entity.kind == EntityKind::Person
                && builder.key.len() > key.len()
                && builder.key.first() == key.first()
                && builder.key.last() == key.last()
        });
        if let Some(found) = subset {
            builders[found].entity.mentions.push(mention(MentionForm::Partial));
            give_title(&mut builders[found], title);
            return Some(found);
        }
        if let Some(found) = grows {
            let builder = &mut builders[found];
            builder.entity.name = mention_text.to_owned();
            builder.key = key.to_vec();
            builder.entity.mentions.push(mention(MentionForm::Full));
            give_title(builder, title);
            apply_order(builder, candidate, config);
            index.add(found, builder);
            return Some(found);
        }
    }

    // A new entity. Room for a few mentions from the start: most entities
    // named twice are named three or four times, and growing each list from
    // one mention reallocated it twice or three times, for every entity on
    // every keystroke.
    let mut mentions = Vec::with_capacity(4);
    mentions.push(mention(candidate.form));
    let mut builder = Builder {
        entity: Entity {
            id: String::new(),
            kind: candidate.kind,
            name: mention_text.to_owned(),
            family_name: None,
            family_name_first: false,
            titles: title.into_iter().collect(),
            mentions,
            expansion: None,
            statements: Vec::new(),
        },
        key: key.to_vec(),
        acronym: candidate
            .acronym
            .map(|acronym| text[acronym.shifted(offset).start..acronym.shifted(offset).end].to_lowercase()),
        order_settled: false,
        votes: [0; 3],
        kind_fixed: false,
        item,
    };
    if builder.acronym.is_some() {
        builder.entity.expansion = Some(mention_text.to_owned());
        builder.kind_fixed = true;
    }
    if candidate.kind == EntityKind::Person {
        if builder.key.len() == 1 {
            builder.entity.family_name = Some(mention_text.to_owned());
        } else {
            apply_order(&mut builder, candidate, config);
        }
    }
    index.add(builders.len(), &builder);
    builders.push(builder);
    Some(builders.len() - 1)
}

/// Gives the builder the title a mention brought, if any. Nothing in the
/// passes looks people up by title: title-alone references are resolved
/// after them ([`resolve_titles`]).
fn give_title(builder: &mut Builder, title: Option<Title>) {
    if let Some(title) = title {
        builder.entity.titles.push(title);
    }
}

/// The entities (by position) filed under each word that link_one looks
/// them up by: the first and last words of their name key and their acronym.
/// An entity whose name grows is filed again under its new words; old entries
/// stay, and every lookup checks the entity itself, so they only cost a test.
#[derive(Debug, Default)]
struct BuilderIndex {
    by_first: WordIndex,
    by_last: WordIndex,
    by_acronym: WordIndex,
}

impl BuilderIndex {
    fn add(&mut self, position: usize, builder: &Builder) {
        let file = |map: &mut WordIndex, word: &str| map.file(word, position);
        if let (Some(first), Some(last)) = (builder.key.first(), builder.key.last()) {
            file(&mut self.by_first, first);
            file(&mut self.by_last, last);
        }
        if let Some(acronym) = &builder.acronym {
            file(&mut self.by_acronym, acronym);
        }
    }
}

/// Entities (by position) filed under words. A word is filed under its Fx
/// hash, not as a string: a long draft files thousands of words on every
/// keystroke, and the string each needed (and freed) was a visible share of
/// the linking. Two words with one hash would share a list, which is safe:
/// every lookup checks the entity itself (its name key, acronym or titles),
/// and takes the lowest match or sorts and dedups, so a stranger in a list
/// only costs a test.
#[derive(Debug, Default)]
struct WordIndex {
    lists: FxHashMap<u64, Vec<usize>>,
}

impl WordIndex {
    fn key(word: &str) -> u64 {
        use std::hash::Hasher;
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(word.as_bytes());
        hasher.finish()
    }

    /// The entities filed under `word` (and any word with its hash).
    fn get(&self, word: &str) -> Option<&Vec<usize>> {
        self.lists.get(&WordIndex::key(word))
    }

    /// Files `position` under `word`. A list may name an entity twice (filed
    /// again after its name grew or it gained a title); every lookup takes
    /// the lowest match or sorts and dedups, so a repeat costs only a test,
    /// where checking the whole list on every filing was quadratic for
    /// common words.
    fn file(&mut self, word: &str, position: usize) {
        let positions = self.lists.entry(WordIndex::key(word)).or_default();
        if positions.last() != Some(&position) {
            positions.push(position);
        }
    }
}

/// The first entity (lowest position, as a scan in document order would find)
/// among `candidates` that satisfies `matches`.
fn lowest<'a>(candidates: impl IntoIterator<Item = &'a usize>, matches: impl Fn(usize) -> bool) -> Option<usize> {
    candidates.into_iter().copied().filter(|&candidate| matches(candidate)).min()
}

/// Organisations and places may be tagged either way from one mention to the
/// next; people are only ever the same as people.
fn compatible(existing: EntityKind, new: EntityKind, words: usize) -> bool {
    existing == new || (existing != EntityKind::Person && new != EntityKind::Person) || words == 1
}

fn apply_order(builder: &mut Builder, candidate: &MentionCandidate, config: &Config) {
    if let Some(first) = name_order_from_stylebook(config, &builder.entity.name) {
        builder.set_family_name(first);
        builder.order_settled = true;
    } else if let Some(first) = candidate.family_name_first {
        builder.set_family_name(first);
    } else {
        // Unknown order: leave the family name open; a later single-word reference settles it.
        let last = builder.entity.name.split_whitespace().last().unwrap_or_default();
        let has_particle =
            builder.entity.name.split_whitespace().any(|word| word.chars().next().is_some_and(char::is_lowercase));
        if has_particle || lexicon().family_name_order(last).is_some() {
            builder.set_family_name(false);
        }
    }
}

/// Records an ambiguous mention; the run numbers its item and the
/// candidates become ids when the run's entities have their places.
/// What [`resolve_titles`] decided: the title-alone references that name
/// one person, as that person's new mentions, and the ambiguous ones, each
/// naming its candidates by position; both in text order.
#[derive(Debug, Default)]
struct TitleResolution {
    assigned: Vec<(usize, Mention)>,
    ambiguous: Vec<PendingAmbiguous>,
}

/// Resolves title-alone references ("the minister", `title_items`, in text
/// order) against the linked entities (`entity_at` gives the entity at each
/// of `entity_count` positions): a title names the people of kind person
/// carrying a title with its last word, brought by a title written before
/// it. One such person is meant; of several, the one whose last mention
/// before the title ends within [`RECENT_BYTES`] of it, when it is the
/// latest of them; otherwise the reference is ambiguous.
///
/// It runs after both linking passes, on their output, because no other
/// decision of the linking reads what it decides: only later titles read
/// the mentions it adds (a person's last mention), and they come after it
/// here too. That keeps titles out of the linking's components, which a
/// title word common in political copy ("minister") would otherwise join
/// into one holding most of the draft's people (`dependencies.rs`).
///
/// `stale_from`: mentions of the title form from there on are an earlier
/// resolution's, being redone, and are not read (`relink`).
fn resolve_titles<'e>(
    text: &TrackedText<'_>,
    title_items: &[CandidateItem<'_>],
    entity_count: usize,
    entity_at: impl Fn(usize) -> &'e Entity,
    stale_from: usize,
) -> TitleResolution {
    let mut resolution = TitleResolution::default();
    if title_items.is_empty() {
        return resolution;
    }
    // Each title's span, text and last word, read once.
    let mut key = Vec::new();
    let mut titles: Vec<(Span, &str, String)> = Vec::with_capacity(title_items.len());
    for item in title_items {
        let span = item.candidate.span.shifted(item.offset);
        let Some(mention_text) = text.get(span.start..span.end) else { continue };
        fill_name_key(mention_text, &mut key);
        if let Some(head) = key.last() {
            titles.push((span, mention_text, head.clone()));
        }
    }
    // The people carrying each of those words in a title, in position
    // order, with where the first such title starts.
    let mut carriers: FxHashMap<&str, Vec<(usize, usize)>> = FxHashMap::default();
    for (_, _, head) in &titles {
        carriers.entry(head.as_str()).or_default();
    }
    for position in 0..entity_count {
        let entity = entity_at(position);
        if entity.kind != EntityKind::Person {
            continue;
        }
        for title in &entity.titles {
            for word in title.normalized.split(' ') {
                if let Some(people) = carriers.get_mut(word) {
                    match people.last_mut() {
                        Some((person, start)) if *person == position => *start = (*start).min(title.span.start),
                        _ => people.push((position, title.span.start)),
                    }
                }
            }
        }
    }
    // The end of a person's last mention starting before `before`: one of
    // the entity's own (not quote linking's pronouns, nor a stale title),
    // or one this resolution gave, whichever starts later.
    let mut given: FxHashMap<usize, Span> = FxHashMap::default();
    let latest = |position: usize, before: usize, given: &FxHashMap<usize, Span>| {
        let mentions = &entity_at(position).mentions;
        let own = mentions[..mentions.partition_point(|mention| mention.span.start < before)]
            .iter()
            .rev()
            .find(|mention| match mention.form {
                MentionForm::Pronoun => false,
                MentionForm::Title => mention.span.start < stale_from,
                _ => true,
            })
            .map(|mention| mention.span);
        let given = given.get(&position).copied().filter(|span| span.start < before);
        match (own, given) {
            (Some(own), Some(given)) => {
                if given.start > own.start {
                    given.end
                } else {
                    own.end
                }
            }
            (Some(span), None) | (None, Some(span)) => span.end,
            (None, None) => 0,
        }
    };
    let mut matching = Vec::new();
    for (span, mention_text, head) in &titles {
        matching.clear();
        matching.extend(
            carriers[head.as_str()]
                .iter()
                .filter(|(_, title_start)| *title_start < span.start)
                .map(|(person, _)| *person),
        );
        let chosen = match matching.as_slice() {
            [] => continue,
            [only] => Some(*only),
            // Of ties, the last: as `Iterator::max_by_key` has it.
            several => several
                .iter()
                .copied()
                .max_by_key(|&person| latest(person, span.start, &given))
                // The distance is recorded when close to the limit: an
                // edit between the two mentions could change the answer.
                .filter(|&recent| text.within_distance(latest(recent, span.start, &given), span.start, RECENT_BYTES)),
        };
        match chosen {
            Some(person) => {
                given.insert(person, *span);
                resolution.assigned.push((
                    person,
                    Mention { span: *span, text: (*mention_text).to_owned(), form: MentionForm::Title },
                ));
            }
            None => record_ambiguous(&mut resolution.ambiguous, *span, mention_text, &matching),
        }
    }
    resolution
}

/// The title-alone items among `candidates`, in text order.
fn title_items<'a>(candidates: &[CandidateItem<'a>]) -> Vec<CandidateItem<'a>> {
    candidates.iter().filter(|item| item.candidate.form == MentionForm::Title).copied().collect()
}

/// A whole linking's run completed with its title-alone references
/// ([`resolve_titles`]): their mentions added to the people they name,
/// their ambiguities among the others in text order (recorded by no item).
fn complete_with_titles(text: &TrackedText<'_>, candidates: &[CandidateItem<'_>], run: &mut RunOutput) {
    let resolution =
        resolve_titles(text, &title_items(candidates), run.entities.len(), |position| &run.entities[position], 0);
    let mut touched = Vec::new();
    for (person, mention) in resolution.assigned {
        run.entities[person].mentions.push(mention);
        touched.push(person);
    }
    touched.sort_unstable();
    touched.dedup();
    for person in touched {
        run.entities[person].mentions.sort_by_key(|mention| (mention.span.start, mention.span.end));
    }
    if !resolution.ambiguous.is_empty() {
        let name_ambiguous = std::mem::take(&mut run.ambiguous);
        run.ambiguous = merge_by_start(name_ambiguous, resolution.ambiguous, |ambiguous| ambiguous.span.start);
    }
}

/// Two lists in text order merged into one, the first's first on a tie.
fn merge_by_start<T>(first: Vec<T>, second: Vec<T>, start: impl Fn(&T) -> usize) -> Vec<T> {
    let mut merged = Vec::with_capacity(first.len() + second.len());
    let (mut first, mut second) = (first.into_iter().peekable(), second.into_iter().peekable());
    while let (Some(a), Some(b)) = (first.peek(), second.peek()) {
        if start(b) < start(a) {
            merged.extend(second.next());
        } else {
            merged.extend(first.next());
        }
    }
    merged.extend(first);
    merged.extend(second);
    merged
}

fn record_ambiguous(ambiguous: &mut Vec<PendingAmbiguous>, span: Span, text: &str, candidates: &[usize]) {
    ambiguous.push(PendingAmbiguous { span, text: text.to_owned(), candidates: candidates.to_vec(), item: u32::MAX });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The people of `text` under `stylebook`: name, family name, whether it
    /// comes first, and the short forms linked to each.
    fn people(text: &str, stylebook: &str) -> String {
        let config = Config::from_toml_str(stylebook).unwrap_or_else(|error| panic!("{stylebook:?}: {error}"));
        let analysis = crate::analyze(text, crate::DocumentKind::PlainText, &config);
        let mut lines = Vec::new();
        for entity in analysis.entities.iter().filter(|entity| entity.kind == EntityKind::Person) {
            let partial: Vec<&str> = entity
                .mentions
                .iter()
                .filter(|mention| mention.form == MentionForm::Partial)
                .map(|mention| mention.text.as_str())
                .collect();
            lines.push(format!(
                "{}: family {:?}{}, partial {partial:?}",
                entity.name,
                entity.family_name.as_deref().unwrap_or("?"),
                if entity.family_name_first { " first" } else { "" }
            ));
        }
        lines.join("\n")
    }

    #[test]
    fn the_stylebook_settles_a_name_order_the_text_leaves_open() {
        // Neither the text nor the lexicon says which of "Tran Anh" is the
        // family name until a bare word settles it; the stylebook does.
        let text = "Harbour pilots meet\nHarbour pilot Tran Anh met the council on Monday.\nTran Anh said the channel was too shallow.\n";
        let without = people(text, "");
        let family_first = people(text, "[[people]]\nname = \"Tran Anh\"\nname_order = \"family-first\"\n");
        let given_first = people(text, "[[people]]\nname = \"Tran Anh\"\nname_order = \"given-first\"\n");
        assert_eq!(family_first, "Tran Anh: family \"Tran\" first, partial []", "without a stylebook: {without}");
        assert_eq!(given_first, "Tran Anh: family \"Anh\", partial []");
    }

    #[test]
    fn the_stylebook_outweighs_a_bare_surname_in_the_text() {
        // A later bare "Tran" would read as the family name coming first; a
        // stylebook that says otherwise wins, and "Anh" is then the short form.
        let text = "Harbour pilots meet\nHarbour pilot Tran Anh met the council on Monday.\nAnh said the channel was too shallow.\n";
        let given_first = people(text, "[[people]]\nname = \"Tran Anh\"\nname_order = \"given-first\"\n");
        assert_eq!(given_first, "Tran Anh: family \"Anh\", partial [\"Anh\"]");
        // Family first, the bare "Anh" is the given name: not a reference to
        // Tran Anh by family name (it is left to stand on its own).
        let family_first = people(text, "[[people]]\nname = \"Tran Anh\"\nname_order = \"family-first\"\n");
        assert_eq!(family_first.lines().next(), Some("Tran Anh: family \"Tran\" first, partial []"));
    }

    #[test]
    fn a_reused_key_buffer_gives_the_same_key_as_a_fresh_one() {
        // Longer names first, so later ones must drop the buffer's stale words.
        let names = [
            "Ursula von der Leyen",
            "Kim Jong-un",
            "ÉLODIE Ørsted",
            "ΟΔΥΣΣΕΑΣ",
            "Tass",
            "  Choe   Son‐Hui ",
            "",
            "Mohammed bin Salman",
        ];
        let mut buffer = Vec::new();
        for name in names {
            fill_name_key(name, &mut buffer);
            assert_eq!(buffer, name_key(name), "{name:?}");
        }
        // The final sigma lowercases as at the end of a word, as `str::to_lowercase` does.
        assert_eq!(name_key("ΟΔΥΣΣΕΑΣ"), ["οδυσσεας"]);
    }
}
