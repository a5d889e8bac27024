//! Which keystrokes make a long draft's slowest percentiles:
//! `cargo run --release -p copydesk --example keystroke_classes -- CORPUS_FOLDER WORDS [PASSES]`.
//!
//! Joins the `.txt` articles of CORPUS_FOLDER (in file-name order) into a
//! draft of WORDS words and retypes the body paragraphs of the articles
//! after them into its middle, character by character, each opened with a
//! line break: the keystroke bench's "retyping real paragraphs", through
//! the analysis core alone. The whole sequence is typed PASSES times (default
//! 3) with a fresh `Analyzer` each time, and each keystroke's time is the
//! least of its passes, so that the machine's load moves the figures less.
//! Prints the p50 and p99, then the slowest keystrokes grouped by which
//! parts of the document stage ran and why (`Analyzer::last_parts`), with
//! what was typed around each.

// An example's output is its report: printing to stdout is the point here.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

// Linked for its global allocator.
use copydesk as _;
use copydesk_analysis::{Analyzer, Config, DocumentKind};

#[path = "../benches/shared/real_copy.rs"]
mod real_copy;
#[path = "../benches/shared/typing_place.rs"]
mod typing_place;
use real_copy::{paragraphs_to_retype, real_copy};
use typing_place::typing_offset;

/// One keystroke of the sequence: what the core did for it and how long it took.
struct Keystroke {
    /// The least time over the passes.
    fastest: Duration,
    /// The parts of the document stage that ran, as `StageParts::label` gives them.
    label: &'static str,
    /// Why entity linking, quote linking and the rules ran, if they did.
    reasons: [Option<&'static str>; 3],
    /// How many items entity linking linked again, when it re-linked some.
    relinked: Option<usize>,
    /// Whether quote linking was carried over across an entity linking change.
    quotes_across: bool,
    /// Whether quote linking linked only a window of paragraphs again.
    quotes_window: bool,
    /// Whether it did so after entity linking changed.
    quotes_window_across: bool,
    /// How many rules' document parts ran.
    rules_run: usize,
    /// Whether some rule ran on the entities the linking changed alone.
    rules_per_entity: bool,
    /// The character typed and the twenty before it.
    context: String,
}

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let (Some(folder), Some(words)) = (arguments.first(), arguments.get(1).and_then(|words| words.parse().ok())) else {
        eprintln!("usage: keystroke_classes CORPUS_FOLDER WORDS [PASSES]");
        return;
    };
    let words: usize = words;
    let passes: usize = arguments.get(2).and_then(|passes| passes.parse().ok()).unwrap_or(3);
    // The draft and the paragraphs typed again, as the bench makes them.
    let Some((draft, joined)) = real_copy(Path::new(folder), words) else {
        eprintln!("{folder} holds fewer than {words} words");
        return;
    };
    let paragraphs = paragraphs_to_retype(Path::new(folder), joined, 2_000);
    let typed: String = paragraphs.iter().map(|paragraph| format!("\n{paragraph}")).collect();
    let config = Config::default();
    let mut keystrokes: Vec<Keystroke> = Vec::new();
    for pass in 0..passes {
        let mut text = draft.clone();
        let mut analyzer = Analyzer::new();
        analyzer.analyze(&text, DocumentKind::PlainText, &config);
        // The server's idle work after opening the draft.
        analyzer.prepare_next_edit(&config);
        let mut at = typing_offset(&text);
        for (index, character) in typed.chars().enumerate() {
            text.insert(at, character);
            at += character.len_utf8();
            let started = Instant::now();
            std::hint::black_box(analyzer.analyze(&text, DocumentKind::PlainText, &config));
            let elapsed = started.elapsed();
            let parts = analyzer.last_parts;
            // The server's idle work once the diagnostics are out, before
            // the next keystroke (`AnalysisSlot::prepare_next_edit`): not
            // timed, as a writer does not wait for it.
            analyzer.prepare_next_edit(&config);
            if pass == 0 {
                let mut context_start = at.saturating_sub(21);
                while !text.is_char_boundary(context_start) {
                    context_start -= 1;
                }
                keystrokes.push(Keystroke {
                    fastest: elapsed,
                    label: if analyzer.last_carried_output() { "carried" } else { parts.label() },
                    reasons: [parts.entities, parts.quotes, parts.rules],
                    relinked: parts.entities_relinked,
                    quotes_across: parts.quotes_across_linking_change,
                    quotes_window: parts.quotes_window,
                    quotes_window_across: parts.quotes_window_across_linking_change,
                    rules_run: parts.rules_run(),
                    rules_per_entity: parts.rules_per_entity != 0,
                    context: text[context_start..at].replace('\n', "⏎"),
                });
            } else {
                keystrokes[index].fastest = keystrokes[index].fastest.min(elapsed);
            }
        }
    }
    let mut times: Vec<Duration> = keystrokes.iter().map(|keystroke| keystroke.fastest).collect();
    times.sort();
    let percentile = |fraction: f64| times[((times.len() - 1) as f64 * fraction).round() as usize];
    let milliseconds = |duration: Duration| duration.as_secs_f64() * 1e3;
    println!(
        "{} words ({joined} articles), {} keystrokes, least of {passes} passes: p50 {:.3} ms, p90 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        draft.split_whitespace().count(),
        keystrokes.len(),
        milliseconds(percentile(0.50)),
        milliseconds(percentile(0.90)),
        milliseconds(percentile(0.95)),
        milliseconds(percentile(0.99)),
        milliseconds(percentile(1.0)),
    );
    // Every keystroke by class: which parts ran and the first reason of each.
    let mut classes: BTreeMap<String, Vec<Duration>> = BTreeMap::new();
    let class_of = |keystroke: &Keystroke| {
        let [entities, quotes, rules] = keystroke.reasons;
        let relinked = if keystroke.relinked.is_some() { " (re-linked)" } else { "" };
        let window = if keystroke.quotes_window {
            " (window)"
        } else if keystroke.quotes_window_across {
            " (window across the linking change)"
        } else {
            ""
        };
        let per_entity = if keystroke.rules_per_entity { " (some per entity)" } else { "" };
        format!(
            "{} | entities: {}{relinked} | quotes: {}{window} | rules: {}{per_entity}",
            keystroke.label,
            entities.unwrap_or("-"),
            if keystroke.quotes_across { "carried across the linking change" } else { quotes.unwrap_or("-") },
            rules.unwrap_or("-")
        )
    };
    for keystroke in &keystrokes {
        classes.entry(class_of(keystroke)).or_default().push(keystroke.fastest);
    }
    let slow_limit = percentile(0.95);
    println!("\nclasses (count, p50, max, how many at or over the p95 of {:.3} ms):", milliseconds(slow_limit));
    let mut rows: Vec<(String, Vec<Duration>)> = classes.into_iter().collect();
    rows.sort_by_key(|(_, times)| std::cmp::Reverse(times.iter().filter(|time| **time >= slow_limit).count()));
    for (class, mut times) in rows {
        times.sort();
        println!(
            "{:5} p50 {:7.3} max {:7.3} slow {:4}  {class}",
            times.len(),
            milliseconds(times[times.len() / 2]),
            milliseconds(times[times.len() - 1]),
            times.iter().filter(|time| **time >= slow_limit).count(),
        );
    }
    if std::env::var_os("KEYSTROKE_CLASSES_LIST").is_some() {
        println!("\nthe keystrokes at or over the p95:");
        for (index, keystroke) in keystrokes.iter().enumerate().filter(|(_, keystroke)| keystroke.fastest >= slow_limit)
        {
            println!(
                "{index:5} {:7.3} ms rules {:2} relinked {:?} {:?}  {}",
                milliseconds(keystroke.fastest),
                keystroke.rules_run,
                keystroke.relinked,
                keystroke.context,
                class_of(keystroke)
            );
        }
    }
}
