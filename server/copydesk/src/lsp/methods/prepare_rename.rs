//! `textDocument/prepareRename`: the mention under the cursor and the full
//! name to propose, or an error that says why renaming here is refused (an
//! ambiguous short form). Plain words answer `null`.

use copydesk_analysis::ide::rename::{RenameError, prepare_rename};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::feature_support::draft;
use crate::lsp::server::Backend;

pub async fn handle(backend: &Backend, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
    let Some(snapshot) = backend.state.snapshot_for_request(&params.text_document.uri).await else {
        return Ok(None);
    };
    let offset = snapshot.offset_at(params.position);
    match prepare_rename(&draft(&snapshot, None), offset) {
        Ok(target) => Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: snapshot.range_of(target.span),
            placeholder: target.placeholder,
        })),
        Err(RenameError::NothingToRename) => Ok(None),
        Err(RenameError::Refused(reason)) => Err(Error::invalid_params(reason)),
    }
}
