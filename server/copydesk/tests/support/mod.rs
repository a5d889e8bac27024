//! A small LSP test client speaking real `Content-Length` framing, shared by
//! the end-to-end tests. It drives either the server in process (over a tokio
//! duplex pipe) or the spawned `copydesk lsp` binary (over its stdio).
//!
//! Reads wait for a message, with a generous timeout that only turns a hang
//! into a failure; nothing here sleeps to synchronise.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::process::Stdio;
use std::time::Duration;

use copydesk::lsp::state::ServerOptions;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

/// How long a test waits for any one message before failing.
const READ_TIMEOUT: Duration = Duration::from_secs(60);

pub struct TestClient {
    writer: Box<dyn AsyncWrite + Unpin + Send>,
    reader: BufReader<Box<dyn AsyncRead + Unpin + Send>>,
    next_id: i64,
    /// Messages read while waiting for something else, in arrival order.
    backlog: VecDeque<Value>,
    child: Option<tokio::process::Child>,
    server: Option<tokio::task::JoinHandle<()>>,
}

impl TestClient {
    /// The real server in this process, over a duplex pipe.
    pub fn in_process(options: ServerOptions) -> TestClient {
        TestClient::in_process_on(&tokio::runtime::Handle::current(), options)
    }

    /// The real server in this process, running on `runtime` (the benchmarks
    /// give it a runtime of its own, as in the binary, apart from the client's).
    pub fn in_process_on(runtime: &tokio::runtime::Handle, options: ServerOptions) -> TestClient {
        let (client_side, server_side) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_side);
        let server = runtime.spawn(copydesk::lsp::serve(server_read, server_write, options));
        let (client_read, client_write) = tokio::io::split(client_side);
        TestClient {
            writer: Box::new(client_write),
            reader: BufReader::new(Box::new(client_read)),
            next_id: 1,
            backlog: VecDeque::new(),
            child: None,
            server: Some(server),
        }
    }

    /// The `copydesk lsp` binary, with test hooks on.
    pub fn spawn_binary(arguments: &[&str]) -> TestClient {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_copydesk"))
            .args(arguments)
            .env("COPYDESK_TEST_HOOKS", "1")
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("the copydesk binary starts");
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = child.stdout.take().expect("stdout is piped");
        TestClient {
            writer: Box::new(stdin),
            reader: BufReader::new(Box::new(stdout)),
            next_id: 1,
            backlog: VecDeque::new(),
            child: Some(child),
            server: None,
        }
    }

    /// Writes raw bytes (for malformed-input tests).
    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.expect("write to the server");
        self.writer.flush().await.expect("flush to the server");
    }

    /// Writes one framed message.
    pub async fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("serialise");
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(&body);
        self.send_raw(&frame).await;
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({ "jsonrpc": "2.0", "method": method });
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(&message).await;
    }

    /// Sends a request and returns its id without waiting.
    pub async fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(&message).await;
        id
    }

    /// Sends a request and waits for its response (the whole response message).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params).await;
        self.response(id).await
    }

    /// Reads one framed body from the server.
    async fn read_body(&mut self) -> Vec<u8> {
        let read = async {
            let mut length = None;
            loop {
                let mut line = String::new();
                let count = self.reader.read_line(&mut line).await.expect("read a header line");
                assert!(count > 0, "the server closed its output");
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = Some(value.trim().parse::<usize>().expect("a numeric Content-Length"));
                }
            }
            let mut body = vec![0; length.expect("a Content-Length header")];
            self.reader.read_exact(&mut body).await.expect("read a body");
            body
        };
        tokio::time::timeout(READ_TIMEOUT, read).await.expect("a message from the server in time")
    }

    /// Reads one message from the server, answering server-to-client requests
    /// (such as `workspace/configuration`) with `null` so the server never waits on us.
    async fn read_message(&mut self) -> Value {
        let body = self.read_body().await;
        let message = serde_json::from_slice::<Value>(&body).expect("the server sends JSON");
        self.answer_server_request(&message).await;
        message
    }

    async fn answer_server_request(&mut self, message: &Value) {
        if message.get("method").is_some() && message.get("id").is_some() {
            let reply = json!({ "jsonrpc": "2.0", "id": message["id"].clone(), "result": Value::Null });
            self.send(&reply).await;
        }
    }

    /// Waits for the response with `id`, keeping other messages for later.
    pub async fn response(&mut self, id: i64) -> Value {
        if let Some(index) = self.backlog.iter().position(|message| is_response_to(message, id)) {
            return self.backlog.remove(index).expect("index is valid");
        }
        loop {
            let message = self.read_message().await;
            if is_response_to(&message, id) {
                return message;
            }
            self.backlog.push_back(message);
        }
    }

    /// Waits for a response carrying an error with a null id (the answer to
    /// input the server could not parse).
    pub async fn notification_or_response_with_error(&mut self) -> Value {
        if let Some(index) =
            self.backlog.iter().position(|message| message.get("error").is_some() && message["id"].is_null())
        {
            return self.backlog.remove(index).expect("index is valid");
        }
        loop {
            let message = self.read_message().await;
            if message.get("error").is_some() && message["id"].is_null() {
                return message;
            }
            self.backlog.push_back(message);
        }
    }

    /// Waits for a notification with `method` whose params satisfy `accept`,
    /// consuming it (and any earlier notification of the same method it skips).
    pub async fn notification(&mut self, method: &str, accept: impl Fn(&Value) -> bool) -> Value {
        while let Some(index) = self.backlog.iter().position(|message| message["method"] == method) {
            let message = self.backlog.remove(index).expect("index is valid");
            if accept(&message["params"]) {
                return message["params"].clone();
            }
        }
        loop {
            let message = self.read_message().await;
            if message["method"] == method && message.get("id").is_none() {
                if accept(&message["params"]) {
                    return message["params"].clone();
                }
            } else {
                self.backlog.push_back(message);
            }
        }
    }

    /// Waits for the diagnostics of `uri` at `version`.
    pub async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let params = self
            .notification("textDocument/publishDiagnostics", |params| {
                params["uri"] == uri && params["version"] == json!(version)
            })
            .await;
        params["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// Waits for the diagnostics of `uri` at `version` and returns how many
    /// there are, the way a lean client would: each frame is parsed (all of
    /// its JSON is checked) without building a `Value` tree, and nothing is
    /// copied. For the keystroke benchmark, where the test client's own
    /// bookkeeping on a 400-diagnostic message would otherwise be timed.
    /// Other messages are kept for later, as everywhere else.
    pub async fn diagnostics_count(&mut self, uri: &str, version: i64) -> usize {
        #[derive(serde::Deserialize)]
        struct Peek<'a> {
            #[serde(borrow, default)]
            method: Option<std::borrow::Cow<'a, str>>,
            #[serde(borrow, default)]
            params: Option<PeekParams<'a>>,
        }
        #[derive(serde::Deserialize)]
        struct PeekParams<'a> {
            #[serde(borrow, default)]
            uri: Option<std::borrow::Cow<'a, str>>,
            #[serde(default)]
            version: Option<i64>,
            #[serde(default)]
            diagnostics: Option<Vec<serde::de::IgnoredAny>>,
        }
        assert!(
            !self.backlog.iter().any(|message| message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
                && message["params"]["version"] == json!(version)),
            "diagnostics_count expects the diagnostics to arrive after it is called"
        );
        loop {
            let body = self.read_body().await;
            if let Ok(Peek { method: Some(method), params: Some(params) }) = serde_json::from_slice::<Peek<'_>>(&body) {
                if method == "textDocument/publishDiagnostics"
                    && params.uri.as_deref() == Some(uri)
                    && params.version == Some(version)
                {
                    return params.diagnostics.map_or(0, |diagnostics| diagnostics.len());
                }
            }
            let message = serde_json::from_slice::<Value>(&body).expect("the server sends JSON");
            self.answer_server_request(&message).await;
            self.backlog.push_back(message);
        }
    }

    /// `initialize` offering `encodings` (none: the UTF-16 default), with the
    /// debounce off, then `initialized`. Returns the initialize result.
    pub async fn initialize(&mut self, encodings: &[&str]) -> Value {
        let mut capabilities = json!({});
        if !encodings.is_empty() {
            capabilities = json!({ "general": { "positionEncodings": encodings } });
        }
        let response = self
            .request(
                "initialize",
                json!({ "capabilities": capabilities, "initializationOptions": { "copydesk": { "debounceMs": 0 } } }),
            )
            .await;
        assert!(response.get("result").is_some(), "initialize failed: {response}");
        self.notify("initialized", json!({})).await;
        response["result"].clone()
    }

    pub async fn open(&mut self, uri: &str, language_id: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language_id, "version": version, "text": text } }),
        )
        .await;
    }

    pub async fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        )
        .await;
    }

    pub async fn close(&mut self, uri: &str) {
        self.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } })).await;
    }

    /// The server's text and version of `uri` (`copydesk/documentText`), or None when not open.
    pub async fn document_text(&mut self, uri: &str) -> Option<(i64, String)> {
        let response = self.request("copydesk/documentText", json!({ "textDocument": { "uri": uri } })).await;
        let result = &response["result"];
        if result.is_null() {
            return None;
        }
        Some((result["version"].as_i64()?, result["text"].as_str()?.to_owned()))
    }

    /// `shutdown` then `exit`; returns the binary's exit status, if it is one.
    pub async fn shutdown_and_exit(mut self) -> Option<std::process::ExitStatus> {
        let response = self.request("shutdown", Value::Null).await;
        assert!(response.get("error").is_none(), "shutdown failed: {response}");
        self.notify("exit", Value::Null).await;
        if let Some(server) = self.server.take() {
            tokio::time::timeout(READ_TIMEOUT, server).await.expect("the server stops after exit").expect("no panic");
        }
        match self.child.take() {
            Some(mut child) => {
                Some(tokio::time::timeout(READ_TIMEOUT, child.wait()).await.expect("the binary exits").expect("wait"))
            }
            None => None,
        }
    }
}

fn is_response_to(message: &Value, id: i64) -> bool {
    message.get("method").is_none() && message["id"] == json!(id)
}

/// A range in LSP JSON.
pub fn range(start_line: u32, start_character: u32, end_line: u32, end_character: u32) -> Value {
    json!({
        "start": { "line": start_line, "character": start_character },
        "end": { "line": end_line, "character": end_character },
    })
}
