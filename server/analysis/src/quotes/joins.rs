//! A learned decision for floating quotes: does the quote go on with the
//! statement it borrowed its speaker from, or start an attribution of its own?
//!
//! A floating quote (a direct quote with no cue in its sentence) takes the
//! speaker of the attributed quote before it ([`super::linking`]). Most of
//! the time it is the same statement in pieces (`"One," Lorne said. "Two."`),
//! and PolNeAR gives both pieces one attribution. But not always: after
//! `said Lorne, explaining why the ferry stays in dock.` the next quote is
//! often annotated apart, and a quote that opens a new paragraph is usually
//! a new attribution, though not when the paragraph before ended on a short
//! cued quote that the new one carries on. The rule used to be "joined
//! within a paragraph, apart across one"; a small model now decides from the
//! words between the two quotes, the earlier quote's cue and ending, and the
//! quote's own first words, and sets [`Quote::continues`].
//!
//! The model is an averaged perceptron over hashed features, like
//! [`super::fragments`], trained on the PolNeAR training split by
//! `scripts/train-attribution.sh` and shipped as `data/attribution-joins.bin`
//! (learned weights only, no corpus text). Without it (or with an empty
//! file) the old rule decides. It runs once per floating quote, after
//! linking, so it costs nothing in a draft without one.

use super::marks::has_double_quotation_mark;
use std::sync::Arc;

use super::weights_file::ModelSlot;

use super::lexicon::lexicon;
use crate::model::{Quote, Span};

/// Bits of the hashed weight table (2^16 weights of 4 bytes: 256 KB in memory).
const TABLE_BITS: u32 = 16;
const TABLE_SIZE: usize = 1 << TABLE_BITS;

/// Bumped whenever the features change, so stale weights are refused.
const FEATURE_VERSION: u32 = 2;
const MAGIC: &[u8; 4] = b"CDJN";

const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(hash: u64, value: u64) -> u64 {
    (hash ^ value).wrapping_mul(MIX).rotate_left(29)
}

/// A hash of a word, lower-cased (ASCII), with digits folded to `0`.
fn word_hash(word: &str) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for byte in word.bytes() {
        let byte = if byte.is_ascii_digit() { b'0' } else { byte.to_ascii_lowercase() };
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Counts in buckets, so that a weight generalises over nearby lengths.
fn bucket(count: usize) -> u64 {
    match count {
        0..=3 => count as u64,
        4..=5 => 4,
        6..=8 => 5,
        9..=12 => 6,
        13..=20 => 7,
        21..=40 => 8,
        _ => 9,
    }
}

fn words(text: &str) -> impl DoubleEndedIterator<Item = &str> {
    text.split(|character: char| !(character.is_alphanumeric() || character == '\'' || character == '\u{2019}'))
        .filter(|word| !word.is_empty())
}

/// The last character of a quote's words before its closing mark.
fn ending(text: &str) -> u64 {
    text.trim_end_matches(['"', '\u{201d}', '\u{201c}', '\'', '\u{2019}', ' '])
        .chars()
        .next_back()
        .map_or(0, |character| if character.is_alphanumeric() { 1 } else { u64::from(character) })
}

/// What the decision reads about one floating quote and the quote before it
/// that its item would join.
#[derive(Debug)]
pub struct JoinContext<'a> {
    /// The earlier quote's text, cue text and whether it was floating itself.
    pub previous_text: &'a str,
    pub previous_cue: Option<&'a str>,
    /// Where the earlier quote's cue sits: before it (`-1`), after it (`1`),
    /// inside it (`0`), or none (`2`).
    pub previous_cue_side: i8,
    pub previous_floating: bool,
    pub previous_direct: bool,
    /// The text between the two quotes.
    pub gap: &'a str,
    /// The part of the gap after the earlier quote's cue, when the cue lies
    /// in the gap (`"A," Lorne said, adding that ... "B."`); else the gap.
    pub after_cue: &'a str,
    /// The floating quote's text.
    pub text: &'a str,
    /// The rest of the floating quote's paragraph after it (at most
    /// [`AFTER_REACH`] bytes).
    pub after: &'a str,
}

/// How far after the floating quote the decision reads.
const AFTER_REACH: usize = 80;

/// The hashed features of a join decision.
pub fn features(context: &JoinContext<'_>, out: &mut Vec<u64>) {
    out.clear();
    let gap = context.gap;
    let same_paragraph = !gap.contains('\n');
    let paragraph = u64::from(same_paragraph);
    let mut add = |kind: u64, value: u64| out.push(mix(mix(0x6a01_0000 + kind, value), paragraph));
    add(0, 0);
    let gap_words: Vec<&str> = words(gap).collect();
    add(1, bucket(gap_words.len()));
    let sentences = gap.matches(['.', '?', '!']).count();
    add(2, bucket(sentences));
    add(3, u64::from(gap.trim().is_empty()));
    for (position, word) in gap_words.iter().take(3).enumerate() {
        add(10 + position as u64, word_hash(word));
    }
    for (position, word) in gap_words.iter().rev().take(3).enumerate() {
        add(20 + position as u64, word_hash(word));
    }
    let gap_speech = gap_words.iter().any(|word| lexicon().speech_verb(&word.to_lowercase()).is_some());
    add(4, u64::from(gap_speech));
    add(5, mix(u64::from(gap_speech), bucket(gap_words.len())));
    if let Some(cue) = context.previous_cue {
        for word in words(cue).rev().take(1) {
            add(30, word_hash(word));
        }
    }
    add(31, context.previous_cue_side as u64);
    add(32, mix(context.previous_cue_side as u64, bucket(gap_words.len())));
    add(33, u64::from(context.previous_floating));
    add(34, u64::from(context.previous_direct));
    add(35, ending(context.previous_text));
    add(36, bucket(words(context.previous_text).count()));
    add(37, mix(ending(context.previous_text), context.previous_cue_side as u64));
    let own_words: Vec<&str> = words(context.text).collect();
    add(40, bucket(own_words.len()));
    for (position, word) in own_words.iter().take(2).enumerate() {
        add(41 + position as u64, word_hash(word));
    }
    add(43, ending(context.text));
    // Narration after the earlier quote's cue: another speech verb there
    // (`, adding that`, `explaining why`, `declined to`) or a sentence of
    // its own often starts another attribution; a colon before the quote
    // introduces it anew.
    let rest_words: Vec<&str> = words(context.after_cue).collect();
    add(60, bucket(rest_words.len()));
    let mut verbs = 0;
    for word in &rest_words {
        if lexicon().speech_verb(&word.to_lowercase()).is_some() {
            verbs += 1;
            add(61, word_hash(word));
        }
    }
    add(62, bucket(verbs));
    add(63, bucket(context.after_cue.matches(['.', '?', '!']).count()));
    add(64, context.gap.trim_end().chars().next_back().map_or(0, u64::from));
    let last_sentence = context.gap.trim_end().rsplit(['.', '?', '!']).next().unwrap_or("");
    if let Some(word) = words(last_sentence).next() {
        add(65, word_hash(word));
    }
    let participle = context
        .after_cue
        .split(", ")
        .skip(1)
        .any(|part| part.split(' ').next().is_some_and(|word| word.len() > 4 && word.ends_with("ing")));
    add(66, u64::from(participle));
    let rest_sentences = bucket(context.after_cue.matches(['.', '?', '!']).count());
    add(68, mix(rest_sentences, context.previous_cue_side as u64));
    add(69, mix(rest_sentences, bucket(rest_words.len())));
    let after_words: Vec<&str> = words(context.after).collect();
    add(50, bucket(after_words.len()));
    for (position, word) in after_words.iter().take(2).enumerate() {
        add(51 + position as u64, word_hash(word));
    }
}

fn slot(feature: u64) -> usize {
    (feature >> (64 - TABLE_BITS)) as usize
}

/// The learned weights.
#[derive(Debug)]
pub struct JoinModel {
    weights: Vec<f32>,
    /// The score above which a floating quote goes on with the earlier one.
    threshold: f32,
}

impl JoinModel {
    /// Reads a model written by [`training::train`]; `None` for anything else.
    pub fn from_bytes(bytes: &[u8]) -> Option<JoinModel> {
        let file = super::weights_file::read(bytes, MAGIC, FEATURE_VERSION, TABLE_SIZE)?;
        (file.end == bytes.len()).then_some(JoinModel { weights: file.weights, threshold: file.threshold })
    }

    /// The score of a join (above the threshold: one attribution).
    pub fn score(&self, features: &[u64]) -> f32 {
        features.iter().map(|feature| self.weights[slot(*feature)]).sum()
    }

    /// Whether the floating quote goes on with the earlier quote.
    pub fn continues(&self, context: &JoinContext<'_>) -> bool {
        let mut scratch = Vec::with_capacity(32);
        features(context, &mut scratch);
        self.score(&scratch) > self.threshold
    }
}

const MODEL_BYTES: &[u8] = include_bytes!("../../data/attribution-joins.bin");

static MODEL: ModelSlot<JoinModel> = ModelSlot::new(MODEL_BYTES, JoinModel::from_bytes);

/// The model in use: the compiled-in one unless another was installed;
/// `None` when the weights do not match the features (then the rule decides).
pub fn model() -> Option<Arc<JoinModel>> {
    MODEL.get()
}

/// Replaces the model for the rest of the process (for the held-out
/// evaluation and for measuring the rule alone with an empty model). Unlike
/// the fragment model it may be replaced at any time: its training needs
/// the analysis of the training articles, which reads it.
pub fn install_model(bytes: &[u8]) {
    MODEL.install(bytes);
}

/// The earlier quote a floating quote's item would join: the last quote
/// before it with a quotation mark and the same source words (the item the
/// scorer and the hover group it with).
pub fn joined_quote(quotes: &[Quote], index: usize) -> Option<usize> {
    let quote = &quotes[index];
    (0..index).rev().find(|candidate| {
        let candidate = &quotes[*candidate];
        candidate.source_mention.as_ref().map(|mention| mention.span)
            == quote.source_mention.as_ref().map(|mention| mention.span)
            && has_double_quotation_mark(&candidate.text)
    })
}

/// What the decision reads, for the floating quote `index` and the earlier
/// quote `previous`, from `text` (the draft).
pub fn context<'a>(text: &'a str, quotes: &'a [Quote], previous: usize, index: usize) -> JoinContext<'a> {
    let earlier = &quotes[previous];
    let quote = &quotes[index];
    let gap = text.get(earlier.span.end.min(quote.span.start)..quote.span.start).unwrap_or("");
    let previous_cue_side = match &earlier.cue {
        None => 2,
        Some(cue) if cue.span.end <= earlier.span.start => -1,
        Some(cue) if cue.span.start >= earlier.span.end => 1,
        Some(_) => 0,
    };
    let rest = text.get(quote.span.end..).unwrap_or("");
    let mut reach = rest.find('\n').unwrap_or(rest.len()).min(AFTER_REACH);
    while !rest.is_char_boundary(reach) {
        reach -= 1;
    }
    let after_cue = match &earlier.cue {
        Some(cue) if cue.span.start >= earlier.span.end && cue.span.end <= quote.span.start => {
            text.get(cue.span.end..quote.span.start).unwrap_or("")
        }
        _ => gap,
    };
    JoinContext {
        after: &rest[..reach],
        after_cue,
        previous_text: &earlier.text,
        previous_cue: earlier.cue.as_ref().map(|cue| cue.text.as_str()),
        previous_cue_side,
        previous_floating: earlier.floating,
        previous_direct: earlier.direct,
        gap,
        text: &quote.text,
    }
}

/// The join decisions of the previous keystroke, for quote linking run
/// again after it: its quotes, moved into the new text (texts taken again
/// where they meet the edit), and the edited bytes in the new text.
#[derive(Debug, Clone, Copy)]
pub struct EarlierDecisions<'a> {
    pub quotes: &'a [Quote],
    pub edited: Span,
}

/// Which of the new quotes are old ones: the longest run of leading quotes
/// equal to the old ones (but for the join decisions, not yet taken) and,
/// after it, the longest run of trailing ones. An edit within one paragraph
/// changes the quotes near it only, so nearly every quote of a long draft
/// lies in one of the two runs.
struct QuoteAlignment {
    /// How many leading quotes are the old ones at the same index.
    prefix: usize,
    /// How many trailing quotes are the old ones counted from the end.
    suffix: usize,
    old_length: usize,
    new_length: usize,
}

impl QuoteAlignment {
    fn new(old: &[Quote], new: &[Quote]) -> QuoteAlignment {
        let shorter = old.len().min(new.len());
        let prefix = old.iter().zip(new).take_while(|(old, new)| same_but_joins(old, new)).count();
        let suffix = old[prefix..]
            .iter()
            .rev()
            .zip(new[prefix..].iter().rev())
            .take(shorter - prefix)
            .take_while(|(old, new)| same_but_joins(old, new))
            .count();
        QuoteAlignment { prefix, suffix, old_length: old.len(), new_length: new.len() }
    }

    /// The old index of the new quote `index` and which run it lies in
    /// (`false`: the leading one), when it is an old quote.
    fn old_index(&self, index: usize) -> Option<(usize, bool)> {
        self.across(index, self.new_length, self.old_length)
    }

    /// The new index of the old quote `index`, with its run, when it is one
    /// of the new quotes.
    fn new_index(&self, index: usize) -> Option<(usize, bool)> {
        self.across(index, self.old_length, self.new_length)
    }

    /// An index into a list of `from` quotes as an index into the other
    /// list, of `to` quotes, with its run.
    fn across(&self, index: usize, from: usize, to: usize) -> Option<(usize, bool)> {
        if index < self.prefix {
            Some((index, false))
        } else if index >= from - self.suffix {
            Some((index + to - from, true))
        } else {
            None
        }
    }
}

/// Whether two quotes are equal in everything the join decisions do not set.
fn same_but_joins(old: &Quote, new: &Quote) -> bool {
    let Quote {
        span,
        content,
        text,
        direct,
        cue,
        source_mention,
        speaker,
        source_kind,
        via,
        floating,
        continues: _,
        earlier_quote: _,
    } = old;
    *span == new.span
        && *content == new.content
        && *direct == new.direct
        && *floating == new.floating
        && *source_kind == new.source_kind
        && *cue == new.cue
        && *source_mention == new.source_mention
        && *speaker == new.speaker
        && *via == new.via
        && *text == new.text
}

/// Sets [`Quote::continues`] and [`Quote::earlier_quote`] on every floating
/// quote: the model's decision, or without a model the old rule (joined
/// within a paragraph only).
///
/// Given the previous keystroke's decisions (`earlier`), a floating quote
/// that is an old one keeps its old decision when its earlier quote is the
/// old one's too and the decision's [`read_window`] does not meet the edit:
/// the decision then reads the same two quotes and the same bytes, moved.
/// Its earlier quote is the old one's without walking back when both lie
/// in the same run of old quotes (every quote between them is then an old
/// one too, so the walk would stop at the same quote). Deciding every
/// floating quote again was a third of quote linking in a long draft.
pub fn decide(text: &str, quotes: &mut [Quote], earlier: Option<EarlierDecisions<'_>>) {
    if !quotes.iter().any(|quote| quote.floating) {
        return;
    }
    let model = model();
    let alignment = earlier.map(|earlier| (earlier, QuoteAlignment::new(earlier.quotes, quotes)));
    for index in 0..quotes.len() {
        if !quotes[index].floating {
            continue;
        }
        // The old quote this one is, and the new index of the old one's
        // earlier quote, when that lies in the same run.
        let old = alignment.as_ref().and_then(|(earlier, alignment)| {
            let (old_index, run) = alignment.old_index(index)?;
            let old = &earlier.quotes[old_index];
            let kept_earlier = match old.earlier_quote {
                None if !run => Some(None),
                None => None,
                Some(old_earlier) => match alignment.new_index(old_earlier) {
                    Some((new_earlier, earlier_run)) if earlier_run == run => Some(Some(new_earlier)),
                    _ => None,
                },
            };
            Some((old, kept_earlier, earlier.edited))
        });
        let previous = match old {
            Some((_, Some(kept), _)) => {
                debug_assert_eq!(kept, joined_quote(quotes, index), "an old quote's earlier quote moved");
                kept
            }
            _ => joined_quote(quotes, index),
        };
        quotes[index].earlier_quote = previous;
        let Some(previous) = previous else {
            quotes[index].continues = false;
            continue;
        };
        let kept_decision = old.and_then(|(old, _, edited)| {
            let same_earlier = alignment
                .as_ref()
                .and_then(|(_, alignment)| alignment.old_index(previous))
                .is_some_and(|(old_previous, _)| old.earlier_quote == Some(old_previous));
            let window = read_window(quotes, previous, index, text.len());
            let meets = window.start <= edited.end && edited.start <= window.end;
            (same_earlier && !meets).then_some(old.continues)
        });
        quotes[index].continues =
            kept_decision.unwrap_or_else(|| continues(text, quotes, model.as_deref(), previous, index));
    }
}

/// [`decide`] again after an edit, for quote linking carried over across it:
/// only the floating quotes whose [`read_window`] meets the edited bytes
/// (`edited`, in the new text; touching counts) are decided again. The
/// others keep their old decision, which read the same quotes and the same
/// bytes of text, only moved. Carried over, the quotes are the old ones in
/// the old order, so each floating quote's earlier quote is the one kept in
/// [`Quote::earlier_quote`], not looked up again: walking back from every
/// floating quote on every keystroke was the largest part of a carried-over
/// keystroke at 100,000 words.
pub fn decide_where_edited(text: &str, quotes: &mut [Quote], edited: Span) {
    let model = model();
    let meets = |window: Span| window.start <= edited.end && edited.start <= window.end;
    for index in 0..quotes.len() {
        if !quotes[index].floating {
            continue;
        }
        let kept = quotes[index].earlier_quote;
        debug_assert_eq!(kept, joined_quote(quotes, index), "quote linking carried over changed the quotes");
        let Some(previous) = kept else { continue };
        if meets(read_window(quotes, previous, index, text.len())) {
            quotes[index].continues = continues(text, quotes, model.as_deref(), previous, index);
        }
    }
}

/// Every byte the decision for the floating quote `index` reads, given the
/// earlier quote `previous` it would join: from the earlier quote (or its
/// cue, when that comes first) to [`AFTER_REACH`] bytes past the floating
/// quote (or the earlier quote's cue, when that ends later). The quotes'
/// own fields are read too, but they are linking's output, not text.
pub fn read_window(quotes: &[Quote], previous: usize, index: usize, text_length: usize) -> Span {
    let earlier = &quotes[previous];
    let cue = earlier.cue.as_ref().map(|cue| cue.span);
    let start = earlier.span.start.min(cue.map_or(usize::MAX, |cue| cue.start));
    let end = (quotes[index].span.end + AFTER_REACH).min(text_length).max(cue.map_or(0, |cue| cue.end));
    Span::new(start, end)
}

/// Whether the floating quote `index` goes on with the earlier quote
/// `previous`, by the given model (`None`: the rule, joined within a
/// paragraph only).
fn continues(text: &str, quotes: &[Quote], model: Option<&JoinModel>, previous: usize, index: usize) -> bool {
    let context = context(text, quotes, previous, index);
    match model {
        Some(model) => model.continues(&context),
        None => !context.gap.contains('\n'),
    }
}

/// Training: an averaged perceptron on the floating quotes of the training
/// articles, labelled from PolNeAR's gold attributions. Pure (documents in,
/// bytes out); the example binary does the IO.
pub mod training {
    use super::*;
    use crate::evaluation::polnear::{GoldAttribution, PolnearDocument, gold_direct_quotes};
    use crate::model::Span;
    use crate::offsets::CodePointIndex;
    use crate::quotes::perceptron::{Averaged, shuffle_for_epoch};
    use crate::{Config, DocumentKind, analyze};

    /// One floating quote seen in training: its features and its gold reading.
    #[derive(Debug, Clone)]
    pub struct Example {
        pub features: Vec<u64>,
        /// True when a gold direct quote holding this quote also holds the
        /// earlier one (one attribution).
        pub joined: bool,
        /// True when no paragraph break lies between the two quotes.
        pub same_paragraph: bool,
    }

    /// The floating quotes of one document, analysed with the models in use
    /// (the fragment model decides which quotes are there), labelled when a
    /// gold direct quote's content holds them.
    pub fn examples(document: &PolnearDocument) -> Vec<Example> {
        let gold = gold_direct_quotes(&document.annotations);
        let index = CodePointIndex::new(&document.text);
        let convert = |span: Span| Span::new(index.code_point(span.start), index.code_point(span.end));
        let overlaps = |attribution: &GoldAttribution, span: Span| {
            attribution.content.0.iter().any(|piece| piece.start < span.end && span.start < piece.end)
        };
        let analysis = analyze(&document.text, DocumentKind::PlainText, &Config::default());
        let quotes = &analysis.quotes;
        let mut out = Vec::new();
        for position in 0..quotes.len() {
            if !quotes[position].floating {
                continue;
            }
            let Some(previous) = quotes[position].earlier_quote else { continue };
            let here = convert(quotes[position].span);
            let earlier = convert(quotes[previous].span);
            let holding: Vec<&GoldAttribution> =
                gold.iter().filter(|attribution| overlaps(attribution, here)).collect();
            if holding.is_empty() {
                continue;
            }
            let joined = holding.iter().any(|attribution| overlaps(attribution, earlier));
            let mut features = Vec::new();
            let shown = context(&document.text, quotes, previous, position);
            super::features(&shown, &mut features);
            out.push(Example { features, joined, same_paragraph: !shown.gap.contains('\n') });
        }
        out
    }

    /// Trains for `epochs` passes and returns the model bytes.
    pub fn train(examples: &[Example], epochs: usize, threshold: f32) -> Vec<u8> {
        let mut model = Averaged::new(TABLE_BITS);
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut state = 0x6a01_f491_u64;
        for epoch in 0..epochs {
            shuffle_for_epoch(&mut order, &mut state, epoch);
            for &example_index in &order {
                let example = &examples[example_index];
                if (model.score(&example.features) > 0.0) != example.joined {
                    model.update(&example.features, if example.joined { 1.0 } else { -1.0 });
                }
                model.next_step();
            }
        }
        crate::quotes::weights_file::write(MAGIC, FEATURE_VERSION, threshold, &model.averaged())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::polnear::PolnearDocument;
    use crate::{Config, DocumentKind, analyze};

    fn quotes(text: &str) -> Vec<Quote> {
        analyze(text, DocumentKind::PlainText, &Config::default()).quotes
    }

    #[test]
    fn the_shipped_join_model_loads_and_is_small() {
        assert!(MODEL_BYTES.len() < 1024 * 1024);
        assert!(JoinModel::from_bytes(MODEL_BYTES).is_some());
    }

    #[test]
    fn other_bytes_are_refused() {
        crate::quotes::weights_file::assert_refuses_other_bytes(JoinModel::from_bytes, MODEL_BYTES, b"CDAT\x01\0\0\0");
    }

    #[test]
    fn a_floating_quote_in_the_same_paragraph_goes_on_with_the_quote_before() {
        let found =
            quotes("Ferry news\n\n\"We lost two sailings,\" Ada Lorne said on Friday. \"We cannot lose more.\"\n");
        assert_eq!(found.len(), 2);
        assert!(found[1].floating);
        assert!(found[1].continues);
        assert!(!found[0].continues, "only floating quotes continue");
    }

    #[test]
    fn without_a_model_a_floating_quote_continues_only_within_its_paragraph() {
        let text = "Ferry news\n\n\"We lost two sailings,\" Ada Lorne said on Friday. \"We cannot lose more.\"\n\n\"The board will hear about it.\"\n";
        let found = quotes(text);
        assert_eq!(found.len(), 3);
        assert!(found[1].floating && found[2].floating);
        let rule = |index: usize| {
            let previous = found[index].earlier_quote.expect("each floating quote has a quote before it");
            continues(text, &found, None, previous, index)
        };
        assert!(rule(1));
        assert!(!rule(2));
    }

    #[test]
    fn training_labels_a_floating_quote_by_the_gold_attribution_that_holds_it() {
        // Both quotes in one gold attribution (a discontinuous content):
        // joined. The third, annotated on its own, is apart.
        let text = "Ferry news\n\n\"We lost two sailings,\" Ada Lorne said on Friday. \"We cannot lose more.\"\n\n\"The board will hear about it.\"\n";
        let span = |needle: &str| {
            let start = text.find(needle).unwrap();
            (start, start + needle.len())
        };
        let (first_start, first_end) = span("\"We lost two sailings,\"");
        let (second_start, second_end) = span("\"We cannot lose more.\"");
        let (third_start, third_end) = span("\"The board will hear about it.\"");
        let (cue_start, cue_end) = span("said");
        let annotations = format!(
            "T1\tContent {first_start} {first_end};{second_start} {second_end}\t\"x\"\nT2\tCue {cue_start} {cue_end}\tsaid\n\
             E1\tAttribution:T2 Content:T1 Cue:T2\nT3\tContent {third_start} {third_end}\t\"x\"\nE2\tAttribution:T2 Content:T3 Cue:T2\n"
        );
        let document = PolnearDocument { name: String::from("fixture"), text: text.to_owned(), annotations };
        let examples = training::examples(&document);
        let readings: Vec<(bool, bool)> =
            examples.iter().map(|example| (example.joined, example.same_paragraph)).collect();
        assert_eq!(readings, [(true, true), (false, false)]);
        // A model trained on them reads them back.
        let bytes = training::train(&examples, 10, 0.0);
        let model = JoinModel::from_bytes(&bytes).unwrap();
        let scores: Vec<bool> = examples.iter().map(|example| model.score(&example.features) > 0.0).collect();
        assert_eq!(scores, [true, false]);
    }
}
