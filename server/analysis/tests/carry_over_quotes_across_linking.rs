//! Quote linking carried over across a change of entity linking's output
//! (`quotes::reach`): when a keystroke changes only entities that no quote
//! reads (not a speaker, no mention meeting a source or relay, no person's
//! mention where a "he" or "she" looks for one), the quotes are the old
//! ones moved and only the changed entities are swapped into the linking.
//! Names typed all over drafts with pronoun sources, an organisation that
//! speaks, and people named near and far from the quotes, each keystroke
//! compared with a fresh analysis; the test requires keystrokes that take
//! that path and keystrokes whose entity linking changed that it refuses.

use copydesk_analysis::{Analyzer, Config, DocumentKind, analyze_document};

/// Drafts written for this test (not from any corpus). In the first, "she"
/// has no earlier named speaker near it, so the nearest person named in its
/// window (from the union's statement two paragraphs up) speaks: a "Berg"
/// typed there, or in the paragraph between, makes Tom Berg the speaker. In the second, the Port Authority speaks and Mr Hale is
/// only named; in the third, a person named in narration far from any
/// quote gains and loses mentions.
const DRAFTS: &[&str] = &[
    "Ferry vote\nRiverside Gazette\n[]\nCouncillor Tom Berg proposed the vote last week.\nThe council met on Monday to discuss the ferry and the bridge.\nHarbour master Lena Okafor toured the pier.\nThe union said the crews were ready. The crews waited.\nLater the mayor arrived with the plans.\n\"We will sail at noon,\" she said.\nThe Harbour Board met on Friday.\n",
    "Port talks\nRiverside Gazette\n[]\nThe Port Authority said the talks would resume.\nSenator Paul Hale visited the docks on Tuesday.\nHale toured the cranes and met the crews.\n\"The cranes are old,\" a Port Authority spokesman said.\nThe Harbour Board will meet again in March.\n",
    "Bridge works\nRiverside Gazette\n[]\nEngineer Maria Lindqvist inspected the bridge.\nThe works will last a year.\nTraffic will move to the ferry.\nLindqvist said the steel was sound.\nThe ferry runs every hour.\nThe council approved the budget.\nMayor Ana Varga welcomed the news, saying: \"This is the best outcome.\"\n",
];

/// What is typed, one character at a time, at every word start of each
/// draft's body: names of people and organisations already in the drafts,
/// and an honorific (a gender for the person named after it).
const TYPED: &[&str] = &["Berg ", "Okafor ", "Hale ", "Mr ", "Authority ", "Lindqvist ", "Varga "];

#[test]
fn quotes_carried_across_a_linking_change_equal_a_full_analysis() {
    let config = Config::default();
    let (mut across, mut refused, mut keystrokes) = (0, 0, 0);
    for (index, draft) in DRAFTS.iter().enumerate() {
        // The body starts after the wire header's three lines.
        let body_start = draft.match_indices('\n').nth(2).map_or(0, |(offset, _)| offset + 1);
        let word_starts: Vec<usize> = (body_start..draft.len())
            .filter(|&at| at == body_start || draft.as_bytes()[at - 1] == b' ' || draft.as_bytes()[at - 1] == b'\n')
            .collect();
        for typed in TYPED {
            for &start in &word_starts {
                let mut analyzer = Analyzer::new();
                let mut text = (*draft).to_owned();
                analyzer.analyze(&text, DocumentKind::PlainText, &config);
                let mut at = start;
                for character in typed.chars() {
                    text.insert(at, character);
                    at += character.len_utf8();
                    let incremental = analyzer.analyze(&text, DocumentKind::PlainText, &config);
                    let parts = analyzer.last_parts;
                    keystrokes += 1;
                    across += usize::from(parts.quotes_across_linking_change);
                    refused += usize::from(parts.quotes == Some("entity linking changed"));
                    let full = analyze_document(&text, DocumentKind::PlainText, &config);
                    assert_eq!(
                        incremental.analysis, full.analysis,
                        "draft {index}, {typed:?} typed at {start}, after {character:?} (parts run: {parts:?}):\n{text}"
                    );
                }
            }
        }
    }
    eprintln!(
        "{keystrokes} keystrokes: quote linking carried across an entity linking change {across} times, run because entity linking changed {refused} times"
    );
    assert!(across > 0 && refused > 0, "carried across {across}, refused {refused}");
}
