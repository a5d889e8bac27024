//! Sentence boundaries over a paragraph's tokens.
//!
//! A sentence ends at `.`, `!` or `?` (plus any closing quotes or brackets
//! right after it) when the next token starts a new sentence: a capitalised
//! word, a number, or an opening quote. Abbreviations and initials keep their
//! period inside the word token (see [`super::tokens`]), so "Mr. Trump" and
//! "Donald J. Trump" never split. A line break inside a paragraph (a Markdown
//! soft break, a title line) also ends a sentence: drafts put headings, datelines
//! and bylines on their own lines without final punctuation.

use super::tokens::{Token, TokenKind};
use crate::model::Span;

fn is_closing(text: &str) -> bool {
    matches!(text, "\"" | "”" | "’" | "'" | ")" | "]" | "»")
}

/// Returns the sentences of the paragraph as token index ranges `start..end`.
pub fn sentence_token_ranges(prose: &str, tokens: &[Token]) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let bytes = prose.as_bytes();
    let mut index = 0;
    while index < tokens.len() {
        let token = tokens[index];
        // A line break between this token and the next ends the sentence.
        if let Some(next) = tokens.get(index + 1) {
            let gap = &bytes[token.span.end..next.span.start];
            // The gap is a space or nothing between most tokens: a plain
            // loop, not two library searches per token.
            if gap.iter().any(|&byte| byte == b'\n' || byte == b'\r') {
                ranges.push(start..index + 1);
                start = index + 1;
                index += 1;
                continue;
            }
        }
        if token.kind == TokenKind::Punct && matches!(token.text(prose), "." | "!" | "?" | "…") {
            let mut end = index + 1;
            while end < tokens.len()
                && tokens[end].kind == TokenKind::Punct
                && is_closing(tokens[end].text(prose))
                && tokens[end].span.start == tokens[end - 1].span.end
            {
                end += 1;
            }
            let starts_sentence = match tokens.get(end) {
                None => true,
                Some(next) => {
                    next.is_capitalized_word()
                        || next.kind == TokenKind::Number
                        || matches!(next.text(prose), "\"" | "“" | "‘" | "(" | "[" | "«" | "-" | "—")
                }
            };
            if starts_sentence {
                ranges.push(start..end);
                start = end;
                index = end;
                continue;
            }
        }
        index += 1;
    }
    if start < tokens.len() {
        ranges.push(start..tokens.len());
    }
    ranges
}

/// The byte spans of the sentences (from each sentence's first token to its last).
pub fn sentence_spans(tokens: &[Token], ranges: &[std::ops::Range<usize>]) -> Vec<Span> {
    ranges
        .iter()
        .filter(|range| !range.is_empty())
        .map(|range| Span::new(tokens[range.start].span.start, tokens[range.end - 1].span.end))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn check(input: &str, expect: &[&str]) {
        let tokens = tokenize(input);
        let ranges = sentence_token_ranges(input, &tokens);
        let sentences: Vec<&str> =
            sentence_spans(&tokens, &ranges).iter().map(|span| &input[span.start..span.end]).collect();
        assert_eq!(sentences, expect, "input: {input:?}");
    }

    #[test]
    fn splits_at_final_punctuation() {
        check("Mr. Trump left. Donald J. Trump stayed.", &["Mr. Trump left.", "Donald J. Trump stayed."]);
        check(
            "\"We won,\" she said. \"Now we rest.\" He agreed",
            &["\"We won,\" she said.", "\"Now we rest.\"", "He agreed"],
        );
        check("It rose 3.5 percent. 20 people left", &["It rose 3.5 percent.", "20 people left"]);
        check("the U.S. envoy spoke", &["the U.S. envoy spoke"]);
        check("Headline here\nBody starts", &["Headline here", "Body starts"]);
        check("Why? because", &["Why? because"]);
    }
}
