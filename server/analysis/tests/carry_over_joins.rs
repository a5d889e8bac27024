//! The join decision of floating quotes (`Quote::continues`) after
//! keystrokes that carry quote linking over: the decision reads the text
//! between a floating quote and the quote before it outside quote linking's
//! read record, and a carried-over keystroke decides again only the
//! floating quotes whose window meets the edit. Typing narration between
//! two quotes, character by character, must give what a fresh analysis
//! gives, and some of those keystrokes must change a decision while quote
//! linking is carried over, or this test would not be testing that path.

use copydesk_analysis::{Analyzer, Config, DocumentKind, analyze_document};

/// Paragraphs written for this test (not from any corpus): a cued quote,
/// then a paragraph that is only a floating quote, which takes the speaker
/// before it and may or may not go on with that statement.
const DRAFT: &str = "Ferry crews vote on harbour timetable\n\
Riverside Gazette\n\
\n\
\"The timetable is a maze,\" Lorne Berg said.\n\
\"We will fix it by May.\"\n\
\"Two boats are idle,\" said Tom Okafor, the union's chairman.\n\
\"That costs the island every day.\"\n";

/// Narration typed at the end of the cued quote's paragraph.
const NARRATION: &[&str] = &["", " Berg frowned.", " The council meets again on Monday.", " Then he paused."];

/// Narration typed after the floating quote, in its paragraph.
const AFTER: &[&str] = &["", " He left.", " The union backs him."];

/// Types `piece` at `at` one character at a time into `text`, checking
/// every keystroke against a fresh analysis. Returns how many keystrokes
/// carried quote linking over, and how many of those changed a join decision.
fn type_and_check(analyzer: &mut Analyzer, text: &mut String, mut at: usize, piece: &str) -> (usize, usize) {
    let config = Config::default();
    let mut carried = 0;
    let mut decisions_changed_while_carried = 0;
    let mut before = analyzer.analyze(text, DocumentKind::PlainText, &config);
    for character in piece.chars() {
        text.insert(at, character);
        at += character.len_utf8();
        let incremental = analyzer.analyze(text, DocumentKind::PlainText, &config);
        let full = analyze_document(text, DocumentKind::PlainText, &config);
        assert_eq!(incremental.analysis, full.analysis, "after typing {character:?} at {at} into {text:?}");
        let decisions = |analysis: &copydesk_analysis::DocumentAnalysis| {
            analysis.analysis.quotes.iter().map(|quote| quote.continues).collect::<Vec<bool>>()
        };
        let quotes_carried = analyzer.last_parts.quotes.is_none();
        carried += usize::from(quotes_carried);
        if quotes_carried && decisions(&before) != decisions(&incremental) {
            decisions_changed_while_carried += 1;
        }
        before = incremental;
    }
    (carried, decisions_changed_while_carried)
}

#[test]
fn typing_around_a_floating_quote_decides_the_join_again_without_linking_every_quote() {
    let mut keystrokes_carrying_quotes = 0;
    let mut changed_while_carried = 0;
    let line_end = |text: &str, line: usize| -> usize {
        text.lines().take(line + 1).map(|line| line.len() + 1).sum::<usize>() - 1
    };
    for cued_line in [3, 5] {
        for narration in NARRATION {
            for after in AFTER {
                let mut text = DRAFT.to_owned();
                let mut analyzer = Analyzer::new();
                for (line, piece) in [(cued_line, narration), (cued_line + 1, after)] {
                    let at = line_end(&text, line);
                    let (carried, changed) = type_and_check(&mut analyzer, &mut text, at, piece);
                    keystrokes_carrying_quotes += carried;
                    changed_while_carried += changed;
                }
            }
        }
    }
    assert!(keystrokes_carrying_quotes > 0, "no keystroke carried quote linking over");
    assert!(
        changed_while_carried > 0,
        "no keystroke changed a join decision while carrying quote linking over \
         ({keystrokes_carrying_quotes} carried it over): the test drafts no longer reach that path"
    );
}
