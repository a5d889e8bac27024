//! Semantic highlighting spans: people, organisations, places, titles, direct
//! quotes and speaker cues.
//!
//! The legend (the order of [`TOKEN_TYPES`] and [`TOKEN_MODIFIERS`]) is part of
//! the protocol contract and is documented in `docs/features.md`. Spans come
//! out sorted, never overlapping and never crossing a line break, because LSP
//! clients cannot draw overlapping tokens and many cannot draw multi-line ones:
//! where spans nest (a name inside a quote), the inner one wins and the outer
//! one is split around it.

use super::Draft;
use crate::model::{EntityKind, MentionForm, Span};

/// Token types, in legend order.
pub const TOKEN_TYPES: [&str; 6] = ["person", "organization", "place", "title", "quote", "speakerCue"];
/// Token modifiers, in legend order (bit `1 << index`).
pub const TOKEN_MODIFIERS: [&str; 3] = ["declaration", "ambiguous", "unattributed"];

/// A token type; its `as usize` is the index into [`TOKEN_TYPES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenType {
    Person = 0,
    Organization = 1,
    Place = 2,
    Title = 3,
    Quote = 4,
    SpeakerCue = 5,
}

/// Modifier bits.
pub const MODIFIER_DECLARATION: u32 = 1;
pub const MODIFIER_AMBIGUOUS: u32 = 1 << 1;
pub const MODIFIER_UNATTRIBUTED: u32 = 1 << 2;

/// One highlighted span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SemanticSpan {
    pub span: Span,
    pub token_type: TokenType,
    pub modifiers: u32,
}

struct Layer {
    span: Span,
    token_type: TokenType,
    modifiers: u32,
    /// Higher wins where layers overlap.
    priority: u8,
}

fn entity_token(kind: EntityKind) -> TokenType {
    match kind {
        EntityKind::Person => TokenType::Person,
        EntityKind::Organization => TokenType::Organization,
        EntityKind::Place => TokenType::Place,
    }
}

/// The highlighted spans that overlap `range` (all of them when `None`).
pub fn semantic_spans(draft: &Draft<'_>, range: Option<Span>) -> Vec<SemanticSpan> {
    let analysis = draft.analysis;
    let mut layers: Vec<Layer> = Vec::new();
    for entity in &analysis.entities {
        let introducing = entity.introducing_mention().map(|mention| mention.span);
        for mention in &entity.mentions {
            // A pronoun is a person reference only because a speaker was needed;
            // colouring every "she" as a name would be noise, so it is a cue.
            let token_type =
                if mention.form == MentionForm::Title { TokenType::Title } else { entity_token(entity.kind) };
            let modifiers = if Some(mention.span) == introducing { MODIFIER_DECLARATION } else { 0 };
            layers.push(Layer { span: mention.span, token_type, modifiers, priority: 3 });
        }
        for title in &entity.titles {
            layers.push(Layer { span: title.span, token_type: TokenType::Title, modifiers: 0, priority: 2 });
        }
    }
    for ambiguous in &analysis.ambiguous_mentions {
        let kinds: Vec<EntityKind> =
            ambiguous.candidates.iter().filter_map(|id| analysis.entity(id)).map(|entity| entity.kind).collect();
        let token_type = kinds.first().map_or(TokenType::Person, |kind| entity_token(*kind));
        layers.push(Layer { span: ambiguous.span, token_type, modifiers: MODIFIER_AMBIGUOUS, priority: 3 });
    }
    for quote in &analysis.quotes {
        if let Some(cue) = &quote.cue {
            layers.push(Layer { span: cue.span, token_type: TokenType::SpeakerCue, modifiers: 0, priority: 3 });
        }
        if quote.direct {
            let unattributed = quote.speaker.is_none() && quote.source_mention.is_none();
            let modifiers = if unattributed { MODIFIER_UNATTRIBUTED } else { 0 };
            layers.push(Layer { span: quote.span, token_type: TokenType::Quote, modifiers, priority: 1 });
        }
    }
    if let Some(range) = range {
        layers.retain(|layer| layer.span.overlaps(range));
    }
    layers.retain(|layer| !layer.span.is_empty() && layer.span.end <= draft.text.len());
    flatten(draft.text, &mut layers)
}

/// Resolves overlaps (the highest priority, then the innermost, wins) and
/// splits at line breaks.
fn flatten(text: &str, layers: &mut [Layer]) -> Vec<SemanticSpan> {
    let mut boundaries: Vec<usize> = layers.iter().flat_map(|layer| [layer.span.start, layer.span.end]).collect();
    boundaries.sort_unstable();
    boundaries.dedup();
    layers.sort_by_key(|layer| layer.span.start);
    let mut out: Vec<SemanticSpan> = Vec::new();
    let mut active: Vec<usize> = Vec::new();
    let mut next_layer = 0;
    for window in boundaries.windows(2) {
        let (start, end) = (window[0], window[1]);
        while next_layer < layers.len() && layers[next_layer].span.start <= start {
            active.push(next_layer);
            next_layer += 1;
        }
        active.retain(|index| layers[*index].span.end > start);
        let winner = active.iter().copied().max_by_key(|index| {
            let layer = &layers[*index];
            (layer.priority, std::cmp::Reverse(layer.span.len()), std::cmp::Reverse(layer.span.start))
        });
        let Some(winner) = winner else { continue };
        let layer = &layers[winner];
        match out.last_mut() {
            Some(last)
                if last.span.end == start
                    && last.token_type == layer.token_type
                    && last.modifiers == layer.modifiers =>
            {
                last.span.end = end;
            }
            _ => out.push(SemanticSpan {
                span: Span::new(start, end),
                token_type: layer.token_type,
                modifiers: layer.modifiers,
            }),
        }
    }
    split_lines(text, out)
}

/// Cuts spans at line breaks and drops pieces that are only white space.
fn split_lines(text: &str, spans: Vec<SemanticSpan>) -> Vec<SemanticSpan> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(spans.len());
    for span in spans {
        let mut piece_start = span.span.start;
        let mut index = span.span.start;
        while index <= span.span.end {
            let at_break = index < span.span.end && matches!(bytes[index], b'\n' | b'\r');
            if at_break || index == span.span.end {
                let piece = Span::new(piece_start, index);
                let piece_text = text.get(piece.start..piece.end).unwrap_or("");
                if !piece_text.trim().is_empty() {
                    // Trim surrounding white space left by a line break inside a quote.
                    let leading = piece_text.len() - piece_text.trim_start().len();
                    let trailing = piece_text.len() - piece_text.trim_end().len();
                    out.push(SemanticSpan { span: Span::new(piece.start + leading, piece.end - trailing), ..span });
                }
                piece_start = index + 1;
            }
            index += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Story;
    use super::*;

    fn check(range: Option<(&str, &str)>, expect: &str) {
        let story = Story::new();
        let draft = story.draft();
        let range = range.map(|(from, to)| story.span_from_to(from, to));
        let spans = semantic_spans(&draft, range);
        for pair in spans.windows(2) {
            assert!(pair[0].span.end <= pair[1].span.start, "overlap: {pair:?}");
        }
        let actual: Vec<String> = spans
            .iter()
            .map(|span| {
                let modifiers: Vec<&str> = TOKEN_MODIFIERS
                    .iter()
                    .enumerate()
                    .filter(|(bit, _)| span.modifiers & (1 << bit) != 0)
                    .map(|(_, name)| *name)
                    .collect();
                format!(
                    "{} {:?} {}",
                    TOKEN_TYPES[span.token_type as usize],
                    draft.slice(span.span),
                    modifiers.join(",")
                )
                .trim_end()
                .to_owned()
            })
            .collect();
        assert_eq!(actual.join("\n"), expect.trim(), "\nactual:\n{}", actual.join("\n"));
    }

    #[test]
    fn nested_spans_split_around_the_inner_one() {
        check(
            Some(("Fleet", "Won attended")),
            r#"
title "Fleet Commissioner"
person "Park Sung Ho" declaration
organization "Harbour Authority" declaration
title "chief"
person "Park Jae Won" declaration"#,
        );
    }

    #[test]
    fn quotes_cues_and_unattributed_quotes() {
        check(
            Some(("Fenwick said", "blockade.\"")),
            r#"
person "Fenwick"
speakerCue "said"
quote "\"We have offered more than once,\""
title "the minister"
speakerCue "said"
quote "\"Nobody wants a blockade.\"" unattributed"#,
        );
    }

    #[test]
    fn spans_never_cross_a_line_break() {
        let text = "Intro line\nShe said \"one\ntwo\" today.\n";
        let analysis = crate::model::Analysis {
            quotes: vec![crate::model::Quote {
                span: Span::new(20, 29),
                content: Span::new(20, 29),
                text: "\"one\ntwo\"".to_owned(),
                direct: true,
                cue: None,
                source_mention: None,
                speaker: None,
                source_kind: crate::model::SourceKind::Unknown,
                via: Vec::new(),
                floating: false,
                continues: false,
                earlier_quote: None,
            }],
            ..Default::default()
        };
        let layout = crate::document::layout(text, crate::DocumentKind::PlainText);
        let draft = Draft { text, analysis: &analysis, layout: &layout, config: None };
        let pieces: Vec<&str> = semantic_spans(&draft, None).iter().map(|span| draft.slice(span.span)).collect();
        assert_eq!(pieces, ["\"one", "two\""]);
    }
}
