//! `inconsistent-title`: one person given different titles in the draft.
//!
//! "Vice Foreign Minister" in one paragraph and "Vice Minister of Foreign
//! Affairs" in another leave the reader wondering whether the job changed.
//! Two titles agree when one is the other with qualifiers in front
//! ("DPRK Vice Foreign Minister" and "Vice Foreign Minister", "DPRK's leader"
//! and "leader"): the comparison is on the normalised title's words, ignoring
//! possessives and articles, and one must end the other. Each title that does
//! not agree with the person's first title is reported, pointing at it; the
//! fixes use the first form (here or everywhere), or the stylebook's title.

use crate::model::{Diagnostic, EntityKind, Fix, RelatedSpan, Severity, TextEdit, Title};
use crate::rules::text::in_body;
use crate::rules::{DocumentPart, EntityScope, KindReads, OwnedFindings, Reads, Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "inconsistent-title",
    default_severity: Severity::Warning,
    summary: "One person given different titles in the draft.",
    check_paragraph: None,
    check: DocumentPart::PerEntity(check),
    reads: Reads {
        linking: true,
        quotes: false,
        facts: &[],
        paragraph_order: false,
        paragraph_kinds: KindReads::AtEntityMentions,
        quote_additions: false,
    },
};

/// The words of a normalised title, without possessives and articles.
pub fn title_words(title: &Title) -> Vec<&str> {
    title
        .normalized
        .split_whitespace()
        .map(|word| strip_all(strip_all(word, "'s"), "’s"))
        .filter(|word| !matches!(*word, "the" | "a" | "an" | ""))
        .collect()
}

/// `word` without any number of trailing `suffix`es: `trim_end_matches` with
/// a string pattern builds a substring searcher per call, which showed in
/// long drafts where every title of every person is split on each keystroke.
fn strip_all<'a>(mut word: &'a str, suffix: &str) -> &'a str {
    while let Some(stripped) = word.strip_suffix(suffix) {
        word = stripped;
    }
    word
}

/// Whether two titles say the same thing (one ends the other).
pub fn titles_agree(first: &Title, other: &Title) -> bool {
    words_agree(&title_words(first), &title_words(other))
}

/// [`titles_agree`] on titles already split into words.
fn words_agree(a: &[&str], b: &[&str]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    !short.is_empty() && long.ends_with(short)
}

/// Whether a title counts for the rule: formal (a capitalised word) and
/// current (not "former", "ex-" or "late").
fn is_formal_and_current(title: &Title) -> bool {
    let capitalised = title.text.split_whitespace().any(|word| word.chars().next().is_some_and(char::is_uppercase));
    // Most titles are ASCII: look for the markers without lowercasing a copy.
    let past = if title.text.is_ascii() {
        // The markers start with a small letter: a window can only match
        // where that letter stands in either case (`| 0x20` lowercases an
        // ASCII capital and leaves the small letter), which rules most out
        // before the comparison.
        let has = |marker: &str| {
            let first = marker.as_bytes()[0];
            title
                .text
                .as_bytes()
                .windows(marker.len())
                .any(|window| window[0] | 0x20 == first && window.eq_ignore_ascii_case(marker.as_bytes()))
        };
        has("former") || has("ex-") || has("late ")
    } else {
        let lower = title.text.to_lowercase();
        lower.contains("former") || lower.contains("ex-") || lower.contains("late ")
    };
    capitalised && !past
}

fn check(context: &RuleContext<'_>, scope: EntityScope<'_>, findings: &mut OwnedFindings) {
    for position in scope.positions(context.linking.entities.len()) {
        let entity = &context.linking.entities[position];
        if entity.kind != EntityKind::Person || entity.titles.len() < 2 {
            continue;
        }
        // Only formal titles (with a capitalised word) that are current: a
        // "former" title or a lowercase description ("spokesman") may
        // rightly differ from the person's title.
        // A person's titles mostly repeat one text: the last text's answer
        // is kept, so each distinct run of texts is judged once.
        let mut last_judged: Option<(&str, bool)> = None;
        let formal: Vec<&Title> = entity
            .titles
            .iter()
            .filter(|title| {
                let formal_and_current = match last_judged {
                    Some((text, answer)) if text == title.text => answer,
                    _ => {
                        let answer = is_formal_and_current(title);
                        last_judged = Some((&title.text, answer));
                        answer
                    }
                };
                formal_and_current && in_body(context.layout, title.span.start)
            })
            .collect();
        let Some(first) = formal.first().copied() else { continue };
        let first_words = title_words(first);
        // A title normalised as the first one is has the same words, which
        // agree with themselves unless there are none: most repeats of a
        // title are settled without splitting them again.
        let differing: Vec<&Title> = formal[1..]
            .iter()
            .copied()
            .filter(|title| {
                let agrees = if title.normalized == first.normalized {
                    !first_words.is_empty()
                } else {
                    words_agree(&first_words, &title_words(title))
                };
                !agrees
            })
            .collect();
        let stylebook_title = context
            .config
            .person_named(&entity.name)
            .and_then(|person| person.titles.iter().find(|entry| entry.until.is_none()).or(person.titles.last()));
        for title in &differing {
            let mut fixes = vec![Fix {
                title: format!("Use \"{}\" here", first.text),
                edits: vec![TextEdit { span: title.span, new_text: first.text.clone() }],
                preferred: true,
            }];
            if differing.len() > 1 {
                fixes.push(Fix {
                    title: format!("Use \"{}\" everywhere", first.text),
                    edits: differing
                        .iter()
                        .map(|other| TextEdit { span: other.span, new_text: first.text.clone() })
                        .collect(),
                    preferred: false,
                });
            }
            if let Some(entry) = stylebook_title {
                let mut edits: Vec<TextEdit> = entity
                    .titles
                    .iter()
                    .filter(|other| other.text != entry.title)
                    .map(|other| TextEdit { span: other.span, new_text: entry.title.clone() })
                    .collect();
                edits.sort_by_key(|edit| edit.span.start);
                if !edits.is_empty() {
                    fixes.push(Fix {
                        title: format!("Use the stylebook's title \"{}\" everywhere", entry.title),
                        edits,
                        preferred: false,
                    });
                }
            }
            findings.push(
                Some(position),
                Diagnostic {
                    code: RULE.code,
                    severity: RULE.default_severity,
                    span: title.span,
                    message: format!(
                        "{} is \"{}\" here but \"{}\" on line {}",
                        entity.name,
                        title.text,
                        first.text,
                        context.line_of(first.span.start)
                    ),
                    related: vec![RelatedSpan {
                        span: first.span,
                        message: format!("first title given to {}", entity.name),
                    }],
                    fixes,
                },
            );
        }
    }
}
