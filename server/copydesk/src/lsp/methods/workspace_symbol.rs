//! `workspace/symbol`: people, organisations and places across every open
//! draft whose name or title matches the query.

use copydesk_analysis::ide::symbols::workspace_symbols;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::document_symbol::symbol_kind;
use super::feature_support::{draft, location};
use crate::lsp::server::Backend;

/// At most this many results, so a one-letter query on many drafts stays fast.
const RESULT_LIMIT: usize = 500;

pub fn capability() -> Option<OneOf<bool, WorkspaceSymbolOptions>> {
    Some(OneOf::Left(true))
}

pub async fn handle(backend: &Backend, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
    let mut uris = backend.state.open_documents();
    uris.sort_by(|left, right| left.as_str().cmp(right.as_str()));
    let mut found = Vec::new();
    for uri in uris {
        let Some(snapshot) = backend.state.snapshot_for_request(&uri).await else {
            continue;
        };
        for symbol in workspace_symbols(&draft(&snapshot, None), &params.query) {
            found.push(WorkspaceSymbol {
                name: symbol.name,
                kind: symbol_kind(symbol.kind),
                tags: None,
                container_name: symbol.container,
                location: OneOf::Left(location(&snapshot, &uri, symbol.span)),
                data: None,
            });
            if found.len() >= RESULT_LIMIT {
                return Ok(Some(WorkspaceSymbolResponse::Nested(found)));
            }
        }
    }
    Ok(Some(WorkspaceSymbolResponse::Nested(found)))
}
