//! `textDocument/documentSymbol`: the outline, grouped as People /
//! Organisations / Places / Quotes (by speaker).

use copydesk_analysis::ide::symbols::{self, Symbol};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::feature_support::draft;
use crate::lsp::server::Backend;
use crate::lsp::state::AnalyzedSnapshot;

pub fn capability() -> Option<OneOf<bool, DocumentSymbolOptions>> {
    Some(OneOf::Left(true))
}

/// The LSP kind of an outline entry (documented in `docs/features.md`).
pub fn symbol_kind(kind: symbols::SymbolKind) -> SymbolKind {
    match kind {
        symbols::SymbolKind::Group => SymbolKind::NAMESPACE,
        symbols::SymbolKind::Person => SymbolKind::OBJECT,
        symbols::SymbolKind::Organization => SymbolKind::STRUCT,
        symbols::SymbolKind::Place => SymbolKind::PACKAGE,
        symbols::SymbolKind::Speaker => SymbolKind::KEY,
        symbols::SymbolKind::Quote => SymbolKind::STRING,
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be filled in.
fn convert(snapshot: &AnalyzedSnapshot, symbol: Symbol) -> DocumentSymbol {
    DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: snapshot.range_of(symbol.span),
        selection_range: snapshot.range_of(symbol.selection_span),
        // Leaves (most entries: one per quote) carry no empty `children` list;
        // group headings always have one.
        children: (symbol.kind == symbols::SymbolKind::Group || !symbol.children.is_empty())
            .then(|| symbol.children.into_iter().map(|child| convert(snapshot, child)).collect()),
    }
}

pub async fn handle(backend: &Backend, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
    let Some(snapshot) = backend.state.snapshot_for_request(&params.text_document.uri).await else {
        return Ok(None);
    };
    let outline = symbols::document_symbols(&draft(&snapshot, None));
    Ok(Some(DocumentSymbolResponse::Nested(outline.into_iter().map(|symbol| convert(&snapshot, symbol)).collect())))
}
