//! Named-entity scores on CoNLL-2003 (exact span and type; PER, ORG, LOC; MISC ignored).
//!
//! Each document (between `-DOCSTART-` lines) becomes one paragraph: its
//! sentences' tokens joined with single spaces, sentences separated by a line
//! break (the corpus gives sentence boundaries, and a line break inside a
//! paragraph ends a sentence for our splitter, as a soft break in a draft
//! would). The paragraph runs through the same per-paragraph analysis and
//! document linking as a draft; every entity mention (not titles or pronouns)
//! is then compared with the gold spans by exact byte span and type.

use std::fmt;
use std::sync::Arc;

use super::Counts;
use crate::config::Config;
use crate::document::{Paragraph, ParagraphKind};
use crate::entities::names::Label;
use crate::model::{EntityKind, MentionForm, Span};
use crate::pipeline::{ParagraphView, analyze_paragraph};

/// Per-type counts.
#[derive(Debug, Clone, Default)]
pub struct ConllReport {
    pub person: Counts,
    pub organization: Counts,
    pub place: Counts,
    pub documents: usize,
    pub sentences: usize,
    pub tokens: usize,
}

impl fmt::Display for ConllReport {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            formatter,
            "CoNLL-2003: {} documents, {} sentences, {} tokens",
            self.documents, self.sentences, self.tokens
        )?;
        for (label, counts) in [("PER", self.person), ("LOC", self.place), ("ORG", self.organization)] {
            writeln!(
                formatter,
                "{label}  P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
                counts.precision(),
                counts.recall(),
                counts.f1(),
                counts.true_positives,
                counts.false_positives,
                counts.false_negatives
            )?;
        }
        Ok(())
    }
}

/// A gold entity: a byte span in the rebuilt document text and its label
/// (`None` for labels other than PER/ORG/LOC/MISC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldEntity {
    pub span: Span,
    pub label: Option<Label>,
}

/// One CoNLL document rebuilt as a paragraph of text.
#[derive(Debug, Clone, Default)]
pub struct ConllDocument {
    pub text: String,
    pub entities: Vec<GoldEntity>,
    pub sentences: usize,
    pub tokens: usize,
}

fn label_from(tag: &str) -> Option<Label> {
    match tag {
        "PER" => Some(Label::Person),
        "ORG" => Some(Label::Organization),
        "LOC" => Some(Label::Place),
        "MISC" => Some(Label::Misc),
        _ => None,
    }
}

/// Parses CoNLL-2003 text (word POS chunk IOB1-tag per line) into documents.
pub fn parse_documents(conll_text: &str) -> Vec<ConllDocument> {
    let mut documents = Vec::new();
    let mut current = ConllDocument::default();
    let mut sentence_open = false;
    // The open entity: start byte, type, and end byte so far.
    let mut open: Option<(usize, String, usize)> = None;
    let close = |open: &mut Option<(usize, String, usize)>, document: &mut ConllDocument| {
        if let Some((start, tag, end)) = open.take() {
            document.entities.push(GoldEntity { span: Span::new(start, end), label: label_from(&tag) });
        }
    };
    for line in conll_text.lines() {
        let line = line.trim_end();
        if line.starts_with("-DOCSTART-") {
            close(&mut open, &mut current);
            if !current.text.is_empty() {
                documents.push(std::mem::take(&mut current));
            }
            sentence_open = false;
            continue;
        }
        if line.is_empty() {
            close(&mut open, &mut current);
            if sentence_open {
                current.sentences += 1;
            }
            sentence_open = false;
            continue;
        }
        let word = line.split(' ').next().unwrap_or_default();
        let tag = line.rsplit(' ').next().unwrap_or("O");
        if !current.text.is_empty() {
            current.text.push(if sentence_open { ' ' } else { '\n' });
        }
        sentence_open = true;
        let start = current.text.len();
        current.text.push_str(word);
        let end = current.text.len();
        current.tokens += 1;
        let (position, kind) = tag.split_once('-').unwrap_or(("O", ""));
        if position == "O" {
            close(&mut open, &mut current);
            continue;
        }
        let continues = position == "I" && open.as_ref().is_some_and(|(_, open_kind, _)| open_kind == kind);
        if continues {
            if let Some((_, _, open_end)) = open.as_mut() {
                *open_end = end;
            }
        } else {
            close(&mut open, &mut current);
            open = Some((start, kind.to_owned(), end));
        }
    }
    close(&mut open, &mut current);
    if sentence_open {
        current.sentences += 1;
    }
    if !current.text.is_empty() {
        documents.push(current);
    }
    documents
}

/// The typed spans our analysis finds in one rebuilt document.
pub fn predict(text: &str) -> Vec<(Span, EntityKind)> {
    let paragraph = Paragraph { span: Span::new(0, text.len()), kind: ParagraphKind::Body, prose: text.into() };
    let analysis = Arc::new(analyze_paragraph(text, ParagraphKind::Body));
    let views = [ParagraphView { index: 0, paragraph: &paragraph, analysis }];
    let linking = crate::entities::link(&crate::tracked_text::TrackedText::new(text), &views, &Config::default());
    let mut predicted: Vec<(Span, EntityKind)> = Vec::new();
    for entity in &linking.entities {
        for mention in &entity.mentions {
            if matches!(mention.form, MentionForm::Title | MentionForm::Pronoun) {
                continue;
            }
            predicted.push((mention.span, entity.kind));
        }
    }
    for ambiguous in &linking.ambiguous_mentions {
        predicted.push((ambiguous.span, EntityKind::Person));
    }
    predicted.sort_by_key(|(span, kind)| (span.start, span.end, *kind));
    predicted.dedup();
    predicted
}

/// Scores the analysis on the text of a CoNLL-2003 file such as `eng.testa`.
pub fn evaluate(conll_text: &str) -> ConllReport {
    evaluate_documents(&parse_documents(conll_text))
}

/// Splits `eng.train`'s documents for the held-out evaluation: every
/// `every`-th document (counting from 0) is held out, the rest are for
/// training. Whole documents move together, so no story is on both sides and
/// the paragraph memory of the tagger cannot leak names across the split.
pub fn split_held_out(documents: Vec<ConllDocument>, every: usize) -> (Vec<ConllDocument>, Vec<ConllDocument>) {
    let every = every.max(2);
    let (mut training, mut held_out) = (Vec::new(), Vec::new());
    for (index, document) in documents.into_iter().enumerate() {
        if index % every == 0 { held_out.push(document) } else { training.push(document) }
    }
    (training, held_out)
}

/// Scores the analysis on parsed documents.
pub fn evaluate_documents(documents: &[ConllDocument]) -> ConllReport {
    let mut report = ConllReport::default();
    for document in documents {
        report.documents += 1;
        report.sentences += document.sentences;
        report.tokens += document.tokens;
        let predicted = predict(&document.text);
        let gold: Vec<(Span, EntityKind)> = document
            .entities
            .iter()
            .filter_map(|entity| entity.label.and_then(Label::entity_kind).map(|kind| (entity.span, kind)))
            .collect();
        for kind in [EntityKind::Person, EntityKind::Organization, EntityKind::Place] {
            let counts = match kind {
                EntityKind::Person => &mut report.person,
                EntityKind::Organization => &mut report.organization,
                EntityKind::Place => &mut report.place,
            };
            let gold_spans: Vec<Span> = gold.iter().filter(|(_, k)| *k == kind).map(|(span, _)| *span).collect();
            let predicted_spans: Vec<Span> =
                predicted.iter().filter(|(_, k)| *k == kind).map(|(span, _)| *span).collect();
            let hits = predicted_spans.iter().filter(|span| gold_spans.contains(span)).count();
            counts.true_positives += hits;
            counts.false_positives += predicted_spans.len() - hits;
            counts.false_negatives += gold_spans.len() - hits;
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny hand-written CoNLL fragment (not corpus text).
    const SAMPLE: &str = "-DOCSTART- -X- O O\n\nAnna NNP I-NP I-PER\nVeld NNP I-NP I-PER\nvisited VBD I-VP O\nOslo NNP I-NP I-LOC\n. . O O\n\nShe PRP I-NP O\nleft VBD I-VP O\n. . O O\n\n";

    fn check(input: &str, expect: &str) {
        let documents = parse_documents(input);
        let rendered: Vec<String> = documents
            .iter()
            .map(|document| {
                let entities: Vec<String> = document
                    .entities
                    .iter()
                    .map(|entity| format!("{}={:?}", &document.text[entity.span.start..entity.span.end], entity.label))
                    .collect();
                format!("{:?} {}", document.text, entities.join(","))
            })
            .collect();
        assert_eq!(rendered.join("\n"), expect);
    }

    #[test]
    fn documents_become_paragraphs_with_gold_spans() {
        check(SAMPLE, "\"Anna Veld visited Oslo .\\nShe left .\" Anna Veld=Some(Person),Oslo=Some(Place)");
        let report = evaluate(SAMPLE);
        assert_eq!((report.documents, report.sentences, report.tokens), (1, 2, 8));
    }
}
