//! `textDocument/codeAction`: the rules' quick fixes as code actions.
//!
//! Every core diagnostic touching the requested range contributes its fixes
//! (insert the missing quotation mark, delete boilerplate, use the family
//! name, normalise a spelling or title here or everywhere, ignore the rule for
//! this paragraph or file...), each as a `quickfix` with a workspace edit on
//! the draft. Diagnostics about a person the stylebook does not know also
//! offer "Add ... to the stylebook": a workspace edit that creates
//! `copydesk.toml` at the workspace root, or appends to it.

use std::collections::HashMap;

use copydesk_analysis::rules::suppression::SuppressionFixer;
use copydesk_analysis::{EntityKind, Span};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::lsp::diagnostics::to_lsp_diagnostic;
use crate::lsp::server::Backend;
use crate::lsp::state::AnalyzedSnapshot;
use crate::lsp::stylebook::{self, STYLEBOOK_FILE};

/// Quick fixes.
pub fn capability() -> Option<CodeActionProviderCapability> {
    Some(CodeActionProviderCapability::Options(CodeActionOptions {
        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
        work_done_progress_options: WorkDoneProgressOptions::default(),
        resolve_provider: Some(false),
    }))
}

/// Rules whose diagnostics are about a person, and may offer to add them to the stylebook.
const PERSON_RULES: &[&str] = &[
    "incomplete-first-reference",
    "inconsistent-title",
    "inconsistent-spelling",
    "given-name-as-surname",
    "repeated-full-name",
    "stale-title",
];

pub async fn handle(backend: &Backend, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
    if let Some(only) = &params.context.only {
        if !only
            .iter()
            .any(|kind| kind.as_str() == "quickfix" || CodeActionKind::QUICKFIX.as_str().starts_with(kind.as_str()))
        {
            return Ok(Some(Vec::new()));
        }
    }
    let uri = params.text_document.uri;
    let Some(snapshot) = backend.state.snapshot_for_request(&uri).await else { return Ok(None) };
    let requested = snapshot.span_of(params.range);
    let (config, _) = backend.state.config();
    let mut actions: CodeActionResponse = Vec::new();
    let mut stylebook_offered: Vec<String> = Vec::new();
    let stylebook_name = backend
        .state
        .rules
        .stylebook_path(&backend.state.settings())
        .and_then(|path| path.file_name().map(|name| name.to_string_lossy().into_owned()))
        .unwrap_or_else(|| STYLEBOOK_FILE.to_owned());
    let suppression_fixer = SuppressionFixer::new(&snapshot.text, &snapshot.analysis.layout);
    for diagnostic in &snapshot.analysis.analysis.diagnostics {
        let touches = diagnostic.span.overlaps(requested)
            || diagnostic.span.touches_offset(requested.start)
            || requested.contains(diagnostic.span);
        if !touches {
            continue;
        }
        let lsp_diagnostic = to_lsp_diagnostic(&snapshot, diagnostic);
        // The rule's own fixes, then "ignore this rule here / in this file".
        for fix in diagnostic.fixes.iter().chain(&suppression_fixer.fixes(diagnostic)) {
            let edits: Vec<TextEdit> = fix
                .edits
                .iter()
                .map(|edit| TextEdit { range: snapshot.range_of(edit.span), new_text: edit.new_text.clone() })
                .collect();
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diagnostic.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                command: None,
                is_preferred: fix.preferred.then_some(true),
                disabled: None,
                data: None,
            }));
        }
        if PERSON_RULES.contains(&diagnostic.code) {
            if let Some((name, entry)) = stylebook_entry(&snapshot, diagnostic.span, &config) {
                if stylebook_offered.contains(&name) {
                    continue;
                }
                if let Some(edit) = add_to_stylebook_edit(backend, &entry) {
                    stylebook_offered.push(name.clone());
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!("Add {name} to the stylebook ({stylebook_name})"),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![lsp_diagnostic.clone()]),
                        edit: Some(edit),
                        command: None,
                        is_preferred: None,
                        disabled: None,
                        data: None,
                    }));
                }
            }
        }
    }
    Ok(Some(actions))
}

/// The `[[people]]` entry for the person a diagnostic is about, unless the
/// stylebook already has them: name, name order, and the titles in the draft.
pub fn stylebook_entry(
    snapshot: &AnalyzedSnapshot,
    span: Span,
    config: &copydesk_analysis::Config,
) -> Option<(String, String)> {
    let entity = snapshot.analysis.analysis.entities.iter().find(|entity| {
        entity.kind == EntityKind::Person
            && (entity.mentions.iter().any(|mention| mention.span.overlaps(span))
                || entity.titles.iter().any(|title| title.span.overlaps(span)))
    })?;
    if config.person_named(&entity.name).is_some() {
        return None;
    }
    let mut entry = format!("[[people]]\nname = {}\n", toml_string(&entity.name));
    if let Some(family) = &entity.family_name {
        if entity.name.contains(' ') {
            let order = if entity.family_name_first { "family-first" } else { "given-first" };
            entry.push_str(&format!("name_order = \"{order}\"\nfamily_name = {}\n", toml_string(family)));
        }
    }
    let mut titles: Vec<&str> = Vec::new();
    for title in &entity.titles {
        if !titles.iter().any(|known| known.eq_ignore_ascii_case(&title.text)) {
            titles.push(&title.text);
        }
    }
    if !titles.is_empty() {
        let listed: Vec<String> = titles.iter().map(|title| format!("{{ title = {} }}", toml_string(title))).collect();
        entry.push_str(&format!("titles = [{}]\n", listed.join(", ")));
    }
    Some((entity.name.clone(), entry))
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let escaped: String = text
        .chars()
        .map(|character| match character {
            '"' => String::from("\\\""),
            '\\' => String::from("\\\\"),
            control if control.is_control() => format!("\\u{:04X}", control as u32),
            other => other.to_string(),
        })
        .collect();
    format!("\"{escaped}\"")
}

/// The workspace edit that appends `entry` to the stylebook, creating the
/// file when it does not exist. `None` without a workspace root.
fn add_to_stylebook_edit(backend: &Backend, entry: &str) -> Option<WorkspaceEdit> {
    let path = backend.state.rules.stylebook_path(&backend.state.settings())?;
    let uri = stylebook::path_to_uri(&path)?;
    match std::fs::read_to_string(&path) {
        Ok(existing) => {
            let rope = ropey::Rope::from_str(&existing);
            let end = crate::lsp::positions::byte_to_position(&rope, existing.len(), backend.state.encoding());
            let separator = if existing.is_empty() || existing.ends_with("\n\n") {
                ""
            } else if existing.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            let edit = TextEdit { range: Range { start: end, end }, new_text: format!("{separator}{entry}") };
            Some(WorkspaceEdit { changes: Some(HashMap::from([(uri, vec![edit])])), ..WorkspaceEdit::default() })
        }
        Err(_) => {
            let header = "# The newsroom stylebook for Copydesk: see docs/stylebook.md.\n\n";
            let start = Position { line: 0, character: 0 };
            Some(WorkspaceEdit {
                document_changes: Some(DocumentChanges::Operations(vec![
                    DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                        uri: uri.clone(),
                        options: Some(CreateFileOptions { overwrite: Some(false), ignore_if_exists: Some(true) }),
                        annotation_id: None,
                    })),
                    DocumentChangeOperation::Edit(TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
                        edits: vec![OneOf::Left(TextEdit {
                            range: Range { start, end: start },
                            new_text: format!("{header}{entry}"),
                        })],
                    }),
                ])),
                ..WorkspaceEdit::default()
            })
        }
    }
}
