//! Differential check of the carried-over document stage on real copy.
//!
//! For every BBC corpus article (under `$COPYDESK_SHARED/corpus/bbc`, or
//! `../shared` next to the repository) and every draft given on the command
//! line, types and deletes single characters at random places, one after
//! another in one `Analyzer`, and compares each result with a from-scratch
//! analysis. Prints how many keystrokes carried the output over, which parts
//! of the document stage the others ran (entity linking, quote linking, the
//! rules) and why; exits with status 1 on the first difference.
//!
//! ```text
//! cargo run --release -p copydesk-analysis --example carry_over_check -- [--edits N] [--line-breaks] [--new-paragraphs] [--splits] [--idle] [DRAFT...]
//! ```
//!
//! With `--line-breaks`, a line break is among the characters typed (a
//! writer pressing Enter), which changes the edit sequence: the figures of
//! runs without it stay comparable. With `--new-paragraphs`, the edits are
//! new paragraphs started at a random line's end (two line breaks as one
//! edit, then one to three characters typed one at a time, the first of
//! which adds a paragraph) and, three times in four, taken back character
//! by character (the last deletion removes the paragraph) and the line
//! breaks with them: the keystrokes that add or remove a paragraph. With
//! `--idle`, the server's idle work (`Analyzer::prepare_next_edit`) runs
//! after every analysis, as it does once a keystroke's diagnostics are
//! out; the edits are the same. With `--splits`, the edits are paragraphs
//! split by Enter before a random word inside them (twice in Markdown,
//! where the second line break splits) and, three times in four, joined
//! again by Backspace: the keystrokes that split or join paragraphs.

#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use copydesk_analysis::{Analyzer, Assembly, Config, DocumentKind, analyze_document};

/// Characters a writer types: letters, a space, punctuation, quotation marks.
const TYPED: &[&str] = &["e", "a", "t", "s", "K", " ", ",", ".", "\"", "'", "\u{201c}", "é"];

/// A small deterministic generator (xorshift), so runs can be repeated.
struct Random(u64);

impl Random {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below.max(1) as u64) as usize
    }
}

/// A place to type: anywhere, inside a word, next to a capital (names), next
/// to a quotation mark, or at a paragraph's end.
fn place(text: &str, random: &mut Random) -> usize {
    let bytes = text.as_bytes();
    let start = random.next(text.len() + 1);
    let wanted = random.next(5);
    let mut offset = start;
    // Walks forward from a random offset to the first place of the kind wanted.
    for _ in 0..2_000 {
        if offset > text.len() {
            offset = 0;
        }
        if text.is_char_boundary(offset) {
            let before = text[..offset].chars().next_back();
            let fits = match wanted {
                0 => true,
                1 => before.is_some_and(char::is_alphabetic),
                2 => {
                    text[offset..].chars().next().is_some_and(char::is_uppercase)
                        || before.is_some_and(char::is_uppercase)
                }
                3 => {
                    before.is_some_and(|c| matches!(c, '"' | '\u{201c}' | '\u{201d}'))
                        || text[offset..].starts_with(['"', '\u{201c}', '\u{201d}'])
                }
                _ => bytes.get(offset) == Some(&b'\n'),
            };
            if fits {
                return offset;
            }
        }
        offset += 1;
    }
    let mut offset = start.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Which parts of the document stage ran, and why each did.
#[derive(Default)]
struct Counts {
    /// By the set of parts that ran ("quotes+rules", ...).
    parts: BTreeMap<&'static str, usize>,
    /// By part and reason.
    reasons: BTreeMap<(&'static str, &'static str), usize>,
    /// Keystrokes whose entity linking re-linked only the items the edit
    /// could reach, those whose entity linking then changed, and how many
    /// items they re-linked in all.
    relinked: usize,
    relinked_changed: usize,
    relinked_items: usize,
    /// How the rules' findings were put together, on the keystrokes where
    /// some part ran.
    assembly: BTreeMap<&'static str, usize>,
    /// Keystrokes whose quote linking was carried over although entity
    /// linking changed (`quotes::reach`).
    quotes_across: usize,
    /// Keystrokes whose quote linking linked only a window of paragraphs
    /// again (`quotes::window`).
    quotes_window: usize,
    /// Keystrokes whose quote linking linked only a window of paragraphs
    /// again after entity linking changed (`quotes::reach::linking_change_reach`).
    quotes_window_across: usize,
    /// Rules' document parts run on the entities the linking changed alone.
    rules_per_entity: usize,
    /// Keystrokes that added or removed a paragraph and were carried over
    /// part by part, the paragraphs renumbered.
    paragraphs_renumbered: usize,
    /// Analyses after which the idle work did anything (with `--idle`).
    idle_preparations: usize,
}

/// One scripted edit of `--new-paragraphs`: `text` inserted at a byte
/// offset, or the bytes from one offset to another removed.
enum ScriptedEdit {
    Insert(usize, String),
    Remove(usize, usize),
}

/// A new paragraph started at a random line's end: the edits, in order.
fn new_paragraph_script(text: &str, typed: &[&str], random: &mut Random) -> Vec<ScriptedEdit> {
    let line_ends: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, byte)| *byte == b'\n')
        .map(|(offset, _)| offset)
        .chain([text.len()])
        .collect();
    let at = line_ends[random.next(line_ends.len())];
    let mut script = vec![ScriptedEdit::Insert(at, "\n\n".to_owned())];
    let mut end = at + 2;
    let mut inserted = Vec::new();
    for _ in 0..1 + random.next(3) {
        let character = typed[random.next(typed.len())];
        script.push(ScriptedEdit::Insert(end, character.to_owned()));
        inserted.push((end, end + character.len()));
        end += character.len();
    }
    if random.next(4) != 0 {
        script.extend(inserted.into_iter().rev().map(|(start, end)| ScriptedEdit::Remove(start, end)));
        script.push(ScriptedEdit::Remove(at, at + 2));
    }
    script.reverse();
    script
}

/// A paragraph split and joined again: Enter pressed before a random word
/// inside a paragraph (in Markdown twice, the second line break splitting
/// it), then, three times in four, taken back with Backspace.
fn split_script(text: &str, kind: DocumentKind, random: &mut Random) -> Vec<ScriptedEdit> {
    // A space with a character that is not a line break on each side.
    let bytes = text.as_bytes();
    let inside = |offset: usize| {
        bytes[offset] == b' '
            && offset > 0
            && offset + 1 < bytes.len()
            && !matches!(bytes[offset - 1], b'\n' | b'\r' | b' ')
            && !matches!(bytes[offset + 1], b'\n' | b'\r' | b' ')
    };
    let start = random.next(text.len().max(1));
    let Some(space) = (start..bytes.len()).chain(0..start).find(|&offset| inside(offset)) else { return Vec::new() };
    let at = space + 1;
    let breaks = if kind == DocumentKind::Markdown { 2 } else { 1 };
    let mut script: Vec<ScriptedEdit> =
        (0..breaks).map(|typed| ScriptedEdit::Insert(at + typed, "\n".to_owned())).collect();
    if random.next(4) != 0 {
        script.extend((0..breaks).rev().map(|typed| ScriptedEdit::Remove(at + typed, at + typed + 1)));
    }
    script.reverse();
    script
}

fn check(
    path: &Path,
    (edits, new_paragraphs, splits): (usize, bool, bool),
    seed: u64,
    (typed, idle): (&[&str], bool),
    counts: &mut Counts,
) -> Result<(usize, usize), String> {
    let Ok(mut text) = std::fs::read_to_string(path) else { return Ok((0, 0)) };
    let kind = if path.extension().is_some_and(|extension| extension == "md") {
        DocumentKind::Markdown
    } else {
        DocumentKind::PlainText
    };
    let config = Config::default();
    let mut analyzer = Analyzer::new();
    analyzer.analyze(&text, kind, &config);
    // The server's idle work once a keystroke's diagnostics are out.
    let prepare = |analyzer: &mut Analyzer| usize::from(idle && analyzer.prepare_next_edit(&config));
    counts.idle_preparations += prepare(&mut analyzer);
    let mut random = Random(seed | 1);
    let mut carried = 0;
    // The edits of the new paragraph being started, last first.
    let mut script: Vec<ScriptedEdit> = Vec::new();
    for edit in 0..edits {
        if new_paragraphs && script.is_empty() {
            script = new_paragraph_script(&text, typed, &mut random);
        }
        if splits && script.is_empty() {
            script = split_script(&text, kind, &mut random);
        }
        let at;
        if let Some(scripted) = script.pop() {
            match scripted {
                ScriptedEdit::Insert(offset, inserted) => {
                    at = offset;
                    text.insert_str(offset, &inserted);
                }
                ScriptedEdit::Remove(start, end) => {
                    at = start;
                    text.replace_range(start..end, "");
                }
            }
        } else {
            // The place first, then the kind of edit: the sequence of the
            // runs before `--new-paragraphs` existed.
            at = place(&text, &mut random);
            if random.next(4) == 0 {
                if let Some(previous) = text[..at].chars().next_back() {
                    text.replace_range(at - previous.len_utf8()..at, "");
                }
            } else {
                text.insert_str(at, typed[random.next(typed.len())]);
            }
        }
        let incremental = analyzer.analyze(&text, kind, &config);
        if analyzer.last_carried_output() {
            carried += 1;
        } else {
            let parts = analyzer.last_parts;
            *counts.parts.entry(parts.label()).or_default() += 1;
            counts.quotes_window += usize::from(parts.quotes_window);
            counts.paragraphs_renumbered += usize::from(parts.paragraphs_renumbered);
            counts.quotes_window_across += usize::from(parts.quotes_window_across_linking_change);
            if let Some(items) = parts.entities_relinked {
                counts.relinked += 1;
                counts.relinked_changed +=
                    usize::from(parts.quotes == Some("entity linking changed") || parts.quotes_across_linking_change);
                counts.quotes_across += usize::from(parts.quotes_across_linking_change);
                counts.rules_per_entity += parts.rules_per_entity.count_ones() as usize;
                counts.relinked_items += items;
            }
            let assembly = match parts.assembly {
                Assembly::CarriedOver => "carried over",
                Assembly::Merged => "merged",
                Assembly::Full => "full",
            };
            *counts.assembly.entry(assembly).or_default() += 1;
            for (part, reason) in [("entities", parts.entities), ("quotes", parts.quotes), ("rules", parts.rules)] {
                if let Some(reason) = reason {
                    *counts.reasons.entry((part, reason)).or_default() += 1;
                }
            }
        }
        let full = analyze_document(&text, kind, &config);
        if incremental.analysis != full.analysis {
            return Err(format!(
                "{}: edit {edit} at byte {at} (carried over: {}): the analysis differs from a full one",
                path.display(),
                analyzer.last_carried_output()
            ));
        }
        counts.idle_preparations += prepare(&mut analyzer);
    }
    Ok((carried, edits))
}

fn main() {
    let mut arguments: Vec<String> = std::env::args().skip(1).collect();
    let mut edits = 30;
    if let Some(position) = arguments.iter().position(|argument| argument == "--edits") {
        edits = arguments.get(position + 1).and_then(|count| count.parse().ok()).unwrap_or(edits);
        arguments.drain(position..(position + 2).min(arguments.len()));
    }
    let line_breaks = arguments.iter().any(|argument| argument == "--line-breaks");
    arguments.retain(|argument| argument != "--line-breaks");
    let new_paragraphs = arguments.iter().any(|argument| argument == "--new-paragraphs");
    arguments.retain(|argument| argument != "--new-paragraphs");
    let splits = arguments.iter().any(|argument| argument == "--splits");
    arguments.retain(|argument| argument != "--splits");
    let typed: Vec<&str> = TYPED.iter().copied().chain(line_breaks.then_some("\n")).collect();
    let idle = arguments.iter().any(|argument| argument == "--idle");
    arguments.retain(|argument| argument != "--idle");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = std::env::var_os("COPYDESK_SHARED")
        .filter(|shared| !shared.is_empty())
        .map_or_else(|| manifest.join("../../../shared"), PathBuf::from);
    let mut files: Vec<PathBuf> = Vec::new();
    let bbc = shared.join("corpus/bbc");
    if bbc.is_dir() {
        let mut folders = vec![bbc];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|extension| extension == "txt") {
                    files.push(path);
                }
            }
        }
        files.sort();
    } else {
        eprintln!("no BBC corpus at {} (set COPYDESK_SHARED): checking only the drafts given", bbc.display());
    }
    files.extend(arguments.iter().map(PathBuf::from));
    let mut counts = Counts::default();
    let (mut carried, mut total) = (0, 0);
    for (index, file) in files.iter().enumerate() {
        match check(
            file,
            (edits, new_paragraphs, splits),
            0x9e37_79b9_7f4a_7c15 ^ index as u64,
            (&typed, idle),
            &mut counts,
        ) {
            Ok((file_carried, file_total)) => {
                carried += file_carried;
                total += file_total;
            }
            Err(message) => {
                eprintln!("{message}");
                std::process::exit(1);
            }
        }
    }
    println!("{} drafts, {total} single-character edits, all equal to a full analysis", files.len());
    println!("carried over: {carried} ({:.1} %)", 100.0 * carried as f64 / total.max(1) as f64);
    for (parts, count) in counts.parts {
        println!("  ran {parts}: {count}");
    }
    for ((part, reason), count) in counts.reasons {
        println!("  {part} ran ({reason}): {count}");
    }
    println!(
        "entity linking re-linked some items: {} times ({} changing its output), {} items in all",
        counts.relinked, counts.relinked_changed, counts.relinked_items
    );
    for (assembly, count) in counts.assembly {
        println!("  findings put together: {assembly}: {count}");
    }
    println!("quote linking carried over across an entity linking change: {} times", counts.quotes_across);
    println!("quote linking by a window of paragraphs: {} times", counts.quotes_window);
    println!(
        "quote linking by a window of paragraphs after entity linking changed: {} times",
        counts.quotes_window_across
    );
    println!("rules' document parts run on the changed entities alone: {} times", counts.rules_per_entity);
    println!(
        "a paragraph added, removed, split or joined, carried over part by part: {} times",
        counts.paragraphs_renumbered
    );
    if idle {
        println!("idle work done after {} analyses", counts.idle_preparations);
    }
}
