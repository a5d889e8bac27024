//! An input guard in front of tower-lsp-server's reader.
//!
//! tower-lsp-server 0.23 reads stdin through tokio-util's `FramedRead`. Since
//! tokio-util 0.7.x, a decoder error (a body that is not JSON, a bad header)
//! makes the stream end, and tower-lsp-server then stops serving: one
//! malformed message would kill the server. This guard frames the client's
//! input itself and forwards only well-formed JSON-RPC messages. Anything
//! else is replaced by a request to an internal method that answers the
//! proper JSON-RPC error (`-32700` parse error, `-32600` invalid request), so
//! the client still gets an answer, in order, and the server lives.

use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Internal method answering a JSON-RPC parse error (-32700).
pub const PARSE_ERROR_METHOD: &str = "copydesk/internal/parseError";
/// Internal method answering a JSON-RPC invalid request error (-32600).
pub const INVALID_REQUEST_METHOD: &str = "copydesk/internal/invalidRequest";

/// Largest body accepted; anything larger is answered as an invalid request
/// (and skipped) rather than buffered.
const MAX_BODY_BYTES: usize = 1 << 30;

/// What to forward for one framed body, and why it was not forwarded as it
/// came when it was not.
fn classify(body: &[u8]) -> (Vec<u8>, Option<&'static str>) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (
            internal_request(PARSE_ERROR_METHOD, &serde_json::Value::Null),
            Some("a message whose body is not JSON; answered with a JSON-RPC parse error (-32700)"),
        );
    };
    // Deserialised from a borrow: no copy of the message (a whole draft, for `didOpen`).
    let is_message = Request::deserialize(&value).is_ok() || Response::deserialize(&value).is_ok();
    if is_message {
        return (body.to_vec(), None);
    }
    // Keep the id when there is a usable one, so the client can match the error.
    let id = match value.get("id") {
        Some(id @ (serde_json::Value::Number(_) | serde_json::Value::String(_))) => id.clone(),
        _ => serde_json::Value::Null,
    };
    (
        internal_request(INVALID_REQUEST_METHOD, &id),
        Some("a JSON body that is no JSON-RPC message; answered with an invalid-request error (-32600)"),
    )
}

/// Tells whoever reads the server's stderr (an editor's LSP log, or a person
/// who started `copydesk lsp` in a terminal and typed at it) what was wrong
/// with the input, since the JSON-RPC error alone says little and goes to a
/// client that may not show it. stderr, never stdout: stdout is the protocol.
fn report_malformed_input(reason: &str) {
    eprintln!("copydesk lsp: the client sent {reason}");
}

fn internal_request(method: &str, id: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "jsonrpc": "2.0", "id": id, "method": method }))
        .unwrap_or_else(|_| b"{}".to_vec())
}

async fn write_frame<W: AsyncWrite + Unpin>(output: &mut W, body: &[u8]) -> std::io::Result<()> {
    output.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes()).await?;
    output.write_all(body).await?;
    output.flush().await
}

/// Reads framed messages from `input` and writes clean frames to `output`
/// until `input` ends (or `output` is closed).
pub async fn guard_input<R: AsyncRead + Unpin, W: AsyncWrite + Unpin>(input: R, mut output: W) {
    let mut reader = BufReader::with_capacity(1 << 16, input);
    loop {
        let mut content_length: Option<Result<usize, ()>> = None;
        let mut header_lines = 0;
        loop {
            let mut line = Vec::new();
            match reader.read_until(b'\n', &mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                if header_lines > 0 {
                    break;
                }
                // Stray blank lines between messages are skipped.
                continue;
            }
            header_lines += 1;
            if let Some((name, value)) = text.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    content_length = Some(value.trim().parse::<usize>().map_err(|_| ()));
                }
            }
        }
        let forwarded = match content_length {
            Some(Ok(length)) if length <= MAX_BODY_BYTES => {
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).await.is_err() {
                    report_malformed_input("a Content-Length longer than what followed before the input ended");
                    return;
                }
                let (forwarded, problem) = classify(&body);
                crate::lsp::probe::stamp(crate::lsp::probe::Stage::Framed);
                if let Some(problem) = problem {
                    report_malformed_input(problem);
                }
                forwarded
            }
            Some(Ok(_)) => {
                // Too large to buffer: the body cannot be skipped reliably either,
                // so answer and stop reading this stream.
                report_malformed_input(
                    "a message over 1 GiB; answered with an invalid-request error and stopped reading",
                );
                let _ =
                    write_frame(&mut output, &internal_request(INVALID_REQUEST_METHOD, &serde_json::Value::Null)).await;
                return;
            }
            // A header block without a usable Content-Length.
            _ => {
                report_malformed_input(
                    "a header block without a usable Content-Length (is this a terminal? the server speaks LSP); answered with a JSON-RPC parse error (-32700)",
                );
                internal_request(PARSE_ERROR_METHOD, &serde_json::Value::Null)
            }
        };
        if write_frame(&mut output, &forwarded).await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_messages_pass_unchanged() {
        let request = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        assert_eq!(classify(request), (request.to_vec(), None));
        let notification = br#"{"jsonrpc":"2.0","method":"exit"}"#;
        assert_eq!(classify(notification), (notification.to_vec(), None));
        let response = br#"{"jsonrpc":"2.0","id":3,"result":null}"#;
        assert_eq!(classify(response), (response.to_vec(), None));
        let (parse_error, problem) = classify(b"{\"jsonrpc\":");
        let parse_error = String::from_utf8(parse_error).unwrap_or_default();
        assert!(parse_error.contains(PARSE_ERROR_METHOD) && parse_error.contains("\"id\":null"));
        assert!(problem.is_some_and(|problem| problem.contains("not JSON")));
        let (invalid, problem) = classify(br#"{"id":7,"hello":"world","jsonrpc":"1.0"}"#);
        let invalid = String::from_utf8(invalid).unwrap_or_default();
        assert!(invalid.contains(INVALID_REQUEST_METHOD) && invalid.contains("\"id\":7"), "{invalid}");
        assert!(problem.is_some_and(|problem| problem.contains("no JSON-RPC message")));
    }
}
