//! Go to definition, find references and document highlights.
//!
//! The "definition" of a name in a news draft is its introducing mention: the
//! first full reference, where the writer owes the reader a full name and a
//! title. References are every place that means the entity, whatever form it
//! takes: full name, family name, title alone, or a pronoun that is a speaker.

use super::{Draft, Target, target_at};
use crate::model::Span;

/// Where "go to definition" leads from `offset`. An ambiguous short form leads
/// to each candidate's introducing mention, so the writer can see the choice.
pub fn definition(draft: &Draft<'_>, offset: usize) -> Vec<Span> {
    let Some(target) = target_at(draft, offset) else {
        return Vec::new();
    };
    match target {
        Target::Ambiguous(ambiguous) => ambiguous
            .candidates
            .iter()
            .filter_map(|id| draft.analysis.entity(id))
            .filter_map(|entity| entity.introducing_mention())
            .map(|mention| mention.span)
            .collect(),
        Target::Quote { quote, .. } => draft
            .speaker_of(quote)
            .and_then(|entity| entity.introducing_mention())
            .map(|mention| vec![mention.span])
            .unwrap_or_default(),
        _ => target
            .entity()
            .and_then(|entity| entity.introducing_mention())
            .map(|mention| vec![mention.span])
            .unwrap_or_default(),
    }
}

/// Every span that refers to the entity at `offset`, in text order. With
/// `include_declaration` false, the introducing mention is left out (the LSP
/// `includeDeclaration` flag).
pub fn references(draft: &Draft<'_>, offset: usize, include_declaration: bool) -> Vec<Span> {
    let Some(entity) = target_at(draft, offset).and_then(|target| target.entity()) else {
        return Vec::new();
    };
    let introducing = entity.introducing_mention().map(|mention| mention.span);
    draft.reference_spans(entity).into_iter().filter(|span| include_declaration || Some(*span) != introducing).collect()
}

/// How a highlighted span relates to the entity: where it is introduced, or
/// where it is referred to again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HighlightKind {
    Introduction,
    Reference,
}

/// What to highlight when the cursor rests at `offset`: every reference to the
/// entity; on a quote, the quote, its cue and its source; on an ambiguous form,
/// every other ambiguous use of the same words.
pub fn highlights(draft: &Draft<'_>, offset: usize) -> Vec<(Span, HighlightKind)> {
    let Some(target) = target_at(draft, offset) else {
        return Vec::new();
    };
    if let Some(entity) = target.entity() {
        let introducing = entity.introducing_mention().map(|mention| mention.span);
        return draft
            .reference_spans(entity)
            .into_iter()
            .map(|span| {
                let kind =
                    if Some(span) == introducing { HighlightKind::Introduction } else { HighlightKind::Reference };
                (span, kind)
            })
            .collect();
    }
    match target {
        Target::Quote { quote, .. } | Target::Source { quote, .. } => {
            let mut spans = vec![(quote.span, HighlightKind::Reference)];
            if let Some(cue) = &quote.cue {
                spans.push((cue.span, HighlightKind::Reference));
            }
            if let Some(source) = &quote.source_mention {
                spans.push((source.span, HighlightKind::Reference));
            }
            spans.sort_by_key(|(span, _)| *span);
            spans
        }
        Target::Ambiguous(ambiguous) => draft
            .analysis
            .ambiguous_mentions
            .iter()
            .filter(|other| other.text == ambiguous.text && other.candidates == ambiguous.candidates)
            .map(|other| (other.span, HighlightKind::Reference))
            .collect(),
        Target::Mention { .. } | Target::Title { .. } => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Story, cursor};
    use super::*;

    /// Renders spans as `"text"@line` separated by commas.
    fn render(draft: &Draft<'_>, spans: &[Span]) -> String {
        let parts: Vec<String> =
            spans.iter().map(|span| format!("{:?}@{}", draft.slice(*span), draft.line_number(span.start))).collect();
        parts.join(", ")
    }

    fn check(query: &str, marked: &str, expect: &str) {
        let story = Story::new();
        let draft = story.draft();
        let offset = cursor(&story.text, marked);
        let actual = match query {
            "definition" => render(&draft, &definition(&draft, offset)),
            "references" => render(&draft, &references(&draft, offset, true)),
            "references without declaration" => render(&draft, &references(&draft, offset, false)),
            "highlights" => {
                let found = highlights(&draft, offset);
                let parts: Vec<String> =
                    found.iter().map(|(span, kind)| format!("{:?} {kind:?}", draft.slice(*span))).collect();
                parts.join(", ")
            }
            _ => unreachable!("unknown query {query}"),
        };
        assert_eq!(actual, expect);
    }

    #[test]
    fn definition_goes_to_the_introducing_mention() {
        check("definition", "$0Park told", r#""Park Min Ji"@4"#);
        check("definition", "$0She said", r#""Park Min Ji"@4"#);
        check("definition", "the min$0ister said", r#""Laura Fenwick"@4"#);
        check("definition", "Fisheries Min$0ister", r#""Laura Fenwick"@4"#);
        check("definition", "\"We have$0 offered", r#""Laura Fenwick"@4"#);
        check("definition", "fishing$0 quotas", "");
    }

    #[test]
    fn definition_from_an_ambiguous_form_offers_every_candidate() {
        check("definition", "$0Park is expected", r#""Park Min Ji"@4, "Park Sung Ho"@6, "Park Jae Won"@6"#);
    }

    #[test]
    fn references_include_every_form() {
        check("references", "Laura Fen$0wick", r#""Laura Fenwick"@4, "Fenwick"@7, "the minister"@7"#);
        check("references without declaration", "Laura Fen$0wick", r#""Fenwick"@7, "the minister"@7"#);
        check("references", "$0She said", r#""Park Min Ji"@4, "Park"@5, "She"@5"#);
        check("references", "$0Park is expected", "");
    }

    #[test]
    fn highlights_mark_the_introduction() {
        check(
            "highlights",
            "$0Fenwick said",
            r#""Laura Fenwick" Introduction, "Fenwick" Reference, "the minister" Reference"#,
        );
        check("highlights", "\"stuck$0 on", r#""Park" Reference, "told" Reference, "\"stuck on numbers.\"" Reference"#);
    }
}
