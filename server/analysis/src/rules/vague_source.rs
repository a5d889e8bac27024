//! `vague-source`: a statement pinned on no one in particular.
//!
//! "A source said", "sources say", "it is understood", "it is believed": the
//! reader cannot judge the claim. Style guides forbid "a source" unmodified and
//! ask the writer to describe anonymous sources (which side, why anonymity was
//! granted), and never to let an anonymous source give the first quote.
//!
//! Reported:
//! - "a source" or "sources" straight before a speech verb, with no
//!   description in front ("government sources said" is described and passes);
//!   "according to sources" / "according to a source";
//! - impersonal attribution: "it is understood", "it is believed", "it is
//!   thought", "it was learned" and their past forms;
//! - the first direct quote of the draft given to an anonymous source, when the
//!   attribution analysis classifies its source as anonymous.
//!
//! Extra phrases can be added in the stylebook (`[rules.vague-source] phrases = [...]`).

use crate::document::ParagraphKind;
use crate::model::{Diagnostic, RelatedSpan, Severity, SourceKind, Span};
use crate::rules::text::{has_impersonal_start, starts_sentence};
use crate::rules::{DocumentPart, KindReads, Reads, Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "vague-source",
    default_severity: Severity::Warning,
    summary: "\"Sources said\", \"it is understood\", \"a source\" unmodified; an anonymous source giving the first quote.",
    check_paragraph: Some(check_paragraph),
    check: DocumentPart::Whole(check),
    reads: Reads {
        linking: false,
        quotes: true,
        facts: &[],
        paragraph_order: true,
        paragraph_kinds: KindReads::Never,
        quote_additions: false,
    },
};

const IMPERSONAL: &[&str] = &[
    "it is understood",
    "it was understood",
    "it is believed",
    "it was believed",
    "it is thought",
    "it was thought",
    "it was learned",
    "it has been learned",
    "it is rumoured",
    "it is rumored",
    "it is said that",
];

const SPEECH_VERBS: &[&str] = &[
    "said",
    "say",
    "says",
    "told",
    "tell",
    "claimed",
    "claim",
    "claims",
    "suggested",
    "suggest",
    "indicated",
    "revealed",
];

/// Words that may stand before "source(s)" without describing it.
const UNDESCRIBED: &[&str] =
    &["a", "one", "the", "some", "several", "many", "two", "three", "other", "to", "and", "but", "but,", "however"];

/// Where the impersonal phrases and the stylebook's phrases stand in `prose`
/// as whole words (byte ranges), in any case.
fn impersonal_phrases(prose: &str, extra: &[String]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    // Lowercasing every paragraph on every analysis was the rule's main cost;
    // the built-in phrases are ASCII and all start "it is", "it was" or "it
    // has", so a paragraph without those needs no lowercasing at all.
    if extra.is_empty() && !has_impersonal_start(prose) {
        return found;
    }
    let lower = prose.to_lowercase();
    if lower.len() != prose.len() {
        // Offsets in the lowercased text would not be offsets in the draft.
        return found;
    }
    let phrases =
        IMPERSONAL.iter().map(|phrase| (*phrase).to_owned()).chain(extra.iter().map(|phrase| phrase.to_lowercase()));
    // Every built-in phrase starts with an 'i': those are tried only where
    // an 'i' stands (found once with memchr), in place of a substring search
    // per phrase, built anew for each phrase of each paragraph. A match at
    // the first place from `from` on is what `find` returns.
    let places_of_i: Vec<usize> = memchr::memchr_iter(b'i', lower.as_bytes()).collect();
    for phrase in phrases {
        let mut from = 0;
        let mut matches: Vec<usize> = Vec::new();
        if phrase.starts_with('i') {
            for &start in &places_of_i {
                if start >= from && lower.as_bytes()[start..].starts_with(phrase.as_bytes()) {
                    matches.push(start);
                    from = start + phrase.len();
                }
            }
        } else {
            while let Some(position) = lower[from..].find(&phrase) {
                matches.push(from + position);
                from += position + phrase.len();
            }
        }
        for start in matches {
            let end = start + phrase.len();
            let word_before = lower[..start].chars().next_back().is_some_and(char::is_alphanumeric);
            let word_after = lower[end..].chars().next().is_some_and(char::is_alphanumeric);
            if !(word_before || word_after) {
                found.push((start, end));
            }
        }
    }
    found
}

/// Impersonal phrases and undescribed sources, paragraph by paragraph.
fn check_paragraph(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let extra: &[String] = context.config.rule_table(RULE.code).map_or(&[], |table| table.phrases.as_slice());
    let text = context.text;
    for (position, paragraph) in context.layout.paragraphs.iter().enumerate().take(context.paragraphs.len()) {
        if paragraph.kind != ParagraphKind::Body {
            continue;
        }
        for (start, end) in impersonal_phrases(&paragraph.prose, extra) {
            let span = Span::new(paragraph.span.start + start, paragraph.span.start + end);
            diagnostics.push(Diagnostic {
                code: RULE.code,
                severity: RULE.default_severity,
                span,
                message: format!(
                    "\"{}\" attributes the statement to no one; say who says so",
                    &text[span.start..span.end]
                ),
                related: Vec::new(),
                fixes: Vec::new(),
            });
        }
        let paragraph_words = context.paragraph_words(position);
        for (index, word) in paragraph_words.iter().enumerate() {
            if !(word.text.eq_ignore_ascii_case("source") || word.text.eq_ignore_ascii_case("sources")) {
                continue;
            }
            let previous = index.checked_sub(1).map(|before| paragraph_words[before].text.to_lowercase());
            let previous_two = index.checked_sub(2).map(|before| paragraph_words[before].text.to_lowercase());
            let next = paragraph_words.get(index + 1).map(|next| next.text.to_lowercase());
            let according_to = previous.as_deref() == Some("to") && previous_two.as_deref() == Some("according")
                || previous.as_deref() == Some("a") && previous_two.as_deref() == Some("to");
            let undescribed = previous.as_deref().is_none_or(|previous| UNDESCRIBED.contains(&previous))
                || text[..word.span.start].trim_end().ends_with([',', ';', '('])
                || starts_sentence(text, paragraph.span.start, word.span.start);
            let verb_follows = next.as_deref().is_some_and(|next| SPEECH_VERBS.contains(&next));
            // "according to sources" ends there; "according to sources close to ..." is described.
            let ends_after = next.as_deref().is_none_or(|next| {
                !matches!(
                    next,
                    "close" | "familiar" | "who" | "with" | "in" | "at" | "inside" | "within" | "from" | "on"
                )
            });
            let flagged =
                (according_to && ends_after) || (undescribed && verb_follows && lower_word_start_ok(&previous));
            if !flagged {
                continue;
            }
            let start =
                if previous.as_deref() == Some("a") { paragraph_words[index - 1].span.start } else { word.span.start };
            let end = if verb_follows { paragraph_words[index + 1].span.end } else { word.span.end };
            let span = Span::new(start, end);
            diagnostics.push(Diagnostic {
                code: RULE.code,
                severity: RULE.default_severity,
                span,
                message: format!(
                    "\"{}\": an undescribed source; say who they are (their side, why they are anonymous)",
                    &text[span.start..span.end]
                ),
                related: Vec::new(),
                fixes: Vec::new(),
            });
        }
    }
    // The first direct quote given to an anonymous source.
    // Quoted fragments ("by the back door") are not a source's first quote,
    // and a spokesperson speaks for a named body: only sources, insiders and
    // "people familiar" count as anonymous here.
}

/// The first substantial quote of the story, when an anonymous source gives it.
fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    // A quote's text is a copy of the draft at its span (`TrackedText::copy`):
    // reading it is recorded as reading the span.
    let first_quote = context.quotes.iter().find(|quote| {
        quote.direct && {
            context.text.record(quote.span.start, quote.span.end);
            quote.text.split_whitespace().count() > 4
        }
    });
    if let Some(first) = first_quote {
        if let Some(source) = &first.source_mention {
            context.text.record(source.span.start, source.span.end);
        }
        let source_text = first.source_mention.as_ref().map_or(String::new(), |source| source.text.to_lowercase());
        let unnamed = ["source", "insider", "familiar", "official"].iter().any(|word| source_text.contains(word));
        if first.source_kind == SourceKind::Anonymous && unnamed {
            let related = first
                .source_mention
                .as_ref()
                .map(|source| RelatedSpan { span: source.span, message: String::from("the anonymous source") })
                .into_iter()
                .collect();
            diagnostics.push(Diagnostic {
                code: RULE.code,
                severity: RULE.default_severity,
                span: first.span,
                message: String::from(
                    "the first quote of the story comes from an anonymous source; lead with a named one",
                ),
                related,
                fixes: Vec::new(),
            });
        }
    }
}

/// "the source said" after "the" refers back to a described source, so only
/// "a", "one", "some"... or no word at all leave "source" undescribed.
fn lower_word_start_ok(previous: &Option<String>) -> bool {
    previous.as_deref() != Some("the")
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check;

    #[test]
    fn undescribed_sources_and_impersonal_phrases_are_flagged() {
        check(
            "vague-source",
            "Ferry deal near\nThe deal is close, a source said. Sources say the vote is on Friday.\nIt is understood the mayor will attend, according to sources.",
            r#"
Warning "a source said": "a source said": an undescribed source; say who they are (their side, why they are anonymous)
Warning "Sources say": "Sources say": an undescribed source; say who they are (their side, why they are anonymous)
Warning "It is understood": "It is understood" attributes the statement to no one; say who says so
Warning "sources": "sources": an undescribed source; say who they are (their side, why they are anonymous)
"#,
        );
    }

    #[test]
    fn described_sources_are_quiet() {
        check(
            "vague-source",
            "Ferry deal near\nTwo council sources said the vote is on Friday. A source close to the mayor said she would attend, according to sources familiar with the plan. The source said more.\nIt is understandable that residents worry.",
            "",
        );
    }
}
