//! The rules whose document parts run per entity (`inconsistent-spelling`,
//! `given-name-as-surname`, `inconsistent-title`, `incomplete-first-reference`)
//! running, after a keystroke
//! that changed the linking at a few entities only, on those entities
//! alone, every other entity's findings carried over
//! (`StageParts::rules_per_entity`). Typing sentences that add a person,
//! spell a name a second way, call a family-first person by the given name
//! and give a person a second title, character by character, into drafts
//! with people all around, must give what a fresh analysis gives; and
//! enough of those keystrokes must take the per-entity path with those
//! rules' findings changing, or this test would not be testing it. (In
//! debug builds the pipeline also checks every per-entity run against a
//! run over every entity.)

use copydesk_analysis::{Analysis, Analyzer, Config, DocumentKind, analyze_document};

#[path = "shared/keystrokes.rs"]
mod keystrokes;
use keystrokes::{type_and_take_back, type_and_take_back_at};

/// A plain-text draft written for this test (not from any corpus): people
/// before and after the places typed into, one of them named family first,
/// and a person introduced after them with a finding of each rule that
/// runs per entity (a second spelling, a given name used as the family
/// name, a second title), whose position moves when a person is added.
const PLAIN_DRAFT: &str = "Ferry talks stall in Riverside\n\
Riverside Gazette\n\
Harbour Commissioner Ulla Brandvik met Transport Minister Kim Jong Su on Monday.\n\
Kim said the ferries would run. Brandvik said the board would wait.\n\
The talks were also attended by Deputy Mayor Tomas Ek of Riverside.\n\
Ek said the vote would come in May, and Councillor Maria Oduya agreed.\n\
Oduya said the captains had not been asked. Kim left early.\n\
Trade Envoy Park Min Ho arrived after the vote. Park Min-ho said the ferries mattered. Mr Min Ho took no questions.\n\
Senior Envoy Park Min Ho left on Tuesday.\n\
The captains asked for Park\n";

/// The same people in Markdown.
const MARKDOWN_DRAFT: &str = "# Ferry talks stall in Riverside\n\
\n\
Harbour Commissioner Ulla Brandvik met Transport Minister Kim Jong Su on Monday.\n\
\n\
Kim said the ferries would run. Brandvik said the board would wait.\n\
\n\
The talks were also attended by Deputy Mayor Tomas Ek of Riverside.\n\
\n\
Ek said the vote would come in May, and Councillor Maria Oduya agreed.\n\
\n\
Oduya said the captains had not been asked. Kim left early.\n\
\n\
Trade Envoy Park Min Ho arrived after the vote. Park Min-ho said the ferries mattered. Mr Min Ho took no questions.\n\
\n\
Senior Envoy Park Min Ho left on Tuesday.\n\
\n\
The captains asked for Park\n";

/// Sentences typed at the end of a paragraph, taken back by the caller's
/// backspaces: a new person, a second spelling of a name, a family-first
/// person called by the given name, a second title.
const TYPED: &[&str] = &[
    " Anna Lindqvist, a ferry captain, said nothing.",
    " Kim Jong-su agreed.",
    " Mr Jong Su said the boats were idle.",
    " Harbour Chief Ulla Brandvik smiled.",
];

/// Typed after the draft's last word, a family name: the mention grows
/// into a second spelling of the person's full name, the person's mentions
/// as many as before.
const GROWING_MENTION: &str = " Min-ho";

/// The codes of the rules whose document parts run per entity.
const PER_ENTITY_CODES: &[&str] =
    &["inconsistent-spelling", "given-name-as-surname", "inconsistent-title", "incomplete-first-reference"];

/// What the rules that run per entity say, wherever they say it: a
/// keystroke before a finding moves it without changing it.
fn per_entity_findings(analysis: &Analysis) -> Vec<(&'static str, String)> {
    analysis
        .diagnostics
        .iter()
        .filter(|diagnostic| PER_ENTITY_CODES.contains(&diagnostic.code))
        .map(|diagnostic| (diagnostic.code, diagnostic.message.clone()))
        .collect()
}

/// Types `piece` at the end of line `line` of `draft` and takes it back,
/// each keystroke checked against a fresh analysis. Returns how many
/// keystrokes ran some rule per entity, and how many of those changed the
/// findings of the rules that run per entity.
fn type_and_check(draft: &str, kind: DocumentKind, line: usize, piece: &str) -> (usize, usize) {
    let mut scoped = 0;
    let mut scoped_changing = 0;
    type_and_take_back(draft, kind, line, piece, |analyzer, analysis, before| {
        if analyzer.last_parts.rules_per_entity != 0 {
            scoped += 1;
            if per_entity_findings(analysis) != per_entity_findings(before) {
                scoped_changing += 1;
            }
        }
    });
    (scoped, scoped_changing)
}

#[test]
fn rules_run_on_the_changed_entities_alone_and_match_a_fresh_analysis() {
    let mut scoped = 0;
    let mut scoped_changing = 0;
    for (draft, kind, lines, last_line) in
        [(PLAIN_DRAFT, DocumentKind::PlainText, [2, 3, 5], 9), (MARKDOWN_DRAFT, DocumentKind::Markdown, [2, 4, 8], 16)]
    {
        let placed = lines.iter().flat_map(|line| TYPED.iter().map(move |piece| (*line, *piece)));
        for (line, piece) in placed.chain([(last_line, GROWING_MENTION)]) {
            let (count, changing) = type_and_check(draft, kind, line, piece);
            scoped += count;
            scoped_changing += changing;
        }
    }
    assert!(scoped >= 300, "only {scoped} keystrokes ran rules per entity");
    assert!(scoped_changing >= 30, "only {scoped_changing} keystrokes (of {scoped} per entity) changed their findings");
}

/// Typing capitalised words that begin none of `given-name-as-surname`'s
/// forms (the draft's family-first people give it forms to look for)
/// changes the edited paragraph's capitalised starts on most keystrokes,
/// which that rule reads; its last run kept the hashes of its forms' first
/// words, and a change of starts hashing otherwise leaves it carried over.
/// Every keystroke must still give what a fresh analysis gives.
#[test]
fn capitalised_words_that_begin_no_form_leave_given_name_as_surname_carried_over() {
    let rule_bit = copydesk_analysis::rules::RULES
        .iter()
        .position(|rule| rule.code == "given-name-as-surname")
        .map(|index| 1u32 << index)
        .expect("the rule exists");
    let config = Config::default();
    let mut text = PLAIN_DRAFT.to_owned();
    let mut analyzer = Analyzer::new();
    analyzer.analyze(&text, DocumentKind::PlainText, &config);
    let mut at = text.lines().take(6).map(|line| line.len() + 1).sum::<usize>() - 1;
    let mut keystrokes = 0;
    let mut carried = 0;
    for character in " Gordon Smith met Anna Lind and Tove Berg.".chars() {
        text.insert(at, character);
        at += character.len_utf8();
        let incremental = analyzer.analyze(&text, DocumentKind::PlainText, &config);
        let full = analyze_document(&text, DocumentKind::PlainText, &config);
        assert_eq!(incremental.analysis, full.analysis, "after typing up to {at} of {text:?}");
        keystrokes += 1;
        // Carried over, or run on the entities the linking changed alone.
        let parts = analyzer.last_parts;
        carried += usize::from(parts.rules_ran & rule_bit == 0 || parts.rules_per_entity & rule_bit != 0);
    }
    assert!(
        carried * 10 >= keystrokes * 8,
        "given-name-as-surname was carried over or run on changed entities alone on only {carried} of {keystrokes} keystrokes"
    );
}

/// `incomplete-first-reference` asks whether a person is named beside a
/// lone name ("between Hale and Voss"): when the person beside it changes
/// (here "Hale" becomes a councillor introduced by full name, then not),
/// the lone name's finding changes though its entity did not, and the rule
/// run per entity must run on it too.
#[test]
fn a_person_named_beside_a_lone_name_runs_its_entity_again() {
    const DRAFT: &str = "Ferry talks stall\n\
Riverside Gazette\n\
The meeting opened.\n\
The talks between Hale and Voss ended late.\n\
Anna Voss said the council would wait.\n";
    let rule_bit = copydesk_analysis::rules::RULES
        .iter()
        .position(|rule| rule.code == "incomplete-first-reference")
        .map(|index| 1u32 << index)
        .expect("the rule exists");
    let count = |analysis: &Analysis| {
        analysis.diagnostics.iter().filter(|diagnostic| diagnostic.code == "incomplete-first-reference").count()
    };
    let mut flipped_per_entity = 0;
    let piece = " Councillor Tom Hale spoke.";
    type_and_take_back(DRAFT, DocumentKind::PlainText, 2, piece, |analyzer, analysis, before| {
        if count(analysis) != count(before) && analyzer.last_parts.rules_per_entity & rule_bit != 0 {
            flipped_per_entity += 1;
        }
    });
    assert!(
        flipped_per_entity >= 2,
        "the finding beside the changed person flipped per entity {flipped_per_entity} times"
    );
}

/// `incomplete-first-reference` reads the words around each person's first
/// mention for that person's finding alone (`OwnedFindings::entity_reads`):
/// typing into the speech verb after "Hale", which makes the lone name read
/// as a person, meets Hale's reads only, so the rule runs on Hale alone,
/// never on every entity, while Hale's finding comes and goes.
#[test]
fn an_edit_in_what_one_persons_finding_read_runs_the_rule_on_that_person_alone() {
    const DRAFT: &str = "Ferry talks stall\n\
Riverside Gazette\n\
The meeting opened.\n\
The ferry captains and Voss met on Monday, and later Hale said the talks had ended.\n\
Officials said Brandt was away. Mr Ek said nothing.\n\
Anna Voss and Tom Hale said the council would wait. Ola Brandt agreed, and Per Ek too.\n";
    let rule_bit = copydesk_analysis::rules::RULES
        .iter()
        .position(|rule| rule.code == "incomplete-first-reference")
        .map(|index| 1u32 << index)
        .expect("the rule exists");
    let findings = |analysis: &Analysis| {
        analysis.diagnostics.iter().filter(|diagnostic| diagnostic.code == "incomplete-first-reference").count()
    };
    let at = DRAFT.find("Hale said").map(|start| start + "Hale sa".len()).expect("in the draft");
    let (mut whole, mut alone, mut flipped) = (0, 0, 0);
    type_and_take_back_at(DRAFT, DocumentKind::PlainText, at, "xyz", |analyzer, analysis, before| {
        let parts = analyzer.last_parts;
        if parts.rules_ran & rule_bit != 0 {
            if parts.rules_per_entity & rule_bit != 0 {
                alone += 1;
                flipped += usize::from(findings(analysis) != findings(before));
            } else {
                whole += 1;
            }
        }
    });
    assert_eq!(whole, 0, "the rule ran on every entity after an edit in one person's reads");
    assert!(alone >= 4 && flipped >= 2, "ran on Hale alone {alone} times, the finding changing {flipped} times");
}
