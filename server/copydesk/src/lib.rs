//! Copydesk: the language server and the command-line tools around the
//! analysis core (`copydesk-analysis`). The binary (`main.rs`) only parses the
//! command line and calls into here, so tests and benchmarks can run the real
//! server in process.

pub mod cli;
pub mod lsp;

/// Every program linking this crate (the binary, its tests and benchmarks)
/// allocates with mimalloc: see the note in `Cargo.toml`.
#[global_allocator]
static GLOBAL_ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
