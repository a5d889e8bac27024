//! `textDocument/rename`: renames a person or organisation consistently
//! across its mentions (full forms, the family-name form, possessives), or
//! refuses with the reason when the result would be ambiguous. The capability
//! (with `prepareProvider`) is declared here for both rename methods.

use std::collections::HashMap;

use copydesk_analysis::ide::rename::{RenameError, rename};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::feature_support::draft;
use crate::lsp::capabilities::rename_with_prepare;
use crate::lsp::server::Backend;

pub fn capability() -> Option<OneOf<bool, RenameOptions>> {
    Some(rename_with_prepare())
}

pub async fn handle(backend: &Backend, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let position = params.text_document_position;
    let uri = position.text_document.uri;
    let Some(snapshot) = backend.state.snapshot_for_request(&uri).await else {
        return Ok(None);
    };
    let offset = snapshot.offset_at(position.position);
    let edits = match rename(&draft(&snapshot, None), offset, &params.new_name) {
        Ok(edits) => edits,
        Err(RenameError::NothingToRename) => {
            return Err(Error::invalid_params("Nothing to rename here: put the cursor on a name."));
        }
        Err(RenameError::Refused(reason)) => return Err(Error::invalid_params(reason)),
    };
    let edits: Vec<TextEdit> = edits
        .into_iter()
        .map(|edit| TextEdit { range: snapshot.range_of(edit.span), new_text: edit.new_text })
        .collect();
    // `changes` rather than versioned `documentChanges`: every client supports it,
    // and the edit is computed on the snapshot of the version the client has.
    Ok(Some(WorkspaceEdit { changes: Some(HashMap::from([(uri, edits)])), ..WorkspaceEdit::default() }))
}
