//! The layout derived from the previous one after an edit
//! (`document::relayout`) against the layout made from scratch: random
//! drafts in plain text and Markdown (wire headers, directives, front
//! matter, fences, HTML comments, headings, lists, block quotes, indented
//! code, links, `\r\n` and lone `\r` line breaks) and random edits,
//! single and in sequences, each derived layout equal to `layout(text, kind)`.

use copydesk_analysis::document::{LayoutEdit, layout, relayout};
use copydesk_analysis::{DocumentKind, DocumentLayout};
use proptest::prelude::*;

/// Lines drafts are made of: prose, and every kind of line the layout
/// treats apart from prose.
const LINES: &[&str] = &[
    "Mayor opens bridge",
    "Riverside Gazette",
    "[\"local\",\"transport\"]",
    "The mayor opened the bridge on Monday.",
    "A subhead here",
    "",
    "  ",
    "# copydesk-disable vague-source",
    "She said it was \"overdue.\" Then she left.",
    "Tōkyō señor café, she said.",
    "---",
    "+++",
    "title: x",
    "# The headline",
    "## A subhead",
    "#NoSpace",
    "- item one",
    "* item *two*",
    "1. first point made here",
    "> quoted text in a block",
    "> - nested item",
    "```",
    "~~~",
    "    indented code",
    "\tcode",
    "<!-- copydesk-disable vague-source -->",
    "<!-- open comment",
    "close comment -->",
    "See [the report](https://example.com/x) and `code` here.",
    "Visit www.example.com now or https://a.b/c today.",
    "plain_snake_case and _em_ and **strong** words",
    "<https://a.b> autolink",
    "Body text continues here without a stop",
    "\u{a0}\u{a0}",
    "government officials said the plan was sound.",
];

const BREAKS: &[&str] = &["\n", "\n", "\n", "\r\n", "\r"];

/// Characters an edit types: letters most often, and every character that
/// means something to the layout.
const TYPED: &[char] = &[
    'a', 'e', 's', 't', 'n', 'x', ' ', ' ', '.', '"', '#', '-', '*', '_', '>', '`', '~', '<', '!', '[', ']', '(', ')',
    ':', '/', 'h', 'w', '+', '1', '\t', '\n', '\r', 'é', '\u{a0}', '\u{2028}',
];

fn draft(lines: &[(usize, usize)], trailing: bool) -> String {
    let mut text = String::new();
    for (position, (line, line_break)) in lines.iter().enumerate() {
        text.push_str(LINES[line % LINES.len()]);
        if position + 1 < lines.len() || trailing {
            text.push_str(BREAKS[line_break % BREAKS.len()]);
        }
    }
    text
}

/// The longest common prefix and, after it, suffix: the edit as the
/// `Analyzer` finds it.
fn minimal_edit(old: &str, new: &str) -> LayoutEdit {
    let (old, new) = (old.as_bytes(), new.as_bytes());
    let shorter = old.len().min(new.len());
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count().min(shorter);
    let room = shorter - prefix;
    let suffix = old.iter().rev().zip(new.iter().rev()).take_while(|(a, b)| a == b).count().min(room);
    LayoutEdit { start: prefix, old_end: old.len() - suffix, new_end: new.len() - suffix }
}

/// Makes one edit at a fraction of the text: deletes `delete` characters
/// and types `typed` there; returns the new text and the edit as made.
fn edit(text: &str, at: f64, delete: usize, typed: &str) -> (String, LayoutEdit) {
    let boundaries: Vec<usize> = text.char_indices().map(|(offset, _)| offset).chain([text.len()]).collect();
    let index = ((boundaries.len() - 1) as f64 * at) as usize;
    let start = boundaries[index];
    let old_end = boundaries[(index + delete).min(boundaries.len() - 1)];
    let new_text = format!("{}{}{}", &text[..start], typed, &text[old_end..]);
    (new_text, LayoutEdit { start, old_end, new_end: start + typed.len() })
}

/// Checks one edit both ways it can be described; returns whether the
/// layout was derived rather than made from scratch.
fn check(old_text: &str, previous: &DocumentLayout, new_text: &str, made: LayoutEdit, kind: DocumentKind) -> bool {
    let expected = layout(new_text, kind);
    let mut derived_any = false;
    for described in [made, minimal_edit(old_text, new_text)] {
        let mut derived = previous.clone();
        if relayout(&mut derived, old_text, new_text, described) {
            derived_any = true;
            assert_eq!(derived, expected, "{kind:?} {old_text:?} -> {new_text:?} ({described:?})");
        } else {
            assert_eq!(derived, *previous, "a refused edit leaves the layout as it was");
        }
    }
    derived_any
}

fn typed_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TYPED), 0..4).prop_map(|characters| characters.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn a_derived_layout_equals_a_full_one(
        lines in prop::collection::vec((0..LINES.len(), 0..BREAKS.len()), 1..24),
        trailing in any::<bool>(),
        markdown in any::<bool>(),
        edits in prop::collection::vec((0.0..1.0f64, 0..4usize, typed_text()), 1..12),
    ) {
        let kind = if markdown { DocumentKind::Markdown } else { DocumentKind::PlainText };
        let mut text = draft(&lines, trailing);
        let mut current = layout(&text, kind);
        for (at, delete, typed) in edits {
            let (new_text, made) = edit(&text, at, delete, &typed);
            check(&text, &current, &new_text, made, kind);
            // Carry the derived layout on, so that layouts derived from
            // derived ones are checked too.
            let described = minimal_edit(&text, &new_text);
            if !relayout(&mut current, &text, &new_text, described) {
                current = layout(&new_text, kind);
            }
            text = new_text;
        }
    }
}

/// Letters typed and deleted in the middle of a paragraph, the keystrokes
/// this exists for, are derived rather than laid out again, in both kinds.
#[test]
fn letters_typed_into_a_paragraph_are_derived() {
    let lines: Vec<(usize, usize)> =
        [0, 1, 2, 5, 3, 5, 8, 5, 28, 29, 30, 5, 16, 17, 5, 34, 5, 9].map(|line| (line, 0)).to_vec();
    for kind in [DocumentKind::PlainText, DocumentKind::Markdown] {
        let mut text = draft(&lines, true);
        let mut current = layout(&text, kind);
        let at = text.find("officials").unwrap_or(0) + 4;
        let mut derived = 0;
        for (count, letter) in "abcdefghijklmnopqrst".chars().enumerate() {
            let mut new_text = text.clone();
            new_text.insert(at + count, letter);
            let made = LayoutEdit { start: at + count, old_end: at + count, new_end: at + count + 1 };
            derived += usize::from(check(&text, &current, &new_text, made, kind));
            assert!(relayout(&mut current, &text, &new_text, minimal_edit(&text, &new_text)));
            text = new_text;
        }
        for count in (0..20).rev() {
            let mut new_text = text.clone();
            new_text.remove(at + count);
            let made = LayoutEdit { start: at + count, old_end: at + count + 1, new_end: at + count };
            derived += usize::from(check(&text, &current, &new_text, made, kind));
            assert!(relayout(&mut current, &text, &new_text, minimal_edit(&text, &new_text)));
            text = new_text;
        }
        assert_eq!(derived, 40, "{kind:?}");
        assert_eq!(current, layout(&text, kind));
    }
}

/// A closing mark typed at the end of a plain-text subhead, headline or
/// short line between others turns it into body text, and deleting it
/// turns it back: derived rather than laid out again, each kind decided as
/// a full layout decides it (a subhead only between blank lines, the
/// first line of text a headline). Past the first three lines, which the
/// wire header may hold.
#[test]
fn a_short_line_turning_into_body_text_and_back_is_derived() {
    use copydesk_analysis::ParagraphKind::{Body, Heading, Headline};
    let drafts = [
        ("Bridge\n\nThe bridge opened on Monday.\n\nA subhead here\n\nThe mayor spoke.\n", "A subhead here", Heading),
        ("\n\n\n# copydesk-disable vague-source\nMayor opens bridge\n\nThe mayor spoke.\n", "opens bridge", Headline),
        ("Bridge\n\nThe bridge opened on Monday.\nA short line\nThe mayor spoke.", "A short line", Body),
        ("Bridge\r\n\r\nThe bridge opened on Monday.\r\n\r\nA subhead here\r\n\r\n", "A subhead here", Heading),
        ("Bridge\n\nThe bridge opened on Monday.\n\nA subhead at the end", "at the end", Heading),
    ];
    for (draft, line_end, short_kind) in drafts {
        let at = draft.find(line_end).map(|start| start + line_end.len()).expect("in the draft");
        let kind_of_line = |layout: &DocumentLayout| {
            layout.paragraphs.iter().find(|paragraph| paragraph.span.touches_offset(at)).map(|paragraph| paragraph.kind)
        };
        let mut current = layout(draft, DocumentKind::PlainText);
        assert_eq!(kind_of_line(&current), Some(short_kind), "{draft:?}");
        let typed = format!("{}.{}", &draft[..at], &draft[at..]);
        assert!(check(draft, &current, &typed, minimal_edit(draft, &typed), DocumentKind::PlainText), "{draft:?}");
        assert!(relayout(&mut current, draft, &typed, minimal_edit(draft, &typed)));
        assert_eq!(kind_of_line(&current), Some(Body), "{typed:?}");
        assert!(check(&typed, &current, draft, minimal_edit(&typed, draft), DocumentKind::PlainText), "{typed:?}");
        assert!(relayout(&mut current, &typed, draft, minimal_edit(&typed, draft)));
        assert_eq!(kind_of_line(&current), Some(short_kind), "{draft:?}");
    }
}

/// An edit replacing one accented letter with another leaves a common
/// prefix ending inside the character: the `Analyzer`, which keeps the
/// previous text by writing only the edited bytes, widens the edit to whole
/// characters (a panic before that was fixed), and stays exact.
#[test]
fn an_edit_inside_a_character_keeps_the_analyzer_exact() {
    let config = copydesk_analysis::Config::default();
    for kind in [DocumentKind::PlainText, DocumentKind::Markdown] {
        let mut analyzer = copydesk_analysis::Analyzer::new();
        for text in [
            "Headline here\n\nA first paragraph.\n\nThe café owner, Ana Pérez, said it was fine.\n\nShe left.\n",
            "Headline here\n\nA first paragraph.\n\nThe cafè owner, Ana Pérez, said it was fine.\n\nShe left.\n",
            "Headline here\n\nA first paragraph.\n\nThe cafè owner, Ana Péréz, said it was fine.\n\nShe left.\n",
            "Headline here\n\nA first paragraph.\n\nThe cafè owner, Ana Pér, said it was fine.\n\nShe left.\n",
        ] {
            let analysed = analyzer.analyze(text, kind, &config);
            // Every edit here lies within one body line and leaves the
            // layout's shape alone, so each is derived (but the first call).
            assert_eq!(analyzer.last_layout_derived, !text.contains("café"), "{kind:?} {text:?}");
            let full = copydesk_analysis::analyze_document(text, kind, &config);
            assert_eq!(analysed.layout, full.layout);
            assert_eq!(analysed.analysis, full.analysis, "{kind:?} {text:?}");
        }
    }
}
