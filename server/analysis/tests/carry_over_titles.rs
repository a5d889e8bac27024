//! Title-alone references ("the minister") and the people carrying titles,
//! across keystrokes.
//!
//! A title alone names the person who carries that title word and was
//! named last, nearby; so every person titled "minister" bears on every
//! "the minister". Entity linking resolves these references after its two
//! passes (`entities::linking::resolve_titles`), which keeps them out of
//! the linking's components: a keystroke in one minister's name links
//! again that minister's items, not every minister's, and the references
//! are resolved again from the first place the keystroke changed a titled
//! person. Each keystroke here must give what a fresh analysis gives, and
//! the ones in a name must link again only a few items, or the title
//! would still join the ministers into one component.
use copydesk_analysis::{Analyzer, Config, DocumentKind, MentionForm, analyze_document};

#[path = "shared/keystrokes.rs"]
mod keystrokes;
use keystrokes::type_then_delete;

/// Given and family names for the generated cabinet (made up for this
/// test): 24 ministers, each with a portfolio, named once with the title
/// and then by family name alone.
const GIVEN: &[&str] = &["Ana", "Tomas", "Rosa", "Ivo", "Lena", "Pavel", "Mira", "Oskar"];
const FAMILY: &[&str] = &["Lindqvist", "Okafor", "Diallo", "Marek", "Sandoval", "Brandvik", "Quist", "Ferrand"];
const PORTFOLIOS: &[&str] = &["Finance", "Transport", "Health"];

/// A plain-text draft: a headline, then a paragraph per minister, some
/// followed by "the minister" (right after, so that it names them), and a
/// last paragraph far from every minister, where "the minister" is
/// ambiguous.
fn cabinet_draft() -> String {
    let mut draft = String::from("Cabinet reshuffle\nRiverside Gazette\n[]\n");
    let mut count = 0;
    for portfolio in PORTFOLIOS {
        for (given, family) in GIVEN.iter().zip(FAMILY) {
            let given = format!("{given}{}", ["", "a", "o"][count % 3]);
            draft.push_str(&format!(
                "{portfolio} Minister {given} {family} spoke on Monday. {family} said the plan was sound."
            ));
            if count % 4 == 0 {
                draft.push_str(" The minister said more later.");
            }
            draft.push('\n');
            count += 1;
        }
    }
    draft.push_str(&"The committee heard evidence all week from officials and residents alike. ".repeat(5));
    draft.push_str("On Friday the minister said nothing.\n");
    draft
}

/// Analyses `draft` with one `Analyzer` (its dependencies recorded, as the
/// server's idle work does), types `piece` at `at` and takes it back,
/// comparing every keystroke with a fresh analysis; returns the most items
/// a keystroke linked again and how many keystrokes linked some again.
fn type_into(draft: &str, at: usize, piece: &str) -> (usize, usize) {
    let config = Config::default();
    let mut analyzer = Analyzer::new();
    analyzer.analyze(draft, DocumentKind::PlainText, &config);
    analyzer.prepare_next_edit(&config);
    let (mut most, mut relinks) = (0, 0);
    let mut text = draft.to_owned();
    type_then_delete(&mut text, at, piece, |text| {
        let incremental = analyzer.analyze(text, DocumentKind::PlainText, &config);
        let full = analyze_document(text, DocumentKind::PlainText, &config);
        assert_eq!(incremental.analysis, full.analysis, "typing {piece:?} at {at}: {text:?}");
        if let Some(items) = analyzer.last_parts.entities_relinked {
            most = most.max(items);
            relinks += 1;
        }
        analyzer.prepare_next_edit(&config);
    });
    (most, relinks)
}

/// How many title-alone mentions the analysis gave a person, and how many
/// are ambiguous.
fn title_mentions(text: &str) -> (usize, usize) {
    let analysis = analyze_document(text, DocumentKind::PlainText, &Config::default()).analysis;
    let given = analysis
        .entities
        .iter()
        .flat_map(|entity| &entity.mentions)
        .filter(|mention| mention.form == MentionForm::Title)
        .count();
    let ambiguous = analysis.ambiguous_mentions.iter().filter(|ambiguous| ambiguous.text.contains("minister")).count();
    (given, ambiguous)
}

#[test]
fn the_draft_resolves_titles_both_ways() {
    // The fixture must hold both kinds of title reference, or the tests
    // below would not test their resolution.
    let (given, ambiguous) = title_mentions(&cabinet_draft());
    assert!(given >= 5, "{given} title mentions given to a minister");
    assert_eq!(ambiguous, 1, "the last paragraph's minister is ambiguous");
}

#[test]
fn a_keystroke_in_a_ministers_name_links_again_only_that_ministers_items() {
    let draft = cabinet_draft();
    // Into the family name of the ninth minister ("Transport Minister
    // Anao Lindqvist"): the name changes, so the person does, with every
    // later "the minister" resolved again.
    let name = "Lindqvist spoke";
    let at = draft.match_indices(name).nth(1).expect("the fixture names the minister").0 + "Lindqv".len();
    let (most, relinks) = type_into(&draft, at, "zz");
    assert!(relinks >= 3, "{relinks} keystrokes linked some items again");
    // Lindqvist is named three times as a minister (once per portfolio) and
    // once more by family name each time: the 24 ministers' items, which a
    // title word joined into one component, are about 50.
    assert!(most <= 8, "a keystroke linked {most} items again");
}

#[test]
fn keystrokes_that_change_who_a_title_names_equal_a_fresh_analysis() {
    let draft = cabinet_draft();
    // A new minister named right before the ambiguous "the minister" of
    // the last paragraph: it then names the new one.
    let last = draft.rfind("On Friday").expect("the fixture's last sentence");
    type_into(&draft, last, "Trade Minister Nils Berg arrived. ");
    // The title taken off a minister named just before "The minister",
    // letter by letter ("Minister" -> "Ministe" -> ... ): that reference
    // then names someone else or no one.
    let title = draft.find("Health Minister").expect("the fixture's third portfolio") + "Health ".len();
    let mut text = draft.clone();
    let config = Config::default();
    let mut analyzer = Analyzer::new();
    analyzer.analyze(&text, DocumentKind::PlainText, &config);
    analyzer.prepare_next_edit(&config);
    for _ in 0.."Minister".len() {
        text.remove(title);
        let incremental = analyzer.analyze(&text, DocumentKind::PlainText, &config);
        let full = analyze_document(&text, DocumentKind::PlainText, &config);
        assert_eq!(incremental.analysis, full.analysis, "after deleting at {title}: {text:?}");
        analyzer.prepare_next_edit(&config);
    }
    // And a title-alone reference typed and taken back where it names the
    // minister just before it.
    let first_paragraph_end = draft.find('\n').expect("a headline") + 1;
    let second_line_end = first_paragraph_end + draft[first_paragraph_end..].find('\n').expect("an outlet line");
    let body = second_line_end + 4;
    let sentence_end = body + draft[body..].find(". ").expect("a first sentence") + 2;
    type_into(&draft, sentence_end, "The minister agreed. ");
}

#[test]
fn a_title_given_to_an_earlier_person_makes_later_references_ambiguous() {
    // "The minister", twice, names the only minister, though she was named
    // long before. Typing a title before the other person, named first,
    // makes both references ambiguous: each is too far from both people.
    // Resolving them again must not read the minister's old title
    // mentions, or the second reference would still name her (the first,
    // just before it, would look like her last mention).
    let filler = "The committee heard evidence all week from officials and residents alike. ".repeat(4);
    let draft = format!(
        "Talks\nRiverside Gazette\n[]\nRosa Diallo spoke on Monday.\nFinance Minister Ivo Marek spoke on Monday.\n{filler}\nThe minister said yes. The minister said no.\n"
    );
    assert_eq!(title_mentions(&draft), (2, 0));
    let titled = draft.replace("Rosa Diallo", "Health Minister Rosa Diallo");
    assert_eq!(title_mentions(&titled), (0, 2));
    let at = draft.find("Rosa Diallo").expect("the fixture names her");
    let (_, relinks) = type_into(&draft, at, "Health Minister ");
    assert!(relinks > 0, "no keystroke linked items again");
}

#[test]
fn every_edit_near_titles_equals_a_fresh_analysis() {
    // A short draft edited everywhere: two people carry "minister", one
    // "the minister" names the nearer one, another is too far from both.
    let draft = "Talks\nRiverside Gazette\n[]\nHealth Minister Rosa Diallo met Finance Minister Ivo Marek. The minister said yes.\n\
The committee heard evidence all week from officials and residents alike, and from every union and business group in the city.\n\
Later the minister said no. Diallo agreed.\n";
    let config = Config::default();
    for typed in ["x", " ", "M"] {
        let mut analyzer = Analyzer::new();
        analyzer.analyze(draft, DocumentKind::PlainText, &config);
        analyzer.prepare_next_edit(&config);
        for at in (0..=draft.len()).filter(|&at| draft.is_char_boundary(at)) {
            let mut text = draft.to_owned();
            text.insert_str(at, typed);
            for version in [text.as_str(), draft] {
                let incremental = analyzer.analyze(version, DocumentKind::PlainText, &config);
                let full = analyze_document(version, DocumentKind::PlainText, &config);
                assert_eq!(incremental.analysis, full.analysis, "{typed:?} at {at}");
                analyzer.prepare_next_edit(&config);
            }
        }
    }
}
