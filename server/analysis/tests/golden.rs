//! Golden snapshots of whole articles.
//!
//! Every `tests/articles/*.txt` and `*.md` at the repository root is analysed and
//! rendered with `copydesk_analysis::snapshot::render`; the result must equal the
//! `.snap` file beside it. Run with `UPDATE_SNAPSHOTS=1` to write the snapshots,
//! then read the diff before committing it.

use std::path::{Path, PathBuf};

use copydesk_analysis::{Config, DocumentKind, analyze, snapshot};

fn articles_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/articles")
}

#[test]
fn every_article_matches_its_snapshot() {
    let updating = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(articles_folder())
        .expect("tests/articles exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| matches!(path.extension().and_then(|extension| extension.to_str()), Some("txt" | "md")))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no articles in tests/articles");
    let mut mismatches = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("article is UTF-8");
        let config = stylebook_beside(path);
        let kind = DocumentKind::from_path(&path.to_string_lossy());
        let rendered = snapshot::render(&text, &analyze(&text, kind, &config));
        let snapshot_path = path.with_extension(format!("{}.snap", path.extension().unwrap().to_string_lossy()));
        let expected = std::fs::read_to_string(&snapshot_path).unwrap_or_default();
        if rendered != expected {
            if updating {
                std::fs::write(&snapshot_path, &rendered).expect("snapshot written");
            } else {
                mismatches.push(format!("{}\n{}", snapshot_path.display(), first_difference(&expected, &rendered)));
            }
        }
    }
    assert!(mismatches.is_empty(), "snapshots differ (UPDATE_SNAPSHOTS=1 to accept):\n{}", mismatches.join("\n\n"));
}

/// An article `x.txt` may come with a stylebook `x.copydesk.toml`.
fn stylebook_beside(path: &Path) -> Config {
    let stylebook = path.with_extension("copydesk.toml");
    match std::fs::read_to_string(&stylebook) {
        Ok(text) => Config::from_toml_str(&text).expect("fixture stylebook parses"),
        Err(_) => Config::default(),
    }
}

fn first_difference(expected: &str, actual: &str) -> String {
    let expected_lines: Vec<&str> = expected.lines().collect();
    let actual_lines: Vec<&str> = actual.lines().collect();
    for index in 0..expected_lines.len().max(actual_lines.len()) {
        let (left, right) = (expected_lines.get(index), actual_lines.get(index));
        if left != right {
            return format!(
                "line {}:\n  expected: {}\n  actual:   {}",
                index + 1,
                left.unwrap_or(&"<none>"),
                right.unwrap_or(&"<none>")
            );
        }
    }
    String::from("(only line endings differ)")
}
