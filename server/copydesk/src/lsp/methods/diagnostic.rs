//! `textDocument/diagnostic`: pull diagnostics, for clients that ask for them.
//!
//! Advertised only when the client says it supports pulling
//! (`textDocument.diagnostic` in its capabilities); such a client gets no
//! pushed diagnostics (see `worker.rs`), so each warning appears once. The
//! answer describes exactly the current version of the document (the
//! snapshot is analysed first when the worker has not caught up), with the
//! diagnostic under a word being typed held back like pushed ones. The result
//! id names the document generation, version and configuration, so an
//! unchanged document answers `unchanged`.
//!
//! VS Code pulls after every keystroke, and a long draft's report is large
//! (142 diagnostics, about 120 KB, at 10,000 words), so the report's JSON is
//! written directly (`diagnostics.rs`) and handed to the output through the
//! result stash (`output.rs`), like the outline's, instead of going through
//! tower-lsp-server's `serde_json::Value` tree.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::lsp::diagnostics::full_report_json;
use crate::lsp::output::direct_result_name;
use crate::lsp::server::Backend;

/// Pull diagnostics when the client supports them.
pub fn capability(client: &ClientCapabilities) -> Option<DiagnosticServerCapabilities> {
    client.text_document.as_ref().and_then(|text| text.diagnostic.as_ref())?;
    Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
        identifier: Some(String::from("copydesk")),
        inter_file_dependencies: false,
        workspace_diagnostics: false,
        work_done_progress_options: WorkDoneProgressOptions::default(),
    }))
}

pub async fn handle(backend: &Backend, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
    let uri = params.text_document.uri;
    let Some(snapshot) = backend.state.snapshot_for_request(&uri).await else {
        return Ok(full_report(None, Vec::new()));
    };
    let generation = backend.state.current_version(&uri).map_or(0, |(generation, _)| generation);
    let result_id = format!("{generation}:{}:{}", snapshot.version, snapshot.config_generation);
    if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
        return Ok(DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Unchanged(
            RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
            },
        )));
    }
    let held_back = backend.state.rules.typing_cursor(&uri, snapshot.version, &backend.state.settings());
    // No `.await` from here on: the stash and the answer go together, so a
    // cancelled request leaves nothing stashed.
    let json = full_report_json(&snapshot, held_back, &result_id);
    let token = backend.state.stash_result(json);
    // tower-lsp-server sends this as `{"items":[],"kind":"full","resultId":
    // "<placeholder>"}` (its `Value` maps sort their keys); the output swaps
    // it for the stashed report.
    Ok(full_report(Some(direct_result_name(token)), Vec::new()))
}

fn full_report(result_id: Option<String>, items: Vec<Diagnostic>) -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
    }))
}
