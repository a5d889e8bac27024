//! `unattributed-quote`: a direct quote with no source in reach.
//!
//! Every direct quote needs a speaker in its sentence, or (for a quote that
//! continues a speaker's words) in the paragraph before. The attribution
//! analysis finds the cue and the source; a direct quote it leaves with no cue,
//! no source and no speaker, and that is not carried over from the previous
//! attributed quote, is reported. Short quoted fragments (three words or
//! fewer: scare quotes, titles of works) are not statements and are skipped,
//! as are quotes in headlines and subheads.

use crate::model::{Diagnostic, Severity};
use crate::rules::text::{in_body, starts_sentence};
use crate::rules::{DocumentPart, KindReads, Reads, Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "unattributed-quote",
    default_severity: Severity::Warning,
    summary: "A direct quote with no source in reach.",
    check_paragraph: None,
    check: DocumentPart::Whole(check),
    reads: Reads {
        linking: false,
        quotes: true,
        facts: &[],
        paragraph_order: true,
        paragraph_kinds: KindReads::AtQuoteStarts,
        quote_additions: false,
    },
};

/// Speech words that, just before a quote, show the writer attributed it even
/// when the attribution analysis did not tie the two together.
const SPEECH_WORDS: &[&str] = &[
    "said",
    "says",
    "saying",
    "told",
    "tells",
    "added",
    "adds",
    "argued",
    "asked",
    "replied",
    "wrote",
    "stated",
    "warned",
    "explained",
    "according",
    "declared",
    "insisted",
    "continued",
    "concluded",
    "statement",
];

/// Whether a speech word or a colon introducing the quote appears in the 300
/// bytes before it, in the same paragraph or the one before (a speaker
/// named in the previous sentence carries over to a quote that follows).
fn attribution_nearby(context: &RuleContext<'_>, start: usize, end: usize) -> bool {
    let text = context.text;
    // After the quote: `," whispered the aide` (any verb ending a quote this way counts).
    // The three words after the quote are found in the text unrecorded,
    // then exactly the bytes looked at (up to the character ending the
    // third word) are recorded, so an edit further on changes nothing here.
    let whole = text.unrecorded();
    let after_start = end.min(text.len());
    let after_words: Vec<&str> = whole[after_start..].split_whitespace().take(3).collect();
    let read_end = match after_words.as_slice() {
        [_, _, third] => (third.as_ptr() as usize - whole.as_ptr() as usize + third.len() + 4).min(text.len()),
        _ => text.len(),
    };
    text.record(after_start, read_end);
    let attributed_after = after_words.iter().any(|word| {
        SPEECH_WORDS.contains(&word.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase().as_str())
            || word.ends_with("ed")
    });
    if attributed_after
        && text
            .last_char_before(0, after_start, |c| matches!(c, '"' | '”'))
            .is_some_and(|(_, c)| matches!(c, ',' | '?' | '!'))
    {
        return true;
    }
    let mut from = start.saturating_sub(300);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..start];
    if before.trim_end().ends_with(':') {
        return true;
    }
    before
        .split(|character: char| !character.is_alphabetic())
        .any(|word| SPEECH_WORDS.contains(&word.to_lowercase().as_str()))
}

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for quote in context.quotes.iter().filter(|quote| quote.direct) {
        if quote.speaker.is_some() || quote.source_mention.is_some() || quote.cue.is_some() || quote.floating {
            continue;
        }
        // A quote's text is a copy of the draft at its span (`TrackedText::copy`):
        // reading it is recorded as reading the span.
        context.text.record(quote.span.start, quote.span.end);
        let words = quote.text.split_whitespace().count();
        if words <= 3
            || !in_body(context.layout, quote.span.start)
            || attribution_nearby(context, quote.span.start, quote.span.end)
        {
            continue;
        }
        // A fragment woven into the writer's own sentence ("called it \"a
        // long road\"") is not a free-standing quote; its sentence names the speaker.
        let paragraph_start = crate::rules::text::paragraph_at(context.layout, quote.span.start)
            .map_or(0, |paragraph| paragraph.span.start);
        if !starts_sentence(context.text, paragraph_start, quote.span.start) {
            continue;
        }
        // A quote that opens a paragraph right after an attributed quote in
        // the previous paragraph continues that speaker's words.
        let previous_paragraph =
            context.layout.paragraphs.iter().rev().find(|paragraph| paragraph.span.end < paragraph_start);
        let continues_speaker = previous_paragraph.is_some_and(|previous| {
            context.quotes.iter().any(|other| {
                previous.span.touches_offset(other.span.start)
                    && (other.speaker.is_some() || other.cue.is_some() || other.source_mention.is_some())
            })
        });
        if continues_speaker && context.text[paragraph_start..quote.span.start].trim().is_empty() {
            continue;
        }
        diagnostics.push(Diagnostic {
            code: RULE.code,
            severity: RULE.default_severity,
            span: quote.span,
            message: format!(
                "no one is named as the source of the quote \"{}\"; attribute it in the same sentence",
                crate::snapshot::shorten(quote.text.trim_matches(['"', '“', '”']), 50)
            ),
            related: Vec::new(),
            fixes: Vec::new(),
        });
    }
}
