//! The protocol edge: strict ordering of edits, stale versions, malformed
//! input, and panics, against the in-process server and the binary.

mod support;

use copydesk::lsp::state::{ServerOptions, TEST_PANIC_MARKER};
use serde_json::{Value, json};
use support::{TestClient, range};

/// 500 `didChange` sent back to back, then a request that reads the text:
/// the server's text must equal the client's model.
async fn five_hundred_changes(mut client: TestClient) {
    client.initialize(&["utf-16"]).await;
    let uri = "file:///drafts/ordering.txt";
    let mut model = String::from("Start.\n");
    client.open(uri, "plaintext", 1, &model).await;
    for version in 2..=501_i64 {
        // Each edit depends on the previous one: insert at the current end of line 0,
        // and every tenth edit breaks the line so later positions move.
        let line_length = model.lines().next().map_or(0, |line| line.encode_utf16().count()) as u32;
        let piece = if version % 10 == 0 { "\n".to_owned() } else { format!("{}é", version % 7) };
        let insert_at = model.find('\n').unwrap_or(model.len());
        model.insert_str(insert_at, &piece);
        client.change(uri, version, json!([{ "range": range(0, line_length, 0, line_length), "text": piece }])).await;
    }
    assert_eq!(client.document_text(uri).await, Some((501, model)));
    client.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_changes_in_order_in_process() {
    five_hundred_changes(TestClient::in_process(ServerOptions::default())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_changes_in_order_against_the_binary() {
    five_hundred_changes(TestClient::spawn_binary(&["lsp"])).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_changes_in_one_notification_apply_in_order() {
    let mut client = TestClient::in_process(ServerOptions::default());
    client.initialize(&["utf-8"]).await;
    let uri = "file:///drafts/multi.txt";
    client.open(uri, "plaintext", 1, "abc\n").await;
    // The second range refers to the text left by the first change.
    client
        .change(
            uri,
            2,
            json!([
                { "range": range(0, 0, 0, 1), "text": "X\nY" },
                { "range": range(1, 0, 1, 1), "text": "Z" },
                { "range": range(9, 9, 9, 9), "text": "!" },
            ]),
        )
        .await;
    assert_eq!(client.document_text(uri).await, Some((2, "X\nZbc\n!".to_owned())));
    client.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_versions_are_ignored() {
    let mut client = TestClient::in_process(ServerOptions::default());
    client.initialize(&["utf-8"]).await;
    let uri = "file:///drafts/stale.txt";
    client.open(uri, "plaintext", 5, "one\n").await;
    client.change(uri, 6, json!([{ "text": "two\n" }])).await;
    client.change(uri, 6, json!([{ "text": "same version\n" }])).await;
    client.change(uri, 3, json!([{ "text": "older\n" }])).await;
    assert_eq!(client.document_text(uri).await, Some((6, "two\n".to_owned())));
    let warning = client
        .notification("window/logMessage", |params| params["message"].as_str().is_some_and(|m| m.contains("stale")))
        .await;
    assert_eq!(warning["type"], 2);
    // Changes to a document that is not open are ignored too.
    client.change("file:///drafts/never-opened.txt", 1, json!([{ "text": "x" }])).await;
    assert_eq!(client.document_text("file:///drafts/never-opened.txt").await, None);
    // Diagnostics never go out for a version older than the current one.
    client.change(uri, 7, json!([{ "text": "three \"open\n" }])).await;
    let published = client.diagnostics(uri, 7).await;
    assert!(published.iter().any(|diagnostic| diagnostic["code"] == "unbalanced-quote"));
    client.shutdown_and_exit().await;
}

fn error_code(response: &Value) -> Option<i64> {
    response["error"]["code"].as_i64()
}

/// Malformed input gets JSON-RPC errors and the server keeps serving.
async fn malformed_input(mut client: TestClient) {
    // A request before `initialize`.
    let early = client.request("textDocument/hover", json!({})).await;
    assert_eq!(error_code(&early), Some(-32002), "{early}");
    client.initialize(&["utf-16"]).await;

    // Bad JSON in a correctly framed message.
    let body = b"{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ";
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    client.send_raw(&frame).await;
    let parse_error = client.notification_or_response_with_error().await;
    assert_eq!(error_code(&parse_error), Some(-32700), "{parse_error}");

    // JSON that is not JSON-RPC keeps its id in the error.
    let body = br#"{"hello": "world", "id": 77}"#;
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    client.send_raw(&frame).await;
    let invalid = client.response(77).await;
    assert_eq!(error_code(&invalid), Some(-32600), "{invalid}");

    // A header block without Content-Length.
    client.send_raw(b"X-Nonsense: yes\r\n\r\n").await;
    let garbage = client.notification_or_response_with_error().await;
    assert_eq!(error_code(&garbage), Some(-32700), "{garbage}");

    // Wrong parameter types.
    let wrong = client.request("textDocument/hover", json!({ "textDocument": 42, "position": "here" })).await;
    assert_eq!(error_code(&wrong), Some(-32602), "{wrong}");
    let wrong_custom = client.request("copydesk/documentText", json!([1, 2, 3])).await;
    assert_eq!(error_code(&wrong_custom), Some(-32602), "{wrong_custom}");

    // An unknown method.
    let unknown = client.request("copydesk/noSuchMethod", json!({})).await;
    assert_eq!(error_code(&unknown), Some(-32601), "{unknown}");

    // A notification with wrong parameter types is dropped without killing the server.
    client.notify("textDocument/didChange", json!({ "textDocument": "nope" })).await;

    // A panic inside a request handler is an internal error, not a crash.
    let panicked = client.request("copydesk/testPanic", Value::Null).await;
    assert_eq!(error_code(&panicked), Some(-32603), "{panicked}");

    // A panic inside the analysis worker is logged; the document keeps working.
    let uri = "file:///drafts/panic.txt";
    client.open(uri, "plaintext", 1, &format!("Headline\n{TEST_PANIC_MARKER}\n")).await;
    let logged = client
        .notification("window/logMessage", |params| {
            params["type"] == 1 && params["message"].as_str().is_some_and(|message| message.contains("analysis"))
        })
        .await;
    assert!(logged["message"].as_str().is_some_and(|message| message.contains("panic marker")), "{logged}");
    client.change(uri, 2, json!([{ "text": "Headline\nShe said \"fine.\n" }])).await;
    assert!(client.diagnostics(uri, 2).await.iter().any(|diagnostic| diagnostic["code"] == "unbalanced-quote"));

    // And ordinary requests still work.
    assert_eq!(client.document_text(uri).await, Some((2, "Headline\nShe said \"fine.\n".to_owned())));
    client.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_input_in_process() {
    malformed_input(TestClient::in_process(ServerOptions { test_hooks: true })).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_input_against_the_binary() {
    malformed_input(TestClient::spawn_binary(&["lsp"])).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_panic_request_is_off_without_test_hooks() {
    let mut client = TestClient::in_process(ServerOptions::default());
    client.initialize(&[]).await;
    let response = client.request("copydesk/testPanic", Value::Null).await;
    assert_eq!(error_code(&response), Some(-32601));
    client.shutdown_and_exit().await;
}

/// Someone who starts `copydesk lsp` in a terminal and types at it gets a
/// plain explanation on stderr, nothing but protocol on stdout, and a clean
/// exit when the input ends.
#[test]
fn typing_at_the_server_explains_on_stderr() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let mut server = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("copydesk lsp starts");
    if let Some(mut input) = server.stdin.take() {
        input.write_all(b"hello, is this thing on?\r\n\r\n").expect("the server reads its input");
    }
    let output = server.wait_with_output().expect("the server exits when its input ends");
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("without a usable Content-Length"), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.is_empty() || stdout.starts_with("Content-Length: "), "only LSP frames on stdout: {stdout}");
}
