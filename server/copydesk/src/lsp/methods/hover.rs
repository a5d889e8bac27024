//! `textDocument/hover`: who the entity under the cursor is (fullest name,
//! kind, titles, first reference, mentions, statements, stylebook facts), or
//! the source and relay chain of a quote. Nothing on plain words.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::feature_support::draft;
use crate::lsp::server::Backend;

pub fn capability() -> Option<HoverProviderCapability> {
    Some(HoverProviderCapability::Simple(true))
}

pub async fn handle(backend: &Backend, params: HoverParams) -> Result<Option<Hover>> {
    let position = params.text_document_position_params;
    let Some(snapshot) = backend.state.snapshot_for_request(&position.text_document.uri).await else {
        return Ok(None);
    };
    let (config, _) = backend.state.config();
    let draft = draft(&snapshot, Some(&config));
    let offset = snapshot.offset_at(position.position);
    let Some(hover) = copydesk_analysis::ide::hover::hover(&draft, offset) else {
        return Ok(None);
    };
    Ok(Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: hover.markdown }),
        range: Some(snapshot.range_of(hover.span)),
    }))
}
