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
                full.layout.paragraphs.iter().map(|paragraph| (paragraph.kind, paragraph.prose.as_str())).collect();
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
