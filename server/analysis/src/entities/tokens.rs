//! Splitting a paragraph's prose into tokens: words, numbers and punctuation.
//!
//! The tokenizer walks the bytes once and allocates nothing but the output
//! vector; the per-token work is a handful of byte comparisons, because the
//! throughput budget (a million words a second for the whole analysis) leaves
//! about a microsecond per word for everything.
//!
//! Conventions, chosen so that later stages see what a copy editor sees:
//! - A possessive ending (`'s`, `’s`, or a lone `'` after a plural ending in s)
//!   is its own token of kind [`TokenKind::Possessive`], so "Kim Jong Un's"
//!   yields the name "Kim Jong Un" and a possessive marker.
//! - Hyphens and apostrophes between letters stay inside a word ("Jong-un",
//!   "O'Brien", "al-Sisi").
//! - A period stays on a word when the word is an initial ("J."), a dotted
//!   abbreviation ("U.S.", "a.m.") or a known short form ("Mr.", "Dr.", "Gen.").
//! - Numbers keep their inner separators ("1,200", "3.5", "2019-03-01").

use crate::model::Span;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters (possibly with digits, inner hyphens, apostrophes, or a final
    /// abbreviation period).
    Word,
    /// Starts with a digit.
    Number,
    /// A single punctuation or symbol character.
    Punct,
    /// The possessive ending `'s` / `’s` / `'` split off a word.
    Possessive,
}

/// How a word is capitalised; [`Capitalization::NoLetters`] for numbers and punctuation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capitalization {
    /// "premier"
    Lower,
    /// "Premier", "McDonald", "O'Brien": first letter upper, some lowercase after.
    Title,
    /// "DPRK", "U.S.", "I": every letter upper.
    Upper,
    /// "iPhone", "eBay": starts lowercase but has an uppercase letter.
    Mixed,
    NoLetters,
}

impl Capitalization {
    /// True for words that start with a capital letter ("Premier", "DPRK").
    pub const fn is_capitalized(self) -> bool {
        matches!(self, Capitalization::Title | Capitalization::Upper)
    }
}

/// One token, with a paragraph-relative byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    pub caps: Capitalization,
}

impl Token {
    /// The token's text in the paragraph it came from.
    pub fn text(self, prose: &str) -> &str {
        &prose[self.span.start..self.span.end]
    }

    pub const fn is_capitalized_word(self) -> bool {
        matches!(self.kind, TokenKind::Word) && self.caps.is_capitalized()
    }
}

/// Short forms that keep their period: titles and common abbreviations whose
/// period does not end a sentence. Lowercased, without the period.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "adm", "sgt", "gov", "sen", "rep",
    "rev", "fr", "st", "jr", "sr", "hon", "pres", "supt", "insp", "messrs", "mme", "mlle", "no", "vs", "etc", "inc",
    "corp", "ltd", "co", "bros", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mt", "ft", "ave", "approx", "dept", "est", "govt", "cf", "al",
];

/// True when `word` (without its period) is a short form that keeps its period.
pub fn is_abbreviation(word: &str) -> bool {
    if word.len() > 7 {
        return false;
    }
    let mut lower = [0u8; 8];
    for (slot, byte) in lower.iter_mut().zip(word.bytes()) {
        *slot = byte.to_ascii_lowercase();
    }
    let lower = &lower[..word.len()];
    ABBREVIATIONS.iter().any(|abbreviation| abbreviation.as_bytes() == lower)
}

fn is_apostrophe(character: char) -> bool {
    matches!(character, '\'' | '’' | 'ʼ')
}

fn is_inner_joiner(character: char) -> bool {
    matches!(character, '-' | '‐' | '‑') || is_apostrophe(character)
}

fn char_at(text: &str, index: usize) -> Option<char> {
    text.get(index..).and_then(|rest| rest.chars().next())
}

/// Splits `prose` into tokens. Whitespace separates tokens and is not kept.
pub fn tokenize(prose: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(prose.len() / 5 + 1);
    tokenize_into(prose, &mut tokens);
    tokens
}

/// Like [`tokenize`], reusing `tokens` (cleared first).
pub fn tokenize_into(prose: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    let bytes = prose.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b' ' || byte == b'\t' || byte == b'\n' || byte == b'\r' {
            index += 1;
            continue;
        }
        let character = if byte < 0x80 { byte as char } else { char_at(prose, index).unwrap_or(' ') };
        if character.is_whitespace() {
            index += character.len_utf8();
            continue;
        }
        if character.is_ascii_digit() {
            index = push_number(prose, index, tokens);
        } else if character.is_alphabetic() {
            index = push_word(prose, index, tokens);
        } else if is_apostrophe(character) && possessive_length(prose, index, tokens).is_some() {
            let length = possessive_length(prose, index, tokens).unwrap_or(1);
            tokens.push(Token {
                span: Span::new(index, index + length),
                kind: TokenKind::Possessive,
                caps: Capitalization::NoLetters,
            });
            index += length;
        } else {
            let length = character.len_utf8();
            tokens.push(Token {
                span: Span::new(index, index + length),
                kind: TokenKind::Punct,
                caps: Capitalization::NoLetters,
            });
            index += length;
        }
    }
}

/// At an apostrophe right after a word: the byte length of a possessive
/// ending (`'s`, or a lone `'` after a word ending in s), else `None`.
fn possessive_length(prose: &str, index: usize, tokens: &[Token]) -> Option<usize> {
    let previous = tokens.last()?;
    if previous.span.end != index || !matches!(previous.kind, TokenKind::Word) {
        return None;
    }
    let apostrophe = char_at(prose, index)?;
    let after = index + apostrophe.len_utf8();
    let next = char_at(prose, after);
    match next {
        Some('s' | 'S') => {
            let following = char_at(prose, after + 1);
            if following.is_none_or(|character| !character.is_alphanumeric()) { Some(after + 1 - index) } else { None }
        }
        _ => {
            let previous_text = previous.text(prose);
            let ends_in_s = previous_text.ends_with('s') || previous_text.ends_with('S');
            let followed_by_letter = next.is_some_and(char::is_alphanumeric);
            if ends_in_s && !followed_by_letter { Some(apostrophe.len_utf8()) } else { None }
        }
    }
}

fn push_number(prose: &str, start: usize, tokens: &mut Vec<Token>) -> usize {
    let bytes = prose.as_bytes();
    let mut index = start;
    while index < bytes.len() {
        let byte = bytes[index];
        let separator_before_digit =
            matches!(byte, b'.' | b',' | b':' | b'/' | b'-') && bytes.get(index + 1).is_some_and(u8::is_ascii_digit);
        if byte.is_ascii_alphanumeric() || separator_before_digit {
            index += 1;
        } else {
            break;
        }
    }
    tokens.push(Token { span: Span::new(start, index), kind: TokenKind::Number, caps: Capitalization::NoLetters });
    index
}

fn push_word(prose: &str, start: usize, tokens: &mut Vec<Token>) -> usize {
    let bytes = prose.as_bytes();
    let mut index = start;
    let mut uppercase = 0usize;
    let mut lowercase = 0usize;
    let mut first_upper = false;
    let mut first = true;
    // Whether the word so far looks like a dotted abbreviation ("U.S", "a.m").
    let mut dotted = false;
    loop {
        // ASCII letters and digits, byte by byte: the same counts as the
        // character path below gives them, without decoding characters.
        while let Some(&byte) = bytes.get(index) {
            if byte.is_ascii_uppercase() {
                uppercase += 1;
                if first {
                    first_upper = true;
                }
            } else if byte.is_ascii_lowercase() {
                lowercase += 1;
            } else if !byte.is_ascii_digit() {
                break;
            }
            first = false;
            index += 1;
        }
        // The end of the text, a space or a comma ends the word (none is
        // alphanumeric, a joiner or a full stop): most words end so, and
        // need none of the tests below.
        if bytes.get(index).is_none_or(|&byte| byte == b' ' || byte == b',') {
            break;
        }
        let Some(character) = (if index < bytes.len() && bytes[index] < 0x80 {
            Some(bytes[index] as char)
        } else {
            char_at(prose, index)
        }) else {
            break;
        };
        if character.is_alphanumeric() {
            if character.is_uppercase() {
                uppercase += 1;
                if first {
                    first_upper = true;
                }
            } else if character.is_lowercase() {
                lowercase += 1;
            }
            first = false;
            index += character.len_utf8();
            continue;
        }
        if is_inner_joiner(character) {
            let after = index + character.len_utf8();
            // A possessive ending is split off, not kept inside the word.
            if is_apostrophe(character)
                && matches!(char_at(prose, after), Some('s' | 'S'))
                && char_at(prose, after + 1).is_none_or(|next| !next.is_alphanumeric())
            {
                break;
            }
            if char_at(prose, after).is_some_and(char::is_alphanumeric) {
                index = after;
                continue;
            }
            break;
        }
        if character == '.' {
            // "U.S." / "a.m.": a single letter followed by a period and another letter.
            let segment_is_single_letter = index >= 1
                && bytes[index - 1].is_ascii_alphabetic()
                && (index - 1 == start || bytes[index - 2] == b'.');
            if segment_is_single_letter && bytes.get(index + 1).is_some_and(u8::is_ascii_alphabetic) {
                let following = bytes.get(index + 2).copied();
                if following == Some(b'.') || following.is_none_or(|byte| !byte.is_ascii_alphanumeric()) {
                    dotted = true;
                    index += 1;
                    continue;
                }
            }
            let word = &prose[start..index];
            let single_letter = word.chars().count() == 1 && first_upper;
            if dotted || single_letter || is_abbreviation(word) {
                index += 1;
            }
            break;
        }
        break;
    }
    let caps = if uppercase == 0 && lowercase == 0 {
        Capitalization::NoLetters
    } else if first_upper && lowercase == 0 {
        Capitalization::Upper
    } else if first_upper {
        Capitalization::Title
    } else if uppercase > 0 {
        Capitalization::Mixed
    } else {
        Capitalization::Lower
    };
    tokens.push(Token { span: Span::new(start, index), kind: TokenKind::Word, caps });
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        let rendered: Vec<String> = tokenize(input)
            .iter()
            .map(|token| {
                let kind = match token.kind {
                    TokenKind::Word => match token.caps {
                        Capitalization::Lower => "w",
                        Capitalization::Title => "T",
                        Capitalization::Upper => "U",
                        Capitalization::Mixed => "m",
                        Capitalization::NoLetters => "?",
                    },
                    TokenKind::Number => "n",
                    TokenKind::Punct => "p",
                    TokenKind::Possessive => "s",
                };
                format!("{}/{kind}", token.text(input))
            })
            .collect();
        assert_eq!(rendered.join(" "), expect, "input: {input:?}");
    }

    #[test]
    fn words_numbers_and_punctuation() {
        check(
            "Kim Jong Un's government, 1,200 troops.",
            "Kim/T Jong/T Un/T 's/s government/w ,/p 1,200/n troops/w ./p",
        );
        check("the U.S. envoy", "the/w U.S./U envoy/w");
        check("Mr. Trump and Donald J. Trump", "Mr./T Trump/T and/w Donald/T J./U Trump/T");
        check("Kim Jong-un met al-Sisi", "Kim/T Jong-un/T met/w al-Sisi/m");
        check("the DPRK's leader", "the/w DPRK/U 's/s leader/w");
        check("“We have,” she said", "“/p We/T have/w ,/p ”/p she/w said/w");
        check("the ministers' talks", "the/w ministers/w '/s talks/w");
        check("O'Brien left at 3 p.m.", "O'Brien/T left/w at/w 3/n p.m./w");
        check("Lê Văn Thành", "Lê/T Văn/T Thành/T");
        check("2019-03-01 and 3.5%", "2019-03-01/n and/w 3.5/n %/p");
        check("He left. She stayed", "He/T left/w ./p She/T stayed/w");
    }

    #[test]
    fn unicode_spaces_separate_tokens() {
        // No-break, narrow no-break, thin, em and ideographic spaces are spaces.
        check("envoy\u{a0}Stephen\u{202f}Biegun", "envoy/w Stephen/T Biegun/T");
        check("Choe\u{2009}Son\u{2003}Hui\u{3000}said", "Choe/T Son/T Hui/T said/w");
    }
}
