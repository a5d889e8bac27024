//! New paragraphs started and taken back: a writer pressing Enter twice at
//! the end of a paragraph and typing a new one, then deleting it again.
//!
//! The first letter typed on the empty line adds a paragraph, and deleting
//! the last letter of a one-letter paragraph removes it: every later
//! paragraph changes its place in the list, which every part of the
//! document stage indexes by position. Such a keystroke carries the stage
//! over with the old paragraphs seen at their new places (quote linking
//! linked again by a window holding the place and both its neighbours,
//! entity linking carried over or re-linked around the new paragraph, the
//! rules run), rather than running the whole stage. Each keystroke must
//! give what a fresh analysis gives, and each that adds or removes a
//! paragraph must take that path, or this test would not be testing it.
use copydesk_analysis::{Analyzer, Config, DocumentKind, analyze_document, rules};

#[path = "shared/keystrokes.rs"]
mod keystrokes;
use keystrokes::type_then_delete;

/// A plain-text draft written for this test (not from any corpus), its
/// paragraphs separated by blank lines: named speakers, a floating quote
/// that takes the speaker of the quote before it, a "he" source looking
/// back at a speaker named two paragraphs up, a quote going on into the
/// next paragraph, and names spelled two ways.
const PLAIN_DRAFT: &str = "Ferry talks stall in Riverside\n\
\n\
Harbour Commissioner Ulla Brandvik met Transport Minister Kim Jong Su on Monday.\n\
\n\
\"We will not sail until the captains agree,\" Brandvik said.\n\
\n\
\"The boats are ready.\"\n\
\n\
Kim said the ferries would run, and Councillor Maria Oduya nodded.\n\
\n\
\"The timetable stands,\" he said.\n\
\n\
Oduya said: \"The council will vote again.\n\
\n\
\"The captains will be asked first.\"\n\
\n\
Kim Jong-su left early. Ulla Brandvick stayed.\n";

/// The same draft in Markdown, where a blank line is what separates
/// paragraphs: the headline made a heading.
fn markdown_draft() -> String {
    format!("# {PLAIN_DRAFT}")
}

/// What one run of keystrokes saw.
#[derive(Debug, Default)]
struct Counts {
    keystrokes: usize,
    /// Keystrokes that added or removed a paragraph.
    count_changed: usize,
    /// Of those, the ones carried over part by part with the paragraphs
    /// renumbered.
    renumbered: usize,
    /// Of those, the ones whose quote linking ran by a window.
    by_window: usize,
    /// Of those, the ones whose entity linking was carried over or
    /// re-linked some items only.
    entities_kept_or_relinked: usize,
    /// Keystrokes after a paragraph was added whose entity linking, the
    /// first to run since, linked every item again rather than the ones
    /// the edit could reach (whose dependencies, by paragraph position,
    /// must have been renumbered).
    linking_all_after_added: usize,
    /// Keystrokes that ran the whole stage (one reason given to every part).
    whole_stage: usize,
    /// Keystrokes that added or removed a paragraph and ran none of the
    /// rules that do not read the order of the paragraphs
    /// (`Reads::paragraph_order`).
    order_free_rules_kept: usize,
}

/// Types `piece` as a new paragraph after every paragraph (Enter, Enter,
/// then its letters, at the end of each line that holds text) and takes it
/// back, character by character, with one `Analyzer` for the whole run (so
/// that what entity linking kept from earlier keystrokes, its
/// dependencies, is there when a paragraph is added). Every keystroke must
/// give what a fresh analysis gives; counts what each ran.
fn start_paragraphs(draft: &str, kind: DocumentKind, piece: &str) -> Counts {
    let config = Config::default();
    let mut counts = Counts::default();
    let mut analyzer = Analyzer::new();
    let mut text = draft.to_owned();
    analyzer.analyze(&text, kind, &config);
    let mut paragraphs_before = analyzer.last_paragraph_count();
    let mut added_since_linking = false;
    let mut keystroke = |analyzer: &mut Analyzer, text: &str| {
        let incremental = analyzer.analyze(text, kind, &config);
        let full = analyze_document(text, kind, &config);
        assert_eq!(incremental.analysis, full.analysis, "{kind:?}: after a keystroke giving {text:?}");
        counts.keystrokes += 1;
        let parts = analyzer.last_parts;
        if parts.entities.is_some() && parts.entities == parts.quotes && parts.quotes == parts.rules {
            counts.whole_stage += 1;
        }
        if added_since_linking && parts.entities.is_some() {
            added_since_linking = false;
            if parts.entities_relinked.is_none() {
                counts.linking_all_after_added += 1;
            }
        }
        let paragraphs_now = analyzer.last_paragraph_count();
        added_since_linking |= paragraphs_now > paragraphs_before && parts.entities.is_none();
        if paragraphs_now != paragraphs_before {
            counts.count_changed += 1;
            if parts.paragraphs_renumbered {
                counts.renumbered += 1;
            }
            if parts.quotes_window || parts.quotes_window_across_linking_change {
                counts.by_window += 1;
            }
            if parts.entities.is_none() || parts.entities_relinked.is_some() {
                counts.entities_kept_or_relinked += 1;
            }
            let order_free = rules::RULES
                .iter()
                .enumerate()
                .filter(|(_, rule)| !rule.reads.paragraph_order)
                .fold(0u32, |mask, (index, _)| mask | 1 << index);
            if parts.rules_ran & order_free == 0 {
                counts.order_free_rules_kept += 1;
            }
        } else {
            // The renumbered flag is set only when the number of paragraphs changed.
            assert!(!parts.paragraphs_renumbered, "{kind:?}: renumbered with the same paragraphs");
        }
        paragraphs_before = paragraphs_now;
    };
    let line_ends: Vec<usize> = draft
        .split_inclusive('\n')
        .scan(0, |offset, line| {
            *offset += line.len();
            Some((*offset - 1, line.trim().is_empty()))
        })
        .filter(|(_, blank)| !blank)
        .map(|(end, _)| end)
        .collect();
    for at in line_ends {
        type_then_delete(&mut text, at, &format!("\n\n{piece}"), |text| keystroke(&mut analyzer, text));
        assert_eq!(text, draft, "typing and deleting gives the draft back");
    }
    counts
}

#[test]
fn new_paragraphs_started_and_taken_back_carry_the_stage_over() {
    let markdown = markdown_draft();
    for (draft, kind) in [(PLAIN_DRAFT, DocumentKind::PlainText), (markdown.as_str(), DocumentKind::Markdown)] {
        let places = draft.lines().filter(|line| !line.trim().is_empty()).count();
        for piece in ["Then Kim Jong Su left.", "\"We sail at dawn,\" he said.", "x"] {
            let counts = start_paragraphs(draft, kind, piece);
            let typed = 2 + piece.chars().count();
            assert_eq!(counts.keystrokes, 2 * typed * places, "{kind:?} {piece:?}");
            // One paragraph added (the first letter) and one removed (its
            // deletion) at every place.
            assert_eq!(counts.count_changed, 2 * places, "{kind:?} {piece:?}: {counts:?}");
            assert_eq!(counts.renumbered, counts.count_changed, "{kind:?} {piece:?}: {counts:?}");
            assert_eq!(counts.whole_stage, 0, "{kind:?} {piece:?}: {counts:?}");
            // Quote linking reads which paragraph follows which: every
            // paragraph added or removed links a window again (none of
            // these windows is refused in a draft this short).
            assert_eq!(counts.by_window, counts.count_changed, "{kind:?} {piece:?}: {counts:?}");
            // A letter that is no name leaves entity linking as it was;
            // the first letter of a name is re-linked with its
            // neighbours' items, not the whole draft's.
            assert!(counts.entities_kept_or_relinked >= places, "{kind:?} {piece:?}: {counts:?}");
            // The first keystroke whose entity linking runs links every
            // item (a run of the whole stage keeps no dependencies); the
            // later ones link again only the items the edit can reach.
            assert!(counts.linking_all_after_added <= 1, "{kind:?} {piece:?}: {counts:?}");
            // A paragraph that names nobody mostly leaves the linking as it
            // was: the rules that read only the linking and the paragraphs
            // at its offsets are then carried over, not run. (One put
            // between a quote and the floating quote after it takes the
            // floating quote's speaker away, which changes the linking.)
            if piece == "x" {
                assert!(counts.order_free_rules_kept >= places, "{kind:?} {piece:?}: {counts:?}");
            }
        }
    }
}

/// A rule that does not read the order of the paragraphs may still read a
/// new paragraph's text: `inconsistent-spelling` searches every paragraph
/// for the stylebook's variants, and records a read of the whole draft
/// when it does, so that it runs again after any edit. A variant typed as
/// a new paragraph must be reported at the keystroke that completes it.
#[test]
fn a_stylebook_variant_typed_as_a_new_paragraph_is_reported() {
    let config =
        Config { spellings: [("Riverside".to_owned(), vec!["Riverdale".to_owned()])].into(), ..Config::default() };
    for (kind, draft) in [(DocumentKind::PlainText, PLAIN_DRAFT.to_owned()), (DocumentKind::Markdown, markdown_draft())]
    {
        let mut analyzer = Analyzer::new();
        let mut text = draft.clone();
        analyzer.analyze(&text, kind, &config);
        let at = text.find("\n\n").expect("a blank line after the headline") + 1;
        let mut reported = 0;
        let mut renumbered = 0;
        type_then_delete(&mut text, at, "\nThe Riverdale ferry.\n", |text| {
            let incremental = analyzer.analyze(text, kind, &config);
            let full = analyze_document(text, kind, &config);
            assert_eq!(incremental.analysis, full.analysis, "{kind:?}: after a keystroke giving {text:?}");
            renumbered += usize::from(analyzer.last_parts.paragraphs_renumbered);
            reported += usize::from(incremental.analysis.diagnostics.iter().any(|diagnostic| {
                diagnostic.code == "inconsistent-spelling" && diagnostic.message.contains("Riverdale")
            }));
        });
        assert_eq!(text, draft);
        // In Markdown the typed line joins the paragraph under it (no blank
        // line between them): only plain text adds a paragraph here.
        let added = kind == DocumentKind::Markdown || renumbered >= 2;
        assert!(added && reported > 0, "{kind:?}: renumbered {renumbered}, reported {reported}");
    }
}
