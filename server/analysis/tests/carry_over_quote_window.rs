//! Quote linking run again after a keystroke that changed the edited
//! paragraph's quote facts: it links only a window of paragraphs around the
//! edit, between clean cuts (`quotes::window`), keeping the other quotes,
//! their speakers' statements and pronoun mentions, and the genders the
//! pronouns outside the window gave; and it keeps the join decisions
//! (`Quote::continues`, `Quote::earlier_quote`) of the floating quotes the
//! keystroke left as they were, deciding again those whose quotes changed
//! or whose read window the edit meets (`quotes::joins::decide`). The debug
//! build compares each window with quote linking over the whole draft, and
//! checks the linking judged unchanged against the whole old linking.
//!
//! The first test types sentences that change the edited paragraph's
//! quote facts (a new cued statement, a pronoun source opening a block,
//! words inside a floating quote, narration right after one, narration cut
//! into a sentence of its own) into each of three blocks of a draft full of
//! floating quotes, character by character; the second types quotes into a
//! draft whose pronouns give people genders that the window must read from
//! outside it and give back as before. Every keystroke is compared with a
//! fresh analysis, and both require keystrokes that took the window.

use copydesk_analysis::{Analyzer, Config, DocumentAnalysis, DocumentKind, analyze_document};

/// One block of paragraphs written for this test (not from any corpus): a
/// cued quote and a floating quote after it, in its paragraph and in the
/// next, then narration. `{name}` and `{other}` make each block's people
/// its own.
const BLOCK: &str = "\"The timetable is a maze,\" {name} Berg said. \"We will fix it by May.\"\n\
\"Two boats are idle,\" said {other} Okafor, the union's chairman.\n\
\"That costs the island every day.\"\n\
The council did not comment on the plan.\n";

/// The blocks' people: (given name of the Berg, given name of the Okafor).
const PEOPLE: &[(&str, &str)] = &[("Lorne", "Tom"), ("Ada", "Rui"), ("Mina", "Sam")];

/// What is typed, and where in a block: (line of the block, where in the
/// line, the text).
const PIECES: &[(usize, Place, &str)] = &[
    // Narration right after the floating quote of the same paragraph, then
    // a statement of its own: the floating quote's window meets the edit.
    (0, Place::End, " He said the vote was close."),
    // A statement between a cued quote and the floating paragraph after it.
    (1, Place::End, " Berg added that crews were tired."),
    // Narration in the cued quote's sentence, between it and the floating
    // quotes after it.
    (0, Place::BeforeFirstStop, ", then he paused for a long time"),
    (1, Place::BeforeFirstStop, ", explaining why the ferry stays in dock"),
    // Narration with a scare quote (quotation marks, no statement) in the
    // gap before a floating quote and right after one.
    (1, Place::End, " Then he paused. The so-called \"grey zone\" grows."),
    (2, Place::End, " Then he paused. The so-called \"grey zone\" grows."),
    (0, Place::End, " The so-called \"grey zone\" grows."),
    // A floating quote of the same speaker before the floating paragraph:
    // that paragraph's earlier quote becomes the new one.
    (1, Place::End, " \"We need help.\""),
    // Words inside the floating quote, before its closing mark.
    (2, Place::BeforeLast, ", truly"),
    // A pronoun source opening a block, looking back into the block before.
    (0, Place::Start, "She said the vote was close. "),
    // A quote with a pronoun source where there was narration.
    (3, Place::End, " \"Not now,\" she said. \"Later.\""),
];

/// Narration typed before the full stop of a cued quote's sentence, then
/// made a sentence of its own.
const SPLIT_NARRATION: &[&str] = &[
    " then he paused for breath and he left the room",
    " Then he paused",
    " He paused. Then he left the room",
    " Then he paused. The union backs him",
];

/// Where in a line a piece is typed.
#[derive(Debug, Clone, Copy)]
enum Place {
    Start,
    End,
    /// Before the line's last character (a closing quotation mark).
    BeforeLast,
    /// Before the line's first full stop.
    BeforeFirstStop,
    /// After the first character of the line's first occurrence of a word.
    InsideWord(&'static str),
}

fn draft() -> String {
    let mut text = String::from("Ferry crews vote on harbour timetable\nRiverside Gazette\n\n");
    for (name, other) in PEOPLE {
        text.push_str(&BLOCK.replace("{name}", name).replace("{other}", other));
    }
    text
}

/// The byte offset of `place` in line `line` of `text`.
fn offset_of(text: &str, line: usize, place: Place) -> usize {
    let start: usize = text.lines().take(line).map(|line| line.len() + 1).sum();
    let length = text.lines().nth(line).map_or(0, str::len);
    match place {
        Place::Start => start,
        Place::End => start + length,
        Place::BeforeLast => start + length - 1,
        Place::BeforeFirstStop => start + text[start..].find('.').expect("a full stop"),
        Place::InsideWord(word) => start + text[start..].find(word).expect("the word") + 1,
    }
}

/// What the keystrokes of a test run did.
#[derive(Debug, Default)]
struct Counts {
    keystrokes: usize,
    /// Quote linking ran with floating quotes in the draft.
    quote_linking_ran: usize,
    /// Quote linking ran and some floating quote's decision or earlier
    /// quote differs from the keystroke before.
    decisions_changed: usize,
    /// Quote linking linked only a window of paragraphs again.
    windows: usize,
}

fn decisions(analysis: &DocumentAnalysis) -> Vec<(bool, Option<usize>)> {
    analysis.analysis.quotes.iter().map(|quote| (quote.continues, quote.earlier_quote)).collect()
}

/// Analyses `text` after a keystroke (`what`, for the message) and
/// compares the result with a fresh analysis; returns the analysis.
fn check_keystroke(
    analyzer: &mut Analyzer,
    text: &str,
    what: &str,
    before: &DocumentAnalysis,
    counts: &mut Counts,
) -> DocumentAnalysis {
    let config = Config::default();
    let incremental = analyzer.analyze(text, DocumentKind::PlainText, &config);
    let full = analyze_document(text, DocumentKind::PlainText, &config);
    assert_eq!(incremental.analysis, full.analysis, "after {what} into {text:?}");
    assert_eq!(decisions(&incremental), decisions(&full), "after {what} into {text:?}");
    counts.keystrokes += 1;
    counts.windows += usize::from(analyzer.last_parts.quotes_window);
    if analyzer.last_parts.quotes.is_some() && incremental.analysis.quotes.iter().any(|quote| quote.floating) {
        counts.quote_linking_ran += 1;
        if decisions(before) != decisions(&incremental) {
            counts.decisions_changed += 1;
        }
    }
    incremental
}

/// Types `piece` at `at` one character at a time, comparing every
/// keystroke with a fresh analysis.
fn type_and_check(analyzer: &mut Analyzer, text: &mut String, mut at: usize, piece: &str, counts: &mut Counts) {
    type_and_maybe_delete(analyzer, text, &mut at, piece, false, counts);
}

/// [`type_and_check`], then, when `delete`, deletes the piece from its end
/// one character at a time, checking every keystroke too.
fn type_and_maybe_delete(
    analyzer: &mut Analyzer,
    text: &mut String,
    at: &mut usize,
    piece: &str,
    delete: bool,
    counts: &mut Counts,
) {
    let mut before = analyzer.analyze(text, DocumentKind::PlainText, &Config::default());
    for character in piece.chars() {
        text.insert(*at, character);
        *at += character.len_utf8();
        before = check_keystroke(analyzer, text, &format!("typing {character:?} at {at}"), &before, counts);
    }
    if delete {
        for character in piece.chars().rev() {
            *at -= character.len_utf8();
            text.remove(*at);
            before = check_keystroke(analyzer, text, &format!("deleting {character:?} at {at}"), &before, counts);
        }
    }
}

#[test]
fn quote_linking_by_window_keeps_the_quotes_and_join_decisions_the_edit_cannot_change() {
    let lines_per_block = BLOCK.lines().count();
    let mut counts = Counts::default();
    for block in 0..PEOPLE.len() {
        for (line, place, piece) in PIECES {
            let mut text = draft();
            let mut analyzer = Analyzer::new();
            let mut at = offset_of(&text, 3 + block * lines_per_block + line, *place);
            type_and_maybe_delete(&mut analyzer, &mut text, &mut at, piece, true, &mut counts);
        }
    }
    // Narration typed into the cued quote's sentence, then cut off into a
    // sentence of its own by a full stop typed before it.
    for block in 0..PEOPLE.len() {
        for narration in SPLIT_NARRATION {
            let mut text = draft();
            let mut analyzer = Analyzer::new();
            let at = offset_of(&text, 3 + block * lines_per_block + 1, Place::BeforeFirstStop);
            type_and_check(&mut analyzer, &mut text, at, narration, &mut counts);
            type_and_check(&mut analyzer, &mut text, at, ".", &mut counts);
        }
    }
    assert!(
        counts.quote_linking_ran >= 50,
        "too few keystrokes ran quote linking with floating quotes in the draft: {counts:?}"
    );
    assert!(counts.windows >= 50, "too few keystrokes linked quotes by a window of paragraphs: {counts:?}");
    assert!(
        counts.decisions_changed > 0,
        "no keystroke that ran quote linking changed a join decision: the test no longer reaches \
         the decisions taken again ({counts:?})"
    );
}

/// A draft written for this test where pronouns give people genders: the
/// "she" of the second paragraph makes Dana Holtzmann a "she", so the "he"
/// of the seventh is not her (the speaker of the fifth) but Tom Okafor.
const GENDER_DRAFT: &str = "Harbour talks go on\nRiverside Gazette\n\n\
\"We sail at dawn,\" said Dana Holtzmann.\n\
\"The crew is ready,\" she said.\n\
Officials met on Monday.\n\
The vote is next week.\n\
Dana Holtzmann and Tom Okafor said the talks would go on.\n\
The board listened.\n\
\"It went well,\" he said.\n";

/// What is typed into the gender draft: (line, place, text). A quote in
/// the paragraph before the "he" links a window that starts after the
/// "she" (which must still count); a "he" before the "she" makes Dana
/// Holtzmann a "he" in a window that ends before the last paragraph
/// (whose "he" must then be her).
const GENDER_PIECES: &[(usize, Place, &str)] = &[
    (8, Place::End, " \"Fine,\" a member said."),
    (4, Place::Start, "\"Yes,\" he said. "),
    // The "she" made a word that is no pronoun: Dana Holtzmann is no longer
    // a "she", and the last "he" is her.
    (4, Place::InsideWord("she"), "x"),
];

#[test]
fn quote_linking_by_window_reads_the_genders_pronouns_gave_outside_it() {
    let mut counts = Counts::default();
    for (line, place, piece) in GENDER_PIECES {
        let mut text = GENDER_DRAFT.to_owned();
        let mut analyzer = Analyzer::new();
        let at = offset_of(&text, *line, *place);
        type_and_check(&mut analyzer, &mut text, at, piece, &mut counts);
    }
    assert!(counts.windows >= 10, "too few keystrokes linked quotes by a window of paragraphs: {counts:?}");
}

/// Deleting the draft's last line, a paragraph with a statement, leaves
/// the line break before it: the statement's quote is placed at the edit,
/// after the last paragraph's end, and the window holding the last
/// paragraph must reach it (a random edit of the language server's
/// property test found it kept, empty, before the window reached the
/// draft's end). Likewise a first paragraph deleted after blank lines.
#[test]
fn a_window_holding_the_first_or_last_paragraph_reaches_the_drafts_edge() {
    let config = Config::default();
    for (before, after) in [
        ("Mayor\r\nAn said  said ", "Mayor\r\n"),
        ("The mayor spoke.\nTom said it rained.", "The mayor spoke.\n"),
        ("\n\nTom said it rained.\nThe mayor spoke.\n", "\n\nThe mayor spoke.\n"),
    ] {
        let mut analyzer = Analyzer::new();
        analyzer.analyze(before, DocumentKind::PlainText, &config);
        let incremental = analyzer.analyze(after, DocumentKind::PlainText, &config);
        let parts = analyzer.last_parts;
        let full = analyze_document(after, DocumentKind::PlainText, &config);
        assert_eq!(incremental.analysis, full.analysis, "{before:?} -> {after:?}: {parts:?}");
    }
}
