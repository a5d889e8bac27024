//! `repeated-full-name`: a person's full name repeated after the first reference.
//!
//! After the first reference, style guides use the family name alone ("Im",
//! "Biegun"). The rule hints at a later full-name mention, with a fix that
//! writes the family name, but stays silent when the family name alone would
//! be ambiguous: when another person in the draft shares it (three Kims), or
//! when the analysis already found the short form ambiguous. Headlines,
//! subheads and captions are free to repeat the full name.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{Diagnostic, EntityKind, Fix, MentionForm, RelatedSpan, Severity, TextEdit};
use crate::rules::text::in_body;
use crate::rules::{DocumentPart, KindReads, Reads, Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "repeated-full-name",
    default_severity: Severity::Hint,
    summary: "A full name repeated after the first reference where the family name alone is unambiguous.",
    check_paragraph: None,
    check: DocumentPart::Whole(check),
    reads: Reads {
        linking: true,
        quotes: false,
        facts: &[],
        paragraph_order: false,
        paragraph_kinds: KindReads::AtEntityMentions,
        quote_additions: false,
    },
};

/// A photo caption: ends with a credit such as "/Agency Photo" or "(Photo: ...)".
fn is_caption(paragraph: &str) -> bool {
    let trimmed = paragraph.trim_end();
    let tail_start = trimmed.char_indices().rev().nth(39).map_or(0, |(index, _)| index);
    let tail = &trimmed[tail_start..];
    tail.to_lowercase().contains("photo") && (tail.contains('/') || tail.contains('('))
}

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let people: Vec<_> = context.linking.entities.iter().filter(|entity| entity.kind == EntityKind::Person).collect();
    // Counted once for the draft: asking per person made the rule quadratic.
    let mut people_per_family_name: FxHashMap<&str, usize> = FxHashMap::default();
    for person in &people {
        if let Some(family) = person.family_name.as_deref() {
            *people_per_family_name.entry(family).or_default() += 1;
        }
    }
    let ambiguous_candidates: FxHashSet<&str> = context
        .linking
        .ambiguous_mentions
        .iter()
        .flat_map(|mention| mention.candidates.iter().map(String::as_str))
        .collect();
    let mut captions: FxHashMap<usize, bool> = FxHashMap::default();
    for entity in &people {
        let Some(family) = entity.family_name.as_deref() else { continue };
        let shared = people_per_family_name.get(family).is_some_and(|count| *count > 1);
        let ambiguous = ambiguous_candidates.contains(entity.id.as_str());
        if shared || ambiguous || entity.name == family {
            continue;
        }
        // The first reference in the body counts: a headline naming someone in
        // full does not make the body's first full name a repeat.
        let mut full_mentions = entity
            .mentions
            .iter()
            .filter(|mention| mention.form == MentionForm::Full && in_body(context.layout, mention.span.start));
        let Some(first) = full_mentions.next() else { continue };
        // The message and the fix are the same for every repeat of this
        // person, so they are written once and copied: formatting them per
        // repeat was the rule's main cost in a long draft.
        let mut message_and_fix_title: Option<(String, String)> = None;
        for repeat in full_mentions {
            if repeat.span.start <= first.span.start || !in_body(context.layout, repeat.span.start) {
                continue;
            }
            let paragraph =
                context.layout.paragraphs.partition_point(|paragraph| paragraph.span.end < repeat.span.start);
            // Each paragraph is judged once, however many repeats it holds.
            let caption = match captions.get(&paragraph) {
                Some(caption) => *caption,
                None => {
                    let caption =
                        crate::rules::text::paragraph_at(context.layout, repeat.span.start).is_some_and(|paragraph| {
                            context.text.record(paragraph.span.start, paragraph.span.end);
                            is_caption(&paragraph.prose)
                        });
                    captions.insert(paragraph, caption);
                    caption
                }
            };
            if caption {
                continue;
            }
            let (message, fix_title) = message_and_fix_title.get_or_insert_with(|| {
                (
                    format!(
                        "{} was introduced on line {}; later references use the family name alone (\"{family}\")",
                        entity.name,
                        context.line_of(first.span.start)
                    ),
                    format!("Use the family name: {family}"),
                )
            });
            diagnostics.push(Diagnostic {
                code: RULE.code,
                severity: RULE.default_severity,
                span: repeat.span,
                message: message.clone(),
                related: vec![RelatedSpan { span: first.span, message: String::from("first reference") }],
                fixes: vec![Fix {
                    title: fix_title.clone(),
                    edits: vec![TextEdit { span: repeat.span, new_text: family.to_owned() }],
                    preferred: true,
                }],
            });
        }
    }
}
