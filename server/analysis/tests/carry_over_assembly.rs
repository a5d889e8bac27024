//! Putting the rules' findings together after a keystroke by merging only
//! the changed sources' findings into the old result (`rules::reassemble`,
//! `Assembly::Merged`) instead of copying and sorting every diagnostic
//! again. Typing sentences that change the edited paragraph's own findings
//! and some rules' document findings, character by character, into drafts
//! with diagnostics all around (and, in Markdown, suppression comments),
//! must give what a fresh analysis gives, diagnostics in the same order;
//! and enough of those keystrokes must take the merge, with the
//! diagnostics changing, or this test would not be testing it.

use copydesk_analysis::{Assembly, DocumentKind};

#[path = "shared/keystrokes.rs"]
mod keystrokes;
use keystrokes::type_and_take_back;

/// A plain-text draft written for this test (not from any corpus), with
/// findings of paragraph parts (a vague source, a loaded verb) and of
/// document parts (a repeated full name, an unattributed quote) around
/// the place typed into.
const PLAIN_DRAFT: &str = "Harbour board delays ferry vote\n\
Riverside Gazette\n\
The harbour board delayed its vote on the ferry timetable, sources said on Monday.\n\
Harbour Commissioner Ulla Brandvik met the board. Ulla Brandvik admitted the figures were late.\n\
\"Two boats are idle.\"\n\
The council meets again on Friday.\n\
Brandvik said the timetable would be ready by May.\n";

/// The same kind of draft in Markdown, with suppression comments that
/// silence some findings before and after the place typed into.
const MARKDOWN_DRAFT: &str = "# Harbour board delays ferry vote\n\
\n\
<!-- copydesk-disable-next-line vague-source -->\n\
The harbour board delayed its vote on the ferry timetable, sources said on Monday.\n\
\n\
Harbour Commissioner Ulla Brandvik met the board. Ulla Brandvik admitted the figures were late.\n\
\n\
The council meets again on Friday.\n\
\n\
<!-- copydesk-disable unattributed-quote -->\n\
\"Two boats are idle.\"\n\
\n\
Brandvik said the timetable would be ready by May.\n";

/// Sentences typed at the end of a paragraph: a vague source and a loaded
/// verb (paragraph parts), a full name repeated and a quote with no
/// speaker (document parts), taken back by the backspaces of the caller.
const TYPED: &[&str] = &[
    " Officials said it was late.",
    " Ulla Brandvik claimed the boats were idle.",
    " \"We will sail,\" a source said.",
    " \"Nobody asked us.\"",
];

/// Types `piece` at the end of line `line` of `draft` and takes it back,
/// each keystroke checked against a fresh analysis. Returns how many
/// keystrokes merged the findings, and how many of those changed the
/// draft's diagnostics.
fn type_and_check(draft: &str, kind: DocumentKind, line: usize, piece: &str) -> (usize, usize) {
    let mut merged = 0;
    let mut merged_changing = 0;
    type_and_take_back(draft, kind, line, piece, |analyzer, analysis, before| {
        if analyzer.last_parts.assembly == Assembly::Merged {
            merged += 1;
            if analysis.diagnostics != before.diagnostics {
                merged_changing += 1;
            }
        }
    });
    (merged, merged_changing)
}

#[test]
fn typing_puts_only_the_changed_findings_in_place_and_matches_a_fresh_analysis() {
    let mut merged = 0;
    let mut merged_changing = 0;
    for (draft, kind, lines) in
        [(PLAIN_DRAFT, DocumentKind::PlainText, [2, 3, 5]), (MARKDOWN_DRAFT, DocumentKind::Markdown, [3, 5, 7])]
    {
        for line in lines {
            for piece in TYPED {
                let (count, changing) = type_and_check(draft, kind, line, piece);
                merged += count;
                merged_changing += changing;
            }
        }
    }
    assert!(merged_changing >= 20, "only {merged_changing} keystrokes (of {merged} merged) merged changed findings");
}
