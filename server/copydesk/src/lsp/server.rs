//! The `LanguageServer` implementation: routes every LSP method to its own
//! file in `methods/`, inside a panic guard (see `panics.rs`). Nothing else
//! lives here: add behaviour in the method files.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::methods;
use super::panics::{guard_notification, guard_request};
use super::state::ServerState;

/// The server: the client handle (to publish and log) and the shared state.
#[derive(Debug)]
pub struct Backend {
    pub client: Client,
    pub state: Arc<ServerState>,
}

impl Backend {
    /// `copydesk/documentText`, routed like the standard methods.
    pub async fn document_text(
        &self,
        params: methods::document_text::DocumentTextParams,
    ) -> Result<Option<methods::document_text::DocumentTextResult>> {
        guard_request(&self.client, methods::document_text::METHOD, methods::document_text::handle(self, params)).await
    }

    /// `copydesk/testPanic` (test hooks only).
    pub async fn test_panic(&self) -> Result<()> {
        guard_request(&self.client, methods::test_panic::METHOD, methods::test_panic::handle(self)).await
    }
}

impl Backend {
    /// Answers a message the input guard could not parse (see `framing.rs`).
    pub async fn answer_parse_error(&self) -> Result<()> {
        Err(tower_lsp_server::jsonrpc::Error::parse_error())
    }

    /// Answers a message that is JSON but not JSON-RPC (see `framing.rs`).
    pub async fn answer_invalid_request(&self) -> Result<()> {
        Err(tower_lsp_server::jsonrpc::Error::invalid_request())
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        guard_request(&self.client, "initialize", methods::initialize::handle(self, params)).await
    }

    async fn shutdown(&self) -> Result<()> {
        guard_request(&self.client, "shutdown", methods::shutdown::handle(self)).await
    }

    async fn initialized(&self, params: InitializedParams) {
        guard_notification(&self.client, "initialized", methods::initialized::handle(self, params)).await;
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        guard_notification(&self.client, "did_open", methods::did_open::handle(self, params)).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        guard_notification(&self.client, "did_change", methods::did_change::handle(self, params)).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        guard_notification(&self.client, "did_close", methods::did_close::handle(self, params)).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        guard_notification(&self.client, "did_save", methods::did_save::handle(self, params)).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        guard_notification(
            &self.client,
            "did_change_configuration",
            methods::did_change_configuration::handle(self, params),
        )
        .await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        guard_notification(
            &self.client,
            "did_change_watched_files",
            methods::did_change_watched_files::handle(self, params),
        )
        .await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        guard_request(&self.client, "hover", methods::hover::handle(self, params)).await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        guard_request(&self.client, "goto_definition", methods::goto_definition::handle(self, params)).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        guard_request(&self.client, "references", methods::references::handle(self, params)).await
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        guard_request(&self.client, "document_highlight", methods::document_highlight::handle(self, params)).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        guard_request(&self.client, "rename", methods::rename::handle(self, params)).await
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        guard_request(&self.client, "prepare_rename", methods::prepare_rename::handle(self, params)).await
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        guard_request(&self.client, "document_symbol", methods::document_symbol::handle(self, params)).await
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        guard_request(&self.client, "symbol", methods::workspace_symbol::handle(self, params)).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        guard_request(&self.client, "inlay_hint", methods::inlay_hint::handle(self, params)).await
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        guard_request(&self.client, "semantic_tokens_full", methods::semantic_tokens_full::handle(self, params)).await
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        guard_request(
            &self.client,
            "semantic_tokens_full_delta",
            methods::semantic_tokens_full_delta::handle(self, params),
        )
        .await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        guard_request(&self.client, "semantic_tokens_range", methods::semantic_tokens_range::handle(self, params)).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        guard_request(&self.client, "completion", methods::completion::handle(self, params)).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        guard_request(&self.client, "code_lens", methods::code_lens::handle(self, params)).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        guard_request(&self.client, "code_action", methods::code_action::handle(self, params)).await
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        guard_request(&self.client, "diagnostic", methods::diagnostic::handle(self, params)).await
    }
}
