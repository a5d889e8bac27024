//! The carried-over document stage on real copy: single characters typed and
//! deleted at random places in BBC politics articles (from
//! `../shared/corpus/bbc`, skipped with a message when absent), each result
//! compared with a from-scratch analysis. A short run for every test pass;
//! `cargo run --release -p copydesk-analysis --example carry_over_check`
//! runs the whole corpus.

mod shared;

use copydesk_analysis::{Analyzer, Config, DocumentKind, analyze_document};

/// Characters a writer types, letters most often.
const TYPED: &[&str] = &["e", "a", "t", "s", "n", "o", "e", "a", " ", ",", "\"", "K"];

#[test]
fn carried_over_output_equals_full_analysis_on_bbc_politics_articles() {
    let Some(paths) =
        shared::bbc_politics_articles("carried_over_output_equals_full_analysis_on_bbc_politics_articles")
    else {
        return;
    };
    let config = Config::default();
    let (mut carried, mut partly, mut total) = (0, 0, 0);
    // Keystrokes whose entity linking re-linked only the items the edit
    // could reach, those whose entity linking then changed, and the items
    // re-linked against all the draft's items.
    let (mut relinked, mut relinked_changed, mut items_relinked, mut items_then) = (0, 0, 0, 0);
    // A small deterministic generator (xorshift), so a failure can be repeated.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below.max(1) as u64) as usize
    };
    for path in paths.iter().take(40) {
        let Ok(mut text) = std::fs::read_to_string(path) else { continue };
        let mut analyzer = Analyzer::new();
        analyzer.analyze(&text, DocumentKind::PlainText, &config);
        // A few keystrokes in a row at one place (typing a word), then elsewhere.
        for _ in 0..3 {
            let mut at = next(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            for _ in 0..4 {
                if next(5) == 0 {
                    if let Some(previous) = text[..at].chars().next_back() {
                        at -= previous.len_utf8();
                        text.replace_range(at..at + previous.len_utf8(), "");
                    }
                } else {
                    let typed = TYPED[next(TYPED.len())];
                    text.insert_str(at, typed);
                    at += typed.len();
                }
                let incremental = analyzer.analyze(&text, DocumentKind::PlainText, &config);
                carried += usize::from(analyzer.last_carried_output());
                partly += usize::from(
                    !analyzer.last_carried_output() && analyzer.last_parts.label() != "entities+quotes+rules",
                );
                total += 1;
                let full = analyze_document(&text, DocumentKind::PlainText, &config);
                if let Some(items) = analyzer.last_parts.entities_relinked {
                    relinked += 1;
                    relinked_changed += usize::from(
                        analyzer.last_parts.quotes == Some("entity linking changed")
                            || analyzer.last_parts.quotes_across_linking_change,
                    );
                    items_relinked += items;
                    items_then += full
                        .paragraph_analyses
                        .iter()
                        .map(|analysis| analysis.entities.mentions.len() + analysis.entities.other_capitalized.len())
                        .sum::<usize>();
                }
                assert_eq!(
                    incremental.analysis,
                    full.analysis,
                    "{} after an edit at byte {at} (parts run: {:?})",
                    path.display(),
                    analyzer.last_parts
                );
            }
        }
    }
    eprintln!(
        "carried over {carried} of {total} keystrokes, partly {partly}; entity linking re-linked some items on {relinked} ({relinked_changed} changing it): {items_relinked} items of {items_then}"
    );
    assert!(relinked > relinked_changed && relinked_changed > 0, "re-linked {relinked}, changed {relinked_changed}");
    assert!(items_relinked < items_then, "re-linking linked every item again");
    assert!(carried > 0, "the carried-over path was never taken");
    assert!(partly > 0, "no keystroke carried some parts of the stage over and ran the others");
}
