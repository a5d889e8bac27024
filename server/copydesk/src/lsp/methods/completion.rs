//! `textDocument/completion`: names and titles already used in the draft, on
//! a capitalised prefix, inserting the form right for the position (full name
//! on first reference, family name after).

use copydesk_analysis::ide::completion::{CompletionKind, completions};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::feature_support::draft;
use crate::lsp::server::Backend;

pub fn capability() -> Option<CompletionOptions> {
    Some(CompletionOptions { resolve_provider: Some(false), ..CompletionOptions::default() })
}

pub async fn handle(backend: &Backend, params: CompletionParams) -> Result<Option<CompletionResponse>> {
    let position = params.text_document_position;
    let Some(snapshot) = backend.state.snapshot_for_request(&position.text_document.uri).await else {
        return Ok(None);
    };
    let offset = snapshot.offset_at(position.position);
    let candidates = completions(&draft(&snapshot, None), offset);
    let items = candidates
        .into_iter()
        .map(|candidate| CompletionItem {
            label: candidate.label,
            kind: Some(match candidate.kind {
                CompletionKind::Person => CompletionItemKind::REFERENCE,
                CompletionKind::Organization => CompletionItemKind::MODULE,
                CompletionKind::Place => CompletionItemKind::FOLDER,
                CompletionKind::Title => CompletionItemKind::KEYWORD,
            }),
            detail: Some(candidate.detail),
            sort_text: Some(candidate.sort_text),
            filter_text: Some(candidate.filter_text),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: snapshot.range_of(candidate.replace),
                new_text: candidate.insert_text,
            })),
            ..CompletionItem::default()
        })
        .collect();
    // Incomplete: the list depends on the whole (possibly multi-word) prefix,
    // so the client asks again as the writer types on.
    Ok(Some(CompletionResponse::List(CompletionList { is_incomplete: true, items })))
}
