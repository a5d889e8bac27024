//! `workspace/didChangeConfiguration`: merges the new settings (debounce,
//! inlay hints, rule severities, ...) and analyses every open document again
//! under the stylebook with the new overrides.

use tower_lsp_server::ls_types::DidChangeConfigurationParams;

use crate::lsp::server::Backend;

pub async fn handle(backend: &Backend, params: DidChangeConfigurationParams) {
    let settings = backend.state.settings().merged_with(&params.settings);
    backend.state.set_settings(settings);
    // Recomputes the configuration (stylebook + rule overrides) and
    // re-analyses every open document.
    crate::lsp::stylebook::apply(backend).await;
}
