//! `copydesk/testPanic` (custom request, test hooks only): panics inside the
//! handler so tests can prove a panic is answered as an error and the server
//! keeps serving. Without test hooks (`COPYDESK_TEST_HOOKS=1`) it answers
//! "method not found" and does nothing.

use tower_lsp_server::jsonrpc::{Error, Result};

use crate::lsp::server::Backend;

/// The method name.
pub const METHOD: &str = "copydesk/testPanic";

pub async fn handle(backend: &Backend) -> Result<()> {
    if !backend.state.options.test_hooks {
        return Err(Error::method_not_found());
    }
    panic!("test hook: copydesk/testPanic was called");
}
