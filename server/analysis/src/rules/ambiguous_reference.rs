//! `ambiguous-reference`: a short form that fits several people in the draft.
//!
//! When three people named Kim appear, "Kim said" could be any of them; the
//! entity analysis refuses to guess and records the mention with its
//! candidates. The rule reports each such mention, points at where every
//! candidate is introduced, and offers the full name of each as a fix.

use rustc_hash::FxHashMap;

use crate::model::{AmbiguousMention, Diagnostic, Entity, Fix, RelatedSpan, Severity, TextEdit};
use crate::rules::text::join_or;
use crate::rules::{DocumentPart, KindReads, Reads, Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "ambiguous-reference",
    default_severity: Severity::Warning,
    summary: "A short form (a family name, a title) that fits several people in the draft.",
    check_paragraph: None,
    check: DocumentPart::Whole(check),
    reads: Reads {
        linking: true,
        quotes: false,
        facts: &[],
        paragraph_order: false,
        paragraph_kinds: KindReads::Never,
        quote_additions: false,
    },
};

/// Words that start an entity name the analysis took for a person but that
/// is a title, a party or a phrase ("Baroness Hale", "Vote Hale", "New Labour").
const NOT_GIVEN_NAMES: &[&str] = &[
    "Baron",
    "Baroness",
    "Lord",
    "Lady",
    "Sir",
    "Dame",
    "Vote",
    "New",
    "Former",
    "Labour",
    "Tory",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "President",
    "Prime",
    "Minister",
    "Chancellor",
    "Good",
    "The",
];

/// Whether `name` reads as a person's full name containing `short` as a whole
/// word at its start or end: two or more capitalised words, no compound
/// ("Hale-era"), not starting with a title or a common word.
fn is_person_name(name: &str, short: &str) -> bool {
    // Asked for every candidate of every ambiguous mention on every
    // keystroke, so the words are walked, not collected.
    let capitalised = |word: &str| word.chars().next().is_some_and(char::is_uppercase);
    let mut words = name.split_whitespace();
    let Some(first) = words.next() else { return false };
    let (mut last, mut count, mut all_capitalised) = (first, 1, capitalised(first));
    for word in words {
        last = word;
        count += 1;
        all_capitalised &= capitalised(word);
    }
    count >= 2
        && all_capitalised
        && !NOT_GIVEN_NAMES.contains(&first)
        && !first.ends_with("'s")
        && (first == short || last == short)
}

/// Whether `longer` is `shorter` with more words before it ("Plaid Cymru's
/// Ann Hale" and "Ann Hale"), or the two share their first and last words:
/// two forms of one name, not two people.
fn is_longer_form_of(longer: &str, shorter: &str) -> bool {
    let extends = longer.strip_suffix(shorter).is_some_and(|before| before.ends_with(' '));
    let same_ends = longer.split_whitespace().next() == shorter.split_whitespace().next()
        && longer.split_whitespace().next_back() == shorter.split_whitespace().next_back();
    longer.len() > shorter.len() && (extends || same_ends)
}

/// Whether `short` is the candidate's family name (when the analysis knows it):
/// "Howard" fits Michael Howard, not Howard Flight.
fn is_family_name_of(entity: &Entity, short: &str) -> bool {
    entity.family_name.as_deref().is_none_or(|family| family == short)
}

/// The people an ambiguous short form can really mean: persons whose full
/// name starts or ends with it and whose family name it is, each counted
/// once however many forms of the name the draft used.
fn real_candidates<'a>(entities: &'a [Entity], short: &str, candidate_ids: &[String]) -> Vec<&'a Entity> {
    let all: Vec<&Entity> = candidate_ids
        .iter()
        .filter_map(|id| crate::model::entity_by_id(entities, id))
        .filter(|entity| {
            entity.kind == crate::model::EntityKind::Person
                && is_person_name(&entity.name, short)
                && is_family_name_of(entity, short)
        })
        .collect();
    // Two forms of one name ("Plaid Cymru's Ann Hale" and "Ann Hale") are
    // one person, not a choice.
    all.iter()
        .copied()
        .filter(|entity| !all.iter().any(|other| other.id != entity.id && is_longer_form_of(&entity.name, &other.name)))
        .collect()
}

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    // A long draft repeats the same short form with the same candidates
    // hundreds of times ("Mr Brown" among a dozen Browns), and comparing the
    // candidates pairwise each time made the rule a visible share of every
    // keystroke: each distinct form and candidate list is worked out once,
    // into the diagnostic its first mention draws (`None` when it fits fewer
    // than two people). A later mention copies it and moves it to its own
    // span: formatting the same message, related notes and fixes again for
    // every repeat cost several times the copy.
    let mut known: FxHashMap<(&str, &[String]), Option<Diagnostic>> = FxHashMap::default();
    for ambiguous in &context.linking.ambiguous_mentions {
        // Only a name-like short form: a capitalised word, not an acronym.
        let name_like = ambiguous.text.chars().next().is_some_and(char::is_uppercase)
            && !ambiguous.text.chars().nth(1).is_some_and(char::is_uppercase);
        if !name_like {
            continue;
        }
        let template = known.entry((ambiguous.text.as_str(), ambiguous.candidates.as_slice())).or_insert_with(|| {
            let candidates = real_candidates(&context.linking.entities, &ambiguous.text, &ambiguous.candidates);
            (candidates.len() >= 2).then(|| diagnostic(context, ambiguous, &candidates))
        });
        let Some(template) = template else { continue };
        let mut found = template.clone();
        found.span = ambiguous.span;
        for fix in &mut found.fixes {
            for edit in &mut fix.edits {
                edit.span = ambiguous.span;
            }
        }
        diagnostics.push(found);
    }
}

/// The diagnostic of an ambiguous mention that fits `candidates` (two or more people).
fn diagnostic(context: &RuleContext<'_>, ambiguous: &AmbiguousMention, candidates: &[&Entity]) -> Diagnostic {
    let names: Vec<String> = candidates.iter().map(|entity| entity.name.clone()).collect();
    let related = candidates
        .iter()
        .filter_map(|entity| {
            entity.introducing_mention().map(|mention| RelatedSpan {
                span: mention.span,
                message: format!("{} is introduced here (line {})", entity.name, context.line_of(mention.span.start)),
            })
        })
        .collect();
    let fixes = candidates
        .iter()
        .map(|entity| Fix {
            title: format!("Use the full name: {}", entity.name),
            edits: vec![TextEdit { span: ambiguous.span, new_text: entity.name.clone() }],
            preferred: false,
        })
        .collect();
    Diagnostic {
        code: RULE.code,
        severity: RULE.default_severity,
        span: ambiguous.span,
        message: format!(
            "\"{}\" could mean {} people in this draft: {}; use the full name",
            ambiguous.text,
            candidates.len(),
            join_or(&names)
        ),
        related,
        fixes,
    }
}
