//! `textDocument/references`: every mention of the entity under the cursor,
//! including family-name, title-only and pronoun speaker mentions.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::feature_support::{draft, location};
use crate::lsp::server::Backend;

pub fn capability() -> Option<OneOf<bool, ReferenceOptions>> {
    Some(OneOf::Left(true))
}

pub async fn handle(backend: &Backend, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let position = params.text_document_position;
    let uri = position.text_document.uri;
    let Some(snapshot) = backend.state.snapshot_for_request(&uri).await else {
        return Ok(None);
    };
    let offset = snapshot.offset_at(position.position);
    let spans = copydesk_analysis::ide::navigation::references(
        &draft(&snapshot, None),
        offset,
        params.context.include_declaration,
    );
    if spans.is_empty() {
        return Ok(None);
    }
    Ok(Some(spans.into_iter().map(|span| location(&snapshot, &uri, span)).collect()))
}
