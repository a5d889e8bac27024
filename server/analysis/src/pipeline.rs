//! The analysis pipeline: paragraphs, then per-paragraph analysis (cached by
//! content), then the cheap document-level linking and the rules.
//!
//! The per-paragraph stage is where almost all the work is, and its results use
//! paragraph-relative offsets, so a paragraph that did not change is never
//! analysed again, even when text before it moved it. The document-level stage
//! shifts offsets, links entities and quotes across paragraphs and runs the rules.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::document::{DocumentKind, DocumentLayout, Paragraph, ParagraphKind, layout};
use crate::entities::{self, ParagraphEntities};
use crate::model::{Analysis, Diagnostic};
use crate::quotes::{self, ParagraphQuotes};
use crate::rules::{self, RuleContext};

/// Everything the per-paragraph stage finds in one paragraph, with offsets
/// relative to the paragraph's start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParagraphAnalysis {
    pub entities: ParagraphEntities,
    pub quotes: ParagraphQuotes,
    pub rule_facts: rules::ParagraphFacts,
}

/// Analyses one paragraph's prose view. Pure: the same prose and kind always
/// give the same result, which is what makes the cache sound.
pub fn analyze_paragraph(prose: &str, kind: ParagraphKind) -> ParagraphAnalysis {
    let entities = entities::analyze_paragraph(prose, kind);
    let quotes = quotes::analyze_paragraph(prose, kind, &entities);
    let rule_facts = rules::paragraph_facts(prose, kind);
    ParagraphAnalysis { entities, quotes, rule_facts }
}

/// A paragraph of the document together with its (possibly cached) analysis.
#[derive(Debug, Clone)]
pub struct ParagraphView<'a> {
    pub index: usize,
    pub paragraph: &'a Paragraph,
    pub analysis: Arc<ParagraphAnalysis>,
}

impl ParagraphView<'_> {
    /// The document offset of the paragraph's first byte; add it to every
    /// paragraph-relative offset.
    pub fn offset(&self) -> usize {
        self.paragraph.span.start
    }
}

/// The full result of analysing a document, with the intermediate stages kept
/// for callers (the language server's features) that need more than [`Analysis`].
#[derive(Debug, Clone)]
pub struct DocumentAnalysis {
    pub layout: DocumentLayout,
    pub paragraph_analyses: Vec<Arc<ParagraphAnalysis>>,
    /// What the paragraph parts of the rules found in each paragraph, with
    /// paragraph-relative offsets and default severities (see [`rules::run_paragraph_rules`]).
    pub paragraph_diagnostics: Vec<Arc<Vec<Diagnostic>>>,
    pub analysis: Analysis,
}

impl DocumentAnalysis {
    /// The paragraphs paired with their analyses.
    pub fn paragraph_views(&self) -> Vec<ParagraphView<'_>> {
        paragraph_views(&self.layout, &self.paragraph_analyses)
    }
}

/// The paragraph rules' findings for one written form of a paragraph.
#[derive(Debug)]
struct RuleCacheEntry {
    document_kind: DocumentKind,
    /// The paragraph as written; in Markdown it can differ from the prose
    /// view (masked links, inline code), and the rules quote it in messages.
    text: Box<str>,
    diagnostics: Arc<Vec<Diagnostic>>,
}

#[derive(Debug)]
struct CacheEntry {
    kind: ParagraphKind,
    prose: Box<str>,
    analysis: Arc<ParagraphAnalysis>,
    /// Rule findings computed under the analyser's current configuration.
    rules: Vec<RuleCacheEntry>,
}

impl CacheEntry {
    fn rule_diagnostics(&self, document_kind: DocumentKind, text: &str) -> Option<Arc<Vec<Diagnostic>>> {
        self.rules
            .iter()
            .find(|entry| entry.document_kind == document_kind && *entry.text == *text)
            .map(|entry| Arc::clone(&entry.diagnostics))
    }
}

/// Analyses documents again and again (once per edit), reusing the analysis of
/// every paragraph whose text did not change.
#[derive(Debug, Default)]
pub struct Analyzer {
    /// Keyed by [`content_hash`], already a well-mixed 64-bit hash, so the
    /// map uses the cheap Fx hasher rather than SipHash (whose cost showed
    /// in every keystroke's profile of a long draft).
    cache: FxHashMap<u64, Vec<CacheEntry>>,
    /// The configuration the cached rule findings were computed under; a
    /// different one drops them (the paragraph analyses do not depend on it).
    rules_config: Option<Config>,
    /// How many paragraphs the last call analysed afresh; for tests and benchmarks.
    pub last_fresh_paragraphs: usize,
}

/// A fast, non-cryptographic hash of a paragraph for the cache's index.
/// Equal texts are still compared byte for byte before an entry is reused,
/// so a collision costs a comparison, never a wrong result. Eight bytes at a
/// time with a multiply and a rotate (the scheme of rustc's FxHasher), which
/// keeps hashing every paragraph of a 100,000-word draft well under a millisecond.
fn content_hash(kind: ParagraphKind, prose: &str) -> u64 {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut hash = (kind as u64).wrapping_add(prose.len() as u64).wrapping_mul(SEED);
    let mut mix = |word: u64| hash = (hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    let mut chunks = prose.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        mix(u64::from_le_bytes(word));
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    mix(u64::from_le_bytes(tail));
    hash
}

impl Analyzer {
    pub fn new() -> Analyzer {
        Analyzer::default()
    }

    /// Analyses `text`. Paragraphs seen in the previous call are taken from the
    /// cache; the cache then keeps only this call's paragraphs, so it never
    /// holds more than one document's worth.
    pub fn analyze(&mut self, text: &str, kind: DocumentKind, config: &Config) -> DocumentAnalysis {
        let layout = layout(text, kind);
        if self.rules_config.as_ref() != Some(config) {
            for entry in self.cache.values_mut().flatten() {
                entry.rules.clear();
            }
            self.rules_config = Some(config.clone());
        }
        let mut previous = std::mem::take(&mut self.cache);
        let mut next_cache: FxHashMap<u64, Vec<CacheEntry>> =
            FxHashMap::with_capacity_and_hasher(layout.paragraphs.len(), Default::default());
        let mut fresh = 0;
        let mut paragraph_analyses = Vec::with_capacity(layout.paragraphs.len());
        let mut paragraph_diagnostics = Vec::with_capacity(layout.paragraphs.len());
        for paragraph in &layout.paragraphs {
            let hash = content_hash(paragraph.kind, &paragraph.prose);
            let same = |entry: &CacheEntry| entry.kind == paragraph.kind && *entry.prose == *paragraph.prose;
            // Find the entry among this call's (a paragraph written twice), or
            // move it over from the previous call's cache, or analyse afresh.
            let entries = next_cache.entry(hash).or_default();
            let index = match entries.iter().position(same) {
                Some(index) => index,
                None => {
                    let reused = previous.get_mut(&hash).and_then(|entries| {
                        let position = entries.iter().position(same)?;
                        Some(entries.swap_remove(position))
                    });
                    entries.push(reused.unwrap_or_else(|| {
                        fresh += 1;
                        CacheEntry {
                            kind: paragraph.kind,
                            prose: paragraph.prose.clone().into_boxed_str(),
                            analysis: Arc::new(analyze_paragraph(&paragraph.prose, paragraph.kind)),
                            rules: Vec::new(),
                        }
                    }));
                    entries.len() - 1
                }
            };
            let entry = &mut entries[index];
            let paragraph_text = &text[paragraph.span.start..paragraph.span.end];
            let diagnostics = entry.rule_diagnostics(kind, paragraph_text).unwrap_or_else(|| {
                let found =
                    Arc::new(rules::run_paragraph_rules(paragraph_text, kind, paragraph, &entry.analysis, config));
                entry.rules.push(RuleCacheEntry {
                    document_kind: kind,
                    text: paragraph_text.into(),
                    diagnostics: Arc::clone(&found),
                });
                found
            });
            paragraph_analyses.push(Arc::clone(&entry.analysis));
            paragraph_diagnostics.push(diagnostics);
        }
        self.cache = next_cache;
        self.last_fresh_paragraphs = fresh;
        let analysis = link_document(text, &layout, &paragraph_analyses, &paragraph_diagnostics, config);
        DocumentAnalysis { layout, paragraph_analyses, paragraph_diagnostics, analysis }
    }
}

/// The layout's paragraphs paired with their analyses (given in the same order).
pub fn paragraph_views<'a>(
    layout: &'a DocumentLayout,
    paragraph_analyses: &[Arc<ParagraphAnalysis>],
) -> Vec<ParagraphView<'a>> {
    layout
        .paragraphs
        .iter()
        .zip(paragraph_analyses)
        .enumerate()
        .map(|(index, (paragraph, analysis))| ParagraphView { index, paragraph, analysis: Arc::clone(analysis) })
        .collect()
}

/// The document-level stage: linking and rules over per-paragraph results.
pub fn link_document(
    text: &str,
    layout: &DocumentLayout,
    paragraph_analyses: &[Arc<ParagraphAnalysis>],
    paragraph_diagnostics: &[Arc<Vec<Diagnostic>>],
    config: &Config,
) -> Analysis {
    let views = paragraph_views(layout, paragraph_analyses);
    let mut linking = entities::link(text, &views, config);
    let quotes = quotes::link(text, &views, &mut linking, config);
    let diagnostics =
        rules::run(&RuleContext::new(text, layout, &views, &linking, &quotes, config), paragraph_diagnostics);
    Analysis { entities: linking.entities, ambiguous_mentions: linking.ambiguous_mentions, quotes, diagnostics }
}

/// Analyses `text` from scratch, without a cache.
pub fn analyze_document(text: &str, kind: DocumentKind, config: &Config) -> DocumentAnalysis {
    Analyzer::new().analyze(text, kind, config)
}
