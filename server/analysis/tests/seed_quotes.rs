//! Acceptance: the seed article's quotes and attributions (`../shared/seed/EXPECTED.md`).
//!
//! The seed lives outside the repository; the test prints a skip message and
//! passes when it is absent. Spans are located by short needles, never by
//! copying the article's sentences.

mod shared;

use copydesk_analysis::{Analysis, Config, DocumentKind, Quote, SourceKind, analyze};

fn seed() -> Option<(String, Analysis)> {
    let (_, text) = shared::seed_article("the seed quotes test")?;
    let analysis = analyze(&text, DocumentKind::PlainText, &Config::default());
    Some((text, analysis))
}

/// The quote whose text contains `needle` and has the given directness.
fn quote<'a>(analysis: &'a Analysis, needle: &str, direct: bool) -> &'a Quote {
    analysis
        .quotes
        .iter()
        .find(|quote| quote.direct == direct && quote.text.contains(needle))
        .unwrap_or_else(|| panic!("no {} quote containing {needle:?}", if direct { "direct" } else { "reported" }))
}

fn source(quote: &Quote) -> &str {
    quote.source_mention.as_ref().map_or("", |source| source.text.as_str())
}

/// The speaker's name, when the entity analysis linked one.
fn speaker_name<'a>(analysis: &'a Analysis, quote: &Quote) -> Option<&'a str> {
    quote.speaker.as_deref().and_then(|id| analysis.entity(id)).map(|entity| entity.name.as_str())
}

#[test]
fn direct_quotes_and_their_sources() {
    let Some((_, analysis)) = seed() else { return };
    let fragment = quote(&analysis, "a schedule of political contacts.\"", true);
    assert!(fragment.text.starts_with('"'), "{fragment:?}");
    assert_eq!(source(fragment), "Yonhap");
    assert_eq!(fragment.source_kind, SourceKind::Agency);

    let broken = quote(&analysis, "practical areas,\"", true);
    assert!(broken.text.starts_with("The two sides"), "the broken quote starts the paragraph: {broken:?}");
    assert!(source(broken).ends_with("foreign ministry"), "{broken:?}");
    assert_eq!(broken.source_kind, SourceKind::Organization);

    let gangster = quote(&analysis, "gangster-like stand", true);
    assert_eq!(source(gangster), "She");
    assert_eq!(gangster.source_kind, SourceKind::Person);

    let curly = quote(&analysis, "We have no intention", true);
    assert!(curly.text.starts_with('\u{201c}') && curly.text.ends_with('\u{201d}'));
    assert_eq!(source(curly), "Choe");
    assert!(curly.cue.as_ref().is_some_and(|cue| cue.text.starts_with("quoted")), "{curly:?}");

    assert_eq!(analysis.quotes.iter().filter(|quote| quote.direct).count(), 4, "exactly four direct quotes");

    // With the entity analysis in place, speakers and relays link to entities.
    if !analysis.entities.is_empty() {
        assert!(speaker_name(&analysis, gangster).is_some_and(|name| name.contains("Choe")), "{gangster:?}");
        assert!(speaker_name(&analysis, curly).is_some_and(|name| name.contains("Choe")), "{curly:?}");
        assert!(!gangster.via.is_empty(), "relayed by Tass and AP: {gangster:?}");
    }
}

#[test]
fn reported_speech_and_its_sources() {
    let Some((_, analysis)) = seed() else { return };
    let yonhap = analysis.quotes.iter().filter(|quote| !quote.direct && source(quote) == "Yonhap").count();
    assert_eq!(yonhap, 3, "Yonhap is the source three times");
    assert!(source(quote(&analysis, "members to stay united", false)).ends_with("Stephen Biegun"));
    assert!(source(quote(&analysis, "to remain patient", false)).ends_with("Li Keqiang"));
    let noted = quote(&analysis, "issue is very complex", false);
    assert_eq!(source(noted), "He");
    assert!(noted.text.starts_with("that"));
    assert_eq!(source(quote(&analysis, "China is committed", false)), "He");
    assert!(source(quote(&analysis, "considering suspending talks", false)).ends_with("Choe Son Hui"));
    assert_eq!(source(quote(&analysis, "top U.S. officials", false)), "She");
    assert_eq!(source(quote(&analysis, "official announcement", false)), "Choe");
    let credit = quote(&analysis, "With input from", false);
    assert_eq!(source(credit), "Reuters");
    assert_eq!(credit.source_kind, SourceKind::Agency);
    if !analysis.entities.is_empty() {
        let noted_speaker = speaker_name(&analysis, noted);
        assert!(noted_speaker.is_some_and(|name| name.contains("Li Keqiang")), "{noted:?}");
    }
}

#[test]
fn subheads_are_not_quotes() {
    let Some((text, analysis)) = seed() else { return };
    for needle in ["All parties should remain patient", "puts the situation in danger"] {
        let start = text.find(needle).expect("subhead present");
        assert!(
            !analysis.quotes.iter().any(|quote| quote.span.start <= start && start < quote.span.end),
            "the subhead {needle:?} is not a quote"
        );
    }
}
