//! A light word scanner and a quote-aware sentence splitter for attribution.
//!
//! Attribution needs words (to find cues and source phrases) and sentences
//! whose boundaries ignore the full stops inside quotes: in
//! `"We are done. We leave," she said.` the cue belongs to the whole quote.
//! One vector of tokens per paragraph; no allocation per token.

use crate::model::Span;

use super::lexicon::{VerbForm, lexicon};
use super::marks::{MarkLevel, QuoteMark};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters and digits, with inner apostrophes, hyphens and abbreviation dots.
    Word,
    /// One punctuation character.
    Punct(char),
    /// A double quotation mark (index into the paragraph's marks).
    Mark(usize),
}

/// One token of a paragraph (paragraph-relative span).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// The first character is uppercase.
    pub capitalized: bool,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    pub fn is_punct(&self, character: char) -> bool {
        self.kind == TokenKind::Punct(character)
    }

    pub fn text<'a>(&self, prose: &'a str) -> &'a str {
        &prose[self.span.start..self.span.end]
    }
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Sgt", "Capt", "Cmdr", "Adm", "Maj", "Jr", "Sr",
    "St", "Prof", "Rev", "Pres", "Gen", "Corp", "Inc", "Co", "Ltd", "No", "Jan", "Feb", "Mar", "Apr", "Aug", "Sept",
    "Sep", "Oct", "Nov", "Dec", "vs", "Mt", "Ft", "Calif", "Fla", "Mass", "Wash", "Ariz", "Ill", "Penn", "Pa", "Va",
];

fn is_word_character(character: char) -> bool {
    character.is_alphanumeric()
}

/// Splits `prose` into tokens; double quotation marks become [`TokenKind::Mark`].
/// The horizontal bar, read as an em dash.
const HORIZONTAL_BAR: char = '\u{2015}';
const EM_DASH: char = '\u{2014}';

pub fn tokenize(prose: &str, marks: &[QuoteMark], tokens: &mut Vec<Token>) {
    tokens.clear();
    let bytes = prose.as_bytes();
    let mut next_mark = marks.iter().enumerate().filter(|(_, mark)| mark.level == MarkLevel::Double).peekable();
    let mut offset = 0;
    while offset < prose.len() {
        // An ASCII byte is its own character: no slicing and decoding for
        // the common case (this loop visits every character of the paragraph).
        let character = match bytes[offset] {
            byte if byte.is_ascii() => char::from(byte),
            _ => prose[offset..].chars().next().unwrap_or(' '),
        };
        let length = character.len_utf8();
        if character.is_whitespace() {
            offset += length;
            continue;
        }
        while next_mark.peek().is_some_and(|(_, mark)| mark.span.start < offset) {
            next_mark.next();
        }
        if let Some((index, mark)) = next_mark.peek().copied()
            && mark.span.start == offset
        {
            tokens.push(Token { span: mark.span, kind: TokenKind::Mark(index), capitalized: false });
            next_mark.next();
            offset = mark.span.end;
            continue;
        }
        if is_word_character(character) {
            let start = offset;
            let mut end = offset + length;
            // ASCII letters and digits run on without decoding characters.
            while bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) {
                end += 1;
            }
            // A space, a comma or the end of the text ends the word (most
            // words end so): no character to decode and test.
            let plain_end = bytes.get(end).is_none_or(|&byte| byte == b' ' || byte == b',');
            while let Some(next) = prose[end..].chars().next().filter(|_| !plain_end) {
                if is_word_character(next) {
                    end += next.len_utf8();
                    continue;
                }
                // Inner apostrophes, hyphens and dots: "don't", "Kim's", "so-called", "U.S".
                if matches!(next, '\'' | '\u{2019}' | '-' | '.' | '&')
                    && prose[end + next.len_utf8()..].chars().next().is_some_and(is_word_character)
                {
                    end += next.len_utf8();
                    continue;
                }
                break;
            }
            // A trailing full stop belongs to abbreviations and initials.
            if bytes.get(end) == Some(&b'.') {
                let word = &prose[start..end];
                let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
                if initial || word.contains('.') || ABBREVIATIONS.contains(&word) {
                    end += 1;
                }
            }
            let capitalized = character.is_uppercase();
            tokens.push(Token { span: Span::new(start, end), kind: TokenKind::Word, capitalized });
            offset = end;
            continue;
        }
        // A horizontal bar (`―`, U+2015) is set as a dash by some
        // publishers (`called Berg a "con artist" ― as he did before`):
        // the rules read it as the em dash it stands for.
        let character = if character == HORIZONTAL_BAR { EM_DASH } else { character };
        tokens.push(Token {
            span: Span::new(offset, offset + length),
            kind: TokenKind::Punct(character),
            capitalized: false,
        });
        offset += length;
    }
}

/// Splits the tokens into sentences (ranges of token indices). `inside_quote`
/// tells for each token whether it lies strictly inside a quote; full stops
/// there do not end a sentence.
pub fn sentences(prose: &str, tokens: &[Token], inside_quote: &[bool], out: &mut Vec<std::ops::Range<usize>>) {
    out.clear();
    let mut start = 0;
    let mut index = 0;
    while index < tokens.len() {
        let token = tokens[index];
        let ends = matches!(token.kind, TokenKind::Punct('.' | '!' | '?' | '\u{2026}'));
        if ends && !inside_quote[index] {
            // Swallow closing marks and brackets that follow.
            let mut end = index + 1;
            while end < tokens.len()
                && (matches!(tokens[end].kind, TokenKind::Punct(')' | ']' | '\'' | '\u{2019}'))
                    || (matches!(tokens[end].kind, TokenKind::Mark(_))
                        && !inside_quote.get(end).copied().unwrap_or(false)
                        && closes(prose, tokens[end])))
            {
                end += 1;
            }
            if next_starts_sentence(prose, tokens, end) {
                out.push(start..end);
                start = end;
                index = end;
                continue;
            }
        }
        // A quote that ends with its own full stop ends the sentence when a new
        // sentence starts after it: `"We are done." He left.`
        if let TokenKind::Mark(_) = token.kind
            && index > 0
            && matches!(tokens[index - 1].kind, TokenKind::Punct('.' | '!' | '?'))
            && !inside_quote[index]
            && closes(prose, token)
            && next_starts_sentence(prose, tokens, index + 1)
            && !cue_clause_follows(prose, tokens, index + 1)
        {
            out.push(start..index + 1);
            start = index + 1;
        }
        index += 1;
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
}

/// True when the tokens from `start` are only a cue clause that goes with the
/// quote before it: `"Great work!" Berg wrote in an email.`, `"Why?" The
/// mayor asked.` A name (or a short noun phrase) and a speech verb, then the
/// end of the sentence or an adjunct, never a clause of its own.
fn cue_clause_follows(prose: &str, tokens: &[Token], start: usize) -> bool {
    let Some(first) = tokens.get(start) else { return false };
    if !first.is_word() || !first.capitalized {
        return false;
    }
    for verb in start + 1..(start + 6).min(tokens.len()) {
        let token = tokens[verb];
        // "Lorne was arranging calls with ...": an auxiliary or a participle
        // before the verb form makes it a clause of its own (or a noun).
        if !token.is_word()
            || matches!(token.text(prose), "was" | "is" | "were" | "are" | "has" | "had" | "have" | "will" | "would")
            || token.text(prose).ends_with("ing")
        {
            return false;
        }
        let is_cue = lexicon()
            .speech_verb(token.text(prose))
            .is_some_and(|form| matches!(form.form, VerbForm::Past | VerbForm::Present));
        if is_cue {
            return match tokens.get(verb + 1) {
                None => true,
                Some(next) => match next.kind {
                    TokenKind::Punct(character) => matches!(character, '.' | ',' | ';' | '!' | '?'),
                    TokenKind::Mark(_) => false,
                    // An adjunct ("in an email", "last week", "Friday",
                    // "quietly"), not a clause of the verb's own.
                    TokenKind::Word => {
                        let word = next.text(prose);
                        matches!(
                            word,
                            "in" | "on"
                                | "at"
                                | "during"
                                | "after"
                                | "before"
                                | "as"
                                | "while"
                                | "when"
                                | "to"
                                | "last"
                                | "this"
                                | "then"
                                | "again"
                                | "of"
                                | "about"
                                | "with"
                                | "from"
                                | "through"
                                | "outside"
                        ) || super::sources::is_time_word(word)
                            || (word.len() > 4 && word.ends_with("ly") && !next.capitalized)
                    }
                },
            };
        }
    }
    false
}

/// A mark token that closes (followed by a space or the end) rather than opens.
fn closes(prose: &str, token: Token) -> bool {
    prose[token.span.end..].chars().next().is_none_or(|next| next.is_whitespace() || ",.;:)".contains(next))
}

fn next_starts_sentence(prose: &str, tokens: &[Token], index: usize) -> bool {
    match tokens.get(index) {
        None => true,
        Some(token) => match token.kind {
            TokenKind::Word => token.capitalized || token.text(prose).starts_with(|c: char| c.is_ascii_digit()),
            TokenKind::Mark(_) => true,
            TokenKind::Punct(character) => matches!(character, '(' | '[' | '\u{2014}' | '-'),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quotes::marks;

    fn check(prose: &str, expect: &str) {
        let (marks, pairs) = marks::scan(prose);
        let mut tokens = Vec::new();
        tokenize(prose, &marks, &mut tokens);
        let inside: Vec<bool> = tokens
            .iter()
            .map(|token| {
                pairs.iter().any(|pair| {
                    marks[pair.open.or(pair.close).unwrap()].level == MarkLevel::Double
                        && pair.span.start < token.span.start
                        && token.span.end < pair.span.end
                })
            })
            .collect();
        let mut ranges = Vec::new();
        sentences(prose, &tokens, &inside, &mut ranges);
        let rendered: Vec<String> = ranges
            .iter()
            .map(|range| {
                let words: Vec<&str> = tokens[range.clone()].iter().map(|token| token.text(prose)).collect();
                words.join(" ")
            })
            .collect();
        assert_eq!(rendered.join("\n"), expect.trim());
    }

    #[test]
    fn words_keep_abbreviations_and_possessives() {
        check("Mr. Kim's U.S. trip, so-called talks.", "Mr. Kim's U.S. trip , so-called talks .");
    }

    #[test]
    fn a_cue_clause_after_a_closed_quote_stays_in_its_sentence() {
        check(
            "\"Great work!\" Berg wrote in an email. \"Done.\" Lorne left.",
            "\" Great work ! \" Berg wrote in an email .\n\" Done . \"\nLorne left .",
        );
        check(
            "\"Not again!\" Berg said last week. \"Why?\" Lorne asked quietly. \"Go!\" Holm said Monday.",
            "\" Not again ! \" Berg said last week .\n\" Why ? \" Lorne asked quietly .\n\" Go ! \" Holm said Monday .",
        );
    }

    #[test]
    fn sentences_ignore_full_stops_inside_quotes() {
        check(
            "\"We are done. We leave,\" she said. It rained. \"Go.\" He went.",
            "\" We are done . We leave , \" she said .\nIt rained .\n\" Go . \"\nHe went .",
        );
    }
}
