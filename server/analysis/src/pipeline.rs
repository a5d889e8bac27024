//! The analysis pipeline: paragraphs, then per-paragraph analysis (cached by
//! content), then the cheap document-level linking and the rules.
//!
//! The per-paragraph stage is where almost all the work is, and its results use
//! paragraph-relative offsets, so a paragraph that did not change is never
//! analysed again, even when text before it moved it. The document-level stage
//! shifts offsets, links entities and quotes across paragraphs and runs the rules.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::config::Config;
use crate::document::{DocumentKind, DocumentLayout, Paragraph, ParagraphKind, layout};
use crate::entities::{self, ParagraphEntities};
use crate::model::Analysis;
use crate::quotes::{self, ParagraphQuotes};
use crate::rules::{self, RuleContext};

/// Everything the per-paragraph stage finds in one paragraph, with offsets
/// relative to the paragraph's start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParagraphAnalysis {
    pub entities: ParagraphEntities,
    pub quotes: ParagraphQuotes,
}

/// Analyses one paragraph's prose view. Pure: the same prose and kind always
/// give the same result, which is what makes the cache sound.
pub fn analyze_paragraph(prose: &str, kind: ParagraphKind) -> ParagraphAnalysis {
    let entities = entities::analyze_paragraph(prose, kind);
    let quotes = quotes::analyze_paragraph(prose, kind, &entities);
    ParagraphAnalysis { entities, quotes }
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
    pub analysis: Analysis,
}

impl DocumentAnalysis {
    /// The paragraphs paired with their analyses.
    pub fn paragraph_views(&self) -> Vec<ParagraphView<'_>> {
        self.layout
            .paragraphs
            .iter()
            .zip(&self.paragraph_analyses)
            .enumerate()
            .map(|(index, (paragraph, analysis))| ParagraphView { index, paragraph, analysis: Arc::clone(analysis) })
            .collect()
    }
}

#[derive(Debug)]
struct CacheEntry {
    kind: ParagraphKind,
    prose: Box<str>,
    analysis: Arc<ParagraphAnalysis>,
}

/// Analyses documents again and again (once per edit), reusing the analysis of
/// every paragraph whose text did not change.
#[derive(Debug, Default)]
pub struct Analyzer {
    cache: HashMap<u64, Vec<CacheEntry>>,
    /// How many paragraphs the last call analysed afresh; for tests and benchmarks.
    pub last_fresh_paragraphs: usize,
}

fn content_hash(kind: ParagraphKind, prose: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    kind.hash(&mut hasher);
    prose.hash(&mut hasher);
    hasher.finish()
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
        let mut next_cache: HashMap<u64, Vec<CacheEntry>> = HashMap::with_capacity(layout.paragraphs.len());
        let mut fresh = 0;
        let mut paragraph_analyses = Vec::with_capacity(layout.paragraphs.len());
        for paragraph in &layout.paragraphs {
            let hash = content_hash(paragraph.kind, &paragraph.prose);
            let cached = self
                .cache
                .get(&hash)
                .and_then(|entries| {
                    entries.iter().find(|entry| entry.kind == paragraph.kind && *entry.prose == *paragraph.prose)
                })
                .or_else(|| {
                    next_cache.get(&hash).and_then(|entries| {
                        entries.iter().find(|entry| entry.kind == paragraph.kind && *entry.prose == *paragraph.prose)
                    })
                })
                .map(|entry| Arc::clone(&entry.analysis));
            let analysis = cached.unwrap_or_else(|| {
                fresh += 1;
                Arc::new(analyze_paragraph(&paragraph.prose, paragraph.kind))
            });
            let entries = next_cache.entry(hash).or_default();
            if !entries.iter().any(|entry| entry.kind == paragraph.kind && *entry.prose == *paragraph.prose) {
                entries.push(CacheEntry {
                    kind: paragraph.kind,
                    prose: paragraph.prose.clone().into_boxed_str(),
                    analysis: Arc::clone(&analysis),
                });
            }
            paragraph_analyses.push(analysis);
        }
        self.cache = next_cache;
        self.last_fresh_paragraphs = fresh;
        let analysis = link_document(text, &layout, &paragraph_analyses, config);
        DocumentAnalysis { layout, paragraph_analyses, analysis }
    }
}

/// The document-level stage: linking and rules over per-paragraph results.
pub fn link_document(
    text: &str,
    layout: &DocumentLayout,
    paragraph_analyses: &[Arc<ParagraphAnalysis>],
    config: &Config,
) -> Analysis {
    let views: Vec<ParagraphView<'_>> = layout
        .paragraphs
        .iter()
        .zip(paragraph_analyses)
        .enumerate()
        .map(|(index, (paragraph, analysis))| ParagraphView { index, paragraph, analysis: Arc::clone(analysis) })
        .collect();
    let mut linking = entities::link(text, &views, config);
    let quotes = quotes::link(text, &views, &mut linking, config);
    let diagnostics =
        rules::run(&RuleContext { text, layout, paragraphs: &views, linking: &linking, quotes: &quotes, config });
    Analysis { entities: linking.entities, ambiguous_mentions: linking.ambiguous_mentions, quotes, diagnostics }
}

/// Analyses `text` from scratch, without a cache.
pub fn analyze_document(text: &str, kind: DocumentKind, config: &Config) -> DocumentAnalysis {
    Analyzer::new().analyze(text, kind, config)
}
