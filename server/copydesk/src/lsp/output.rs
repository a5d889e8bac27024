//! The server's output: one writer for tower-lsp-server's messages and for
//! the diagnostics Copydesk serialises itself.
//!
//! `publishDiagnostics` is the one message sent on every keystroke, and it
//! carries every diagnostic of the document. Sent through tower-lsp-server's
//! `Client`, its parameters are first turned into a `serde_json::Value` tree
//! (a map and several strings allocated per diagnostic) and then serialised
//! again; on a 10,000-word draft with 400 diagnostics that was milliseconds per
//! keystroke, several times the cost of writing the JSON directly. So the
//! publisher (`worker.rs`) writes the notification's JSON itself
//! (`diagnostics.rs`) and hands the framed bytes to this module.
//!
//! tower-lsp-server writes its own messages (responses, logs, server
//! requests) into an in-memory pipe instead of the real output; a reader task
//! cuts that stream into whole frames, and one writer task writes both kinds
//! of frame to the real output, whole and in the order they were queued, so
//! frames never interleave. When tower-lsp-server stops (after `exit`), what
//! it wrote is still delivered before the writer ends.
//!
//! # Large responses serialised directly
//!
//! A response goes the same way: tower-lsp-server turns the handler's result
//! into a `serde_json::Value` tree, then serialises that. For a large result
//! (the outline of a long draft: 270 KB, thousands of objects) the tree costs
//! many times what writing the JSON directly does. Such a handler serialises
//! its result itself, stashes the bytes here ([`FrameSender::stash_result`])
//! and returns a small placeholder result naming the stash ([`direct_result_name`]).
//! tower-lsp-server then answers the request as usual (same id, same place in
//! its output, same cancellation: a cancelled handler never stashes nor
//! answers), and the reader task swaps the placeholder for the stashed bytes
//! as the response frame goes by. Nothing but the bytes of `result` changes,
//! so a direct response can neither overtake another message nor get lost.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// One item for the output writer.
#[derive(Debug)]
enum Outgoing {
    /// A whole frame: `Content-Length` header and body.
    Frame(Vec<u8>),
    /// A whole frame starting some way into a buffer (see [`FramedBody`]).
    FrameAt(Vec<u8>, usize),
    /// tower-lsp-server has stopped writing: deliver what is queued, then stop.
    End,
}

/// Queues frames for the output writer. Cheap to clone.
#[derive(Debug, Clone)]
pub struct FrameSender {
    sender: mpsc::UnboundedSender<Outgoing>,
    stash: Arc<ResultStash>,
}

impl FrameSender {
    /// Queues one message body (a complete JSON-RPC message), framed with its
    /// `Content-Length` header. Dropped silently once the server is stopping.
    pub fn send_body(&self, body: &[u8]) {
        let _ = self.sender.send(Outgoing::Frame(frame(body)));
    }

    /// Queues one message whose body was written after room for its header,
    /// framed in place (no copy of the body).
    pub fn send_framed(&self, body: FramedBody) {
        let (buffer, start) = body.into_frame();
        super::probe::stamp(super::probe::Stage::Queued);
        let _ = self.sender.send(Outgoing::FrameAt(buffer, start));
    }

    /// Keeps `result` (the JSON of a response's `result`, serialised by the
    /// handler) until the response carrying the placeholder named
    /// [`direct_result_name`]`(token)` goes by; returns the token. Call it
    /// right before returning the placeholder, with no `.await` in between,
    /// so a cancelled handler never leaves a stash behind.
    pub fn stash_result(&self, result: Vec<u8>) -> u64 {
        self.stash.insert(result)
    }
}

/// What every placeholder result name starts with.
pub const DIRECT_RESULT_PREFIX: &str = "copydesk/direct-result:";

/// The placeholder string for the stash `token`: a handler returns a result
/// whose JSON has this string within its first 48 bytes (the result itself,
/// or a field of its first element that sorts before the other long ones).
pub fn direct_result_name(token: u64) -> String {
    format!("{DIRECT_RESULT_PREFIX}{token}")
}

/// Results serialised by their handlers, waiting for their response frame.
#[derive(Debug)]
struct ResultStash {
    next_token: AtomicU64,
    /// How many results are waiting (read without the lock on every frame).
    waiting: AtomicU64,
    results: Mutex<HashMap<u64, Vec<u8>>>,
}

impl Default for ResultStash {
    /// Tokens start at a random number, so a placeholder cannot be guessed
    /// from the text of a draft (a symbol named like one).
    fn default() -> ResultStash {
        use std::hash::{BuildHasher, Hasher};
        let random = std::collections::hash_map::RandomState::new().build_hasher().finish();
        ResultStash { next_token: AtomicU64::new(random >> 1), waiting: AtomicU64::new(0), results: Mutex::default() }
    }
}

impl ResultStash {
    fn insert(&self, result: Vec<u8>) -> u64 {
        let token = self.next_token.fetch_add(1, Ordering::Relaxed);
        let mut results = self.results.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        results.insert(token, result);
        self.waiting.store(results.len() as u64, Ordering::Release);
        token
    }

    fn take(&self, token: u64) -> Option<Vec<u8>> {
        let mut results = self.results.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let result = results.remove(&token);
        self.waiting.store(results.len() as u64, Ordering::Release);
        result
    }

    /// The body of a response frame with its placeholder result replaced by
    /// the stashed JSON, or `None` when `body` carries no placeholder of a
    /// waiting stash (every other frame).
    ///
    /// tower-lsp-server writes a successful response as
    /// `{"jsonrpc":"2.0","result":<result>,"id":<id>}`. The placeholder is at
    /// the start of `<result>`, and `,"id":` cannot occur inside the id (a
    /// number, or a string whose quotes are escaped), so the last `,"id":`
    /// ends the result.
    fn splice(&self, body: &[u8]) -> Option<Vec<u8>> {
        const RESPONSE_START: &[u8] = br#"{"jsonrpc":"2.0","result":"#;
        const ID_FIELD: &[u8] = br#","id":"#;
        /// How far into the result the placeholder may start: right at the
        /// start for a string result, after `[{"kind":21,"name":"` for an
        /// array of objects (tower's `Value` maps sort their keys), after
        /// `{"items":[],"kind":"full","resultId":"` (37 bytes) for a pull
        /// diagnostics report, or after `{"data":[],"resultId":"` (23 bytes)
        /// for full semantic tokens.
        const PLACEHOLDER_WITHIN: usize = 48;
        if self.waiting.load(Ordering::Acquire) == 0 || !body.starts_with(RESPONSE_START) {
            return None;
        }
        let result_start = RESPONSE_START.len();
        let window_end = body.len().min(result_start + PLACEHOLDER_WITHIN + DIRECT_RESULT_PREFIX.len());
        let prefix = DIRECT_RESULT_PREFIX.as_bytes();
        let found = body[result_start..window_end].windows(prefix.len()).position(|window| window == prefix)?;
        let digits_start = result_start + found + prefix.len();
        let digits_len = body[digits_start..].iter().take_while(|byte| byte.is_ascii_digit()).count();
        if body.get(digits_start + digits_len) != Some(&b'"') {
            return None;
        }
        let token: u64 = std::str::from_utf8(&body[digits_start..digits_start + digits_len]).ok()?.parse().ok()?;
        let id_start = body.windows(ID_FIELD.len()).rposition(|window| window == ID_FIELD)?;
        if id_start < digits_start {
            return None;
        }
        let result = self.take(token)?;
        let mut spliced = Vec::with_capacity(result_start + result.len() + body.len() - id_start);
        spliced.extend_from_slice(RESPONSE_START);
        spliced.extend_from_slice(&result);
        spliced.extend_from_slice(&body[id_start..]);
        Some(spliced)
    }
}

/// A message body written after room for its `Content-Length` header, so
/// it is framed without copying it: a `publishDiagnostics` body is hundreds
/// of kilobytes on a long draft, sent on every keystroke. Reads as the body.
#[derive(Debug, Clone)]
pub struct FramedBody {
    buffer: Vec<u8>,
}

/// Room for `Content-Length: ` (16 bytes), up to 20 digits and `\r\n\r\n`.
const HEADER_ROOM: usize = 40;

impl FramedBody {
    /// An empty body with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> FramedBody {
        let mut buffer = Vec::with_capacity(HEADER_ROOM + capacity);
        buffer.resize(HEADER_ROOM, b' ');
        FramedBody { buffer }
    }

    /// Appends to the body.
    pub fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// Appends one byte to the body.
    pub fn push(&mut self, byte: u8) {
        self.buffer.push(byte);
    }

    /// The buffer, for serialising into it (only appending keeps it a body).
    pub fn writer(&mut self) -> &mut Vec<u8> {
        &mut self.buffer
    }

    /// The whole frame: the buffer, with the header written right before
    /// the body, and where the frame starts in it.
    fn into_frame(mut self) -> (Vec<u8>, usize) {
        let header = format!("Content-Length: {}\r\n\r\n", self.buffer.len() - HEADER_ROOM);
        let start = HEADER_ROOM - header.len();
        self.buffer[start..HEADER_ROOM].copy_from_slice(header.as_bytes());
        (self.buffer, start)
    }
}

impl std::ops::Deref for FramedBody {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.buffer[HEADER_ROOM..]
    }
}

impl PartialEq<Vec<u8>> for FramedBody {
    fn eq(&self, other: &Vec<u8>) -> bool {
        **self == **other
    }
}

/// `Content-Length` header and body, as one buffer so it is written whole.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    let mut framed = Vec::with_capacity(header.len() + body.len());
    framed.extend_from_slice(header.as_bytes());
    framed.extend_from_slice(body);
    framed
}

/// The output's two halves: where frames are queued, and the writer waiting for them.
#[derive(Debug)]
pub struct OutputQueue {
    sender: mpsc::UnboundedSender<Outgoing>,
    receiver: mpsc::UnboundedReceiver<Outgoing>,
    stash: Arc<ResultStash>,
}

impl OutputQueue {
    pub fn new() -> OutputQueue {
        let (sender, receiver) = mpsc::unbounded_channel();
        OutputQueue { sender, receiver, stash: Arc::default() }
    }

    /// A sender for the publisher and for handlers with direct results.
    pub fn frame_sender(&self) -> FrameSender {
        FrameSender { sender: self.sender.clone(), stash: Arc::clone(&self.stash) }
    }

    /// Forwards tower-lsp-server's output (`tower`, the reading end of the
    /// pipe it writes to) and every queued frame to `output`, until tower
    /// stops writing. Frames queued after that are dropped.
    pub async fn run<T, O>(self, tower: T, output: O)
    where
        T: AsyncRead + Unpin + Send + 'static,
        O: AsyncWrite,
    {
        let OutputQueue { sender, receiver, stash } = self;
        let reader = tokio::spawn(forward_frames(tower, sender, stash));
        write_frames(receiver, output).await;
        // The reader ends at the end of tower's output; nothing to wait for when
        // the writer stopped early (the client went away).
        drop(reader);
    }
}

impl Default for OutputQueue {
    fn default() -> OutputQueue {
        OutputQueue::new()
    }
}

/// Cuts tower-lsp-server's output into whole frames and queues them, with
/// placeholder results replaced by their stashed JSON.
async fn forward_frames<T: AsyncRead + Unpin>(
    tower: T,
    sender: mpsc::UnboundedSender<Outgoing>,
    stash: Arc<ResultStash>,
) {
    let mut reader = BufReader::with_capacity(1 << 16, tower);
    loop {
        let mut header = Vec::new();
        let mut content_length = None;
        loop {
            let before = header.len();
            match reader.read_until(b'\n', &mut header).await {
                Ok(0) | Err(_) => {
                    let _ = sender.send(Outgoing::End);
                    return;
                }
                Ok(_) => {}
            }
            let line = String::from_utf8_lossy(&header[before..]);
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    content_length = value.trim().parse::<usize>().ok();
                }
            }
        }
        let length = content_length.unwrap_or(0);
        let start = header.len();
        header.resize(start + length, 0);
        if reader.read_exact(&mut header[start..]).await.is_err() {
            let _ = sender.send(Outgoing::End);
            return;
        }
        let frame = match stash.splice(&header[start..]) {
            Some(body) => self::frame(&body),
            None => header,
        };
        // When the writer has stopped (the client went away), keep reading so
        // tower-lsp-server never blocks on a full pipe.
        let _ = sender.send(Outgoing::Frame(frame));
    }
}

/// Writes queued frames to `output`, flushing whenever the queue is empty.
async fn write_frames<O: AsyncWrite>(mut receiver: mpsc::UnboundedReceiver<Outgoing>, output: O) {
    tokio::pin!(output);
    while let Some(outgoing) = receiver.recv().await {
        let (frame, start) = match outgoing {
            Outgoing::Frame(frame) => (frame, 0),
            Outgoing::FrameAt(frame, start) => (frame, start),
            Outgoing::End => break,
        };
        super::probe::stamp(super::probe::Stage::WriterTook);
        if output.write_all(&frame[start..]).await.is_err() {
            return;
        }
        if receiver.is_empty() && output.flush().await.is_err() {
            return;
        }
        super::probe::stamp(super::probe::Stage::Written);
    }
    // tower-lsp-server has stopped: whatever else is queued was queued before
    // (or races with) the end; write the frames still there, then stop.
    loop {
        let (frame, start) = match receiver.try_recv() {
            Ok(Outgoing::Frame(frame)) => (frame, 0),
            Ok(Outgoing::FrameAt(frame, start)) => (frame, start),
            Ok(Outgoing::End) | Err(_) => break,
        };
        if output.write_all(&frame[start..]).await.is_err() {
            return;
        }
    }
    let _ = output.flush().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn frames_from_both_sources_arrive_whole() {
        let (mut tower_writer, tower_reader) = tokio::io::duplex(64);
        let (output_writer, mut output_reader) = tokio::io::duplex(1 << 16);
        let queue = OutputQueue::new();
        let sender = queue.frame_sender();
        let running = tokio::spawn(queue.run(tower_reader, output_writer));
        sender.send_body(br#"{"a":1}"#);
        // A tower frame written in pieces smaller than the pipe still arrives whole.
        let body = format!(r#"{{"long":"{}"}}"#, "x".repeat(200));
        tower_writer.write_all(frame(body.as_bytes()).as_slice()).await.expect("write");
        let mut framed = FramedBody::with_capacity(0);
        framed.extend_from_slice(br#"{"b":2}"#);
        sender.send_framed(framed);
        drop(tower_writer);
        running.await.expect("the writer ends after tower's output ends");
        let mut written = String::new();
        output_reader.read_to_string(&mut written).await.expect("read");
        let bodies: Vec<&str> = written.split("Content-Length: ").filter(|part| !part.is_empty()).collect();
        assert_eq!(bodies.len(), 3, "{written}");
        for part in bodies {
            let (length, body) = part.split_once("\r\n\r\n").expect("a header");
            assert_eq!(length.parse::<usize>().expect("a length"), body.len());
            assert!(serde_json::from_str::<serde_json::Value>(body).is_ok(), "{body}");
        }
    }

    /// The body tower-lsp-server writes for a successful response.
    fn tower_response(id: serde_json::Value, result: serde_json::Value) -> Vec<u8> {
        let id: tower_lsp_server::jsonrpc::Id = serde_json::from_value(id).expect("an id");
        serde_json::to_vec(&tower_lsp_server::jsonrpc::Response::from_ok(id, result)).expect("JSON")
    }

    #[test]
    fn a_placeholder_result_is_replaced_by_its_stash_once() {
        let stash = ResultStash::default();
        let direct = br#"[{"name":"People","kind":3}]"#.to_vec();
        let token = stash.insert(direct);
        let placeholder = serde_json::json!([{"name": direct_result_name(token), "kind": 3}]);
        for id in [serde_json::json!(7), serde_json::json!("a,\"id\":9")] {
            let token = stash.insert(br#"[{"name":"People","kind":3}]"#.to_vec());
            let placeholder = serde_json::json!([{"name": direct_result_name(token), "kind": 3}]);
            let body = tower_response(id.clone(), placeholder);
            let spliced = stash.splice(&body).expect("spliced");
            let message: serde_json::Value = serde_json::from_slice(&spliced).expect("JSON");
            assert_eq!(
                message,
                serde_json::json!({"jsonrpc": "2.0", "id": id, "result": [{"name": "People", "kind": 3}]})
            );
            // The stash is used once: the same frame again goes by unchanged.
            assert!(stash.splice(&body).is_none());
        }
        // A bare string placeholder works too.
        let string_token = stash.insert(b"{\"data\":[1,2]}".to_vec());
        let body = tower_response(serde_json::json!(8), serde_json::json!(direct_result_name(string_token)));
        let message: serde_json::Value = serde_json::from_slice(&stash.splice(&body).expect("spliced")).expect("JSON");
        assert_eq!(message["result"], serde_json::json!({"data": [1, 2]}));
        // Other frames, and placeholders of unknown tokens, go by unchanged.
        let other = tower_response(serde_json::json!(9), serde_json::json!([{"name": "People"}]));
        assert!(stash.splice(&other).is_none());
        let unknown =
            tower_response(serde_json::json!(10), serde_json::json!([{"name": direct_result_name(token + 1000)}]));
        assert!(stash.splice(&unknown).is_none());
        let notification =
            br#"{"jsonrpc":"2.0","method":"window/logMessage","params":{"message":"copydesk/direct-result:1"}}"#;
        assert!(stash.splice(notification).is_none());
        // The first stash is still waiting for its frame.
        let body = tower_response(serde_json::json!(11), placeholder);
        assert!(stash.splice(&body).is_some());
        assert_eq!(stash.waiting.load(Ordering::Acquire), 0);
    }
}
