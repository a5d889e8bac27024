//! A learned decision for the quoted fragments the rules leave alone.
//!
//! The rules drop a short quoted fragment that has no cue in its sentence
//! (a scare quote, a quoted title), because most of them are nobody's words.
//! PolNeAR shows that many are attributions all the same, under cues that are
//! no speech verb and hardly repeat (`hailed Trump as "..."`, `called it
//! "..."`, `rated the claim as "..."`). A rule per cue would never end, so a
//! small model decides instead, at this one point of [`super::analyze_paragraph`]:
//!
//! 1. **Accept**: is the fragment part of an attribution's content? A binary
//!    averaged perceptron over hashed features of the words around and inside
//!    the marks, and of the likeliest cue word before them in a cue lexicon
//!    learned from every gold attribution of the training split
//!    ([`CueLexicon`]).
//! 2. **Extent**: if so, where does the content start and end? Two ranking
//!    perceptrons score every token of the sentence before the opening mark as
//!    a start and every token after the closing mark as an end, and the best
//!    of each wins.
//!
//! The model runs only on such fragments (so only in paragraphs that hold a
//! quotation mark) and never changes a quote the rules found. It is trained
//! on the PolNeAR training split by `scripts/train-attribution.sh` and shipped
//! as `data/attribution.bin` (learned weights only, no corpus text), compiled
//! in with `include_bytes!`.

use std::ops::Range;
use std::sync::OnceLock;

use super::words::{Token, TokenKind};
use crate::model::Span;

/// A quoted fragment the rules dropped, with what the model may look at.
#[derive(Debug, Clone)]
pub struct Fragment<'a> {
    pub prose: &'a str,
    pub tokens: &'a [Token],
    /// The tokens of the fragment's sentence.
    pub sentence: Range<usize>,
    /// The tokens the content may cover: the sentence, less what other
    /// statements already hold.
    pub reach: Range<usize>,
    /// The opening and closing tokens of the fragment (marks, when present).
    pub first: usize,
    pub last: usize,
    /// The rules' reading: a quoted title, or a quote that reads like speech.
    pub title: bool,
    pub quote_like: bool,
    /// The sentence holds a cue of the rules (one that took no part in this fragment).
    pub cued_sentence: bool,
}

impl Fragment<'_> {
    /// The candidate start tokens (from the opening mark back, at most [`MAX_REACH`]).
    pub fn starts(&self) -> Range<usize> {
        self.reach.start.max(self.first.saturating_sub(MAX_REACH))..self.first + 1
    }

    /// The candidate end tokens (from the closing mark on, at most [`MAX_REACH`]).
    pub fn ends(&self) -> Range<usize> {
        self.last..self.reach.end.min(self.last + MAX_REACH + 1).max(self.last + 1)
    }

    /// The byte span of the content from token `start` to token `end`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.tokens[start].span.start, self.tokens[end].span.end)
    }
}

/// How far (in tokens) a content may reach beyond the marks.
pub const MAX_REACH: usize = 25;

/// Bits of the hashed weight table (2^18 weights of 4 bytes: 1 MB in memory).
const TABLE_BITS: u32 = 18;
const TABLE_SIZE: usize = 1 << TABLE_BITS;

/// Bumped whenever the features change, so stale weights are refused.
const FEATURE_VERSION: u32 = 3;
const MAGIC: &[u8; 4] = b"CDAT";

// Namespaces of the three decisions, mixed into every feature hash.
const ACCEPT: u64 = 0x0a11_ce07;
const START: u64 = 0x57a2_7001;
const END: u64 = 0x00e2_d002;

const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

pub(super) fn mix(hash: u64, value: u64) -> u64 {
    (hash ^ value).wrapping_mul(MIX).rotate_left(29)
}

/// A hash of a token's text, lower-cased (ASCII), with digits folded to `0`
/// so that numbers share weights.
pub(super) fn word_hash(prose: &str, token: &Token) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    match token.kind {
        TokenKind::Mark(_) => return 0x4d41_524b,
        TokenKind::Punct(character) => return mix(0x5055_4e43, u64::from(character)),
        TokenKind::Word => {}
    }
    for byte in token.text(prose).bytes() {
        let byte = if byte.is_ascii_digit() { b'0' } else { byte.to_ascii_lowercase() };
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A coarse shape: mark, punctuation, capitalised word, lower-case word.
pub(super) fn shape(token: &Token) -> u64 {
    match token.kind {
        TokenKind::Mark(_) => 1,
        TokenKind::Punct(_) => 2,
        TokenKind::Word if token.capitalized => 3,
        TokenKind::Word => 4,
    }
}

/// Distances in buckets, so that a weight generalises over nearby lengths.
pub(super) fn bucket(distance: usize) -> u64 {
    match distance {
        0..=3 => distance as u64,
        4..=5 => 4,
        6..=8 => 5,
        9..=12 => 6,
        13..=20 => 7,
        _ => 8,
    }
}

const OUTSIDE: u64 = 0x0b0b_0b0b;

/// The word hash at `index`, or a boundary value outside the sentence.
fn word_at(fragment: &Fragment<'_>, index: Option<usize>) -> u64 {
    match index {
        Some(index) if fragment.sentence.contains(&index) => word_hash(fragment.prose, &fragment.tokens[index]),
        _ => OUTSIDE,
    }
}

fn before(index: usize, steps: usize) -> Option<usize> {
    index.checked_sub(steps)
}

/// How often each word is (part of) an attribution's cue in the training
/// split, in levels 1 to [`CUE_LEVELS`] (0: never, or too rare to tell).
/// Learned from every gold attribution, not only the quoted fragments: the
/// cues the rules do not know (`hailed`, `dismissed`, `pounding`) mostly
/// introduce attributions without quotation marks, so the fragments alone
/// see each of them once or never. Word hashes and levels only: no corpus
/// text ends up in the model.
#[derive(Debug, Clone, Default)]
pub struct CueLexicon {
    /// (word hash, level), sorted by hash.
    levels: Vec<(u64, u8)>,
}

/// The number of levels of [`CueLexicon`].
pub const CUE_LEVELS: u8 = 6;

impl CueLexicon {
    /// The level of `token` (0 for a word never or rarely a cue).
    fn level(&self, prose: &str, token: &Token) -> u8 {
        if !token.is_word() {
            return 0;
        }
        let hash = word_hash(prose, token);
        self.levels.binary_search_by_key(&hash, |(key, _)| *key).map_or(0, |position| self.levels[position].1)
    }
}

/// Features of the accept decision.
pub fn accept_features(fragment: &Fragment<'_>, cues: &CueLexicon, out: &mut Vec<u64>) {
    out.clear();
    let feature = |kind: u64, value: u64| mix(mix(ACCEPT, kind), value);
    let tokens = fragment.tokens;
    let inside = &tokens[fragment.first..=fragment.last];
    let words_inside = inside.iter().filter(|token| token.is_word()).count();
    let capitalised_inside = inside.iter().filter(|token| token.is_word() && token.capitalized).count();
    out.push(feature(1, 0));
    out.push(feature(2, bucket(words_inside)));
    out.push(feature(3, u64::from(fragment.title)));
    out.push(feature(4, u64::from(fragment.quote_like)));
    out.push(feature(5, u64::from(fragment.cued_sentence)));
    out.push(feature(6, u64::from(fragment.first == fragment.sentence.start)));
    out.push(feature(7, (capitalised_inside * 4 / words_inside.max(1)) as u64));
    let previous = [1, 2, 3].map(|steps| word_at(fragment, before(fragment.first, steps)));
    let next = [1, 2].map(|steps| word_at(fragment, Some(fragment.last + steps)));
    out.push(feature(10, previous[0]));
    out.push(feature(11, previous[1]));
    out.push(feature(12, previous[2]));
    out.push(feature(13, mix(previous[1], previous[0])));
    out.push(feature(14, next[0]));
    out.push(feature(15, next[1]));
    out.push(feature(16, mix(previous[0], next[0])));
    out.push(feature(17, mix(previous[0], bucket(words_inside))));
    // The first and last words inside the marks.
    if let Some(word) = inside.iter().find(|token| token.is_word()) {
        out.push(feature(18, word_hash(fragment.prose, word)));
    }
    if let Some(word) = inside.iter().rev().find(|token| !matches!(token.kind, TokenKind::Mark(_))) {
        out.push(feature(19, word_hash(fragment.prose, word)));
    }
    // The words of the sentence before and after the fragment: the cues
    // the rules do not know (`hailed`, `rated`, `dismissed`) are among them.
    let window_start = fragment.sentence.start.max(fragment.first.saturating_sub(12));
    for token in &tokens[window_start..fragment.first] {
        if token.is_word() {
            out.push(feature(20, word_hash(fragment.prose, token)));
        }
    }
    let window_end = fragment.sentence.end.min(fragment.last + 7);
    for token in tokens.get(fragment.last + 1..window_end).unwrap_or(&[]) {
        if token.is_word() {
            out.push(feature(21, word_hash(fragment.prose, token)));
        }
    }
    // The likeliest cue word before the fragment, and how far it is.
    let best_before = (window_start..fragment.first)
        .map(|index| (cues.level(fragment.prose, &tokens[index]), index))
        .max_by_key(|(level, index)| (*level, *index));
    if let Some((level, index)) = best_before.filter(|(level, _)| *level > 0) {
        out.push(feature(40, u64::from(level)));
        out.push(feature(41, mix(u64::from(level), bucket(fragment.first - index))));
    } else {
        out.push(feature(40, 0));
    }
    let best_after = (fragment.last + 1..window_end.max(fragment.last + 1))
        .map(|index| cues.level(fragment.prose, &tokens[index]))
        .max()
        .unwrap_or(0);
    out.push(feature(42, u64::from(best_after)));
}

/// Features of `start` as the first token of the content.
pub fn start_features(fragment: &Fragment<'_>, cues: &CueLexicon, start: usize, out: &mut Vec<u64>) {
    out.clear();
    let feature = |kind: u64, value: u64| mix(mix(START, kind), value);
    let tokens = fragment.tokens;
    let distance = bucket(fragment.first - start);
    let word = word_hash(fragment.prose, &tokens[start]);
    let previous = word_at(fragment, before(start, 1));
    let previous_two = word_at(fragment, before(start, 2));
    let mark_previous = word_at(fragment, before(fragment.first, 1));
    out.push(feature(1, distance));
    out.push(feature(2, word));
    out.push(feature(3, previous));
    out.push(feature(4, mix(previous, word)));
    out.push(feature(5, mix(previous_two, previous)));
    out.push(feature(6, shape(&tokens[start])));
    out.push(feature(7, mix(shape(&tokens[start]), distance)));
    out.push(feature(8, u64::from(start == fragment.sentence.start)));
    out.push(feature(9, u64::from(start == fragment.reach.start)));
    out.push(feature(10, mix(mark_previous, distance)));
    out.push(feature(11, mix(word, distance)));
    out.push(feature(12, mix(previous, distance)));
    let commas = tokens[start..fragment.first].iter().filter(|token| token.is_punct(',')).count();
    out.push(feature(13, commas.min(3) as u64));
    out.push(feature(14, mix(mark_previous, word)));
    out.push(feature(15, u64::from(fragment.title)));
    out.push(feature(16, mix(u64::from(fragment.title), distance)));
    // A content usually starts right after its cue.
    let previous_level = before(start, 1)
        .filter(|index| fragment.sentence.contains(index))
        .map_or(0, |index| cues.level(fragment.prose, &tokens[index]));
    out.push(feature(17, u64::from(previous_level)));
    out.push(feature(18, mix(u64::from(previous_level), distance)));
    crossed_features(fragment, start..fragment.first, &feature, out);
}

/// Features of the tokens a content takes in beyond the marks: each word,
/// each punctuation mark, and the word after each punctuation mark (a dash
/// or a comma before `just`, `comparing`, `if` usually ends the content).
fn crossed_features(
    fragment: &Fragment<'_>,
    crossed: Range<usize>,
    feature: &dyn Fn(u64, u64) -> u64,
    out: &mut Vec<u64>,
) {
    let tokens = fragment.tokens;
    for index in crossed {
        let hash = word_hash(fragment.prose, &tokens[index]);
        out.push(feature(30, hash));
        if !tokens[index].is_word() && index > 0 {
            out.push(feature(31, mix(word_hash(fragment.prose, &tokens[index - 1]), hash)));
        }
        if !tokens[index].is_word() && index + 1 < tokens.len() {
            out.push(feature(32, mix(hash, word_hash(fragment.prose, &tokens[index + 1]))));
        }
    }
}

/// Features of `end` as the last token of the content.
pub fn end_features(fragment: &Fragment<'_>, end: usize, out: &mut Vec<u64>) {
    out.clear();
    let feature = |kind: u64, value: u64| mix(mix(END, kind), value);
    let tokens = fragment.tokens;
    let distance = bucket(end - fragment.last);
    let word = word_hash(fragment.prose, &tokens[end]);
    let next = word_at(fragment, Some(end + 1));
    let next_two = word_at(fragment, Some(end + 2));
    let mark_next = word_at(fragment, Some(fragment.last + 1));
    out.push(feature(1, distance));
    out.push(feature(2, word));
    out.push(feature(3, next));
    out.push(feature(4, mix(word, next)));
    out.push(feature(5, mix(next, next_two)));
    out.push(feature(6, shape(&tokens[end])));
    out.push(feature(7, mix(shape(&tokens[end]), distance)));
    out.push(feature(8, u64::from(end + 1 >= fragment.sentence.end)));
    out.push(feature(9, u64::from(end + 1 >= fragment.reach.end)));
    out.push(feature(10, mix(mark_next, distance)));
    out.push(feature(11, mix(word, distance)));
    out.push(feature(12, mix(next, distance)));
    let commas = tokens[fragment.last + 1..=end].iter().filter(|token| token.is_punct(',')).count();
    out.push(feature(13, commas.min(3) as u64));
    out.push(feature(14, mix(mark_next, next)));
    let mark_previous = word_at(fragment, before(fragment.first, 1));
    out.push(feature(15, mix(mark_previous, distance)));
    crossed_features(fragment, fragment.last + 1..end + 1, &feature, out);
}

fn slot(feature: u64) -> usize {
    (feature >> (64 - TABLE_BITS)) as usize
}

/// The learned weights.
#[derive(Debug)]
pub struct Model {
    weights: Vec<f32>,
    cues: CueLexicon,
    /// The accept score above which a fragment becomes a statement.
    threshold: f32,
}

impl Model {
    /// Reads a model written by [`training`]; `None` for anything else.
    pub fn from_bytes(bytes: &[u8]) -> Option<Model> {
        let read_u32 = |at: usize| Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
        let super::weights_file::WeightsFile { weights, threshold, end } =
            super::weights_file::read(bytes, MAGIC, FEATURE_VERSION, TABLE_SIZE)?;
        // The cue lexicon: a count, then (word hash, level) entries sorted by hash.
        let mut at = end;
        let cue_count = read_u32(at)? as usize;
        at += 4;
        let mut levels = Vec::with_capacity(cue_count.min(bytes.len() / 9));
        for _ in 0..cue_count {
            let hash = u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?);
            let level = *bytes.get(at + 8)?;
            if level > CUE_LEVELS || levels.last().is_some_and(|(previous, _)| *previous >= hash) {
                return None;
            }
            levels.push((hash, level));
            at += 9;
        }
        if at != bytes.len() {
            return None;
        }
        Some(Model { weights, cues: CueLexicon { levels }, threshold })
    }

    fn score(&self, features: &[u64]) -> f32 {
        features.iter().map(|feature| self.weights[slot(*feature)]).sum()
    }

    /// The accept score of a fragment (above the threshold: an attribution).
    pub fn accept_score(&self, fragment: &Fragment<'_>, scratch: &mut Vec<u64>) -> f32 {
        accept_features(fragment, &self.cues, scratch);
        self.score(scratch)
    }

    /// The best start and end tokens of the fragment's content.
    pub fn extent(&self, fragment: &Fragment<'_>, scratch: &mut Vec<u64>) -> (usize, usize) {
        let mut best_start = (f32::NEG_INFINITY, fragment.first);
        for start in fragment.starts() {
            start_features(fragment, &self.cues, start, scratch);
            let score = self.score(scratch);
            if score > best_start.0 {
                best_start = (score, start);
            }
        }
        let mut best_end = (f32::NEG_INFINITY, fragment.last);
        for end in fragment.ends() {
            end_features(fragment, end, scratch);
            let score = self.score(scratch);
            if score > best_end.0 {
                best_end = (score, end);
            }
        }
        (best_start.1, best_end.1)
    }

    /// The content span of the fragment's attribution, or `None` when the
    /// model reads it as nobody's words.
    pub fn decide(&self, fragment: &Fragment<'_>) -> Option<Span> {
        let mut scratch = Vec::with_capacity(64);
        if self.accept_score(fragment, &mut scratch) <= self.threshold {
            return None;
        }
        let (start, end) = self.extent(fragment, &mut scratch);
        Some(fragment.span(start, end))
    }
}

const MODEL_BYTES: &[u8] = include_bytes!("../../data/attribution.bin");

static MODEL: OnceLock<Option<Model>> = OnceLock::new();

/// The compiled-in model, or `None` when the shipped weights do not match
/// the features (then the rules alone decide, and fragments stay dropped).
pub fn model() -> Option<&'static Model> {
    MODEL.get_or_init(|| Model::from_bytes(MODEL_BYTES)).as_ref()
}

/// Replaces the compiled-in model for the rest of the process (for the
/// held-out evaluation, and for measuring the rules alone with an empty
/// model). Only works before the first analysis; returns false otherwise.
pub fn install_model(bytes: &[u8]) -> bool {
    MODEL.set(Model::from_bytes(bytes)).is_ok()
}

/// Training: averaged perceptrons over the same features, on fragments
/// labelled from PolNeAR's gold attributions. Pure (documents in, bytes out);
/// the example binary does the IO.
pub mod training {
    use super::*;
    use crate::DocumentKind;
    use crate::evaluation::polnear::{GoldAttribution, PolnearDocument, gold_direct_quotes, parse_annotations};
    use crate::offsets::CodePointIndex;
    use crate::quotes::perceptron::{Averaged, shuffle_for_epoch};

    /// One fragment seen in training, with owned copies of what its features read.
    #[derive(Debug)]
    pub struct Example {
        prose: String,
        tokens: Vec<Token>,
        sentence: Range<usize>,
        reach: Range<usize>,
        first: usize,
        last: usize,
        title: bool,
        quote_like: bool,
        cued_sentence: bool,
        /// The gold reading: an attribution's content, and its best start and end tokens.
        pub gold: Option<(usize, usize)>,
    }

    impl Example {
        fn fragment(&self) -> Fragment<'_> {
            Fragment {
                prose: &self.prose,
                tokens: &self.tokens,
                sentence: self.sentence.clone(),
                reach: self.reach.clone(),
                first: self.first,
                last: self.last,
                title: self.title,
                quote_like: self.quote_like,
                cued_sentence: self.cued_sentence,
            }
        }
    }

    /// The fragments of one document, labelled from its gold attributions. A
    /// fragment is positive when a gold direct quote's content holds it and
    /// no statement of the rules touches that content (otherwise adding it
    /// would only split an attribution the rules already found).
    pub fn examples(document: &PolnearDocument) -> Vec<Example> {
        let gold = gold_direct_quotes(&document.annotations);
        let index = CodePointIndex::new(&document.text);
        // The layout and the entities only: a full analysis would load the
        // compiled-in model, which the held-out evaluation must replace.
        let layout = crate::document::layout(&document.text, DocumentKind::PlainText);
        let mut out = Vec::new();
        for paragraph in &layout.paragraphs {
            let offset = paragraph.span.start;
            let code_point = |byte: usize| index.code_point(offset + byte);
            let entities = crate::entities::analyze_paragraph(&paragraph.prose, paragraph.kind);
            let records = super::super::fragment_examples(&paragraph.prose, paragraph.kind, &entities);
            for record in records {
                let fragment = record.fragment(&paragraph.prose);
                let inner = Span::new(
                    code_point(fragment.tokens[fragment.first].span.end),
                    code_point(fragment.tokens[fragment.last].span.start),
                );
                let touched = |attribution: &GoldAttribution| {
                    attribution.content.0.iter().any(|piece| {
                        record.statements.iter().any(|statement| {
                            piece.start < code_point(statement.end) && code_point(statement.start) < piece.end
                        })
                    })
                };
                let piece = gold.iter().filter(|attribution| !touched(attribution)).find_map(|attribution| {
                    attribution
                        .content
                        .0
                        .iter()
                        .copied()
                        .find(|piece| piece.start < inner.end.max(inner.start + 1) && inner.start < piece.end)
                });
                let gold_extent = piece.map(|piece| {
                    let nearest = |candidates: Range<usize>, target: usize, at: &dyn Fn(usize) -> usize| {
                        candidates.min_by_key(|candidate| at(*candidate).abs_diff(target)).unwrap_or(0)
                    };
                    let start =
                        nearest(fragment.starts(), piece.start, &|token| code_point(fragment.tokens[token].span.start));
                    let end = nearest(fragment.ends(), piece.end, &|token| code_point(fragment.tokens[token].span.end));
                    (start, end)
                });
                out.push(Example {
                    prose: paragraph.prose.to_string(),
                    tokens: record.tokens.clone(),
                    sentence: record.sentence.clone(),
                    reach: record.reach.clone(),
                    first: record.first,
                    last: record.last,
                    title: record.title,
                    quote_like: record.quote_like,
                    cued_sentence: record.cued_sentence,
                    gold: gold_extent,
                });
            }
        }
        out
    }

    /// The cue lexicon of `documents`: for each word, how many of its
    /// occurrences fall inside a gold cue, smoothed and cut into levels.
    /// Words seen fewer than [`MIN_OCCURRENCES`] times, or inside a cue in
    /// fewer than 1 in 20 of their occurrences, are left out.
    pub fn cue_lexicon(documents: &[&PolnearDocument]) -> CueLexicon {
        use std::collections::BTreeMap;
        // (occurrences, occurrences inside a cue) per word hash.
        let mut counts: BTreeMap<u64, (u32, u32)> = BTreeMap::new();
        let mut tokens = Vec::new();
        for document in documents {
            let index = CodePointIndex::new(&document.text);
            let cues: Vec<Span> = parse_annotations(&document.annotations)
                .iter()
                .flat_map(|attribution| attribution.cue.0.iter().copied())
                .collect();
            let (marks, _) = super::super::marks::scan(&document.text);
            tokens.clear();
            super::super::words::tokenize(&document.text, &marks, &mut tokens);
            for token in tokens.iter().filter(|token| token.is_word()) {
                let start = index.code_point(token.span.start);
                let end = index.code_point(token.span.end);
                let inside = cues.iter().any(|cue| cue.start <= start && end <= cue.end);
                let entry = counts.entry(word_hash(&document.text, token)).or_default();
                entry.0 += 1;
                entry.1 += u32::from(inside);
            }
        }
        let levels = counts
            .into_iter()
            .filter(|(_, (seen, _))| *seen >= MIN_OCCURRENCES)
            .filter_map(|(hash, (seen, inside))| {
                let ratio = f64::from(inside) / f64::from(seen + 2);
                // Levels: 1/20, 1/10, 1/5, 1/3, 1/2, 3/4 of the occurrences.
                let level = [0.05, 0.1, 0.2, 0.33, 0.5, 0.75].iter().filter(|bound| ratio >= **bound).count() as u8;
                (level > 0).then_some((hash, level))
            })
            .collect();
        CueLexicon { levels }
    }

    /// How often a word must occur in the training split to enter the cue lexicon.
    pub const MIN_OCCURRENCES: u32 = 2;

    /// Trains for `epochs` passes and returns the model bytes. The accept
    /// threshold is `threshold` (0 is the perceptron's own boundary; a
    /// negative one accepts more).
    pub fn train(examples: &[Example], cues: &CueLexicon, epochs: usize, threshold: f32) -> Vec<u8> {
        let mut model = Averaged::new(TABLE_BITS);
        let mut scratch = Vec::with_capacity(64);
        let mut other = Vec::with_capacity(64);
        // A fixed shuffle: the order of a linear congruential walk.
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut state = 0x2545_f491_u64;
        for epoch in 0..epochs {
            shuffle_for_epoch(&mut order, &mut state, epoch);
            for &example_index in &order {
                let example = &examples[example_index];
                let fragment = example.fragment();
                accept_features(&fragment, cues, &mut scratch);
                let positive = example.gold.is_some();
                if (model.score(&scratch) > 0.0) != positive {
                    model.update(&scratch, if positive { 1.0 } else { -1.0 });
                }
                if let Some((gold_start, gold_end)) = example.gold {
                    let best = |model: &Averaged,
                                candidates: Range<usize>,
                                features: &dyn Fn(usize, &mut Vec<u64>),
                                scratch: &mut Vec<u64>| {
                        let mut best = (f32::NEG_INFINITY, candidates.start);
                        for candidate in candidates {
                            features(candidate, scratch);
                            let score = model.score(scratch);
                            if score > best.0 {
                                best = (score, candidate);
                            }
                        }
                        best.1
                    };
                    let start = best(
                        &model,
                        fragment.starts(),
                        &|token, out| start_features(&fragment, cues, token, out),
                        &mut scratch,
                    );
                    if start != gold_start {
                        start_features(&fragment, cues, gold_start, &mut scratch);
                        model.update(&scratch, 1.0);
                        start_features(&fragment, cues, start, &mut other);
                        model.update(&other, -1.0);
                    }
                    let end =
                        best(&model, fragment.ends(), &|token, out| end_features(&fragment, token, out), &mut scratch);
                    if end != gold_end {
                        end_features(&fragment, gold_end, &mut scratch);
                        model.update(&scratch, 1.0);
                        end_features(&fragment, end, &mut other);
                        model.update(&other, -1.0);
                    }
                }
                model.next_step();
            }
        }
        let mut bytes = crate::quotes::weights_file::write(MAGIC, FEATURE_VERSION, threshold, &model.averaged());
        bytes.extend_from_slice(&(cues.levels.len() as u32).to_le_bytes());
        for (hash, level) in &cues.levels {
            bytes.extend_from_slice(&hash.to_le_bytes());
            bytes.push(*level);
        }
        bytes
    }

    /// How a model does on labelled fragments: accept true/false positives
    /// and misses, and of the true positives how many got both ends right.
    #[derive(Debug, Default, Clone, Copy)]
    pub struct FragmentScores {
        pub accepted_right: usize,
        pub accepted_wrong: usize,
        pub missed: usize,
        pub extent_right: usize,
        /// Accepted in an attribution, with an extent covering at least half
        /// of the longer of it and the gold extent (the scorer's match).
        pub extent_match: usize,
        /// The same, had the content been the quoted words alone.
        pub marks_match: usize,
    }

    fn matches(fragment: &Fragment<'_>, ours: (usize, usize), gold: (usize, usize)) -> bool {
        let ours = fragment.span(ours.0, ours.1);
        let gold = fragment.span(gold.0, gold.1);
        let overlap = ours.end.min(gold.end).saturating_sub(ours.start.max(gold.start));
        2 * overlap >= ours.len().max(gold.len())
    }

    /// The fragment's sentence with its quoted words in `[[...]]`, for error lists.
    fn marked_sentence(fragment: &Fragment<'_>) -> String {
        let sentence = fragment.span(fragment.sentence.start, fragment.sentence.end - 1);
        let marks = fragment.span(fragment.first, fragment.last);
        format!(
            "{} [[{}]] {}",
            &fragment.prose[sentence.start..marks.start],
            &fragment.prose[marks.start..marks.end],
            &fragment.prose[marks.end..sentence.end]
        )
    }

    /// Scores `bytes` (a trained model) on `examples`, at accept threshold
    /// `threshold`. With `errors`, each wrong or missed decision and each
    /// accepted extent beside the gold one is described there (the caller
    /// decides whether to print them: the core prints nothing).
    pub fn score(
        bytes: &[u8],
        examples: &[Example],
        threshold: f32,
        mut errors: Option<&mut Vec<String>>,
    ) -> FragmentScores {
        let mut scores = FragmentScores::default();
        let Some(model) = Model::from_bytes(bytes) else { return scores };
        let mut scratch = Vec::new();
        for example in examples {
            let fragment = example.fragment();
            let accepted = model.accept_score(&fragment, &mut scratch) > threshold;
            let described = match (accepted, example.gold) {
                (true, Some(gold)) => {
                    scores.accepted_right += 1;
                    let extent = model.extent(&fragment, &mut scratch);
                    scores.extent_right += usize::from(extent == gold);
                    scores.extent_match += usize::from(matches(&fragment, extent, gold));
                    scores.marks_match += usize::from(matches(&fragment, (fragment.first, fragment.last), gold));
                    let show = |(start, end): (usize, usize)| {
                        let span = fragment.span(start, end);
                        &fragment.prose[span.start..span.end]
                    };
                    errors.is_some().then(|| format!("GOLD {}\nOURS {}\n", show(gold), show(extent)))
                }
                (true, None) => {
                    scores.accepted_wrong += 1;
                    errors.is_some().then(|| format!("WRONG {}\n", marked_sentence(&fragment)))
                }
                (false, Some(_)) => {
                    scores.missed += 1;
                    errors.is_some().then(|| format!("MISSED {}\n", marked_sentence(&fragment)))
                }
                (false, None) => None,
            };
            if let (Some(errors), Some(described)) = (errors.as_deref_mut(), described) {
                errors.push(described);
            }
        }
        scores
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::ParagraphKind;
    use crate::entities::ParagraphEntities;
    use crate::evaluation::polnear::PolnearDocument;
    use crate::quotes::{Statement, analyze_paragraph, fragment_examples};

    fn records(prose: &str) -> Vec<crate::quotes::FragmentRecord> {
        fragment_examples(prose, ParagraphKind::Body, &ParagraphEntities::default())
    }

    fn statements(prose: &str) -> Vec<Statement> {
        analyze_paragraph(prose, ParagraphKind::Body, &ParagraphEntities::default()).statements
    }

    /// The words of a model's statement: reported, with no cue.
    fn model_contents(prose: &str) -> Vec<&str> {
        statements(prose)
            .iter()
            .filter(|statement| !statement.direct && statement.cue.is_none())
            .map(|statement| &prose[statement.span.start..statement.span.end])
            .collect()
    }

    #[test]
    fn the_shipped_model_loads_and_is_small() {
        assert!(MODEL_BYTES.len() < 20 * 1024 * 1024);
        assert!(Model::from_bytes(MODEL_BYTES).is_some());
        assert!(model().is_some());
    }

    #[test]
    fn other_bytes_are_refused() {
        crate::quotes::weights_file::assert_refuses_other_bytes(Model::from_bytes, MODEL_BYTES, b"CDTG\x01\0\0\0");
    }

    #[test]
    fn only_fragments_the_rules_drop_are_judged() {
        // A quote with its cue is the rules' own.
        assert!(records("\"We sail at noon,\" Lorne said on Friday.").is_empty());
        // So is a quoted fragment inside a reported clause.
        assert!(records("Lorne said the timetable was a \"paper maze\" for islanders.").is_empty());
        // A short quoted fragment with no cue is left to the model.
        let prose = "The board has been pounding the harbour master as a \"dock tyrant\" all week.";
        let found = records(prose);
        assert_eq!(found.len(), 1);
        let fragment = found[0].fragment(prose);
        let marks = fragment.span(fragment.first, fragment.last);
        assert_eq!(&prose[marks.start..marks.end], "\"dock tyrant\"");
    }

    #[test]
    fn fragments_a_few_words_apart_are_judged_together() {
        let prose = "The auditors rated the timetable \"sound\" and the fares \"fair enough\" in their March letter.";
        let found = records(prose);
        assert_eq!(found.len(), 1);
        let fragment = found[0].fragment(prose);
        let marks = fragment.span(fragment.first, fragment.last);
        assert_eq!(&prose[marks.start..marks.end], "\"sound\" and the fares \"fair enough\"");
    }

    #[test]
    fn the_model_reads_a_quoted_fragment_under_a_cue_it_was_never_given() {
        // No speech verb here: the rules drop both fragments; the model
        // takes them together under `attacked ... as`, object included,
        // as PolNeAR does.
        assert_eq!(
            model_contents("Lorne has attacked Berg as a \"dock tyrant\" and a \"spoiled brat.\""),
            ["Berg as a \"dock tyrant\" and a \"spoiled brat.\""]
        );
    }

    #[test]
    fn a_quoted_title_stays_nobody_s_words() {
        assert!(model_contents("The band played \"Harbour Lights\" before the vote.").is_empty());
    }

    #[test]
    fn a_model_statement_holds_its_fragment_and_nothing_else() {
        for prose in [
            "Ada Lorne has been steadily pounding Berg as a \"con artist\" at every stop.",
            "Lorne said the ferry would sail. Critics hailed Berg as \"the comeback captain\" after the vote.",
            "\"We will sail,\" Lorne said, while the board dismissed the island as a \"suburb of the port\" in its letter.",
            "The auditors rated the timetable \"sound\" and the fares \"fair enough\" in their March letter.",
        ] {
            let found = statements(prose);
            for (index, statement) in found.iter().enumerate() {
                if statement.direct || statement.cue.is_some() {
                    continue;
                }
                let content = &prose[statement.span.start..statement.span.end];
                assert!(content.contains('"'), "{content:?} holds no quoted words");
                assert!(statement.sentence.contains(statement.span), "{content:?} leaves its sentence");
                for (other_index, other) in found.iter().enumerate() {
                    let overlaps = other.span.start < statement.span.end && statement.span.start < other.span.end;
                    assert!(other_index == index || !overlaps, "{content:?} overlaps another statement");
                }
            }
        }
    }

    #[test]
    fn a_floating_quote_borrows_its_speaker_past_a_model_statement() {
        let text = "\"We sail at noon,\" Ada Lorne said. Critics have attacked Berg as a \"dock tyrant\" and a \"spoiled brat.\" \"We will not wait for the board.\"\n";
        let analysis = crate::analyze(text, crate::DocumentKind::PlainText, &crate::Config::default());
        assert!(analysis.quotes.iter().any(|quote| !quote.direct && quote.cue.is_none()), "the model's statement");
        let last =
            analysis.quotes.iter().find(|quote| quote.text.starts_with("\"We will not")).expect("the last quote");
        assert!(last.floating);
        assert_eq!(last.source_mention.as_ref().map(|source| source.text.as_str()), Some("Ada Lorne"));
    }

    #[test]
    fn the_cue_lexicon_levels_words_by_how_often_they_are_cues() {
        let text = "Berg admires the plan.\n\nLorne admires the ferry.\n\nThe plan admires nobody.\n";
        // The first two `admires` are cues (each with the rest of its line as content).
        let cue_at = |nth: usize| {
            let byte = text.match_indices("admires").nth(nth).expect("a cue").0;
            let start = text[..byte].chars().count();
            let cue_end = start + "admires".len();
            let content_end = cue_end + text[byte..].find('.').unwrap_or(0) - "admires".len();
            format!(
                "T{}\tCue {start} {cue_end}\tadmires\nT{}\tContent {} {content_end}\t-\nE{nth}\tAttribution:T{} Cue:T{} Content:T{}\n",
                2 * nth + 1,
                2 * nth + 2,
                cue_end + 1,
                2 * nth + 1,
                2 * nth + 1,
                2 * nth + 2
            )
        };
        let document = PolnearDocument {
            name: "fixture".to_owned(),
            text: text.to_owned(),
            annotations: format!("{}{}", cue_at(0), cue_at(1)),
        };
        let lexicon = training::cue_lexicon(&[&document]);
        let level_of = |word: &str| {
            let prose = format!("{word} ");
            let mut tokens = Vec::new();
            crate::quotes::words::tokenize(&prose, &[], &mut tokens);
            lexicon.level(&prose, &tokens[0])
        };
        // Two of three occurrences inside a cue, smoothed: 2 / (3 + 2).
        assert_eq!(level_of("Admires"), 4);
        assert_eq!(level_of("the"), 0);
        // The lexicon travels with the weights, and a byte more is refused.
        let bytes = training::train(&[], &lexicon, 1, 0.0);
        let model = Model::from_bytes(&bytes).expect("a model");
        assert_eq!(model.cues.levels, lexicon.levels);
        let mut longer = bytes;
        longer.push(0);
        assert!(Model::from_bytes(&longer).is_none());
    }

    /// A brat `.ann` with one attribution whose content is `content` (code points).
    fn annotation(text: &str, content: &str, cue: &str) -> String {
        let character_offset = |part: &str| {
            let byte = text.find(part).expect("part of the text");
            text[..byte].chars().count()
        };
        let content_start = character_offset(content);
        let cue_start = character_offset(cue);
        format!(
            "T1\tContent {content_start} {}\t{content}\nT2\tCue {cue_start} {}\t{cue}\nE1\tAttribution:T2 Cue:T2 Content:T1\n",
            content_start + content.chars().count(),
            cue_start + cue.chars().count(),
        )
    }

    #[test]
    fn training_learns_the_gold_extent_of_a_fixture() {
        let text = "Berg admires Lorne as a \"steady hand\" on the dock.\n\nThe shop sells \"fresh\" bread.\n";
        let document = PolnearDocument {
            name: "fixture".to_owned(),
            text: text.to_owned(),
            annotations: annotation(text, "Lorne as a \"steady hand\"", "admires"),
        };
        let examples = training::examples(&document);
        assert_eq!(examples.len(), 2);
        assert!(examples[0].gold.is_some() && examples[1].gold.is_none());
        let bytes = training::train(&examples, &CueLexicon::default(), 5, 0.0);
        let model = Model::from_bytes(&bytes).expect("a model");
        let prose = "Berg admires Lorne as a \"steady hand\" on the dock.";
        let found = records(prose);
        let span = model.decide(&found[0].fragment(prose)).expect("accepted");
        assert_eq!(&prose[span.start..span.end], "Lorne as a \"steady hand\"");
        let prose = "The shop sells \"fresh\" bread.";
        assert_eq!(model.decide(&records(prose)[0].fragment(prose)), None);
        let scores = training::score(&bytes, &examples, 0.0, None);
        assert_eq!((scores.accepted_right, scores.accepted_wrong, scores.extent_right), (1, 0, 1));
    }
}
