//! The outline of a draft (People / Organisations / Places / Quotes by
//! speaker) and the flat list that workspace symbol search matches against.
//!
//! Each group's span covers its children's spans, and each child's selection
//! span lies inside its span, which is what LSP clients require of a
//! hierarchical outline.

use super::{Draft, shorten_statement};
use crate::model::{Entity, EntityKind, Quote, Span};

/// What an outline entry stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// A group heading: People, Organisations, Places, Quotes.
    Group,
    Person,
    Organization,
    Place,
    /// A speaker under Quotes (or "Unattributed").
    Speaker,
    Quote,
}

/// One outline entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// Everything the entry covers.
    pub span: Span,
    /// The part to select when the entry is picked (inside `span`).
    pub selection_span: Span,
    pub children: Vec<Symbol>,
}

fn entity_symbol_kind(kind: EntityKind) -> SymbolKind {
    match kind {
        EntityKind::Person => SymbolKind::Person,
        EntityKind::Organization => SymbolKind::Organization,
        EntityKind::Place => SymbolKind::Place,
    }
}

/// An entity as an outline entry: its introducing mention, with titles and the
/// mention count as detail.
fn entity_symbol(draft: &Draft<'_>, entity: &Entity) -> Option<Symbol> {
    let introducing = entity.introducing_mention()?;
    let count = draft.reference_spans(entity).len();
    let mut detail = String::new();
    if let Some(title) = entity.titles.first() {
        detail.push_str(&title.text);
        detail.push_str(" · ");
    }
    detail.push_str(&format!("{count} mention{}", if count == 1 { "" } else { "s" }));
    Some(Symbol {
        name: entity.name.clone(),
        detail: Some(detail),
        kind: entity_symbol_kind(entity.kind),
        span: introducing.span,
        selection_span: introducing.span,
        children: Vec::new(),
    })
}

fn cover(children: &[Symbol]) -> Span {
    let start = children.iter().map(|child| child.span.start).min().unwrap_or(0);
    let end = children.iter().map(|child| child.span.end).max().unwrap_or(0);
    Span::new(start, end)
}

fn group(name: &str, mut children: Vec<Symbol>) -> Option<Symbol> {
    if children.is_empty() {
        return None;
    }
    children.sort_by_key(|child| child.span);
    let span = cover(&children);
    Some(Symbol {
        name: name.to_owned(),
        detail: Some(children.len().to_string()),
        kind: SymbolKind::Group,
        span,
        selection_span: children[0].selection_span,
        children,
    })
}

fn quote_symbol(quote: &Quote) -> Symbol {
    Symbol {
        name: shorten_statement(&quote.text, 60),
        detail: Some(if quote.direct { "direct quote" } else { "reported" }.to_owned()),
        kind: SymbolKind::Quote,
        span: quote.span,
        selection_span: quote.span,
        children: Vec::new(),
    }
}

/// The outline: People, Organisations, Places (in order of first mention),
/// then Quotes grouped by speaker. Empty groups are left out.
pub fn document_symbols(draft: &Draft<'_>) -> Vec<Symbol> {
    let mut groups = Vec::new();
    for (name, kind) in
        [("People", EntityKind::Person), ("Organisations", EntityKind::Organization), ("Places", EntityKind::Place)]
    {
        let children: Vec<Symbol> = draft
            .analysis
            .entities
            .iter()
            .filter(|entity| entity.kind == kind)
            .filter_map(|entity| entity_symbol(draft, entity))
            .collect();
        groups.extend(group(name, children));
    }
    // Quotes by speaker, speakers in order of their first statement.
    let mut speakers: Vec<(String, Vec<&Quote>)> = Vec::new();
    for quote in &draft.analysis.quotes {
        let speaker = match (draft.speaker_of(quote), &quote.source_mention) {
            (Some(entity), _) => entity.name.clone(),
            (None, Some(source)) => source.text.clone(),
            (None, None) => "Unattributed".to_owned(),
        };
        match speakers.iter_mut().find(|(name, _)| *name == speaker) {
            Some((_, quotes)) => quotes.push(quote),
            None => speakers.push((speaker, vec![quote])),
        }
    }
    let speaker_symbols: Vec<Symbol> = speakers
        .into_iter()
        .map(|(name, quotes)| {
            let children: Vec<Symbol> = quotes.iter().map(|quote| quote_symbol(quote)).collect();
            let direct = quotes.iter().filter(|quote| quote.direct).count();
            let span = cover(&children);
            Symbol {
                name,
                detail: Some(format!("{direct} direct, {} reported", quotes.len() - direct)),
                kind: SymbolKind::Speaker,
                span,
                selection_span: children[0].selection_span,
                children,
            }
        })
        .collect();
    groups.extend(group("Quotes", speaker_symbols));
    groups
}

/// One entry for workspace symbol search: an entity of one draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatSymbol {
    pub name: String,
    pub kind: SymbolKind,
    pub span: Span,
    /// The entity's first title, for the search list.
    pub container: Option<String>,
}

/// The draft's entities whose name (or a title) matches `query`: every word of
/// the query must start some word of the name, case-insensitively, so "mor ig"
/// finds "Igor Morgulov". An empty query matches everything.
pub fn workspace_symbols(draft: &Draft<'_>, query: &str) -> Vec<FlatSymbol> {
    let query_words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    draft
        .analysis
        .entities
        .iter()
        .filter(|entity| {
            let mut words: Vec<String> = entity.name.split_whitespace().map(str::to_lowercase).collect();
            for title in &entity.titles {
                words.extend(title.text.split_whitespace().map(str::to_lowercase));
            }
            query_words.iter().all(|query_word| words.iter().any(|word| word.starts_with(query_word.as_str())))
        })
        .filter_map(|entity| {
            let introducing = entity.introducing_mention()?;
            Some(FlatSymbol {
                name: entity.name.clone(),
                kind: entity_symbol_kind(entity.kind),
                span: introducing.span,
                container: entity.titles.first().map(|title| title.text.clone()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Story;
    use super::*;

    fn render(symbols: &[Symbol], depth: usize, out: &mut String) {
        for symbol in symbols {
            assert!(symbol.span.contains(symbol.selection_span), "{symbol:?}");
            for child in &symbol.children {
                assert!(symbol.span.contains(child.span), "{child:?} outside {symbol:?}");
            }
            out.push_str(&format!(
                "{}{:?} {} ({})\n",
                "  ".repeat(depth),
                symbol.kind,
                symbol.name,
                symbol.detail.as_deref().unwrap_or("")
            ));
            render(&symbol.children, depth + 1, out);
        }
    }

    fn check(expect: &str) {
        let story = Story::new();
        let mut actual = String::new();
        render(&document_symbols(&story.draft()), 0, &mut actual);
        assert_eq!(actual.trim(), expect.trim(), "\nactual:\n{actual}");
    }

    #[test]
    fn outline_groups_people_organisations_places_and_quotes() {
        check(
            r#"
Group People (4)
  Person Park Min Ji (Valdoran Deputy Trade Minister · 3 mentions)
  Person Laura Fenwick (Fisheries Minister · 3 mentions)
  Person Park Sung Ho (Fleet Commissioner · 1 mention)
  Person Park Jae Won (Harbour Authority chief · 1 mention)
Group Organisations (3)
  Organization Nordwire (1 mention)
  Organization AP (1 mention)
  Organization Harbour Authority (1 mention)
Group Places (2)
  Place Port Azure (1 mention)
  Place Valdora (1 mention)
Group Quotes (3)
  Speaker Park Min Ji (2 direct, 0 reported)
    Quote "stuck on numbers." (direct quote)
    Quote "a deal that empties our nets," (direct quote)
  Speaker Laura Fenwick (1 direct, 1 reported)
    Quote the quotas were fair (reported)
    Quote "We have offered more than once," (direct quote)
  Speaker Unattributed (1 direct, 0 reported)
    Quote "Nobody wants a blockade." (direct quote)
"#,
        );
    }

    #[test]
    fn workspace_symbols_match_word_prefixes() {
        let story = Story::new();
        let names = |query: &str| -> Vec<String> {
            workspace_symbols(&story.draft(), query).into_iter().map(|symbol| symbol.name).collect()
        };
        assert_eq!(names("park"), ["Park Min Ji", "Park Sung Ho", "Park Jae Won"]);
        assert_eq!(names("ho pa"), ["Park Sung Ho"]);
        assert_eq!(names("fisheries"), ["Laura Fenwick"]);
        assert_eq!(names("zzz"), Vec::<String>::new());
        assert_eq!(names("").len(), 9);
    }
}
