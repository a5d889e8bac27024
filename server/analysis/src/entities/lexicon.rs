//! Word lists compiled into the binary: titles, honorifics, nationalities,
//! places, organisations, family names (with the order they are written in)
//! and given names.
//!
//! Every list is a file in `server/analysis/data/` with a header saying where
//! its facts came from. The lists are parsed once, on first use, into hash
//! sets keyed by the lowercase form; lookups lowercase into a stack buffer so
//! that checking a token allocates nothing.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{LazyLock, OnceLock};

/// A small, fast, non-cryptographic hasher (the multiply-rotate scheme used by
/// rustc's FxHasher). Lexicon keys are short words, where SipHash's setup cost
/// would dominate.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FastBuild = BuildHasherDefault<FastHasher>;
pub type FastSet<T> = HashSet<T, FastBuild>;
pub type FastMap<K, V> = HashMap<K, V, FastBuild>;

/// Lowercases `word` into `buffer` when it is short ASCII; otherwise returns
/// `None` and the caller falls back to an allocating lowercase (rare).
#[inline]
pub fn ascii_lowercase<'b>(word: &str, buffer: &'b mut [u8; 48]) -> Option<&'b str> {
    if word.len() > buffer.len() || !word.is_ascii() {
        return None;
    }
    for (slot, byte) in buffer.iter_mut().zip(word.bytes()) {
        *slot = byte.to_ascii_lowercase();
    }
    std::str::from_utf8(&buffer[..word.len()]).ok()
}

/// Runs `f` on the lowercase form of `word`, without allocating for short ASCII words.
#[inline]
pub fn with_lowercase<T>(word: &str, f: impl FnOnce(&str) -> T) -> T {
    let mut buffer = [0u8; 48];
    match ascii_lowercase(word, &mut buffer) {
        Some(lower) => f(lower),
        None => f(&word.to_lowercase()),
    }
}

/// How a family name is written, learned from the world-leaders list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FamilyNameOrder {
    pub written_first: u16,
    pub written_last: u16,
}

/// The key of a word or phrase in the lexicon sets: a hash of its lowercase
/// form, computed without allocating or validating a lowercase copy. Sets
/// keyed by this 64-bit hash make a lookup one hash and one probe.
#[inline]
pub fn word_key(text: &str) -> u64 {
    KeyBuilder::new().word(text).finish()
}

/// Builds a [`word_key`] word by word, so that the key of a phrase ("new
/// york") comes from its tokens with one space between them whatever the
/// text has there (a line break, a no-break space), and phrases that share
/// their first words share the work.
#[derive(Debug, Clone, Copy)]
pub struct KeyBuilder(u64);

impl Default for KeyBuilder {
    fn default() -> Self {
        KeyBuilder::new()
    }
}

impl KeyBuilder {
    pub const fn new() -> KeyBuilder {
        KeyBuilder(0xcbf2_9ce4_8422_2325)
    }

    /// Adds the lowercase form of `text`.
    #[inline]
    pub fn word(self, text: &str) -> KeyBuilder {
        let mut hash = self.0;
        if text.is_ascii() {
            for byte in text.bytes() {
                hash = (hash ^ u64::from(byte.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3);
            }
        } else {
            for character in text.chars().flat_map(char::to_lowercase) {
                hash = (hash ^ u64::from(u32::from(character))).wrapping_mul(0x0100_0000_01b3);
            }
        }
        KeyBuilder(hash)
    }

    /// Adds one ASCII byte, lowercased: what [`KeyBuilder::word`] does for
    /// each byte of an ASCII word.
    #[inline]
    pub fn ascii_byte(self, byte: u8) -> KeyBuilder {
        KeyBuilder((self.0 ^ u64::from(byte.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3))
    }

    /// Adds one space, the separator of the words of a phrase.
    #[inline]
    pub fn space(self) -> KeyBuilder {
        KeyBuilder((self.0 ^ u64::from(b' ')).wrapping_mul(0x0100_0000_01b3))
    }

    #[inline]
    pub fn finish(self) -> u64 {
        self.0 ^ (self.0 >> 31)
    }
}

/// A set of words keyed by [`word_key`].
pub type WordSet = FastSet<u64>;

/// All compiled-in word lists, keyed by [`word_key`].
#[derive(Debug)]
pub struct Lexicon {
    pub titles: WordSet,
    pub honorifics: WordSet,
    /// Nationality adjective to country ("russian" -> "Russia").
    pub nationalities: FastMap<u64, &'static str>,
    /// Place names (multi-word names with single spaces).
    pub places: WordSet,
    pub organizations: WordSet,
    pub family_names: FastMap<u64, FamilyNameOrder>,
    pub given_names: WordSet,
    /// Family names of widely reported public figures ("Trump").
    pub public_figures: WordSet,
    /// Capitalised words that begin sentences but are not names ("The").
    pub sentence_words: WordSet,
    /// The first tokens of the multi-token places and organisations: a
    /// phrase can only be in those lists if its first token is in here, so
    /// most phrases need no key at all.
    pub phrase_starts: WordSet,
    /// Every key of the sets above with one bit per set it is in (see
    /// [`Membership`]): one probe answers what would take a probe per set,
    /// for the tagger, which asks all of them about every capitalised word.
    pub memberships: FastMap<u64, u8>,
}

/// The bits of [`Lexicon::memberships`].
#[derive(Debug, Clone, Copy)]
pub struct Membership;

impl Membership {
    pub const PLACE: u8 = 1;
    pub const ORGANIZATION: u8 = 2;
    pub const FAMILY_NAME: u8 = 4;
    pub const GIVEN_NAME: u8 = 8;
    pub const NATIONALITY: u8 = 16;
    pub const TITLE_WORD: u8 = 32;
    pub const PHRASE_START: u8 = 64;
}

const TITLES: &str = include_str!("../../data/titles.txt");
const HONORIFICS: &str = include_str!("../../data/honorifics.txt");
const NATIONALITIES: &str = include_str!("../../data/nationalities.tsv");
const PLACES: &str = include_str!("../../data/places.txt");
const ORGANIZATIONS: &str = include_str!("../../data/organizations.txt");
const FAMILY_NAMES: &str = include_str!("../../data/family_names.tsv");
const GIVEN_NAMES: &str = include_str!("../../data/given_names.txt");
const FAMILY_FIRST_NAMES: &str = include_str!("../../data/family_first_names.txt");
const PUBLIC_FIGURES: &str = include_str!("../../data/people.txt");

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#'))
}

fn word_set(text: &'static str) -> WordSet {
    data_lines(text).map(word_key).collect()
}

impl Lexicon {
    fn load() -> Lexicon {
        let nationalities = data_lines(NATIONALITIES)
            .filter_map(|line| line.split_once('\t'))
            .map(|(adjective, country)| (word_key(adjective), country))
            .collect();
        let mut family_names: FastMap<u64, FamilyNameOrder> = data_lines(FAMILY_NAMES)
            .filter_map(|line| {
                let mut fields = line.split('\t');
                let name = word_key(fields.next()?);
                let written_first = fields.next()?.parse().ok()?;
                let written_last = fields.next()?.parse().ok()?;
                Some((name, FamilyNameOrder { written_first, written_last }))
            })
            .collect();
        for name in data_lines(FAMILY_FIRST_NAMES) {
            let entry =
                family_names.entry(word_key(name)).or_insert(FamilyNameOrder { written_first: 0, written_last: 0 });
            entry.written_first = entry.written_first.max(entry.written_last + 1);
        }
        let mut lexicon = Lexicon {
            titles: word_set(TITLES),
            honorifics: word_set(HONORIFICS),
            nationalities,
            places: word_set(PLACES),
            organizations: word_set(ORGANIZATIONS),
            family_names,
            given_names: word_set(GIVEN_NAMES),
            public_figures: word_set(PUBLIC_FIGURES),
            sentence_words: SENTENCE_WORDS.iter().map(|word| word_key(word)).collect(),
            phrase_starts: data_lines(PLACES)
                .chain(data_lines(ORGANIZATIONS))
                .filter_map(|entry| {
                    let tokens = super::tokens::tokenize(entry);
                    (tokens.len() > 1).then(|| word_key(tokens[0].text(entry)))
                })
                .collect(),
            memberships: FastMap::default(),
        };
        let mut memberships: FastMap<u64, u8> = FastMap::default();
        let mut mark = |keys: &mut dyn Iterator<Item = u64>, bit: u8| {
            for key in keys {
                *memberships.entry(key).or_default() |= bit;
            }
        };
        mark(&mut lexicon.places.iter().copied(), Membership::PLACE);
        mark(&mut lexicon.organizations.iter().copied(), Membership::ORGANIZATION);
        mark(&mut lexicon.family_names.keys().copied(), Membership::FAMILY_NAME);
        mark(&mut lexicon.given_names.iter().copied(), Membership::GIVEN_NAME);
        mark(&mut lexicon.nationalities.keys().copied(), Membership::NATIONALITY);
        mark(&mut lexicon.titles.iter().copied(), Membership::TITLE_WORD);
        mark(&mut lexicon.phrase_starts.iter().copied(), Membership::PHRASE_START);
        lexicon.memberships = memberships;
        lexicon
    }

    /// The [`Membership`] bits of a key (0 when it is in no set).
    #[inline]
    pub fn memberships_key(&self, key: u64) -> u8 {
        self.memberships.get(&key).copied().unwrap_or(0)
    }

    pub fn is_title_word(&self, word: &str) -> bool {
        self.titles.contains(&word_key(word))
    }

    pub fn is_honorific(&self, word: &str) -> bool {
        self.honorifics.contains(&word_key(word))
    }

    pub fn nationality(&self, word: &str) -> Option<&'static str> {
        self.nationalities.get(&word_key(word)).copied()
    }

    pub fn is_place(&self, name: &str) -> bool {
        self.places.contains(&word_key(name))
    }

    pub fn is_organization(&self, name: &str) -> bool {
        self.organizations.contains(&word_key(name))
    }

    pub fn family_name_order(&self, word: &str) -> Option<FamilyNameOrder> {
        self.family_names.get(&word_key(word)).copied()
    }

    pub fn is_public_figure(&self, word: &str) -> bool {
        self.public_figures.contains(&word_key(word))
    }

    pub fn is_given_name(&self, word: &str) -> bool {
        self.given_names.contains(&word_key(word))
    }

    /// Lookups by a key from [`word_key`] or [`KeyBuilder`], for callers that
    /// check one word against several lists.
    pub fn is_place_key(&self, key: u64) -> bool {
        self.places.contains(&key)
    }

    pub fn is_organization_key(&self, key: u64) -> bool {
        self.organizations.contains(&key)
    }

    pub fn is_title_word_key(&self, key: u64) -> bool {
        self.titles.contains(&key)
    }

    pub fn is_given_name_key(&self, key: u64) -> bool {
        self.given_names.contains(&key)
    }

    pub fn is_nationality_key(&self, key: u64) -> bool {
        self.nationalities.contains_key(&key)
    }

    pub fn family_name_order_key(&self, key: u64) -> Option<FamilyNameOrder> {
        self.family_names.get(&key).copied()
    }

    /// True when a multi-token place or organisation starts with the token
    /// whose key is `key`.
    pub fn starts_phrase_key(&self, key: u64) -> bool {
        self.phrase_starts.contains(&key)
    }

    pub fn is_sentence_word_key(&self, key: u64) -> bool {
        self.sentence_words.contains(&key)
    }

    /// "The", "However", "Monday": capitalised at a sentence start, never a name.
    pub fn is_sentence_word(&self, word: &str) -> bool {
        self.sentence_words.contains(&word_key(word))
    }
}

/// The lexicon, parsed on first use.
pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::load)
}

/// Head words that make a capitalised phrase an organisation ("Foreign Ministry",
/// "Central Committee", "Yonhap News Agency"). Lowercase.
pub const ORGANIZATION_HEADS: &[&str] = &[
    "ministry",
    "agency",
    "party",
    "council",
    "committee",
    "commission",
    "company",
    "corporation",
    "corp",
    "corp.",
    "inc",
    "inc.",
    "ltd",
    "ltd.",
    "plc",
    "group",
    "bank",
    "university",
    "institute",
    "association",
    "federation",
    "union",
    "organization",
    "organisation",
    "department",
    "office",
    "bureau",
    "authority",
    "court",
    "assembly",
    "parliament",
    "congress",
    "senate",
    "army",
    "navy",
    "police",
    "service",
    "club",
    "board",
    "fund",
    "foundation",
    "league",
    "government",
    "administration",
    "cabinet",
    "news",
    "times",
    "post",
    "journal",
    "airlines",
    "airways",
    "motors",
    "holdings",
    "industries",
    "co",
    "co.",
    "front",
    "movement",
    "alliance",
    "coalition",
    "secretariat",
    "tribunal",
    "directorate",
    "command",
    "forces",
    "guard",
    "network",
    "television",
    "radio",
    "press",
    "trust",
    "exchange",
    "centre",
    "center",
    "school",
    "college",
    "hospital",
    "church",
    "team",
    "fc",
];

/// Head words that make a capitalised phrase a place ("Korean Peninsula",
/// "People's Palace of Culture", "Red Square"). Lowercase.
pub const PLACE_HEADS: &[&str] = &[
    "peninsula",
    "palace",
    "square",
    "river",
    "sea",
    "ocean",
    "island",
    "islands",
    "mountain",
    "mountains",
    "mount",
    "lake",
    "valley",
    "province",
    "region",
    "state",
    "city",
    "county",
    "district",
    "street",
    "avenue",
    "airport",
    "port",
    "bay",
    "gulf",
    "strait",
    "desert",
    "coast",
    "border",
    "hall",
    "stadium",
    "park",
    "bridge",
    "canal",
    "plateau",
    "basin",
    "cape",
    "harbour",
    "harbor",
    "zone",
    "territory",
    "territories",
    "village",
    "town",
];

/// True when `word` (any case) is in `list` (lowercase).
#[inline]
pub fn in_list(list: &[&str], word: &str) -> bool {
    list.iter().any(|item| item.len() == word.len() && item.eq_ignore_ascii_case(word))
}

/// A long lowercase word list answered by one hash lookup instead of a scan:
/// [`ListSet::contains`] gives exactly what [`in_list`] gives on the same
/// list. For the lists checked on nearly every capitalised word.
#[derive(Debug)]
pub struct ListSet {
    words: FastSet<&'static str>,
    list: &'static [&'static str],
    longest: usize,
    /// Bit `n` of entry [`list_shape`] set when an entry of `n` bytes (1 to
    /// 31) has that shape: most words asked about are ruled out by this one
    /// test, before they are lowercased and hashed.
    shapes: Box<[u32; 1024]>,
}

/// A word's first and last bytes, each modulo 32, as an index: an ASCII
/// capital and its small letter give the same value and every other byte
/// only itself, so two words equal but for ASCII case share it. For words
/// of 1 to 31 bytes (the length is a bit of the entry).
fn list_shape(word: &str) -> Option<usize> {
    let bytes = word.as_bytes();
    let (&first, &last) = (bytes.first()?, bytes.last()?);
    (bytes.len() < 32).then(|| usize::from(first & 31) * 32 + usize::from(last & 31))
}

impl ListSet {
    pub fn new(list: &'static [&'static str]) -> ListSet {
        let mut shapes = Box::new([0u32; 1024]);
        for word in list {
            if let Some(shape) = list_shape(word) {
                shapes[shape] |= 1 << word.len();
            }
        }
        ListSet {
            words: list.iter().copied().collect(),
            list,
            longest: list.iter().map(|word| word.len()).max().unwrap_or(0),
            shapes,
        }
    }

    /// True when `lower` is exactly an entry (the same as the list's `contains`).
    #[inline]
    pub fn contains_exact(&self, lower: &str) -> bool {
        self.words.contains(lower)
    }

    /// True when `word` (any case) is in the list. The entries are lowercase
    /// ASCII, so ASCII-lowercasing `word` and looking it up is the same test
    /// as [`in_list`]'s length check and ASCII-case-insensitive comparison.
    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        if word.len() > self.longest {
            return false;
        }
        if let Some(shape) = list_shape(word)
            && self.shapes[shape] & (1 << word.len()) == 0
        {
            return false;
        }
        let mut buffer = [0u8; 32];
        if word.len() > buffer.len() {
            return in_list(self.list, word);
        }
        let lower = &mut buffer[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        std::str::from_utf8(lower).is_ok_and(|lower| self.words.contains(lower))
    }
}

/// [`ORGANIZATION_HEADS`], [`PLACE_HEADS`] and [`SENTENCE_WORDS`] as sets.
pub static ORGANIZATION_HEAD_SET: LazyLock<ListSet> = LazyLock::new(|| ListSet::new(ORGANIZATION_HEADS));
pub static PLACE_HEAD_SET: LazyLock<ListSet> = LazyLock::new(|| ListSet::new(PLACE_HEADS));
pub static SENTENCE_WORD_SET: LazyLock<ListSet> = LazyLock::new(|| ListSet::new(SENTENCE_WORDS));
/// [`NAME_PARTICLES`] as a set.
pub static NAME_PARTICLE_SET: LazyLock<ListSet> = LazyLock::new(|| ListSet::new(NAME_PARTICLES));

/// Lowercase particles that can sit inside a person's name ("Ursula von der
/// Leyen", "Mohammed bin Salman", "Charles de Gaulle").
pub const NAME_PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le", "bin", "ibn", "al",
    "el", "ben", "ter", "zu", "y",
];

/// Capitalised words that begin sentences but are not names. Lowercase.
pub const SENTENCE_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "but",
    "and",
    "or",
    "if",
    "when",
    "while",
    "after",
    "before",
    "as",
    "this",
    "that",
    "these",
    "those",
    "there",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "your",
    "meanwhile",
    "earlier",
    "later",
    "also",
    "however",
    "according",
    "speaking",
    "for",
    "from",
    "to",
    "with",
    "by",
    "of",
    "since",
    "until",
    "despite",
    "although",
    "though",
    "because",
    "so",
    "then",
    "now",
    "today",
    "yesterday",
    "tomorrow",
    "last",
    "next",
    "some",
    "many",
    "most",
    "all",
    "both",
    "no",
    "not",
    "what",
    "who",
    "why",
    "how",
    "where",
    "which",
    "one",
    "two",
    "three",
    "under",
    "over",
    "during",
    "among",
    "about",
    "without",
    "within",
    "more",
    "less",
    "such",
    "other",
    "another",
    "each",
    "every",
    "any",
    "read",
    "photo",
    "mr",
    "mrs",
    "ms",
    "dr",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "is",
    "was",
    "are",
    "were",
    "will",
    "would",
    "could",
    "should",
    "can",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "yes",
    "here",
    "once",
    "even",
    "still",
    "just",
    "only",
    "instead",
    "asked",
    "said",
    "like",
    "unlike",
    "given",
    "let",
    "be",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn check(word: &str, expect: &str) {
        let lexicon = lexicon();
        let mut found = Vec::new();
        if lexicon.is_title_word(word) {
            found.push("title".to_owned());
        }
        if lexicon.is_honorific(word) {
            found.push("honorific".to_owned());
        }
        if let Some(country) = lexicon.nationality(word) {
            found.push(format!("nationality:{country}"));
        }
        if lexicon.is_place(word) {
            found.push("place".to_owned());
        }
        if lexicon.is_organization(word) {
            found.push("organization".to_owned());
        }
        if let Some(order) = lexicon.family_name_order(word) {
            let first = if order.written_first > order.written_last { "first" } else { "last" };
            found.push(format!("family:{first}"));
        }
        assert_eq!(found.join(" "), expect, "word: {word:?}");
    }

    #[test]
    fn lists_load_and_answer() {
        check("Premier", "title");
        check("Mr.", "honorific");
        check("Russian", "nationality:Russia");
        check("Pyongyang", "place");
        check("Korean Peninsula", "place");
        check("Yonhap", "organization");
        check("Kim", "family:first");
        check("Merkel", "family:last");
        check("table", "");
    }

    /// The sets, with their filter on first and last bytes and length,
    /// answer exactly as a scan of their lists: for every entry in three
    /// cases and for near misses (one byte more, less or changed).
    #[test]
    fn list_sets_answer_as_the_lists() {
        let sets = [
            (&*ORGANIZATION_HEAD_SET, ORGANIZATION_HEADS),
            (&*PLACE_HEAD_SET, PLACE_HEADS),
            (&*SENTENCE_WORD_SET, SENTENCE_WORDS),
            (&*NAME_PARTICLE_SET, NAME_PARTICLES),
        ];
        for (set, list) in sets {
            for entry in list {
                let mut asked = vec![
                    entry.to_string(),
                    entry.to_uppercase(),
                    crate::rules::text::uppercase_first(entry),
                    format!("{entry}s"),
                    format!("x{entry}"),
                    entry.char_indices().last().map_or(String::new(), |(last, _)| entry[..last].to_owned()),
                    format!("{entry}\u{e9}"),
                ];
                asked.push(asked[0].replacen(|character: char| character.is_ascii_alphabetic(), "q", 1));
                for word in &asked {
                    assert_eq!(set.contains(word), in_list(list, word), "{word:?} against {entry:?}");
                }
            }
        }
    }

    #[test]
    fn phrase_keys_are_built_word_by_word() {
        // One space between words, whatever separated them in the text.
        let built = KeyBuilder::new().word("Korean").space().word("PENINSULA").finish();
        assert_eq!(built, word_key("korean peninsula"));
        assert!(lexicon().is_place_key(built));
        assert_eq!(KeyBuilder::new().word("Jong-un").finish(), word_key("JONG-UN"));
    }
}
