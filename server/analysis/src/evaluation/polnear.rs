//! Attribution scores on PolNeAR (brat standoff): direct-quote detection and source accuracy.
//!
//! # What is scored
//!
//! * **Direct quotes.** A gold direct quote is the Content span of an
//!   attribution (`E` line) whose text contains a double quotation mark
//!   (`"`, `“`, `”`, or `''`, two apostrophes standing for one in the New
//!   York Times archive texts); discontinuous spans (`a b;c d`) keep their pieces. A
//!   system item is a [`Quote`] whose text contains such a mark. Because PolNeAR
//!   gives each token to one attribution only, a system quote lying inside
//!   another system item (a quoted fragment inside the reported clause that
//!   carries it) is not a separate item, and quotes sharing one cue (an
//!   interrupted quote: `"A," she said, "B."`) form one item, as the gold joins
//!   them with a discontinuous span; a floating quote joins the item it took
//!   its speaker from, for the same reason, when the analysis says it goes on
//!   with that statement ([`Quote::continues`]: a learned decision, which
//!   without its model is "within the paragraph only"). An item's pieces are kept
//!   disjoint (a quote inside the clause that carries it is counted once). Gold and system items are matched one to
//!   one, greedily by overlap; a pair matches when the overlap covers at least
//!   half of the longer of the two (so neither a tiny nor a huge span can match
//!   by accident).
//! * **Sources.** A gold *speech* attribution is one with a Source span whose
//!   Cue contains a speech-verb form from `data/speech_verbs.txt` or the words
//!   "according to"; beliefs and intentions ("thinks", "wants") are not
//!   speech. Each gold speech attribution that the system found (a system quote
//!   whose content matches the gold content as above, or whose cue overlaps
//!   the gold cue) is scored: correct when the system's `source_mention`
//!   overlaps the gold Source span. The report also says how many gold speech
//!   attributions were found at all.
//!
//! Offsets in the `.ann` files count Unicode code points; the analysis counts
//! bytes, so system spans are converted before comparing.

use crate::quotes::marks::has_double_quotation_mark;
use std::fmt;

use super::Counts;
use crate::model::{Quote, Span};
use crate::offsets::CodePointIndex;
use crate::quotes::lexicon::lexicon;
use crate::{Config, DocumentKind, analyze};

/// One PolNeAR article: its text and its `.ann` annotation file.
#[derive(Debug, Clone)]
pub struct PolnearDocument {
    pub name: String,
    pub text: String,
    pub annotations: String,
}

/// Direct-quote detection counts and source accuracy.
#[derive(Debug, Clone, Default)]
pub struct PolnearReport {
    pub documents: usize,
    pub direct_quotes: Counts,
    /// Gold speech attributions (with a Source) in the documents.
    pub speech_attributions: usize,
    /// Gold speech attributions whose source we were scored on (the system found them).
    pub sources_scored: usize,
    /// Of those, how many had our `source_mention` overlapping the gold Source span.
    pub sources_correct: usize,
    /// The same two figures restricted to gold direct quotes.
    pub direct_sources_scored: usize,
    pub direct_sources_correct: usize,
}

impl fmt::Display for PolnearReport {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quotes = self.direct_quotes;
        writeln!(formatter, "PolNeAR: {} documents", self.documents)?;
        writeln!(
            formatter,
            "direct quotes  P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
            quotes.precision(),
            quotes.recall(),
            quotes.f1(),
            quotes.true_positives,
            quotes.false_positives,
            quotes.false_negatives
        )?;
        let ratio = |correct: usize, scored: usize| if scored == 0 { 0.0 } else { correct as f64 / scored as f64 };
        writeln!(
            formatter,
            "source accuracy {:.3}  ({} of {} found speech attributions; {} gold speech attributions, {:.3} found)",
            ratio(self.sources_correct, self.sources_scored),
            self.sources_correct,
            self.sources_scored,
            self.speech_attributions,
            ratio(self.sources_scored, self.speech_attributions)
        )?;
        writeln!(
            formatter,
            "source accuracy on direct quotes {:.3}  ({} of {})",
            ratio(self.direct_sources_correct, self.direct_sources_scored),
            self.direct_sources_correct,
            self.direct_sources_scored
        )
    }
}

/// A span made of pieces (brat discontinuous spans), in code points.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pieces(pub Vec<Span>);

impl Pieces {
    fn length(&self) -> usize {
        self.0.iter().map(|span| span.len()).sum()
    }

    fn overlap(&self, other: &Pieces) -> usize {
        let mut total = 0;
        for left in &self.0 {
            for right in &other.0 {
                let start = left.start.max(right.start);
                let end = left.end.min(right.end);
                total += end.saturating_sub(start);
            }
        }
        total
    }

    /// Adds `span`, keeping the pieces disjoint and in order: a span that
    /// overlaps or touches a piece grows that piece. Without this, a quote
    /// lying inside the reported clause that carries it would count its
    /// characters twice (in the length and in the overlap).
    fn add(&mut self, span: Span) {
        let mut merged = span;
        self.0.retain(|piece| {
            let touches = piece.start <= merged.end && merged.start <= piece.end;
            if touches {
                merged = Span::new(merged.start.min(piece.start), merged.end.max(piece.end));
            }
            !touches
        });
        let position = self.0.partition_point(|piece| piece.start < merged.start);
        self.0.insert(position, merged);
    }

    fn overlaps(&self, other: &Pieces) -> bool {
        self.overlap(other) > 0
    }

    fn matches(&self, other: &Pieces) -> bool {
        let overlap = self.overlap(other);
        overlap > 0 && 2 * overlap >= self.length().max(other.length())
    }
}

/// One gold attribution.
#[derive(Debug, Clone, Default)]
pub struct GoldAttribution {
    pub content: Pieces,
    pub content_text: String,
    pub cue: Pieces,
    pub cue_text: String,
    pub source: Option<Pieces>,
}

/// The gold direct quotes of a brat `.ann` file: the attributions whose
/// content holds a double quotation mark (the definition, and
/// what the models learn from).
pub fn gold_direct_quotes(annotations: &str) -> Vec<GoldAttribution> {
    parse_annotations(annotations)
        .into_iter()
        .filter(|attribution| has_double_quotation_mark(&attribution.content_text))
        .collect()
}

/// Reads the attributions of a brat `.ann` file.
pub fn parse_annotations(annotations: &str) -> Vec<GoldAttribution> {
    use std::collections::HashMap;
    let mut text_bounds: HashMap<&str, (Pieces, &str)> = HashMap::new();
    let mut events: Vec<Vec<(&str, &str)>> = Vec::new();
    for line in annotations.lines() {
        let mut fields = line.split('\t');
        let (Some(id), Some(body)) = (fields.next(), fields.next()) else { continue };
        if id.starts_with('T') {
            let Some((_, ranges)) = body.split_once(' ') else { continue };
            let pieces: Vec<Span> = ranges
                .split(';')
                .filter_map(|range| {
                    let (start, end) = range.trim().split_once(' ')?;
                    Some(Span::new(start.parse().ok()?, end.parse().ok()?))
                })
                .collect();
            text_bounds.insert(id, (Pieces(pieces), fields.next().unwrap_or("")));
        } else if id.starts_with('E') {
            events.push(body.split_whitespace().filter_map(|role| role.split_once(':')).collect());
        }
    }
    let mut out = Vec::new();
    for roles in events {
        let find = |name: &str| roles.iter().find(|(role, _)| *role == name).and_then(|(_, id)| text_bounds.get(id));
        let Some((first_content, first_text)) = find("Content") else { continue };
        // An attribution whose content is interrupted by a whole sentence of
        // narration (`"A," she said. "B."`) may carry its second piece as a
        // numbered role (`Content2`) instead of a discontinuous span: both
        // pieces are its content (train: 64 attributions, dev: 3).
        let mut content = first_content.clone();
        let mut content_text = (*first_text).to_owned();
        for (role, id) in &roles {
            let numbered = role
                .strip_prefix("Content")
                .is_some_and(|number| !number.is_empty() && number.bytes().all(|byte| byte.is_ascii_digit()));
            if let Some((pieces, text)) = text_bounds.get(id).filter(|_| numbered) {
                content.0.extend(pieces.0.iter().copied());
                content_text.push(' ');
                content_text.push_str(text);
            }
        }
        content.0.sort_by_key(|piece| piece.start);
        let (cue, cue_text) = find("Cue").cloned().unwrap_or_default();
        out.push(GoldAttribution {
            content,
            content_text,
            cue,
            cue_text: cue_text.to_owned(),
            source: find("Source").map(|(pieces, _)| pieces.clone()),
        });
    }
    out
}

/// True when a gold cue is speech: one of its words is a speech-verb form, or
/// it is "according to".
pub fn is_speech_cue(cue: &str) -> bool {
    let lower = cue.to_lowercase();
    lower.contains("according to")
        || lower
            .split(|character: char| !character.is_alphanumeric())
            .any(|word| !word.is_empty() && lexicon().speech_verb(word).is_some())
}

/// A system attribution in code points: content pieces, cue and source.
struct SystemItem {
    content: Pieces,
    cue: Option<Span>,
    source: Option<Span>,
    has_mark: bool,
    /// True when the item's first quote is floating (its speaker borrowed).
    floating: bool,
    /// Byte offset where the item's last piece ends in the text.
    end: usize,
}

fn system_items(text: &str, quotes: &[Quote]) -> Vec<SystemItem> {
    let index = CodePointIndex::new(text);
    let convert = |span: Span| Span::new(index.code_point(span.start), index.code_point(span.end));
    let mut items: Vec<SystemItem> = Vec::new();
    let mut item_of_quote: Vec<usize> = Vec::with_capacity(quotes.len());
    for quote in quotes {
        // The attribution's content: a direct quote's marks and the words
        // around them that the extent model gives the same attribution.
        let content = convert(quote.content);
        let cue = quote.cue.as_ref().map(|cue| convert(cue.span));
        let source = quote.source_mention.as_ref().map(|source| convert(source.span));
        let has_mark = has_double_quotation_mark(&quote.text);
        // Quotes sharing a cue are one attribution (an interrupted quote).
        if let Some(cue_span) = cue
            && let Some(position) =
                items.iter().position(|item| item.cue == Some(cue_span) && item.has_mark && has_mark)
        {
            let existing = &mut items[position];
            existing.content.add(content);
            existing.end = existing.end.max(quote.span.end);
            item_of_quote.push(position);
            continue;
        }
        // A quote continues the item of the earlier quote the analysis names
        // when it says so (`Quote::continues`); the gold joins such
        // continuations into one discontinuous span. For a floating quote
        // (its speaker borrowed) the analysis used to be read here as "within
        // a paragraph only" (on the training split, 1,067 of 1,108
        // same-paragraph continuations are joined, but only 40 of 140 that
        // open the next paragraph); `quotes::joins` now decides each one, and
        // without its model keeps that rule. A quote with neither cue nor
        // source goes on with the direct quote just before it in its
        // paragraph (`quotes::linking`).
        if quote.continues
            && let Some(earlier) = quote.earlier_quote
        {
            let position = item_of_quote[earlier];
            let existing = &mut items[position];
            // The reported start of a sentence that a cue interrupts has no
            // mark; the quote after the cue that continues it gives the item one.
            existing.has_mark |= has_mark;
            existing.content.add(content);
            existing.end = existing.end.max(quote.span.end);
            item_of_quote.push(position);
            continue;
        }
        item_of_quote.push(items.len());
        items.push(SystemItem {
            content: Pieces(vec![content]),
            cue,
            source,
            has_mark,
            floating: quote.floating,
            end: quote.span.end,
        });
    }
    items
}

/// Scores the analysis on PolNeAR articles.
pub fn evaluate(documents: &[PolnearDocument]) -> PolnearReport {
    evaluate_with_errors(documents, &mut Vec::new())
}

/// Like [`evaluate`], and lists every missed or spurious direct quote and every
/// wrong source in `errors` (one line each), for tuning on the training split.
pub fn evaluate_with_errors(documents: &[PolnearDocument], errors: &mut Vec<String>) -> PolnearReport {
    let mut report = PolnearReport { documents: documents.len(), ..PolnearReport::default() };
    let config = Config::default();
    for document in documents {
        let characters: Vec<char> = document.text.chars().collect();
        let show = |pieces: &Pieces| -> String {
            pieces
                .0
                .iter()
                .map(|span| {
                    characters[span.start.min(characters.len())..span.end.min(characters.len())]
                        .iter()
                        .collect::<String>()
                })
                .collect::<Vec<String>>()
                .join(" | ")
                .replace('\n', "⏎")
        };
        let gold = parse_annotations(&document.annotations);
        let analysis = analyze(&document.text, DocumentKind::PlainText, &config);
        let items = system_items(&document.text, &analysis.quotes);

        // Direct quotes.
        let gold_direct: Vec<&GoldAttribution> =
            gold.iter().filter(|attribution| has_double_quotation_mark(&attribution.content_text)).collect();
        let system_direct: Vec<&SystemItem> = items
            .iter()
            .enumerate()
            .filter(|(position, item)| {
                item.has_mark
                    && !items.iter().enumerate().any(|(other_position, other)| {
                        other_position != *position
                            && other.has_mark
                            && item.content.0.iter().all(|piece| {
                                other.content.0.iter().any(|outer| {
                                    outer.contains(*piece) && (outer.len() > piece.len() || other_position < *position)
                                })
                            })
                    })
            })
            .map(|(_, item)| item)
            .collect();
        let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
        for (gold_index, gold_item) in gold_direct.iter().enumerate() {
            for (system_index, system_item) in system_direct.iter().enumerate() {
                if gold_item.content.matches(&system_item.content) {
                    candidates.push((gold_item.content.overlap(&system_item.content), gold_index, system_index));
                }
            }
        }
        candidates.sort_by(|left, right| right.cmp(left));
        let mut gold_used = vec![false; gold_direct.len()];
        let mut system_used = vec![false; system_direct.len()];
        for (_, gold_index, system_index) in candidates {
            if !gold_used[gold_index] && !system_used[system_index] {
                gold_used[gold_index] = true;
                system_used[system_index] = true;
                report.direct_quotes.true_positives += 1;
            }
        }
        report.direct_quotes.false_negatives += gold_used.iter().filter(|used| !**used).count();
        report.direct_quotes.false_positives += system_used.iter().filter(|used| !**used).count();
        let show_span = |span: Option<Span>| span.map_or_else(|| String::from("-"), |span| show(&Pieces(vec![span])));
        for (gold_index, used) in gold_used.iter().enumerate() {
            if !used {
                let gold_item = gold_direct[gold_index];
                // What we said about the same words, if anything.
                let ours: Vec<String> = items
                    .iter()
                    .filter(|item| item.content.overlaps(&gold_item.content))
                    .map(|item| format!("[{} / cue {}]", show(&item.content), show_span(item.cue)))
                    .collect();
                errors.push(format!(
                    "FN {}: {} / gold cue <{}> / ours {}",
                    document.name,
                    show(&gold_item.content),
                    gold_item.cue_text,
                    if ours.is_empty() { String::from("none") } else { ours.join(" ") }
                ));
            }
        }
        for (system_index, used) in system_used.iter().enumerate() {
            if !used {
                let item = system_direct[system_index];
                let golds: Vec<String> = gold
                    .iter()
                    .filter(|attribution| attribution.content.overlaps(&item.content))
                    .map(|attribution| format!("[{} / cue {}]", show(&attribution.content), attribution.cue_text))
                    .collect();
                errors.push(format!(
                    "FP {}: {} / cue <{}> / source <{}>{} / gold {}",
                    document.name,
                    show(&item.content),
                    show_span(item.cue),
                    show_span(item.source),
                    if item.floating { " floating" } else { "" },
                    if golds.is_empty() { String::from("none") } else { golds.join(" ") }
                ));
            }
        }

        // Sources of speech attributions.
        for attribution in &gold {
            let Some(gold_source) = &attribution.source else { continue };
            if !is_speech_cue(&attribution.cue_text) {
                continue;
            }
            report.speech_attributions += 1;
            let found = items
                .iter()
                .find(|item| item.cue.is_some_and(|cue| Pieces(vec![cue]).overlaps(&attribution.cue)))
                .or_else(|| items.iter().find(|item| item.content.matches(&attribution.content)));
            let Some(found) = found else { continue };
            let correct = found.source.is_some_and(|source| Pieces(vec![source]).overlaps(gold_source));
            if !correct {
                errors.push(format!(
                    "SRC {}: gold <{}> ours <{}> cue <{}> content <{}>",
                    document.name,
                    show(gold_source),
                    found.source.map_or_else(String::new, |source| show(&Pieces(vec![source]))),
                    attribution.cue_text,
                    show(&attribution.content).chars().take(100).collect::<String>()
                ));
            }
            report.sources_scored += 1;
            report.sources_correct += usize::from(correct);
            if has_double_quotation_mark(&attribution.content_text) {
                report.direct_sources_scored += 1;
                report.direct_sources_correct += usize::from(correct);
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, annotations: &str, expect: &str) {
        let report = evaluate(&[PolnearDocument {
            name: String::from("fixture"),
            text: text.to_owned(),
            annotations: annotations.to_owned(),
        }]);
        let actual = format!(
            "quotes tp {} fp {} fn {}; sources {}/{} of {}",
            report.direct_quotes.true_positives,
            report.direct_quotes.false_positives,
            report.direct_quotes.false_negatives,
            report.sources_correct,
            report.sources_scored,
            report.speech_attributions
        );
        assert_eq!(actual, expect);
    }

    /// Annotates the quote that opens the body of `text` (up to the comma
    /// and its closing mark, `mark_length` bytes), its cue "said" and source "Ruiz".
    fn annotate_opening_quote(text: &str, mark_length: usize) -> String {
        let start = text.find("\n\n").unwrap() + 2;
        let content_end = text.find(',').unwrap() + 1 + mark_length;
        let source = text.find("Ruiz").unwrap();
        let cue = text.find("said").unwrap();
        format!(
            "T1\tContent {start} {content_end}\t{}\nT2\tSource {source} {}\tRuiz\nT3\tCue {cue} {}\tsaid\nT4\tAttribution {cue} {}\tsaid\nE1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n",
            &text[start..content_end],
            source + 4,
            cue + 4,
            cue + 4
        )
    }

    #[test]
    fn doubled_apostrophes_are_a_quotation_mark() {
        // Some archive texts write a double mark as two apostrophes; the
        // analysis reads them as one mark, and so does the scorer, on both sides.
        let text = "Bridge story\n\n''We will rebuild,'' Ruiz said. The mayor agreed.\n";
        check(text, &annotate_opening_quote(text, 2), "quotes tp 1 fp 0 fn 0; sources 1/1 of 1");
        assert!(has_double_quotation_mark("a ''quoted'' word"));
        assert!(!has_double_quotation_mark("the mayor's plan"));
    }

    #[test]
    fn scores_a_written_fixture() {
        // Offsets: the content is the quote (0..19), the cue "said" (24..28),
        // the source "Ruiz" (19..23 after the comma and space).
        let text = "Bridge story\n\n\"We will rebuild,\" Ruiz said. The mayor agreed.\n";
        assert_eq!(annotate_opening_quote(text, 1).lines().next(), Some("T1\tContent 14 32\t\"We will rebuild,\""));
        let start = text.find('"').unwrap();
        let content_end = text.find(',').unwrap() + 2;
        let source = text.find("Ruiz").unwrap();
        let cue = text.find("said").unwrap();
        let annotations = format!(
            "T1\tContent {start} {content_end}\t{}\nT2\tSource {source} {}\tRuiz\nT3\tCue {cue} {}\tsaid\nT4\tAttribution {cue} {}\tsaid\nE1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n",
            &text[start..content_end],
            source + 4,
            cue + 4,
            cue + 4
        );
        check(text, &annotations, "quotes tp 1 fp 0 fn 0; sources 1/1 of 1");
    }

    #[test]
    fn pieces_stay_disjoint() {
        // A quote inside the clause that carries it adds no length and no
        // overlap: counting it twice would let a short clause match a long gold span.
        let mut pieces = Pieces(vec![Span::new(10, 40)]);
        pieces.add(Span::new(20, 30));
        assert_eq!(pieces.0, vec![Span::new(10, 40)]);
        pieces.add(Span::new(50, 60));
        pieces.add(Span::new(0, 5));
        assert_eq!(pieces.0, vec![Span::new(0, 5), Span::new(10, 40), Span::new(50, 60)]);
        pieces.add(Span::new(38, 52));
        assert_eq!(pieces.0, vec![Span::new(0, 5), Span::new(10, 60)]);
        let gold = Pieces(vec![Span::new(0, 100)]);
        assert_eq!(gold.overlap(&pieces), 55);
    }

    #[test]
    fn discontinuous_spans_parse() {
        let gold = parse_annotations(
            "T1\tContent 0 4;10 14\tab cd\nT2\tCue 5 9\tsaid\nE1\tAttribution:T9 Content:T1 Cue:T2\n",
        );
        assert_eq!(gold.len(), 1);
        assert_eq!(gold[0].content.0, vec![Span::new(0, 4), Span::new(10, 14)]);
        assert!(gold[0].source.is_none());
        assert!(is_speech_cue("has said"));
        assert!(!is_speech_cue("thinks"));
    }

    #[test]
    fn a_numbered_content_role_is_more_of_the_same_content() {
        let gold = parse_annotations(
            "T1\tContent 10 14\tcd\nT2\tCue 5 9\tsaid\nT3\tContent 0 4\tab\nE1\tAttribution:T9 Content:T1 Cue:T2 Content2:T3\n",
        );
        assert_eq!(gold[0].content.0, vec![Span::new(0, 4), Span::new(10, 14)]);
        // A quote, its cue, then a second quote after a full stop: the gold
        // gives the second piece as `Content2`, and our floating quote joins
        // the first, so the two are one attribution on both sides.
        let text = "Bridge story\n\n\"We will rebuild,\" Ruiz said. \"The bridge opens in May.\"\n";
        let second = text.rfind("\"The").unwrap();
        let second_end = text.rfind('"').unwrap() + 1;
        let annotations = format!(
            "{}T5\tContent {second} {second_end}\t{}\n",
            annotate_opening_quote(text, 1).replace("Source:T2", "Source:T2 Content2:T5"),
            &text[second..second_end]
        );
        check(text, &annotations, "quotes tp 1 fp 0 fn 0; sources 1/1 of 1");
    }

    #[test]
    fn a_sentence_cut_by_its_cue_is_one_item() {
        // The gold gives the sentence's start and the quote after the cue
        // one content in two pieces; the analysis reports the start and says
        // the quote continues it, so the item holds both and has a mark.
        let text = "Bridge story\n\nSo when the river floods in spring, Ruiz said, \"we will close the bridge.\"\n";
        let start = text.find("So").unwrap();
        let start_end = text.find(", Ruiz").unwrap();
        let quote = text.find('"').unwrap();
        let quote_end = text.rfind('"').unwrap() + 1;
        let source = text.find("Ruiz").unwrap();
        let cue = text.find("said").unwrap();
        let annotations = format!(
            "T1\tContent {start} {start_end};{quote} {quote_end}\t{} {}\nT2\tSource {source} {}\tRuiz\nT3\tCue {cue} {}\tsaid\nT4\tAttribution {cue} {}\tsaid\nE1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n",
            &text[start..start_end],
            &text[quote..quote_end],
            source + 4,
            cue + 4,
            cue + 4
        );
        check(text, &annotations, "quotes tp 1 fp 0 fn 0; sources 1/1 of 1");
    }

    #[test]
    fn quotes_with_neither_cue_nor_source_in_one_paragraph_are_one_item() {
        // Two quotes nobody is named as saying, one after the other: the
        // gold gives them one attribution in two pieces (its cue further
        // on), and the analysis says the second goes on with the first.
        let text = "Ferry story\n\n\"I am calling about the noon ferry.\" \"Is it running today?\"\n";
        let first = text.find('"').unwrap();
        let first_end = text.find(".\"").unwrap() + 2;
        let second = text.rfind("\"Is").unwrap();
        let second_end = text.rfind('"').unwrap() + 1;
        let annotations = format!(
            "T1\tContent {first} {first_end};{second} {second_end}\t{} {}\nE1\tAttribution:T9 Content:T1\n",
            &text[first..first_end],
            &text[second..second_end]
        );
        check(text, &annotations, "quotes tp 1 fp 0 fn 0; sources 0/0 of 0");
    }
}
