//! Hover content: who a name is, what a quote's source and relay chain are.
//!
//! The result is Markdown, because every editor we target renders it. It is
//! built from the analysis alone: the fullest name and kind, titles as written
//! with the line each appears on, the first reference, how many times and how
//! the entity is mentioned, and its statements (direct quotes first). Plain
//! words get no hover at all, so the writer is never shown noise.

use std::fmt::Write as _;

use super::{Draft, Target, escape_markdown, form_phrase, join_names, kind_word, shorten_statement, target_at};
use crate::model::{AmbiguousMention, Entity, EntityKind, MentionForm, Quote, SourceKind, Span};

/// How many statements a hover lists before saying "and N more".
const STATEMENT_LIMIT: usize = 5;
/// How many characters of a statement a hover shows.
const STATEMENT_LENGTH: usize = 72;

/// A hover: the Markdown to show and the span it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub span: Span,
    pub markdown: String,
}

/// The hover at `offset`, or `None` on plain words.
pub fn hover(draft: &Draft<'_>, offset: usize) -> Option<Hover> {
    let target = target_at(draft, offset)?;
    let markdown = match target {
        Target::Mention { entity, mention } => {
            let written = (mention.form != MentionForm::Full).then_some((mention.text.as_str(), mention.form));
            entity_markdown(draft, entity, written)
        }
        Target::Title { entity, .. } => entity_markdown(draft, entity, None),
        Target::Source { entity: Some(entity), span, .. } => {
            entity_markdown(draft, entity, Some((draft.slice(span), MentionForm::Pronoun)))
        }
        Target::Source { quote, .. } | Target::Quote { quote, .. } => quote_markdown(draft, quote),
        Target::Ambiguous(ambiguous) => ambiguous_markdown(draft, ambiguous),
    };
    Some(Hover { span: target.span(), markdown })
}

/// The hover for an entity. `written` is the short form under the cursor,
/// when it is not the full name, so the hover can say what it stands for.
pub fn entity_markdown(draft: &Draft<'_>, entity: &Entity, written: Option<(&str, MentionForm)>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "**{}** · {}", escape_markdown(&entity.name), kind_word(entity.kind));
    if let Some((text, form)) = written {
        let _ = writeln!(
            out,
            "\n\u{201c}{}\u{201d} here is {} ({}).",
            escape_markdown(text),
            escape_markdown(&entity.name),
            form_phrase(entity.kind, form)
        );
    }
    if let Some(expansion) = &entity.expansion {
        let _ = writeln!(out, "\nSpelled out: {}", escape_markdown(expansion));
    }
    if !entity.titles.is_empty() {
        out.push('\n');
        for title in &entity.titles {
            let _ =
                writeln!(out, "- *{}* (line {})", escape_markdown(&title.text), draft.line_number(title.span.start));
        }
    }
    if let Some(first) = entity.introducing_mention() {
        let _ = writeln!(
            out,
            "\nFirst reference: line {}, \u{201c}{}\u{201d}",
            draft.line_number(first.span.start),
            escape_markdown(&first_reference_phrase(draft, entity, first.span))
        );
    }
    let references = draft.reference_spans(entity);
    let _ = writeln!(
        out,
        "\n{} ({})",
        plural(references.len(), "mention", "mentions"),
        form_breakdown(draft, entity, references.len())
    );
    let facts = stylebook_facts(draft, entity);
    if !facts.is_empty() {
        let _ = writeln!(out, "\n**Stylebook**\n");
        for fact in facts {
            let _ = writeln!(out, "- {fact}");
        }
    }
    let statements: Vec<&Quote> = ordered_statements(draft, entity);
    if !statements.is_empty() {
        let _ = writeln!(out, "\n**Statements in this draft**\n");
        for quote in statements.iter().take(STATEMENT_LIMIT) {
            let _ = writeln!(out, "- {}", statement_line(draft, quote));
        }
        if statements.len() > STATEMENT_LIMIT {
            let _ = writeln!(out, "- and {} more", statements.len() - STATEMENT_LIMIT);
        }
    }
    out.trim_end().to_owned()
}

/// What the configured stylebook says about the entity: its preferred name
/// when the draft spells it differently, titles with their dates, pronouns,
/// an organisation's expansion.
fn stylebook_facts(draft: &Draft<'_>, entity: &Entity) -> Vec<String> {
    let Some(config) = draft.config else {
        return Vec::new();
    };
    let spelled = |name: &str| {
        entity.name.eq_ignore_ascii_case(name)
            || entity
                .mentions
                .iter()
                .any(|mention| mention.form == MentionForm::Full && mention.text.eq_ignore_ascii_case(name))
    };
    let mut facts = Vec::new();
    match entity.kind {
        EntityKind::Person => {
            let Some(person) = config.people.iter().find(|person| person.all_names().any(spelled)) else {
                return facts;
            };
            if person.name != entity.name {
                facts.push(format!("Write the name as *{}*", escape_markdown(&person.name)));
            }
            if let Some(family) = person.family_name() {
                facts.push(format!("Family name: {}", escape_markdown(family)));
            }
            for title in &person.titles {
                let dates = match (title.from, title.until) {
                    (Some(from), Some(until)) => format!(" ({from} to {until})"),
                    (Some(from), None) => format!(" (since {from})"),
                    (None, Some(until)) => format!(" (until {until})"),
                    (None, None) => String::new(),
                };
                facts.push(format!("*{}*{dates}", escape_markdown(&title.title)));
            }
            if let Some(pronouns) = &person.pronouns {
                facts.push(format!("Pronouns: {}", escape_markdown(pronouns)));
            }
        }
        EntityKind::Organization | EntityKind::Place => {
            let Some(organization) = config.organizations.iter().find(|organization| {
                spelled(&organization.name) || organization.aliases.iter().any(|alias| spelled(alias))
            }) else {
                return facts;
            };
            if organization.name != entity.name {
                facts.push(format!("Write it as *{}*", escape_markdown(&organization.name)));
            }
            if let Some(expansion) = &organization.expansion {
                facts.push(format!("Stands for {}", escape_markdown(expansion)));
            }
        }
    }
    facts
}

/// The introducing mention with the title written right before it, when
/// there is one ("Valdoran Deputy Trade Minister Park Min Ji").
fn first_reference_phrase(draft: &Draft<'_>, entity: &Entity, first: Span) -> String {
    let title_before = entity.titles.iter().find(|title| {
        title.span.end <= first.start && draft.slice(Span::new(title.span.end, first.start)).trim().is_empty()
    });
    match title_before {
        Some(title) => draft.slice(Span::new(title.span.start, first.end)).to_owned(),
        None => draft.slice(first).to_owned(),
    }
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// "2 full name, 1 family name, 1 pronoun", in a fixed order.
fn form_breakdown(draft: &Draft<'_>, entity: &Entity, total: usize) -> String {
    let forms =
        [MentionForm::Full, MentionForm::Partial, MentionForm::Title, MentionForm::Pronoun, MentionForm::Acronym];
    let mut parts: Vec<String> = forms
        .iter()
        .filter_map(|form| {
            let count = entity.mentions.iter().filter(|mention| mention.form == *form).count();
            (count > 0).then(|| format!("{count} {}", form_phrase(entity.kind, *form)))
        })
        .collect();
    // Source phrases the linking did not record as mentions (a pronoun speaker).
    let extra = total.saturating_sub(entity.mentions.len());
    if extra > 0 {
        parts.push(format!("{extra} as a speaker"));
    }
    let _ = draft;
    parts.join(", ")
}

/// The entity's statements: direct quotes first, then reported speech, each
/// group in text order.
fn ordered_statements<'a>(draft: &Draft<'a>, entity: &Entity) -> Vec<&'a Quote> {
    let quotes = &draft.analysis.quotes;
    let mut statements: Vec<&'a Quote> =
        quotes.iter().filter(|quote| quote.speaker.as_deref() == Some(entity.id.as_str())).collect();
    // Also honour the entity's own statement list, in case the quote's speaker
    // field was left empty by a relay.
    for index in &entity.statements {
        if let Some(quote) = quotes.get(*index) {
            if !statements.iter().any(|known| std::ptr::eq(*known, quote)) {
                statements.push(quote);
            }
        }
    }
    statements.sort_by_key(|quote| (!quote.direct, quote.span.start));
    statements
}

/// One statement: the shortened text, the cue with its source words, the line.
fn statement_line(draft: &Draft<'_>, quote: &Quote) -> String {
    let text = shorten_statement(&quote.text, STATEMENT_LENGTH);
    let mut line = if quote.direct { escape_markdown(&text) } else { format!("(reported) {}", escape_markdown(&text)) };
    let cue = cue_phrase(quote);
    if !cue.is_empty() {
        let _ = write!(line, " — {cue}");
    }
    let _ = write!(line, " (line {})", draft.line_number(quote.span.start));
    let relays = relay_names(draft, quote);
    if !relays.is_empty() {
        let _ = write!(line, ", via {}", escape_markdown(&join_names(&relays)));
    }
    line
}

/// "*She* *said*", "*said*", or "" when there is no cue.
fn cue_phrase(quote: &Quote) -> String {
    match (&quote.source_mention, &quote.cue) {
        (Some(source), Some(cue)) if source.span.end <= cue.span.start => {
            format!("{} *{}*", escape_markdown(&source.text), escape_markdown(&cue.text))
        }
        (Some(source), Some(cue)) => format!("*{}* {}", escape_markdown(&cue.text), escape_markdown(&source.text)),
        (None, Some(cue)) => format!("*{}*", escape_markdown(&cue.text)),
        (Some(source), None) => escape_markdown(&source.text),
        (None, None) => String::new(),
    }
}

fn relay_names(draft: &Draft<'_>, quote: &Quote) -> Vec<String> {
    quote
        .via
        .iter()
        .map(|id| draft.analysis.entity(id).map_or_else(|| id.clone(), |entity| entity.name.clone()))
        .collect()
}

/// The hover for a quote: its source and the chain of relays.
pub fn quote_markdown(draft: &Draft<'_>, quote: &Quote) -> String {
    let mut out = String::new();
    let what = if quote.direct { "Direct quote" } else { "Reported speech" };
    let _ = writeln!(out, "**{what}** · line {}", draft.line_number(quote.span.start));
    let source_name = match (draft.speaker_of(quote), &quote.source_mention) {
        (Some(entity), _) => Some(entity.name.clone()),
        (None, Some(source)) => Some(source.text.clone()),
        (None, None) => None,
    };
    match &source_name {
        Some(name) => {
            let mut line = format!("\nSource: **{}**", escape_markdown(name));
            let kind = match quote.source_kind {
                SourceKind::Person => "person",
                SourceKind::Organization => "organisation",
                SourceKind::Agency => "news agency",
                SourceKind::Anonymous => "anonymous source",
                SourceKind::Unknown => "unidentified",
            };
            let _ = write!(line, " ({kind})");
            if let Some(source) = &quote.source_mention {
                if source.text != *name {
                    let _ = write!(line, ", written \u{201c}{}\u{201d}", escape_markdown(&source.text));
                }
            }
            let _ = writeln!(out, "{line}");
        }
        None => {
            let _ = writeln!(out, "\nSource: **none found**. Say who said this.");
        }
    }
    if let Some(cue) = &quote.cue {
        let _ = writeln!(out, "\nCue: *{}*", escape_markdown(&cue.text));
    }
    if quote.floating {
        let _ =
            writeln!(out, "\nNo cue in its sentence: the speaker is carried over from the previous attributed quote.");
    }
    let relays = relay_names(draft, quote);
    if !relays.is_empty() {
        let mut chain = vec![source_name.unwrap_or_else(|| "unknown source".to_owned())];
        chain.extend(relays);
        chain.push("this draft".to_owned());
        let chain: Vec<String> = chain.iter().map(|name| escape_markdown(name)).collect();
        let _ = writeln!(out, "\nRelay chain: {}", chain.join(" → "));
    }
    out.trim_end().to_owned()
}

/// The hover for a short form that fits several entities.
pub fn ambiguous_markdown(draft: &Draft<'_>, ambiguous: &AmbiguousMention) -> String {
    let candidates: Vec<&Entity> = ambiguous.candidates.iter().filter_map(|id| draft.analysis.entity(id)).collect();
    let mut out = String::new();
    let _ = writeln!(out, "**{}** · ambiguous reference", escape_markdown(&ambiguous.text));
    let noun = if candidates.iter().all(|entity| entity.kind == EntityKind::Person) { "people" } else { "entities" };
    let _ =
        writeln!(out, "\nCould be any of {} {noun} in this draft; the text does not say which:\n", candidates.len());
    for entity in &candidates {
        let mut line = format!("- **{}**", escape_markdown(&entity.name));
        if let Some(title) = entity.titles.first() {
            let _ = write!(line, ", {}", escape_markdown(&title.text));
        }
        if let Some(first) = entity.introducing_mention() {
            let _ = write!(line, " (first reference line {})", draft.line_number(first.span.start));
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "\nWhy: {}", ambiguity_reason(&ambiguous.text, &candidates));
    out.trim_end().to_owned()
}

/// Says why a short form fits several entities.
fn ambiguity_reason(text: &str, candidates: &[&Entity]) -> String {
    let bare = strip_honorific(text);
    let quoted = format!("\u{201c}{}\u{201d}", escape_markdown(text));
    if !candidates.is_empty()
        && candidates.iter().all(|entity| entity.family_name.as_deref().is_some_and(|family| family == bare))
    {
        return format!("{quoted} is the family name of each of them. Use the full name or a title here to say which.");
    }
    let lower = bare.to_lowercase();
    if !candidates.is_empty()
        && candidates.iter().all(|entity| entity.titles.iter().any(|title| title.normalized.contains(&lower)))
    {
        return format!("{quoted} fits the title of each of them. Use the name here to say which.");
    }
    format!("{quoted} fits the name of each of them. Use the full name here to say which.")
}

fn strip_honorific(text: &str) -> &str {
    for honorific in ["Mr. ", "Mrs. ", "Ms. ", "Dr. ", "Mr ", "Mrs ", "Ms ", "Dr ", "Prof. "] {
        if let Some(rest) = text.strip_prefix(honorific) {
            return rest;
        }
    }
    text.trim_end_matches("'s").trim_end_matches("\u{2019}s")
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Story, cursor};
    use super::*;

    fn check(marked: &str, expect: &str) {
        let story = Story::new();
        let draft = story.draft();
        let offset = cursor(&story.text, marked);
        let actual = match hover(&draft, offset) {
            None => "no hover".to_owned(),
            Some(hover) => format!("[{}]\n{}", draft.slice(hover.span), hover.markdown),
        };
        assert_eq!(actual.trim(), expect.trim(), "\nactual:\n{actual}");
    }

    #[test]
    fn hover_on_a_family_name_shows_the_person() {
        check(
            "$0Park told",
            "
[Park]
**Park Min Ji** · person

\u{201c}Park\u{201d} here is Park Min Ji (family name).

- *Valdoran Deputy Trade Minister* (line 4)

First reference: line 4, \u{201c}Valdoran Deputy Trade Minister Park Min Ji\u{201d}

3 mentions (1 full name, 1 family name, 1 pronoun)

**Statements in this draft**

- \"stuck on numbers.\" — Park *told* (line 5)
- \"a deal that empties our nets,\" — She *said* (line 5), via Nordwire and AP",
        );
    }

    #[test]
    fn hover_on_a_pronoun_speaker_and_on_a_title_only_mention() {
        check(
            "$0She said",
            "
[She]
**Park Min Ji** · person

\u{201c}She\u{201d} here is Park Min Ji (pronoun).

- *Valdoran Deputy Trade Minister* (line 4)

First reference: line 4, \u{201c}Valdoran Deputy Trade Minister Park Min Ji\u{201d}

3 mentions (1 full name, 1 family name, 1 pronoun)

**Statements in this draft**

- \"stuck on numbers.\" — Park *told* (line 5)
- \"a deal that empties our nets,\" — She *said* (line 5), via Nordwire and AP",
        );
        check(
            "the min$0ister said",
            "
[the minister]
**Laura Fenwick** · person

\u{201c}the minister\u{201d} here is Laura Fenwick (title).

- *Fisheries Minister* (line 4)

First reference: line 4, \u{201c}Fisheries Minister Laura Fenwick\u{201d}

3 mentions (1 full name, 1 family name, 1 title)

**Statements in this draft**

- \"We have offered more than once,\" — the minister *said* (line 7)
- (reported) the quotas were fair — Fenwick *said* (line 7)",
        );
    }

    #[test]
    fn hover_on_an_ambiguous_family_name_lists_the_candidates() {
        check(
            "$0Park is expected",
            "
[Park]
**Park** · ambiguous reference

Could be any of 3 people in this draft; the text does not say which:

- **Park Min Ji**, Valdoran Deputy Trade Minister (first reference line 4)
- **Park Sung Ho**, Fleet Commissioner (first reference line 6)
- **Park Jae Won**, Harbour Authority chief (first reference line 6)

Why: \u{201c}Park\u{201d} is the family name of each of them. Use the full name or a title here to say which.",
        );
    }

    #[test]
    fn hover_on_a_quote_shows_source_and_relay_chain() {
        check(
            "empties $0our",
            "
[\"a deal that empties our nets,\"]
**Direct quote** · line 5

Source: **Park Min Ji** (person), written \u{201c}She\u{201d}

Cue: *said*

Relay chain: Park Min Ji → Nordwire → AP → this draft",
        );
        check(
            "Nobody $0wants",
            "
[\"Nobody wants a blockade.\"]
**Direct quote** · line 8

Source: **none found**. Say who said this.",
        );
    }

    #[test]
    fn stylebook_facts_are_shown_when_configured() {
        let story = Story::new();
        let config = crate::config::Config::from_toml_str(
            "[[people]]\nname = \"Laura J. Fenwick\"\naliases = [\"Laura Fenwick\"]\npronouns = \"she/her\"\n\n[[people.titles]]\ntitle = \"Fisheries Minister\"\nfrom = \"2021-03-01\"\n",
        )
        .expect("stylebook parses");
        let draft = story.draft().with_config(&config);
        let offset = cursor(&story.text, "Laura Fen$0wick");
        let markdown = hover(&draft, offset).expect("hover").markdown;
        let facts = markdown.split("**Stylebook**").nth(1).expect("stylebook section").split("**Statements").next();
        assert_eq!(
            facts.map(str::trim),
            Some(
                "- Write the name as *Laura J. Fenwick*\n- Family name: Fenwick\n- *Fisheries Minister* (since 2021-03-01)\n- Pronouns: she/her"
            )
        );
    }

    #[test]
    fn plain_words_have_no_hover() {
        check("fishing$0 quotas", "no hover");
        check("return next $0week", "no hover");
    }

    #[test]
    fn an_organisation_hover_is_short() {
        check(
            "Nord$0wire",
            "
[Nordwire]
**Nordwire** · organisation

First reference: line 5, \u{201c}Nordwire\u{201d}

1 mention (1 full name)",
        );
    }
}
