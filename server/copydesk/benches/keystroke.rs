//! `cargo bench -p copydesk --bench keystroke`: throughput, keystroke latency and memory.
//!
//! Prints, without gating on anything:
//! - full-analysis throughput in words per second over `../shared/corpus/bbc`
//!   (every article analysed from scratch, one thread), skipped with a
//!   message when the corpus is absent;
//! - keystroke-to-`publishDiagnostics` latency (p50, p99, max) while typing
//!   single characters into 1k-, 10k- and 100k-word drafts (synthetic, and
//!   real BBC politics articles joined into one draft when the corpus is
//!   there) through the real
//!   in-process language server (real framing over a duplex pipe, debounce
//!   off): each keystroke is a `didChange`, and the clock stops when the
//!   diagnostics for exactly that version have arrived and been parsed (the
//!   whole JSON checked, without building a `serde_json::Value` tree: see
//!   `TestClient::diagnostics_count`);
//! - peak resident memory (`VmHWM` from `/proc/self/status`).
//!
//! To profile one part, set `COPYDESK_BENCH_WORDS` to the draft sizes to run
//! (`10000`, or `1000,100000`), which skips the corpus throughput, and
//! `COPYDESK_BENCH_PART` to `lsp` or `core` to run only the server path or
//! only the core (both by default); `COPYDESK_BENCH_STAGES=1` adds where the server's time goes.

// A benchmark's output is its report: printing to stdout is the point here
// (the lint is for the server, which must never print outside LSP frames).
#![allow(clippy::print_stdout)]

#[path = "shared/real_copy.rs"]
mod real_copy;
#[path = "shared/server_stages.rs"]
mod server_stages;
#[path = "../tests/support/mod.rs"]
mod support;
#[path = "shared/typing_place.rs"]
mod typing_place;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use copydesk::lsp::state::ServerOptions;
use copydesk_analysis::{Config, DocumentKind};
use real_copy::{paragraphs_to_retype, read_articles, real_copy};
use serde_json::json;
use support::{TestClient, range};
use typing_place::typing_offset;

fn main() {
    let sizes: Option<Vec<usize>> = std::env::var("COPYDESK_BENCH_WORDS")
        .ok()
        .map(|sizes| sizes.split(',').filter_map(|size| size.trim().parse().ok()).collect());
    let part = std::env::var("COPYDESK_BENCH_PART").unwrap_or_default();
    if sizes.is_none() {
        throughput();
    }
    // The server gets a runtime of its own, as in the binary (a worker thread
    // per core: two here), and the client a single thread, as an editor's
    // event loop, so the client's reading and parsing do not take the
    // server's worker threads.
    let server_runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
    let client_runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    let (Ok(server_runtime), Ok(runtime)) = (server_runtime, client_runtime) else {
        eprintln!("cannot start a tokio runtime");
        return;
    };
    let mut drafts: Vec<(String, String, usize)> = Vec::new();
    let mut retype: Vec<(String, String, Vec<String>)> = Vec::new();
    for (words, keystrokes) in [(1_000, 300), (10_000, 200), (100_000, 60)] {
        if sizes.as_ref().is_none_or(|sizes| sizes.contains(&words)) {
            drafts.push((format!("{words}-word draft"), draft(words), keystrokes));
        }
    }
    // The synthetic draft names a handful of people again and again; real
    // copy names hundreds, which is what the linking and the rules' document
    // parts grow with. So the same measurements again on real articles
    // joined into one long draft, when the corpus is there.
    // Real copy runs at the sizes asked for too, so one size of it can be profiled.
    if sizes.as_ref().is_none_or(|sizes| !sizes.is_empty()) {
        match bbc_corpus() {
            Some(corpus) => {
                for (words, keystrokes) in [(1_000, 300), (10_000, 200), (100_000, 60)] {
                    if !sizes.as_ref().is_none_or(|sizes| sizes.contains(&words)) {
                        continue;
                    }
                    if let Some((text, joined)) = real_copy(&corpus.join("politics"), words) {
                        if words >= 10_000 {
                            retype.push((
                                format!("{words}-word real copy"),
                                text.clone(),
                                paragraphs_to_retype(&corpus.join("politics"), joined, 2_000),
                            ));
                        }
                        drafts.push((
                            format!("{words}-word real copy ({joined} BBC politics articles joined)"),
                            text,
                            keystrokes,
                        ));
                    }
                }
            }
            None => println!("real copy: skipped (../shared/corpus/bbc not found)"),
        }
    }
    for (label, text, keystrokes) in &drafts {
        if part != "lsp" {
            core_keystroke_cost(label, text, *keystrokes);
        }
        if part != "core" {
            diagnostics_json_cost(label, text, *keystrokes);
        }
        if part != "core" {
            runtime.block_on(keystroke_latency(server_runtime.handle(), label, text, *keystrokes));
        }
    }
    if part != "lsp" {
        for (label, text, paragraphs) in &retype {
            retyping(label, text, paragraphs);
        }
    }
    println!("peak memory (VmHWM): {}", peak_memory().unwrap_or_else(|| "unknown".to_owned()));
}

/// `shared/corpus/bbc` beside the current folder or one of its ancestors.
fn bbc_corpus() -> Option<PathBuf> {
    let current = std::env::current_dir().ok()?;
    current.ancestors().map(|ancestor| ancestor.join("shared/corpus/bbc")).find(|path| path.is_dir())
}

fn throughput() {
    let Some(corpus) = bbc_corpus() else {
        println!("throughput: skipped (../shared/corpus/bbc not found)");
        return;
    };
    let mut articles = Vec::new();
    read_articles(&corpus, &mut articles);
    if articles.is_empty() {
        println!("throughput: skipped ({} has no articles)", corpus.display());
        return;
    }
    let words: usize = articles.iter().map(|article| article.split_whitespace().count()).sum();
    let config = Config::default();
    // One warm-up pass, then at least five timed passes and three seconds.
    // Each pass is timed on its own: on this shared VM the CPU's speed moves
    // by a fifth from one second to the next, so the median pass is the
    // figure to quote and the best pass shows what the code does undisturbed.
    for article in &articles {
        std::hint::black_box(copydesk_analysis::analyze(article, DocumentKind::PlainText, &config));
    }
    let started = Instant::now();
    let mut passes = Vec::new();
    while passes.len() < 5 || started.elapsed() < Duration::from_secs(3) {
        let pass_started = Instant::now();
        for article in &articles {
            std::hint::black_box(copydesk_analysis::analyze(article, DocumentKind::PlainText, &config));
        }
        passes.push(pass_started.elapsed());
    }
    passes.sort();
    let words_per_second = |pass: Duration| words as f64 / pass.as_secs_f64();
    let median = passes[passes.len() / 2];
    println!(
        "throughput: {} articles, {words} words, {} passes: median pass {:.0} words/s ({:.1} µs per article), best pass {:.0}, worst {:.0} (full analysis, one thread)",
        articles.len(),
        passes.len(),
        words_per_second(median),
        median.as_secs_f64() * 1e6 / articles.len() as f64,
        words_per_second(passes[0]),
        words_per_second(passes[passes.len() - 1]),
    );
}

const PEOPLE: &[(&str, &str, &str)] = &[
    ("Deputy Mayor", "Ana Lindqvist", "Lindqvist"),
    ("Transport Minister", "Park Ji Hoon", "Park"),
    ("Opposition leader", "Tom Okafor", "Okafor"),
    ("Finance Director", "Maria Oyelaran", "Oyelaran"),
    ("Vice Foreign Minister", "Choe Min Ho", "Choe"),
];

/// A synthetic draft of about `words` words: paragraphs with titles, names,
/// later references and quotes (written for this benchmark). Every paragraph
/// differs from the others, as in real copy: with verbatim repeats, most of
/// the draft's diagnostics were `duplicate-paragraph` warnings.
fn draft(words: usize) -> String {
    let mut text = String::from("Harbour council approves new ferry route\nRiverside Gazette\n[\"local\"]\n");
    let mut count = 0;
    let mut paragraph = 0;
    while count < words {
        let (title, name, surname) = PEOPLE[paragraph % PEOPLE.len()];
        let line = match paragraph % 3 {
            0 => format!(
                "{title} {name} said on Tuesday that the council would review plan number {paragraph} before the summer, according to the harbour authority.\n"
            ),
            1 => format!(
                "\"We will look at every option for the island,\" {surname} told reporters after meeting {paragraph} in the old town hall on Friday.\n"
            ),
            _ => format!(
                "{surname} added that route {paragraph} would cost less than the bridge, a claim the opposition disputed in a statement issued late on Monday.\n"
            ),
        };
        count += line.split_whitespace().count();
        text.push_str(&line);
        paragraph += 1;
    }
    text
}

/// The analysis core alone (no LSP): one `Analyzer` reused while typing,
/// to separate the core's share of the keystroke latency from the server's.
fn core_keystroke_cost(label: &str, text: &str, keystrokes: usize) {
    let mut text = text.to_owned();
    let config = Config::default();
    let mut analyzer = copydesk_analysis::Analyzer::new();
    let first = analyzer.analyze(&text, DocumentKind::PlainText, &config);
    let diagnostics = first.analysis.diagnostics.len();
    // The server's idle work after opening the draft.
    analyzer.prepare_next_edit(&config);
    let at = typing_offset(&text);
    let typed: String = " and the island said \"yes\" again".chars().cycle().take(keystrokes).collect();
    let mut timings = type_into(&mut analyzer, &mut text, at, &typed);
    println!("core only (Analyzer reused, no LSP), {label}, {diagnostics} diagnostics: {}", timings.summary());
}

/// How long each keystroke's analysis took, split by whether the document
/// stage's output was carried over or the stage ran.
#[derive(Default)]
struct KeystrokeTimings {
    all: Vec<Duration>,
    carried: Vec<Duration>,
    ran: Vec<Duration>,
    /// Why each part of the stage ran, by part and the first condition
    /// that failed for it.
    refusals: std::collections::BTreeMap<(&'static str, &'static str), usize>,
    /// Which parts of the stage ran (entity linking, quote linking, the
    /// rules), when not all were carried over.
    parts: std::collections::BTreeMap<&'static str, usize>,
    /// How many times each rule's document part ran, over all keystrokes.
    rules_run: std::collections::BTreeMap<&'static str, usize>,
    /// Keystrokes whose entity linking re-linked only the items the edit
    /// could reach (`entities::linking::relink`), and how many items those
    /// re-linked in all.
    relinked: usize,
    relinked_items: usize,
}

impl KeystrokeTimings {
    fn summary(&mut self) -> String {
        for timings in [&mut self.all, &mut self.carried, &mut self.ran] {
            timings.sort();
        }
        let milliseconds = |timings: &[Duration], fraction: f64| {
            if timings.is_empty() {
                "-".to_owned()
            } else {
                format!("{:.3}", percentile(timings, fraction).as_secs_f64() * 1e3)
            }
        };
        format!(
            "p50 {} ms, p99 {} ms; document stage carried over on {} of {} keystrokes (p50 {} ms, p99 {} ms), ran on {} (p50 {} ms, p99 {} ms; why: {:?}; parts: {:?}; rules' document parts run: {:?}; entity linking re-linked some items on {} keystrokes, {} items in all)",
            milliseconds(&self.all, 0.50),
            milliseconds(&self.all, 0.99),
            self.carried.len(),
            self.all.len(),
            milliseconds(&self.carried, 0.50),
            milliseconds(&self.carried, 0.99),
            self.ran.len(),
            milliseconds(&self.ran, 0.50),
            milliseconds(&self.ran, 0.99),
            self.refusals,
            self.parts,
            self.rules_run,
            self.relinked,
            self.relinked_items,
        )
    }
}

/// Types `typed` into `text` at `at`, one character per analysis.
fn type_into(
    analyzer: &mut copydesk_analysis::Analyzer,
    text: &mut String,
    mut at: usize,
    typed: &str,
) -> KeystrokeTimings {
    let config = Config::default();
    let mut timings = KeystrokeTimings::default();
    for character in typed.chars() {
        text.insert(at, character);
        at += character.len_utf8();
        let started = Instant::now();
        std::hint::black_box(analyzer.analyze(text, DocumentKind::PlainText, &config));
        let elapsed = started.elapsed();
        // The server's idle work once the diagnostics are out, before the
        // next keystroke (`AnalysisSlot::prepare_next_edit`): not timed, as
        // a writer does not wait for it.
        analyzer.prepare_next_edit(&config);
        timings.all.push(elapsed);
        if analyzer.last_carried_output() {
            timings.carried.push(elapsed);
        } else {
            timings.ran.push(elapsed);
            let parts = analyzer.last_parts;
            for (part, reason) in [("entities", parts.entities), ("quotes", parts.quotes), ("rules", parts.rules)] {
                if let Some(reason) = reason {
                    *timings.refusals.entry((part, reason)).or_default() += 1;
                }
            }
            *timings.parts.entry(parts.label()).or_default() += 1;
            if let Some(items) = parts.entities_relinked {
                timings.relinked += 1;
                timings.relinked_items += items;
            }
            for (index, rule) in copydesk_analysis::rules::RULES.iter().enumerate() {
                if parts.rules_ran & 1 << index != 0 {
                    *timings.rules_run.entry(rule.code).or_default() += 1;
                }
            }
        }
    }
    timings
}

/// Retyping a real paragraph: the body paragraphs of the first BBC politics
/// articles after the ones in the draft, typed character by character as a
/// new paragraph in the middle of the draft (a line break, then the words).
/// Real prose, with its names, quotes and punctuation, rather than the one
/// phrase the keystroke measurement repeats.
fn retyping(label: &str, text: &str, paragraphs: &[String]) {
    let mut text = text.to_owned();
    let config = Config::default();
    let mut analyzer = copydesk_analysis::Analyzer::new();
    analyzer.analyze(&text, DocumentKind::PlainText, &config);
    // The server's idle work after opening the draft.
    analyzer.prepare_next_edit(&config);
    let mut at = typing_offset(&text);
    let mut timings = KeystrokeTimings::default();
    for paragraph in paragraphs {
        let typed = format!("\n{paragraph}");
        let more = type_into(&mut analyzer, &mut text, at, &typed);
        at += typed.len();
        timings.all.extend(more.all);
        timings.carried.extend(more.carried);
        timings.ran.extend(more.ran);
        for (reason, count) in more.refusals {
            *timings.refusals.entry(reason).or_default() += count;
        }
        for (parts, count) in more.parts {
            *timings.parts.entry(parts).or_default() += count;
        }
        for (rule, count) in more.rules_run {
            *timings.rules_run.entry(rule).or_default() += count;
        }
        timings.relinked += more.relinked;
        timings.relinked_items += more.relinked_items;
    }
    println!("retyping {} real paragraphs (core only), {label}: {}", paragraphs.len(), timings.summary());
}

/// The server's serialisation of `publishDiagnostics` after each keystroke,
/// in process: written afresh, and reusing the JSON of the diagnostics
/// already published (what the server does).
fn diagnostics_json_cost(label: &str, text: &str, keystrokes: usize) {
    use std::sync::Arc;

    use copydesk::lsp::diagnostics::{DiagnosticJsonCache, publish_body, publish_body_reusing};
    use copydesk::lsp::positions::{LineIndex, PositionEncoding};
    use copydesk::lsp::state::AnalyzedSnapshot;

    let mut text = text.to_owned();
    let config = Config::default();
    let mut analyzer = copydesk_analysis::Analyzer::new();
    let mut at = typing_offset(&text);
    let mut cache = DiagnosticJsonCache::default();
    let (mut fresh, mut reusing) = (Vec::with_capacity(keystrokes), Vec::with_capacity(keystrokes));
    let mut bytes = 0;
    for character in " and the island said \"yes\" again".chars().cycle().take(keystrokes) {
        text.insert(at, character);
        at += character.len_utf8();
        let snapshot = AnalyzedSnapshot {
            uri: "file:///bench/draft.txt".parse().expect("a URI"),
            version: 1,
            kind: DocumentKind::PlainText,
            analysis: analyzer.analyze(&text, DocumentKind::PlainText, &config),
            text: Arc::new(text.clone()),
            rope: ropey::Rope::from_str(&text),
            lines: LineIndex::new(&text),
            encoding: PositionEncoding::Utf16,
            config_generation: 0,
        };
        let started = Instant::now();
        bytes = std::hint::black_box(publish_body(&snapshot, None)).len();
        fresh.push(started.elapsed());
        let started = Instant::now();
        std::hint::black_box(publish_body_reusing(&snapshot, None, &mut cache));
        reusing.push(started.elapsed());
    }
    fresh.sort();
    reusing.sort();
    println!(
        "publishDiagnostics JSON ({bytes} bytes), {label}, in process: written afresh p50 {:.3} ms, p99 {:.3} ms; reusing the last notification's p50 {:.3} ms, p99 {:.3} ms",
        percentile(&fresh, 0.50).as_secs_f64() * 1e3,
        percentile(&fresh, 0.99).as_secs_f64() * 1e3,
        percentile(&reusing, 0.50).as_secs_f64() * 1e3,
        percentile(&reusing, 0.99).as_secs_f64() * 1e3,
    );
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

async fn keystroke_latency(server_runtime: &tokio::runtime::Handle, label: &str, text: &str, keystrokes: usize) {
    let at = typing_offset(text);
    let line = text[..at].matches('\n').count() as u32;
    let line_start = text[..at].rfind('\n').map_or(0, |newline| newline + 1);
    let mut character = text[line_start..at].encode_utf16().count() as u32;
    let mut client = TestClient::in_process_on(server_runtime, ServerOptions::default());
    client.initialize(&["utf-16"]).await;
    let uri = "file:///bench/draft.txt";
    client.open(uri, "plaintext", 0, text).await;
    let diagnostics = client.diagnostics_count(uri, 0).await;
    let typed = " and the island said \"yes\" again";
    let warm_up = 20;
    let mut latencies = Vec::with_capacity(keystrokes);
    let counted = |counter: &std::sync::atomic::AtomicU64| counter.load(std::sync::atomic::Ordering::Relaxed);
    let (mut analyses_before, mut carried_before, mut idle_before) = (0, 0, 0);
    let mut stages = server_stages::Stages::from_env();
    for (index, character_typed) in typed.chars().cycle().take(keystrokes + warm_up).enumerate() {
        let version = index as i64 + 1;
        let started = Instant::now();
        stages.start();
        client
            .change(
                uri,
                version,
                json!([{ "range": range(line, character, line, character), "text": character_typed.to_string() }]),
            )
            .await;
        client.diagnostics_count(uri, version).await;
        if index >= warm_up {
            latencies.push(started.elapsed());
            stages.finish();
        }
        if index + 1 == warm_up {
            analyses_before = counted(&copydesk::lsp::state::ANALYSES_RUN);
            carried_before = counted(&copydesk::lsp::state::DOCUMENT_STAGES_CARRIED_OVER);
            idle_before = counted(&copydesk::lsp::state::IDLE_PREPARATIONS);
        }
        character += character_typed.len_utf16() as u32;
    }
    let analyses = counted(&copydesk::lsp::state::ANALYSES_RUN) - analyses_before;
    let carried = counted(&copydesk::lsp::state::DOCUMENT_STAGES_CARRIED_OVER) - carried_before;
    let idle = counted(&copydesk::lsp::state::IDLE_PREPARATIONS) - idle_before;
    client.shutdown_and_exit().await;
    stages.report(label);
    latencies.sort();
    println!(
        "keystroke -> publishDiagnostics, {label} ({} bytes, {diagnostics} diagnostics), {keystrokes} keystrokes ({analyses} analyses, document stage carried over in {carried}, idle work done after {idle}): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        text.len(),
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find(|line| line.starts_with("VmHWM:")).map(|line| line["VmHWM:".len()..].trim().to_owned())
}
