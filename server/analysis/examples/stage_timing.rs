//! Where the analysis time goes, stage by stage and rule by rule:
//! `cargo run --release -p copydesk-analysis --example stage_timing -- PATH... [--joined]`.
//!
//! Reads every `.txt` file under the paths. Without `--joined` each file is a
//! document analysed from scratch (the throughput case); with `--joined` the
//! files are joined into one long draft and the document-level stage is timed
//! after a one-character edit in its middle (the keystroke case, where the
//! paragraph cache serves every other paragraph).

// An example's output is its report: printing to stdout is the point here.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use copydesk_analysis::document::{DocumentKind, layout};
use copydesk_analysis::pipeline::{analyze_paragraph, paragraph_views};
use copydesk_analysis::rules::{RULES, RuleContext, run_paragraph_rules};
use copydesk_analysis::{Analyzer, Config, entities, quotes};

fn read_texts(paths: &[PathBuf]) -> Vec<String> {
    let mut texts = Vec::new();
    let mut stack: Vec<PathBuf> = paths.to_vec();
    stack.reverse();
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                let mut children: Vec<PathBuf> =
                    entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).collect();
                children.sort();
                children.reverse();
                stack.extend(children);
            }
        } else if path.extension().is_some_and(|extension| extension == "txt")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            texts.push(text);
        }
    }
    texts
}

/// Accumulated time per named stage, printed in the order first seen.
#[derive(Default)]
struct Stages {
    totals: Vec<(String, Duration)>,
}

impl Stages {
    fn add(&mut self, name: &str, elapsed: Duration) {
        match self.totals.iter_mut().find(|(stage, _)| stage == name) {
            Some((_, total)) => *total += elapsed,
            None => self.totals.push((name.to_owned(), elapsed)),
        }
    }

    fn time<T>(&mut self, name: &str, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let result = work();
        self.add(name, started.elapsed());
        result
    }

    fn print(&self, runs: usize, words: usize) {
        let all: Duration = self.totals.iter().map(|(_, total)| *total).sum();
        for (name, total) in &self.totals {
            println!(
                "{name:>28}: {:>9.3} ms per run ({:>5.1}%)",
                total.as_secs_f64() * 1e3 / runs as f64,
                100.0 * total.as_secs_f64() / all.as_secs_f64().max(f64::MIN_POSITIVE)
            );
        }
        println!(
            "{:>28}: {:>9.3} ms per run, {:.0} words/s",
            "total",
            all.as_secs_f64() * 1e3 / runs as f64,
            (words * runs) as f64 / all.as_secs_f64().max(f64::MIN_POSITIVE)
        );
    }
}

/// Runs the document-level stage of `text` (whose paragraph analyses are
/// given) under the stage clock.
fn time_document_stage(
    stages: &mut Stages,
    text: &str,
    document_layout: &copydesk_analysis::DocumentLayout,
    analyses: &[Arc<copydesk_analysis::pipeline::ParagraphAnalysis>],
    paragraph_diagnostics: &[Arc<Vec<copydesk_analysis::Diagnostic>>],
    config: &Config,
) {
    let views = paragraph_views(document_layout, analyses);
    let text = &copydesk_analysis::tracked_text::TrackedText::new(text);
    let mut linking = stages.time("link entities", || entities::link(text, &views, config));
    let quotes =
        stages.time("link quotes", || quotes::link(text, &views, &mut linking, config, None, &mut Default::default()));
    let context = RuleContext::new(text, document_layout, &views, &linking, &quotes, config);
    let mut rules_alone = Duration::ZERO;
    for rule in RULES {
        let started = Instant::now();
        std::hint::black_box(copydesk_analysis::rules::check_document(
            rule,
            &context,
            copydesk_analysis::rules::EntityScope::Every,
        ));
        let elapsed = started.elapsed();
        rules_alone += elapsed;
        stages.add(&format!("rule {} (document part)", rule.code), elapsed);
    }
    let started = Instant::now();
    std::hint::black_box(copydesk_analysis::rules::run(&context, paragraph_diagnostics));
    // What `rules::run` adds to the rules themselves: placing the paragraph
    // parts' findings, severities, suppression and its fixes.
    stages.add("rules::run overhead", started.elapsed().saturating_sub(rules_alone));
}

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let joined = arguments.iter().any(|argument| argument == "--joined");
    let paths: Vec<PathBuf> =
        arguments.iter().filter(|argument| !argument.starts_with("--")).map(PathBuf::from).collect();
    if paths.is_empty() {
        eprintln!("usage: stage_timing PATH... [--joined]");
        return;
    }
    let texts = read_texts(&paths);
    let config = Config::default();
    let mut stages = Stages::default();
    if joined {
        let mut text = texts.join("\n");
        let words = text.split_whitespace().count();
        let mut analyzer = Analyzer::new();
        analyzer.analyze(&text, DocumentKind::PlainText, &config);
        let mut at = text.len() / 2;
        while !text.is_char_boundary(at) {
            at += 1;
        }
        let runs = 50;
        let mut whole = Duration::ZERO;
        for run in 0..runs {
            text.insert(at, if run % 5 == 4 { ' ' } else { 'x' });
            at += 1;
            let document_layout = stages.time("layout", || layout(&text, DocumentKind::PlainText));
            // The whole incremental analysis is timed apart: it contains the stages below.
            let started = Instant::now();
            let analysis = analyzer.analyze(&text, DocumentKind::PlainText, &config);
            whole += started.elapsed();
            time_document_stage(
                &mut stages,
                &text,
                &document_layout,
                &analysis.paragraph_analyses,
                &analysis.paragraph_diagnostics,
                &config,
            );
        }
        println!("{} files joined: {words} words, {} bytes, one-character edits", texts.len(), text.len());
        stages.print(runs, words);
        println!("Analyzer::analyze after each edit: {:.3} ms per run", whole.as_secs_f64() * 1e3 / runs as f64);
    } else {
        let words: usize = texts.iter().map(|text| text.split_whitespace().count()).sum();
        for text in &texts {
            let document_layout = stages.time("layout", || layout(text, DocumentKind::PlainText));
            let analyses: Vec<_> = stages.time("paragraph stage", || {
                document_layout
                    .paragraphs
                    .iter()
                    .map(|paragraph| Arc::new(analyze_paragraph(&paragraph.prose, paragraph.kind)))
                    .collect()
            });
            let paragraph_diagnostics: Vec<_> = stages.time("paragraph rules", || {
                document_layout
                    .paragraphs
                    .iter()
                    .zip(&analyses)
                    .map(|(paragraph, analysis)| {
                        let written = &text[paragraph.span.start..paragraph.span.end];
                        Arc::new(run_paragraph_rules(written, DocumentKind::PlainText, paragraph, analysis, &config))
                    })
                    .collect()
            });
            time_document_stage(&mut stages, text, &document_layout, &analyses, &paragraph_diagnostics, &config);
        }
        println!("{} documents, {words} words, each analysed from scratch", texts.len());
        stages.print(1, words);
    }
}
