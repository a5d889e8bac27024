//! The statistical name tagger: a greedy averaged perceptron over hashed
//! features, labelling tokens B-/I- PER, ORG, LOC, MISC or O.
//!
//! Trained by `scripts/train-tagger.sh` (which runs the `train_tagger`
//! example) on CoNLL-2003 `eng.train`; the weights ship as
//! `server/analysis/data/tagger.bin` (learned numbers only, no text) and are
//! compiled in with `include_bytes!`, so nothing is read at run time.
//!
//! Speed is the design constraint (a million words a second for the whole
//! analysis): only *candidate* tokens are scored (capitalised words, and the
//! few lowercase connectors that continue a name: "Bank of England", "van
//! Gogh"); every other token is `O` at the cost of one comparison. Per scored
//! token the work is about thirty hash-table probes into a compact table of
//! `i16` weights, with no allocation: features are hashed straight from the
//! token bytes.

use std::ops::Range;
use std::sync::OnceLock;

use super::lexicon::{FastMap, NAME_PARTICLES, in_list, lexicon};
use super::names::{Label, Proposal};
use super::tokens::{Capitalization, Token, TokenKind};

/// Bump when the features change: a model trained on other features is ignored.
pub const FEATURE_VERSION: u32 = 2;

const MAGIC: &[u8; 4] = b"CDTG";

/// The tags, in weight-vector order.
pub const TAGS: usize = 9;
const O: usize = 0;

/// Tag index for a label and position (begin/inside).
pub const fn tag_of(label: Label, inside: bool) -> usize {
    let base = match label {
        Label::Person => 1,
        Label::Organization => 3,
        Label::Place => 5,
        Label::Misc => 7,
    };
    base + inside as usize
}

const fn label_of(tag: usize) -> Option<Label> {
    match tag {
        1 | 2 => Some(Label::Person),
        3 | 4 => Some(Label::Organization),
        5 | 6 => Some(Label::Place),
        7 | 8 => Some(Label::Misc),
        _ => None,
    }
}

const fn is_inside(tag: usize) -> bool {
    tag != O && tag % 2 == 0
}

/// An I- tag may only follow a B- or I- tag of the same label.
const fn allowed(previous: usize, tag: usize) -> bool {
    !is_inside(tag) || (previous != O && previous.div_ceil(2) == tag / 2)
}

const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline]
fn mix(hash: u64, value: u64) -> u64 {
    (hash.rotate_left(5) ^ value).wrapping_mul(MIX)
}

#[inline]
fn finish(hash: u64) -> u64 {
    let hash = hash ^ (hash >> 29);
    hash.wrapping_mul(0xBF58_476D_1CE4_E5B9) ^ (hash >> 32)
}

/// Hash of the lowercase form of `text`, without allocating.
#[inline]
fn hash_lower(text: &str) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    if text.is_ascii() {
        for byte in text.bytes() {
            hash = mix(hash, u64::from(byte.to_ascii_lowercase()));
        }
    } else {
        for character in text.chars().flat_map(char::to_lowercase) {
            hash = mix(hash, u64::from(u32::from(character)));
        }
    }
    hash
}

#[inline]
fn hash_exact(text: &str) -> u64 {
    let mut hash = 0x8422_2325_cbf2_9ce4u64;
    for byte in text.bytes() {
        hash = mix(hash, u64::from(byte));
    }
    hash
}

/// Word shape with repeats collapsed: "Kim" -> "Xx", "U.S." -> "X.X.", "1996" -> "d".
#[inline]
fn hash_shape(text: &str) -> u64 {
    let mut hash = 0x2545_F491_4F6C_DD1Du64;
    let mut last = 0u8;
    let mut length = 0u64;
    for character in text.chars() {
        length += 1;
        let class = if character.is_uppercase() {
            b'X'
        } else if character.is_lowercase() {
            b'x'
        } else if character.is_ascii_digit() {
            b'd'
        } else if character.is_alphabetic() {
            b'a'
        } else {
            match character {
                '.' | '-' | '\'' | '&' | '/' => character as u8,
                _ => b'p',
            }
        };
        if class != last {
            hash = mix(hash, u64::from(class));
            last = class;
        }
    }
    mix(hash, length.min(6))
}

/// The lowercase hash of a prefix or suffix of up to `count` characters.
#[inline]
fn hash_affix(text: &str, count: usize, suffix: bool) -> u64 {
    let characters = text.chars().count();
    if characters <= count {
        return hash_lower(text).wrapping_add(count as u64);
    }
    let cut = if suffix {
        text.char_indices().nth(characters - count).map_or(0, |(index, _)| index)
    } else {
        text.char_indices().nth(count).map_or(text.len(), |(index, _)| index)
    };
    let part = if suffix { &text[cut..] } else { &text[..cut] };
    mix(hash_lower(part), if suffix { 7 } else { 11 } + count as u64)
}

/// Per-token hashes computed once per sentence.
#[derive(Debug, Clone, Copy, Default)]
struct TokenHashes {
    lower: u64,
    exact: u64,
    shape: u64,
    /// Bit flags from the lexicons (see `lexicon_flags`).
    flags: u64,
}

const BOUNDARY_BEFORE: u64 = 0x1234_5678;
const BOUNDARY_AFTER: u64 = 0x8765_4321;

fn lexicon_flags(prose: &str, tokens: &[Token], index: usize, sentence: &Range<usize>) -> u64 {
    let lexicon = lexicon();
    let token = tokens[index];
    let text = token.text(prose);
    let mut flags = 0u64;
    if token.kind != TokenKind::Word {
        return 0;
    }
    if token.caps.is_capitalized() {
        if lexicon.is_place(text) {
            flags |= 1;
        }
        if lexicon.is_organization(text) {
            flags |= 2;
        }
        if let Some(order) = lexicon.family_name_order(text) {
            flags |= if order.written_first > order.written_last { 4 } else { 8 };
        }
        if lexicon.is_given_name(text) {
            flags |= 16;
        }
        if lexicon.nationality(text).is_some() {
            flags |= 32;
        }
        // Part of a multi-word place or organisation in the lexicon.
        for (start, end) in [(1usize, 0usize), (0, 1), (2, 0), (0, 2), (1, 1)] {
            if index < sentence.start + start || index + end >= sentence.end {
                continue;
            }
            let span_text = &prose[tokens[index - start].span.start..tokens[index + end].span.end];
            if lexicon.is_place(span_text) {
                flags |= if start == 0 { 64 } else { 128 };
            }
            if lexicon.is_organization(span_text) {
                flags |= if start == 0 { 256 } else { 512 };
            }
        }
    }
    if lexicon.is_title_word(text) {
        flags |= 1024;
    }
    flags
}

/// Whether a token is scored at all, given the previous tag.
#[inline]
fn is_candidate(prose: &str, token: Token, previous_tag: usize, next: Option<Token>) -> bool {
    match token.kind {
        TokenKind::Word => {
            if matches!(token.caps, Capitalization::Title | Capitalization::Upper | Capitalization::Mixed) {
                return true;
            }
            previous_tag != O
                && next.is_some_and(|next| next.kind == TokenKind::Word && next.caps.is_capitalized())
                && (in_list(
                    &["of", "and", "for", "the", "on", "in", "du", "des", "del", "und", "et"],
                    token.text(prose),
                ) || in_list(NAME_PARTICLES, token.text(prose)))
        }
        TokenKind::Possessive => {
            previous_tag != O && next.is_some_and(|next| next.kind == TokenKind::Word && next.caps.is_capitalized())
        }
        TokenKind::Punct => {
            previous_tag != O
                && matches!(token.text(prose), "&" | "/")
                && next.is_some_and(|next| next.kind == TokenKind::Word && next.caps.is_capitalized())
        }
        TokenKind::Number => false,
    }
}

/// The feature hashes of token `index` given the two previous tags; calls `sink` for each.
#[inline]
#[allow(clippy::too_many_arguments)] // One call site; a struct would only rename the arguments.
fn features(
    hashes: &[TokenHashes],
    tokens: &[Token],
    prose: &str,
    index: usize,
    previous: usize,
    previous2: usize,
    all_caps: bool,
    remembered: u64,
    mut sink: impl FnMut(u64),
) {
    let token = tokens[index];
    let text = token.text(prose);
    let here = hashes[index];
    let before = |offset: usize| if index >= offset { hashes[index - offset] } else { boundary(BOUNDARY_BEFORE) };
    let after = |offset: usize| hashes.get(index + offset).copied().unwrap_or(boundary(BOUNDARY_AFTER));
    let (p1, p2, n1, n2) = (before(1), before(2), after(1), after(2));
    let mut emit = |template: u64, value: u64| sink(finish(mix(mix(0, template), value)));
    emit(0, 0);
    emit(1, here.lower);
    emit(2, here.exact);
    emit(3, here.shape);
    emit(4, hash_affix(text, 3, false));
    emit(5, hash_affix(text, 3, true));
    emit(6, hash_affix(text, 2, true));
    emit(7, hash_affix(text, 4, true));
    emit(8, p1.lower);
    emit(9, n1.lower);
    emit(10, p2.lower);
    emit(11, n2.lower);
    emit(12, mix(p1.lower, here.lower));
    emit(13, mix(here.lower, n1.lower));
    emit(14, mix(mix(p1.shape, here.shape), n1.shape));
    emit(15, previous as u64);
    emit(16, (previous * TAGS + previous2) as u64);
    emit(17, mix(previous as u64, here.lower));
    emit(18, mix(u64::from(index == 0), here.shape));
    if index == 0 {
        emit(19, here.lower);
    }
    emit(20, mix(u64::from(all_caps), here.shape));
    if all_caps {
        emit(21, here.lower);
    }
    emit(22, here.flags);
    emit(23, mix(p1.flags, n1.flags));
    emit(24, mix(p1.lower, here.shape));
    emit(25, mix(here.shape, n1.lower));
    emit(26, mix(previous as u64, n1.shape));
    emit(27, mix(p1.shape, n1.shape));
    emit(28, mix(previous as u64, here.shape));
    emit(29, mix(previous as u64, hash_affix(text, 3, true)));
    emit(30, mix(here.flags, here.shape));
    emit(31, remembered);
    emit(32, mix(remembered, here.shape));
    emit(33, mix(remembered, u64::from(index == 0)));
}

fn boundary(value: u64) -> TokenHashes {
    TokenHashes { lower: value, exact: value, shape: value, flags: value }
}

/// A trained model: hashed feature keys to per-tag weights.
#[derive(Debug)]
pub struct Model {
    /// Open-addressing table of (key, weights); key 0 means empty. Key and
    /// weights share one slot so a probe touches one cache line.
    slots: Vec<Slot>,
    mask: usize,
}

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: u32,
    weights: [i16; TAGS],
}

impl Model {
    /// Parses the model bytes; `None` when they are not a model for these features.
    pub fn from_bytes(bytes: &[u8]) -> Option<Model> {
        if bytes.len() < 16 || &bytes[..4] != MAGIC {
            return None;
        }
        let read_u32 =
            |at: usize| bytes.get(at..at + 4).map(|slice| u32::from_le_bytes([slice[0], slice[1], slice[2], slice[3]]));
        if read_u32(4)? != FEATURE_VERSION {
            return None;
        }
        let count = read_u32(8)? as usize;
        let entry = 4 + 2 * TAGS;
        let body = bytes.get(12..12 + count * entry)?;
        let capacity = (count * 2).next_power_of_two().max(16);
        let mut slots = vec![Slot::default(); capacity];
        let mask = capacity - 1;
        for chunk in body.chunks_exact(entry) {
            let key = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]).max(1);
            let mut vector = [0i16; TAGS];
            for (tag, slot) in vector.iter_mut().enumerate() {
                *slot = i16::from_le_bytes([chunk[4 + 2 * tag], chunk[5 + 2 * tag]]);
            }
            let mut slot = key as usize & mask;
            while slots[slot].key != 0 && slots[slot].key != key {
                slot = (slot + 1) & mask;
            }
            slots[slot] = Slot { key, weights: vector };
        }
        Some(Model { slots, mask })
    }

    #[inline]
    fn add_scores(&self, feature: u64, scores: &mut [i32; TAGS]) {
        let key = ((feature >> 32) as u32).max(1);
        let mut slot = key as usize & self.mask;
        loop {
            let found = self.slots[slot];
            if found.key == key {
                for (score, weight) in scores.iter_mut().zip(found.weights) {
                    *score += i32::from(weight);
                }
                return;
            }
            if found.key == 0 {
                return;
            }
            slot = (slot + 1) & self.mask;
        }
    }

    /// Tags one sentence and returns the typed spans. `history` carries what
    /// earlier sentences of the paragraph said about the same words.
    pub fn propose(
        &self,
        prose: &str,
        tokens: &[Token],
        sentence: Range<usize>,
        history: &mut History,
    ) -> Vec<Proposal> {
        let tags = tag_sentence(prose, tokens, sentence.clone(), history, |feature_sink| {
            let mut scores = [0i32; TAGS];
            feature_sink(&mut |feature| self.add_scores(feature, &mut scores));
            scores.map(|score| score as f32)
        });
        spans_from_tags(tokens, sentence, &tags)
    }
}

/// What the tagger said about each capitalised word earlier in the paragraph
/// (keyed by the word's lowercase hash): a later "Simmons" at the start of a
/// sentence is read in the light of "Phil Simmons" before it. One per paragraph.
#[derive(Debug, Default)]
pub struct History {
    labels: FastMap<u64, u8>,
}

impl History {
    fn recall(&self, word: u64) -> u64 {
        self.labels.get(&word).map_or(99, |&label| u64::from(label))
    }

    fn remember(&mut self, word: u64, tag: usize) {
        let label = match label_of(tag) {
            None => 0,
            Some(Label::Person) => 1,
            Some(Label::Organization) => 2,
            Some(Label::Place) => 3,
            Some(Label::Misc) => 4,
        };
        self.labels.insert(word, label);
    }
}

/// Greedy left-to-right tagging. `score` receives a feature enumerator and
/// returns the score of each tag.
pub fn tag_sentence(
    prose: &str,
    tokens: &[Token],
    sentence: Range<usize>,
    history: &mut History,
    mut score: impl FnMut(&mut dyn FnMut(&mut dyn FnMut(u64))) -> [f32; TAGS],
) -> Vec<usize> {
    let slice = &tokens[sentence.clone()];
    let mut tags = vec![O; slice.len()];
    if !slice.iter().any(|token| token.kind == TokenKind::Word && token.caps != Capitalization::Lower) {
        return tags;
    }
    let hashes = sentence_hashes(prose, tokens, &sentence);
    let all_caps = is_all_caps(prose, slice);
    let (mut previous, mut previous2) = (O, O);
    for index in 0..slice.len() {
        if !is_candidate(prose, slice[index], previous, slice.get(index + 1).copied()) {
            previous2 = previous;
            previous = O;
            continue;
        }
        let remembered = history.recall(hashes[index].lower);
        let scores = score(&mut |sink| {
            features(&hashes, slice, prose, index, previous, previous2, all_caps, remembered, sink);
        });
        let mut best = O;
        let mut best_score = f32::MIN;
        for (tag, &value) in scores.iter().enumerate() {
            if allowed(previous, tag) && value > best_score {
                best = tag;
                best_score = value;
            }
        }
        // Lowercase connectors only continue a name, and only a person's name
        // when they are particles ("van der", "bin"), never "of" or "in".
        if !slice[index].caps.is_capitalized() && slice[index].caps != Capitalization::Mixed {
            let person_particle = in_list(NAME_PARTICLES, slice[index].text(prose));
            if !is_inside(best) || (label_of(best) == Some(Label::Person) && !person_particle) {
                best = O;
            }
        }
        tags[index] = best;
        if slice[index].caps.is_capitalized() {
            history.remember(hashes[index].lower, best);
        }
        previous2 = previous;
        previous = best;
    }
    tags
}

fn is_all_caps(prose: &str, slice: &[Token]) -> bool {
    let mut letters = 0;
    for token in slice {
        if token.kind == TokenKind::Word {
            if matches!(token.caps, Capitalization::Lower | Capitalization::Title | Capitalization::Mixed)
                && token.text(prose).chars().count() > 1
            {
                return false;
            }
            letters += 1;
        }
    }
    letters > 1
}

fn sentence_hashes(prose: &str, tokens: &[Token], sentence: &Range<usize>) -> Vec<TokenHashes> {
    tokens[sentence.clone()]
        .iter()
        .enumerate()
        .map(|(offset, token)| {
            let text = token.text(prose);
            TokenHashes {
                lower: hash_lower(text),
                exact: hash_exact(text),
                shape: hash_shape(text),
                flags: lexicon_flags(prose, tokens, sentence.start + offset, sentence),
            }
        })
        .collect()
}

/// Turns tags into typed token spans, dropping trailing connectors.
pub fn spans_from_tags(tokens: &[Token], sentence: Range<usize>, tags: &[usize]) -> Vec<Proposal> {
    let mut proposals = Vec::new();
    let mut index = 0;
    while index < tags.len() {
        let Some(label) = label_of(tags[index]) else {
            index += 1;
            continue;
        };
        let start = index;
        index += 1;
        // Two person names never touch without punctuation in edited copy;
        // a B-PER right after a person name continues it ("Walter Little").
        while index < tags.len()
            && label_of(tags[index]) == Some(label)
            && (is_inside(tags[index]) || label == Label::Person)
        {
            index += 1;
        }
        let mut end = index;
        while end > start + 1 {
            let token = tokens[sentence.start + end - 1];
            if token.kind == TokenKind::Word && (token.caps.is_capitalized() || token.caps == Capitalization::Mixed) {
                break;
            }
            end -= 1;
        }
        proposals.push(Proposal { tokens: sentence.start + start..sentence.start + end, label });
    }
    proposals
}

const MODEL_BYTES: &[u8] = include_bytes!("../../data/tagger.bin");

/// The compiled-in model, or `None` when the shipped weights do not match
/// [`FEATURE_VERSION`] (then the rule proposer does the work).
pub fn model() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL.get_or_init(|| Model::from_bytes(MODEL_BYTES)).as_ref()
}

/// Training: an averaged perceptron over the same features, on CoNLL-2003
/// style data. Pure (text in, bytes out); the example binary does the IO.
pub mod training {
    use super::*;
    use crate::evaluation::conll::{ConllDocument, parse_documents};

    struct Example {
        text: String,
        tokens: Vec<Token>,
        sentences: Vec<Range<usize>>,
        gold: Vec<usize>,
    }

    fn prepare(document: &ConllDocument) -> Example {
        let text = document.text.clone();
        let tokens = crate::entities::tokens::tokenize(&text);
        let sentences = crate::entities::sentences::sentence_token_ranges(&text, &tokens);
        let mut gold = vec![O; tokens.len()];
        for entity in &document.entities {
            let Some(label) = entity.label else { continue };
            let mut first = true;
            for (index, token) in tokens.iter().enumerate() {
                if token.span.start >= entity.span.start && token.span.end <= entity.span.end {
                    gold[index] = tag_of(label, !first);
                    first = false;
                }
            }
        }
        Example { text, tokens, sentences, gold }
    }

    #[derive(Clone, Copy, Default)]
    struct Weight {
        value: [f32; TAGS],
        total: [f32; TAGS],
        stamp: [u32; TAGS],
    }

    /// Trains for `epochs` passes and returns the model bytes.
    pub fn train(conll_text: &str, epochs: usize) -> Vec<u8> {
        let documents = parse_documents(conll_text);
        let examples: Vec<Example> = documents.iter().map(prepare).collect();
        let mut weights: FastMap<u64, Weight> = FastMap::default();
        let mut clock: u32 = 0;
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..epochs {
            for index in (1..order.len()).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                order.swap(index, (seed % (index as u64 + 1)) as usize);
            }
            for &document in &order {
                let example = &examples[document];
                let mut history = History::default();
                for range in example.sentences.clone() {
                    let gold = &example.gold[range.clone()];
                    let mut pending: Vec<Vec<u64>> = Vec::new();
                    let predicted_tags =
                        tag_sentence(&example.text, &example.tokens, range.clone(), &mut history, |enumerate| {
                            let mut feature_list = Vec::with_capacity(32);
                            enumerate(&mut |feature| feature_list.push(feature));
                            let mut scores = [0f32; TAGS];
                            for feature in &feature_list {
                                if let Some(weight) = weights.get(feature) {
                                    for (score, value) in scores.iter_mut().zip(weight.value) {
                                        *score += value;
                                    }
                                }
                            }
                            pending.push(feature_list);
                            scores
                        });
                    // Map scored calls back to token positions: tag_sentence calls
                    // `score` once per candidate token, in order.
                    let candidates =
                        candidate_positions(&example.text, &example.tokens, range.clone(), &predicted_tags);
                    for (feature_list, token_index) in pending.into_iter().zip(candidates) {
                        let predicted = predicted_tags[token_index];
                        let truth = gold[token_index];
                        clock += 1;
                        if predicted == truth {
                            continue;
                        }
                        for feature in feature_list {
                            let weight = weights.entry(feature).or_default();
                            for (tag, delta) in [(truth, 1.0f32), (predicted, -1.0)] {
                                let elapsed = (clock - weight.stamp[tag]) as f32;
                                weight.total[tag] += elapsed * weight.value[tag];
                                weight.stamp[tag] = clock;
                                weight.value[tag] += delta;
                            }
                        }
                    }
                }
            }
        }
        // Average and quantise.
        let mut averaged: Vec<(u32, [f32; TAGS])> = Vec::with_capacity(weights.len());
        for (feature, mut weight) in weights {
            let mut vector = [0f32; TAGS];
            for (tag, slot) in vector.iter_mut().enumerate() {
                let elapsed = (clock - weight.stamp[tag]) as f32;
                weight.total[tag] += elapsed * weight.value[tag];
                *slot = weight.total[tag] / clock.max(1) as f32;
            }
            // The shipped table keys features by the high 32 bits of their hash.
            averaged.push((((feature >> 32) as u32).max(1), vector));
        }
        serialize(averaged)
    }

    /// Positions (within the sentence) of the tokens `tag_sentence` scored.
    fn candidate_positions(prose: &str, tokens: &[Token], sentence: Range<usize>, predicted: &[usize]) -> Vec<usize> {
        let slice = &tokens[sentence];
        let mut positions = Vec::new();
        if !slice.iter().any(|token| token.kind == TokenKind::Word && token.caps != Capitalization::Lower) {
            return positions;
        }
        let mut previous = O;
        for index in 0..slice.len() {
            if is_candidate(prose, slice[index], previous, slice.get(index + 1).copied()) {
                positions.push(index);
                previous = predicted[index];
            } else {
                previous = O;
            }
        }
        positions
    }

    fn serialize(averaged: Vec<(u32, [f32; TAGS])>) -> Vec<u8> {
        let largest =
            averaged.iter().flat_map(|(_, vector)| vector.iter()).fold(0f32, |max, value| max.max(value.abs()));
        let scale = if largest > 0.0 { 32000.0 / largest } else { 1.0 };
        let mut kept: Vec<(u32, [i16; TAGS])> = averaged
            .into_iter()
            .map(|(key, vector)| (key, vector.map(|value| (value * scale).round() as i16)))
            .filter(|(_, vector)| vector.iter().any(|&value| value.unsigned_abs() > 0))
            .collect();
        kept.sort_by_key(|(key, _)| *key);
        let mut bytes = Vec::with_capacity(12 + kept.len() * (4 + 2 * TAGS));
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        bytes.extend_from_slice(&(kept.len() as u32).to_le_bytes());
        for (key, vector) in kept {
            bytes.extend_from_slice(&key.to_le_bytes());
            for value in vector {
                bytes.extend_from_slice(&value.to_le_bytes());
            }
        }
        bytes
    }
}
