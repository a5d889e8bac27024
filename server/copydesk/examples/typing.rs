//! A writer typing into a draft, through the analysis core alone:
//! `cargo run --release -p copydesk --example typing -- FILE [KEYSTROKES [WORD]]`.
//!
//! Analyses FILE once, then types KEYSTROKES characters (default 60) where
//! the keystroke bench types (the end of the first non-empty line from the
//! middle of the draft on), analysing after each, with one reused
//! `Analyzer`: the bench's core path without its timing. Given a WORD, it
//! types letters into the middle of that word's first occurrence from the
//! middle of the draft on instead: keystrokes whose document stage is
//! carried over, which is what measures the carried path alone; given
//! `phrase:TEXT`, it types TEXT where the bench types its phrase (a name in
//! it makes keystrokes that link entities again). Meant to run under
//! `valgrind --tool=callgrind`, whose instruction counts do not move with
//! the machine's load the way the bench's milliseconds do. An example of
//! Given `enter:TEXT`, it presses Enter right after TEXT's first occurrence
//! from the middle of the draft on (inside a paragraph: a split) and
//! Backspace after it (a join), turn about: KEYSTROKES 1 less 0 is one
//! split, 2 less 1 one join. An example of
//! the `copydesk` crate, not of the core, so that it allocates with
//! mimalloc as the server does (the core's allocations are a visible share
//! of a keystroke, and glibc's allocator would count differently).

// An example's output is its report: printing to stdout is the point here.
#![allow(clippy::print_stdout)]

// Linked for its global allocator.
use copydesk as _;
use copydesk_analysis::{Analyzer, Config, DocumentKind};

#[path = "../benches/shared/typing_place.rs"]
mod typing_place;
use typing_place::typing_offset;

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = arguments.first() else {
        eprintln!("usage: typing FILE [KEYSTROKES]");
        return;
    };
    let keystrokes: usize = arguments.get(1).and_then(|count| count.parse().ok()).unwrap_or(60);
    let Ok(mut text) = std::fs::read_to_string(path) else {
        eprintln!("cannot read {path}");
        return;
    };
    let config = Config::default();
    let mut analyzer = Analyzer::new();
    let first = analyzer.analyze(&text, DocumentKind::PlainText, &config);
    println!(
        "{} words, {} entities, {} quotes, {} diagnostics",
        text.split_whitespace().count(),
        first.analysis.entities.len(),
        first.analysis.quotes.len(),
        first.analysis.diagnostics.len()
    );
    if let Some(place) = arguments.get(2).and_then(|argument| argument.strip_prefix("enter:")) {
        // Let go of the first analysis, as an editor's server does once it
        // is published: held, the first keystroke would copy its output.
        drop(first);
        split_and_join(&mut analyzer, &mut text, place, keystrokes, &config);
        return;
    }
    let (mut at, typed) = match arguments.get(2) {
        // `phrase:TEXT` types TEXT where the bench types its phrase: a name
        // in it makes keystrokes that link entities again.
        Some(phrase) if phrase.starts_with("phrase:") => (typing_offset(&text), &phrase["phrase:".len()..]),
        Some(word) => {
            let Some(found) = text[text.len() / 2..].find(word.as_str()) else {
                eprintln!("{word:?} is not in the second half of {path}");
                return;
            };
            (text.len() / 2 + found + word.len() / 2, "abcdefghijklmnopqrstuvwxyz")
        }
        None => (typing_offset(&text), " and the island said \"yes\" again"),
    };
    let mut diagnostics = 0;
    let mut carried = 0;
    let mut derived = 0;
    // Keystrokes whose entity linking re-linked only some items, and how
    // many items those re-linked in all.
    let (mut relinked, mut relinked_items) = (0, 0);
    for character in typed.chars().cycle().take(keystrokes) {
        text.insert(at, character);
        at += character.len_utf8();
        let started = std::time::Instant::now();
        diagnostics =
            std::hint::black_box(analyzer.analyze(&text, DocumentKind::PlainText, &config)).analysis.diagnostics.len();
        let elapsed = started.elapsed();
        carried += usize::from(analyzer.last_carried_output());
        derived += usize::from(analyzer.last_layout_derived);
        if std::env::var_os("TYPING_PARTS").is_some() {
            eprintln!("{character:?} {} us {:?}", elapsed.as_micros(), analyzer.last_parts);
        }
        if let Some(items) = analyzer.last_parts.entities_relinked {
            relinked += 1;
            relinked_items += items;
        }
    }
    println!(
        "{keystrokes} keystrokes typed, {carried} carried over, {derived} layouts derived, {diagnostics} diagnostics at the end; entity linking re-linked some items on {relinked} ({relinked_items} items in all)"
    );
}

/// Enter pressed right after `place` (its first occurrence from the middle
/// of the draft on), then Backspace, turn about, `keystrokes` times.
fn split_and_join(analyzer: &mut Analyzer, text: &mut String, place: &str, keystrokes: usize, config: &Config) {
    let Some(found) = text[text.len() / 2..].find(place) else {
        eprintln!("{place:?} is not in the second half of the draft");
        return;
    };
    let at = text.len() / 2 + found + place.len();
    let mut renumbered = 0;
    for keystroke in 0..keystrokes {
        if keystroke % 2 == 0 {
            text.insert(at, '\n');
        } else {
            text.remove(at);
        }
        std::hint::black_box(analyzer.analyze(text, DocumentKind::PlainText, config));
        renumbered += usize::from(analyzer.last_parts.paragraphs_renumbered);
        if std::env::var_os("TYPING_PARTS").is_some() {
            eprintln!("{:?}", analyzer.last_parts);
        }
    }
    println!("{keystrokes} line breaks typed or deleted, {renumbered} carried over with the paragraphs renumbered");
}
