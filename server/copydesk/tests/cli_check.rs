//! End-to-end tests of `copydesk check` and `copydesk analyze` (the real binary on files in a
//! temporary folder).

use std::path::PathBuf;
use std::process::Command;

/// A fresh folder for one test.
fn folder(name: &str) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("copydesk-check-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("temp folder");
    folder
}

/// Runs `copydesk check --format json` on `path`; returns the rule codes found.
fn codes(path: &std::path::Path) -> Vec<String> {
    let output = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["check", "--format", "json"])
        .arg(path)
        .output()
        .expect("copydesk check runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    report["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// A folder with a stylebook giving Ulla Brandvik a title that ended in
/// 2003, and an undated draft using that title: `stale-title` can only fire
/// on it by comparing the title's dates with today's.
fn folder_with_undated_stale_title(name: &str) -> (PathBuf, PathBuf) {
    let folder = folder(name);
    std::fs::write(
        folder.join("copydesk.toml"),
        "[[people]]\nname = \"Ulla Brandvik\"\ntitles = [{ title = \"Harbour Commissioner\", from = 2001-01-01, until = 2003-12-31 }]\n",
    )
    .expect("stylebook");
    let undated = folder.join("undated.md");
    std::fs::write(
        &undated,
        "# Ferry route approved\n\nHarbour Commissioner Ulla Brandvik opened the route on Monday.\n",
    )
    .expect("draft");
    (folder, undated)
}

/// Without an article date in the draft or the stylebook, `stale-title`
/// compares titles with today's date, as the language server does.
#[test]
fn check_passes_todays_date_to_stale_title() {
    let (folder, undated) = folder_with_undated_stale_title("today");
    assert!(codes(&undated).contains(&"stale-title".to_owned()), "a title that ended in 2003 is stale today");

    // A dated draft inside the title's dates is not flagged: the rule really
    // compares dates, so the finding above comes from today's date.
    let dated = folder.join("dated.md");
    std::fs::write(
        &dated,
        "---\ndate: 2002-06-01\n---\n# Ferry route approved\n\nHarbour Commissioner Ulla Brandvik opened the route on Monday.\n",
    )
    .expect("draft");
    assert!(!codes(&dated).contains(&"stale-title".to_owned()));
    let _ = std::fs::remove_dir_all(&folder);
}

/// `copydesk analyze` reads the same date as `check` and the server, so the
/// three agree on `stale-title` for an undated draft.
#[test]
fn analyze_passes_todays_date_to_stale_title() {
    let (folder, draft) = folder_with_undated_stale_title("analyze-today");
    let output = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["analyze", "--format", "json"])
        .arg(&draft)
        .output()
        .expect("copydesk analyze runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let analysis: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    let codes: Vec<&str> = analysis["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap_or(""))
        .collect();
    assert!(codes.contains(&"stale-title"), "a title that ended in 2003 is stale today: {codes:?}");
    let _ = std::fs::remove_dir_all(&folder);
}
