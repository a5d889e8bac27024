//! Core diagnostics to LSP diagnostics.

use copydesk_analysis::Severity;
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
};

use super::state::AnalyzedSnapshot;

/// The `source` field of every Copydesk diagnostic.
pub const DIAGNOSTIC_SOURCE: &str = "copydesk";

/// The LSP severity of a core severity.
pub fn to_lsp_severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// Converts one core diagnostic of `snapshot` to LSP, with its rule code and
/// related spans (as locations in the same document).
pub fn to_lsp_diagnostic(snapshot: &AnalyzedSnapshot, diagnostic: &copydesk_analysis::Diagnostic) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .map(|related| DiagnosticRelatedInformation {
            location: Location { uri: snapshot.uri.clone(), range: snapshot.range_of(related.span) },
            message: related.message.clone(),
        })
        .collect();
    Diagnostic {
        range: snapshot.range_of(diagnostic.span),
        severity: Some(to_lsp_severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.to_owned())),
        code_description: None,
        source: Some(DIAGNOSTIC_SOURCE.to_owned()),
        message: diagnostic.message.clone(),
        related_information: if related.is_empty() { None } else { Some(related) },
        tags: None,
        data: None,
    }
}

/// Converts every diagnostic of `snapshot`.
pub fn snapshot_diagnostics(snapshot: &AnalyzedSnapshot) -> Vec<Diagnostic> {
    snapshot.analysis.analysis.diagnostics.iter().map(|diagnostic| to_lsp_diagnostic(snapshot, diagnostic)).collect()
}
