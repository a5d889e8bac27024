//! The idle work between keystrokes (`Analyzer::prepare_next_edit`).
//!
//! A keystroke that runs the whole document stage (a paste, a paragraph
//! added) leaves no record of what entity linking's items depend on, so the
//! next keystroke that changes a mention used to link every item of the
//! draft again. The server now records them once the diagnostics are out;
//! the keystroke after that must link again only the items it reaches, and
//! give exactly what a fresh analysis gives. The same sequence without the
//! idle work is the control: it must link the whole draft, or this test
//! would not be testing what the idle work adds.
use copydesk_analysis::{Analyzer, Config, DocumentKind, analyze_document};

/// A draft written for this test (not from any corpus): people, a place,
/// a quote, enough for entity linking to have items on both sides of the
/// edits.
const DRAFT: &str = "Ferry talks stall in Riverside\n\
Harbour Commissioner Ulla Brandvik met Transport Minister Kim Jong Su on Monday.\n\
Kim said the ferries would run. Brandvik said the board would wait.\n\
\"We will not sail until the captains agree,\" Brandvik said.\n\
The talks were also attended by Deputy Mayor Tomas Ek of Riverside.\n\
Ek said the vote would come in May, and Councillor Maria Oduya agreed.\n";

/// A paragraph pasted in one edit: longer than the carried path takes, so
/// the whole stage runs.
const PASTED: &str = "Councillor Maria Oduya said the harbour board had not met since the storm in March.\n";

/// What the keystrokes after the paste did: whether each one linked only
/// some items again (`StageParts::entities_relinked`), and why entity
/// linking ran (`None`: carried over).
#[derive(Debug, PartialEq)]
struct AfterPaste {
    paste_ran_whole_stage: bool,
    relinked: Vec<bool>,
    entity_reasons: Vec<Option<&'static str>>,
}

/// Pastes a paragraph, then types a capitalised word into the sentence
/// after it, one character at a time; with `idle`, the idle work runs after
/// every analysis, as the server runs it once the diagnostics are out.
/// Every keystroke must equal a fresh analysis.
fn paste_then_type(idle: bool) -> AfterPaste {
    let config = Config::default();
    let mut analyzer = Analyzer::new();
    let mut text = DRAFT.to_owned();
    analyzer.analyze(&text, DocumentKind::PlainText, &config);
    if idle {
        assert!(analyzer.prepare_next_edit(&config), "the first analysis records no dependencies itself");
        assert!(!analyzer.prepare_next_edit(&config), "the dependencies are recorded once");
    }
    let paste_at = text.find("The talks").expect("the draft has the sentence");
    text.insert_str(paste_at, PASTED);
    let pasted = analyzer.analyze(&text, DocumentKind::PlainText, &config);
    assert_eq!(pasted.analysis, analyze_document(&text, DocumentKind::PlainText, &config).analysis);
    let paste_ran_whole_stage =
        analyzer.last_parts.entities.is_some() && analyzer.last_parts.entities_relinked.is_none();
    if idle {
        assert!(analyzer.prepare_next_edit(&config), "the paste ran the whole stage, which records none");
        // Not for another configuration than the analysis ran under.
        let other =
            Config { spellings: [("harbour".to_owned(), vec!["harbor".to_owned()])].into(), ..Config::default() };
        assert!(!analyzer.prepare_next_edit(&other));
    }
    let mut at = text.find("attended by").expect("the draft has the words") + "attended by ".len();
    let mut relinked = Vec::new();
    let mut entity_reasons = Vec::new();
    for character in "Mr Lund and ".chars() {
        text.insert(at, character);
        at += character.len_utf8();
        let analysis = analyzer.analyze(&text, DocumentKind::PlainText, &config);
        assert_eq!(
            analysis.analysis,
            analyze_document(&text, DocumentKind::PlainText, &config).analysis,
            "typing {character:?} before byte {at} (idle work: {idle})"
        );
        relinked.push(analyzer.last_parts.entities_relinked.is_some());
        entity_reasons.push(analyzer.last_parts.entities);
        if idle {
            analyzer.prepare_next_edit(&config);
        }
    }
    AfterPaste { paste_ran_whole_stage, relinked, entity_reasons }
}

#[test]
fn after_a_whole_stage_the_idle_work_lets_the_next_mention_link_only_what_it_reaches() {
    let with_idle = paste_then_type(true);
    let without = paste_then_type(false);
    assert!(with_idle.paste_ran_whole_stage && without.paste_ran_whole_stage, "{with_idle:?} {without:?}");
    // The same keystrokes changed entity linking's inputs either way.
    assert_eq!(with_idle.entity_reasons, without.entity_reasons);
    let first_linking = without.entity_reasons.iter().position(Option::is_some).expect("a keystroke changed a mention");
    // Without the idle work, the first keystroke that changes a mention
    // links the whole draft (and records the dependencies for the next).
    assert!(!without.relinked[first_linking], "{without:?}");
    // With it, that keystroke already links only what it reaches.
    assert!(with_idle.relinked[first_linking], "{with_idle:?}");
    // After that first one the two sequences are alike.
    assert_eq!(with_idle.relinked[first_linking + 1..], without.relinked[first_linking + 1..]);
}

/// The server runs the idle work without holding the analyzer, while the
/// writer types on. A keystroke that runs entity linking meanwhile makes
/// its result one for an older linking, which must be dropped; one that
/// carries entity linking over leaves the items as they were, and the
/// result is kept. The keystrokes after either must be exact.
#[test]
fn idle_work_is_dropped_after_entity_linking_ran_and_kept_after_it_was_carried_over() {
    let config = Config::default();
    let fresh = |text: &str| analyze_document(text, DocumentKind::PlainText, &config).analysis;
    let mut analyzer = Analyzer::new();
    let mut text = DRAFT.to_owned();
    analyzer.analyze(&text, DocumentKind::PlainText, &config);

    // A capitalised word typed: entity linking runs (in full, as nothing
    // was recorded), and the result taken before it is dropped.
    let preparation = analyzer.next_edit_preparation(&config).expect("the first analysis leaves idle work");
    let at = text.find("attended by").expect("the draft has the words") + "attended by ".len();
    text.insert(at, 'M');
    analyzer.analyze(&text, DocumentKind::PlainText, &config);
    assert!(analyzer.last_parts.entities.is_some(), "{:?}", analyzer.last_parts);
    assert!(!analyzer.install_prepared(preparation.run(&config)), "the result describes the linking before the M");
    assert!(!analyzer.next_edit_work_waiting(&config), "the full linking recorded the dependencies itself");

    // A paste runs the whole stage; then letters typed inside a word with
    // no name in it carry entity linking over, and the result taken before
    // them is kept.
    let paste_at = text.find("The talks").expect("the draft has the sentence");
    text.insert_str(paste_at, PASTED);
    analyzer.analyze(&text, DocumentKind::PlainText, &config);
    let preparation = analyzer.next_edit_preparation(&config).expect("the paste leaves idle work");
    let at = text.find("ferries would").expect("the draft has the words") + "ferr".len();
    for (offset, character) in "ie".char_indices() {
        text.insert(at + offset, character);
        let analysis = analyzer.analyze(&text, DocumentKind::PlainText, &config);
        assert_eq!(analyzer.last_parts.entities, None, "typing {character:?} carries entity linking over");
        assert_eq!(analysis.analysis, fresh(&text));
    }
    assert!(analyzer.install_prepared(preparation.run(&config)), "entity linking did not run since it was taken");
    assert!(!analyzer.next_edit_work_waiting(&config));

    // The next mention typed links only what it reaches, exactly.
    let mut at = text.find("attended by M").expect("the draft has the words") + "attended by M".len();
    let mut relinked = 0;
    for character in "r Lund and ".chars() {
        text.insert(at, character);
        at += character.len_utf8();
        let analysis = analyzer.analyze(&text, DocumentKind::PlainText, &config);
        assert_eq!(analysis.analysis, fresh(&text), "typing {character:?}");
        relinked += usize::from(analyzer.last_parts.entities_relinked.is_some());
        if analyzer.last_parts.entities.is_some() {
            assert!(analyzer.last_parts.entities_relinked.is_some(), "{:?}", analyzer.last_parts);
        }
    }
    assert!(relinked > 0);
}

/// A paragraph added carries entity linking over with its items at new
/// positions: dependencies recorded for the old positions must be dropped,
/// or the next mention typed would be linked against the wrong paragraphs.
#[test]
fn idle_work_taken_before_a_paragraph_is_added_is_dropped() {
    let config = Config::default();
    let mut analyzer = Analyzer::new();
    let mut text = DRAFT.replace('\n', "\n\n");
    analyzer.analyze(&text, DocumentKind::PlainText, &config);
    let preparation = analyzer.next_edit_preparation(&config).expect("the first analysis leaves idle work");
    let at = text.find("\n\nThe talks").expect("the draft has the sentence") + 1;
    text.insert(at, '\n');
    analyzer.analyze(&text, DocumentKind::PlainText, &config);
    text.insert(at + 1, 'x');
    let analysis = analyzer.analyze(&text, DocumentKind::PlainText, &config);
    assert_eq!(analysis.analysis, analyze_document(&text, DocumentKind::PlainText, &config).analysis);
    assert!(analyzer.last_parts.paragraphs_renumbered, "{:?}", analyzer.last_parts);
    assert!(!analyzer.install_prepared(preparation.run(&config)), "the result numbers the paragraphs as before");
}
