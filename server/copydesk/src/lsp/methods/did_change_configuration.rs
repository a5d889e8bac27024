//! `workspace/didChangeConfiguration`: merges the new settings (debounce,
//! inlay hints, ...) and analyses every open document again.

use tower_lsp_server::ls_types::DidChangeConfigurationParams;

use crate::lsp::server::Backend;

pub async fn handle(backend: &Backend, params: DidChangeConfigurationParams) {
    let settings = backend.state.settings().merged_with(&params.settings);
    backend.state.set_settings(settings);
    backend.state.reanalyze_all();
}
