//! The summary lens on the headline: "N people · N sources · N quotes (N
//! unattributed)", the numbers an editor checks before filing.
//!
//! People are person entities; sources are the distinct sources of every
//! statement (direct or reported), whether linked to an entity or not
//! ("officials said"); quotes are direct quotes, and unattributed ones have
//! neither a speaker nor a source phrase.

use std::collections::HashSet;

use super::Draft;
use crate::model::{EntityKind, Span};

/// The headline summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Where the lens goes: the headline (or the first paragraph).
    pub span: Span,
    pub people: usize,
    pub sources: usize,
    pub quotes: usize,
    pub unattributed: usize,
    pub title: String,
}

fn count(number: usize, one: &str, many: &str) -> String {
    format!("{number} {}", if number == 1 { one } else { many })
}

/// The summary lens, or `None` for an empty draft.
pub fn summary(draft: &Draft<'_>) -> Option<Summary> {
    let span = draft.headline()?;
    let analysis = draft.analysis;
    let people = analysis.entities.iter().filter(|entity| entity.kind == EntityKind::Person).count();
    let mut sources: HashSet<String> = HashSet::new();
    for quote in &analysis.quotes {
        match (&quote.speaker, &quote.source_mention) {
            (Some(id), _) => {
                sources.insert(id.clone());
            }
            (None, Some(source)) => {
                sources.insert(source.text.to_lowercase());
            }
            (None, None) => {}
        }
    }
    let direct: Vec<_> = analysis.quotes.iter().filter(|quote| quote.direct).collect();
    let unattributed = direct.iter().filter(|quote| quote.speaker.is_none() && quote.source_mention.is_none()).count();
    let title = format!(
        "{} · {} · {} ({unattributed} unattributed)",
        count(people, "person", "people"),
        count(sources.len(), "source", "sources"),
        count(direct.len(), "quote", "quotes"),
    );
    Some(Summary { span, people, sources: sources.len(), quotes: direct.len(), unattributed, title })
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Story;
    use super::*;

    fn check(expect: &str) {
        let story = Story::new();
        let draft = story.draft();
        let actual = summary(&draft).map_or_else(
            || "none".to_owned(),
            |summary| format!("{} on {:?}", summary.title, draft.slice(summary.span)),
        );
        assert_eq!(actual, expect);
    }

    #[test]
    fn headline_summary_counts_people_sources_and_quotes() {
        check("4 people · 2 sources · 4 quotes (1 unattributed) on \"Harbour talks stall over fishing quotas\"");
    }
}
