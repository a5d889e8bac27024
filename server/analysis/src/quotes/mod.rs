//! Attribution: direct quotes and reported speech, their cues, and their sources.
//!
//! [`analyze_paragraph`] finds quotation marks, cues and source phrases inside
//! one paragraph; [`link`] pairs multi-paragraph quotes, resolves pronouns and
//! floating quotes, and ties sources to entities.

use crate::config::Config;
use crate::document::ParagraphKind;
use crate::entities::{EntityLinking, ParagraphEntities};
use crate::model::Quote;
use crate::pipeline::ParagraphView;

/// What one paragraph contributes, with paragraph-relative byte offsets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParagraphQuotes {}

/// Finds quote marks, cues and source phrases in one paragraph's prose view.
pub fn analyze_paragraph(prose: &str, kind: ParagraphKind, entities: &ParagraphEntities) -> ParagraphQuotes {
    let _ = (prose, kind, entities);
    ParagraphQuotes::default()
}

/// Links quotes across paragraphs and to entities. May add pronoun mentions
/// and statements to `linking`'s entities.
pub fn link(text: &str, paragraphs: &[ParagraphView<'_>], linking: &mut EntityLinking, config: &Config) -> Vec<Quote> {
    let _ = (text, paragraphs, linking, config);
    Vec::new()
}
