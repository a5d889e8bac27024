//! Finding drafts and their stylebook on disk, for `copydesk check`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use copydesk_analysis::Config;

/// The stylebook file name, looked up in the draft's folder and its ancestors.
pub const STYLEBOOK_FILE: &str = "copydesk.toml";

/// True for the extensions `copydesk check` picks up inside folders.
pub fn is_draft(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| matches!(extension.to_ascii_lowercase().as_str(), "txt" | "md" | "markdown"))
}

/// Expands the command-line paths into draft files, in a stable order. A file
/// named explicitly is always checked; folders are walked for `.txt` and `.md`
/// files, skipping hidden folders. Paths that cannot be read become errors.
pub fn collect_drafts(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut drafts = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => walk(path, &mut drafts, &mut errors),
            Ok(_) => drafts.push(path.clone()),
            Err(error) => errors.push((path.clone(), describe_io_error(&error))),
        }
    }
    (drafts, errors)
}

fn walk(folder: &Path, drafts: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) => {
            errors.push((folder.to_path_buf(), describe_io_error(&error)));
            return;
        }
    };
    let mut children: Vec<PathBuf> = entries.filter_map(Result::ok).map(|entry| entry.path()).collect();
    children.sort();
    for child in children {
        let hidden = child.file_name().and_then(|name| name.to_str()).is_some_and(|name| name.starts_with('.'));
        if hidden {
            continue;
        }
        // `metadata` follows symlinks; a dangling link is reported, not fatal.
        match std::fs::metadata(&child) {
            Ok(metadata) if metadata.is_dir() => walk(&child, drafts, errors),
            Ok(_) if is_draft(&child) => drafts.push(child),
            Ok(_) => {}
            Err(error) => errors.push((child, describe_io_error(&error))),
        }
    }
}

/// A short, plain description of an I/O error.
pub fn describe_io_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}

/// A stylebook found on disk: its path and the parsed config or the error message.
pub type FoundStylebook = (PathBuf, Result<Config, String>);

/// Finds and parses the nearest `copydesk.toml` for each folder, caching by folder.
#[derive(Debug, Default)]
pub struct StylebookCache {
    by_folder: HashMap<PathBuf, Option<FoundStylebook>>,
}

impl StylebookCache {
    /// The stylebook that applies to `draft`: the `copydesk.toml` in its folder
    /// or the nearest ancestor. `None` when there is none. An unreadable or
    /// broken stylebook is returned as an error message with its location.
    pub fn for_draft(&mut self, draft: &Path) -> Option<FoundStylebook> {
        let absolute = std::path::absolute(draft).unwrap_or_else(|_| draft.to_path_buf());
        let folder = absolute.parent()?.to_path_buf();
        if let Some(cached) = self.by_folder.get(&folder) {
            return cached.clone();
        }
        let found = folder.ancestors().map(|ancestor| ancestor.join(STYLEBOOK_FILE)).find(|path| path.is_file());
        let loaded = found.map(|path| {
            let result = match std::fs::read_to_string(&path) {
                Ok(text) => Config::from_toml_str(&text).map_err(|error| error.to_string()),
                Err(error) => Err(describe_io_error(&error)),
            };
            (path, result)
        });
        self.by_folder.insert(folder, loaded.clone());
        loaded
    }
}
