//! `textDocument/definition`: from any mention (family name, title, pronoun
//! speaker, quote) to the entity's introducing mention; from an ambiguous
//! short form to every candidate's.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::feature_support::{draft, location};
use crate::lsp::server::Backend;

pub fn capability() -> Option<OneOf<bool, DefinitionOptions>> {
    Some(OneOf::Left(true))
}

pub async fn handle(backend: &Backend, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
    let position = params.text_document_position_params;
    let uri = position.text_document.uri;
    let Some(snapshot) = backend.state.snapshot_for_request(&uri).await else {
        return Ok(None);
    };
    let offset = snapshot.offset_at(position.position);
    let spans = copydesk_analysis::ide::navigation::definition(&draft(&snapshot, None), offset);
    let mut locations: Vec<Location> = spans.into_iter().map(|span| location(&snapshot, &uri, span)).collect();
    Ok(match locations.len() {
        0 => None,
        1 => locations.pop().map(GotoDefinitionResponse::Scalar),
        _ => Some(GotoDefinitionResponse::Array(locations)),
    })
}
