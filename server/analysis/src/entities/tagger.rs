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

use super::lexicon::{FastMap, KeyBuilder, Lexicon, Membership, NAME_PARTICLE_SET, in_list, lexicon, word_key};
use super::names::{Label, Proposal};
use super::tokens::{Capitalization, Token, TokenKind};

/// Bump when the features change: a model trained on other features is ignored.
pub const FEATURE_VERSION: u32 = 3;

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

/// [`word_key`], [`hash_exact`] and [`hash_shape`] of an ASCII word in one
/// pass over its bytes: the same three values, with the three hash chains
/// interleaved so the processor works on them side by side. (For an ASCII
/// character, `is_uppercase`, `is_lowercase` and `is_alphabetic` are the
/// ASCII tests, so the shape classes are the same.)
#[inline]
fn ascii_hashes(bytes: &[u8]) -> (u64, u64, u64) {
    let mut key = super::lexicon::KeyBuilder::new();
    let mut exact = 0x8422_2325_cbf2_9ce4u64;
    let mut shape = 0x2545_F491_4F6C_DD1Du64;
    let mut last = 0u8;
    for &byte in bytes {
        key = key.ascii_byte(byte);
        exact = mix(exact, u64::from(byte));
        let class = if byte.is_ascii_uppercase() {
            b'X'
        } else if byte.is_ascii_lowercase() {
            b'x'
        } else if byte.is_ascii_digit() {
            b'd'
        } else {
            match byte {
                b'.' | b'-' | b'\'' | b'&' | b'/' => byte,
                _ => b'p',
            }
        };
        if class != last {
            shape = mix(shape, u64::from(class));
            last = class;
        }
    }
    (key.finish(), exact, mix(shape, (bytes.len() as u64).min(6)))
}

/// The lowercase hash of a prefix or suffix of up to `count` characters.
#[inline]
fn hash_affix(text: &str, count: usize, suffix: bool) -> u64 {
    if text.is_ascii() {
        // Most words: byte offsets are character offsets.
        if text.len() <= count {
            return hash_lower(text).wrapping_add(count as u64);
        }
        let part = if suffix { &text[text.len() - count..] } else { &text[..count] };
        return mix(hash_lower(part), if suffix { 7 } else { 11 } + count as u64);
    }
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

/// The [`hash_affix`] values the features of one token use.
#[derive(Debug, Clone, Copy)]
struct AffixHashes {
    prefix3: u64,
    suffix2: u64,
    suffix3: u64,
    suffix4: u64,
}

/// The four affix hashes of `text`, as [`hash_affix`] gives them. An ASCII
/// word (most words) is checked for ASCII once rather than once per affix,
/// and its affixes are byte ranges.
#[inline]
fn affix_hashes(text: &str) -> AffixHashes {
    if !text.is_ascii() {
        return AffixHashes {
            prefix3: hash_affix(text, 3, false),
            suffix2: hash_affix(text, 2, true),
            suffix3: hash_affix(text, 3, true),
            suffix4: hash_affix(text, 4, true),
        };
    }
    let bytes = text.as_bytes();
    let ascii_lower = |part: &[u8]| {
        let mut hash = 0xcbf2_9ce4_8422_2325u64;
        for &byte in part {
            hash = mix(hash, u64::from(byte.to_ascii_lowercase()));
        }
        hash
    };
    let affix = |count: usize, suffix: bool| {
        if bytes.len() <= count {
            return ascii_lower(bytes).wrapping_add(count as u64);
        }
        let part = if suffix { &bytes[bytes.len() - count..] } else { &bytes[..count] };
        mix(ascii_lower(part), if suffix { 7 } else { 11 } + count as u64)
    };
    AffixHashes { prefix3: affix(3, false), suffix2: affix(2, true), suffix3: affix(3, true), suffix4: affix(4, true) }
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

/// Bit flags from `lexicon` for token `index`, whose lowercase key is
/// `key` and whose [`Membership`] bits are `members`; `starts[i]` says
/// whether sentence token `i` can start a multi-token lexicon phrase.
#[allow(clippy::too_many_arguments)] // One call site; a struct would only rename the arguments.
fn lexicon_flags(
    lexicon: &Lexicon,
    prose: &str,
    tokens: &[Token],
    index: usize,
    sentence: &Range<usize>,
    key: u64,
    members: u8,
    starts: &[bool],
) -> u64 {
    let token = tokens[index];
    let mut flags = 0u64;
    if token.kind != TokenKind::Word {
        return 0;
    }
    if token.caps.is_capitalized() {
        if members & Membership::PLACE != 0 {
            flags |= 1;
        }
        if members & Membership::ORGANIZATION != 0 {
            flags |= 2;
        }
        if members & Membership::FAMILY_NAME != 0
            && let Some(order) = lexicon.family_name_order_key(key)
        {
            flags |= if order.written_first > order.written_last { 4 } else { 8 };
        }
        if members & Membership::GIVEN_NAME != 0 {
            flags |= 16;
        }
        if members & Membership::NATIONALITY != 0 {
            flags |= 32;
        }
        // Part of a multi-word place or organisation in the lexicon: the
        // phrases of two and three tokens around this one, their keys built
        // token by token (one space between tokens that the text separates).
        let mut check = |phrase: KeyBuilder, starts_here: bool| {
            let phrase = lexicon.memberships_key(phrase.finish());
            if phrase & Membership::PLACE != 0 {
                flags |= if starts_here { 64 } else { 128 };
            }
            if phrase & Membership::ORGANIZATION != 0 {
                flags |= if starts_here { 256 } else { 512 };
            }
        };
        let extend = |builder: KeyBuilder, at: usize| {
            let joined = if tokens[at - 1].span.end == tokens[at].span.start { builder } else { builder.space() };
            joined.word(tokens[at].text(prose))
        };
        let starts_at = |at: usize| starts[at - sentence.start];
        if index >= sentence.start + 2 && starts_at(index - 2) {
            let from_two_before = extend(KeyBuilder::new().word(tokens[index - 2].text(prose)), index - 1);
            check(extend(from_two_before, index), false);
        }
        if index > sentence.start && starts_at(index - 1) {
            let from_before = extend(KeyBuilder::new().word(tokens[index - 1].text(prose)), index);
            check(from_before, false);
            if index + 1 < sentence.end {
                check(extend(from_before, index + 1), false);
            }
        }
        if index + 1 < sentence.end && starts_at(index) {
            let from_here = extend(KeyBuilder::new().word(token.text(prose)), index + 1);
            check(from_here, true);
            if index + 2 < sentence.end {
                check(extend(from_here, index + 2), true);
            }
        }
    }
    if members & Membership::TITLE_WORD != 0 {
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
                ) || NAME_PARTICLE_SET.contains(token.text(prose)))
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
    let affixes = affix_hashes(text);
    emit(4, affixes.prefix3);
    // The three-character suffix feeds two templates: hashed once.
    let suffix3 = affixes.suffix3;
    emit(5, suffix3);
    emit(6, affixes.suffix2);
    emit(7, affixes.suffix4);
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
    emit(29, mix(previous as u64, suffix3));
    emit(30, mix(here.flags, here.shape));
    emit(31, remembered);
    emit(32, mix(remembered, here.shape));
    emit(33, mix(remembered, u64::from(index == 0)));
}

/// The second pass's extra features: what the first pass said about the same
/// word elsewhere in the paragraph, alone and with a little context.
fn paragraph_features(
    hashes: &[TokenHashes],
    index: usize,
    previous: usize,
    context: ParagraphContext,
    mut sink: impl FnMut(u64),
) {
    let here = hashes[index];
    let p1 = if index >= 1 { hashes[index - 1] } else { boundary(BOUNDARY_BEFORE) };
    let n1 = hashes.get(index + 1).copied().unwrap_or(boundary(BOUNDARY_AFTER));
    let ParagraphContext { elsewhere, in_longer_name, labels_seen, first_pass } = context;
    let mut emit = |template: u64, value: u64| sink(finish(mix(mix(0, template), value)));
    emit(40, elsewhere);
    emit(41, labels_seen);
    emit(42, mix(elsewhere, first_pass));
    emit(43, mix(elsewhere, here.shape));
    emit(44, mix(elsewhere, previous as u64));
    emit(45, mix(labels_seen, u64::from(index == 0)));
    emit(46, mix(elsewhere, n1.lower));
    emit(47, mix(elsewhere, p1.lower));
    emit(48, in_longer_name);
    emit(49, mix(in_longer_name, elsewhere));
    emit(50, mix(in_longer_name, first_pass));
    emit(51, mix(mix(elsewhere, in_longer_name), first_pass));
}

/// What the first pass over the whole paragraph said about a token's word:
/// the label it got most often at its *other* occurrences (before and after;
/// 9: none), the same counting only occurrences inside a longer name, the set
/// of labels seen there as bits, and this occurrence's first-pass label.
#[derive(Debug, Clone, Copy)]
struct ParagraphContext {
    elsewhere: u64,
    in_longer_name: u64,
    labels_seen: u64,
    first_pass: u64,
}

fn boundary(value: u64) -> TokenHashes {
    TokenHashes { lower: value, exact: value, shape: value, flags: value }
}

/// The most base features one token has (34 templates at most).
const MAX_BASE_FEATURES: usize = 48;

/// The most paragraph features one token has in the second pass (12 templates).
const MAX_PARAGRAPH_FEATURES: usize = 16;

/// One table of weights: hashed feature keys to per-tag weights.
///
/// Open addressing over two parallel arrays: the keys alone (4 bytes a slot,
/// key 0 means empty) and the weights of each slot. Most of a token's
/// features are not in the table, and a probe that misses reads only the
/// key array, which is small enough to stay in the processor's cache; the
/// weights are read only on a hit. (With key and weights in one 24-byte slot,
/// the misses dominated the tagger's time.)
#[derive(Debug)]
struct Table {
    keys: Vec<u32>,
    weights: Vec<[i16; TAGS]>,
    mask: usize,
}

impl Table {
    fn from_entries(count: usize, entries: impl Iterator<Item = (u32, [i16; TAGS])>) -> Table {
        let capacity = (count * 2).next_power_of_two().max(16);
        let mut keys = vec![0u32; capacity];
        let mut weights = vec![[0i16; TAGS]; capacity];
        let mask = capacity - 1;
        for (key, vector) in entries {
            let key = key.max(1);
            let mut slot = key as usize & mask;
            while keys[slot] != 0 && keys[slot] != key {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            weights[slot] = vector;
        }
        Table { keys, weights, mask }
    }

    /// Parses one table at `at`; returns it and the offset after it.
    fn parse(bytes: &[u8], at: usize) -> Option<(Table, usize)> {
        let count = read_u32(bytes, at)? as usize;
        let entry = 4 + 2 * TAGS;
        let body = bytes.get(at + 4..at + 4 + count * entry)?;
        let entries = body.chunks_exact(entry).map(|chunk| {
            let key = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
            let mut vector = [0i16; TAGS];
            for (tag, slot) in vector.iter_mut().enumerate() {
                *slot = i16::from_le_bytes([chunk[4 + 2 * tag], chunk[5 + 2 * tag]]);
            }
            (key, vector)
        });
        Some((Table::from_entries(count, entries), at + 4 + count * entry))
    }

    /// Adds the weights of every feature in `features` (at most [`MAX_BASE_FEATURES`]) to `scores`.
    ///
    /// Two loops: the first reads the home slot of every feature, loads that
    /// do not depend on one another, so the processor overlaps their cache
    /// misses; the second resolves each probe (most end at the home slot).
    /// Probing one feature after the other made each miss wait for the last.
    #[inline]
    fn add_scores(&self, features: &[u64], scores: &mut [i32; TAGS]) {
        let mut home = [0u32; MAX_BASE_FEATURES];
        for (found, &feature) in home.iter_mut().zip(features) {
            *found = self.keys[table_key(feature) as usize & self.mask];
        }
        for (&first, &feature) in home.iter().zip(features) {
            let key = table_key(feature);
            let mut slot = key as usize & self.mask;
            let mut found = first;
            loop {
                if found == key {
                    for (score, weight) in scores.iter_mut().zip(self.weights[slot]) {
                        *score += i32::from(weight);
                    }
                    break;
                }
                if found == 0 {
                    break;
                }
                slot = (slot + 1) & self.mask;
                found = self.keys[slot];
            }
        }
    }

    /// Scores with this table alone (the first pass), or with `second` for
    /// the second pass's paragraph features (the base features still go here).
    /// The features arrive gathered (see [`tag_sentence`]), so that the table
    /// loads (mostly cache misses) are issued back to back.
    fn scorer<'a>(&'a self, second: Option<&'a Table>) -> impl FnMut(&[u64], &[u64]) -> [f32; TAGS] + 'a {
        move |base, paragraph| {
            let mut scores = [0i32; TAGS];
            self.add_scores(base, &mut scores);
            if let Some(second) = second {
                second.add_scores(paragraph, &mut scores);
            }
            scores.map(|score| score as f32)
        }
    }
}

/// The table key of a feature hash: its high half, never 0 (the empty slot).
#[inline]
fn table_key(feature: u64) -> u32 {
    ((feature >> 32) as u32).max(1)
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    bytes.get(at..at + 4).map(|slice| u32::from_le_bytes([slice[0], slice[1], slice[2], slice[3]]))
}

/// A trained model: the first-pass table (left-to-right, with what the
/// paragraph said earlier) and the small second-pass table of corrections
/// from what the first pass said about the same word everywhere else in the
/// paragraph, added to the first table's scores (same scale).
#[derive(Debug)]
pub struct Model {
    first: Table,
    second: Table,
}

impl Model {
    /// Parses the model bytes; `None` when they are not a model for these features.
    pub fn from_bytes(bytes: &[u8]) -> Option<Model> {
        if bytes.len() < 16 || &bytes[..4] != MAGIC || read_u32(bytes, 4)? != FEATURE_VERSION {
            return None;
        }
        let (first, after) = Table::parse(bytes, 8)?;
        let (second, _) = Table::parse(bytes, after)?;
        Some(Model { first, second })
    }

    /// Tags every sentence of a paragraph and returns the typed spans of each.
    ///
    /// The second pass re-tags only the sentences holding a capitalised word
    /// the first pass labelled in two ways: "Norvik" read as a person in the
    /// lead is corrected by the organisation "Norvik AG" later.
    pub fn propose_paragraph(&self, prose: &str, tokens: &[Token], sentences: &[Range<usize>]) -> Vec<Vec<Proposal>> {
        let hashes = paragraph_hashes(prose, tokens, sentences);
        let (first_tags, memory) = first_pass(prose, tokens, sentences, &hashes, self.first.scorer(None));
        let mut scorer = self.first.scorer(Some(&self.second));
        sentences
            .iter()
            .map(|sentence| {
                let first = &first_tags[sentence.clone()];
                let disputed = (sentence.clone())
                    .any(|index| tokens[index].caps.is_capitalized() && memory.is_disputed(hashes[index].lower));
                if !disputed {
                    return spans_from_tags(tokens, sentence.clone(), first);
                }
                let tags = tag_sentence(
                    prose,
                    tokens,
                    sentence.clone(),
                    &hashes[sentence.clone()],
                    Pass::Second { memory: &memory, first },
                    &mut scorer,
                );
                spans_from_tags(tokens, sentence.clone(), &tags)
            })
            .collect()
    }
}

/// The first pass over a paragraph: every token's tag (O for tokens not
/// scored) and the labels each capitalised word got.
fn first_pass(
    prose: &str,
    tokens: &[Token],
    sentences: &[Range<usize>],
    hashes: &[TokenHashes],
    mut score: impl FnMut(&[u64], &[u64]) -> [f32; TAGS],
) -> (Vec<usize>, Memory) {
    let mut all_tags = vec![O; tokens.len()];
    // Both maps hold at most one entry per capitalised word: sized for that
    // up front, they never grow and rehash while the paragraph is tagged.
    let capitalized = tokens.iter().filter(|token| token.caps.is_capitalized()).count();
    let mut history = History { labels: FastMap::with_capacity_and_hasher(capitalized, Default::default()) };
    let mut memory = Memory { counts: FastMap::with_capacity_and_hasher(capitalized, Default::default()) };
    for sentence in sentences {
        let tags = tag_sentence(
            prose,
            tokens,
            sentence.clone(),
            &hashes[sentence.clone()],
            Pass::First(&mut history),
            &mut score,
        );
        for (offset, &tag) in tags.iter().enumerate() {
            let index = sentence.start + offset;
            all_tags[index] = tag;
            if tokens[index].kind == TokenKind::Word && tokens[index].caps.is_capitalized() {
                let in_longer_name = is_inside(tag) || tags.get(offset + 1).is_some_and(|&next| is_inside(next));
                memory.add(hashes[index].lower, tag, in_longer_name);
            }
        }
    }
    (all_tags, memory)
}

/// What the tagger said about each capitalised word earlier in the paragraph
/// (keyed by the word's lowercase hash): a later "Simmons" at the start of a
/// sentence is read in the light of "Phil Simmons" before it. One per paragraph.
#[derive(Debug, Default)]
pub struct History {
    labels: FastMap<u64, u8>,
}

const fn label_index(tag: usize) -> usize {
    match label_of(tag) {
        None => 0,
        Some(Label::Person) => 1,
        Some(Label::Organization) => 2,
        Some(Label::Place) => 3,
        Some(Label::Misc) => 4,
    }
}

impl History {
    fn recall(&self, word: u64) -> u64 {
        self.labels.get(&word).map_or(99, |&label| u64::from(label))
    }

    fn remember(&mut self, word: u64, tag: usize) {
        self.labels.insert(word, label_index(tag) as u8);
    }
}

/// How often the first pass gave each label (O, PER, ORG, LOC, MISC) to each
/// capitalised word of the paragraph, keyed by the word's lowercase hash.
/// The second half of each count array counts only occurrences inside a
/// longer name ("Norvik" in "Norvik AG"), whose label is the surer one.
#[derive(Debug, Default)]
struct Memory {
    counts: FastMap<u64, [u16; 10]>,
}

/// The most frequent label in `counts` (names beat O on a tie: a word that
/// is a name once is rarely a common word elsewhere), or 9 when empty.
fn majority(counts: &[u16]) -> u64 {
    let mut found = 9u64;
    let mut best = 0u16;
    for (label, &count) in counts.iter().enumerate() {
        if count > best || (count == best && count > 0 && label > 0 && found == 0) {
            best = count;
            found = label as u64;
        }
    }
    found
}

impl Memory {
    fn add(&mut self, word: u64, tag: usize, in_longer_name: bool) {
        let counts = self.counts.entry(word).or_default();
        let label = label_index(tag);
        counts[label] = counts[label].saturating_add(1);
        if in_longer_name {
            counts[5 + label] = counts[5 + label].saturating_add(1);
        }
    }

    /// True when the first pass gave `word` different labels (O included) in
    /// different places: only then can the second pass change anything worth
    /// its cost, so sentences without such a word keep their first-pass tags.
    fn is_disputed(&self, word: u64) -> bool {
        self.counts.get(&word).is_some_and(|counts| counts[..5].iter().filter(|&&count| count > 0).count() > 1)
    }

    /// The second-pass context of one occurrence whose first-pass tag was `own`.
    fn context(&self, word: u64, own: usize, own_in_longer_name: bool, capitalized: bool) -> ParagraphContext {
        let mut counts = self.counts.get(&word).copied().unwrap_or_default();
        if capitalized {
            let label = label_index(own);
            counts[label] = counts[label].saturating_sub(1);
            if own_in_longer_name {
                counts[5 + label] = counts[5 + label].saturating_sub(1);
            }
        }
        let labels_seen = counts[..5].iter().enumerate().fold(
            0u64,
            |bits, (label, &count)| {
                if count > 0 { bits | 1 << label } else { bits }
            },
        );
        ParagraphContext {
            elsewhere: majority(&counts[..5]),
            in_longer_name: majority(&counts[5..]),
            labels_seen,
            first_pass: label_index(own) as u64,
        }
    }
}

/// Which pass is tagging, with what it knows of the paragraph.
enum Pass<'a> {
    First(&'a mut History),
    Second { memory: &'a Memory, first: &'a [usize] },
}

/// Greedy left-to-right tagging of one sentence; `hashes` are the sentence's
/// token hashes. `score` receives a feature enumerator and returns the score
/// of each tag.
fn tag_sentence(
    prose: &str,
    tokens: &[Token],
    sentence: Range<usize>,
    hashes: &[TokenHashes],
    mut pass: Pass<'_>,
    mut score: impl FnMut(&[u64], &[u64]) -> [f32; TAGS],
) -> Vec<usize> {
    let slice = &tokens[sentence];
    let mut tags = vec![O; slice.len()];
    if !slice.iter().any(|token| token.kind == TokenKind::Word && token.caps != Capitalization::Lower) {
        return tags;
    }
    let all_caps = is_all_caps(prose, slice);
    let (mut previous, mut previous2) = (O, O);
    for index in 0..slice.len() {
        if !is_candidate(prose, slice[index], previous, slice.get(index + 1).copied()) {
            previous2 = previous;
            previous = O;
            continue;
        }
        let (remembered, context) = match &pass {
            Pass::First(history) => (history.recall(hashes[index].lower), None),
            // The second pass re-scores the first pass's features as if the
            // word were new, and lets the paragraph features correct that.
            Pass::Second { memory, first } => {
                let own_in_longer_name =
                    is_inside(first[index]) || first.get(index + 1).is_some_and(|&next| is_inside(next));
                let capitalized = slice[index].caps.is_capitalized();
                (99, Some(memory.context(hashes[index].lower, first[index], own_in_longer_name, capitalized)))
            }
        };
        // The features are gathered into arrays on the stack and handed to
        // the scorer in one call: a callback per feature through two dynamic
        // calls cost more than the hashing of the features.
        let mut base = [0u64; MAX_BASE_FEATURES];
        let mut base_count = 0;
        features(hashes, slice, prose, index, previous, previous2, all_caps, remembered, |feature| {
            if base_count < base.len() {
                base[base_count] = feature;
                base_count += 1;
            }
        });
        let mut paragraph = [0u64; MAX_PARAGRAPH_FEATURES];
        let mut paragraph_count = 0;
        if let Some(context) = context {
            paragraph_features(hashes, index, previous, context, |feature| {
                if paragraph_count < paragraph.len() {
                    paragraph[paragraph_count] = feature;
                    paragraph_count += 1;
                }
            });
        }
        let scores = score(&base[..base_count], &paragraph[..paragraph_count]);
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
            let person_particle = NAME_PARTICLE_SET.contains(slice[index].text(prose));
            if !is_inside(best) || (label_of(best) == Some(Label::Person) && !person_particle) {
                best = O;
            }
        }
        tags[index] = best;
        if let Pass::First(history) = &mut pass
            && slice[index].caps.is_capitalized()
        {
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

/// How far from a word that can be scored on its own (a capitalised or
/// mixed-case word) a token's hashes can still be read. A scored token is
/// such a word or the token just before one (a connector, a possessive, an
/// ampersand: see [`is_candidate`]); its features read the hashes of the
/// tokens up to two places either side of it, and the flags of a
/// capitalised word read the phrase starts up to two places before it.
const HASHED_REACH: usize = 3;

/// Whether `token` is a word [`is_candidate`] scores whatever the tags
/// before it: capitalised, in capitals or in mixed case.
fn scored_on_its_own(token: Token) -> bool {
    token.kind == TokenKind::Word
        && matches!(token.caps, Capitalization::Title | Capitalization::Upper | Capitalization::Mixed)
}

/// The hashes of every token of the paragraph that the tagger can read,
/// computed once for both passes. Sentences without a capitalised word are
/// never scored, so their tokens are left at the default; so are tokens
/// further than [`HASHED_REACH`] from any word scored on its own, whose
/// hashes no feature, flag or memory ever reads (most of a sentence's
/// lowercase words, whose hashing and lexicon lookups were a third of the
/// tagger's work).
fn paragraph_hashes(prose: &str, tokens: &[Token], sentences: &[Range<usize>]) -> Vec<TokenHashes> {
    let mut hashes = vec![TokenHashes::default(); tokens.len()];
    let lexicon = lexicon();
    // Per-sentence scratch, reserved once for the longest sentence so that
    // it never grows while the paragraph is hashed.
    let longest_sentence = sentences.iter().map(ExactSizeIterator::len).max().unwrap_or(0);
    let mut starts: Vec<bool> = Vec::with_capacity(longest_sentence);
    let mut memberships: Vec<u8> = Vec::with_capacity(longest_sentence);
    let mut needed: Vec<bool> = Vec::with_capacity(longest_sentence);
    for sentence in sentences {
        let slice = &tokens[sentence.clone()];
        if !slice.iter().any(|token| token.kind == TokenKind::Word && token.caps != Capitalization::Lower) {
            continue;
        }
        needed.clear();
        needed.resize(slice.len(), false);
        for (position, token) in slice.iter().enumerate() {
            if scored_on_its_own(*token) {
                let reach_end = (position + HASHED_REACH + 1).min(slice.len());
                needed[position.saturating_sub(HASHED_REACH)..reach_end].fill(true);
            }
        }
        starts.clear();
        memberships.clear();
        for index in sentence.clone() {
            if !needed[index - sentence.start] {
                memberships.push(0);
                starts.push(false);
                continue;
            }
            let text = tokens[index].text(prose);
            let (lower, exact, shape) = if text.is_ascii() {
                ascii_hashes(text.as_bytes())
            } else {
                (word_key(text), hash_exact(text), hash_shape(text))
            };
            hashes[index] = TokenHashes { lower, exact, shape, flags: 0 };
            let members = lexicon.memberships_key(lower);
            memberships.push(members);
            starts.push(members & Membership::PHRASE_START != 0);
        }
        for index in sentence.clone() {
            if !needed[index - sentence.start] {
                continue;
            }
            let members = memberships[index - sentence.start];
            hashes[index].flags =
                lexicon_flags(lexicon, prose, tokens, index, sentence, hashes[index].lower, members, &starts);
        }
    }
    hashes
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

static MODEL: OnceLock<Option<Model>> = OnceLock::new();

/// The compiled-in model, or `None` when the shipped weights do not match
/// [`FEATURE_VERSION`] (then the rule proposer does the work).
pub fn model() -> Option<&'static Model> {
    MODEL.get_or_init(|| Model::from_bytes(MODEL_BYTES)).as_ref()
}

/// Replaces the compiled-in model for the rest of the process with `bytes`
/// (a model freshly trained in memory, or read from a file by a tool), so the
/// held-out evaluation can score a model trained on part of the data without
/// rebuilding. Only works before the first analysis; returns false when a
/// model is already in use or the bytes are not a model for these features.
pub fn install_model(bytes: &[u8]) -> bool {
    match Model::from_bytes(bytes) {
        Some(model) => MODEL.set(Some(model)).is_ok(),
        None => false,
    }
}

/// Training: an averaged perceptron over the same features, on CoNLL-2003
/// style data. Pure (text in, bytes out); the example binary does the IO.
pub mod training {
    use super::*;
    use crate::evaluation::conll::{ConllDocument, parse_documents};

    #[derive(Clone)]
    struct Example {
        text: String,
        tokens: Vec<Token>,
        sentences: Vec<Range<usize>>,
        hashes: Vec<TokenHashes>,
        gold: Vec<usize>,
    }

    fn prepare(document: &ConllDocument) -> Example {
        let text = document.text.clone();
        let tokens = crate::entities::tokens::tokenize(&text);
        let sentences = crate::entities::sentences::sentence_token_ranges(&text, &tokens);
        let hashes = paragraph_hashes(&text, &tokens, &sentences);
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
        Example { text, tokens, sentences, hashes, gold }
    }

    #[derive(Clone, Copy, Default)]
    struct Weight {
        value: [f32; TAGS],
        total: [f32; TAGS],
        stamp: [u32; TAGS],
    }

    /// What the first pass said about a training document, for training the
    /// second: its tags and memory, from a table that never saw the document.
    struct FirstPass {
        tags: Vec<usize>,
        memory: Memory,
        fold: usize,
    }

    /// Trains for `epochs` passes and returns the model bytes.
    pub fn train(conll_text: &str, epochs: usize) -> Vec<u8> {
        train_documents(&parse_documents(conll_text), epochs)
    }

    /// Folds for the second pass's training data: the first pass over each
    /// document comes from a model that never saw it, so the second pass
    /// learns how far to trust first-pass labels as they are on new text.
    const FOLDS: usize = 5;

    /// Trains on already parsed documents (a part of `eng.train` for the
    /// held-out evaluation) and returns the model bytes.
    pub fn train_documents(documents: &[ConllDocument], epochs: usize) -> Vec<u8> {
        let examples: Vec<Example> = documents.iter().map(prepare).collect();
        let (first, scale) = quantise(train_first(&examples, epochs), None);
        let mut fold_tables: Vec<(Table, f32)> = Vec::with_capacity(FOLDS);
        let mut first_passes: Vec<Option<FirstPass>> = (0..examples.len()).map(|_| None).collect();
        for fold in 0..FOLDS {
            let training: Vec<Example> = examples
                .iter()
                .enumerate()
                .filter(|(index, _)| index % FOLDS != fold)
                .map(|(_, e)| e.clone())
                .collect();
            let (weights, fold_scale) = quantise(train_first(&training, epochs), None);
            let table = Table::from_entries(weights.len(), weights.into_iter());
            for (index, example) in examples.iter().enumerate().filter(|(index, _)| index % FOLDS == fold) {
                let (tags, memory) =
                    first_pass(&example.text, &example.tokens, &example.sentences, &example.hashes, table.scorer(None));
                first_passes[index] = Some(FirstPass { tags, memory, fold });
            }
            fold_tables.push((table, fold_scale));
        }
        let first_passes: Vec<FirstPass> = first_passes.into_iter().flatten().collect();
        let (second, _) = quantise(train_second(&examples, &first_passes, &fold_tables, epochs), Some(scale));
        serialize(&[first, second])
    }

    fn train_first(examples: &[Example], epochs: usize) -> Vec<(u32, [f32; TAGS])> {
        let mut weights: FastMap<u64, Weight> = FastMap::default();
        let mut clock: u32 = 0;
        for document in shuffled_epochs(examples.len(), epochs) {
            if document == usize::MAX {
                continue;
            }
            let example = &examples[document];
            let mut history = History::default();
            for range in example.sentences.clone() {
                let mut pending: Vec<Vec<u64>> = Vec::new();
                let predicted = tag_sentence(
                    &example.text,
                    &example.tokens,
                    range.clone(),
                    &example.hashes[range.clone()],
                    Pass::First(&mut history),
                    |base, paragraph| {
                        let feature_list: Vec<u64> = base.iter().chain(paragraph).copied().collect();
                        let scores = sum(&weights, &feature_list, [0f32; TAGS]);
                        pending.push(feature_list);
                        scores
                    },
                );
                update(&mut weights, &mut clock, example, range, &predicted, pending);
            }
        }
        average(weights, clock)
    }

    /// The second pass: base scores from the fold's first-pass table (which
    /// never saw the document), corrections learned on the paragraph features.
    fn train_second(
        examples: &[Example],
        first_passes: &[FirstPass],
        fold_tables: &[(Table, f32)],
        epochs: usize,
    ) -> Vec<(u32, [f32; TAGS])> {
        let mut weights: FastMap<u64, Weight> = FastMap::default();
        let mut clock: u32 = 0;
        for document in shuffled_epochs(examples.len(), epochs) {
            if document == usize::MAX {
                continue;
            }
            let example = &examples[document];
            let first_pass = &first_passes[document];
            let (table, scale) = &fold_tables[first_pass.fold];
            for range in example.sentences.clone() {
                let mut pending: Vec<Vec<u64>> = Vec::new();
                let predicted = tag_sentence(
                    &example.text,
                    &example.tokens,
                    range.clone(),
                    &example.hashes[range.clone()],
                    Pass::Second { memory: &first_pass.memory, first: &first_pass.tags[range.clone()] },
                    |base_features, paragraph| {
                        let mut base = [0i32; TAGS];
                        table.add_scores(base_features, &mut base);
                        let feature_list = paragraph.to_vec();
                        let scores = sum(&weights, &feature_list, base.map(|value| value as f32 / scale));
                        pending.push(feature_list);
                        scores
                    },
                );
                update(&mut weights, &mut clock, example, range, &predicted, pending);
            }
        }
        average(weights, clock)
    }

    /// Document indices for `epochs` shuffled passes (a fixed seed, so the
    /// model is reproducible).
    fn shuffled_epochs(count: usize, epochs: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..count).collect();
        let mut all = Vec::with_capacity(count * epochs);
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..epochs {
            for index in (1..order.len()).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                order.swap(index, (seed % (index as u64 + 1)) as usize);
            }
            all.extend_from_slice(&order);
        }
        all
    }

    fn sum(weights: &FastMap<u64, Weight>, features: &[u64], mut scores: [f32; TAGS]) -> [f32; TAGS] {
        for feature in features {
            if let Some(weight) = weights.get(feature) {
                for (score, value) in scores.iter_mut().zip(weight.value) {
                    *score += value;
                }
            }
        }
        scores
    }

    /// The perceptron update for one tagged sentence: `pending` holds the
    /// features of each scored token, in order.
    fn update(
        weights: &mut FastMap<u64, Weight>,
        clock: &mut u32,
        example: &Example,
        range: Range<usize>,
        predicted_tags: &[usize],
        pending: Vec<Vec<u64>>,
    ) {
        let gold = &example.gold[range.clone()];
        // Map scored calls back to token positions: tag_sentence calls
        // `score` once per candidate token, in order.
        let candidates = candidate_positions(&example.text, &example.tokens, range, predicted_tags);
        for (feature_list, token_index) in pending.into_iter().zip(candidates) {
            let predicted = predicted_tags[token_index];
            let truth = gold[token_index];
            *clock += 1;
            if predicted == truth {
                continue;
            }
            for feature in feature_list {
                let weight = weights.entry(feature).or_default();
                for (tag, delta) in [(truth, 1.0f32), (predicted, -1.0)] {
                    let elapsed = (*clock - weight.stamp[tag]) as f32;
                    weight.total[tag] += elapsed * weight.value[tag];
                    weight.stamp[tag] = *clock;
                    weight.value[tag] += delta;
                }
            }
        }
    }

    fn average(weights: FastMap<u64, Weight>, clock: u32) -> Vec<(u32, [f32; TAGS])> {
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
        averaged
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

    /// Scales the averaged weights into `i16` and drops the ones that round
    /// to zero; returns them with the scale. The argmax does not change under
    /// a common scale; the second table takes the first's (`scale`), so that
    /// their sums add up.
    fn quantise(averaged: Vec<(u32, [f32; TAGS])>, scale: Option<f32>) -> (Vec<(u32, [i16; TAGS])>, f32) {
        let largest =
            averaged.iter().flat_map(|(_, vector)| vector.iter()).fold(0f32, |max, value| max.max(value.abs()));
        let scale = scale.unwrap_or(if largest > 0.0 { 32000.0 / largest } else { 1.0 });
        let mut kept: Vec<(u32, [i16; TAGS])> = averaged
            .into_iter()
            .map(|(key, vector)| (key, vector.map(|value| (value * scale).round().clamp(-32767.0, 32767.0) as i16)))
            .filter(|(_, vector)| vector.iter().any(|&value| value != 0))
            .collect();
        kept.sort_by_key(|(key, _)| *key);
        (kept, scale)
    }

    fn serialize(tables: &[Vec<(u32, [i16; TAGS])>]) -> Vec<u8> {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        for table in tables {
            bytes.extend_from_slice(&(table.len() as u32).to_le_bytes());
            for (key, vector) in table {
                bytes.extend_from_slice(&key.to_le_bytes());
                for value in vector {
                    bytes.extend_from_slice(&value.to_le_bytes());
                }
            }
        }
        bytes
    }
}
