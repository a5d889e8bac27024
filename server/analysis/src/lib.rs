//! The Copydesk analysis core.
//!
//! Takes the text of a news draft (plus the stylebook) and returns plain structs
//! with byte offsets: paragraphs, entities and their mentions, quotes and their
//! sources, and copy-desk diagnostics. It knows nothing of LSP, JSON-RPC, async
//! runtimes or the file system; see `ARCHITECTURE.md` at the repository root.

pub mod carry_over;
pub mod config;
pub mod document;
pub mod entities;
pub mod evaluation;
pub mod ide;
pub mod model;
pub mod offsets;
pub mod ordering;
pub mod pipeline;
pub mod quotes;
pub mod rules;
pub mod snapshot;
pub mod tracked_text;

pub use config::{Config, ConfigError};
pub use document::{DocumentKind, DocumentLayout, Paragraph, ParagraphKind};
pub use model::*;
pub use pipeline::{
    Analyzer, Assembly, DocumentAnalysis, NextEditPreparation, PreparedNextEdit, StageParts, analyze_document,
};

/// Analyses a whole document from scratch and returns the public result.
pub fn analyze(text: &str, kind: DocumentKind, config: &Config) -> Analysis {
    std::sync::Arc::unwrap_or_clone(analyze_document(text, kind, config).analysis)
}
