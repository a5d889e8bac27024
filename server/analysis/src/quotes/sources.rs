//! Source phrases: the words that name who spoke, and what kind of source that is.
//!
//! A source is read around its cue: backwards from the verb in `X said`
//! (skipping auxiliaries and time words: "Li Keqiang on Friday urged"), forwards
//! in the inverted `said X`, with an apposition hop in `X, the minister, said`.
//! The phrase is then classified: a pronoun, an anonymous or vague source
//! ("sources", "officials familiar with the matter"), a news agency, an
//! organisation, or a person.

use crate::model::{SourceKind, Span};

use super::lexicon::lexicon;
use super::words::{Token, TokenKind};

/// A personal pronoun used as a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pronoun {
    He,
    She,
    They,
    It,
    We,
    I,
}

impl Pronoun {
    pub fn from_word(word: &str) -> Option<Pronoun> {
        Some(match word {
            "he" | "He" => Pronoun::He,
            "she" | "She" => Pronoun::She,
            "they" | "They" => Pronoun::They,
            "it" | "It" => Pronoun::It,
            "we" | "We" => Pronoun::We,
            "I" => Pronoun::I,
            _ => return None,
        })
    }
}

/// The words naming a source, with a first guess at its kind (the document
/// stage refines it with the entity the phrase links to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourcePhrase {
    pub span: Span,
    /// Token range of the phrase.
    pub first: usize,
    pub last: usize,
    pub kind: SourceKind,
    pub pronoun: Option<Pronoun>,
}

/// Words that end a source phrase read backwards: they start a clause.
pub const CLAUSE_WORDS: &[&str] = &[
    "that", "which", "who", "whom", "whose", "but", "because", "while", "when", "as", "if", "after", "before", "since",
    "so", "than", "where", "although", "though", "or", "nor", "is", "was", "were", "are", "be", "been", "being", "has",
    "have", "had", "do", "does", "did", "not", "to", "what", "how", "why", "said", "says", "told", "and", "then",
    "also", "would", "will", "could", "should", "can", "may", "might", "must", "shall",
];

/// Words skipped between a source and its verb.
const BETWEEN_SOURCE_AND_VERB: &[&str] = &[
    "also",
    "later",
    "previously",
    "has",
    "have",
    "had",
    "reportedly",
    "then",
    "once",
    "again",
    "recently",
    "publicly",
    "privately",
    "repeatedly",
    "earlier",
    "would",
    "will",
    "could",
    "did",
    "does",
    "do",
    "may",
    "might",
    "must",
    "should",
    "can",
    "further",
    "often",
    "never",
    "always",
    "first",
    "last",
    "yesterday",
    "today",
    "tonight",
    "on",
    "this",
    "week",
    "month",
    "year",
    "morning",
    "afternoon",
    "evening",
    "night",
    "ago",
    "just",
    "separately",
    "simply",
    "flatly",
    "immediately",
    "quickly",
    "angrily",
    "bluntly",
    "openly",
    "already",
    "still",
    "even",
    "too",
    "not",
    "n't",
    "didn't",
    "doesn't",
    "hasn't",
    "haven't",
    "since",
    "long",
    "now",
    "both",
    "all",
    "together",
    "each",
];

/// Time words that may sit between source and verb ("Li on Friday urged").
pub fn is_time_word(word: &str) -> bool {
    matches!(
        word,
        "Monday"
            | "Tuesday"
            | "Wednesday"
            | "Thursday"
            | "Friday"
            | "Saturday"
            | "Sunday"
            | "yesterday"
            | "today"
            | "tonight"
            | "earlier"
            | "later"
            | "recently"
            | "week"
            | "month"
            | "year"
            | "morning"
            | "afternoon"
            | "evening"
            | "night"
            | "weekend"
    )
}

/// Words that start a sentence but are not part of its subject.
const LEADING_ADVERBS: &[&str] = &[
    "Meanwhile",
    "However",
    "But",
    "And",
    "Later",
    "Earlier",
    "Now",
    "Still",
    "Separately",
    "Also",
    "Yet",
    "So",
    "Then",
    "Instead",
    "Moreover",
    "Indeed",
    "When",
    "As",
    "If",
    "While",
    // Subordinators opening a clause before the main one (`Though Lorne
    // called it ..., Berg ...`).
    "Though",
    "Although",
    "Because",
    "Since",
    "Once",
    "Unless",
    "Until",
    "Whereas",
    "After",
    "Before",
];

/// Reads a source phrase backwards from the token before `verb`, not crossing `floor`.
pub fn backward(prose: &str, tokens: &[Token], verb: usize, floor: usize) -> Option<SourcePhrase> {
    let mut index = verb;
    // Skip auxiliaries, adverbs and time expressions between source and verb.
    let mut skipped = 0;
    while index > floor && skipped < 4 {
        let token = tokens[index - 1];
        let word = token.text(prose);
        let adverb = !token.capitalized && word.len() > 4 && word.ends_with("ly");
        // "McConnell, who in 2010 said", "Li on Friday urged": a time phrase.
        let dated = token.is_word()
            && (word.starts_with(|character: char| character.is_ascii_digit()) || is_time_word(word))
            && index >= 2
            && index - 2 >= floor
            && matches!(tokens[index - 2].text(prose), "in" | "on" | "last" | "this" | "early" | "late");
        // "have in fact reported", "has in the past described".
        let set_phrase = token.is_word()
            && matches!(word, "fact" | "particular" | "past" | "turn" | "public" | "private")
            && index >= 2
            && index - 2 >= floor
            && matches!(tokens[index - 2].text(prose), "in" | "the");
        if dated {
            index -= 2;
            skipped += 1;
        } else if set_phrase {
            index -= if tokens[index - 2].text(prose) == "the" && index >= 3 && index - 3 >= floor { 3 } else { 2 };
            skipped += 1;
        } else if token.is_word() && (BETWEEN_SOURCE_AND_VERB.contains(&word) || is_time_word(word) || adverb) {
            index -= 1;
            skipped += 1;
        } else {
            break;
        }
    }
    // "Sen. Ada Lorne (D-MA) said": step over a parenthesis after the name.
    if index > floor
        && tokens[index - 1].is_punct(')')
        && let Some(open) = (floor..index - 1).rev().take(8).find(|position| tokens[*position].is_punct('('))
    {
        let (first, _) = backward_words(prose, tokens, open, floor)?;
        return Some(classified(prose, tokens, first, index - 1));
    }
    // A pronoun right before the verb is the whole source.
    if index > floor && tokens[index - 1].is_word() {
        let word = tokens[index - 1].text(prose);
        if let Some(pronoun) = Pronoun::from_word(word) {
            return Some(phrase_of(tokens, index - 1, index - 1, SourceKind::Person, Some(pronoun)));
        }
        // "Barkley, who said ...": the source is the antecedent and "who".
        if matches!(word, "who" | "which") && index - 1 > floor && tokens[index - 2].is_punct(',') {
            let (first, _) = backward_words(prose, tokens, index - 2, floor)?;
            return Some(classified(prose, tokens, first, index - 1));
        }
        // "a contractor who said": the antecedent and "who".
        if word == "who" {
            let first = backward_words(prose, tokens, index - 1, floor).map_or(index - 1, |(first, _)| first);
            // The noun phrase starts at its determiner, not at the verb before it.
            let first = (first..index - 1)
                .rev()
                .find(|position| matches!(tokens[*position].text(prose), "a" | "an" | "the" | "A" | "An" | "The"))
                .unwrap_or(first);
            return Some(classified(prose, tokens, first, index - 1));
        }
    }
    // `X, the minister, said`, `X, 58, who lives nearby, said`: hop back over
    // appositions and relative clauses to the name.
    if index > floor && tokens[index - 1].is_punct(',') {
        let comma = index - 1;
        let mut right = comma;
        for _ in 0..3 {
            let Some(left) = (floor..right).rev().take(24).find(|position| tokens[*position].is_punct(',')) else {
                // "Mr. Holt, who runs Holt Freight, a shipping firm, said": the
                // name opens the clause, with no comma before it.
                // ("Sen. Ada Lorne (D-MA), said": a parenthesis before the comma.)
                if right == comma && !(right > floor && tokens[right - 1].is_punct(')')) {
                    return None;
                }
                let name_end = if right > floor && tokens[right - 1].is_punct(')') {
                    (floor..right - 1).rev().take(8).find(|position| tokens[*position].is_punct('('))?
                } else {
                    right
                };
                let (first, _) = backward_words(prose, tokens, name_end, floor)?;
                if !tokens[first].capitalized {
                    return None;
                }
                let kind = classify(prose, &tokens[first..name_end]);
                return Some(phrase_of(tokens, first, comma - 1, kind, None));
            };
            tokens.get(left + 1).filter(|token| token.is_word())?;
            // "Rep. Ada Lorne (D-Md.), chair of the committee, said": the name
            // before the apposition may carry a parenthesis.
            let name_end = if left > floor && tokens[left - 1].is_punct(')') {
                (floor..left - 1).rev().take(8).find(|position| tokens[*position].is_punct('('))?
            } else {
                left
            };
            let (first, _) = backward_words(prose, tokens, name_end, floor)?;
            let starts_clause = first > floor
                && tokens[first - 1].is_word()
                && matches!(tokens[first - 1].text(prose), "who" | "which" | "whose");
            let numeric = first + 1 == left
                && tokens[first].text(prose).starts_with(|character: char| character.is_ascii_digit());
            // "Paul Berg, a ferry pilot from Varna, who ...": an apposition
            // with an article after a capitalised name is hopped over too.
            let lowercase_apposition = !tokens[first].capitalized
                && first > floor
                && tokens[first - 1].is_punct(',')
                && (!matches!(tokens[first].text(prose), "the" | "a" | "an")
                    || (first >= floor + 2 && tokens[first - 2].capitalized));
            if starts_clause || numeric || lowercase_apposition {
                right = if starts_clause { first - 1 } else { left };
                // Step over the comma before "who" too.
                if starts_clause && right > floor && tokens[right - 1].is_punct(',') {
                    right -= 1;
                }
                continue;
            }
            // The name before the apposition says what kind of source it is:
            // "Lorne, chair of the committee" is a person.
            let kind = classify(prose, &tokens[first..name_end]);
            return Some(phrase_of(tokens, first, comma - 1, kind, None));
        }
        return None;
    }
    let (first, last) = backward_words(prose, tokens, index, floor)?;
    Some(classified(prose, tokens, first, last))
}

/// The word run ending just before `end`, read backwards up to a clause word
/// or punctuation; returns its first and last token indices.
fn backward_words(prose: &str, tokens: &[Token], end: usize, floor: usize) -> Option<(usize, usize)> {
    let mut index = end;
    let mut count = 0;
    while index > floor && count < 10 {
        let token = tokens[index - 1];
        if !token.is_word() {
            break;
        }
        let word = token.text(prose);
        let close_to = word == "to" && index >= 2 && tokens[index - 2].text(prose) == "close";
        if CLAUSE_WORDS.contains(&word) && !close_to {
            // "Trump and Pence said": keep "and" between two capitalised words.
            let joins_names = word == "and"
                && index - 1 > floor
                && tokens[index - 2].capitalized
                && tokens.get(index).is_some_and(|next| next.capitalized);
            if !joins_names {
                break;
            }
        }
        if Pronoun::from_word(word).is_some() && count > 0 {
            break;
        }
        index -= 1;
        count += 1;
    }
    // Drop sentence adverbs at the front ("Meanwhile Trump said").
    while index < end && LEADING_ADVERBS.contains(&tokens[index].text(prose)) {
        index += 1;
    }
    (index < end).then(|| (index, end - 1))
}

/// Words that end a source phrase read forwards.
const FORWARD_STOP: &[&str] = &[
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "does",
    "did",
    "do",
    "there's",
    "it's",
    "in",
    "on",
    "at",
    "during",
    "after",
    "before",
    "to",
    "with",
    "by",
    "from",
    "that",
    "who",
    "which",
    "when",
    "while",
    "as",
    "because",
    "said",
    "says",
    "told",
    "adding",
    "saying",
    "according",
    "via",
    "about",
    "over",
    "is",
    "was",
    "were",
    "are",
    "has",
    "have",
    "had",
    "if",
    "but",
];

/// Reads a source phrase forwards from `from` (the token after an inverted
/// verb: `said Yonhap`), not reaching `ceiling`.
pub fn forward(prose: &str, tokens: &[Token], from: usize, ceiling: usize) -> Option<SourcePhrase> {
    forward_phrase(prose, tokens, from, ceiling, false)
}

/// Like [`forward`], for the object of "according to", which is a source
/// whatever it looks like: "according to experts", "according to numerous
/// sources", not only a name.
pub fn forward_after_preposition(prose: &str, tokens: &[Token], from: usize, ceiling: usize) -> Option<SourcePhrase> {
    forward_phrase(prose, tokens, from, ceiling, true)
}

fn forward_phrase(prose: &str, tokens: &[Token], from: usize, ceiling: usize, any_noun: bool) -> Option<SourcePhrase> {
    let first_token = tokens.get(from)?;
    if !first_token.is_word() || is_time_word(first_token.text(prose)) {
        return None;
    }
    if let Some(pronoun) = Pronoun::from_word(first_token.text(prose)) {
        return Some(phrase_of(tokens, from, from, SourceKind::Person, Some(pronoun)));
    }
    // An inverted source is a name or a determined noun ("said Yonhap", "said
    // the minister"), not the start of a clause ("says there's a").
    let determiner = matches!(
        first_token.text(prose),
        "the" | "a" | "an" | "one" | "another" | "his" | "her" | "their" | "its" | "two" | "three" | "several" | "some"
    );
    let names_someone = |end: usize| (from..end).any(|position| tokens[position].capitalized);
    let mut index = from;
    while index < ceiling && index - from < 9 {
        let token = tokens[index];
        if !token.is_word() {
            break;
        }
        let word = token.text(prose);
        if FORWARD_STOP.contains(&word) || (index > from && is_time_word(word)) {
            break;
        }
        if word == "and" && !tokens.get(index + 1).is_some_and(|next| next.capitalized) {
            break;
        }
        index += 1;
    }
    // Do not end on a connecting word.
    while index > from && matches!(tokens[index - 1].text(prose), "and" | "of" | "for" | "the") {
        index -= 1;
    }
    // "said board member Anja Lind" names someone; "says there's a" does not.
    (index > from && (any_noun || first_token.capitalized || determiner || names_someone(index)))
        .then(|| classified(prose, tokens, from, index - 1))
}

fn phrase_of(tokens: &[Token], first: usize, last: usize, kind: SourceKind, pronoun: Option<Pronoun>) -> SourcePhrase {
    SourcePhrase { span: Span::new(tokens[first].span.start, tokens[last].span.end), first, last, kind, pronoun }
}

fn classified(prose: &str, tokens: &[Token], first: usize, last: usize) -> SourcePhrase {
    let phrase = phrase_of(tokens, first, last, SourceKind::Unknown, None);
    let kind = classify(prose, &tokens[first..=last]);
    SourcePhrase { kind, ..phrase }
}

/// Guesses the kind of source a phrase names, from its words alone.
pub fn classify(prose: &str, words: &[Token]) -> SourceKind {
    let lexicon = lexicon();
    if let [only] = words
        && let Some(pronoun) = Pronoun::from_word(only.text(prose))
    {
        return match pronoun {
            Pronoun::He | Pronoun::She | Pronoun::I => SourceKind::Person,
            Pronoun::They | Pronoun::It | Pronoun::We => SourceKind::Unknown,
        };
    }
    let Some(first) = words.first() else { return SourceKind::Unknown };
    let text = &prose[first.span.start..words.last().map_or(first.span.end, |last| last.span.end)];
    let ends_in_name = words.last().is_some_and(|last| last.capitalized) && words.len() > 1
        || (words.len() == 1 && words[0].capitalized);
    let word_texts = || words.iter().map(|word| word.text(prose));
    if lexicon.may_mention_agency(word_texts()) && lexicon.mentions_agency(text) {
        return SourceKind::Agency;
    }
    let anonymous_head =
        words.iter().any(|word| word.kind == TokenKind::Word && lexicon.is_anonymous_head(word.text(prose)));
    if anonymous_head && !ends_in_name {
        return SourceKind::Anonymous;
    }
    if !ends_in_name && lexicon.may_mention_organization(word_texts()) && lexicon.mentions_organization(text) {
        return SourceKind::Organization;
    }
    SourceKind::Person
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quotes::{marks, words};

    /// Finds the verb `verb` in `prose` and reads the source before it (or
    /// after it, when `verb` ends with `>`).
    fn check(prose: &str, verb: &str, expect: &str) {
        let (marks, _) = marks::scan(prose);
        let mut tokens = Vec::new();
        words::tokenize(prose, &marks, &mut tokens);
        let (verb, forwards) = match verb.strip_suffix('>') {
            Some(verb) => (verb, true),
            None => (verb, false),
        };
        let position = tokens.iter().position(|token| token.text(prose) == verb).expect("verb in prose");
        let phrase = if forwards {
            forward(prose, &tokens, position + 1, tokens.len())
        } else {
            backward(prose, &tokens, position, 0)
        };
        let actual = phrase.map_or_else(
            || String::from("-"),
            |phrase| format!("{} ({:?})", &prose[phrase.span.start..phrase.span.end], phrase.kind),
        );
        assert_eq!(actual, expect, "\n{prose}");
    }

    #[test]
    fn sources_before_the_verb() {
        check("Premier Ada Lorne on Friday urged calm.", "urged", "Premier Ada Lorne (Person)");
        check(
            "Meanwhile, the Harbour Authority's board said it would wait.",
            "said",
            "the Harbour Authority's board (Organization)",
        );
        check("The bridge will close, sources said.", "said", "sources (Anonymous)");
        check("Officials familiar with the matter said no.", "said", "Officials familiar with the matter (Anonymous)");
        check("She also blamed the council.", "blamed", "She (Person)");
        check("Ruiz, the port's director, said so.", "said", "Ruiz, the port's director (Person)");
        check("Lorne has since said no.", "said", "Lorne (Person)");
        check("Lorne and Berg have both urged calm.", "urged", "Lorne and Berg (Person)");
        check("The two mayors have in the past praised it.", "praised", "The two mayors (Person)");
        check("When asked, said no.", "said", "-");
        check("It angered a builder who said he was never paid.", "said", "a builder who (Person)");
        check("Berg, who in 2019 said no, left.", "said", "Berg, who (Person)");
        check(
            "Rep. Ada Lorne (D-Md.), chair of the harbour committee, said no.",
            "said",
            "Rep. Ada Lorne (D-Md.), chair of the harbour committee (Person)",
        );
    }

    #[test]
    fn sources_after_an_inverted_verb() {
        check("The ferry sank, said Yonhap, after the storm.", "said>", "Yonhap (Agency)");
        check("\"No,\" said the mayor in a statement.", "said>", "the mayor (Person)");
        check("It left, said Friday that", "said>", "-");
    }
}
