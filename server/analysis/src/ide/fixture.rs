//! A small invented story with a hand-built analysis, so the editor queries
//! can be tested before (and independently of) the entity and attribution
//! stages. The people, places and quotes are made up for these tests.

use crate::document::{DocumentKind, DocumentLayout, layout};
use crate::model::{
    AmbiguousMention, Analysis, Entity, EntityKind, Mention, MentionForm, Quote, SourceKind, Span, TextSpan, Title,
};

use super::Draft;

pub(crate) const STORY: &str = "Harbour talks stall over fishing quotas
Coastal Ledger
[\"fisheries\"]
Valdoran Deputy Trade Minister Park Min Ji met her counterpart, Fisheries Minister Laura Fenwick, in Port Azure on Tuesday.
Park told reporters the talks were \"stuck on numbers.\" She said Valdora would not sign \"a deal that empties our nets,\" according to Nordwire and AP.
Fleet Commissioner Park Sung Ho and Harbour Authority chief Park Jae Won attended.
Fenwick said the quotas were fair. \"We have offered more than once,\" the minister said.
\"Nobody wants a blockade.\"
Park is expected to return next week.
";

/// The story, its layout and its hand-built analysis.
pub(crate) struct Story {
    pub text: String,
    pub analysis: Analysis,
    pub layout: DocumentLayout,
}

/// Finds the `nth` occurrence of `needle` in `text`.
pub(crate) fn find(text: &str, needle: &str, nth: usize) -> Span {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} occurs fewer than {} times", nth + 1))
        .0;
    Span::new(start, start + needle.len())
}

/// The offset marked by `$0` in `marked`, a snippet that occurs once in `text`
/// once the marker is removed.
pub(crate) fn cursor(text: &str, marked: &str) -> usize {
    let marker = marked.find("$0").expect("the snippet has a $0 cursor");
    let snippet = marked.replacen("$0", "", 1);
    let found: Vec<usize> = text.match_indices(&snippet).map(|(start, _)| start).collect();
    assert_eq!(found.len(), 1, "{snippet:?} must occur exactly once");
    found[0] + marker
}

struct Builder<'a> {
    text: &'a str,
    analysis: Analysis,
}

impl Builder<'_> {
    fn entity(&mut self, kind: EntityKind, name: &str, family: Option<&str>, family_first: bool) -> usize {
        let index = self.analysis.entities.len();
        self.analysis.entities.push(Entity {
            id: format!("e{index}"),
            kind,
            name: name.to_owned(),
            family_name: family.map(str::to_owned),
            family_name_first: family_first,
            titles: Vec::new(),
            mentions: Vec::new(),
            expansion: None,
            statements: Vec::new(),
        });
        index
    }

    fn mention(&mut self, entity: usize, needle: &str, nth: usize, form: MentionForm) {
        let span = find(self.text, needle, nth);
        self.analysis.entities[entity].mentions.push(Mention { span, text: needle.to_owned(), form });
        self.analysis.entities[entity].mentions.sort_by_key(|mention| mention.span);
    }

    fn title(&mut self, entity: usize, needle: &str) {
        let span = find(self.text, needle, 0);
        self.analysis.entities[entity].titles.push(Title {
            text: needle.to_owned(),
            normalized: needle.to_lowercase(),
            span,
        });
    }

    fn text_span(&self, needle: &str, nth: usize) -> TextSpan {
        TextSpan { span: find(self.text, needle, nth), text: needle.to_owned() }
    }

    #[allow(clippy::too_many_arguments)]
    fn quote(
        &mut self,
        content: (&str, usize),
        direct: bool,
        cue: Option<(&str, usize)>,
        source: Option<(&str, usize)>,
        speaker: Option<usize>,
        source_kind: SourceKind,
        via: &[usize],
    ) {
        let index = self.analysis.quotes.len();
        let span = find(self.text, content.0, content.1);
        let quote = Quote {
            span,
            content: span,
            text: content.0.to_owned(),
            direct,
            cue: cue.map(|(needle, nth)| self.text_span(needle, nth)),
            source_mention: source.map(|(needle, nth)| self.text_span(needle, nth)),
            speaker: speaker.map(|entity| format!("e{entity}")),
            source_kind,
            via: via.iter().map(|entity| format!("e{entity}")).collect(),
            floating: false,
            continues: false,
            earlier_quote: None,
        };
        self.analysis.quotes.push(quote);
        if let Some(entity) = speaker {
            self.analysis.entities[entity].statements.push(index);
        }
    }
}

impl Story {
    pub(crate) fn new() -> Story {
        Story::build(STORY)
    }

    /// The span from the first `from` to the end of the first `to` after the
    /// start of the story: how the range-taking queries' tests name a range.
    pub(crate) fn span_from_to(&self, from: &str, to: &str) -> Span {
        let start = self.text.find(from).unwrap_or_else(|| panic!("{from:?} is not in the story"));
        let end = self.text.find(to).unwrap_or_else(|| panic!("{to:?} is not in the story")) + to.len();
        Span::new(start, end)
    }

    /// Builds the analysis by finding each span in `text`, which must be the
    /// story, possibly with text inserted before it (to test multibyte offsets).
    pub(crate) fn build(text: &str) -> Story {
        use EntityKind::{Organization, Person, Place};
        use MentionForm::{Full, Partial, Pronoun, Title};
        let mut builder = Builder { text, analysis: Analysis::default() };
        let park = builder.entity(Person, "Park Min Ji", Some("Park"), true);
        builder.title(park, "Valdoran Deputy Trade Minister");
        builder.mention(park, "Park Min Ji", 0, Full);
        builder.mention(park, "Park", 1, Partial);
        builder.mention(park, "She", 0, Pronoun);
        let fenwick = builder.entity(Person, "Laura Fenwick", Some("Fenwick"), false);
        builder.title(fenwick, "Fisheries Minister");
        builder.mention(fenwick, "Laura Fenwick", 0, Full);
        builder.mention(fenwick, "Fenwick", 1, Partial);
        builder.mention(fenwick, "the minister", 0, Title);
        let port = builder.entity(Place, "Port Azure", None, false);
        builder.mention(port, "Port Azure", 0, Full);
        let valdora = builder.entity(Place, "Valdora", None, false);
        builder.mention(valdora, "Valdora ", 0, Full);
        let nordwire = builder.entity(Organization, "Nordwire", None, false);
        builder.mention(nordwire, "Nordwire", 0, Full);
        let ap = builder.entity(Organization, "AP", None, false);
        builder.mention(ap, "AP", 0, Full);
        let sung = builder.entity(Person, "Park Sung Ho", Some("Park"), true);
        builder.title(sung, "Fleet Commissioner");
        builder.mention(sung, "Park Sung Ho", 0, Full);
        let harbour = builder.entity(Organization, "Harbour Authority", None, false);
        builder.mention(harbour, "Harbour Authority", 0, Full);
        let jae = builder.entity(Person, "Park Jae Won", Some("Park"), true);
        builder.title(jae, "Harbour Authority chief");
        builder.mention(jae, "Park Jae Won", 0, Full);
        // "Valdora " was found with its trailing space to skip "Valdoran"; trim it.
        let valdora_mention = &mut builder.analysis.entities[valdora].mentions[0];
        valdora_mention.span.end -= 1;
        valdora_mention.text = "Valdora".to_owned();

        builder.quote(
            ("\"stuck on numbers.\"", 0),
            true,
            Some(("told", 0)),
            Some(("Park", 1)),
            Some(park),
            SourceKind::Person,
            &[],
        );
        builder.quote(
            ("\"a deal that empties our nets,\"", 0),
            true,
            Some(("said", 0)),
            Some(("She", 0)),
            Some(park),
            SourceKind::Person,
            &[nordwire, ap],
        );
        builder.quote(
            ("the quotas were fair", 0),
            false,
            Some(("said", 1)),
            Some(("Fenwick", 1)),
            Some(fenwick),
            SourceKind::Person,
            &[],
        );
        builder.quote(
            ("\"We have offered more than once,\"", 0),
            true,
            Some(("said", 2)),
            Some(("the minister", 0)),
            Some(fenwick),
            SourceKind::Person,
            &[],
        );
        builder.quote(("\"Nobody wants a blockade.\"", 0), true, None, None, None, SourceKind::Unknown, &[]);
        let last_park = find(text, "Park", 4);
        builder.analysis.ambiguous_mentions.push(AmbiguousMention {
            span: last_park,
            text: "Park".to_owned(),
            candidates: vec![format!("e{park}"), format!("e{sung}"), format!("e{jae}")],
        });
        let layout = layout(text, DocumentKind::PlainText);
        Story { text: text.to_owned(), analysis: builder.analysis, layout }
    }

    pub(crate) fn draft(&self) -> Draft<'_> {
        Draft { text: &self.text, analysis: &self.analysis, layout: &self.layout, config: None }
    }
}

#[test]
fn the_fixture_spans_cover_their_text() {
    let story = Story::new();
    for entity in &story.analysis.entities {
        for mention in &entity.mentions {
            assert_eq!(&story.text[mention.span.start..mention.span.end], mention.text);
        }
    }
    assert_eq!(&story.text[story.analysis.ambiguous_mentions[0].span.start..][..17], "Park is expected ");
}
