//! `given-name-as-surname`: a person's given name used as if it were the family name.
//!
//! "Chairman Un", "Mr. Jinping", "Jong Un said": with names written family
//! name first (Korean, Chinese, Vietnamese, Hungarian...), a writer used to
//! given-family order takes the last word for the family name. The rule knows
//! each person's name order from the entity analysis (or the stylebook's
//! `name_order`) and reports a given name, or the given names without the
//! family name, after an honorific or title, or standing before a speech verb.
//! The fix writes the family name.

use rustc_hash::FxHashMap;

use crate::config::NameOrder;
use crate::model::{Diagnostic, EntityKind, Fix, RelatedSpan, Severity, Span, TextEdit};
use crate::rules::text::in_body;
use crate::rules::{DocumentPart, EntityScope, Fact, KindReads, OwnedFindings, Reads, Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "given-name-as-surname",
    default_severity: Severity::Warning,
    summary: "A given name used as the family name (\"Chairman Un\", \"Mr. Jinping\", \"Jong Un said\").",
    check_paragraph: None,
    check: DocumentPart::PerEntity(check),
    reads: Reads {
        linking: true,
        quotes: false,
        facts: &[Fact::CapitalizedStarts],
        paragraph_order: true,
        paragraph_kinds: KindReads::AtCapitalizedStarts,
        quote_additions: true,
    },
};

/// Words that, right before a name, make it a family-name reference.
const HONORIFICS: &[&str] = &[
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Dr",
    "Dr.",
    "Chairman",
    "Chairwoman",
    "President",
    "Premier",
    "Minister",
    "Leader",
    "General",
    "Marshal",
    "Comrade",
    "Secretary",
    "Ambassador",
    "Governor",
    "Mayor",
    "Senator",
    "Prime",
];

const SPEECH_VERBS: &[&str] = &["said", "says", "told", "added", "noted", "stated", "warned", "urged", "announced"];

/// One person the rule looks for: the entity, its family name, and the
/// wrong forms (given names) to find in the text.
struct Candidate<'a> {
    /// The entity's position in the linking, which owns its findings.
    position: usize,
    entity: &'a crate::model::Entity,
    family: &'a str,
    family_used_alone: usize,
    three_part: bool,
    forms: Vec<String>,
}

/// The alphanumeric run that starts at `start`: a form's first segment must
/// equal it for the form to start there with no letter glued on either side.
fn first_segment(text: &str) -> &str {
    let end = text.find(|c: char| !c.is_alphanumeric()).unwrap_or(text.len());
    &text[..end]
}

/// True for the characters that glue a word to the one before it: a form
/// preceded by one of them does not start a word.
fn joins(character: char) -> bool {
    character.is_alphanumeric() || character == '-'
}

/// A place in a paragraph's prose where a capitalised word may start: an
/// uppercase character not preceded, in the prose, by a letter, a digit or
/// a hyphen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapitalizedStart {
    /// Paragraph-relative byte offset.
    pub offset: u32,
    /// The [`segment_hash`] of the alphanumeric run starting there.
    pub segment_hash: u64,
    /// True when that run reaches the end of the prose, where the written
    /// text may go on (so the run's hash says nothing about the text).
    pub reaches_end: bool,
}

/// A hash of an alphanumeric run, to tell cheaply whether a capitalised
/// word can begin one of the rule's forms. Fx, as everywhere in the core:
/// fast and the same in every run, so facts cached in one analysis serve
/// the next.
fn segment_hash(segment: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    segment.hash(&mut hasher);
    hasher.finish()
}

/// Every [`CapitalizedStart`] of a paragraph's prose. Found in the
/// per-paragraph stage (and cached with it), so that the document part of
/// the rule reads these few entries, and looks closer only at the words
/// whose hash is one of its forms', instead of reading every byte of the
/// draft on every keystroke.
pub fn capitalized_starts(prose: &str) -> Vec<CapitalizedStart> {
    let mut starts = Vec::new();
    for (index, &byte) in prose.as_bytes().iter().enumerate() {
        let uppercase = if byte.is_ascii() {
            byte.is_ascii_uppercase()
        } else {
            // A leading byte: decode its character; continuation bytes start nothing.
            byte >= 0xC0 && prose[index..].chars().next().is_some_and(char::is_uppercase)
        };
        if uppercase && !prose[..index].chars().next_back().is_some_and(joins) {
            let segment = first_segment(&prose[index..]);
            starts.push(CapitalizedStart {
                offset: u32::try_from(index).unwrap_or(u32::MAX),
                segment_hash: segment_hash(segment),
                reaches_end: index + segment.len() == prose.len(),
            });
        }
    }
    starts
}

/// Every place in the draft where each candidate form starts at a word
/// boundary (no letter, digit or hyphen before it), in one pass: searching
/// the whole draft once per person made the rule quadratic in long drafts.
/// Indexed `[candidate][form]`, each list in text order.
///
/// Only starts inside a body paragraph (or just at its end) can be reported
/// (see `in_body` in [`check`]), so only those are looked at. When every
/// form begins with an uppercase letter, the usual case, a paragraph whose
/// prose is its written text offers only the starts the per-paragraph stage
/// recorded ([`capitalized_starts`]) whose first alphanumeric run hashes as
/// a form's does; other paragraphs (Markdown with
/// markup, an oversized paragraph whose prose is blanked) are read
/// character by character, and so is the whole draft when some form begins
/// otherwise. Every offset offered then goes through the same test.
///
/// Also returns the hashes of the forms' first segments, sorted: the
/// capitalised starts whose hashes are not among them are never offered.
fn form_starts(context: &RuleContext<'_>, candidates: &[Candidate<'_>]) -> (Vec<Vec<Vec<usize>>>, Vec<u64>) {
    let text = context.text;
    let mut starts: Vec<Vec<Vec<usize>>> =
        candidates.iter().map(|candidate| vec![Vec::new(); candidate.forms.len()]).collect();
    let mut by_first_segment: FxHashMap<&str, Vec<(usize, usize)>> = FxHashMap::default();
    for (candidate_index, candidate) in candidates.iter().enumerate() {
        for (form_index, form) in candidate.forms.iter().enumerate() {
            let segment = first_segment(form);
            if !segment.is_empty() {
                by_first_segment.entry(segment).or_default().push((candidate_index, form_index));
            }
        }
    }
    if by_first_segment.is_empty() {
        return (starts, Vec::new());
    }
    let longest_form = candidates.iter().flat_map(|candidate| &candidate.forms).map(String::len).max().unwrap_or(0);
    let first_characters: Vec<char> = by_first_segment.keys().filter_map(|segment| segment.chars().next()).collect();
    let mut consider = |offset: usize| {
        let glued = text.char_before(offset).is_some_and(joins);
        if glued {
            return;
        }
        // Enough of the text after `offset` to hold the longest form and the
        // character after it: a first segment running to the end of this
        // window is longer than every form's, as it would be in the whole text.
        let mut window_end = (offset + longest_form + 8).min(text.len());
        while !text.unrecorded().is_char_boundary(window_end) {
            window_end += 1;
        }
        let rest = &text[offset..window_end];
        if let Some(found) = by_first_segment.get(first_segment(rest)) {
            for &(candidate_index, form_index) in found {
                if rest.starts_with(candidates[candidate_index].forms[form_index].as_str()) {
                    starts[candidate_index][form_index].push(offset);
                }
            }
        }
    };
    // Offers every offset in `from..=to` whose character can start a form.
    let scan = |from: usize, to: usize, consider: &mut dyn FnMut(usize)| {
        for (relative, character) in text[from..to].char_indices() {
            if first_characters.contains(&character) {
                consider(from + relative);
            }
        }
        if text.char_at(to).is_some_and(|character| first_characters.contains(&character)) {
            consider(to);
        }
    };
    let mut segment_hashes: Vec<u64> = by_first_segment.keys().map(|segment| segment_hash(segment)).collect();
    segment_hashes.sort_unstable();
    // A 4,096-bit filter over the hashes' top bits: most capitalised words
    // of a draft begin no form, and one bit test turns nearly all of them
    // away before the binary search.
    let mut hash_filter = [0u64; 64];
    for hash in &segment_hashes {
        let bit = hash >> 52;
        hash_filter[(bit >> 6) as usize] |= 1 << (bit & 63);
    }
    let may_begin_a_form = |hash: u64| {
        let bit = hash >> 52;
        hash_filter[(bit >> 6) as usize] & (1 << (bit & 63)) != 0 && segment_hashes.binary_search(&hash).is_ok()
    };
    if !first_characters.iter().all(|character| character.is_uppercase()) {
        text.record_all();
        scan(0, text.len(), &mut consider);
        return (starts, segment_hashes);
    }
    for (paragraph, view) in context.layout.paragraphs.iter().zip(context.paragraphs) {
        if !paragraph.kind.is_body() {
            continue;
        }
        let span = paragraph.span;
        if text.equals_prose(span, &paragraph.prose) {
            // The character after the paragraph: in plain text a line
            // break, which starts nothing and ends every run at the
            // prose's end, so that a run reaching it hashes as in the text.
            let after = text.char_at(span.end);
            let runs_go_on = after.is_some_and(char::is_alphanumeric);
            for start in &view.analysis.rule_facts.capitalized_starts {
                if (start.reaches_end && runs_go_on) || may_begin_a_form(start.segment_hash) {
                    consider(span.start + start.offset as usize);
                }
            }
            if after.is_some_and(|character| first_characters.contains(&character)) {
                consider(span.end);
            }
        } else {
            scan(span.start, span.end, &mut consider);
        }
    }
    (starts, segment_hashes)
}

/// Whether capitalised starts added, gone or changed (`changed`, old and
/// new) in a paragraph whose prose is its text can change what the rule
/// finds, given the hashes its last run kept (`keys`, sorted: its forms'
/// first segments) and whether the character after the paragraph is
/// alphanumeric (`runs_go_on`). [`form_starts`] offers a recorded start
/// only when its hash is among the keys, or its run reaches the end of the
/// prose and goes on in the text; a start it does not offer is not read.
/// With no keys, no candidate: no start is offered at all.
pub fn capitalized_starts_change_matters(keys: &[u64], changed: &[CapitalizedStart], runs_go_on: bool) -> bool {
    !keys.is_empty()
        && changed
            .iter()
            .any(|start| (start.reaches_end && runs_go_on) || keys.binary_search(&start.segment_hash).is_ok())
}

fn check(context: &RuleContext<'_>, scope: EntityScope<'_>, findings: &mut OwnedFindings) {
    let text = context.text;
    let mut candidates = Vec::new();
    for position in scope.positions(context.linking.entities.len()) {
        let entity = &context.linking.entities[position];
        if entity.kind != EntityKind::Person {
            continue;
        }
        let stylebook = context.config.person_named(&entity.name);
        let family_first = match stylebook.and_then(|person| person.name_order) {
            Some(order) => order == NameOrder::FamilyFirst,
            None => entity.family_name_first,
        };
        let Some(family) = stylebook.and_then(|person| person.family_name()).or(entity.family_name.as_deref()) else {
            continue;
        };
        // The name order must be firmly known: from the stylebook, or from the
        // family name standing alone elsewhere in the draft ("Kim said"), or
        // from a three-part family-first name ("Kim Jong Un").
        let family_used_alone = entity.mentions.iter().filter(|mention| mention.text == family).count();
        let firmly_known = stylebook.and_then(|person| person.name_order).is_some()
            || family_used_alone > 0
            || entity.name.split_whitespace().count() >= 3;
        if !family_first || !firmly_known {
            continue;
        }
        let given: Vec<&str> = entity.name.split_whitespace().filter(|word| *word != family).collect();
        if given.is_empty() {
            continue;
        }
        // Candidate wrong forms: the whole given name ("Jong Un"), its last part ("Un").
        let mut forms: Vec<String> = vec![given.join(" ")];
        if given.len() > 1 {
            forms.push(given[given.len() - 1].to_owned());
        }
        // Hyphenated given names ("Jong-un") count too.
        forms.push(given.join("-"));
        let three_part = entity.name.split_whitespace().count() >= 3 || stylebook.is_some();
        candidates.push(Candidate { position, entity, family, family_used_alone, three_part, forms });
    }
    if candidates.is_empty() {
        findings.fact_keys = Some(Vec::new());
        return;
    }
    let (starts, keys) = form_starts(context, &candidates);
    findings.fact_keys = Some(keys);
    for (candidate, form_starts) in candidates.iter().zip(&starts) {
        let Candidate { position, entity, family, family_used_alone, three_part, forms } = candidate;
        let introduction = entity.introducing_mention().map(|mention| mention.span);
        let mut reported: Vec<Span> = Vec::new();
        let start_of_entity = findings.len();
        for (form, starts) in forms.iter().zip(form_starts) {
            // Matches of one form never overlap, as with a left-to-right search.
            let mut from = 0;
            for &start in starts {
                if start < from {
                    continue;
                }
                let end = start + form.len();
                from = end;
                let span = Span::new(start, end);
                let letter_after = text.char_at(end).is_some_and(|c| c.is_alphanumeric() || c == '-');
                if letter_after || !in_body(context.layout, start) || reported.iter().any(|done| done.overlaps(span)) {
                    continue;
                }
                // Part of the full name ("Kim Jong Un"): the family name precedes it.
                // The words around are found in the text unrecorded, then the
                // bytes looked at are recorded.
                let whole = text.unrecorded();
                let before = whole[..start].trim_end();
                let previous_word = before.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
                let looked_back = before.len().saturating_sub(family.len()).min(before.len() - previous_word.len());
                text.record(looked_back.saturating_sub(4), start);
                if before.ends_with(family) {
                    continue;
                }
                let next_word = whole[end..].split_whitespace().next().unwrap_or("");
                let next_word_end =
                    if next_word.is_empty() { text.len() } else { text.offset_of(next_word) + next_word.len() };
                text.record(end, (next_word_end + 4).min(text.len()));
                let next_word = next_word.trim_end_matches([',', '.', ';']);
                let after_honorific = HONORIFICS.contains(&previous_word);
                let before_verb = form.contains([' ', '-']) && SPEECH_VERBS.contains(&next_word);
                if !(after_honorific || before_verb) {
                    continue;
                }
                reported.push(span);
                findings.push(
                    Some(*position),
                    Diagnostic {
                        code: RULE.code,
                        severity: RULE.default_severity,
                        span,
                        message: format!(
                            "\"{form}\" is {}'s given name; the family name is \"{family}\" (it comes first)",
                            entity.name
                        ),
                        related: introduction
                            .map(|span| RelatedSpan {
                                span,
                                message: format!(
                                    "{} introduced here (line {})",
                                    entity.name,
                                    context.line_of(span.start)
                                ),
                            })
                            .into_iter()
                            .collect(),
                        fixes: vec![Fix {
                            title: format!("Use the family name: {family}"),
                            edits: vec![TextEdit { span, new_text: (*family).to_owned() }],
                            preferred: true,
                        }],
                    },
                );
            }
        }
        // With a two-part name, a "given name" the writer uses more often than
        // the supposed family name is more likely the real family name (the
        // name order guess was wrong): say nothing.
        if !three_part && findings.len() - start_of_entity > *family_used_alone {
            findings.truncate(start_of_entity);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::document::DocumentKind;
    use crate::rules::test_support::{check, render};

    /// The capitalised starts as the definition says, character by character.
    fn naive_starts(prose: &str) -> Vec<u32> {
        let mut previous: Option<char> = None;
        let mut starts = Vec::new();
        for (index, character) in prose.char_indices() {
            if character.is_uppercase() && !previous.is_some_and(joins) {
                starts.push(index as u32);
            }
            previous = Some(character);
        }
        starts
    }

    #[test]
    fn capitalized_starts_are_every_uppercase_letter_not_glued_to_a_word() {
        for prose in [
            "Kim Jong Un met Moon Jae-in in Seoul.",
            "McDonald's, an ex-Tory, said \"Un\" (ÉLODIE Ørsted) and U.S.Kim",
            "jong-Un 3Kim Kim-Jong ΟΔΥΣΣΕΑΣ said",
            "",
            "Ends on Kim",
        ] {
            let starts = capitalized_starts(prose);
            let offsets: Vec<u32> = starts.iter().map(|start| start.offset).collect();
            assert_eq!(offsets, naive_starts(prose), "{prose:?}");
            for start in starts {
                let segment = first_segment(&prose[start.offset as usize..]);
                assert_eq!(start.segment_hash, segment_hash(segment), "{prose:?}");
                assert_eq!(start.reaches_end, start.offset as usize + segment.len() == prose.len(), "{prose:?}");
            }
        }
    }

    const DRAFT: &str = "Summit ends\n\nNorth Korean leader Kim Jong Un met officials on Monday.\n\nKim said the talks went well.\n\nLater, Chairman Un said he was pleased, and Jong Un said so again.\n";

    #[test]
    fn a_given_name_after_an_honorific_or_before_a_speech_verb_is_reported() {
        check(
            "given-name-as-surname",
            DRAFT,
            r#"
Warning "Un": "Un" is Kim Jong Un's given name; the family name is "Kim" (it comes first)
  related "Kim Jong Un": Kim Jong Un introduced here (line 3)
  fix "Use the family name: Kim" (preferred) -> "Summit ends\n\nNorth Korean leader Kim Jong Un met officials on Monday.\n\nKim said the talks went well.\n\nLater, Chairman Kim said he was pleased, and Jong Un said so again.\n"
Warning "Jong Un": "Jong Un" is Kim Jong Un's given name; the family name is "Kim" (it comes first)
  related "Kim Jong Un": Kim Jong Un introduced here (line 3)
  fix "Use the family name: Kim" (preferred) -> "Summit ends\n\nNorth Korean leader Kim Jong Un met officials on Monday.\n\nKim said the talks went well.\n\nLater, Chairman Un said he was pleased, and Kim said so again.\n"
"#,
        );
    }

    #[test]
    fn markdown_markup_around_the_name_is_read_from_the_written_text() {
        // The link's target makes the paragraph's prose differ from its
        // text, so the rule reads that paragraph's characters rather than
        // the recorded starts; it finds the same names as in plain text.
        let markdown = DRAFT.replace("he was pleased", "he was [pleased](https://example.com/Un)");
        let found = render(&markdown, DocumentKind::Markdown, &Config::default(), "given-name-as-surname");
        let plain = render(DRAFT, DocumentKind::PlainText, &Config::default(), "given-name-as-surname");
        let messages = |rendered: &str| -> Vec<String> {
            rendered.lines().filter(|line| line.starts_with("Warning")).map(str::to_owned).collect()
        };
        assert_eq!(messages(&found), messages(&plain), "\n{found}");
        assert_eq!(messages(&found).len(), 2, "\n{found}");
    }
}
