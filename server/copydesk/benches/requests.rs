//! Request latency of the writer-facing features while the writer types.
//!
//! Runs the real server in process over an in-memory pipe with real
//! `Content-Length` framing, opens a generated 10,000-word draft (invented
//! names, written here), and then, for each request kind, repeats: type one
//! character (an incremental `didChange`), then send the request and time it
//! until its response arrives. The request therefore includes waiting for the
//! analysis of the text just typed, which is what a writer feels. Prints p50,
//! p99 and max per request kind; the budget is p99 < 5 ms.
//!
//! `cargo bench -p copydesk --bench requests` (add `-- --words N --rounds N`).

// A benchmark reports its figures on stdout; this is not the server.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};

/// A minimal LSP client over framed messages.
struct Client {
    reader: BufReader<DuplexStream>,
    writer: DuplexStream,
    next_id: i64,
    /// The draft as the client has it.
    text: String,
    version: i32,
    /// Size of the last message body received, in bytes.
    last_body_len: usize,
}

impl Client {
    async fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("serialisable");
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.writer.write_all(header.as_bytes()).await.expect("write header");
        self.writer.write_all(&body).await.expect("write body");
        self.writer.flush().await.expect("flush");
    }

    async fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).await.expect("read header");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.parse().expect("numeric length");
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).await.expect("read body");
        self.last_body_len = body.len();
        serde_json::from_slice(&body).expect("JSON body")
    }

    async fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params})).await;
    }

    /// Sends a request and waits for its response, answering server requests
    /// and skipping notifications on the way.
    async fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})).await;
        loop {
            let message = self.receive().await;
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            if let (Some(server_id), Some(_)) = (message.get("id"), message.get("method")) {
                let reply = json!({"jsonrpc": "2.0", "id": server_id, "result": null});
                self.send(&reply).await;
            }
        }
    }
}

/// A deterministic pseudo-random generator (no dependency needed for this).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound
    }
}

/// A news-like draft of about `words` words with invented people, titles,
/// organisations, places and quotes.
fn generate_draft(words: usize) -> String {
    let people = [
        ("Deputy Trade Minister", "Park Min Ji", "Park"),
        ("Fisheries Minister", "Laura Fenwick", "Fenwick"),
        ("Fleet Commissioner", "Oduya Brannock", "Brannock"),
        ("Harbour Authority chief", "Tran Van Loc", "Tran"),
        ("Senator", "Hallvard Ostby", "Ostby"),
        ("Port Director", "Ines Carvalho", "Carvalho"),
    ];
    let places = ["Port Azure", "Valdora", "Kestrel Bay", "Northmoor"];
    let agencies = ["Nordwire", "the Coastal Ledger", "AP"];
    let phrases = [
        "stuck on numbers",
        "a deal that empties our nets",
        "we have offered more than once",
        "nobody wants a blockade",
        "the quotas are fair to both fleets",
    ];
    let mut random = Lcg(7);
    let mut out = String::from("Harbour talks stall over fishing quotas\nCoastal Ledger\n[\"fisheries\"]\n");
    let mut count = 0;
    while count < words {
        let mut paragraph = String::new();
        for _ in 0..(2 + random.next(3)) {
            let (title, name, family) = people[random.next(people.len())];
            let (_, other, other_family) = people[random.next(people.len())];
            let place = places[random.next(places.len())];
            let agency = agencies[random.next(agencies.len())];
            let phrase = phrases[random.next(phrases.len())];
            let sentence = match random.next(5) {
                0 => format!("{title} {name} met {other} in {place} on Tuesday. "),
                1 => format!("{family} told reporters the talks were \"{phrase}.\" "),
                2 => format!("\"It is {phrase},\" {other_family} said, according to {agency}. "),
                3 => format!("She said {place} would not sign \"{phrase},\" {agency} reported. "),
                _ => format!("The talks in {place} resumed after {family} and {other_family} spoke by telephone. "),
            };
            count += sentence.split_whitespace().count();
            paragraph.push_str(&sentence);
        }
        out.push_str(paragraph.trim_end());
        out.push('\n');
    }
    out
}

/// The LSP position (line, UTF-16 column; the draft is ASCII) of a byte offset.
fn position_of(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let column = before.len() - before.rfind('\n').map_or(0, |index| index + 1);
    json!({"line": line, "character": column})
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn argument(name: &str, default: usize) -> usize {
    let arguments: Vec<String> = std::env::args().collect();
    arguments
        .iter()
        .position(|argument| argument == name)
        .and_then(|index| arguments.get(index + 1))
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let words = argument("--words", 10_000);
    let rounds = argument("--rounds", 100);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    runtime.block_on(run(words, rounds));
}

/// One request kind: its LSP method and how to build its parameters for the
/// current text and cursor.
struct RequestKind {
    method: &'static str,
    params: fn(&Client, &Targets) -> Value,
}

/// Where requests point: a mention before the typing spot (its position
/// does not move while typing) and the cursor.
struct Targets {
    mention: Value,
    cursor: Value,
    visible: Value,
    previous_result_id: String,
}

const URI: &str = "file:///bench/draft.txt";

fn document() -> Value {
    json!({"uri": URI})
}

fn kinds() -> Vec<RequestKind> {
    vec![
        RequestKind {
            method: "textDocument/hover",
            params: |_, targets| json!({"textDocument": document(), "position": targets.mention}),
        },
        RequestKind {
            method: "textDocument/definition",
            params: |_, targets| json!({"textDocument": document(), "position": targets.mention}),
        },
        RequestKind {
            method: "textDocument/references",
            params: |_, targets| json!({"textDocument": document(), "position": targets.mention, "context": {"includeDeclaration": true}}),
        },
        RequestKind {
            method: "textDocument/documentHighlight",
            params: |_, targets| json!({"textDocument": document(), "position": targets.mention}),
        },
        RequestKind {
            method: "textDocument/prepareRename",
            params: |_, targets| json!({"textDocument": document(), "position": targets.mention}),
        },
        RequestKind {
            method: "textDocument/rename",
            params: |_, targets| json!({"textDocument": document(), "position": targets.mention, "newName": "Laura J. Fenwick"}),
        },
        RequestKind { method: "textDocument/documentSymbol", params: |_, _| json!({"textDocument": document()}) },
        RequestKind { method: "workspace/symbol", params: |_, _| json!({"query": "fen"}) },
        RequestKind {
            method: "textDocument/inlayHint",
            params: |_, targets| json!({"textDocument": document(), "range": targets.visible}),
        },
        RequestKind { method: "textDocument/semanticTokens/full", params: |_, _| json!({"textDocument": document()}) },
        RequestKind {
            method: "textDocument/semanticTokens/full/delta",
            params: |_, targets| json!({"textDocument": document(), "previousResultId": targets.previous_result_id}),
        },
        RequestKind {
            method: "textDocument/semanticTokens/range",
            params: |_, targets| json!({"textDocument": document(), "range": targets.visible}),
        },
        RequestKind {
            method: "textDocument/completion",
            params: |_, targets| json!({"textDocument": document(), "position": targets.cursor}),
        },
        RequestKind { method: "textDocument/codeLens", params: |_, _| json!({"textDocument": document()}) },
    ]
}

impl Client {
    /// Waits until the server has published the diagnostics of `version`,
    /// that is, until the analysis of that version is done.
    async fn wait_for_version(&mut self, version: i32) {
        loop {
            let message = self.receive().await;
            if message["method"] == "textDocument/publishDiagnostics" && message["params"]["version"] == json!(version)
            {
                return;
            }
            if let (Some(server_id), Some(_)) = (message.get("id"), message.get("method")) {
                let reply = json!({"jsonrpc": "2.0", "id": server_id, "result": null});
                self.send(&reply).await;
            }
        }
    }

    /// Types one character at byte `offset` (an incremental change).
    async fn type_character(&mut self, offset: usize, character: char) {
        self.version += 1;
        let position = position_of(&self.text, offset);
        let change = json!({
            "textDocument": {"uri": URI, "version": self.version},
            "contentChanges": [{"range": {"start": position, "end": position}, "text": character.to_string()}]
        });
        self.notify("textDocument/didChange", change).await;
        self.text.insert(offset, character);
    }
}

async fn run(words: usize, rounds: usize) {
    // Two one-way pipes: what the client writes, the server reads, and back.
    let (client_to_server, server_input) = tokio::io::duplex(1 << 22);
    let (server_output, server_to_client) = tokio::io::duplex(1 << 22);
    tokio::spawn(copydesk::lsp::serve(server_input, server_output, copydesk::lsp::state::ServerOptions::default()));
    let text = generate_draft(words);
    let mut client = Client {
        reader: BufReader::new(server_to_client),
        writer: client_to_server,
        next_id: 0,
        text: text.clone(),
        version: 1,
        last_body_len: 0,
    };
    let initialize = client
        .request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {"general": {"positionEncodings": ["utf-16"]}}}),
        )
        .await;
    assert!(initialize.get("result").is_some(), "initialize failed: {initialize}");
    client.notify("initialized", json!({})).await;
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "plaintext", "version": 1, "text": text}}),
        )
        .await;

    // The mention to ask about: the first "Fenwick" (before the typing spot).
    let mention_offset = client.text.find("Laura Fenwick").expect("a Fenwick in the draft") + 8;
    // Type at the end of the middle paragraph, so every request sees a fresh edit.
    let middle = client.text.len() / 2;
    let mut cursor = middle + client.text[middle..].find('\n').expect("a paragraph end");
    let typing: Vec<char> = " Fenwick said more.".chars().collect();
    let first = client.request("textDocument/semanticTokens/full", json!({"textDocument": document()})).await;
    let mut previous_result_id = first["result"]["resultId"].as_str().unwrap_or("").to_owned();
    let visible_start = client.text[..middle].matches('\n').count().saturating_sub(25);

    let mut worst_p99 = Duration::ZERO;
    let mut typed = 0;
    for settled in [false, true] {
        if settled {
            println!(
                "\nrequest latency after the analysis of the keystroke is done (the feature's own cost): {words} words, {rounds} rounds"
            );
        } else {
            println!(
                "request latency while typing (sent right after a keystroke, so it includes analysing it): {words} words, {rounds} rounds"
            );
        }
        println!("{:<40} {:>9} {:>9} {:>9} {:>9}", "request", "p50 ms", "p99 ms", "max ms", "bytes");
        let mut all = Vec::new();
        for kind in kinds() {
            let mut samples = Vec::with_capacity(rounds);
            let mut bytes = 0;
            for _ in 0..rounds {
                let character = typing[typed % typing.len()];
                typed += 1;
                client.type_character(cursor, character).await;
                cursor += character.len_utf8();
                if settled {
                    let version = client.version;
                    client.wait_for_version(version).await;
                }
                let targets = Targets {
                    mention: position_of(&client.text, mention_offset),
                    cursor: position_of(&client.text, cursor),
                    visible: json!({"start": {"line": visible_start, "character": 0}, "end": {"line": visible_start + 50, "character": 0}}),
                    previous_result_id: previous_result_id.clone(),
                };
                let params = (kind.params)(&client, &targets);
                let started = Instant::now();
                let response = client.request(kind.method, params).await;
                samples.push(started.elapsed());
                bytes = client.last_body_len;
                assert!(response.get("error").is_none(), "{} failed: {response}", kind.method);
                if let Some(result_id) = response["result"]["resultId"].as_str() {
                    previous_result_id = result_id.to_owned();
                }
            }
            samples.sort();
            let p99 = percentile(&samples, 0.99);
            if settled {
                worst_p99 = worst_p99.max(p99);
            }
            println!(
                "{:<40} {:>9.3} {:>9.3} {:>9.3} {:>9}",
                kind.method,
                percentile(&samples, 0.5).as_secs_f64() * 1000.0,
                p99.as_secs_f64() * 1000.0,
                samples.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
                bytes
            );
            all.extend(samples);
        }
        all.sort();
        println!(
            "{:<40} {:>9.3} {:>9.3} {:>9.3}",
            "all requests",
            percentile(&all, 0.5).as_secs_f64() * 1000.0,
            percentile(&all, 0.99).as_secs_f64() * 1000.0,
            all.last().copied().unwrap_or_default().as_secs_f64() * 1000.0
        );
    }
    core_analysis_per_keystroke(words, rounds);
    ide_queries_in_process(words, rounds);
    println!(
        "budget p99 < 5 ms per request kind, once the keystroke is analysed: {} (worst p99 {:.3} ms)",
        if worst_p99 < Duration::from_millis(5) { "met" } else { "NOT met" },
        worst_p99.as_secs_f64() * 1000.0
    );
}

/// For scale: the core's incremental analysis of one keystroke on the same
/// draft, in process, without LSP. A request sent before the analysis of the
/// keystroke is done waits for this.
fn core_analysis_per_keystroke(words: usize, rounds: usize) {
    use copydesk_analysis::{Analyzer, Config, DocumentKind};
    let mut text = generate_draft(words);
    let config = Config::default();
    let mut analyzer = Analyzer::new();
    let _ = analyzer.analyze(&text, DocumentKind::PlainText, &config);
    let middle = text.len() / 2;
    let start = middle + text[middle..].find('\n').expect("a paragraph end");
    let mut samples = Vec::with_capacity(rounds);
    for index in 0..rounds {
        text.insert(start + index, if index % 5 == 0 { ' ' } else { 'x' });
        let started = Instant::now();
        let analysis = analyzer.analyze(&text, DocumentKind::PlainText, &config);
        samples.push(started.elapsed());
        std::hint::black_box(analysis);
    }
    samples.sort();
    println!(
        "\ncore incremental analysis of one keystroke (no LSP): p50 {:.3} ms, p99 {:.3} ms",
        percentile(&samples, 0.5).as_secs_f64() * 1000.0,
        percentile(&samples, 0.99).as_secs_f64() * 1000.0
    );
}

/// One timed query; returns something derived from its result so the
/// optimiser cannot drop the work.
type Query<'a> = Box<dyn Fn() -> usize + 'a>;

/// The `ide` queries alone, in process, on the analysed draft: what each
/// feature costs before LSP conversion and transport.
fn ide_queries_in_process(words: usize, rounds: usize) {
    use copydesk_analysis::ide::{
        Draft, code_lens, completion, hover, inlay_hints, navigation, rename, semantic_tokens, symbols,
    };
    use copydesk_analysis::{Config, DocumentKind, Span, analyze_document};
    let text = generate_draft(words);
    let document = analyze_document(&text, DocumentKind::PlainText, &Config::default());
    let draft = Draft::new(&text, &document);
    let mention = text.find("Laura Fenwick").expect("a Fenwick") + 8;
    let middle = text.len() / 2;
    let visible = Span::new(middle.saturating_sub(3_000), (middle + 3_000).min(text.len()));
    let queries: Vec<(&str, Query<'_>)> = vec![
        ("hover", Box::new(|| hover::hover(&draft, mention).map_or(0, |hover| hover.markdown.len()))),
        ("definition", Box::new(|| navigation::definition(&draft, mention).len())),
        ("references", Box::new(|| navigation::references(&draft, mention, true).len())),
        ("highlights", Box::new(|| navigation::highlights(&draft, mention).len())),
        ("prepare_rename", Box::new(|| usize::from(rename::prepare_rename(&draft, mention).is_ok()))),
        ("rename", Box::new(|| rename::rename(&draft, mention, "Laura J. Fenwick").map_or(0, |edits| edits.len()))),
        ("document_symbols", Box::new(|| symbols::document_symbols(&draft).len())),
        ("workspace_symbols", Box::new(|| symbols::workspace_symbols(&draft, "fen").len())),
        ("inlay_hints (visible range)", Box::new(|| inlay_hints::inlay_hints(&draft, Some(visible)).len())),
        ("semantic_spans (full)", Box::new(|| semantic_tokens::semantic_spans(&draft, None).len())),
        ("semantic_spans (visible range)", Box::new(|| semantic_tokens::semantic_spans(&draft, Some(visible)).len())),
        ("completions", Box::new(|| completion::completions(&draft, mention).len())),
        ("code lens summary", Box::new(|| code_lens::summary(&draft).map_or(0, |summary| summary.people))),
    ];
    println!("\nide queries in process on the analysed draft (no LSP): {words} words, {rounds} rounds");
    println!("{:<40} {:>9} {:>9} {:>9}", "query", "p50 ms", "p99 ms", "max ms");
    for (name, query) in queries {
        let mut samples = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let started = Instant::now();
            std::hint::black_box(query());
            samples.push(started.elapsed());
        }
        samples.sort();
        println!(
            "{:<40} {:>9.3} {:>9.3} {:>9.3}",
            name,
            percentile(&samples, 0.5).as_secs_f64() * 1000.0,
            percentile(&samples, 0.99).as_secs_f64() * 1000.0,
            samples.last().copied().unwrap_or_default().as_secs_f64() * 1000.0
        );
    }
}
