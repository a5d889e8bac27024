//! The server's capabilities, built from what each method file says it
//! implements. A feature method file's `capability()` returns `None` until the
//! feature is implemented, so nothing unimplemented is ever advertised.

use tower_lsp_server::ls_types::{
    ClientCapabilities, OneOf, RenameOptions, SaveOptions, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};

use super::methods;
use super::positions::PositionEncoding;

/// What the server announces in its `initialize` answer.
pub fn server_capabilities(encoding: PositionEncoding, client: &ClientCapabilities) -> ServerCapabilities {
    let mut capabilities = ServerCapabilities {
        position_encoding: Some(encoding.to_kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            will_save: None,
            will_save_wait_until: None,
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
        })),
        ..ServerCapabilities::default()
    };
    capabilities.hover_provider = methods::hover::capability();
    capabilities.definition_provider = methods::goto_definition::capability();
    capabilities.references_provider = methods::references::capability();
    capabilities.document_highlight_provider = methods::document_highlight::capability();
    capabilities.rename_provider = methods::rename::capability();
    capabilities.document_symbol_provider = methods::document_symbol::capability();
    capabilities.workspace_symbol_provider = methods::workspace_symbol::capability();
    capabilities.inlay_hint_provider = methods::inlay_hint::capability();
    capabilities.semantic_tokens_provider = methods::semantic_tokens_full::capability();
    capabilities.completion_provider = methods::completion::capability();
    capabilities.code_lens_provider = methods::code_lens::capability();
    capabilities.code_action_provider = methods::code_action::capability();
    capabilities.diagnostic_provider = methods::diagnostic::capability(client);
    capabilities
}

/// The rename capability with `prepareProvider` (`rename.rs` advertises it).
pub fn rename_with_prepare() -> OneOf<bool, RenameOptions> {
    OneOf::Right(RenameOptions { prepare_provider: Some(true), work_done_progress_options: Default::default() })
}
