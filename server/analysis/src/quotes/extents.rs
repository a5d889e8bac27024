//! A learned correction of where the content of a cued quote starts and ends.
//!
//! The rules give a direct quote its marks and a reported clause the words
//! from its cue to the end of the clause, cut where an adjunct or a new
//! predicate follows the quoted words ([`super::end_after_quoted_words`]).
//! PolNeAR's contents often reach further or stop sooner: `his rival is in
//! "serious trouble."` takes in the words before the marks, and a clause the
//! rules cut at a comma goes on in the gold, or the other way round. Round 5
//! of the attribution work measured that choosing each edge among clause
//! boundaries as the gold does would lift dev F1 from 0.920 to 0.948.
//!
//! So for every statement with a cue that holds a double quotation mark and
//! lies inside no other statement, two ranking perceptrons score the
//! candidate starts and ends of its content: the rules' own edge, the marks,
//! the sentence's edges, and the points after (for a start) or before (for
//! an end) a comma, colon, semicolon, dash, parenthesis, `that`, `and` or
//! `but`, never crossing the statement's cue and source or another
//! statement. The best candidate replaces the rules' edge only when it
//! scores more than the model's threshold above it. A direct quote keeps its
//! marks; a wider content becomes a reported statement around it, with the
//! same cue and source, as the rules give `said the levy was "a maze"`.
//!
//! It runs inside [`super::analyze_paragraph`], on the paragraph alone, so
//! its decisions are cached and carried over with the paragraph like the
//! rest of that analysis. Trained on the PolNeAR training split by
//! `scripts/train-attribution.sh` and shipped as
//! `data/attribution-extents.bin` (learned weights only, no corpus text).

use std::sync::Arc;

use super::weights_file::ModelSlot;

use super::fragments::{bucket, mix, shape, word_hash};
use super::lexicon::lexicon;
use super::marks::{MarkRole, QuoteMark};
use super::words::{Token, TokenKind};

/// Bits of the hashed weight table (2^17 weights of 4 bytes: 512 KB in memory).
const TABLE_BITS: u32 = 17;
const TABLE_SIZE: usize = 1 << TABLE_BITS;

/// Bumped whenever the features change, so stale weights are refused.
const FEATURE_VERSION: u32 = 1;
const MAGIC: &[u8; 4] = b"CDEX";

// Namespaces of the two rankings, mixed into every feature hash.
const START: u64 = 0x5e57_a271;
const END: u64 = 0x5e0e_0d02;

/// How far (in tokens) a content may move beyond the rules' edge.
pub const MAX_REACH: usize = 30;

/// Where a statement's cue lies against its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueSide {
    Before,
    After,
    Inside,
    /// A direct quote with no cue.
    None,
}

/// One statement whose content edges the model may move, with what it reads
/// (token indices into the paragraph's tokens).
#[derive(Debug, Clone)]
pub struct Extent<'a> {
    pub prose: &'a str,
    pub tokens: &'a [Token],
    /// The rules' first and last tokens of the content.
    pub first: usize,
    pub last: usize,
    /// The first and last quotation marks inside the content.
    pub first_mark: usize,
    pub last_mark: usize,
    pub direct: bool,
    pub cue_side: CueSide,
    /// The last word of the cue.
    pub cue_word: Option<usize>,
    /// The first token of the sentence of `first`, and one past the last
    /// token of the sentence of `last`.
    pub sentence_start: usize,
    pub sentence_end: usize,
    /// The candidate first and last tokens, in token order; the rules'
    /// own are among them.
    pub starts: Vec<usize>,
    pub ends: Vec<usize>,
}

fn is_open_mark(marks: &[QuoteMark], token: &Token) -> bool {
    matches!(token.kind, TokenKind::Mark(mark) if marks[mark].role == MarkRole::Open)
}

fn is_close_mark(marks: &[QuoteMark], token: &Token) -> bool {
    matches!(token.kind, TokenKind::Mark(mark) if marks[mark].role == MarkRole::Close)
}

/// Punctuation after which a content may start or before which it may end.
fn is_clause_punctuation(token: &Token) -> bool {
    matches!(token.kind, TokenKind::Punct(',' | ':' | ';' | '(' | ')' | '\u{2014}' | '\u{2013}' | '-'))
}

fn is_sentence_stop(token: &Token) -> bool {
    matches!(token.kind, TokenKind::Punct('.' | '?' | '!' | '\u{2026}'))
}

/// True when a content may start at token `index` (the token before it
/// closes a clause, or it opens quoted words).
pub fn may_start_at(prose: &str, tokens: &[Token], marks: &[QuoteMark], index: usize) -> bool {
    is_open_mark(marks, &tokens[index])
        || index.checked_sub(1).is_some_and(|before| {
            is_clause_punctuation(&tokens[before])
                || is_sentence_stop(&tokens[before])
                || is_close_mark(marks, &tokens[before])
                || tokens[before].text(prose) == "that"
        })
}

/// True when a content may end at token `index` (it closes quoted words or
/// the sentence, or the token after it opens another clause).
pub fn may_end_at(prose: &str, tokens: &[Token], marks: &[QuoteMark], index: usize) -> bool {
    is_close_mark(marks, &tokens[index])
        || is_sentence_stop(&tokens[index])
        || tokens.get(index + 1).is_some_and(|after| {
            is_clause_punctuation(after)
                || is_sentence_stop(after)
                || is_open_mark(marks, after)
                || matches!(after.text(prose), "and" | "but")
        })
}

const OUTSIDE: u64 = 0x0b0b_0b0b;

impl Extent<'_> {
    fn word(&self, index: Option<usize>, low: usize, high: usize) -> u64 {
        match index {
            Some(index) if index >= low && index < high => word_hash(self.prose, &self.tokens[index]),
            _ => OUTSIDE,
        }
    }

    fn kind(&self) -> u64 {
        mix(u64::from(self.direct), self.cue_side as u64)
    }

    fn cue_hash(&self) -> u64 {
        self.cue_word.map_or(OUTSIDE, |index| word_hash(self.prose, &self.tokens[index]))
    }
}

/// Features of the tokens between two edges (taken in or left out).
fn crossed_features(
    extent: &Extent<'_>,
    range: std::ops::Range<usize>,
    feature: &dyn Fn(u64, u64) -> u64,
    out: &mut Vec<u64>,
) {
    let mut speech = false;
    let mut words = 0;
    for index in range {
        let token = &extent.tokens[index];
        let hash = word_hash(extent.prose, token);
        out.push(feature(30, hash));
        if token.is_word() {
            words += 1;
            let lower = token.text(extent.prose).to_ascii_lowercase();
            speech |= lexicon().speech_verb(&lower).is_some();
        } else if let Some(next) = extent.tokens.get(index + 1) {
            out.push(feature(31, mix(hash, word_hash(extent.prose, next))));
        }
    }
    out.push(feature(32, u64::from(speech)));
    out.push(feature(33, mix(bucket(words), extent.kind())));
}

/// Features of `start` as the first token of the content.
pub fn start_features(extent: &Extent<'_>, start: usize, out: &mut Vec<u64>) {
    out.clear();
    let feature = |kind: u64, value: u64| mix(mix(START, kind), value);
    let kind = extent.kind();
    let (low, high) = (extent.sentence_start, extent.sentence_end);
    let moved =
        if start < extent.first { mix(1, bucket(extent.first - start)) } else { mix(2, bucket(start - extent.first)) };
    let own = u64::from(start == extent.first);
    let word = extent.word(Some(start), low, high);
    let previous = extent.word(start.checked_sub(1), low, high);
    let previous_two = extent.word(start.checked_sub(2), low, high);
    out.push(feature(1, mix(own, kind)));
    out.push(feature(2, mix(moved, kind)));
    out.push(feature(3, word));
    out.push(feature(4, previous));
    out.push(feature(5, mix(previous, word)));
    out.push(feature(6, mix(previous_two, previous)));
    out.push(feature(7, mix(shape(&extent.tokens[start]), moved)));
    out.push(feature(8, mix(u64::from(start == low), kind)));
    out.push(feature(9, mix(u64::from(start == extent.first_mark), kind)));
    out.push(feature(10, mix(previous, moved)));
    out.push(feature(11, mix(extent.cue_hash(), moved)));
    out.push(feature(12, mix(mix(own, kind), previous)));
    out.push(feature(14, mix(mix(word, kind), moved)));
    out.push(feature(15, mix(mix(previous, word), kind)));
    let inside = extent.tokens[extent.first_mark..=extent.last_mark].iter().filter(|token| token.is_word()).count();
    out.push(feature(13, mix(bucket(inside), moved)));
    if start < extent.first {
        crossed_features(extent, start..extent.first, &|kind, value| feature(kind, mix(1, value)), out);
    } else if start > extent.first {
        crossed_features(extent, extent.first..start, &|kind, value| feature(kind, mix(2, value)), out);
    }
}

/// Features of `end` as the last token of the content.
pub fn end_features(extent: &Extent<'_>, end: usize, out: &mut Vec<u64>) {
    out.clear();
    let feature = |kind: u64, value: u64| mix(mix(END, kind), value);
    let kind = extent.kind();
    let (low, high) = (extent.sentence_start, extent.sentence_end);
    let moved = if end > extent.last { mix(1, bucket(end - extent.last)) } else { mix(2, bucket(extent.last - end)) };
    let own = u64::from(end == extent.last);
    let word = extent.word(Some(end), low, high);
    let next = extent.word(Some(end + 1), low, high);
    let next_two = extent.word(Some(end + 2), low, high);
    out.push(feature(1, mix(own, kind)));
    out.push(feature(2, mix(moved, kind)));
    out.push(feature(3, word));
    out.push(feature(4, next));
    out.push(feature(5, mix(word, next)));
    out.push(feature(6, mix(next, next_two)));
    out.push(feature(7, mix(shape(&extent.tokens[end]), moved)));
    out.push(feature(8, mix(u64::from(end + 1 >= high), kind)));
    out.push(feature(9, mix(u64::from(end == extent.last_mark), kind)));
    out.push(feature(10, mix(next, moved)));
    out.push(feature(11, mix(extent.cue_hash(), moved)));
    out.push(feature(12, mix(mix(own, kind), next)));
    out.push(feature(14, mix(mix(word, kind), moved)));
    out.push(feature(15, mix(mix(word, next), kind)));
    let inside = extent.tokens[extent.first_mark..=extent.last_mark].iter().filter(|token| token.is_word()).count();
    out.push(feature(13, mix(bucket(inside), moved)));
    if end > extent.last {
        crossed_features(extent, extent.last + 1..end + 1, &|kind, value| feature(kind, mix(1, value)), out);
    } else if end < extent.last {
        crossed_features(extent, end + 1..extent.last + 1, &|kind, value| feature(kind, mix(2, value)), out);
    }
}

fn slot(feature: u64) -> usize {
    (feature >> (64 - TABLE_BITS)) as usize
}

/// The learned weights.
#[derive(Debug)]
pub struct ExtentModel {
    weights: Vec<f32>,
    /// How much more than the rules' own edge a candidate must score to replace it.
    threshold: f32,
}

impl ExtentModel {
    /// Reads a model written by [`training::train`]; `None` for anything else.
    pub fn from_bytes(bytes: &[u8]) -> Option<ExtentModel> {
        let file = super::weights_file::read(bytes, MAGIC, FEATURE_VERSION, TABLE_SIZE)?;
        (file.end == bytes.len()).then_some(ExtentModel { weights: file.weights, threshold: file.threshold })
    }

    fn score(&self, features: &[u64]) -> f32 {
        features.iter().map(|feature| self.weights[slot(*feature)]).sum()
    }

    /// The best candidate of `candidates` under `features`, or `own` when
    /// no candidate beats it by more than the threshold.
    fn best(
        &self,
        candidates: &[usize],
        own: usize,
        features: &dyn Fn(usize, &mut Vec<u64>),
        scratch: &mut Vec<u64>,
    ) -> usize {
        let mut own_score = 0.0;
        let mut best = (f32::NEG_INFINITY, own);
        for &candidate in candidates {
            features(candidate, scratch);
            let score = self.score(scratch);
            if candidate == own {
                own_score = score;
            }
            if score > best.0 {
                best = (score, candidate);
            }
        }
        if best.1 != own && best.0 - own_score > self.threshold { best.1 } else { own }
    }

    /// The first and last tokens of the content.
    pub fn decide(&self, extent: &Extent<'_>) -> (usize, usize) {
        let mut scratch = Vec::with_capacity(64);
        let start =
            self.best(&extent.starts, extent.first, &|start, out| start_features(extent, start, out), &mut scratch);
        let end = self.best(&extent.ends, extent.last, &|end, out| end_features(extent, end, out), &mut scratch);
        (start, end)
    }
}

const MODEL_BYTES: &[u8] = include_bytes!("../../data/attribution-extents.bin");

static MODEL: ModelSlot<ExtentModel> = ModelSlot::new(MODEL_BYTES, ExtentModel::from_bytes);

/// The model in use: the compiled-in one unless another was installed;
/// `None` when the weights do not match the features (then the rules'
/// extents stand).
pub fn model() -> Option<Arc<ExtentModel>> {
    MODEL.get()
}

/// Replaces the model for the rest of the process (for training, which
/// needs the analysis without it, and the held-out evaluation). A caller
/// that caches paragraph analyses must drop them after replacing it.
pub fn install_model(bytes: &[u8]) {
    MODEL.install(bytes);
}

/// Training: ranking perceptrons on the cued quotes of the training
/// articles, labelled with the candidate nearest each edge of the gold
/// content. Pure (documents in, bytes out); the example binary does the IO.
pub mod training {
    use super::*;
    use crate::DocumentKind;
    use crate::evaluation::polnear::{PolnearDocument, gold_direct_quotes};
    use crate::model::Span;
    use crate::offsets::CodePointIndex;
    use crate::quotes::perceptron::{Averaged, shuffle_for_epoch};

    /// One statement seen in training, with owned copies of what its features read.
    #[derive(Debug, Clone)]
    pub struct Example {
        prose: String,
        /// The statement as the per-paragraph analysis hands it to the model.
        record: crate::quotes::ExtentRecord,
        /// The candidates nearest the gold content's start and end.
        pub gold: (usize, usize),
        /// The gold content piece and each token's span, in code points
        /// of the document (for scoring a choice as the scorer would).
        piece: Span,
        token_spans: Vec<Span>,
    }

    impl Example {
        /// True when the content from token `start` to token `end` matches
        /// the gold piece: it covers at least half of the longer of the two.
        fn matches(&self, (start, end): (usize, usize)) -> bool {
            let ours = Span::new(self.token_spans[start].start, self.token_spans[end].end);
            let overlap = self.piece.end.min(ours.end).saturating_sub(self.piece.start.max(ours.start));
            2 * overlap >= self.piece.len().max(ours.len())
        }

        fn extent(&self) -> Extent<'_> {
            self.record.extent(&self.prose)
        }
    }

    /// The statements of one document whose extents the model would judge
    /// (analysed with the fragment model in use and no extent model),
    /// labelled from the gold content piece that overlaps each most.
    /// Statements no gold direct quote overlaps are left out.
    pub fn examples(document: &PolnearDocument) -> Vec<Example> {
        let gold = gold_direct_quotes(&document.annotations);
        let index = CodePointIndex::new(&document.text);
        let layout = crate::document::layout(&document.text, DocumentKind::PlainText);
        let mut out = Vec::new();
        for paragraph in &layout.paragraphs {
            let offset = paragraph.span.start;
            let code_point = |byte: usize| index.code_point(offset + byte);
            let entities = crate::entities::analyze_paragraph(&paragraph.prose, paragraph.kind);
            for record in super::super::extent_examples(&paragraph.prose, paragraph.kind, &entities) {
                let extent = record.extent(&paragraph.prose);
                let ours = Span::new(
                    code_point(extent.tokens[extent.first].span.start),
                    code_point(extent.tokens[extent.last].span.end),
                );
                let piece = gold
                    .iter()
                    .flat_map(|attribution| attribution.content.0.iter().copied())
                    .map(|piece| (piece.end.min(ours.end).saturating_sub(piece.start.max(ours.start)), piece))
                    .filter(|(overlap, _)| *overlap > 0)
                    .max_by_key(|(overlap, piece)| (*overlap, std::cmp::Reverse(piece.start)))
                    .map(|(_, piece)| piece);
                let Some(piece) = piece else { continue };
                // A gold content that takes in our cue belongs to another
                // reading of the sentence (another cue, or ours as part of
                // the content): no choice of edges can match it, and its
                // nearest edges teach nothing.
                let cue_taken = extent.cue_word.is_some_and(|cue| {
                    let at =
                        Span::new(code_point(extent.tokens[cue].span.start), code_point(extent.tokens[cue].span.end));
                    piece.overlaps(at)
                });
                if cue_taken {
                    continue;
                }
                let nearest = |candidates: &[usize], own: usize, target: usize, at: &dyn Fn(usize) -> usize| {
                    candidates
                        .iter()
                        .copied()
                        .min_by_key(|candidate| (at(*candidate).abs_diff(target), *candidate != own))
                        .unwrap_or(own)
                };
                let start = nearest(&extent.starts, extent.first, piece.start, &|token| {
                    code_point(extent.tokens[token].span.start)
                });
                let end =
                    nearest(&extent.ends, extent.last, piece.end, &|token| code_point(extent.tokens[token].span.end));
                out.push(Example {
                    prose: paragraph.prose.to_string(),
                    record: record.clone(),
                    gold: (start, end),
                    piece,
                    token_spans: record
                        .tokens
                        .iter()
                        .map(|token| Span::new(code_point(token.span.start), code_point(token.span.end)))
                        .collect(),
                });
            }
        }
        out
    }

    /// One ranking step: when the best candidate is not `gold`, moves
    /// the weights towards the gold candidate's features and away from
    /// it. Ties go to the first candidate in text order (letting the
    /// rules' edge win them, as at decision time, measured 0.9076
    /// against 0.9082 on the held-out folds).
    fn rank(model: &mut Averaged, candidates: &[usize], gold: usize, features: &dyn Fn(usize, &mut Vec<u64>)) {
        let mut scratch = Vec::with_capacity(64);
        let mut best = (f32::NEG_INFINITY, gold);
        for &candidate in candidates {
            features(candidate, &mut scratch);
            let score = model.score(&scratch);
            if score > best.0 {
                best = (score, candidate);
            }
        }
        if best.1 != gold {
            features(gold, &mut scratch);
            model.update(&scratch, 1.0);
            features(best.1, &mut scratch);
            model.update(&scratch, -1.0);
        }
    }

    /// Trains for `epochs` passes and returns the model bytes; a candidate
    /// replaces the rules' edge when it scores more than `threshold` above it.
    pub fn train(examples: &[Example], epochs: usize, threshold: f32) -> Vec<u8> {
        let mut model = Averaged::new(TABLE_BITS);
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut state = 0x5e57_f491_u64;
        for epoch in 0..epochs {
            shuffle_for_epoch(&mut order, &mut state, epoch);
            for &example_index in &order {
                let example = &examples[example_index];
                let extent = example.extent();
                rank(&mut model, &extent.starts, example.gold.0, &|start, out| start_features(&extent, start, out));
                rank(&mut model, &extent.ends, example.gold.1, &|end, out| end_features(&extent, end, out));
                model.next_step();
            }
        }
        crate::quotes::weights_file::write(MAGIC, FEATURE_VERSION, threshold, &model.averaged())
    }

    /// How a model does on labelled statements: how many edges the rules
    /// had right, and how many the model has right.
    #[derive(Debug, Default, Clone, Copy)]
    pub struct ExtentScores {
        pub statements: usize,
        pub rules_right: usize,
        pub model_right: usize,
        /// Statements whose content matches the gold piece with the
        /// rules' extent, and with the model's; the model's gains and losses.
        pub rules_match: usize,
        pub model_match: usize,
        pub fixed: usize,
        pub broken: usize,
    }

    /// The content from token `start` to token `end`, for error lists.
    fn shown(example: &Example, (start, end): (usize, usize)) -> &str {
        &example.prose[example.record.tokens[start].span.start..example.record.tokens[end].span.end]
    }

    /// Lists each held-out statement the rules or the model leave
    /// unmatched: its gold edges (the nearest candidates), the rules' and
    /// the model's content (the caller prints them: the core prints nothing).
    pub fn describe(bytes: &[u8], examples: &[Example], out: &mut Vec<String>) {
        let Some(model) = ExtentModel::from_bytes(bytes) else { return };
        for example in examples {
            let extent = example.extent();
            let rules = (extent.first, extent.last);
            let decided = model.decide(&extent);
            if example.matches(rules) && example.matches(decided) {
                continue;
            }
            let verdict = match (example.matches(rules), example.matches(decided)) {
                (false, true) => "FIXED",
                (true, false) => "BROKEN",
                _ if decided != rules => "MOVED",
                _ => "KEPT",
            };
            out.push(format!(
                "{verdict} direct={} side={:?}\n  GOLD  {}\n  RULES {}\n  MODEL {}\n",
                extent.direct,
                extent.cue_side,
                shown(example, example.gold),
                shown(example, rules),
                shown(example, decided)
            ));
        }
    }

    /// Scores `bytes` (a trained model) on `examples`: both edges right.
    pub fn score(bytes: &[u8], examples: &[Example]) -> ExtentScores {
        let mut scores = ExtentScores::default();
        let Some(model) = ExtentModel::from_bytes(bytes) else { return scores };
        for example in examples {
            let extent = example.extent();
            scores.statements += 1;
            scores.rules_right += usize::from((extent.first, extent.last) == example.gold);
            let decided = model.decide(&extent);
            scores.model_right += usize::from(decided == example.gold);
            let rules_match = example.matches((extent.first, extent.last));
            let model_match = example.matches(decided);
            scores.rules_match += usize::from(rules_match);
            scores.model_match += usize::from(model_match);
            scores.fixed += usize::from(model_match && !rules_match);
            scores.broken += usize::from(rules_match && !model_match);
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
    use crate::quotes::extent_examples;

    /// The candidate contents of each statement the model judges in `prose`,
    /// rendered as `first…last` token texts, one statement a line.
    fn check(prose: &str, expect: &str) {
        let records = extent_examples(prose, ParagraphKind::Body, &ParagraphEntities::default());
        let lines: Vec<String> = records
            .iter()
            .map(|record| {
                let text = |index: usize| record.tokens[index].text(prose);
                let starts: Vec<&str> = record.starts.iter().map(|index| text(*index)).collect();
                let ends: Vec<&str> = record.ends.iter().map(|index| text(*index)).collect();
                format!("starts [{}] ends [{}]", starts.join(" "), ends.join(" "))
            })
            .collect();
        assert_eq!(lines.join("\n"), expect.trim(), "\n{prose}");
    }

    #[test]
    fn the_shipped_extent_model_loads_and_is_small() {
        assert!(MODEL_BYTES.len() < 1024 * 1024);
        assert!(ExtentModel::from_bytes(MODEL_BYTES).is_some());
    }

    #[test]
    fn other_bytes_are_refused() {
        crate::quotes::weights_file::assert_refuses_other_bytes(
            ExtentModel::from_bytes,
            MODEL_BYTES,
            b"CDAT\x01\0\0\0",
        );
    }

    #[test]
    fn a_quote_with_no_cue_may_take_in_its_clause() {
        check(
            "Her rival is in \"serious trouble with the island,\" and he knows it.",
            "starts [Her \"] ends [\" it .]",
        );
    }

    #[test]
    fn candidates_never_take_in_a_cue_or_its_source() {
        // The source and cue after the quote stop its end at the marks; the
        // start may go back to the clause before the colon.
        check(
            "The ferry is late again: \"We lost two sailings,\" Ada Lorne said on Friday.",
            "starts [The \"] ends [\"]",
        );
        // Nor may the second piece of an interrupted quote reach back
        // past the comma into its cue.
        check(
            "\"We lost two sailings,\" Ada Lorne said, \"because of the storm.\"",
            "starts [\"] ends [\"]\nstarts [, \"] ends [\"]",
        );
    }

    #[test]
    fn a_quote_inside_a_reported_clause_is_the_clause_s_to_judge() {
        check("Lorne said the ferry was \"a paper maze\" for islanders.", "");
    }

    #[test]
    fn training_learns_a_wider_gold_content() {
        // The gold gives the quote the clause after its marks.
        let text = "Ferry news\n\nHer rival is in \"serious trouble with the island,\" and he knows it all too well after the vote.\n";
        let content = "\"serious trouble with the island,\" and he knows it all too well after the vote";
        let start = text[..text.find(content).unwrap()].chars().count();
        let annotations = format!(
            "T1\tContent {start} {}\t{content}\nE1\tAttribution:T1 Content:T1\n",
            start + content.chars().count()
        );
        let document = PolnearDocument { name: "fixture".to_owned(), text: text.to_owned(), annotations };
        let examples = training::examples(&document);
        assert_eq!(examples.len(), 1);
        let bytes = training::train(&examples, 5, 0.0);
        let scores = training::score(&bytes, &examples);
        assert_eq!((scores.statements, scores.rules_right, scores.model_right), (1, 0, 1));
        assert_eq!((scores.rules_match, scores.model_match), (0, 1));
    }
}
