//! `textDocument/inlayHint`: the full name after a resolved family name,
//! title or pronoun speaker (`Im⟨Im Chon Il⟩`), and "ambiguous" after a short
//! form that fits several people. Off when the `inlayHints` setting is false.

use copydesk_analysis::ide::inlay_hints::{HintKind, inlay_hints};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::feature_support::draft;
use crate::lsp::server::Backend;

pub fn capability() -> Option<OneOf<bool, InlayHintServerCapabilities>> {
    Some(OneOf::Left(true))
}

pub async fn handle(backend: &Backend, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
    if !backend.state.settings().inlay_hints {
        return Ok(None);
    }
    let Some(snapshot) = backend.state.snapshot_for_request(&params.text_document.uri).await else {
        return Ok(None);
    };
    let range = snapshot.span_of(params.range);
    let hints = inlay_hints(&draft(&snapshot, None), Some(range));
    Ok(Some(
        hints
            .into_iter()
            .map(|hint| InlayHint {
                position: snapshot.position_at(hint.offset),
                label: InlayHintLabel::String(hint.label),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(match hint.kind {
                    HintKind::Resolved => "Who this short reference means (Copydesk)".to_owned(),
                    HintKind::Ambiguous => "This short reference fits several people (Copydesk)".to_owned(),
                })),
                padding_left: Some(false),
                padding_right: Some(false),
                data: None,
            })
            .collect(),
    ))
}
