//! A keystroke that changes the kind of the paragraph it edits: a subhead
//! ("a short line without closing punctuation" between blank lines) becomes
//! body text when a closing mark or a fifteenth word is typed, and a subhead
//! again when it is deleted. Entity and quote linking read a paragraph's kind
//! only through its facts, so they are carried over when those are the old
//! ones moved. A rule's document part runs again only when it reads the
//! kind that changed (`rules::KindReads`): one that reads kinds at the
//! mentions it looks at runs on the entities named in the paragraph alone,
//! and the findings are merged rather than put together again. Each
//! keystroke is compared with a fresh analysis (in a debug build each run
//! on some entities alone is also compared with a run on every entity),
//! and the test requires keystrokes that took those paths.

use copydesk_analysis::pipeline::Assembly;
use copydesk_analysis::rules::RULES;
use copydesk_analysis::{Analyzer, Config, DocumentKind, analyze_document};

/// A draft written for this test (not from any corpus), with subheads
/// between body paragraphs that quote, name people and use an acronym; the
/// third subhead names the mayor by her given name, which
/// `given-name-as-surname` reports in body text only, and the last cites
/// vague sources, which `vague-source` reports in body text only.
const DRAFT: &str = "Harbour plan\nRiverside Gazette\n[]\n\
The Harbour Board (HB) met on Monday. \"We will dredge in May,\" chairman Lorne Berg said.\n\
\n\
Dredging begins\n\
\n\
Berg said the HB had the money. Mayor Ana Varga agreed.\n\
\n\
Crews wait for word\n\
\n\
\"Nobody told us,\" a crew member said. Varga said talks would go on.\n\
\n\
Ana answers critics\n\
\n\
Officials said the plan was sound.\n\
\n\
Officials said talks would go on\n\
\n\
The Harbour Board meets in June.\n";

/// Typed at the end of each subhead, one character at a time: closing
/// marks (body text), then more words (past fourteen, body text too).
const TYPED: &[&str] = &[" soon.", " \"now\"", " says Berg", " and the island said yes again and again and again"];

#[test]
fn a_keystroke_changing_its_paragraphs_kind_carries_the_linking_over() {
    let config = Config::default();
    let (mut kind_changed, mut keystrokes) = (0, 0);
    // Keystrokes changing the kind after which some rule was carried over
    // and the findings were not put together again; and those after which
    // some rule ran on the paragraph's entities alone.
    let (mut rules_carried, mut rules_per_entity) = (0, 0);
    let every_rule = (1u32 << RULES.len()) - 1;
    for subhead in ["Dredging begins", "Crews wait for word", "Ana answers critics", "Officials said talks would go on"]
    {
        let end = DRAFT.find(subhead).map(|start| start + subhead.len()).expect("the subhead is in the draft");
        for typed in TYPED {
            let mut analyzer = Analyzer::new();
            let mut text = DRAFT.to_owned();
            let first = analyzer.analyze(&text, DocumentKind::PlainText, &config);
            let mut kinds: Vec<_> = first.layout.paragraphs.iter().map(|paragraph| paragraph.kind).collect();
            let mut at = end;
            // Typed, then deleted again character by character.
            let mut versions = Vec::new();
            for character in typed.chars() {
                text.insert(at, character);
                at += character.len_utf8();
                versions.push(text.clone());
            }
            versions.extend(versions.clone().into_iter().rev().skip(1));
            versions.push(DRAFT.to_owned());
            for version in &versions {
                let incremental = analyzer.analyze(version, DocumentKind::PlainText, &config);
                let parts = analyzer.last_parts;
                keystrokes += 1;
                // The edited paragraph's kind changed, and the linking was
                // carried over (or re-linked), not run over the whole draft.
                let kinds_now: Vec<_> = incremental.layout.paragraphs.iter().map(|paragraph| paragraph.kind).collect();
                if kinds_now != kinds && parts.entities.is_none() {
                    kind_changed += 1;
                    if parts.rules_ran & every_rule != every_rule && parts.assembly != Assembly::Full {
                        rules_carried += 1;
                    }
                    if parts.rules_per_entity != 0 {
                        rules_per_entity += 1;
                    }
                }
                kinds = kinds_now;
                let full = analyze_document(version, DocumentKind::PlainText, &config);
                assert_eq!(incremental.analysis, full.analysis, "parts run: {parts:?}:\n{version}");
            }
        }
    }
    eprintln!(
        "{keystrokes} keystrokes, {kind_changed} changing their paragraph's kind with the linking carried over or re-linked; after {rules_carried} some rule was carried over, after {rules_per_entity} some ran per entity"
    );
    assert!(kind_changed > 0, "no keystroke changed its paragraph's kind without running the whole stage");
    // Most such keystrokes leave most rules as they were: at least half
    // carry some rule over.
    assert!(2 * rules_carried >= kind_changed, "{rules_carried} of {kind_changed} carried a rule over");
    assert!(rules_per_entity > 0, "no rule ran on the entities named in a paragraph whose kind changed");
}

/// A draft written for this test (not from any corpus) whose subheads each
/// hold what one rule that reads paragraph kinds reports in body text
/// only: a quote with no source (`unattributed-quote`), a family name
/// before the full name (`incomplete-first-reference`), a family-first
/// person called by the given name (`given-name-as-surname`), a full name
/// repeated (`repeated-full-name`), a name spelled a second way
/// (`inconsistent-spelling`, and `repeated-full-name` again).
const SUBHEADS_DRAFT: &str = "Ferry plan\nRiverside Gazette\n[]\n\
\n\
\"We were never asked about any of the dredging\" was painted on the gate\n\
\n\
Transport Minister Kim Jong Su met harbour chief Lars Holm on Monday. Kim said the ferries would run.\n\
\n\
Crews wait as Sato said no to the plan\n\
\n\
Then Mr Jong Su said the boats were idle\n\
\n\
Lars Holm visits the docks\n\
\n\
Kim Jong-su tours the ferry sheds\n\
\n\
The engineer Ken Sato said the plan was sound. Holm agreed.\n";

/// Each subhead of [`SUBHEADS_DRAFT`] with the rules that report in it once
/// it is body text.
const SUBHEADS: &[(&str, &[&str])] = &[
    ("on the gate", &["unattributed-quote"]),
    ("to the plan", &["incomplete-first-reference"]),
    ("were idle", &["given-name-as-surname"]),
    ("the docks", &["repeated-full-name"]),
    ("ferry sheds", &["inconsistent-spelling", "repeated-full-name"]),
];

/// The codes of the diagnostics starting in the paragraph that holds `offset`.
fn codes_in_paragraph(text: &str, offset: usize, analysis: &copydesk_analysis::Analysis) -> Vec<&'static str> {
    let start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |at| offset + at);
    analysis
        .diagnostics
        .iter()
        .filter(|diagnostic| start <= diagnostic.span.start && diagnostic.span.start <= end)
        .map(|diagnostic| diagnostic.code)
        .collect()
}

#[test]
fn each_rule_reading_kinds_finds_what_a_subhead_turned_body_text_holds() {
    let config = Config::default();
    for (subhead_end, codes) in SUBHEADS {
        let end = SUBHEADS_DRAFT.find(subhead_end).map(|start| start + subhead_end.len()).expect("in the draft");
        let before = analyze_document(SUBHEADS_DRAFT, DocumentKind::PlainText, &config);
        let found_before = codes_in_paragraph(SUBHEADS_DRAFT, end, &before.analysis);
        assert!(codes.iter().all(|code| !found_before.contains(code)), "{subhead_end}: {found_before:?} in a subhead");
        let mut analyzer = Analyzer::new();
        let mut text = SUBHEADS_DRAFT.to_owned();
        analyzer.analyze(&text, DocumentKind::PlainText, &config);
        let mut versions = Vec::new();
        for (typed, character) in " today.".chars().enumerate() {
            text.insert(end + typed, character);
            versions.push(text.clone());
        }
        let body_text = text.clone();
        versions.extend(versions.clone().into_iter().rev().skip(1));
        versions.push(SUBHEADS_DRAFT.to_owned());
        for version in &versions {
            let incremental = analyzer.analyze(version, DocumentKind::PlainText, &config);
            let parts = analyzer.last_parts;
            let full = analyze_document(version, DocumentKind::PlainText, &config);
            assert_eq!(incremental.analysis, full.analysis, "parts run: {parts:?}:\n{version}");
            if *version == body_text {
                let found = codes_in_paragraph(version, end, &full.analysis);
                assert!(codes.iter().all(|code| found.contains(code)), "{subhead_end}: {found:?} in body text");
            }
        }
    }
}
