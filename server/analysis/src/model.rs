//! The plain data the analysis core hands to its callers.
//!
//! Everything here is a plain struct with byte offsets into the document text
//! (half-open `start..end`). Callers convert offsets to what they need: the
//! JSON output of `copydesk analyze` uses Unicode code points, the language
//! server uses the negotiated LSP position encoding. Keeping one unit inside the
//! core (bytes, because that is what Rust string slicing uses) means no module
//! ever has to guess which unit a number is in.

use serde::Serialize;

/// A half-open byte range `start..end` into the document (or, inside a
/// per-paragraph result, into the paragraph).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub const fn len(self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// Moves the span by `delta` bytes, used to turn paragraph-relative spans
    /// into document spans.
    ///
    /// The addition wraps on purpose: attribution moves a cue found in an
    /// earlier paragraph into a later paragraph's frame, where it has a
    /// negative relative offset (stored in two's complement). Shifting it back
    /// by the later paragraph's offset then yields the right document offset,
    /// in debug builds as in release ones.
    pub const fn shifted(self, delta: usize) -> Span {
        Span { start: self.start.wrapping_add(delta), end: self.end.wrapping_add(delta) }
    }

    pub const fn contains_offset(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// True when `offset` is inside the span or just after its last byte, which
    /// is what an editor cursor placed at the end of a word means.
    pub const fn touches_offset(self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }

    pub const fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub const fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// What kind of thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organization,
    Place,
}

/// How a mention refers to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionForm {
    /// The full name ("Choe Son Hui", "Russia's foreign ministry").
    Full,
    /// Part of the name: a family name alone, honorific + family name, a
    /// shortened organisation name.
    Partial,
    /// A title standing alone ("the premier").
    Title,
    /// A pronoun that the analysis resolved because a speaker was needed.
    Pronoun,
    /// An acronym ("DPRK", "KCNA").
    Acronym,
}

/// A title attached to a person at one place in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Title {
    /// The title as written ("DPRK Vice Foreign Minister").
    pub text: String,
    /// A normalised form used to compare titles: lowercase, nationality and
    /// organisation qualifiers kept, articles and "late"/"former" dropped.
    pub normalized: String,
    pub span: Span,
}

/// One place in the text that refers to an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    pub span: Span,
    pub text: String,
    pub form: MentionForm,
}

/// A person, organisation or place, with every mention the analysis linked to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// Stable within one analysis: "e0", "e1", ... in order of first mention.
    pub id: String,
    pub kind: EntityKind,
    /// The fullest form seen in the text.
    pub name: String,
    /// For people: the family name, when known ("Im" for "Im Chon Il").
    pub family_name: Option<String>,
    /// For people: true when the family name comes first ("Kim Jong Un").
    pub family_name_first: bool,
    /// Titles attached to this entity, in text order.
    pub titles: Vec<Title>,
    /// Mentions in text order. The first full mention is the introducing one.
    pub mentions: Vec<Mention>,
    /// For acronyms and organisations: the expansion, when the text spells it out.
    pub expansion: Option<String>,
    /// Indices into `Analysis::quotes` of the statements this entity is the source of.
    pub statements: Vec<usize>,
}

impl Entity {
    /// The introducing mention: the first full-form mention, else the first
    /// mention by name (a pronoun introduces no one). Read by rules that
    /// leave quote linking's pronoun mentions aside (`rules::Reads::quote_additions`).
    pub fn introducing_mention(&self) -> Option<&Mention> {
        self.mentions
            .iter()
            .find(|mention| mention.form == MentionForm::Full)
            .or_else(|| self.mentions.iter().find(|mention| mention.form != MentionForm::Pronoun))
    }
}

/// A short form that fits several entities; the analysis refuses to guess.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmbiguousMention {
    pub span: Span,
    pub text: String,
    /// Entity ids of every candidate, in order of first mention.
    pub candidates: Vec<String>,
}

/// What kind of source a statement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Person,
    Organization,
    Agency,
    Anonymous,
    Unknown,
}

/// A span of text with the text itself, for cues and source mentions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextSpan {
    pub span: Span,
    pub text: String,
}

/// A direct quote or a piece of reported speech, with its cue and source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The quoted or reported content (for direct quotes, including the marks).
    pub span: Span,
    /// The attribution's whole content: the span, or for a direct quote the
    /// words around its marks that belong to the same attribution (`Haley
    /// "very weak on immigration."`), as the extent model reads it.
    pub content: Span,
    pub text: String,
    pub direct: bool,
    /// The speech verb or phrase ("said", "according to", "quoted ... as telling").
    pub cue: Option<TextSpan>,
    /// The words that name the source in this statement ("Russia's foreign ministry", "She").
    pub source_mention: Option<TextSpan>,
    /// Entity id of the speaker, when the source links to an entity.
    pub speaker: Option<String>,
    pub source_kind: SourceKind,
    /// Entity ids of agencies that relayed the statement ("according to Tass and AP").
    pub via: Vec<String>,
    /// True when no cue was found in the quote's sentence and the speaker was
    /// carried over from the previous attributed quote.
    pub floating: bool,
    /// For a floating quote: true when it goes on with the statement it
    /// borrowed its speaker from (one attribution in pieces), false when it
    /// starts an attribution of its own (`quotes::joins` decides). For a
    /// direct quote with neither cue nor source: true when it follows
    /// a direct quote in its paragraph (`quotes::linking`), the speaker
    /// before going on, named or not. False for every other quote.
    pub continues: bool,
    /// For a floating quote: the index, in the analysis's quotes, of the
    /// earlier quote it would go on with (`quotes::joins::joined_quote`),
    /// whatever [`Quote::continues`] says; for a quote with neither cue nor
    /// source that continues, the quote before it; `None` for other quotes
    /// and when there is none. Kept with the quotes because finding it walks back
    /// over the quotes before: a keystroke that carries quote linking over
    /// keeps the same quotes in the same order, so it reads the index here
    /// instead of walking again. An index into this list, so not written
    /// to the JSON.
    #[serde(skip)]
    pub earlier_quote: Option<usize>,
}

/// How serious a diagnostic is. Mirrors the LSP levels without depending on LSP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

/// Another span a diagnostic points at ("first spelled here").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelatedSpan {
    pub span: Span,
    pub message: String,
}

/// One text replacement. Byte offsets into the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

/// A mechanical fix the editor can offer as a quick fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// The title shown in the editor's light-bulb menu.
    pub title: String,
    pub edits: Vec<TextEdit>,
    /// True for the fix that should be offered first.
    pub preferred: bool,
}

/// A copy-desk warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable rule code ("unbalanced-quote").
    pub code: &'static str,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    pub related: Vec<RelatedSpan>,
    pub fixes: Vec<Fix>,
}

/// The full analysis of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Analysis {
    pub entities: Vec<Entity>,
    pub ambiguous_mentions: Vec<AmbiguousMention>,
    pub quotes: Vec<Quote>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        entity_by_id(&self.entities, id)
    }
}

/// The id of the entity at `index`: "e" and the index, as `format!("e{index}")`
/// writes it. Written by hand because the linking names every entity and
/// every candidate of every ambiguous mention on each keystroke, thousands
/// in a long draft, and the formatting machinery cost several times the
/// allocation itself.
pub fn entity_id(index: usize) -> String {
    let mut digits = [0u8; 20];
    let mut first = digits.len();
    let mut rest = index;
    loop {
        first -= 1;
        digits[first] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let mut id = String::with_capacity(1 + digits.len() - first);
    id.push('e');
    id.extend(digits[first..].iter().map(|&digit| char::from(digit)));
    id
}

/// The position an entity id ("e12") stands for: [`entity_id`]'s digits,
/// without a leading zero, read without writing the id again (entity
/// linking and quote linking renumber ids on every keystroke that changes
/// the linking, and formatting each id again to check it showed in their
/// profiles).
pub fn entity_position(id: &str) -> Option<usize> {
    let digits = id.strip_prefix('e')?;
    let canonical = !digits.is_empty()
        && digits.bytes().all(|byte| byte.is_ascii_digit())
        && (digits.len() == 1 || !digits.starts_with('0'));
    if canonical { digits.parse().ok() } else { None }
}

/// The entity with `id` among `entities`. Ids are "e" and the entity's index
/// (see [`Entity::id`]), so the lookup is direct; a list not numbered that way
/// (built by hand in a test) is searched.
pub fn entity_by_id<'a>(entities: &'a [Entity], id: &str) -> Option<&'a Entity> {
    let direct =
        id.strip_prefix('e').and_then(|index| index.parse::<usize>().ok()).and_then(|index| entities.get(index));
    match direct {
        Some(entity) if entity.id == id => Some(entity),
        _ => entities.iter().find(|entity| entity.id == id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_ids_are_written_as_format_writes_them() {
        for index in (0..2_000).chain([9_999, 10_000, 123_456_789, usize::MAX]) {
            assert_eq!(entity_id(index), format!("e{index}"));
        }
    }

    #[test]
    fn entity_positions_read_back_exactly_the_ids_entity_id_writes() {
        for index in (0..2_000).chain([9_999, 10_000, 123_456_789, usize::MAX]) {
            assert_eq!(entity_position(&entity_id(index)), Some(index));
        }
        for not_an_id in ["", "e", "e01", "e00", "x1", "e1a", "e-1", "e+1", "E1", "e18446744073709551616"] {
            assert_eq!(entity_position(not_an_id), None, "{not_an_id:?}");
        }
    }
}
