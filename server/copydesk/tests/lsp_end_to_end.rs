//! End-to-end LSP tests over real `Content-Length` framing, against the server
//! in process (duplex pipe) and the spawned `copydesk lsp` binary.

mod support;

use copydesk::lsp::state::ServerOptions;
use serde_json::json;
use support::{TestClient, range};

/// A draft whose second paragraph opens a quotation that never closes.
const DRAFT: &str =
    "Council approves bridge\nThe council met on Monday.\nThe mayor said \"it is overdue.\nOfficials agreed.\n";

fn has_unbalanced_quote(diagnostics: &[serde_json::Value]) -> bool {
    diagnostics.iter().any(|diagnostic| diagnostic["code"] == "unbalanced-quote")
}

/// The whole lifecycle on one client: diagnostics with versions, edits, close, reopen.
async fn lifecycle(mut client: TestClient) -> TestClient {
    let result = client.initialize(&["utf-16"]).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(result["capabilities"]["textDocumentSync"]["change"], 2, "incremental sync");
    let uri = "file:///drafts/bridge.txt";
    client.open(uri, "plaintext", 1, DRAFT).await;
    let diagnostics = client.diagnostics(uri, 1).await;
    assert!(has_unbalanced_quote(&diagnostics), "{diagnostics:?}");
    let quote = diagnostics.iter().find(|diagnostic| diagnostic["code"] == "unbalanced-quote").cloned();
    assert_eq!(quote.as_ref().map(|diagnostic| diagnostic["range"]["start"]["line"].clone()), Some(json!(2)));
    assert_eq!(quote.as_ref().map(|diagnostic| diagnostic["source"].clone()), Some(json!("copydesk")));

    // Close the quotation: the warning goes away in version 2.
    client.change(uri, 2, json!([{ "range": range(2, 30, 2, 30), "text": "\"" }])).await;
    let diagnostics = client.diagnostics(uri, 2).await;
    assert!(!has_unbalanced_quote(&diagnostics), "{diagnostics:?}");
    assert_eq!(
        client.document_text(uri).await,
        Some((2, "Council approves bridge\nThe council met on Monday.\nThe mayor said \"it is overdue.\"\nOfficials agreed.\n".to_owned()))
    );

    // Closing clears the diagnostics and frees the document.
    client.close(uri).await;
    let cleared = client.notification("textDocument/publishDiagnostics", |params| params["uri"] == uri).await;
    assert_eq!(cleared["diagnostics"], json!([]));
    assert_eq!(client.document_text(uri).await, None);

    // A reopen is a fresh document, even with a lower version.
    client.open(uri, "plaintext", 0, "Fresh \"start\n").await;
    let diagnostics = client.diagnostics(uri, 0).await;
    assert!(has_unbalanced_quote(&diagnostics));
    assert_eq!(client.document_text(uri).await, Some((0, "Fresh \"start\n".to_owned())));
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_in_process() {
    let client = lifecycle(TestClient::in_process(ServerOptions::default())).await;
    assert_eq!(client.shutdown_and_exit().await, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_against_the_binary() {
    let client = lifecycle(TestClient::spawn_binary(&["lsp"])).await;
    let status = client.shutdown_and_exit().await.expect("a child process");
    assert!(status.success(), "{status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_accepts_dash_dash_stdio() {
    let mut client = TestClient::spawn_binary(&["--stdio"]);
    client.initialize(&[]).await;
    let status = client.shutdown_and_exit().await.expect("a child process");
    assert!(status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn position_encoding_is_negotiated() {
    for (offered, expected) in [
        (vec!["utf-16", "utf-8"], "utf-8"),
        (vec!["utf-16", "utf-32"], "utf-32"),
        (vec!["utf-16"], "utf-16"),
        (vec![], "utf-16"),
    ] {
        let mut client = TestClient::in_process(ServerOptions::default());
        let result = client.initialize(&offered).await;
        assert_eq!(result["capabilities"]["positionEncoding"], expected, "offered {offered:?}");
        client.shutdown_and_exit().await;
    }
}

/// Diagnostics ranges are in the negotiated encoding: an emoji before the
/// quotation mark counts 2 in UTF-16, 4 in UTF-8 and 1 in UTF-32.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostic_ranges_use_the_negotiated_encoding() {
    for (encoding, expected_character) in [("utf-16", 18), ("utf-8", 20), ("utf-32", 17)] {
        let mut client = TestClient::in_process(ServerOptions::default());
        client.initialize(&[encoding]).await;
        let uri = "file:///drafts/emoji.txt";
        // "Officials 😀 said " is 17 code points, 18 UTF-16 units, 20 bytes; the quote mark follows.
        client.open(uri, "plaintext", 1, "Headline here\nOfficials 😀 said \"yes.\n").await;
        let diagnostics = client.diagnostics(uri, 1).await;
        let quote = diagnostics.iter().find(|diagnostic| diagnostic["code"] == "unbalanced-quote");
        let start = quote.map(|diagnostic| diagnostic["range"]["start"].clone());
        let found = start.as_ref().and_then(|start| start["character"].as_u64());
        // The rule may mark the whole paragraph or the mark itself; both start on line 1.
        assert_eq!(start.as_ref().map(|start| start["line"].clone()), Some(json!(1)), "{diagnostics:?}");
        if let Some(found) = found {
            assert!(found == 0 || found == expected_character, "{encoding}: {found}");
        }
        client.shutdown_and_exit().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_change_the_debounce_and_reanalyse() {
    let mut client = TestClient::in_process(ServerOptions::default());
    client.initialize(&["utf-8"]).await;
    let uri = "file:///drafts/settings.md";
    client.open(uri, "markdown", 3, "# Headline\n\nShe said \"yes.\n").await;
    assert!(has_unbalanced_quote(&client.diagnostics(uri, 3).await));
    client.notify("workspace/didChangeConfiguration", json!({ "settings": { "copydesk": { "debounceMs": 1 } } })).await;
    // The configuration change re-publishes the current version.
    assert!(has_unbalanced_quote(&client.diagnostics(uri, 3).await));
    client.change(uri, 4, json!([{ "text": "# Headline\n\nShe said \"yes.\"\n" }])).await;
    assert!(!has_unbalanced_quote(&client.diagnostics(uri, 4).await));
    client.shutdown_and_exit().await;
}

/// With a debounce, the analysis still runs at every edit (a request answers
/// on the newest text at once), but diagnostics are published only once the
/// edits pause, for the newest version alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_edits_publishes_only_its_last_version_after_the_debounce() {
    let mut client = TestClient::in_process(ServerOptions::default());
    client.initialize(&["utf-16"]).await;
    let uri = "file:///drafts/burst.txt";
    client.open(uri, "plaintext", 1, DRAFT).await;
    assert!(has_unbalanced_quote(&client.diagnostics(uri, 1).await));
    // Long enough that the three edits below, sent back to back, always fall
    // within one debounce, even on a slow machine.
    client
        .notify("workspace/didChangeConfiguration", json!({ "settings": { "copydesk": { "debounceMs": 1000 } } }))
        .await;
    assert!(has_unbalanced_quote(&client.diagnostics(uri, 1).await));
    let fixed = DRAFT.replace("overdue.", "overdue.\"").replace("Officials", "Mayor Ana Lindqvist");
    client.change(uri, 2, json!([{ "text": format!("{DRAFT}More.\n") }])).await;
    client.change(uri, 3, json!([{ "text": format!("{fixed}More.\n") }])).await;
    client.change(uri, 4, json!([{ "text": fixed }])).await;
    let outline = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).await;
    assert!(outline["result"].to_string().contains("Ana Lindqvist"), "{outline}");
    let published = client.notification("textDocument/publishDiagnostics", |params| params["uri"] == uri).await;
    assert_eq!(published["version"], 4, "{published}");
    let diagnostics = published["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(!has_unbalanced_quote(&diagnostics), "{diagnostics:?}");
    client.shutdown_and_exit().await;
}
