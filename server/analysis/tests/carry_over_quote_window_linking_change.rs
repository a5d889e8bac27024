//! Quote linking by a window of paragraphs after a keystroke that changed
//! entity linking's output (`quotes::reach::linking_change_reach`): the
//! quotes outside the window are the old ones with their speakers and
//! relays renumbered through the change of entity positions, the window's
//! quotes are linked again. Name phrases are typed (making people and
//! organisations appear, grow and disappear) at the end of narration lines
//! near quotes of a draft of several stories, character by character and
//! back; each keystroke is compared with a fresh analysis, and a good share
//! of the keystrokes whose entity linking changed must take the window.

use copydesk_analysis::{Analysis, Analyzer, DocumentKind};

#[path = "shared/keystrokes.rs"]
mod keystrokes;
use keystrokes::type_and_take_back;

/// Three stories in one draft, written for this test (not from any
/// corpus): named speakers, floating quotes, "he"/"she" sources (a chain
/// of them, each taking the speaker of the one before, two paragraphs
/// up), an organisation that speaks, a relaying agency and an anonymous
/// source.
const STORIES: &[&str] = &[
    "Ferry strike talks resume",
    "Union leader Tom Berg said the crews would return to work on Monday.",
    "\"We have a deal on the table,\" Berg told reporters at the pier.",
    "\"Nobody wants another week of strikes.\"",
    "The harbour master, Lena Okafor, said the timetable would be restored.",
    "The Port Authority said the repairs to the pier were finished.",
    "Councillors met on Tuesday to approve the budget for the crossing.",
    "\"The money is there,\" she said.",
    "Officials familiar with the plans said the vote would pass.",
    "The ferry carried its first passengers at noon.",
    "Council budget row",
    "Mayor Ana Varga defended the budget on Wednesday.",
    "\"This is the best outcome for the town,\" Varga said.",
    "Senator Paul Hale criticised the plan, according to Reuters.",
    "\"The figures do not add up,\" he said.",
    "\"We will vote against it.\"",
    "The senator spoke for an hour.",
    "\"The town deserves better,\" he said.",
    "Reporters waited outside the hall.",
    "\"I will not resign,\" he added.",
    "The Harbour Board will meet again in March.",
    "Treasurer Dana Holt told the council: \"The reserves are low.\"",
    "Holt said the reserves would last a year.",
    "Bridge works begin",
    "Engineer Maria Lindqvist inspected the bridge on Thursday.",
    "The works will last a year and traffic will move to the ferry.",
    "\"The steel is sound,\" Lindqvist said.",
    "Residents said the noise was a worry.",
    "\"We were not asked,\" said one resident, who asked not to be named.",
    "A spokesman for the Port Authority said the ferry would run every hour.",
    "Mr Hale welcomed the news at the town hall.",
    "The bridge will open again in the spring.",
];

/// What is typed at the end of a line: new people (one of whom shares a
/// family name with a speaker), speakers named again, an honorific before
/// a speaker's name, an organisation, and a name typed into a quote's
/// source.
const TYPED: &[&str] = &[
    " Gordon Smith met Anna Berg there.",
    " Mr Hale and Ms Okafor agreed.",
    " The Harbour Trust said so, Dana Holt added.",
    " Paul Varga spoke to Lindqvist.",
];

/// The lines typed at (of the plain-text draft, whose three first lines are
/// the wire header, and whose third story starts [`AGENDA_ITEMS`] lines
/// later): narration next to a cued quote, after a floating quote, before
/// and after "he"/"she" sources, in each story.
const LINES: &[usize] = &[4, 7, 9, 11, 14, 16, 19, 21, 23, 25, 28 + AGENDA_ITEMS, 30 + AGENDA_ITEMS, 33 + AGENDA_ITEMS];

/// What the keystrokes of one kind of draft did.
#[derive(Debug, Default)]
struct Counts {
    keystrokes: usize,
    /// Keystrokes whose entity linking gave a new output.
    linking_changed: usize,
    /// Of those, the ones that linked quotes by a window.
    window: usize,
    /// And the ones that carried quote linking over whole
    /// (`quotes::reach::linking_change_unreached`).
    across: usize,
    /// Keystrokes that linked more than one window.
    several_windows: usize,
    /// Windows whose quotes' speakers or relays were renumbered or changed.
    quotes_changed: usize,
    /// Windows after which the rules that run per entity ran on the
    /// changed entities alone.
    rules_per_entity: usize,
}

fn count(counts: &mut Counts, analyzer: &Analyzer, now: &Analysis, before: &Analysis) {
    let parts = analyzer.last_parts;
    counts.keystrokes += 1;
    let linking_changed = parts.quotes == Some("entity linking changed") || parts.quotes_across_linking_change;
    counts.linking_changed += usize::from(linking_changed);
    counts.across += usize::from(parts.quotes_across_linking_change);
    if parts.quotes_window_across_linking_change {
        counts.window += 1;
        counts.several_windows += usize::from(parts.quotes_windows_across > 1);
        let speakers = |analysis: &Analysis| {
            analysis.quotes.iter().map(|quote| (quote.speaker.clone(), quote.via.clone())).collect::<Vec<_>>()
        };
        counts.quotes_changed += usize::from(speakers(now) != speakers(before));
        counts.rules_per_entity += usize::from(parts.rules_per_entity != 0);
    }
}

/// How many lines of agenda items stand between the second story and the
/// third: paragraphs without quotes, so that a speaker named in both
/// stories is read by quotes in two windows of quote linking.
const AGENDA_ITEMS: usize = 12;

/// The stories' lines with the agenda items before the third story.
fn draft_lines() -> Vec<String> {
    let third = STORIES.iter().position(|line| *line == "Bridge works begin").unwrap_or(STORIES.len());
    let agenda = (1..=AGENDA_ITEMS).map(|item| format!("Item {item} on the agenda was deferred to the next meeting."));
    STORIES[..third]
        .iter()
        .map(|line| (*line).to_owned())
        .chain(agenda)
        .chain(STORIES[third..].iter().map(|line| (*line).to_owned()))
        .collect()
}

fn plain_text_draft() -> String {
    format!("Town news\nRiverside Gazette\n[]\n{}\n", draft_lines().join("\n"))
}

/// The same stories in Markdown, one paragraph each, under a title.
fn markdown_draft() -> String {
    format!("# Town news\n\n{}\n", draft_lines().join("\n\n"))
}

fn type_everywhere(draft: &str, kind: DocumentKind, lines: &[usize]) -> Counts {
    let mut counts = Counts::default();
    for typed in TYPED {
        for &line in lines {
            type_and_take_back(draft, kind, line, typed, |analyzer, now, before| {
                count(&mut counts, analyzer, now, before)
            });
        }
    }
    counts
}

fn check_counts(kind: &str, counts: &Counts) {
    eprintln!("{kind}: {counts:?}");
    assert!(
        counts.window * 3 >= counts.linking_changed,
        "{kind}: a window on {} of {} keystrokes whose entity linking changed",
        counts.window,
        counts.linking_changed
    );
    assert!(counts.quotes_changed > 0, "{kind}: no window renumbered or changed a speaker");
    assert!(counts.several_windows > 0, "{kind}: no keystroke linked two windows");
    assert!(counts.rules_per_entity > 0, "{kind}: no window let the rules run per entity");
}

#[test]
fn quote_windows_across_linking_changes_in_plain_text_equal_a_full_analysis() {
    let counts = type_everywhere(&plain_text_draft(), DocumentKind::PlainText, LINES);
    check_counts("plain text", &counts);
}

#[test]
fn quote_windows_across_linking_changes_in_markdown_equal_a_full_analysis() {
    // A plain-text line `n` (after the three header lines) is Markdown line
    // 2 * (n - 3) + 2, after the title and the blank lines.
    let lines: Vec<usize> = LINES.iter().map(|line| 2 * (line - 3) + 2).collect();
    let counts = type_everywhere(&markdown_draft(), DocumentKind::Markdown, &lines);
    check_counts("Markdown", &counts);
}

/// A draft written for this test (not from any corpus): "she" gives Berg
/// a gender near the top, and far below, past clean cuts, "he" finds Berg
/// the speaker before it but of the other gender. Typing a woman's
/// statement before the first quote makes "she" hers: Berg's gender is no
/// longer set, and the "he" below turns to him. The window around the edit gives other
/// genders than before, so it goes on to the draft's end (it was refused,
/// and quote linking ran over the whole draft).
const GENDERS_DRAFT: &str = "Ferry talks\n\
Riverside Gazette\n\
[]\n\
Robin Berg said the board would meet on Monday.\n\
\"We will wait for the vote,\" she said.\n\
The board adjourned at noon.\n\
The ferries ran on time all week.\n\
Crews repainted the pier on Thursday.\n\
The timetable was posted at the terminal.\n\
Berg said the meeting ended early on Friday.\n\
\"It is over for this year,\" he said.\n";

#[test]
fn a_window_whose_pronouns_give_other_genders_goes_on_to_the_drafts_end() {
    let speaker_of_last = |analysis: &Analysis| analysis.quotes.last().and_then(|quote| quote.speaker.clone());
    // Keystrokes after which the last quote's speaker changed, its quotes
    // linked by a window (the first entity linking of a fresh analyzer,
    // with no dependencies recorded yet, links every quote).
    let mut changed_by_window = 0;
    let piece = " Anna Lind said the chair agreed.";
    type_and_take_back(GENDERS_DRAFT, DocumentKind::PlainText, 3, piece, |analyzer, analysis, before| {
        let parts = analyzer.last_parts;
        let by_window = parts.quotes_window || parts.quotes_window_across_linking_change;
        changed_by_window += usize::from(by_window && speaker_of_last(analysis) != speaker_of_last(before));
    });
    assert!(changed_by_window >= 2, "the last quote's speaker changed by a window {changed_by_window} times");
}
