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
use crate::model::{Analysis, Diagnostic, Span};
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
    /// How many paragraphs of the last analysed document use this entry; the
    /// entry leaves the cache when none does.
    uses: usize,
}

impl CacheEntry {
    fn rule_diagnostics(&self, document_kind: DocumentKind, text: &str) -> Option<Arc<Vec<Diagnostic>>> {
        self.rules
            .iter()
            .find(|entry| entry.document_kind == document_kind && *entry.text == *text)
            .map(|entry| Arc::clone(&entry.diagnostics))
    }
}

/// One paragraph of the previously analysed document, as the next call needs
/// it to carry the paragraph over without hashing or comparing its text.
#[derive(Debug)]
struct PreviousParagraph {
    span: Span,
    kind: ParagraphKind,
    /// The [`content_hash`] of the paragraph, under which its entry is filed.
    hash: u64,
    analysis: Arc<ParagraphAnalysis>,
    diagnostics: Arc<Vec<Diagnostic>>,
}

/// The previously analysed document.
#[derive(Debug, Default)]
struct PreviousDocument {
    text: String,
    kind: DocumentKind,
    paragraphs: Vec<PreviousParagraph>,
}

/// Analyses documents again and again (once per edit), reusing the analysis of
/// every paragraph whose text did not change.
///
/// Two levels of reuse. First, a paragraph lying wholly in the text before
/// the first changed byte, or wholly in the text after the last one, is
/// carried over from the previous call as it was: its bytes are known to be
/// the same without looking at them, which is what one keystroke in a long
/// draft leaves for every paragraph but one. Second, every other paragraph
/// is looked up in a cache keyed by its content, which serves paragraphs
/// moved, pasted, or written twice.
#[derive(Debug, Default)]
pub struct Analyzer {
    /// Keyed by [`content_hash`], already a well-mixed 64-bit hash, so the
    /// map uses the cheap Fx hasher rather than SipHash (whose cost showed
    /// in every keystroke's profile of a long draft). Holds exactly the
    /// entries the previous document's paragraphs use.
    cache: FxHashMap<u64, Vec<CacheEntry>>,
    previous: PreviousDocument,
    /// The configuration the cached rule findings were computed under; a
    /// different one drops them (the paragraph analyses do not depend on it).
    rules_config: Option<Config>,
    /// How many paragraphs the last call analysed afresh; for tests and benchmarks.
    pub last_fresh_paragraphs: usize,
    /// How many paragraphs the last call carried over from the previous
    /// document without looking them up; for tests and benchmarks.
    pub last_carried_paragraphs: usize,
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

/// The lengths of the longest common prefix and, in what follows it, the
/// longest common suffix of two texts, in bytes. Never more than the shorter
/// text between them, so the two never overlap.
fn common_prefix_and_suffix(old: &[u8], new: &[u8]) -> (usize, usize) {
    // Compared in blocks first: slice equality is a memcmp, far faster than a
    // byte-by-byte walk over a long unchanged draft.
    const BLOCK: usize = 4096;
    let shorter = old.len().min(new.len());
    let mut prefix = 0;
    while prefix + BLOCK <= shorter && old[prefix..prefix + BLOCK] == new[prefix..prefix + BLOCK] {
        prefix += BLOCK;
    }
    while prefix < shorter && old[prefix] == new[prefix] {
        prefix += 1;
    }
    let room = shorter - prefix;
    let mut suffix = 0;
    while suffix + BLOCK <= room
        && old[old.len() - suffix - BLOCK..old.len() - suffix] == new[new.len() - suffix - BLOCK..new.len() - suffix]
    {
        suffix += BLOCK;
    }
    while suffix < room && old[old.len() - suffix - 1] == new[new.len() - suffix - 1] {
        suffix += 1;
    }
    (prefix, suffix)
}

impl Analyzer {
    pub fn new() -> Analyzer {
        Analyzer::default()
    }

    /// Analyses `text`. Paragraphs of the previous call are carried over or
    /// taken from the cache; the cache then keeps only this call's
    /// paragraphs, so it never holds more than one document's worth.
    pub fn analyze(&mut self, text: &str, kind: DocumentKind, config: &Config) -> DocumentAnalysis {
        let layout = layout(text, kind);
        let mut carry_allowed = self.previous.kind == kind;
        if self.rules_config.as_ref() != Some(config) {
            for entry in self.cache.values_mut().flatten() {
                entry.rules.clear();
            }
            self.rules_config = Some(config.clone());
            // The previous paragraphs' rule findings are the old configuration's.
            carry_allowed = false;
        }
        let previous = std::mem::take(&mut self.previous);
        let (prefix, suffix) = if carry_allowed && !previous.paragraphs.is_empty() {
            common_prefix_and_suffix(previous.text.as_bytes(), text.as_bytes())
        } else {
            (0, 0)
        };
        // Where the unchanged tail starts, in the new text and in the old.
        let suffix_start_new = text.len() - suffix;
        let suffix_start_old = previous.text.len() - suffix;
        let mut carried_from_previous = vec![false; previous.paragraphs.len()];
        let mut previous_cursor = 0;
        let mut fresh = 0;
        let mut carried = 0;
        let mut paragraphs = Vec::with_capacity(layout.paragraphs.len());
        for paragraph in &layout.paragraphs {
            // The paragraph's bytes in the previous text, when the edit cannot
            // have touched them. In Markdown a change earlier in the draft
            // (an opened comment or code fence) can hide text further on, so
            // there only the part before the edit is carried over; in plain
            // text a paragraph's prose is its own bytes.
            let unchanged_span = if paragraph.span.end <= prefix {
                Some(paragraph.span)
            } else if paragraph.span.start >= suffix_start_new && kind == DocumentKind::PlainText {
                Some(Span::new(
                    paragraph.span.start - suffix_start_new + suffix_start_old,
                    paragraph.span.end - suffix_start_new + suffix_start_old,
                ))
            } else {
                None
            };
            if let Some(old_span) = unchanged_span {
                while previous_cursor < previous.paragraphs.len()
                    && previous.paragraphs[previous_cursor].span.start < old_span.start
                {
                    previous_cursor += 1;
                }
                if let Some(old) = previous.paragraphs.get(previous_cursor)
                    && old.span == old_span
                    && old.kind == paragraph.kind
                {
                    carried_from_previous[previous_cursor] = true;
                    carried += 1;
                    paragraphs.push(PreviousParagraph {
                        span: paragraph.span,
                        kind: paragraph.kind,
                        hash: old.hash,
                        analysis: Arc::clone(&old.analysis),
                        diagnostics: Arc::clone(&old.diagnostics),
                    });
                    continue;
                }
            }
            let hash = content_hash(paragraph.kind, &paragraph.prose);
            let same = |entry: &CacheEntry| entry.kind == paragraph.kind && *entry.prose == *paragraph.prose;
            let entries = self.cache.entry(hash).or_default();
            let index = entries.iter().position(same).unwrap_or_else(|| {
                fresh += 1;
                entries.push(CacheEntry {
                    kind: paragraph.kind,
                    prose: paragraph.prose.clone().into_boxed_str(),
                    analysis: Arc::new(analyze_paragraph(&paragraph.prose, paragraph.kind)),
                    rules: Vec::new(),
                    uses: 0,
                });
                entries.len() - 1
            });
            let entry = &mut entries[index];
            entry.uses += 1;
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
            paragraphs.push(PreviousParagraph {
                span: paragraph.span,
                kind: paragraph.kind,
                hash,
                analysis: Arc::clone(&entry.analysis),
                diagnostics,
            });
        }
        // The previous paragraphs not carried over no longer use their
        // entries; an entry nothing uses leaves the cache.
        for (old, _) in previous.paragraphs.iter().zip(&carried_from_previous).filter(|(_, carried)| !**carried) {
            let Some(entries) = self.cache.get_mut(&old.hash) else { continue };
            if let Some(index) = entries.iter().position(|entry| Arc::ptr_eq(&entry.analysis, &old.analysis)) {
                entries[index].uses = entries[index].uses.saturating_sub(1);
                if entries[index].uses == 0 {
                    entries.swap_remove(index);
                }
            }
            if entries.is_empty() {
                self.cache.remove(&old.hash);
            }
        }
        let paragraph_analyses: Vec<_> = paragraphs.iter().map(|paragraph| Arc::clone(&paragraph.analysis)).collect();
        let paragraph_diagnostics: Vec<_> =
            paragraphs.iter().map(|paragraph| Arc::clone(&paragraph.diagnostics)).collect();
        let mut previous_text = previous.text;
        previous_text.clear();
        previous_text.push_str(text);
        self.previous = PreviousDocument { text: previous_text, kind, paragraphs };
        self.last_fresh_paragraphs = fresh;
        self.last_carried_paragraphs = carried;
        let analysis = link_document(text, &layout, &paragraph_analyses, &paragraph_diagnostics, config);
        DocumentAnalysis { layout, paragraph_analyses, paragraph_diagnostics, analysis }
    }

    /// How many distinct paragraphs the cache holds; for tests.
    pub fn cached_paragraphs(&self) -> usize {
        self.cache.values().map(Vec::len).sum()
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
