//! `textDocument/documentSymbol`: the outline, grouped as People /
//! Organisations / Places / Quotes (by speaker).
//!
//! The outline of a long draft is large (one entry per quote: about 270 KB of
//! JSON for 10,000 words), so its JSON is written directly from the core's
//! symbols, as [`convert`] would build them, and handed to the output through
//! the result stash (`output.rs`) instead of going through tower-lsp-server's
//! `serde_json::Value` tree, which cost over ten times as much.

use copydesk_analysis::ide::symbols::{self, Symbol};
use serde::ser::{Serialize, SerializeSeq, SerializeStruct, Serializer};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::feature_support::draft;
use crate::lsp::output::direct_result_name;
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

/// Leaves (most entries: one per quote) carry no empty `children` list;
/// group headings always have one.
fn has_children(symbol: &Symbol) -> bool {
    symbol.kind == symbols::SymbolKind::Group || !symbol.children.is_empty()
}

/// One outline entry as an `ls_types` struct.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be filled in.
pub fn convert(snapshot: &AnalyzedSnapshot, symbol: Symbol) -> DocumentSymbol {
    DocumentSymbol {
        kind: symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: snapshot.range_of(symbol.span),
        selection_range: snapshot.range_of(symbol.selection_span),
        children: has_children(&symbol)
            .then(|| symbol.children.into_iter().map(|child| convert(snapshot, child)).collect()),
        name: symbol.name,
        detail: symbol.detail,
    }
}

/// The outline of `snapshot` as `ls_types` structs.
pub fn outline(snapshot: &AnalyzedSnapshot) -> Vec<DocumentSymbol> {
    symbols::document_symbols(&draft(snapshot, None)).into_iter().map(|symbol| convert(snapshot, symbol)).collect()
}

/// The JSON of the outline (the response's `result`), written directly: the
/// same JSON as serialising [`outline`] (a test checks it).
pub fn outline_json(snapshot: &AnalyzedSnapshot) -> Vec<u8> {
    let outline = symbols::document_symbols(&draft(snapshot, None));
    // Serialising borrowed strings and numbers into a Vec cannot fail.
    serde_json::to_vec(&SymbolsJson { snapshot, symbols: &outline }).unwrap_or_else(|_| b"[]".to_vec())
}

struct SymbolsJson<'a> {
    snapshot: &'a AnalyzedSnapshot,
    symbols: &'a [Symbol],
}

impl Serialize for SymbolsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut sequence = serializer.serialize_seq(Some(self.symbols.len()))?;
        for symbol in self.symbols {
            sequence.serialize_element(&SymbolJson { snapshot: self.snapshot, symbol })?;
        }
        sequence.end()
    }
}

/// One entry with the fields, names and order of `ls_types::DocumentSymbol`.
struct SymbolJson<'a> {
    snapshot: &'a AnalyzedSnapshot,
    symbol: &'a Symbol,
}

impl Serialize for SymbolJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let symbol = self.symbol;
        let mut entry = serializer.serialize_struct("DocumentSymbol", 6)?;
        entry.serialize_field("name", &symbol.name)?;
        if let Some(detail) = &symbol.detail {
            entry.serialize_field("detail", detail)?;
        }
        entry.serialize_field("kind", &symbol_kind(symbol.kind))?;
        entry.serialize_field("range", &self.snapshot.range_of(symbol.span))?;
        entry.serialize_field("selectionRange", &self.snapshot.range_of(symbol.selection_span))?;
        if has_children(symbol) {
            entry.serialize_field("children", &SymbolsJson { snapshot: self.snapshot, symbols: &symbol.children })?;
        }
        entry.end()
    }
}

/// The result tower-lsp-server sends in place of the stashed outline: its
/// JSON starts with `[{"kind":21,"name":"<placeholder>"` (tower's `Value`
/// maps sort their keys), which the output swaps for the stashed JSON (see
/// `output.rs`).
#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be filled in.
fn placeholder(token: u64) -> DocumentSymbolResponse {
    DocumentSymbolResponse::Nested(vec![DocumentSymbol {
        name: direct_result_name(token),
        detail: None,
        kind: SymbolKind::NULL,
        tags: None,
        deprecated: None,
        range: Range::default(),
        selection_range: Range::default(),
        children: None,
    }])
}

pub async fn handle(backend: &Backend, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
    let Some(snapshot) = backend.state.snapshot_for_request(&params.text_document.uri).await else {
        return Ok(None);
    };
    // No `.await` from here on: the stash and the answer go together, so a
    // cancelled request leaves nothing stashed.
    let json = outline_json(&snapshot);
    let token = backend.state.stash_result(json);
    Ok(Some(placeholder(token)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::positions::PositionEncoding;

    fn check(text: &str) {
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            let snapshot = AnalyzedSnapshot::of_plain_text("file:///desk/draft.txt", 3, text, encoding);
            let direct: serde_json::Value = serde_json::from_slice(&outline_json(&snapshot)).expect("JSON");
            let expected = serde_json::to_value(DocumentSymbolResponse::Nested(outline(&snapshot))).expect("JSON");
            assert_eq!(direct, expected);
            assert_eq!(direct.as_array().is_some_and(|groups| !groups.is_empty()), !text.is_empty(), "{direct}");
        }
    }

    #[test]
    fn direct_json_equals_the_ls_types_json() {
        check(
            "Fisheries Minister Laura Fenwick met Senator Hallvard Østby in Port Azure. 🐟\n\
             \"We are stuck,\" Fenwick said, according to Nordwire. \"Nobody wants a blockade,\" Østby said.\n\
             The Harbour Authority said talks in Valdora would resume. \"It is fair,\" a source said.\n",
        );
        check("");
    }
}
