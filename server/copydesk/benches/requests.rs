//! Request latency of the writer-facing features, idle and while the writer types.
//!
//! Runs the real server in process over an in-memory pipe with real
//! `Content-Length` framing and the default settings (20 ms debounce), opens
//! a generated 10,000-word draft (invented names, written here), and times
//! every request kind in three situations:
//!
//! - **idle**: one character typed, its diagnostics received (the analysis
//!   is done), then the request: the feature's own cost.
//! - **while typing**: a character typed every `--interval-ms` (default 80),
//!   and the request sent at a random moment between two keystrokes, as an
//!   editor does. A request that arrives before the last keystroke is
//!   analysed waits for that analysis (it must answer on the current text).
//! - **right after a keystroke**: the request sent immediately behind the
//!   `didChange`, so it always includes analysing the keystroke: the worst case.
//!
//! The clock runs from just before the request is written until the client
//! has read the whole response and checked that it is JSON (no `Value` tree
//! built: that is the client's own cost, measured separately below). A reader
//! task drains the server's output all the time, so publishDiagnostics never
//! back up behind a request. Prints p50, p99 and max per request kind; the
//! budget is p99 < 5 ms. Then, in process: the outline's stages (core,
//! `ls_types` conversion, tower-lsp-server's `Value` round trip, the direct
//! JSON, a client's parse), the core's analysis of one keystroke, and the
//! core's `ide` queries alone.
//!
//! The writer types a two-sentence paragraph again and again, each opened
//! with Enter; `--one-paragraph` appends a sentence to one paragraph instead,
//! which grows to some 4,000 characters over a run (see [`typed_text`]).
//!
//! `cargo bench -p copydesk --bench requests` (add `-- --words N --rounds N
//! --interval-ms N --only METHOD --one-paragraph`).

// A benchmark reports its figures on stdout; this is not the server.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;

/// What the reader task learns of each message: enough to route it, after
/// checking the whole body is JSON (unknown fields are skipped, not built).
#[derive(Deserialize)]
struct Peek {
    id: Option<Value>,
    method: Option<String>,
    error: Option<Value>,
    params: Option<PeekParams>,
}

/// The one parameter the client reads from a notification: the version of
/// published diagnostics. The diagnostics themselves are checked, not built
/// into a `Value` tree: an editor does its own work on them, which is not the
/// server's latency.
#[derive(Deserialize)]
struct PeekParams {
    version: Option<i64>,
}

/// One message from the server, as the reader task received it.
struct Incoming {
    peek: Peek,
    body: Vec<u8>,
    /// When the whole body had been read and checked.
    at: Instant,
}

/// Reads the server's output as fast as it comes, so the server never waits
/// on a full pipe, and hands every message over with its arrival time.
async fn read_messages(stream: DuplexStream, sender: mpsc::UnboundedSender<Incoming>) {
    let mut reader = BufReader::with_capacity(1 << 16, stream);
    loop {
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.parse().expect("numeric length");
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        let peek: Peek = serde_json::from_slice(&body).expect("a JSON-RPC message");
        let at = Instant::now();
        if sender.send(Incoming { peek, body, at }).is_err() {
            return;
        }
    }
}

/// A minimal LSP client over framed messages.
struct Client {
    incoming: mpsc::UnboundedReceiver<Incoming>,
    writer: DuplexStream,
    next_id: i64,
    /// The draft as the client has it.
    text: String,
    version: i32,
    /// The latest version whose diagnostics the server published.
    published: i32,
}

/// A response, with how long it took and its size.
struct Answer {
    message: Value,
    elapsed: Duration,
    bytes: usize,
}

impl Client {
    async fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("serialisable");
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(&body);
        self.writer.write_all(&frame).await.expect("write");
        self.writer.flush().await.expect("flush");
    }

    async fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params})).await;
    }

    /// Handles one message that is not the awaited response: answers server
    /// requests, notes which version's diagnostics were published.
    async fn handle_other(&mut self, incoming: &Incoming) {
        match (&incoming.peek.id, &incoming.peek.method) {
            (Some(server_id), Some(_)) => {
                let reply = json!({"jsonrpc": "2.0", "id": server_id, "result": null});
                self.send(&reply).await;
            }
            (None, Some(method)) if method == "textDocument/publishDiagnostics" => {
                if let Some(version) = incoming.peek.params.as_ref().and_then(|params| params.version) {
                    self.published = self.published.max(version as i32);
                }
            }
            _ => {}
        }
    }

    async fn next(&mut self) -> Incoming {
        self.incoming.recv().await.expect("the server keeps its output open")
    }

    /// Sends a request and waits for its response, handling other messages
    /// on the way.
    async fn request(&mut self, method: &str, params: Value) -> Answer {
        self.next_id += 1;
        let id = json!(self.next_id);
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        let started = Instant::now();
        self.send(&message).await;
        loop {
            let incoming = self.next().await;
            if incoming.peek.id.as_ref() == Some(&id) && incoming.peek.method.is_none() {
                assert!(incoming.peek.error.is_none(), "{method} failed: {}", String::from_utf8_lossy(&incoming.body));
                let elapsed = incoming.at - started;
                let message = serde_json::from_slice(&incoming.body).expect("JSON");
                return Answer { message, elapsed, bytes: incoming.body.len() };
            }
            self.handle_other(&incoming).await;
        }
    }

    /// Handles messages until `deadline` (the writer's next keystroke).
    async fn idle_until(&mut self, deadline: Instant) {
        loop {
            let now = Instant::now();
            if now >= deadline {
                return;
            }
            match tokio::time::timeout(deadline - now, self.incoming.recv()).await {
                Ok(Some(incoming)) => self.handle_other(&incoming).await,
                Ok(None) => panic!("the server closed its output"),
                Err(_) => return,
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

fn argument_text(name: &str) -> Option<String> {
    let arguments: Vec<String> = std::env::args().collect();
    arguments.iter().position(|argument| argument == name).and_then(|index| arguments.get(index + 1)).cloned()
}

fn argument(name: &str, default: usize) -> usize {
    argument_text(name).and_then(|value| value.parse().ok()).unwrap_or(default)
}

/// What the bench was asked to run.
struct Options {
    words: usize,
    rounds: usize,
    /// Milliseconds between two keystrokes in the "while typing" runs.
    interval: Duration,
    /// Only the request kinds whose method contains this.
    only: Option<String>,
    /// Type everything into one paragraph, which grows by thousands of
    /// characters over the run (the bench's typing before 2026-11-28 noon).
    one_paragraph: bool,
}

/// What the writer types, over and over. By default a short news paragraph
/// of two sentences, each opened with Enter, so paragraphs stay the length
/// writers give them; with `--one-paragraph`, one sentence appended to the
/// same paragraph again and again (some 4,000 characters, 700 words, by the
/// end of a run: a paragraph no news story has, and every keystroke
/// re-analyses all of it).
fn typed_text(options: &Options) -> &'static str {
    if options.one_paragraph {
        " Fenwick said more."
    } else {
        "\nFenwick said more talks were planned for May, but she gave no date. Officials in Valdora did not comment."
    }
}

fn main() {
    let options = Options {
        words: argument("--words", 10_000),
        rounds: argument("--rounds", 100),
        interval: Duration::from_millis(argument("--interval-ms", 80) as u64),
        only: argument_text("--only"),
        one_paragraph: std::env::args().any(|argument| argument == "--one-paragraph"),
    };
    // The server gets a runtime of its own, as in the binary (a worker thread
    // per core: two here), and the client a single thread, as an editor's
    // event loop: sharing the server's two worker threads with the client's
    // reading and parsing, the bench timed the client's work as the server's.
    let server_runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let client_runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    client_runtime.block_on(run(&options, server_runtime.handle()));
    outline_stages(options.words, options.rounds);
    core_analysis_per_keystroke(options.words, options.rounds);
    ide_queries_in_process(options.words, options.rounds);
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
        while self.published < version {
            let incoming = self.next().await;
            self.handle_other(&incoming).await;
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

/// When a request is sent relative to the typing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Moment {
    /// After the keystroke's diagnostics arrived.
    Idle,
    /// At a random moment between two keystrokes `interval` apart.
    WhileTyping,
    /// Right behind the keystroke's `didChange`.
    RightAfterKeystroke,
}

impl Moment {
    fn title(self, options: &Options) -> String {
        match self {
            Moment::Idle => "idle (the keystroke's analysis is done): the feature's own cost".to_owned(),
            Moment::WhileTyping => format!(
                "while typing (a keystroke every {} ms, the request at a random moment between two)",
                options.interval.as_millis()
            ),
            Moment::RightAfterKeystroke => {
                "right after a keystroke (always includes analysing it): the worst case".to_owned()
            }
        }
    }
}

/// The typing state shared by every run: where the writer types, and what.
struct Typing {
    cursor: usize,
    typed: usize,
    characters: Vec<char>,
    mention_offset: usize,
    visible: Value,
    previous_result_id: String,
}

async fn run(options: &Options, server_runtime: &tokio::runtime::Handle) {
    // Two one-way pipes: what the client writes, the server reads, and back.
    let (client_to_server, server_input) = tokio::io::duplex(1 << 22);
    let (server_output, server_to_client) = tokio::io::duplex(1 << 22);
    server_runtime.spawn(copydesk::lsp::serve(
        server_input,
        server_output,
        copydesk::lsp::state::ServerOptions::default(),
    ));
    let (sender, incoming) = mpsc::unbounded_channel();
    tokio::spawn(read_messages(server_to_client, sender));
    let text = generate_draft(options.words);
    let mut client =
        Client { incoming, writer: client_to_server, next_id: 0, text: text.clone(), version: 1, published: 0 };
    let initialize = client
        .request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {"general": {"positionEncodings": ["utf-16"]}}}),
        )
        .await;
    assert!(initialize.message.get("result").is_some(), "initialize failed: {}", initialize.message);
    client.notify("initialized", json!({})).await;
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "plaintext", "version": 1, "text": text}}),
        )
        .await;
    client.wait_for_version(1).await;

    // The mention to ask about: the first "Fenwick" (before the typing spot).
    let mention_offset = client.text.find("Laura Fenwick").expect("a Fenwick in the draft") + 8;
    // Type at the end of the middle paragraph, so every request sees a fresh edit.
    let middle = client.text.len() / 2;
    let cursor = middle + client.text[middle..].find('\n').expect("a paragraph end");
    let first = client.request("textDocument/semanticTokens/full", json!({"textDocument": document()})).await;
    let previous_result_id = first.message["result"]["resultId"].as_str().unwrap_or("").to_owned();
    let visible_start = client.text[..middle].matches('\n').count().saturating_sub(25);
    let mut typing = Typing {
        cursor,
        typed: 0,
        characters: typed_text(options).chars().collect(),
        mention_offset,
        visible: json!({"start": {"line": visible_start, "character": 0}, "end": {"line": visible_start + 50, "character": 0}}),
        previous_result_id,
    };
    let kinds: Vec<RequestKind> = kinds()
        .into_iter()
        .filter(|kind| options.only.as_deref().is_none_or(|only| kind.method.contains(only)))
        .collect();
    let mut random = Lcg(11);
    let mut worst = Vec::new();
    for moment in [Moment::Idle, Moment::WhileTyping, Moment::RightAfterKeystroke] {
        println!("\n{}: {} words, {} rounds", moment.title(options), options.words, options.rounds);
        println!("{:<40} {:>9} {:>9} {:>9} {:>9}", "request", "p50 ms", "p99 ms", "max ms", "bytes");
        let mut all = Vec::new();
        let mut worst_p99 = Duration::ZERO;
        for kind in &kinds {
            let mut samples = Vec::with_capacity(options.rounds);
            let mut bytes = 0;
            for _ in 0..options.rounds {
                let character = typing.characters[typing.typed % typing.characters.len()];
                typing.typed += 1;
                let keystroke = Instant::now();
                client.type_character(typing.cursor, character).await;
                typing.cursor += character.len_utf8();
                match moment {
                    Moment::Idle => {
                        let version = client.version;
                        client.wait_for_version(version).await;
                    }
                    Moment::WhileTyping => {
                        let delay = options.interval.mul_f64(random.next(1000) as f64 / 1000.0);
                        client.idle_until(keystroke + delay).await;
                    }
                    Moment::RightAfterKeystroke => {}
                }
                let targets = Targets {
                    mention: position_of(&client.text, typing.mention_offset),
                    cursor: position_of(&client.text, typing.cursor),
                    visible: typing.visible.clone(),
                    previous_result_id: typing.previous_result_id.clone(),
                };
                let params = (kind.params)(&client, &targets);
                let answer = client.request(kind.method, params).await;
                samples.push(answer.elapsed);
                bytes = answer.bytes;
                if let Some(result_id) = answer.message["result"]["resultId"].as_str() {
                    typing.previous_result_id = result_id.to_owned();
                }
                if moment == Moment::WhileTyping {
                    // The writer keeps typing at the same pace whatever the server does.
                    client.idle_until(keystroke + options.interval).await;
                }
            }
            samples.sort();
            let p99 = percentile(&samples, 0.99);
            worst_p99 = worst_p99.max(p99);
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
        worst.push((moment, worst_p99));
    }
    for (moment, worst_p99) in worst {
        let name = match moment {
            Moment::Idle => "idle",
            Moment::WhileTyping => "while typing",
            Moment::RightAfterKeystroke => "right after a keystroke",
        };
        println!(
            "budget p99 < 5 ms for every request kind, {name}: {} (worst p99 {:.3} ms)",
            if worst_p99 < Duration::from_millis(5) { "met" } else { "NOT met" },
            worst_p99.as_secs_f64() * 1000.0
        );
    }
}

/// Times one stage `rounds` times; prints p50 and p99.
fn time_stage<T>(name: &str, rounds: usize, mut stage: impl FnMut() -> T) {
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        std::hint::black_box(stage());
        samples.push(started.elapsed());
    }
    samples.sort();
    println!(
        "{:<52} {:>9.3} {:>9.3}",
        name,
        percentile(&samples, 0.5).as_secs_f64() * 1000.0,
        percentile(&samples, 0.99).as_secs_f64() * 1000.0
    );
}

/// Where an outline response's time goes, stage by stage, in process.
fn outline_stages(words: usize, rounds: usize) {
    use std::sync::Arc;

    use copydesk::lsp::methods::document_symbol;
    use copydesk::lsp::positions::{LineIndex, PositionEncoding};
    use copydesk::lsp::state::AnalyzedSnapshot;
    use copydesk_analysis::ide::{Draft, symbols};
    use copydesk_analysis::{Config, DocumentKind, analyze_document};
    use tower_lsp_server::jsonrpc::{Id, Response};
    use tower_lsp_server::ls_types::DocumentSymbolResponse;

    let text = generate_draft(words);
    let snapshot = AnalyzedSnapshot {
        uri: URI.parse().expect("a URI"),
        version: 1,
        kind: DocumentKind::PlainText,
        analysis: analyze_document(&text, DocumentKind::PlainText, &Config::default()),
        text: Arc::new(text.clone()),
        rope: ropey::Rope::from_str(&text),
        lines: LineIndex::new(&text),
        encoding: PositionEncoding::Utf16,
        config_generation: 0,
    };
    let ls_types = || DocumentSymbolResponse::Nested(document_symbol::outline(&snapshot));
    let through_tower = || {
        let value = serde_json::to_value(ls_types()).expect("a value");
        serde_json::to_vec(&Response::from_ok(Id::Number(1), value)).expect("JSON")
    };
    let direct = document_symbol::outline_json(&snapshot);
    println!("\noutline (documentSymbol) stages in process: {words} words, {} bytes, {rounds} rounds", direct.len());
    println!("{:<52} {:>9} {:>9}", "stage", "p50 ms", "p99 ms");
    time_stage("core outline (ide::symbols)", rounds, || {
        symbols::document_symbols(&Draft::new(&snapshot.text, &snapshot.analysis)).len()
    });
    time_stage("core outline + ls_types conversion", rounds, ls_types);
    time_stage("... + tower's Value round trip (the old path)", rounds, through_tower);
    time_stage("core outline + direct JSON (the server's path)", rounds, || document_symbol::outline_json(&snapshot));
    let tower_bytes = through_tower();
    time_stage("client: parse the response into a Value", rounds, || {
        serde_json::from_slice::<Value>(&tower_bytes).expect("JSON")
    });
    time_stage("client: check the response is JSON (no Value)", rounds, || {
        serde_json::from_slice::<serde::de::IgnoredAny>(&tower_bytes).expect("JSON")
    });
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
