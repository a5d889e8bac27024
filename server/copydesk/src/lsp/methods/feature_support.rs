//! Shared glue for the writer-facing feature methods (hover, rename, symbols,
//! ...): turning an analysed snapshot into the core's [`Draft`] and core spans
//! into LSP locations. Not an LSP method itself; every conversion of offsets
//! still goes through the snapshot's helpers, which use `positions.rs`.

use copydesk_analysis::ide::Draft;
use copydesk_analysis::{Config, Span};
use tower_lsp_server::ls_types::{Location, Uri};

use crate::lsp::state::AnalyzedSnapshot;

/// The core's view of a snapshot, for the `ide` queries.
pub fn draft<'a>(snapshot: &'a AnalyzedSnapshot, config: Option<&'a Config>) -> Draft<'a> {
    let draft = Draft::new(&snapshot.text, &snapshot.analysis);
    match config {
        Some(config) => draft.with_config(config),
        None => draft,
    }
}

/// An LSP location for a span of the snapshot's document.
pub fn location(snapshot: &AnalyzedSnapshot, uri: &Uri, span: Span) -> Location {
    Location { uri: uri.clone(), range: snapshot.range_of(span) }
}
