//! `textDocument/documentHighlight`: every mention of the entity under the
//! cursor (the introducing mention as a write, the others as reads); on a
//! quote, the quote with its cue and source.

use copydesk_analysis::ide::navigation::{HighlightKind, highlights};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::feature_support::draft;
use crate::lsp::server::Backend;

pub fn capability() -> Option<OneOf<bool, DocumentHighlightOptions>> {
    Some(OneOf::Left(true))
}

pub async fn handle(backend: &Backend, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
    let position = params.text_document_position_params;
    let Some(snapshot) = backend.state.snapshot_for_request(&position.text_document.uri).await else {
        return Ok(None);
    };
    let offset = snapshot.offset_at(position.position);
    let found = highlights(&draft(&snapshot, None), offset);
    if found.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        found
            .into_iter()
            .map(|(span, kind)| DocumentHighlight {
                range: snapshot.range_of(span),
                kind: Some(match kind {
                    HighlightKind::Introduction => DocumentHighlightKind::WRITE,
                    HighlightKind::Reference => DocumentHighlightKind::READ,
                }),
            })
            .collect(),
    ))
}
