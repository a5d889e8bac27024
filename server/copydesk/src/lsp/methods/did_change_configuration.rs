//! `workspace/didChangeConfiguration`: merges the new settings (debounce,
//! inlay hints, rule severities, ...) and analyses every open document again
//! under the stylebook with the new overrides; a new `stylebookPath` reads
//! (and watches) the new stylebook first.

use tower_lsp_server::ls_types::DidChangeConfigurationParams;

use crate::lsp::server::Backend;

pub async fn handle(backend: &Backend, params: DidChangeConfigurationParams) {
    let previous = backend.state.settings();
    let settings = previous.merged_with(&params.settings);
    let stylebook_moved = settings.stylebook_path != previous.stylebook_path;
    backend.state.set_settings(settings);
    if stylebook_moved {
        crate::lsp::stylebook::watch_stylebook(backend).await;
        crate::lsp::stylebook::load(backend, None).await;
    } else {
        // Recomputes the configuration (stylebook + rule overrides) and
        // re-analyses every open document.
        crate::lsp::stylebook::apply(backend).await;
    }
}
