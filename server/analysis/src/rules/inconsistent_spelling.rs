//! `inconsistent-spelling`: one name spelled different ways in the draft.
//!
//! "Tass" and "TASS", "Kim Jong Un" and "Kim Jong-un", "Choe Son Hui" and
//! "Choe Son-hui": the same entity written with different capitals, hyphens or
//! spacing. Mentions of one entity are compared on a key that ignores case,
//! hyphens and spaces; a mention whose key matches the entity's first spelling
//! but whose text differs is reported, pointing at the first spelling. The
//! stylebook's preferred spellings (`[spellings]`), and the canonical names of
//! its people and organisations, are also enforced: a variant anywhere in the
//! body is reported with the preferred form as the fix.

use crate::model::{Diagnostic, Fix, MentionForm, RelatedSpan, Severity, Span, TextEdit};
use crate::rules::text::in_body;
use crate::rules::{DocumentPart, EntityScope, KindReads, OwnedFindings, Reads, Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "inconsistent-spelling",
    default_severity: Severity::Warning,
    summary: "One entity spelled different ways (\"Tass\"/\"TASS\", \"Kim Jong Un\"/\"Kim Jong-un\").",
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

/// The spelling key: lowercase letters and digits only.
pub fn spelling_key(text: &str) -> String {
    if text.is_ascii() {
        // The usual case, byte by byte into a string sized once: collecting
        // characters through `to_lowercase` grew the string step by step,
        // for every distinct spelling of every entity on every keystroke.
        let mut key = String::with_capacity(text.len());
        key.extend(text.bytes().filter(u8::is_ascii_alphanumeric).map(|byte| char::from(byte.to_ascii_lowercase())));
        return key;
    }
    text.chars().filter(|character| character.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Whole-word occurrences of `needle` in the body of the draft.
fn occurrences(context: &RuleContext<'_>, needle: &str) -> Vec<Span> {
    let mut found = Vec::new();
    if needle.is_empty() {
        return found;
    }
    // A search of every paragraph's prose: recorded as a read of the whole draft.
    context.text.record_all();
    for paragraph in &context.layout.paragraphs {
        if !paragraph.kind.is_body() {
            continue;
        }
        let prose = &paragraph.prose;
        let mut from = 0;
        while let Some(position) = prose[from..].find(needle) {
            let start = from + position;
            let end = start + needle.len();
            from = end;
            let before = prose[..start].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '-');
            let after = prose[end..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '-');
            if !before && !after {
                found.push(Span::new(paragraph.span.start + start, paragraph.span.start + end));
            }
        }
    }
    found
}

/// "E-University" starting a sentence and "e-University" inside one are the
/// same spelling: only the first letter's case differs, at a sentence start.
fn differs_only_by_sentence_case(
    context: &RuleContext<'_>,
    first_text: &str,
    first_span: Span,
    mention: &crate::model::Mention,
) -> bool {
    let rest = |text: &str| text.chars().skip(1).collect::<String>();
    let same_but_first = rest(first_text) == rest(&mention.text)
        && first_text.chars().next().map(|c| c.to_lowercase().to_string())
            == mention.text.chars().next().map(|c| c.to_lowercase().to_string());
    let at_sentence_start = |span: Span| {
        let paragraph_start =
            crate::rules::text::paragraph_at(context.layout, span.start).map_or(0, |paragraph| paragraph.span.start);
        crate::rules::text::starts_sentence(context.text, paragraph_start, span.start)
    };
    same_but_first && (at_sentence_start(first_span) || at_sentence_start(mention.span))
}

/// Reports `variant` for the entity at `owner` (`None`: the stylebook's spelling).
#[allow(clippy::too_many_arguments)]
fn report(
    context: &RuleContext<'_>,
    findings: &mut OwnedFindings,
    owner: Option<usize>,
    variant: Span,
    preferred: &str,
    first: Option<Span>,
    all_variants: &[Span],
    from_stylebook: bool,
) {
    let written = &context.text[variant.start..variant.end];
    let message = match (first, from_stylebook) {
        (_, true) => format!("\"{written}\" is spelled \"{preferred}\" in the stylebook"),
        (Some(first), false) => {
            format!("\"{written}\" is spelled \"{preferred}\" on line {}", context.line_of(first.start))
        }
        (None, false) => format!("\"{written}\" is spelled \"{preferred}\" elsewhere"),
    };
    let related = first
        .map(|first| RelatedSpan { span: first, message: format!("spelled \"{preferred}\" here") })
        .into_iter()
        .collect();
    let mut fixes = vec![Fix {
        title: format!("Spell it \"{preferred}\" here"),
        edits: vec![TextEdit { span: variant, new_text: preferred.to_owned() }],
        preferred: true,
    }];
    if all_variants.len() > 1 {
        fixes.push(Fix {
            title: format!("Spell it \"{preferred}\" everywhere"),
            edits: all_variants.iter().map(|span| TextEdit { span: *span, new_text: preferred.to_owned() }).collect(),
            preferred: false,
        });
    }
    findings.push(
        owner,
        Diagnostic { code: RULE.code, severity: RULE.default_severity, span: variant, message, related, fixes },
    );
}

fn check(context: &RuleContext<'_>, scope: EntityScope<'_>, findings: &mut OwnedFindings) {
    // The spans the stylebook's spellings report, which no entity reports
    // again. Found for any scope (an entity's findings depend on them) and
    // reported only for the whole draft's.
    let mut stylebook_reported: Vec<Span> = Vec::new();
    // The stylebook first: its preferred forms win over the draft's first spelling.
    let mut preferred_forms: Vec<(String, Vec<String>)> =
        context.config.spellings.iter().map(|(preferred, variants)| (preferred.clone(), variants.clone())).collect();
    for person in &context.config.people {
        let variants =
            person.aliases.iter().filter(|alias| spelling_key(alias) == spelling_key(&person.name)).cloned().collect();
        preferred_forms.push((person.name.clone(), variants));
    }
    for organization in &context.config.organizations {
        let variants = organization
            .aliases
            .iter()
            .filter(|alias| spelling_key(alias) == spelling_key(&organization.name))
            .cloned()
            .collect();
        preferred_forms.push((organization.name.clone(), variants));
    }
    for (preferred, variants) in &preferred_forms {
        let spans: Vec<Span> = variants
            .iter()
            .filter(|variant| *variant != preferred)
            .flat_map(|variant| occurrences(context, variant))
            .collect();
        let mut sorted = spans.clone();
        sorted.sort();
        for span in &sorted {
            if scope.draft_wide() {
                report(context, findings, None, *span, preferred, None, &sorted, true);
            }
            stylebook_reported.push(*span);
        }
    }
    // Then each entity's own spellings. One list of mentions and one of
    // spelling keys serve every entity in turn: fresh ones for each cost
    // allocations per entity.
    let mut mentions: Vec<&crate::model::Mention> = Vec::new();
    let mut seen_keys: Vec<(String, &str, Span)> = Vec::new();
    // What the entity at hand reported: an entity's findings depend on
    // no other entity's, so that each can be found again alone.
    let mut reported: Vec<Span> = Vec::new();
    for position in scope.positions(context.linking.entities.len()) {
        let entity = &context.linking.entities[position];
        // Headlines capitalise differently; compare body mentions only.
        mentions.clear();
        mentions.extend(entity.mentions.iter().filter(|mention| {
            matches!(mention.form, MentionForm::Full | MentionForm::Partial | MentionForm::Acronym)
                && in_body(context.layout, mention.span.start)
        }));
        mentions.sort_by_key(|mention| mention.span.start);
        seen_keys.clear();
        reported.clear();
        let mut variants_by_first: Vec<(Span, Vec<Span>)> = Vec::new();
        for mention in &mentions {
            // Keys are unique among `seen_keys`, so a mention written exactly
            // as one already seen has that one's key and is no variant: most
            // mentions repeat a spelling, and need no key built.
            if seen_keys.iter().any(|(_, first_text, _)| *first_text == mention.text) {
                continue;
            }
            let key = spelling_key(&mention.text);
            match seen_keys.iter().find(|(existing, _, _)| *existing == key) {
                Some((_, first_text, first_span))
                    if *first_text != mention.text
                        && !differs_only_by_sentence_case(context, first_text, *first_span, mention) =>
                {
                    if let Some((_, spans)) = variants_by_first.iter_mut().find(|(span, _)| span == first_span) {
                        spans.push(mention.span);
                    } else {
                        variants_by_first.push((*first_span, vec![mention.span]));
                    }
                }
                Some(_) => {}
                None => seen_keys.push((key, mention.text.as_str(), mention.span)),
            }
        }
        for (first, spans) in variants_by_first {
            let preferred = &context.text[first.start..first.end];
            for span in &spans {
                if stylebook_reported.iter().chain(&reported).any(|done| done.overlaps(*span)) {
                    continue;
                }
                reported.push(*span);
                report(context, findings, Some(position), *span, preferred, Some(first), &spans, false);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::spelling_key;

    #[test]
    fn the_ascii_spelling_key_is_the_general_one() {
        let general = |text: &str| -> String {
            text.chars().filter(|character| character.is_alphanumeric()).flat_map(char::to_lowercase).collect()
        };
        for text in ["Kim Jong-un", "TASS", "O'Neill & Co.", "A4 e-University", "", "  -- ", "İstanbul Ørsted"] {
            assert_eq!(spelling_key(text), general(text), "{text:?}");
        }
    }
}
