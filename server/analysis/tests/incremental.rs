//! Incremental analysis equals full analysis: one `Analyzer` (with its
//! paragraph cache) is reused across random edits of articles with names,
//! titles and quotes, and after every edit its result must equal a fresh
//! analysis of the same text, in plain text and in Markdown.

use copydesk_analysis::{Analyzer, Config, DocumentKind, analyze_document};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};

/// An article written for this test (not from any corpus).
const PLAIN_ARTICLE: &str = "Harbour council approves new ferry route\n\
Riverside Gazette\n\
[\"local\",\"transport\"]\n\
Deputy Mayor Ana Lindqvist on Tuesday announced a ferry route linking the old harbour with Kestrel Island, the city council said.\n\
\"This is the link the island has waited for,\" Lindqvist told reporters. \"Work starts in May.\"\n\
Transport Minister Park Ji Hoon welcomed the plan. Park said the ministry would fund half of the cost, according to the Harbour Authority.\n\
\"We are glad to help,\" he said.\n\
Opposition leader Tom Okafor said the route was \"a vanity project.\n\
\"Nobody asked the island,\" Okafor added. Lindqvist and Park did not respond.\n";

const MARKDOWN_ARTICLE: &str = "---\ndate: 2024-05-02\n---\n# Harbour council approves new ferry route\n\n\
Deputy Mayor Ana Lindqvist on Tuesday announced the route, the [city council](https://example.com/c) said.\n\n\
> \"This is the link the island has waited for,\" Lindqvist told reporters.\n\n\
Transport Minister Park Ji Hoon welcomed the plan. `code Park` is not prose.\n\n\
- Park said the ministry would pay half.\n- \"Nobody asked,\" Okafor said.\n\n\
<!-- copydesk-disable unbalanced-quote -->\nOpposition leader Tom Okafor called it \"a vanity project.\n";

/// Pieces inserted by the random edits: names, titles, cues, quotation marks and breaks.
const PIECES: &[&str] = &[
    "\n",
    "\n\n",
    " ",
    "\"",
    "\u{201c}",
    "\u{201d}",
    "Lindqvist",
    "Park",
    "Ana Lindqvist",
    "Deputy Mayor ",
    "the minister",
    " said",
    " told reporters",
    "Mr. Okafor",
    "Kim Jong Un",
    "Kim",
    "he said",
    ". ",
    ", ",
    "東京",
    "😀",
    "e\u{301}",
    "# ",
    "- ",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert { at: usize, piece: usize },
    Delete { at: usize, length: usize },
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0..PIECES.len()).prop_map(|(at, piece)| Edit::Insert { at, piece }),
        (any::<usize>(), 1usize..40).prop_map(|(at, length)| Edit::Delete { at, length }),
    ]
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn apply(text: &mut String, edit: &Edit) {
    match edit {
        Edit::Insert { at, piece } => {
            let at = floor_boundary(text, at % (text.len() + 1));
            text.insert_str(at, PIECES[*piece]);
        }
        Edit::Delete { at, length } => {
            let start = floor_boundary(text, at % (text.len() + 1));
            let end = floor_boundary(text, start + length);
            text.replace_range(start..end, "");
        }
    }
}

fn run(kind: DocumentKind, article: &str) {
    let config = Config::default();
    let mut runner = TestRunner::new(RunnerConfig { cases: 48, failure_persistence: None, ..RunnerConfig::default() });
    let result = runner.run(&prop::collection::vec(edit_strategy(), 1..30), |edits| {
        let mut analyzer = Analyzer::new();
        let mut text = article.to_owned();
        let first = analyzer.analyze(&text, kind, &config);
        prop_assert_eq!(&first.analysis, &analyze_document(&text, kind, &config).analysis);
        for edit in &edits {
            apply(&mut text, edit);
            let incremental = analyzer.analyze(&text, kind, &config);
            let full = analyze_document(&text, kind, &config);
            prop_assert_eq!(&incremental.layout, &full.layout, "layout after {:?}", edit);
            prop_assert_eq!(&incremental.analysis, &full.analysis, "analysis after {:?} of {:?}", edit, text);
            // The cache holds exactly one entry per distinct paragraph of the
            // document just analysed: nothing of earlier versions lingers.
            let distinct: std::collections::HashSet<_> =
                full.layout.paragraphs.iter().map(|paragraph| (paragraph.kind, &*paragraph.prose)).collect();
            prop_assert_eq!(analyzer.cached_paragraphs(), distinct.len(), "cache after {:?}", edit);
        }
        Ok(())
    });
    if let Err(error) = result {
        panic!("{kind:?}: {error}");
    }
}

#[test]
fn incremental_equals_full_analysis_in_plain_text() {
    run(DocumentKind::PlainText, PLAIN_ARTICLE);
}

#[test]
fn incremental_equals_full_analysis_in_markdown() {
    run(DocumentKind::Markdown, MARKDOWN_ARTICLE);
}

#[test]
fn unchanged_paragraphs_are_not_analysed_again() {
    let config = Config::default();
    let mut analyzer = Analyzer::new();
    let mut text = PLAIN_ARTICLE.to_owned();
    analyzer.analyze(&text, DocumentKind::PlainText, &config);
    // Typing one character in one paragraph re-analyses only that paragraph,
    // even though every later paragraph moved.
    let at = text.find("welcomed").unwrap_or(0);
    text.insert(at, 'x');
    analyzer.analyze(&text, DocumentKind::PlainText, &config);
    assert_eq!(analyzer.last_fresh_paragraphs, 1);
    // Every other paragraph lies wholly before or after the typed character,
    // so it is carried over without being hashed or compared.
    let paragraphs = analyze_document(&text, DocumentKind::PlainText, &config).layout.paragraphs.len();
    assert_eq!(analyzer.last_carried_paragraphs, paragraphs - 1);
}

#[test]
fn switching_the_document_kind_carries_nothing_over() {
    // The same bytes lay out differently as Markdown and as plain text
    // (here the `# ` line is a heading in one and a body line in the other),
    // so nothing may be carried over from a document of the other kind.
    let config = Config::default();
    let text = "# Ferry plan\nPark said the route was \"late\".\n\n# Ferry plan\n";
    let mut analyzer = Analyzer::new();
    for kind in [DocumentKind::Markdown, DocumentKind::PlainText, DocumentKind::Markdown] {
        let incremental = analyzer.analyze(text, kind, &config);
        assert_eq!(analyzer.last_carried_paragraphs, 0, "{kind:?}");
        assert_eq!(incremental.analysis, analyze_document(text, kind, &config).analysis, "{kind:?}");
    }
}

#[test]
fn a_new_stylebook_reruns_the_cached_paragraph_rules() {
    // The paragraph parts of the rules are cached with the paragraph; a
    // stylebook that switches a rule off, changes a severity or adds
    // phrases must still give exactly what a fresh analysis gives.
    let article = "Ferry plan draws doubts\n\
        Sources said the route would cost twice the estimate.\n\
        The plan was backed by transport minister Park Ji Hoon on Monday.\n\
        \"It is a good plan,\" Park claimed. Insiders whispered that it would be late.\n";
    let stylebooks = [
        "",
        "[rules]\ntitle-case = \"off\"\n",
        "[rules]\ntitle-case = \"error\"\nvague-source = \"hint\"\n",
        "[rules.vague-source]\nphrases = [\"insiders whispered\"]\n",
        "",
    ];
    let mut analyzer = Analyzer::new();
    let mut seen_codes = Vec::new();
    for kind in [DocumentKind::PlainText, DocumentKind::Markdown] {
        for stylebook in stylebooks {
            let config = Config::from_toml_str(stylebook).unwrap_or_else(|error| panic!("{stylebook:?}: {error}"));
            let incremental = analyzer.analyze(article, kind, &config);
            let full = analyze_document(article, kind, &config);
            assert_eq!(incremental.analysis, full.analysis, "{kind:?} under {stylebook:?}");
            let codes: Vec<(&str, copydesk_analysis::Severity)> = incremental
                .analysis
                .diagnostics
                .iter()
                .map(|diagnostic| (diagnostic.code, diagnostic.severity))
                .collect();
            seen_codes.push(format!("{codes:?}"));
        }
    }
    // The stylebooks really changed what the paragraph rules report.
    assert!(seen_codes[0].contains("title-case") && seen_codes[0].contains("vague-source"), "{seen_codes:?}");
    assert!(!seen_codes[1].contains("title-case"), "{seen_codes:?}");
    assert!(seen_codes[2].contains("(\"title-case\", Error)"), "{seen_codes:?}");
    assert_ne!(seen_codes[3], seen_codes[0], "the extra phrase is reported");
}

/// Single characters typed or deleted, as a writer does: the edits the
/// carried-over document stage is for.
/// Letters come most often, as in typing.
const TYPED: &[&str] = &[
    "a", "e", "s", "t", "n", "o", "r", "i", "a", "e", "s", "t", "K", " ", " ", "\"", ".", ",", "\u{201c}", "\u{201d}",
    "é", "'",
];

#[derive(Debug, Clone)]
enum Keystroke {
    /// Types a character at a place chosen near something interesting.
    Type { place: Place, character: usize },
    /// Deletes the character before a place (backspace).
    Backspace { place: Place },
}

/// Where a keystroke lands: `nth` occurrence (wrapping) of a kind of place.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// Anywhere in the text.
    Anywhere(usize),
    /// Inside or at the end of a word.
    InWord(usize),
    /// Inside, just before or just after a name the articles use.
    InName(usize),
    /// Inside or next to a quotation mark.
    NearQuote(usize),
    /// At the end of a paragraph (before its line break).
    ParagraphEnd(usize),
}

const NAMES: &[&str] = &["Lindqvist", "Park", "Okafor", "Mayor", "Minister", "Kestrel", "Harbour", "said", "told"];

fn keystroke_strategy() -> impl Strategy<Value = Keystroke> {
    let place = prop_oneof![
        any::<usize>().prop_map(Place::Anywhere),
        any::<usize>().prop_map(Place::InWord),
        any::<usize>().prop_map(Place::InName),
        any::<usize>().prop_map(Place::NearQuote),
        any::<usize>().prop_map(Place::ParagraphEnd),
    ];
    prop_oneof![
        3 => (place.clone(), 0..TYPED.len()).prop_map(|(place, character)| Keystroke::Type { place, character }),
        1 => place.prop_map(|place| Keystroke::Backspace { place }),
    ]
}

/// The byte offset a place stands for in `text` (always a character boundary).
fn locate(text: &str, place: Place) -> usize {
    let pick = |candidates: Vec<usize>, nth: usize| {
        if candidates.is_empty() {
            floor_boundary(text, nth % (text.len() + 1))
        } else {
            candidates[nth % candidates.len()]
        }
    };
    let boundaries: Vec<usize> = (0..=text.len()).filter(|&offset| text.is_char_boundary(offset)).collect();
    match place {
        Place::Anywhere(nth) => pick(boundaries, nth),
        Place::InWord(nth) => pick(
            boundaries
                .iter()
                .copied()
                .filter(|&offset| text[..offset].chars().next_back().is_some_and(char::is_alphanumeric))
                .collect(),
            nth,
        ),
        Place::InName(nth) => {
            let mut found = Vec::new();
            for name in NAMES {
                for (start, _) in text.match_indices(name) {
                    found.extend((start..=start + name.len()).filter(|&offset| text.is_char_boundary(offset)));
                }
            }
            pick(found, nth)
        }
        Place::NearQuote(nth) => {
            let mut found = Vec::new();
            for (start, mark) in text.match_indices(['"', '\u{201c}', '\u{201d}']) {
                found.extend(
                    [start.saturating_sub(1), start, start + mark.len(), start + mark.len() + 1]
                        .into_iter()
                        .filter(|&offset| offset <= text.len() && text.is_char_boundary(offset)),
                );
            }
            pick(found, nth)
        }
        Place::ParagraphEnd(nth) => pick(text.match_indices('\n').map(|(index, _)| index).collect(), nth),
    }
}

fn press(text: &mut String, keystroke: &Keystroke) {
    match keystroke {
        Keystroke::Type { place, character } => {
            let at = locate(text, *place);
            text.insert_str(at, TYPED[*character]);
        }
        Keystroke::Backspace { place } => {
            let at = locate(text, *place);
            if let Some(previous) = text[..at].chars().next_back() {
                text.replace_range(at - previous.len_utf8()..at, "");
            }
        }
    }
}

/// How many analyses of a run of keystrokes carried the whole document
/// stage's output over, how many carried some of its parts over and ran the
/// others, out of how many.
#[derive(Debug, Clone, Copy, Default)]
struct Carried {
    whole: usize,
    partly: usize,
    total: usize,
    /// Keystrokes whose entity linking linked again only the items the
    /// edit could reach (`entities::linking::relink`), and of those, the
    /// ones whose entity linking then differed from the old one moved.
    relinked: usize,
    relinked_changed: usize,
}

/// Whether the last analysis re-linked some entity linking items rather
/// than all, and whether entity linking's output then changed.
fn relinked(analyzer: &Analyzer) -> (usize, usize) {
    let parts = analyzer.last_parts;
    let relinked = parts.entities_relinked.is_some();
    let changed = parts.quotes == Some("entity linking changed") || parts.quotes_across_linking_change;
    (usize::from(relinked), usize::from(relinked && changed))
}

/// Runs keystroke sequences and counts how the document stage's output was
/// made ([`Carried`]).
fn run_keystrokes(kind: DocumentKind, article: &str, cases: u32) -> Carried {
    let config = Config::default();
    let counts = std::cell::Cell::new(Carried::default());
    let refusals = std::cell::RefCell::new(std::collections::BTreeMap::<&str, usize>::new());
    let parts_run = std::cell::RefCell::new(std::collections::BTreeMap::<&str, usize>::new());
    let mut runner = TestRunner::new(RunnerConfig { cases, failure_persistence: None, ..RunnerConfig::default() });
    // Each keystroke with whether the server's idle work runs before it:
    // 0, not; 1, done at once (`Analyzer::prepare_next_edit`), as when the
    // writer pauses; 2, taken now and handed back after the keystroke
    // (`Analyzer::install_prepared`), as when the writer types on while it
    // runs. The keystrokes after it must be as exact.
    let keystrokes_and_pauses = prop::collection::vec((keystroke_strategy(), 0..3u8), 1..60);
    let result = runner.run(&keystrokes_and_pauses, |keystrokes| {
        let mut analyzer = Analyzer::new();
        let mut text = article.to_owned();
        analyzer.analyze(&text, kind, &config);
        let mut running = None;
        for (keystroke, pause) in &keystrokes {
            match pause {
                1 => {
                    analyzer.prepare_next_edit(&config);
                }
                2 => running = analyzer.next_edit_preparation(&config),
                _ => {}
            }
            press(&mut text, keystroke);
            let incremental = analyzer.analyze(&text, kind, &config);
            if let Some(preparation) = running.take() {
                analyzer.install_prepared(preparation.run(&config));
            }
            let Carried { whole, partly, total, relinked: relinked_before, relinked_changed } = counts.get();
            let label = analyzer.last_parts.label();
            let some_carried = label != "entities+quotes+rules";
            let (relinked_now, changed_now) = relinked(&analyzer);
            counts.set(Carried {
                whole: whole + usize::from(analyzer.last_carried_output()),
                partly: partly + usize::from(some_carried && !analyzer.last_carried_output()),
                total: total + 1,
                relinked: relinked_before + relinked_now,
                relinked_changed: relinked_changed + changed_now,
            });
            if let Some(reason) = analyzer.last_refusal {
                refusals.borrow_mut().entry(reason).and_modify(|count| *count += 1).or_insert(1);
            }
            *parts_run.borrow_mut().entry(label).or_default() += 1;
            let full = analyze_document(&text, kind, &config);
            prop_assert_eq!(&incremental.layout, &full.layout, "layout after {:?}", keystroke);
            prop_assert_eq!(
                &incremental.analysis,
                &full.analysis,
                "analysis after {:?} (parts run: {:?}) of {:?}",
                keystroke,
                analyzer.last_parts,
                text
            );
            prop_assert_eq!(&incremental.paragraph_analyses, &full.paragraph_analyses);
        }
        Ok(())
    });
    if let Err(error) = result {
        panic!("{kind:?}: {error}");
    }
    eprintln!("{kind:?}: the document stage ran because of {:?}", refusals.borrow());
    eprintln!("{kind:?}: parts run {:?}", parts_run.borrow());
    counts.get()
}

#[test]
fn carried_over_output_equals_full_analysis_after_keystrokes_in_plain_text() {
    let Carried { whole, partly, total, relinked, relinked_changed } =
        run_keystrokes(DocumentKind::PlainText, PLAIN_ARTICLE, 64);
    // The test is only worth something if every path is taken: the whole
    // output carried over, some parts carried over and others run, and the
    // whole stage run; entity linking re-linking some items, with its
    // output the same and changed. (On this short, dense article most
    // keystrokes still touch something the document stage read; see
    // docs/server.md.)
    eprintln!(
        "plain: carried over {whole} of {total}, partly {partly}; re-linked {relinked}, changing the linking {relinked_changed}"
    );
    assert!(whole > 0 && partly > 0 && whole + partly < total, "carried over {whole}, partly {partly}, of {total}");
    assert!(relinked > relinked_changed && relinked_changed > 0, "re-linked {relinked}, changed {relinked_changed}");
}

#[test]
fn carried_over_output_equals_full_analysis_after_keystrokes_in_markdown() {
    let Carried { whole, partly, total, relinked, relinked_changed } =
        run_keystrokes(DocumentKind::Markdown, MARKDOWN_ARTICLE, 48);
    eprintln!(
        "markdown: carried over {whole} of {total}, partly {partly}; re-linked {relinked}, changing the linking {relinked_changed}"
    );
    assert!(partly > 0 && whole + partly < total, "carried over {whole}, partly {partly}, of {total}");
    assert!(relinked > relinked_changed && relinked_changed > 0, "re-linked {relinked}, changed {relinked_changed}");
}

/// Drafts that exercise the rules whose document parts read around the
/// text: unbalanced quotes (a missing mark's place is found in the prose),
/// duplicate paragraphs, a first reference by family name, a title alone
/// near two people, a quote with no speaker, acronyms used before and
/// without their expansion (whose rule reads only the acronym facts), a
/// line one letter short of web debris ("Shre"), a family-first name whose
/// given name appears alone once a space or capital is typed, a title alone
/// that fits two people named too far back to choose (an ambiguous mention
/// that an edit removes without changing any entity).
const TRICKY_DRAFTS: &[&str] = &[
    "Ferry plan\nRiverside Gazette\n[]\nHe said \"we will go now and later on the ferry\nOkafor said it was late. \"Nobody asked.\n",
    "Ferry plan\nRiverside Gazette\n[]\nLindqvist met Deputy Mayor Ana Lindqvist and Transport Minister Park Ji Hoon. The minister said yes.\n\"It is a good plan for all of us here,\" said a source.\nThe council met on Monday to discuss the plan again.\nThe council met on Monday to discuss the plan again.\n",
    "# Ferry plan\n\nMr Okafor said the route was \"a vanity project.\n\n\"Nobody asked,\" he said. \"We will fight it in the courts and in the street, everywhere\"\n",
    "Port strike ends\nRiverside Gazette\n[]\nThe PWF called off the strike after talks with the UN. PWF members return on Monday.\nThe Harbour Safety Board (HSB) welcomed the deal; the HSB will review it.\nShre\n",
    "Summit talks\nRiverside Gazette\n[]\nNorth Korean leader Kim Jong Un met the envoy. Kim said talks would go on.\nChairmanUn told aides. Jong Un said no. Mr.Un agreed.\n",
    "Ferry talks\nRiverside Gazette\n[]\nTransport Minister Ana Lindqvist met Health Minister Park Ji Hoon on Monday.\nThe talks ran late into the night, covering the ferry timetable, the bridge tolls, the harbour dredging, the pilots' pay and the winter service to the outer islands, with officials from both departments taking notes throughout.\nOn Tuesday the minister said yes.\n",
];

#[test]
fn every_single_character_edit_of_tricky_drafts_equals_full_analysis() {
    let config = Config::default();
    let (mut carried, mut partly, mut relinked_count, mut relinked_changed) = (0, 0, 0, 0);
    for (index, draft) in TRICKY_DRAFTS.iter().enumerate() {
        let kind = if draft.starts_with('#') { DocumentKind::Markdown } else { DocumentKind::PlainText };
        for typed in [".", " ", "a", "\"", "U"] {
            // One Analyzer per draft and character: each edit is typed, checked,
            // then deleted again (two carried-over paths in a row when both hold).
            let mut analyzer = Analyzer::new();
            analyzer.analyze(draft, kind, &config);
            for at in (0..=draft.len()).filter(|&at| draft.is_char_boundary(at)) {
                let mut text = (*draft).to_owned();
                text.insert_str(at, typed);
                for version in [text.as_str(), draft] {
                    let incremental = analyzer.analyze(version, kind, &config);
                    carried += usize::from(analyzer.last_carried_output());
                    partly += usize::from(
                        !analyzer.last_carried_output() && analyzer.last_parts.label() != "entities+quotes+rules",
                    );
                    let (relinked_now, changed_now) = relinked(&analyzer);
                    relinked_count += relinked_now;
                    relinked_changed += changed_now;
                    let full = analyze_document(version, kind, &config);
                    assert_eq!(
                        incremental.analysis, full.analysis,
                        "draft {index}, {typed:?} at {at} (parts run: {:?})",
                        analyzer.last_parts
                    );
                }
            }
        }
    }
    eprintln!(
        "tricky drafts: carried over {carried} times, partly {partly} times; re-linked {relinked_count}, changing the linking {relinked_changed}"
    );
    assert!(carried > 0 && partly > 0);
    assert!(relinked_count > relinked_changed && relinked_changed > 0);
}
