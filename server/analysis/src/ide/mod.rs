//! Editor queries over a finished analysis: what is under the cursor, what to
//! show on hover, where a name was introduced, every mention of an entity,
//! rename edits, the outline, inlay hints, semantic highlighting spans,
//! completion candidates and the headline summary lens.
//!
//! Everything here is LSP-agnostic and speaks byte offsets into the document,
//! like the rest of the core. The language server turns the plain results into
//! protocol types and converts offsets in its one position module. Each query
//! is a pure function of a [`Draft`] (the text plus its analysis), so the
//! server can answer from whatever consistent snapshot it holds.

pub mod code_lens;
pub mod completion;
pub mod hover;
pub mod inlay_hints;
pub mod navigation;
pub mod rename;
pub mod semantic_tokens;
pub mod symbols;

#[cfg(test)]
mod fixture;

use crate::config::Config;
use crate::document::{DocumentLayout, ParagraphKind};
use crate::model::{AmbiguousMention, Analysis, Entity, EntityKind, Mention, MentionForm, Quote, Span, Title};
use crate::pipeline::DocumentAnalysis;

/// The text of a draft together with its analysis: the input of every query.
#[derive(Debug, Clone, Copy)]
pub struct Draft<'a> {
    pub text: &'a str,
    pub analysis: &'a Analysis,
    pub layout: &'a DocumentLayout,
    /// The stylebook, when one is configured; hovers add its facts.
    pub config: Option<&'a Config>,
}

impl<'a> Draft<'a> {
    pub fn new(text: &'a str, document: &'a DocumentAnalysis) -> Draft<'a> {
        Draft { text, analysis: &document.analysis, layout: &document.layout, config: None }
    }

    /// The same draft with a stylebook whose facts hovers should show.
    pub fn with_config(self, config: &'a Config) -> Draft<'a> {
        Draft { config: Some(config), ..self }
    }

    /// The one-based line number of a byte offset, counting line breaks the
    /// way LSP does (`\n`, `\r\n`, lone `\r`), so "line 12" in a hover is the
    /// line the editor shows as 12.
    pub fn line_number(&self, offset: usize) -> usize {
        // A line counts once its start is at or before the offset, so a
        // cursor between the `\r` and the `\n` of one break is still on the
        // line before that break.
        1 + crate::rules::text::line_break_ends(self.text).take_while(|&start| start <= offset).count()
    }

    /// The headline paragraph's span, or the first paragraph's when the draft
    /// has no headline.
    pub fn headline(&self) -> Option<Span> {
        let paragraphs = &self.layout.paragraphs;
        paragraphs
            .iter()
            .find(|paragraph| paragraph.kind == ParagraphKind::Headline)
            .or_else(|| paragraphs.first())
            .map(|paragraph| paragraph.span)
    }

    /// The text of a span, or an empty string when the span does not fit the text
    /// (a stale analysis must never make a query panic).
    pub fn slice(&self, span: Span) -> &'a str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The entity a quote's speaker id points at.
    pub fn speaker_of(&self, quote: &Quote) -> Option<&'a Entity> {
        quote.speaker.as_deref().and_then(|id| self.analysis.entity(id))
    }

    /// Every span that refers to `entity`, in text order: its mentions plus the
    /// source phrases of its statements that the linking did not record as
    /// mentions (a pronoun speaker, for instance).
    pub fn reference_spans(&self, entity: &Entity) -> Vec<Span> {
        let mut spans: Vec<Span> = entity.mentions.iter().map(|mention| mention.span).collect();
        for quote in &self.analysis.quotes {
            if quote.speaker.as_deref() != Some(entity.id.as_str()) {
                continue;
            }
            if let Some(source) = &quote.source_mention {
                if !spans.iter().any(|span| span.overlaps(source.span)) {
                    spans.push(source.span);
                }
            }
        }
        spans.sort();
        spans.dedup();
        spans
    }
}

/// What the cursor is on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target<'a> {
    /// A mention the analysis linked to an entity.
    Mention { entity: &'a Entity, mention: &'a Mention },
    /// A title attached to a person.
    Title { entity: &'a Entity, title: &'a Title },
    /// A short form that fits several entities.
    Ambiguous(&'a AmbiguousMention),
    /// The source phrase of a statement that is not itself a recorded mention.
    Source { quote_index: usize, quote: &'a Quote, entity: Option<&'a Entity>, span: Span },
    /// The content or the cue of a statement.
    Quote { quote_index: usize, quote: &'a Quote, span: Span },
}

impl<'a> Target<'a> {
    /// The span of text the target covers.
    pub fn span(&self) -> Span {
        match self {
            Target::Mention { mention, .. } => mention.span,
            Target::Title { title, .. } => title.span,
            Target::Ambiguous(ambiguous) => ambiguous.span,
            Target::Source { span, .. } | Target::Quote { span, .. } => *span,
        }
    }

    /// The entity the target resolves to, when there is exactly one.
    pub fn entity(&self) -> Option<&'a Entity> {
        match self {
            Target::Mention { entity, .. } | Target::Title { entity, .. } => Some(entity),
            Target::Source { entity, .. } => *entity,
            Target::Ambiguous(_) | Target::Quote { .. } => None,
        }
    }

    /// Lower is preferred when two targets cover the same span.
    fn precedence(&self) -> u8 {
        match self {
            Target::Mention { .. } => 0,
            Target::Ambiguous(_) => 1,
            Target::Title { .. } => 2,
            Target::Source { .. } => 3,
            Target::Quote { .. } => 4,
        }
    }
}

/// Finds what is at `offset`. The smallest span containing the offset wins
/// (a name inside a quote is the name, not the quote). When nothing contains
/// the offset, a span ending exactly there counts, because an editor cursor
/// placed right after a word means that word.
pub fn target_at<'a>(draft: &Draft<'a>, offset: usize) -> Option<Target<'a>> {
    let found = targets_containing(draft, offset);
    if found.is_some() || offset == 0 {
        return found;
    }
    targets_containing(draft, offset - 1)
}

fn targets_containing<'a>(draft: &Draft<'a>, offset: usize) -> Option<Target<'a>> {
    let analysis = draft.analysis;
    let mut best: Option<Target<'a>> = None;
    let mut consider = |candidate: Target<'a>| {
        let span = candidate.span();
        if !span.contains_offset(offset) {
            return;
        }
        let better = match &best {
            None => true,
            Some(current) => (span.len(), candidate.precedence()) < (current.span().len(), current.precedence()),
        };
        if better {
            best = Some(candidate);
        }
    };
    for entity in &analysis.entities {
        for mention in &entity.mentions {
            consider(Target::Mention { entity, mention });
        }
        for title in &entity.titles {
            consider(Target::Title { entity, title });
        }
    }
    for ambiguous in &analysis.ambiguous_mentions {
        consider(Target::Ambiguous(ambiguous));
    }
    for (quote_index, quote) in analysis.quotes.iter().enumerate() {
        if let Some(source) = &quote.source_mention {
            let entity = draft.speaker_of(quote);
            consider(Target::Source { quote_index, quote, entity, span: source.span });
        }
        if let Some(cue) = &quote.cue {
            consider(Target::Quote { quote_index, quote, span: cue.span });
        }
        consider(Target::Quote { quote_index, quote, span: quote.span });
    }
    best
}

/// A plain word for an entity kind, for hovers and details.
pub fn kind_word(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "person",
        EntityKind::Organization => "organisation",
        EntityKind::Place => "place",
    }
}

/// A plain phrase for how a mention refers to its entity.
pub fn form_phrase(kind: EntityKind, form: MentionForm) -> &'static str {
    match (kind, form) {
        (_, MentionForm::Full) => "full name",
        (EntityKind::Person, MentionForm::Partial) => "family name",
        (_, MentionForm::Partial) => "short form",
        (_, MentionForm::Title) => "title",
        (_, MentionForm::Pronoun) => "pronoun",
        (_, MentionForm::Acronym) => "acronym",
    }
}

/// Escapes text from the draft so Markdown shows it as written.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(character, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~') {
            out.push('\\');
        }
        out.push(character);
    }
    out
}

/// Shortens a statement to about `limit` characters at a word boundary,
/// keeping a closing quotation mark so the excerpt still reads as a quote.
pub fn shorten_statement(text: &str, limit: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let closing = text.chars().last().filter(|last| matches!(last, '"' | '\u{201d}' | '\'' | '\u{2019}'));
    let mut cut: String = text.chars().take(limit).collect();
    if let Some(space) = cut.rfind(' ') {
        if space > limit / 2 {
            cut.truncate(space);
        }
    }
    let cut = cut.trim_end_matches([',', ';', ':', ' ', '.']);
    match closing {
        Some(mark) => format!("{cut}…{mark}"),
        None => format!("{cut}…"),
    }
}

/// Joins names as "A", "A and B" or "A, B and C".
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::{Story, cursor};
    use super::*;

    /// Renders the target at the cursor as `kind "text"`.
    fn check(marked: &str, expect: &str) {
        let story = Story::new();
        let draft = story.draft();
        let offset = cursor(&story.text, marked);
        let actual = match target_at(&draft, offset) {
            None => "nothing".to_owned(),
            Some(target) => {
                let kind = match target {
                    Target::Mention { entity, .. } => format!("mention of {}", entity.name),
                    Target::Title { entity, .. } => format!("title of {}", entity.name),
                    Target::Ambiguous(_) => "ambiguous".to_owned(),
                    Target::Source { .. } => "source".to_owned(),
                    Target::Quote { quote_index, .. } => format!("quote q{quote_index}"),
                };
                format!("{kind} {:?}", draft.slice(target.span()))
            }
        };
        assert_eq!(actual, expect);
    }

    #[test]
    fn smallest_span_wins_and_end_of_word_counts() {
        check("Park Min J$0i met", r#"mention of Park Min Ji "Park Min Ji""#);
        check("Park Min Ji$0 met", r#"mention of Park Min Ji "Park Min Ji""#);
        check("Valdoran Dep$0uty", r#"title of Park Min Ji "Valdoran Deputy Trade Minister""#);
        check("\"stuck on num$0bers", r#"quote q0 "\"stuck on numbers.\"""#);
        check("Harbour Auth$0ority chief", r#"mention of Harbour Authority "Harbour Authority""#);
        check("$0Park is expected", r#"ambiguous "Park""#);
        check("on Tues$0day", "nothing");
    }

    #[test]
    fn line_numbers_follow_lsp_line_breaks() {
        let analysis = Analysis::default();
        let layout = DocumentLayout::default();
        let draft = Draft { text: "a\r\nb\rc\nd", analysis: &analysis, layout: &layout, config: None };
        // Offset 2 sits between the `\r` and the `\n` of one break: still line 1.
        let lines: Vec<usize> = [0, 2, 3, 5, 7, 100].iter().map(|offset| draft.line_number(*offset)).collect();
        assert_eq!(lines, [1, 1, 2, 3, 4, 4]);
    }

    #[test]
    fn statements_are_shortened_at_a_word_keeping_the_closing_mark() {
        assert_eq!(
            shorten_statement("\u{201c}We have offered more than once and will again,\u{201d}", 30),
            "\u{201c}We have offered more than…\u{201d}"
        );
        assert_eq!(shorten_statement("short", 30), "short");
    }
}
