//! One file per LSP method. `server.rs` routes every method here; each file
//! has `pub async fn handle(backend, params)`, and feature files also
//! `pub fn capability()`, read by `capabilities.rs`.

pub mod code_action;
pub mod code_lens;
pub mod completion;
pub mod diagnostic;
pub mod did_change;
pub mod did_change_configuration;
pub mod did_change_watched_files;
pub mod did_close;
pub mod did_open;
pub mod did_save;
pub mod document_highlight;
pub mod document_symbol;
pub mod document_text;
pub mod feature_support;
pub mod goto_definition;
pub mod hover;
pub mod initialize;
pub mod initialized;
pub mod inlay_hint;
pub mod prepare_rename;
pub mod references;
pub mod rename;
pub mod semantic_tokens_full;
pub mod semantic_tokens_full_delta;
pub mod semantic_tokens_range;
pub mod shutdown;
pub mod test_panic;
pub mod workspace_symbol;
