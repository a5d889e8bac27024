//! Inlay hints: after a short reference the analysis resolved (a family name,
//! a title alone, a pronoun speaker), the full name it stands for, so the
//! writer sees at a glance who "Park" or "she" is; after an ambiguous short
//! form, that it is ambiguous and between whom.

use super::Draft;
use crate::model::{MentionForm, Span};

/// At most this many candidate names in an ambiguity hint.
const CANDIDATE_LIMIT: usize = 3;

/// Whether a hint names the resolved entity or reports an ambiguity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintKind {
    Resolved,
    Ambiguous,
}

/// One hint, shown right after `offset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
    pub kind: HintKind,
    /// The hinted mention, for a tooltip or a click.
    pub span: Span,
}

/// Hints for mentions that end inside `range` (the whole draft when `None`), in
/// text order.
pub fn inlay_hints(draft: &Draft<'_>, range: Option<Span>) -> Vec<InlayHint> {
    let wanted = |span: Span| range.is_none_or(|range| range.start <= span.end && span.end <= range.end);
    let mut hints = Vec::new();
    for entity in &draft.analysis.entities {
        for mention in &entity.mentions {
            if !matches!(mention.form, MentionForm::Partial | MentionForm::Title | MentionForm::Pronoun) {
                continue;
            }
            if !wanted(mention.span) || mention.text == entity.name {
                continue;
            }
            hints.push(InlayHint {
                offset: mention.span.end,
                label: format!("\u{27e8}{}\u{27e9}", entity.name),
                kind: HintKind::Resolved,
                span: mention.span,
            });
        }
    }
    // Pronoun speakers the attribution stage found but did not record as mentions.
    for quote in &draft.analysis.quotes {
        let (Some(entity), Some(source)) = (draft.speaker_of(quote), &quote.source_mention) else {
            continue;
        };
        let recorded = entity.mentions.iter().any(|mention| mention.span.overlaps(source.span));
        if recorded || !wanted(source.span) || source.text.contains(entity.name.as_str()) {
            continue;
        }
        if hints.iter().any(|hint: &InlayHint| hint.span.overlaps(source.span)) {
            continue;
        }
        hints.push(InlayHint {
            offset: source.span.end,
            label: format!("\u{27e8}{}\u{27e9}", entity.name),
            kind: HintKind::Resolved,
            span: source.span,
        });
    }
    for ambiguous in &draft.analysis.ambiguous_mentions {
        if !wanted(ambiguous.span) {
            continue;
        }
        let names: Vec<&str> = ambiguous
            .candidates
            .iter()
            .filter_map(|id| draft.analysis.entity(id))
            .map(|entity| entity.name.as_str())
            .collect();
        let mut label = names.iter().take(CANDIDATE_LIMIT).copied().collect::<Vec<_>>().join(" / ");
        if names.len() > CANDIDATE_LIMIT {
            label.push_str(&format!(" / +{}", names.len() - CANDIDATE_LIMIT));
        }
        hints.push(InlayHint {
            offset: ambiguous.span.end,
            label: format!("\u{27e8}ambiguous: {label}\u{27e9}"),
            kind: HintKind::Ambiguous,
            span: ambiguous.span,
        });
    }
    hints.sort_by_key(|hint| (hint.offset, hint.span.start));
    hints
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Story;
    use super::*;

    /// Renders each hint as the text before it plus the label.
    fn check(range: Option<(&str, &str)>, expect: &str) {
        let story = Story::new();
        let draft = story.draft();
        let range = range.map(|(from, to)| story.span_from_to(from, to));
        let actual: Vec<String> = inlay_hints(&draft, range)
            .iter()
            .map(|hint| format!("{}{} {:?}", draft.slice(hint.span), hint.label, hint.kind))
            .collect();
        assert_eq!(actual.join("\n"), expect.trim());
    }

    #[test]
    fn hints_follow_resolved_and_ambiguous_short_forms() {
        check(
            None,
            "
Park⟨Park Min Ji⟩ Resolved
She⟨Park Min Ji⟩ Resolved
Fenwick⟨Laura Fenwick⟩ Resolved
the minister⟨Laura Fenwick⟩ Resolved
Park⟨ambiguous: Park Min Ji / Park Sung Ho / Park Jae Won⟩ Ambiguous",
        );
    }

    #[test]
    fn hints_are_limited_to_the_range() {
        check(
            Some(("Fenwick said", "the minister said")),
            "Fenwick⟨Laura Fenwick⟩ Resolved\nthe minister⟨Laura Fenwick⟩ Resolved",
        );
    }
}
