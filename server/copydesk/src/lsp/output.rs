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

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// One item for the output writer.
#[derive(Debug)]
enum Outgoing {
    /// A whole frame: `Content-Length` header and body.
    Frame(Vec<u8>),
    /// tower-lsp-server has stopped writing: deliver what is queued, then stop.
    End,
}

/// Queues frames for the output writer. Cheap to clone.
#[derive(Debug, Clone)]
pub struct FrameSender {
    sender: mpsc::UnboundedSender<Outgoing>,
}

impl FrameSender {
    /// Queues one message body (a complete JSON-RPC message), framed with its
    /// `Content-Length` header. Dropped silently once the server is stopping.
    pub fn send_body(&self, body: &[u8]) {
        let _ = self.sender.send(Outgoing::Frame(frame(body)));
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
}

impl OutputQueue {
    pub fn new() -> OutputQueue {
        let (sender, receiver) = mpsc::unbounded_channel();
        OutputQueue { sender, receiver }
    }

    /// A sender for the publisher.
    pub fn frame_sender(&self) -> FrameSender {
        FrameSender { sender: self.sender.clone() }
    }

    /// Forwards tower-lsp-server's output (`tower`, the reading end of the
    /// pipe it writes to) and every queued frame to `output`, until tower
    /// stops writing. Frames queued after that are dropped.
    pub async fn run<T, O>(self, tower: T, output: O)
    where
        T: AsyncRead + Unpin + Send + 'static,
        O: AsyncWrite,
    {
        let OutputQueue { sender, receiver } = self;
        let reader = tokio::spawn(forward_frames(tower, sender));
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

/// Cuts tower-lsp-server's output into whole frames and queues them.
async fn forward_frames<T: AsyncRead + Unpin>(tower: T, sender: mpsc::UnboundedSender<Outgoing>) {
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
        // When the writer has stopped (the client went away), keep reading so
        // tower-lsp-server never blocks on a full pipe.
        let _ = sender.send(Outgoing::Frame(header));
    }
}

/// Writes queued frames to `output`, flushing whenever the queue is empty.
async fn write_frames<O: AsyncWrite>(mut receiver: mpsc::UnboundedReceiver<Outgoing>, output: O) {
    tokio::pin!(output);
    while let Some(outgoing) = receiver.recv().await {
        let frame = match outgoing {
            Outgoing::Frame(frame) => frame,
            Outgoing::End => break,
        };
        if output.write_all(&frame).await.is_err() {
            return;
        }
        if receiver.is_empty() && output.flush().await.is_err() {
            return;
        }
    }
    // tower-lsp-server has stopped: whatever else is queued was queued before
    // (or races with) the end; write the frames still there, then stop.
    while let Ok(Outgoing::Frame(frame)) = receiver.try_recv() {
        if output.write_all(&frame).await.is_err() {
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
        sender.send_body(br#"{"b":2}"#);
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
}
