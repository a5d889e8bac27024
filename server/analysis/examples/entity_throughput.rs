//! A quick throughput check of the per-paragraph entity stage and of the full
//! analysis over the BBC corpus (`../shared/corpus/bbc`). The formal
//! benchmark belongs to the server; this is for tuning the entity code.
//!
//! Usage: `cargo run --release -p copydesk-analysis --example entity_throughput -- [BBC_DIR [entities-only]]`.

use std::path::PathBuf;
use std::time::Instant;

use copydesk_analysis::{Config, DocumentKind, ParagraphKind, analyze, entities};

/// CPU seconds this process has used (user + system), from `/proc/self/stat`
/// on Linux: wall time is meaningless on a machine shared by several builds.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

fn main() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let folder = std::env::args().nth(1).map_or_else(|| manifest.join("../../../shared/corpus/bbc"), PathBuf::from);
    let mut texts = Vec::new();
    let Ok(sections) = std::fs::read_dir(&folder) else {
        eprintln!("skipping: {} is absent", folder.display());
        return;
    };
    for section in sections.flatten() {
        if let Ok(files) = std::fs::read_dir(section.path()) {
            for file in files.flatten() {
                if let Ok(text) = std::fs::read_to_string(file.path()) {
                    texts.push(text);
                }
            }
        }
    }
    let words: usize = texts.iter().map(|text| text.split_whitespace().count()).sum();
    // Warm up the lexicons and the model.
    let _ = entities::analyze_paragraph("Warm up Kim Jong Un.", ParagraphKind::Body);

    let started = Instant::now();
    let cpu_before = cpu_seconds();
    let mut mentions = 0;
    for text in &texts {
        for line in text.lines() {
            mentions += entities::analyze_paragraph(line, ParagraphKind::Body).mentions.len();
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu_before).map_or(f64::NAN, |(after, before)| after - before);
    eprintln!(
        "entity stage: {} documents, {words} words, {mentions} mentions; wall {elapsed:.3} s = {:.0} words/s; cpu {cpu:.2} s = {:.0} words/s per core",
        texts.len(),
        words as f64 / elapsed,
        words as f64 / cpu
    );

    if std::env::args().nth(2).as_deref() == Some("entities-only") {
        return;
    }
    let started = Instant::now();
    let cpu_before = cpu_seconds();
    let mut entity_count = 0;
    for text in &texts {
        entity_count += analyze(text, DocumentKind::PlainText, &Config::default()).entities.len();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu_before).map_or(f64::NAN, |(after, before)| after - before);
    eprintln!(
        "full analysis: {words} words, {entity_count} entities; wall {elapsed:.3} s = {:.0} words/s; cpu {cpu:.2} s = {:.0} words/s per core",
        words as f64 / elapsed,
        words as f64 / cpu
    );
}
