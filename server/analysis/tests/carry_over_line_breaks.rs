//! Line breaks typed and deleted between paragraphs, and words typed at a
//! paragraph's start.
//!
//! Line breaks: a writer pressing Enter at the end of a paragraph, then
//! taking it back. Every paragraph
//! keeps its text and its place in the list, so the document stage's
//! output moves with the edit, except the line numbers the rules' messages
//! give of places after it ("is spelled ... on line 9"): the rules that
//! asked for such a line number run again, nothing else does. Each
//! keystroke must give what a fresh analysis gives, the messages that name
//! a line after the edit must change with it, and the keystrokes must not
//! run entity or quote linking, or this test would not be testing the path.
//!
//! Paragraph starts: a word typed at the start of a paragraph, and taken
//! back, leaves the paragraph's start and its line's where they were while
//! everything after them moves with the edit. A finding whose offset is the
//! paragraph's start (the fix that opens it with a quotation mark when the
//! paragraph before leaves a quote open) must not move with the typed
//! word; no keystroke may run the whole stage.
use copydesk_analysis::{Analysis, DocumentKind};

#[path = "shared/keystrokes.rs"]
mod keystrokes;
use keystrokes::{type_and_take_back, type_and_take_back_at};

/// A plain-text draft written for this test (not from any corpus): findings
/// whose messages name a line (a second spelling, a family name alone
/// before the full name, which comes lines later), a quote, with the
/// paragraphs separated by blank lines, as a writer's draft often is.
const PLAIN_DRAFT: &str = "Ferry talks stall in Riverside\n\
\n\
Harbour Commissioner Ulla Brandvik met Transport Minister Kim Jong Su on Monday.\n\
\n\
Kim said the ferries would run. Brandvik said the board would wait, and Ms Oduya nodded.\n\
\n\
\"We will not sail until the captains agree,\" Brandvik said.\n\
\n\
The talks were also attended by Deputy Mayor Tomas Ek of Riverside.\n\
\n\
Ek said the vote would come in May, and Councillor Maria Oduya agreed.\n\
\n\
Kim Jong-su left early. Ulla Brandvick stayed.\n\
\n\
Oduya said: \"The council will vote again.\n\
\n\
The captains will be asked first.\n";

/// The same draft in Markdown, where a blank line is what separates
/// paragraphs: the headline made a heading.
fn markdown_draft() -> String {
    format!("# {PLAIN_DRAFT}")
}

/// The messages that name a line, in order.
fn line_messages(analysis: &Analysis) -> Vec<String> {
    let messages = analysis.diagnostics.iter().map(|diagnostic| &diagnostic.message);
    let related =
        analysis.diagnostics.iter().flat_map(|diagnostic| diagnostic.related.iter()).map(|related| &related.message);
    messages.chain(related).filter(|message| message.contains("line ")).cloned().collect()
}

#[test]
fn line_breaks_between_paragraphs_move_the_output_and_renumber_the_messages() {
    let markdown = markdown_draft();
    for (draft, kind) in [(PLAIN_DRAFT, DocumentKind::PlainText), (markdown.as_str(), DocumentKind::Markdown)] {
        let lines = draft.lines().count();
        assert!(!line_messages(&copydesk_analysis::analyze(draft, kind, &Default::default())).is_empty());
        // Keystrokes that added or removed a line break; of those, the
        // ones whose entity or quote linking ran, and those whose messages
        // naming a line changed.
        let (mut line_breaks, mut linking_ran, mut renumbered) = (0, 0, 0);
        // Enter typed at the end of every line but the last, twice (a new
        // blank line, then another), and taken back.
        for line in 0..lines - 1 {
            type_and_take_back(draft, kind, line, "\n\n", |analyzer, analysis, before| {
                line_breaks += 1;
                let parts = analyzer.last_parts;
                if parts.entities.is_some() || parts.quotes.is_some() {
                    linking_ran += 1;
                }
                if line_messages(analysis) != line_messages(before) {
                    renumbered += 1;
                }
            });
        }
        assert_eq!(line_breaks, 4 * (lines - 1));
        // In Markdown an Enter at the end of a paragraph followed by a
        // blank line is between paragraphs as well; only the last line's
        // keystrokes touch a paragraph's end (none follows it).
        assert_eq!(linking_ran, 0, "{kind:?}: entity or quote linking ran on a line break between paragraphs");
        // Every line break before the line of the full name that the
        // early "Ms Oduya" names moves it, and no other.
        let full_name_line =
            draft.lines().position(|line| line.contains("Councillor Maria Oduya")).expect("in the draft");
        assert_eq!(renumbered, 4 * full_name_line, "{kind:?}: {renumbered} of {line_breaks} renumbered");
    }
}

#[test]
fn words_typed_at_a_paragraph_start_move_what_follows_and_leave_the_start() {
    let markdown = markdown_draft();
    for (draft, kind) in [(PLAIN_DRAFT, DocumentKind::PlainText), (markdown.as_str(), DocumentKind::Markdown)] {
        let fresh = copydesk_analysis::analyze(draft, kind, &Default::default());
        let paragraph_starts: Vec<usize> = fresh_paragraph_starts(draft);
        // The fix that opens the last paragraph with a quotation mark.
        let last_start = *paragraph_starts.last().expect("paragraphs");
        let opening_fix = |analysis: &Analysis| {
            analysis
                .diagnostics
                .iter()
                .flat_map(|diagnostic| &diagnostic.fixes)
                .flat_map(|fix| &fix.edits)
                .any(|edit| edit.span.start == last_start && edit.new_text == "\"")
        };
        assert!(opening_fix(&fresh), "{kind:?}: the draft's open quote is flagged with its fix");
        let (mut keystrokes, mut whole_stage, mut fix_kept) = (0, 0, 0);
        for &start in &paragraph_starts {
            type_and_take_back_at(draft, kind, start, "Still, ", |analyzer, analysis, _| {
                keystrokes += 1;
                let parts = analyzer.last_parts;
                // The whole stage runs for one reason, given to every part.
                if parts.entities.is_some() && parts.entities == parts.quotes && parts.quotes == parts.rules {
                    whole_stage += 1;
                }
                if start == last_start && opening_fix(analysis) {
                    fix_kept += 1;
                }
            });
        }
        assert_eq!(keystrokes, 14 * paragraph_starts.len());
        assert_eq!(whole_stage, 0, "{kind:?}: typing at a paragraph's start ran the whole stage");
        // Every keystroke into the last paragraph keeps the fix at its start.
        assert_eq!(fix_kept, 14, "{kind:?}");
    }
}

/// Where each paragraph of the draft starts: each line that holds text and
/// is not a Markdown heading (whose text starts after the `#`).
fn fresh_paragraph_starts(draft: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in draft.split_inclusive('\n') {
        if !line.trim().is_empty() && !line.starts_with('#') && offset > 0 {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts
}
