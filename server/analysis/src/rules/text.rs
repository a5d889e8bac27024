//! Small text helpers shared by the rules: words with offsets, sentence starts,
//! and the edit that deletes a whole paragraph.

use crate::model::{Span, TextEdit};
use crate::tracked_text::TrackedText;

/// A word of a paragraph with its document span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    pub span: Span,
    pub text: &'a str,
}

/// The ASCII bytes [`is_word_character`] accepts (letters, digits, ' - . &),
/// as a table indexed by byte.
const WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        let character = byte as u8;
        table[byte] = character.is_ascii_alphanumeric() || matches!(character, b'\'' | b'-' | b'.' | b'&');
        byte += 1;
    }
    table
};

fn is_word_character(character: char) -> bool {
    character.is_alphanumeric() || matches!(character, '\'' | '’' | '-' | '.' | '&')
}

/// The words of `prose` (a paragraph starting at document offset `offset`):
/// runs of letters and digits, with inner apostrophes, hyphens, dots and
/// ampersands kept ("U.S.", "AT&T", "Kim Jong-un"); a trailing dot, hyphen or
/// apostrophe is not part of the word unless the word is an abbreviation
/// with inner dots ("U.S.").
pub fn words<'a>(prose: &'a str, offset: usize) -> Vec<Word<'a>> {
    // About one word per six bytes of prose: reserving that once saves the
    // vector's repeated growth on every paragraph.
    let mut found = Vec::with_capacity(prose.len() / 6 + 1);
    let mut start: Option<usize> = None;
    let push = |begin: usize, end: usize, found: &mut Vec<Word<'a>>| {
        let raw = &prose[begin..end];
        // Most words begin and end with an ASCII letter or digit: nothing to
        // trim at either end (and no abbreviation dot to keep).
        let bytes = raw.as_bytes();
        if bytes.first().is_some_and(u8::is_ascii_alphanumeric) && bytes.last().is_some_and(u8::is_ascii_alphanumeric) {
            found.push(Word { span: Span::new(offset + begin, offset + end), text: raw });
            return;
        }
        let keeps_dot = raw.len() > 2 && raw.strip_suffix('.').is_some_and(|stem| stem.contains('.'));
        let trimmed = if keeps_dot { raw } else { raw.trim_end_matches(['.', '-', '\'', '’', '&']) }
            .trim_start_matches(['.', '-', '\'', '’', '&']);
        if trimmed.is_empty() {
            return;
        }
        let lead = raw.len() - raw.trim_start_matches(['.', '-', '\'', '’', '&']).len();
        let begin = begin + lead;
        found.push(Word {
            span: Span::new(offset + begin, offset + begin + trimmed.len()),
            text: &prose[begin..begin + trimmed.len()],
        });
    };
    if prose.is_ascii() {
        // The same words read from the bytes: for an ASCII character,
        // `is_word_character` is an ASCII letter or digit or one of ' - . &.
        // A run of separators and a run of word bytes are each crossed by a
        // tight loop of its own, where one walk testing its state at every
        // byte branched unpredictably at every byte.
        let bytes = prose.as_bytes();
        let mut index = 0;
        loop {
            while index < bytes.len() && !WORD_BYTES[usize::from(bytes[index])] {
                index += 1;
            }
            if index == bytes.len() {
                break;
            }
            let begin = index;
            while index < bytes.len() && WORD_BYTES[usize::from(bytes[index])] {
                index += 1;
            }
            // Most words begin and end with an ASCII letter or digit: pushed
            // here, in the loop, without the call that trims the others.
            if bytes[begin].is_ascii_alphanumeric() && bytes[index - 1].is_ascii_alphanumeric() {
                found.push(Word { span: Span::new(offset + begin, offset + index), text: &prose[begin..index] });
            } else {
                push(begin, index, &mut found);
            }
        }
    } else {
        for (index, character) in prose.char_indices() {
            match (is_word_character(character), start) {
                (true, None) => start = Some(index),
                (false, Some(begin)) => {
                    push(begin, index, &mut found);
                    start = None;
                }
                _ => {}
            }
        }
    }
    if let Some(begin) = start {
        push(begin, prose.len(), &mut found);
    }
    found
}

/// The words of a paragraph rebuilt from the spans the per-paragraph stage
/// found (`ParagraphFacts::words`, relative to the paragraph), placed at
/// document offset `offset`: the same as [`words`] without reading the
/// characters again.
pub fn words_from_spans<'a>(prose: &'a str, offset: usize, spans: &[Span]) -> Vec<Word<'a>> {
    // Reserved once: collecting from `filter_map` grew the vector step by
    // step, for each of the three rules that call this on every paragraph.
    let mut words = Vec::with_capacity(spans.len());
    words.extend(spans.iter().filter_map(|span| {
        let text = prose.get(span.start..span.end)?;
        Some(Word { span: span.shifted(offset), text })
    }));
    words
}

/// Whether `prose` has "it is ", "it was " or "it has " in any case: every
/// built-in impersonal attribution ("it is understood") starts so, and most
/// paragraphs have none, so the rule can skip lowercasing them.
pub fn has_impersonal_start(prose: &str) -> bool {
    let bytes = prose.as_bytes();
    let lowercase_at =
        |at: usize, word: &[u8]| bytes.get(at..at + word.len()).is_some_and(|found| found.eq_ignore_ascii_case(word));
    // Only the places of an 'i' or 'I' are tried, found with SIMD.
    memchr::memchr2_iter(b'i', b'I', &bytes[..bytes.len().saturating_sub(2)]).any(|at| {
        lowercase_at(at, b"it ")
            && (lowercase_at(at + 3, b"is ") || lowercase_at(at + 3, b"was ") || lowercase_at(at + 3, b"has "))
    })
}

/// Whether the word at document offset `start` begins a sentence: only
/// spaces, quotation marks or brackets since the paragraph start or since a
/// `.`, `?`, `!` or `:`.
pub fn starts_sentence(text: &TrackedText<'_>, paragraph_start: usize, start: usize) -> bool {
    // Only the characters up to the last one that is not space or an
    // opening mark are read, so an edit further back changes nothing here.
    let last = text.last_char_before(paragraph_start, start, |character: char| {
        character.is_whitespace() || matches!(character, '"' | '“' | '‘' | '\'' | '(' | '[' | '—' | '–' | '-')
    });
    last.is_none_or(|(_, character)| matches!(character, '.' | '?' | '!' | ':'))
}

/// The edit that deletes the paragraph at `span` with its line break, and the
/// blank line after it when it stands between blank lines, so no double gap is left.
pub fn delete_paragraph(tracked: &TrackedText<'_>, span: Span) -> TextEdit {
    // Reads a few bytes around the paragraph and the blank lines after it;
    // the range looked at is recorded at the end.
    let text = tracked.unrecorded();
    let mut end = span.end;
    let skip_break = |at: usize| -> usize {
        if text[at..].starts_with("\r\n") {
            at + 2
        } else if text[at..].starts_with(['\n', '\r']) {
            at + 1
        } else {
            at
        }
    };
    end = skip_break(end);
    let before = &text.as_bytes()[..span.start];
    let blank_before = before.is_empty() || before.ends_with(b"\n\n") || before.ends_with(b"\r\n\r\n");
    let mut read_end = (end + 2).min(text.len());
    if blank_before {
        // Remove the blank lines that followed the paragraph too. A line is
        // blank when only whitespace comes before its break; the first
        // other character ends the search.
        loop {
            let stop = text[end..]
                .char_indices()
                .find(|&(_, character)| matches!(character, '\n' | '\r') || !character.is_whitespace())
                .map(|(found, character)| (end + found, character));
            read_end = read_end.max(stop.map_or(text.len(), |(at, character)| at + character.len_utf8()));
            match stop {
                Some((line_end, '\n' | '\r')) => {
                    end = skip_break(line_end);
                    read_end = read_end.max((end + 2).min(text.len()));
                }
                _ => break,
            }
        }
    }
    tracked.record(span.start.saturating_sub(4), read_end);
    TextEdit { span: Span::new(span.start, end), new_text: String::new() }
}

/// Lowercases a word's first character ("President" -> "president").
pub fn lowercase_first(word: &str) -> String {
    let mut characters = word.chars();
    match characters.next() {
        Some(first) => first.to_lowercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// Uppercases a word's first character ("president" -> "President").
pub fn uppercase_first(word: &str) -> String {
    let mut characters = word.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// Whether the word starts with an uppercase letter.
pub fn is_capitalized(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// The byte offset where each line of `text` starts (LSP line breaks: `\n`,
/// `\r\n`, `\r`); the first line starts at 0.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(line_break_ends(text)).collect()
}

/// The byte offset just after each line break of `text`, in order: the start
/// of every line but the first. A `\r\n` pair is one break, ending after its
/// `\n`. memchr skips the long runs between breaks a word at a time.
pub fn line_break_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(move |&index| bytes[index] == b'\n' || bytes.get(index + 1) != Some(&b'\n'))
        .map(|index| index + 1)
}

/// Whether `offset` lies in a body paragraph (not a headline, subhead, outlet or tags line).
pub fn in_body(layout: &crate::document::DocumentLayout, offset: usize) -> bool {
    paragraph_at(layout, offset).is_some_and(|paragraph| paragraph.kind.is_body())
}

/// The first paragraph whose span touches `offset` (contains it or ends at
/// it), found by binary search: paragraphs are in text order and disjoint.
pub fn paragraph_at(layout: &crate::document::DocumentLayout, offset: usize) -> Option<&crate::document::Paragraph> {
    let first_ending_at_or_after = layout.paragraphs.partition_point(|paragraph| paragraph.span.end < offset);
    layout.paragraphs.get(first_ending_at_or_after).filter(|paragraph| paragraph.span.touches_offset(offset))
}

/// Joins names as "A", "A or B", "A, B or C".
pub fn join_or(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_abbreviations_and_hyphens() {
        let found: Vec<&str> =
            words("The U.S. and Kim Jong-un's AT&T deal ended.", 0).iter().map(|word| word.text).collect();
        assert_eq!(found, ["The", "U.S.", "and", "Kim", "Jong-un's", "AT&T", "deal", "ended"]);
    }

    /// The one-based line of `offset`, counted from the start of `text`: a
    /// CRLF is one break, so it is counted once among the `\n` and `\r`.
    fn counted_line(text: &str, offset: usize) -> usize {
        let before = &text[..offset];
        1 + before.matches(['\n', '\r']).count() - before.matches("\r\n").count()
    }

    #[test]
    fn line_starts_agree_with_counting_from_the_start() {
        let text = "one\ntwo\r\nthree\rfour\n\nsix";
        let starts = line_starts(text);
        // (Between the two bytes of a CRLF the old count saw a lone CR; no
        // span starts there.)
        for offset in (0..=text.len()).filter(|&offset| !text[..offset].ends_with('\r')) {
            let by_index = starts.partition_point(|&start| start <= offset).max(1);
            assert_eq!(by_index, counted_line(text, offset), "offset {offset}");
        }
    }

    #[test]
    fn paragraph_at_finds_the_touching_paragraph() {
        let layout = crate::document::layout("One two.\n\nThree four.\n", crate::document::DocumentKind::Markdown);
        let found = |offset| paragraph_at(&layout, offset).map(|paragraph| paragraph.span.start);
        assert_eq!(found(0), Some(0));
        assert_eq!(found(8), Some(0), "the end of a paragraph touches it");
        assert_eq!(found(9), None, "a blank line is in no paragraph");
        assert_eq!(found(12), Some(10));
    }

    #[test]
    fn impersonal_starts_in_any_case() {
        assert!(has_impersonal_start("Officials met. It is understood that"));
        assert!(has_impersonal_start("IT WAS LEARNED"));
        assert!(has_impersonal_start("it has been"));
        assert!(!has_impersonal_start("It rained; it sat; bit is"));
        assert!(!has_impersonal_start("Submit isotopes"));
    }

    #[test]
    fn deleting_a_paragraph_leaves_one_gap() {
        let text = "One.\n\nTwo.\n\nThree.\n";
        let edit = delete_paragraph(&TrackedText::new(text), Span::new(6, 10));
        let mut fixed = text.to_owned();
        fixed.replace_range(edit.span.start..edit.span.end, "");
        assert_eq!(fixed, "One.\n\nThree.\n");
        let plain = "One.\nTwo.\nThree.";
        let edit = delete_paragraph(&TrackedText::new(plain), Span::new(5, 9));
        let mut fixed = plain.to_owned();
        fixed.replace_range(edit.span.start..edit.span.end, "");
        assert_eq!(fixed, "One.\nThree.");
    }
}
