//! Paragraphs split by Enter pressed inside them, and joined again by
//! Backspace: the keystrokes a writer makes when breaking up a long
//! paragraph or taking a break back.
//!
//! Enter inside a paragraph makes two paragraphs of one, and Backspace at
//! the second's start makes one of two again: every later paragraph
//! changes its place in the list, which every part of the document stage
//! indexes by position. Such a keystroke carries the stage over with the
//! old paragraphs seen at their new places, the halves (or the joined
//! paragraph) analysed afresh: entity linking carried over when the
//! halves' items read as one list are the old paragraph's (its
//! dependencies split or joined with them), quote linking linked again by
//! a window around the place, the rules that read the order of the
//! paragraphs run and the others carried over as after any edit. Each
//! keystroke must give what a fresh analysis gives, and each split or join
//! must take that path, or this test would not be testing it.
use copydesk_analysis::{Analyzer, Config, DocumentKind, analyze_document};

#[path = "shared/keystrokes.rs"]
mod keystrokes;
use keystrokes::type_then_delete;

/// A plain-text draft written for this test (not from any corpus), its
/// paragraphs separated by blank lines: named speakers, a paragraph of two
/// quotes by one speaker (split between them, the second becomes a
/// floating quote), a floating quote, a "he" source, a quote going on
/// over a sentence break (split there, the first half's quote is left
/// open), a paragraph ending without a full stop before one starting with
/// a family name never given in full (joined, the name no longer starts
/// a sentence), and names spelled two ways.
const PLAIN_DRAFT: &str = "Ferry talks stall in Riverside\n\
\n\
Harbour Commissioner Ulla Brandvik met Transport Minister Kim Jong Su on Monday. They spoke for an hour.\n\
\n\
\"We will not sail until the captains agree,\" Brandvik said. \"The boats are ready.\"\n\
\n\
\"The timetable is fixed.\"\n\
\n\
Kim said the ferries would run, and Councillor Maria Oduya nodded. Brandvik left the room.\n\
\n\
\"The timetable stands,\" he said. Nobody answered him.\n\
\n\
Oduya said: \"The council will vote again. The captains will be asked first.\"\n\
\n\
The last word went to the harbour master\n\
\n\
Lindqvist thanked everyone. Kim Jong-su left early. Ulla Brandvick stayed.\n";

/// The same draft in Markdown, where a blank line is what separates
/// paragraphs: the headline made a heading.
fn markdown_draft() -> String {
    format!("# {PLAIN_DRAFT}")
}

/// What one run of keystrokes saw.
#[derive(Debug, Default)]
struct Counts {
    keystrokes: usize,
    /// Keystrokes that split a paragraph or joined two.
    count_changed: usize,
    /// Of those, the ones carried over part by part with the paragraphs
    /// renumbered.
    renumbered: usize,
    /// Of those, the ones whose quote linking ran by a window.
    by_window: usize,
    /// Of those, the ones whose entity linking was carried over.
    entities_kept: usize,
    /// Of those, the ones that ran the whole stage (one reason given to
    /// every part). (In Markdown the first of the two line breaks only
    /// breaks the line, within the paragraph, and its deletion joins the
    /// lines: those still run the whole stage and are not counted here.)
    whole_stage: usize,
}

/// Presses Enter (once in plain text, twice in Markdown, where one line
/// break only breaks the line) before every word of every paragraph but
/// its first, and takes it back with Backspace, with one `Analyzer` for the
/// whole run. Every keystroke must give what a fresh analysis gives.
fn split_everywhere(draft: &str, kind: DocumentKind) -> Counts {
    let config = Config::default();
    let enter = if kind == DocumentKind::Markdown { "\n\n" } else { "\n" };
    let mut counts = Counts::default();
    let mut analyzer = Analyzer::new();
    let mut text = draft.to_owned();
    analyzer.analyze(&text, kind, &config);
    let mut paragraphs_before = analyzer.last_paragraph_count();
    let mut keystroke = |analyzer: &mut Analyzer, text: &str| {
        let incremental = analyzer.analyze(text, kind, &config);
        let full = analyze_document(text, kind, &config);
        assert_eq!(incremental.analysis, full.analysis, "{kind:?}: after a keystroke giving {text:?}");
        counts.keystrokes += 1;
        let parts = analyzer.last_parts;
        let paragraphs_now = analyzer.last_paragraph_count();
        if paragraphs_now != paragraphs_before {
            counts.count_changed += 1;
            if parts.entities.is_some() && parts.entities == parts.quotes && parts.quotes == parts.rules {
                counts.whole_stage += 1;
            }
            counts.renumbered += usize::from(parts.paragraphs_renumbered);
            counts.by_window += usize::from(parts.quotes_window || parts.quotes_window_across_linking_change);
            counts.entities_kept += usize::from(parts.entities.is_none());
        }
        paragraphs_before = paragraphs_now;
    };
    // Before every word but a line's first, in lines holding text past the
    // headline.
    let mut places = Vec::new();
    let mut line_start = 0;
    for (index, line) in draft.split_inclusive('\n').enumerate() {
        if index > 0 {
            places.extend(line.match_indices(' ').map(|(offset, _)| line_start + offset + 1));
        }
        line_start += line.len();
    }
    for &at in places.iter().rev() {
        type_then_delete(&mut text, at, enter, |text| keystroke(&mut analyzer, text));
        assert_eq!(text, draft, "typing and deleting gives the draft back");
    }
    counts
}

#[test]
fn paragraphs_split_and_joined_carry_the_stage_over() {
    let markdown = markdown_draft();
    for (draft, kind) in [(PLAIN_DRAFT, DocumentKind::PlainText), (markdown.as_str(), DocumentKind::Markdown)] {
        let places = draft.lines().skip(1).map(|line| line.matches(' ').count()).sum::<usize>();
        let counts = split_everywhere(draft, kind);
        eprintln!("{kind:?}: {counts:?}");
        let enter = if kind == DocumentKind::Markdown { 2 } else { 1 };
        assert_eq!(counts.keystrokes, 2 * enter * places, "{kind:?}: {counts:?}");
        // One split (the last line break) and one join (its deletion) at
        // every place.
        assert_eq!(counts.count_changed, 2 * places, "{kind:?}: {counts:?}");
        assert_eq!(counts.renumbered, counts.count_changed, "{kind:?}: {counts:?}");
        assert_eq!(counts.whole_stage, 0, "{kind:?}: {counts:?}");
        // Quote linking reads which paragraph follows which: a split or a
        // join links a window again, but where the window is refused (a
        // quote's source edited, a cut that is not clean in a draft this
        // dense with quotes) and quote linking links every quote.
        assert!(counts.by_window * 4 >= counts.count_changed * 3, "{kind:?}: {counts:?}");
        // A break between two sentences, or between two words of one
        // (entity linking reads no sentence index), leaves every name as it
        // was, and entity linking is carried over; one inside a name
        // changes it. (Plain text: 132 of 162 carried; 92 when a candidate's
        // sentence index counted.)
        assert!(counts.entities_kept * 4 >= counts.count_changed * 3, "{kind:?}: {counts:?}");
    }
}

/// After a split or a join whose entity linking was carried over, its
/// dependencies (kept by paragraph position) must follow the halves: the
/// next keystroke that changes a name links again only the items it can
/// reach, and gives what a fresh analysis gives. A name typed into the
/// second half, into the first, and into the paragraph after them, each
/// in a run of its own (a keystroke that takes a name back links every
/// item again here, which records the dependencies afresh).
#[test]
fn a_name_typed_after_a_split_or_a_join_relinks_some_items_only() {
    let config = Config::default();
    let markdown = markdown_draft();
    for (draft, kind) in [(PLAIN_DRAFT, DocumentKind::PlainText), (markdown.as_str(), DocumentKind::Markdown)] {
        let enter = if kind == DocumentKind::Markdown { "\n\n" } else { "\n" };
        let check = |analyzer: &mut Analyzer, text: &str| {
            let incremental = analyzer.analyze(text, kind, &config);
            let full = analyze_document(text, kind, &config);
            assert_eq!(incremental.analysis, full.analysis, "{kind:?}: after a keystroke giving {text:?}");
            analyzer.last_parts
        };
        for (anchor, typed) in [("left the room", "and Kim "), ("Kim said", "Kim "), ("Nobody answered", "Mr ")] {
            let mut analyzer = Analyzer::new();
            let mut text = draft.to_owned();
            analyzer.analyze(&text, kind, &config);
            // The dependencies recorded, as the server does between keystrokes.
            assert!(analyzer.prepare_next_edit(&config));
            // Enter between the two sentences of the Oduya paragraph, each
            // naming someone: the halves hold the old items.
            let split_at = text.find("Brandvik left the room.").expect("the second sentence");
            text.insert_str(split_at, enter);
            let parts = check(&mut analyzer, &text);
            assert!(parts.paragraphs_renumbered && parts.entities.is_none(), "{kind:?}: split: {parts:?}");
            let at = text.find(anchor).expect("the anchor");
            text.insert_str(at, typed);
            let parts = check(&mut analyzer, &text);
            assert!(parts.entities_relinked.is_some(), "{kind:?}: {typed:?} after a split: {parts:?}");
            text.replace_range(at..at + typed.len(), "");
            check(&mut analyzer, &text);
            // The dependencies recorded again (the deletion linked every
            // item), then Backspace at the second half's start.
            analyzer.prepare_next_edit(&config);
            let joined_at = split_at + enter.len() - 1;
            text.replace_range(joined_at..joined_at + 1, "");
            let parts = check(&mut analyzer, &text);
            assert!(parts.paragraphs_renumbered && parts.entities.is_none(), "{kind:?}: join: {parts:?}");
            let at = text.find(anchor).expect("the anchor");
            text.insert_str(at, typed);
            let parts = check(&mut analyzer, &text);
            assert!(parts.entities_relinked.is_some(), "{kind:?}: {typed:?} after a join: {parts:?}");
        }
    }
}

/// Backspace at the start of every paragraph, twice (a blank line between
/// paragraphs: the first deletes it, the second joins the two), and the
/// line breaks typed again, with one `Analyzer` for the whole run. In
/// Markdown the first Backspace already joins them (a single line break
/// does not end a paragraph) and the second glues the lines. Every
/// keystroke must give what a fresh analysis gives; every join (and every
/// split when the line breaks are typed again) is carried over part by
/// part.
#[test]
fn paragraphs_joined_by_backspace_and_split_again_carry_the_stage_over() {
    let config = Config::default();
    let markdown = markdown_draft();
    for (draft, kind) in [(PLAIN_DRAFT, DocumentKind::PlainText), (markdown.as_str(), DocumentKind::Markdown)] {
        let mut analyzer = Analyzer::new();
        let mut text = draft.to_owned();
        analyzer.analyze(&text, kind, &config);
        let mut paragraphs_before = analyzer.last_paragraph_count();
        let (mut count_changed, mut renumbered, mut joins) = (0, 0, 0);
        let mut keystroke = |analyzer: &mut Analyzer, text: &str| {
            let incremental = analyzer.analyze(text, kind, &config);
            let full = analyze_document(text, kind, &config);
            assert_eq!(incremental.analysis, full.analysis, "{kind:?}: after a keystroke giving {text:?}");
            let paragraphs_now = analyzer.last_paragraph_count();
            if paragraphs_now != paragraphs_before {
                count_changed += 1;
                renumbered += usize::from(analyzer.last_parts.paragraphs_renumbered);
                joins += usize::from(paragraphs_now < paragraphs_before);
            }
            paragraphs_before = paragraphs_now;
        };
        // The start of every paragraph after a blank line, last first.
        let starts: Vec<usize> = draft.match_indices("\n\n").map(|(offset, _)| offset + 2).collect();
        for &start in starts.iter().rev() {
            for end in [start, start - 1] {
                text.remove(end - 1);
                keystroke(&mut analyzer, &text);
            }
            for at in [start - 2, start - 1] {
                text.insert(at, '\n');
                keystroke(&mut analyzer, &text);
            }
            assert_eq!(text, draft, "deleting and typing gives the draft back");
        }
        assert_eq!(joins, starts.len(), "{kind:?}");
        assert_eq!(count_changed, 2 * starts.len(), "{kind:?}");
        assert_eq!(renumbered, count_changed, "{kind:?}");
    }
}
