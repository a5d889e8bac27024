//! Entity analysis: people, organisations and places, their titles, and which
//! later references (surname, title, acronym) point at which entity.
//!
//! Works in two stages, like the rest of the core:
//! - [`analyze_paragraph`] tokenizes one paragraph, splits sentences and finds
//!   mention candidates with their attached titles ([`ParagraphEntities`],
//!   paragraph-relative byte offsets, cached by content);
//! - [`link`] joins the candidates across the document into entities
//!   ([`EntityLinking`]), resolving short forms and recording ambiguity.
//!
//! Submodules: [`tokens`] (tokenizer), [`sentences`] (sentence boundaries),
//! [`names`] (mention candidates from capitalised spans), [`titles`] (titles
//! before, after and around names), [`lexicon`] (compiled-in word lists),
//! [`tagger`] (the statistical name tagger), [`linking`] (document-level linking).

pub mod dependencies;
pub mod lexicon;
pub mod linking;
pub mod names;
pub mod sentences;
pub mod tagger;
pub mod titles;
pub mod tokens;

use crate::config::Config;
use crate::document::ParagraphKind;
use crate::model::{AmbiguousMention, Entity, EntityKind, MentionForm, Span};
use crate::pipeline::ParagraphView;

pub use tokens::{Capitalization, Token, TokenKind};

/// Where a title stands relative to the name it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TitlePlacement {
    /// "Chinese Premier Li Keqiang", "DPRK's leader Kim Jong Un".
    Before,
    /// "Choe Son Hui, the vice foreign minister,".
    Apposition,
    /// "his Russian counterpart Igor Morgulov": the title is defined by another
    /// person (the subject of the sentence); `relative_to` on the mention says whom.
    Relational,
}

/// A title attached to one mention, as found in the paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TitleCandidate {
    /// Paragraph-relative span of the title as written ("DPRK Vice Foreign Minister").
    pub span: Span,
    /// The title as written.
    pub text: String,
    /// Lowercase, articles/"late"/"former" and possessive markers dropped
    /// ("dprk vice foreign minister"). Used to compare titles.
    pub normalized: String,
    pub placement: TitlePlacement,
}

/// One place in the paragraph that may name a person, organisation or place.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MentionCandidate {
    /// Paragraph-relative span of the name itself: no title, no honorific, no
    /// possessive ending ("Kim Jong Un" in "DPRK leader Kim Jong Un's").
    pub span: Span,
    /// The guessed kind. For a single word the linker may still change it when
    /// the word is a short form of an entity of another kind.
    pub kind: EntityKind,
    /// `Full` for multi-word names and one-word names of organisations and
    /// places, `Partial` for one-word person names (may be a surname reference),
    /// `Acronym` for all-capital short forms, `Title` for a title standing alone
    /// ("the premier"; the span is the title words).
    pub form: MentionForm,
    /// The words of the name, in order (particles such as "von", "bin" included).
    pub name_parts: Vec<Span>,
    /// "Mr." / "Dr." / "President" directly before a surname.
    pub honorific: Option<Span>,
    /// The title attached to this mention, if any.
    pub title: Option<TitleCandidate>,
    /// For relational titles ("his Russian counterpart X"): the span of the
    /// mention the title is relative to (the sentence's first person), when found.
    pub relative_to: Option<Span>,
    /// True when followed by a possessive ending ("Kim Jong Un's").
    pub possessive: bool,
    /// For a spelled-out name followed by its acronym in brackets
    /// ("Democratic People's Republic of Korea (DPRK)"): the acronym's span.
    pub acronym: Option<Span>,
    /// For people: `Some(true)` when the lexicon or the spelling says the
    /// family name comes first ("Kim Jong Un"), `Some(false)` for given-family,
    /// `None` when unknown. The linker has the final word (a later "Im" alone
    /// fixes "Im Chon Il" as family-first).
    pub family_name_first: Option<bool>,
    /// Index into [`ParagraphEntities::sentences`].
    pub sentence: usize,
}

impl MentionCandidate {
    /// The mention's text in the paragraph's prose.
    pub fn text<'a>(&self, prose: &'a str) -> &'a str {
        &prose[self.span.start..self.span.end]
    }
}

/// What one paragraph contributes, with paragraph-relative byte offsets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParagraphEntities {
    /// Every token of the paragraph, in order.
    pub tokens: Vec<Token>,
    /// Sentence spans, in order (from first to last token of each sentence).
    pub sentences: Vec<Span>,
    /// For each sentence, the range of indices into `tokens`.
    pub sentence_tokens: Vec<std::ops::Range<usize>>,
    /// Mention candidates in text order (by span start).
    pub mentions: Vec<MentionCandidate>,
    /// Capitalised words outside every mention and title (not sentence words
    /// like "The"); the linker attaches one to an entity only when it is that
    /// entity's name or a person's family name, unambiguously.
    pub other_capitalized: Vec<Span>,
}

impl ParagraphEntities {
    /// The mention candidates that lie entirely inside `span` (paragraph-relative),
    /// in text order. Cheap: a binary search plus a scan of the hits.
    pub fn entity_mentions_in(&self, span: Span) -> impl Iterator<Item = &MentionCandidate> + '_ {
        let first = self.mentions.partition_point(|mention| mention.span.start < span.start);
        self.mentions[first..]
            .iter()
            .take_while(move |mention| mention.span.start < span.end)
            .filter(move |mention| span.contains(mention.span))
    }

    /// The mention candidate whose name span touches `offset` (paragraph-relative).
    pub fn mention_at(&self, offset: usize) -> Option<&MentionCandidate> {
        let index = self.mentions.partition_point(|mention| mention.span.end < offset);
        self.mentions[index..]
            .iter()
            .take_while(|mention| mention.span.start <= offset)
            .find(|mention| mention.span.touches_offset(offset))
    }

    /// The tokens that lie entirely inside `span`.
    pub fn tokens_in(&self, span: Span) -> &[Token] {
        let first = self.tokens.partition_point(|token| token.span.start < span.start);
        let last = self.tokens.partition_point(|token| token.span.end <= span.end);
        if first >= last { &[] } else { &self.tokens[first..last] }
    }

    /// The index of the sentence containing `offset`, if any.
    pub fn sentence_index_at(&self, offset: usize) -> Option<usize> {
        let index = self.sentences.partition_point(|sentence| sentence.end <= offset);
        (index < self.sentences.len() && self.sentences[index].start <= offset).then_some(index)
    }
}

/// Finds mention candidates in one paragraph's prose view.
pub fn analyze_paragraph(prose: &str, kind: ParagraphKind) -> ParagraphEntities {
    let tokens = tokens::tokenize(prose);
    let sentence_tokens = sentences::sentence_token_ranges(prose, &tokens);
    let sentences = sentences::sentence_spans(&tokens, &sentence_tokens);
    let mut result =
        ParagraphEntities { tokens, sentences, sentence_tokens, mentions: Vec::new(), other_capitalized: Vec::new() };
    if kind == ParagraphKind::Tags {
        return result;
    }
    result.mentions = names::find_mentions(prose, kind, &result.tokens, &result.sentence_tokens);
    for mention in &mut result.mentions {
        drop_leading_determiner(prose, mention);
    }
    result.other_capitalized = names::other_capitalized(prose, &result.tokens, &result.mentions);
    result
}

/// Possessive determiners, which never begin a name: "My Forsyth" is a typo
/// for "Mr Forsyth", "Our Ana" a way of speaking of Ana.
const DETERMINERS: &[&str] = &["My", "Our", "Your", "His", "Her", "Their", "Its"];

/// Takes a possessive determiner off the front of a person's name, so a slip
/// such as "agreeing with My Forsyth" reads as a reference to Forsyth rather
/// than introducing a person called "My Forsyth" (who would then make every
/// later "Forsyth" ambiguous).
fn drop_leading_determiner(prose: &str, mention: &mut MentionCandidate) {
    if mention.kind != EntityKind::Person || mention.name_parts.len() < 2 {
        return;
    }
    let first = mention.name_parts[0];
    if !DETERMINERS.contains(&&prose[first.start..first.end]) || first.start != mention.span.start {
        return;
    }
    mention.name_parts.remove(0);
    mention.span.start = mention.name_parts[0].start;
    if mention.name_parts.len() == 1 {
        mention.form = MentionForm::Partial;
        mention.family_name_first = None;
    }
}

/// The document-level result of linking mentions into entities.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityLinking {
    /// Entities in order of first mention, with ids "e0", "e1", ...
    pub entities: Vec<Entity>,
    /// Short forms that fit several entities, with their candidates.
    pub ambiguous_mentions: Vec<AmbiguousMention>,
}

/// Links the paragraphs' mention candidates into entities.
pub fn link(
    text: &crate::tracked_text::TrackedText<'_>,
    paragraphs: &[ParagraphView<'_>],
    config: &Config,
) -> EntityLinking {
    linking::link(text, paragraphs, config)
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::document::DocumentKind;

    #[test]
    fn a_possessive_determiner_does_not_start_a_name() {
        let text = "Writer defends remarks\nNovelist Frederick Forsyth spoke on Monday.\n\
                    I rarely agree with My Forsyth, one reader wrote.\nOthers agreed with Mr Forsyth.\n";
        let analysis = crate::analyze(text, DocumentKind::PlainText, &Config::default());
        let names: Vec<&str> = analysis.entities.iter().map(|entity| entity.name.as_str()).collect();
        assert_eq!(names, ["Frederick Forsyth"], "{analysis:#?}");
        assert_eq!(analysis.entities[0].mentions.len(), 3);
        assert!(analysis.ambiguous_mentions.is_empty());
    }

    #[test]
    fn an_honorific_reference_matches_a_last_name_when_the_order_is_open() {
        let text = "Party row deepens\nTory leader Michael Howard met deputy chairman Howard Flight on Friday.\n\
                    Mr Howard said the matter was closed.\n";
        let analysis = crate::analyze(text, DocumentKind::PlainText, &Config::default());
        assert!(analysis.ambiguous_mentions.is_empty(), "{:#?}", analysis.ambiguous_mentions);
        let howard = analysis.entities.iter().find(|entity| entity.name == "Michael Howard").expect("Michael Howard");
        assert!(howard.mentions.iter().any(|mention| mention.text == "Howard"), "{howard:#?}");
    }

    #[test]
    fn an_honorific_before_the_last_name_settles_a_guessed_order() {
        // "Sam" is in the family-name lists too; "Mr Younger" says it is his given name.
        let text = "Poll watchdog warns\nChairman Sam Younger told MPs on Tuesday the plan was sound.\n\
                    Mr Younger said postal votes were safe.\n";
        let analysis = crate::analyze(text, DocumentKind::PlainText, &Config::default());
        let names: Vec<&str> = analysis.entities.iter().map(|entity| entity.name.as_str()).collect();
        assert_eq!(names, ["Sam Younger"], "{:#?}", analysis.entities);
        assert_eq!(analysis.entities[0].family_name.as_deref(), Some("Younger"));
    }
}
