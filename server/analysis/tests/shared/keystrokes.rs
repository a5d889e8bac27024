//! Typing a piece of text into a draft character by character (at the end
//! of a line, or anywhere), then taking it back with backspaces, checking every keystroke's incremental analysis
//! against a fresh one: the loop the carry-over tests share, each counting
//! what it tests through `after_keystroke`.

// Each test file includes this module and uses some of its entry points.
#![allow(dead_code)]

use copydesk_analysis::{Analysis, Analyzer, Config, DocumentKind, analyze_document};

/// Types `piece` one character at a time at the end of line `line` of
/// `draft`, with a fresh `Analyzer`, then deletes it one character at a
/// time. After each keystroke the analyzer's result must equal a fresh
/// analysis of the text; it is then handed to `after_keystroke` with the
/// analyzer (for its `last_parts`) and the result before the keystroke.
/// The text must end as the draft began.
pub fn type_and_take_back(
    draft: &str,
    kind: DocumentKind,
    line: usize,
    piece: &str,
    after_keystroke: impl FnMut(&Analyzer, &Analysis, &Analysis),
) {
    let at = draft.lines().take(line + 1).map(|line| line.len() + 1).sum::<usize>() - 1;
    type_and_take_back_at(draft, kind, at, piece, after_keystroke);
}

/// [`type_and_take_back`] at byte offset `at` of `draft`.
pub fn type_and_take_back_at(
    draft: &str,
    kind: DocumentKind,
    at: usize,
    piece: &str,
    mut after_keystroke: impl FnMut(&Analyzer, &Analysis, &Analysis),
) {
    let config = Config::default();
    let mut text = draft.to_owned();
    let mut analyzer = Analyzer::new();
    let mut before = analyzer.analyze(&text, kind, &config).analysis.as_ref().clone();
    let mut check = |analyzer: &mut Analyzer, text: &str| {
        let incremental = analyzer.analyze(text, kind, &config);
        let full = analyze_document(text, kind, &config);
        assert_eq!(incremental.analysis, full.analysis, "after a keystroke at {at} of {text:?}");
        after_keystroke(analyzer, &incremental.analysis, &before);
        before = incremental.analysis.as_ref().clone();
    };
    type_then_delete(&mut text, at, piece, |text| check(&mut analyzer, text));
    assert_eq!(text, draft, "typing and deleting gives the draft back");
}

/// Inserts `piece` into `text` at byte offset `at` one character at a
/// time, then deletes it one character at a time from its end, handing
/// the text to `keystroke` after each: the text ends as it began.
pub fn type_then_delete(text: &mut String, at: usize, piece: &str, mut keystroke: impl FnMut(&str)) {
    let mut end = at;
    for character in piece.chars() {
        text.insert(end, character);
        end += character.len_utf8();
        keystroke(text);
    }
    while end > at {
        let character = text[..end].chars().next_back().map_or(1, char::len_utf8);
        end -= character;
        text.remove(end);
        keystroke(text);
    }
}
