//! Finding the material outside the repository that acceptance tests read:
//! the seed article in `../shared/seed/` and the BBC politics articles in
//! `../shared/corpus/bbc/politics/`.
//!
//! One lookup for every seed test, in both crates (the server's tests include
//! this file by path), so they agree on where the seed is and on what they
//! print when it is absent. `COPYDESK_SHARED` names the shared folder
//! explicitly; without it the folder is looked for as `shared/` beside the
//! repository root, or a level or two further up, where a git worktree such as
//! `/work/wt/<name>` finds it.

// Each test crate that includes this module uses only some of its lookups.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The shared folder, or `None` when this checkout has none beside it.
pub fn shared_folder() -> Option<PathBuf> {
    if let Some(shared) = std::env::var_os("COPYDESK_SHARED").filter(|shared| !shared.is_empty()) {
        let shared = PathBuf::from(shared);
        return shared.is_dir().then_some(shared);
    }
    // The manifest is `<root>/server/<crate>`: skip the crate and `server`.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .skip(2)
        .take(3)
        .map(|ancestor| ancestor.join("shared"))
        .find(|folder| folder.join("seed").is_dir())
}

/// The seed article's path and text. When it is absent, says so on stderr
/// (naming `test`) and returns `None`, and the caller's test passes without
/// checking anything.
pub fn seed_article(test: &str) -> Option<(PathBuf, String)> {
    let article = shared_folder().and_then(|shared| {
        let path = std::fs::read_dir(shared.join("seed"))
            .ok()?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .find(|path| path.extension().is_some_and(|extension| extension == "txt"))?;
        let text = std::fs::read_to_string(&path).ok()?;
        Some((path, text))
    });
    if article.is_none() {
        eprintln!("skipping {test}: no seed article in ../shared/seed (or $COPYDESK_SHARED/seed)");
    }
    article
}

/// The paths of the BBC politics articles, sorted. When the folder is absent
/// or unreadable, says so on stderr (naming `test`) and returns `None`, and
/// the caller's test passes without checking anything.
pub fn bbc_politics_articles(test: &str) -> Option<Vec<PathBuf>> {
    let Some(folder) = shared_folder().map(|shared| shared.join("corpus/bbc/politics")) else {
        eprintln!("skipping {test}: no ../shared/corpus/bbc/politics (or $COPYDESK_SHARED/corpus/bbc/politics)");
        return None;
    };
    let Ok(entries) = std::fs::read_dir(&folder) else {
        eprintln!("skipping {test}: {} is absent or unreadable", folder.display());
        return None;
    };
    let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|entry| entry.path()).collect();
    paths.sort();
    Some(paths)
}
