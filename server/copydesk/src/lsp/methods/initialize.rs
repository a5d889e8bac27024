//! `initialize`: negotiates the position encoding, reads the initialization
//! options (settings) and answers the server's capabilities.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{InitializeParams, InitializeResult, ServerInfo};

use crate::lsp::capabilities::server_capabilities;
use crate::lsp::positions::PositionEncoding;
use crate::lsp::server::Backend;

pub async fn handle(backend: &Backend, params: InitializeParams) -> Result<InitializeResult> {
    let offered = params.capabilities.general.as_ref().and_then(|general| general.position_encodings.as_deref());
    let encoding = PositionEncoding::negotiate(offered);
    backend.state.set_encoding(encoding);
    if let Some(options) = &params.initialization_options {
        backend.state.set_settings(backend.state.settings().merged_with(options));
    }
    // Puts `copydesk.toml` (and the settings' rule overrides) in force.
    crate::lsp::stylebook::on_initialize(&backend.state, &params);
    Ok(InitializeResult {
        capabilities: server_capabilities(encoding, &params.capabilities),
        server_info: Some(ServerInfo {
            name: "copydesk".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
        offset_encoding: None,
    })
}
