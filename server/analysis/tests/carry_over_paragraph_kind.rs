//! A keystroke that changes the kind of the paragraph it edits: a subhead
//! ("a short line without closing punctuation" between blank lines) becomes
//! body text when a closing mark or a fifteenth word is typed, and a subhead
//! again when it is deleted. Entity and quote linking read a paragraph's kind
//! only through its facts, so they are carried over when those are the old
//! ones moved; every rule's document part runs. Each keystroke is compared
//! with a fresh analysis, and the test requires keystrokes that took that
//! path (rather than running the whole stage).

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
                }
                kinds = kinds_now;
                let full = analyze_document(version, DocumentKind::PlainText, &config);
                assert_eq!(incremental.analysis, full.analysis, "parts run: {parts:?}:\n{version}");
            }
        }
    }
    eprintln!(
        "{keystrokes} keystrokes, {kind_changed} changing their paragraph's kind with the linking carried over or re-linked"
    );
    assert!(kind_changed > 0, "no keystroke changed its paragraph's kind without running the whole stage");
}
