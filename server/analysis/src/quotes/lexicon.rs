//! The attribution lexicons, compiled in from `server/analysis/data/`.
//!
//! `speech_verbs.txt` lists the verbs that introduce speech with all their
//! forms; `attribution_sources.txt` lists the words that tell an agency, an
//! anonymous source or an organisation. Both are parsed once, on first use,
//! into hash tables; lookups never allocate (words are lowercased into a stack
//! buffer).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// FNV-1a: lexicon keys are short words, for which it is several times faster
/// than the default SipHash (no untrusted keys reach these tables' layout).
#[derive(Debug, Default)]
pub struct FnvHasher(u64);

impl Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FnvHasher>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<FnvHasher>>;

const SPEECH_VERBS: &str = include_str!("../../data/speech_verbs.txt");
const SOURCE_WORDS: &str = include_str!("../../data/attribution_sources.txt");

/// Which form of a speech verb a word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerbForm {
    /// "say", "tell": needs an auxiliary or a plural subject.
    Base,
    /// "said", "told": past tense or participle.
    Past,
    /// "says", "tells".
    Present,
    /// "saying", "telling": a participle that borrows the subject of its clause.
    Participle,
}

/// What the lexicon knows about one speech-verb form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpeechVerb {
    pub lemma: &'static str,
    pub form: VerbForm,
    /// The verb usually names the addressee before the content ("told reporters that").
    pub takes_object: bool,
    /// Style guides prefer a neutral verb ("claimed", "insisted").
    pub judging: bool,
}

/// The parsed lexicons.
#[derive(Debug)]
pub struct Lexicon {
    verbs: FastMap<&'static str, SpeechVerb>,
    /// Bit `n` of entry [`verb_shape`] set when some speech verb with that
    /// first and last byte is `n` bytes long: most words the cue scan asks
    /// about are ruled out with one test, before lowercasing and hashing.
    verb_shapes: Box<[u32; 1024]>,
    agency: PhraseList,
    anonymous: FastSet<&'static str>,
    organization: PhraseList,
    /// The single words of `agency` and `organization` (lowercase), and the
    /// first words of their multi-word entries, for word-by-word checks.
    agency_words: FastSet<&'static str>,
    organization_words: FastSet<&'static str>,
}

/// The lexicon, parsed on first use.
pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::parse)
}

impl Lexicon {
    fn parse() -> Lexicon {
        let mut verbs = FastMap::default();
        for line in SPEECH_VERBS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (forms, flags) = line.split_once('|').unwrap_or((line, ""));
            let takes_object = flags.contains("object");
            let judging = flags.contains("judging");
            let mut words = forms.split_whitespace();
            let Some(lemma) = words.next() else { continue };
            verbs.entry(lemma).or_insert(SpeechVerb { lemma, form: VerbForm::Base, takes_object, judging });
            for word in words {
                let form = if word.ends_with("ing") {
                    VerbForm::Participle
                } else if word.ends_with('s') && !word.ends_with("ss") {
                    VerbForm::Present
                } else {
                    VerbForm::Past
                };
                verbs.entry(word).or_insert(SpeechVerb { lemma, form, takes_object, judging });
            }
        }
        let mut verb_shapes = Box::new([0u32; 1024]);
        for verb in verbs.keys() {
            if let Some(shape) = verb_shape(verb) {
                verb_shapes[shape] |= 1 << verb.len();
            }
        }
        let mut agency = Vec::new();
        let mut anonymous = FastSet::default();
        let mut organization = Vec::new();
        let mut section = "";
        for line in SOURCE_WORDS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
                section = name;
                continue;
            }
            match section {
                "agency" => agency.push(line),
                "anonymous" => {
                    anonymous.insert(line);
                }
                "organization" => organization.push(line),
                _ => {}
            }
        }
        let first_words = |entries: &[&'static str]| -> FastSet<&'static str> {
            entries.iter().filter_map(|entry| entry.split_whitespace().next()).collect()
        };
        let agency_words = first_words(&agency);
        let organization_words = first_words(&organization);
        let agency = PhraseList::new(&agency);
        let organization = PhraseList::new(&organization);
        Lexicon { verbs, verb_shapes, agency, anonymous, organization, agency_words, organization_words }
    }

    /// The speech verb `word` is a form of, if any. Case-insensitive.
    pub fn speech_verb(&self, word: &str) -> Option<SpeechVerb> {
        // A word equal to a verb once lowercased has the verb's shape and
        // length: no verb set the bit, no verb is this word.
        if let Some(shape) = verb_shape(word)
            && self.verb_shapes[shape] & (1 << word.len()) == 0
        {
            return None;
        }
        with_lowercase(word, |lower| self.verbs.get(lower).copied())
    }

    /// True when `word` alone names a vague or anonymous source ("sources", "officials").
    pub fn is_anonymous_head(&self, word: &str) -> bool {
        with_lowercase(word, |lower| Some(self.anonymous.contains(lower))).unwrap_or(false)
    }

    /// True when `phrase` (any case) names a news agency or contains one as a whole word.
    pub fn mentions_agency(&self, phrase: &str) -> bool {
        contains_any_phrase(phrase, &self.agency)
    }

    /// True when `phrase` contains an organisation head noun ("ministry", "campaign").
    pub fn mentions_organization(&self, phrase: &str) -> bool {
        contains_any_phrase(phrase, &self.organization)
    }

    /// Cheap pre-check for [`Lexicon::mentions_agency`] over a phrase's words:
    /// false when no word can start an agency name.
    pub fn may_mention_agency<'a>(&self, words: impl IntoIterator<Item = &'a str>) -> bool {
        words.into_iter().any(|word| {
            let word = word.trim_end_matches("'s").trim_end_matches("\u{2019}s");
            with_lowercase(word, |lower| Some(self.agency_words.contains(lower))).unwrap_or(false)
        })
    }

    /// Cheap pre-check for [`Lexicon::mentions_organization`].
    pub fn may_mention_organization<'a>(&self, words: impl IntoIterator<Item = &'a str>) -> bool {
        words.into_iter().any(|word| {
            let word = word.trim_end_matches("'s").trim_end_matches("\u{2019}s");
            let singular = word.strip_suffix('s').unwrap_or(word);
            with_lowercase(word, |lower| Some(self.organization_words.contains(lower))).unwrap_or(false)
                || with_lowercase(singular, |lower| Some(self.organization_words.contains(lower))).unwrap_or(false)
        })
    }
}

/// The index of a word's entry in [`Lexicon::verb_shapes`]: its first and
/// last bytes, each taken modulo 32, which maps an ASCII capital and its
/// small letter alike and leaves every other byte as ASCII lowercasing does
/// (unchanged); `None` for an empty word or one of 32 bytes or more.
fn verb_shape(word: &str) -> Option<usize> {
    let bytes = word.as_bytes();
    let (&first, &last) = (bytes.first()?, bytes.last()?);
    (bytes.len() < 32).then(|| usize::from(first & 31) * 32 + usize::from(last & 31))
}

/// Runs `lookup` on the ASCII-lowercased `word` without allocating; words
/// longer than 24 bytes are never lexicon entries.
fn with_lowercase<T>(word: &str, lookup: impl FnOnce(&str) -> Option<T>) -> Option<T> {
    if word.len() > 24 {
        return None;
    }
    if !word.bytes().any(|byte| byte.is_ascii_uppercase()) {
        return lookup(word);
    }
    let mut buffer = [0u8; 24];
    for (slot, byte) in buffer.iter_mut().zip(word.bytes()) {
        *slot = byte.to_ascii_lowercase();
    }
    std::str::from_utf8(&buffer[..word.len()]).ok().and_then(lookup)
}

/// Lowercase phrases filed by their first byte, so that a word of the text is
/// compared only with the entries starting as it does: quote linking asks
/// whether each organisation and source phrase names an agency on every
/// keystroke, and comparing every word start with all 33 agency entries was
/// a visible share of that.
#[derive(Debug)]
struct PhraseList {
    by_first_byte: Vec<Vec<&'static str>>,
}

impl PhraseList {
    fn new(entries: &[&'static str]) -> PhraseList {
        let mut by_first_byte = vec![Vec::new(); 256];
        for entry in entries {
            if let Some(&first) = entry.as_bytes().first() {
                by_first_byte[usize::from(first)].push(*entry);
            }
        }
        PhraseList { by_first_byte }
    }

    fn starting_with(&self, byte: u8) -> &[&'static str] {
        &self.by_first_byte[usize::from(byte)]
    }
}

/// True when one of `entries` occurs in `phrase` on word boundaries, ignoring
/// case. Runs once per source phrase, never per token.
fn contains_any_phrase(phrase: &str, entries: &PhraseList) -> bool {
    let lower = phrase.to_lowercase();
    // Most phrases have no curly apostrophe: no second copy for them.
    let lower = if lower.contains('\u{2019}') { lower.replace('\u{2019}', "'") } else { lower };
    // An entry can only match where a word starts (no letter or digit before
    // it), so each such place is tried against every entry by a prefix
    // comparison: building a substring searcher per entry cost more than the
    // search itself on these short phrases.
    let mut previous_alphanumeric = false;
    lower.char_indices().any(|(start, character)| {
        let word_start = !previous_alphanumeric;
        previous_alphanumeric = character.is_alphanumeric();
        word_start
            && entries.starting_with(lower.as_bytes()[start]).iter().any(|entry| {
                if !lower[start..].starts_with(entry) {
                    return false;
                }
                let after = &lower[start + entry.len()..];
                !after.chars().next().is_some_and(char::is_alphanumeric)
                    || after.starts_with("'s")
                    || (after.starts_with('s') && !after[1..].chars().next().is_some_and(char::is_alphanumeric))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(word: &str, expect: &str) {
        let actual = match lexicon().speech_verb(word) {
            Some(verb) => format!(
                "{} {:?}{}{}",
                verb.lemma,
                verb.form,
                if verb.takes_object { " object" } else { "" },
                if verb.judging { " judging" } else { "" }
            ),
            None => String::from("-"),
        };
        assert_eq!(actual, expect, "{word}");
    }

    #[test]
    fn speech_verb_forms() {
        check("said", "say Past");
        check("Says", "say Present");
        check("saying", "say Participle");
        check("told", "tell Past object");
        check("urged", "urge Past object");
        check("insisted", "insist Past judging");
        check("blamed", "blame Past object");
        check("walked", "-");
        check("discusses", "-");
    }

    /// The filter on first and last bytes and length lets every verb through,
    /// in any case, and answers as the lookup alone on near misses.
    #[test]
    fn speech_verb_filter_keeps_every_verb() {
        let lexicon = lexicon();
        let unfiltered = |word: &str| with_lowercase(word, |lower| lexicon.verbs.get(lower).copied());
        for verb in lexicon.verbs.keys() {
            let asked = [
                verb.to_string(),
                verb.to_uppercase(),
                crate::rules::text::uppercase_first(verb),
                format!("{verb}x"),
                format!("x{verb}"),
                verb.replacen(|character: char| character.is_ascii_alphabetic(), "q", 1),
            ];
            for word in &asked {
                assert_eq!(lexicon.speech_verb(word), unfiltered(word), "{word:?}");
            }
            assert!(lexicon.speech_verb(&verb.to_uppercase()).is_some(), "{verb}");
        }
    }

    #[test]
    fn source_words() {
        let lexicon = lexicon();
        assert!(lexicon.mentions_agency("Russia's Tass news agency"));
        assert!(lexicon.mentions_agency("AP"));
        assert!(!lexicon.mentions_agency("APEC leaders"));
        assert!(lexicon.mentions_organization("Russia's foreign ministry"));
        assert!(lexicon.is_anonymous_head("Officials"));
        assert!(!lexicon.is_anonymous_head("minister"));
    }
}
