//! `textDocument/codeLens`: the headline summary, "N people · N sources · N
//! quotes (N unattributed)".

use copydesk_analysis::ide::code_lens::summary;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::feature_support::draft;
use crate::lsp::server::Backend;

pub fn capability() -> Option<CodeLensOptions> {
    Some(CodeLensOptions { resolve_provider: Some(false) })
}

pub async fn handle(backend: &Backend, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let Some(snapshot) = backend.state.snapshot_for_request(&params.text_document.uri).await else {
        return Ok(None);
    };
    let Some(summary) = summary(&draft(&snapshot, None)) else {
        return Ok(Some(Vec::new()));
    };
    let range = snapshot.range_of(copydesk_analysis::Span::new(summary.span.start, summary.span.start));
    Ok(Some(vec![CodeLens {
        range,
        // An empty command id: clients show the title as a label and there is
        // nothing to run when it is clicked.
        command: Some(Command { title: summary.title, command: String::new(), arguments: None }),
        data: None,
    }]))
}
