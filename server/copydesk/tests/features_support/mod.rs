//! A small LSP client for the feature end-to-end tests: it runs the real
//! `copydesk lsp` binary and talks to it over its stdin and stdout with real
//! `Content-Length` framing, so these tests exercise exactly what an editor
//! does. Position helpers compute expected LSP positions from the text on
//! their own (not through the server's position module), in UTF-8 or UTF-16.

// Each test file uses part of this module; `json!` values are built at the call
// site, so taking them by value keeps the tests short.
#![allow(dead_code, clippy::needless_pass_by_value)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use serde_json::{Value, json};

/// An invented story. Line 4 and line 7 put multibyte text (emoji with a
/// skin-tone modifier, CJK, a combining acute accent) before the names, so
/// wrong position arithmetic shows up as a wrong range.
pub const HARBOUR_DRAFT: &str = "Harbour talks stall over fishing quotas 🐟
Coastal Ledger
[\"fisheries\"]
🐟🎣 (漁業交渉, cafe\u{301} talks) — Valdoran Deputy Trade Minister Park Min Ji met her counterpart, Fisheries Minister Laura Fenwick, in Port Azure on Tuesday.
Park told reporters the talks were \"stuck on numbers.\" She said Valdora would not sign \"a deal that empties our nets,\" according to Nordwire and AP.
Fleet Commissioner Park Sung Ho and Harbour Authority chief Park Jae Won attended.
漁業 👍🏽 Fenwick said the quotas were fair. \"We have offered more than once,\" the minister said.
\"Nobody wants a blockade.\"
Park is expected to return next week.
";

/// How long to wait for any one message before declaring the server hung.
/// A guard against a hang, never a synchronisation point: every wait below
/// waits for a specific message.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// The position encoding a test asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// A running server and the client's side of the conversation.
pub struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for responses, in order.
    pub notifications: Vec<Value>,
    pub encoding: Encoding,
    /// The `capabilities` the server announced in `initialize`.
    pub capabilities: Value,
}

impl Server {
    /// Starts `copydesk lsp`, offering only `encoding`, and initialises it.
    pub fn start(encoding: Encoding) -> Server {
        Server::start_with_options(encoding, json!({"debounceMs": 0}))
    }

    pub fn start_with_options(encoding: Encoding, initialization_options: Value) -> Server {
        let (child, stdin, messages) = spawn_copydesk_lsp();
        let mut server = Server {
            child,
            stdin,
            messages,
            next_id: 0,
            notifications: Vec::new(),
            encoding,
            capabilities: Value::Null,
        };
        let encodings = match encoding {
            Encoding::Utf8 => json!(["utf-8"]),
            Encoding::Utf16 => json!(["utf-16"]),
        };
        let result = server.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}}
                },
                "initializationOptions": initialization_options
            }),
        );
        let negotiated = result["result"]["capabilities"]["positionEncoding"].as_str().unwrap_or("utf-16").to_owned();
        let expected = match encoding {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
        };
        assert_eq!(negotiated, expected, "negotiated position encoding");
        server.capabilities = result["result"]["capabilities"].clone();
        server.notify("initialized", json!({}));
        server
    }

    pub fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("serialisable");
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(&body);
        self.stdin.write_all(&framed).expect("server reads its input");
        self.stdin.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Waits for the response to request `id`, keeping notifications and
    /// answering requests from the server.
    pub fn response(&mut self, id: i64) -> Value {
        loop {
            let message = match self.messages.recv_timeout(HANG_GUARD) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => panic!("no response to request {id}: the server hung"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server exited before answering request {id}"),
            };
            match (message.get("id"), message.get("method")) {
                (Some(got), None) if *got == json!(id) => return message,
                (Some(server_id), Some(_)) => {
                    let reply = json!({"jsonrpc": "2.0", "id": server_id, "result": null});
                    self.send(&reply);
                }
                _ => self.notifications.push(message),
            }
        }
    }

    /// Sends a request and returns the whole response (with `result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request and returns its `result`, failing on an error.
    pub fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        let language = if uri.ends_with(".md") { "markdown" } else { "plaintext" };
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    /// Replaces the byte range `start..end` of `text` (the document's current
    /// text) with `new_text`, as an incremental change, and returns the new text.
    pub fn edit(&mut self, uri: &str, version: i32, text: &str, start: usize, end: usize, new_text: &str) -> String {
        let range = json!({"start": self.position(text, start), "end": self.position(text, end)});
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": range, "text": new_text}]
            }),
        );
        format!("{}{new_text}{}", &text[..start], &text[end..])
    }

    /// The LSP position of byte `offset` of `text` in this server's encoding.
    pub fn position(&self, text: &str, offset: usize) -> Value {
        let (line, character) = line_and_column(text, offset, self.encoding);
        json!({"line": line, "character": character})
    }

    /// The byte offset of an LSP position in `text` (the inverse of `position`).
    pub fn offset(&self, text: &str, position: &Value) -> usize {
        let line = position["line"].as_u64().expect("line") as usize;
        let character = position["character"].as_u64().expect("character") as usize;
        let line_start = line_starts(text).get(line).copied().unwrap_or(text.len());
        let mut units = 0;
        for (index, character_here) in text[line_start..].char_indices() {
            if units >= character || matches!(character_here, '\n' | '\r') {
                return line_start + index;
            }
            units += match self.encoding {
                Encoding::Utf8 => character_here.len_utf8(),
                Encoding::Utf16 => character_here.len_utf16(),
            };
        }
        text.len()
    }

    /// The text an LSP range covers.
    pub fn slice<'a>(&self, text: &'a str, range: &Value) -> &'a str {
        &text[self.offset(text, &range["start"])..self.offset(text, &range["end"])]
    }

    /// `{"textDocument": {"uri"}, "position"}` for the first occurrence of
    /// `needle` in `text`, plus `offset_in_needle` bytes.
    pub fn at(&self, uri: &str, text: &str, needle: &str, offset_in_needle: usize) -> Value {
        let start = text.find(needle).unwrap_or_else(|| panic!("{needle:?} is in the text"));
        json!({"textDocument": {"uri": uri}, "position": self.position(text, start + offset_in_needle)})
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Best effort: ask politely, then make sure the process is gone.
        self.next_id += 1;
        let shutdown = json!({"jsonrpc": "2.0", "id": self.next_id, "method": "shutdown"});
        let body = serde_json::to_vec(&shutdown).unwrap_or_default();
        let _ = self.stdin.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        let _ = self.stdin.write_all(&body);
        let exit = br#"{"jsonrpc":"2.0","method":"exit"}"#;
        let _ = self.stdin.write_all(format!("Content-Length: {}\r\n\r\n", exit.len()).as_bytes());
        let _ = self.stdin.write_all(exit);
        let _ = self.stdin.flush();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Byte offsets where LSP lines start (`\n`, `\r\n` and lone `\r` end a line).
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'\n' => starts.push(index + 1),
            b'\r' if bytes.get(index + 1) == Some(&b'\n') => {
                starts.push(index + 2);
                index += 1;
            }
            b'\r' => starts.push(index + 1),
            _ => {}
        }
        index += 1;
    }
    starts
}

/// Line and column (in the encoding's units) of byte `offset` of `text`.
pub fn line_and_column(text: &str, offset: usize, encoding: Encoding) -> (usize, usize) {
    let starts = line_starts(text);
    let line = starts.partition_point(|start| *start <= offset) - 1;
    let before = &text[starts[line]..offset];
    let column = match encoding {
        Encoding::Utf8 => before.len(),
        Encoding::Utf16 => before.encode_utf16().count(),
    };
    (line, column)
}

/// Starts the real `copydesk lsp` binary and a thread that decodes its
/// `Content-Length` frames into a channel, one JSON value per message. Shared
/// by every end-to-end test file that needs a client of its own.
pub fn spawn_copydesk_lsp() -> (Child, ChildStdin, Receiver<Value>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("copydesk starts");
    let stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (sender, messages) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut length = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(value) = line.strip_prefix("Content-Length: ") {
                    length = value.parse::<usize>().ok();
                }
            }
            let Some(length) = length else { return };
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let Ok(message) = serde_json::from_slice::<Value>(&body) else { return };
            if sender.send(message).is_err() {
                return;
            }
        }
    });
    (child, stdin, messages)
}
