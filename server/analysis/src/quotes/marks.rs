//! Quotation marks: finding them, telling opening from closing, and pairing them.
//!
//! Straight marks (`"`, `'`) say nothing about direction, so the direction is
//! read from the neighbours: a mark after a space or an opening bracket opens, a
//! mark before a space or punctuation closes, and an undecidable mark toggles.
//! Curly marks (`“ ”`, `‘ ’`) carry their direction, except that `’` is also the
//! apostrophe: it closes a single quote only when one is open and it is not
//! between two letters.
//!
//! Two apostrophes in a row (`''`) are a straight double mark, as in the
//! archives of some newspapers. Double marks pair at one level; single marks pair only inside a double quote
//! (nested quotes). A closing mark with no opening, or an opening mark with no
//! closing, is kept as an unmatched mark: the paragraph stage turns it into a
//! broken quote (seed article) or a multi-paragraph quote, and the rules read it.

use crate::model::Span;

/// True when `text` holds a double quotation mark: `"`, `“`, `”`, or two
/// apostrophes standing for one (`''`, as in the New York Times archive
/// texts of PolNeAR, which the analysis reads as double marks too). This is what makes a PolNeAR content a direct quote for
/// the scorer, and the models and the join decision read it the same way.
pub fn has_double_quotation_mark(text: &str) -> bool {
    text.contains(['"', '\u{201c}', '\u{201d}']) || text.contains("''")
}

/// Double (`"` `“` `”`) or single (`'` `‘` `’`) marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkLevel {
    Double,
    Single,
}

/// Straight typewriter marks or typographic curly marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkStyle {
    Straight,
    Curly,
}

/// Whether a mark opens or closes a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkRole {
    Open,
    Close,
}

/// One quotation mark in a paragraph (paragraph-relative span).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QuoteMark {
    pub span: Span,
    pub level: MarkLevel,
    pub style: MarkStyle,
    pub role: MarkRole,
    /// Index into [`QuotePair`]s of the pair this mark belongs to; `None` for an
    /// unmatched mark (an opening never closed, a closing never opened).
    pub pair: Option<usize>,
}

/// A matched or half-matched pair of double marks (a quote region).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QuotePair {
    /// Index into the marks of the opening mark, `None` for a broken quote
    /// (closing mark with no opening).
    pub open: Option<usize>,
    /// Index into the marks of the closing mark, `None` when the paragraph ends
    /// first (a multi-paragraph quote, or a missing closing mark).
    pub close: Option<usize>,
    /// The quote including its marks. For a broken quote it starts at the
    /// paragraph start or after the previous quote; for an unclosed quote it runs
    /// to the paragraph end (trailing space trimmed).
    pub span: Span,
}

const LEFT_DOUBLE: char = '\u{201c}';
const RIGHT_DOUBLE: char = '\u{201d}';
const LEFT_SINGLE: char = '\u{2018}';
const RIGHT_SINGLE: char = '\u{2019}';

/// The dashes a mark may stand next to: hyphen, en dash, em dash, and the
/// horizontal bar (U+2015) that some publishers set for an em dash.
const DASHES: [char; 4] = ['-', '\u{2013}', '\u{2014}', '\u{2015}'];

fn is_opening_context(character: Option<char>) -> bool {
    match character {
        None => true,
        Some(character) => {
            character.is_whitespace()
                || DASHES.contains(&character)
                || matches!(character, '(' | '[' | '{' | '/' | LEFT_DOUBLE | LEFT_SINGLE)
        }
    }
}

fn is_closing_context(character: Option<char>) -> bool {
    match character {
        None => true,
        Some(character) => {
            character.is_whitespace()
                || DASHES.contains(&character)
                || matches!(character, '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '\u{2026}')
                || character == RIGHT_DOUBLE
                || character == RIGHT_SINGLE
                || character == '"'
                || character == '\''
        }
    }
}

/// Finds and pairs every quotation mark of `prose`.
pub fn scan(prose: &str) -> (Vec<QuoteMark>, Vec<QuotePair>) {
    let mut marks: Vec<QuoteMark> = Vec::new();
    let mut pairs: Vec<QuotePair> = Vec::new();
    // The open double mark (index into marks) and, inside it, the open single mark.
    let mut open_double: Option<usize> = None;
    let mut open_single: Option<usize> = None;
    // Only the places of a straight mark or of the first byte of a curly one
    // (all four are U+201x, encoded E2 80 xx) are visited, found with SIMD:
    // walking every character of the paragraph was most of the scan. The
    // character before a mark is read from the text, except right after the
    // last mark, where it is what that mark left (a doubled apostrophe
    // counts as a double mark).
    let mut after_last_mark = 0;
    let mut left_by_last_mark: Option<char> = None;
    for offset in memchr::memchr3_iter(b'"', b'\'', 0xE2, prose.as_bytes()) {
        if offset < after_last_mark {
            // The second apostrophe of a doubled one, already read.
            continue;
        }
        let Some(character) = prose[offset..].chars().next() else { break };
        if !matches!(character, '"' | '\'' | LEFT_DOUBLE | RIGHT_DOUBLE | LEFT_SINGLE | RIGHT_SINGLE) {
            continue;
        }
        if character == '"' && is_inch_mark(prose, offset) {
            continue;
        }
        let previous = if offset == after_last_mark && offset > 0 {
            left_by_last_mark
        } else {
            prose[..offset].chars().next_back()
        };
        let mut span = Span::new(offset, offset + character.len_utf8());
        let mut next = prose[span.end..].chars().next();
        // Two apostrophes in a row stand for a straight double mark (the
        // typewriter convention of some newspapers' archives: ''Yes,'' he said).
        let doubled_apostrophe = character == '\'' && next == Some('\'');
        if doubled_apostrophe {
            span.end += 1;
            next = prose[span.end..].chars().next();
        }
        match character {
            '"' | LEFT_DOUBLE | RIGHT_DOUBLE | '\'' if character != '\'' || doubled_apostrophe => {
                let style = if matches!(character, '"' | '\'') { MarkStyle::Straight } else { MarkStyle::Curly };
                let role = match character {
                    LEFT_DOUBLE => MarkRole::Open,
                    RIGHT_DOUBLE => MarkRole::Close,
                    _ => {
                        let opens = is_opening_context(previous);
                        let closes = is_closing_context(next);
                        match (opens, closes) {
                            (true, false) => MarkRole::Open,
                            (false, true) => MarkRole::Close,
                            _ if open_double.is_some() => MarkRole::Close,
                            _ => MarkRole::Open,
                        }
                    }
                };
                let index = marks.len();
                marks.push(QuoteMark { span, level: MarkLevel::Double, style, role, pair: None });
                match role {
                    MarkRole::Open => {
                        // A second opening mark while one is open: the first was never closed.
                        if let Some(unclosed) = open_double.take() {
                            close_unmatched_open(&mut marks, &mut pairs, unclosed, trim_end(prose, offset));
                        }
                        open_double = Some(index);
                        open_single = None;
                    }
                    MarkRole::Close => {
                        if let Some(single) = open_single.take() {
                            // A single quote left open inside the double one is not a quote.
                            marks.remove(single);
                            let index = marks.len() - 1;
                            if let Some(open) = open_double {
                                open_double = Some(if open > single { open - 1 } else { open });
                            }
                            finish_close(&mut marks, &mut pairs, &mut open_double, index, prose);
                        } else {
                            finish_close(&mut marks, &mut pairs, &mut open_double, index, prose);
                        }
                    }
                }
            }
            '\'' | LEFT_SINGLE | RIGHT_SINGLE => {
                let style = if character == '\'' { MarkStyle::Straight } else { MarkStyle::Curly };
                let letter_before = previous.is_some_and(char::is_alphanumeric);
                let letter_after = next.is_some_and(char::is_alphanumeric);
                if open_double.is_none() {
                    // Outside a double quote, single marks are apostrophes or
                    // (British) quotes we do not try to read.
                } else if open_single.is_none()
                    && character != RIGHT_SINGLE
                    && is_opening_context(previous)
                    && (letter_after || next.is_some_and(|next| next == '"'))
                {
                    open_single = Some(marks.len());
                    marks.push(QuoteMark { span, level: MarkLevel::Single, style, role: MarkRole::Open, pair: None });
                } else if let Some(single) = open_single
                    && character != LEFT_SINGLE
                    && !(letter_before && letter_after)
                    && !(character != RIGHT_SINGLE && letter_after)
                    && (is_closing_context(next) || next.is_none())
                {
                    let index = marks.len();
                    marks.push(QuoteMark { span, level: MarkLevel::Single, style, role: MarkRole::Close, pair: None });
                    let pair = pairs.len();
                    pairs.push(QuotePair {
                        open: Some(single),
                        close: Some(index),
                        span: Span::new(marks[single].span.start, span.end),
                    });
                    marks[single].pair = Some(pair);
                    marks[index].pair = Some(pair);
                    open_single = None;
                }
            }
            _ => {}
        }
        after_last_mark = span.end;
        left_by_last_mark = Some(if doubled_apostrophe { '"' } else { character });
    }
    if let Some(single) = open_single {
        marks.remove(single);
        if let Some(open) = open_double {
            open_double = Some(if open > single { open - 1 } else { open });
        }
    }
    if let Some(unclosed) = open_double {
        close_unmatched_open(&mut marks, &mut pairs, unclosed, trim_end(prose, prose.len()));
    }
    pairs.sort_by_key(|pair| (pair.span.start, std::cmp::Reverse(pair.span.end)));
    // Pair indices on marks must follow the sort.
    for mark in &mut marks {
        mark.pair = None;
    }
    for (index, pair) in pairs.iter().enumerate() {
        for mark in [pair.open, pair.close].into_iter().flatten() {
            marks[mark].pair = Some(index);
        }
    }
    (marks, pairs)
}

/// True when the straight double mark at `offset` writes inches after feet
/// (`6'3"`): digits, an apostrophe, one or two digits, the mark. Nobody
/// quotes a height, and read as a quotation mark it pairs with the next mark
/// of the paragraph.
fn is_inch_mark(prose: &str, offset: usize) -> bool {
    let before = &prose.as_bytes()[..offset];
    let inches = before.iter().rev().take_while(|byte| byte.is_ascii_digit()).count();
    if !(1..=2).contains(&inches) || before.len() < inches + 2 {
        return false;
    }
    let feet = before.len() - inches - 1;
    matches!(before[feet], b'\'') && before[feet - 1].is_ascii_digit()
}

fn finish_close(
    marks: &mut [QuoteMark],
    pairs: &mut Vec<QuotePair>,
    open_double: &mut Option<usize>,
    index: usize,
    prose: &str,
) {
    let close_end = marks[index].span.end;
    match open_double.take() {
        Some(open) => {
            let pair = pairs.len();
            pairs.push(QuotePair {
                open: Some(open),
                close: Some(index),
                span: Span::new(marks[open].span.start, close_end),
            });
            marks[open].pair = Some(pair);
            marks[index].pair = Some(pair);
        }
        None => {
            // A broken quote: the opening mark is missing. It most plausibly
            // starts after the previous double quote, or at the paragraph start.
            let start = pairs
                .iter()
                .filter(|pair| pair.span.end <= marks[index].span.start && is_double(marks, pair))
                .map(|pair| pair.span.end)
                .max()
                .unwrap_or(0);
            let start = start + (prose[start..].len() - prose[start..].trim_start().len());
            let start = start.min(marks[index].span.start);
            let pair = pairs.len();
            pairs.push(QuotePair { open: None, close: Some(index), span: Span::new(start, close_end) });
            marks[index].pair = Some(pair);
        }
    }
}

fn is_double(marks: &[QuoteMark], pair: &QuotePair) -> bool {
    pair.open.or(pair.close).is_some_and(|mark| marks[mark].level == MarkLevel::Double)
}

fn close_unmatched_open(marks: &mut [QuoteMark], pairs: &mut Vec<QuotePair>, open: usize, end: usize) {
    let pair = pairs.len();
    let start = marks[open].span.start;
    pairs.push(QuotePair { open: Some(open), close: None, span: Span::new(start, end.max(marks[open].span.end)) });
    marks[open].pair = Some(pair);
}

fn trim_end(prose: &str, end: usize) -> usize {
    prose[..end].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders each pair as its text with `[open?]`/`[close?]` flags.
    fn check(prose: &str, expect: &str) {
        let (marks, pairs) = scan(prose);
        let mut out = Vec::new();
        for pair in &pairs {
            let level = pair.open.or(pair.close).map(|mark| marks[mark].level);
            let flags = match (pair.open, pair.close) {
                (Some(_), Some(_)) => "",
                (None, Some(_)) => " (no opening)",
                (Some(_), None) => " (no closing)",
                (None, None) => " (?)",
            };
            let level = if level == Some(MarkLevel::Single) { "single " } else { "" };
            out.push(format!("{level}<{}>{flags}", &prose[pair.span.start..pair.span.end]));
        }
        assert_eq!(out.join("\n"), expect.trim(), "\n{prose}");
    }

    #[test]
    fn straight_and_curly_pairs() {
        check(
            r#""We won," she said. "Again.""#,
            r#"<"We won,">
<"Again.">"#,
        );
        check("“We won,” she said.", "<“We won,”>");
    }

    #[test]
    fn nested_single_quotes_and_apostrophes() {
        check(
            "\"He told me 'never again' and I didn't argue,\" Ruiz said.",
            "<\"He told me 'never again' and I didn't argue,\">\nsingle <'never again'>",
        );
        check("“She said ‘no’ twice,” he said. It’s Ruiz’s view.", "<“She said ‘no’ twice,”>\nsingle <‘no’>");
        check("\"The voters' choice,\" he said.", "<\"The voters' choice,\">");
    }

    #[test]
    fn broken_and_unclosed_quotes() {
        check("The talks went well,\" the ministry said.", "<The talks went well,\"> (no opening)");
        check("\"This runs on into the next paragraph.", "<\"This runs on into the next paragraph.> (no closing)");
    }

    #[test]
    fn doubled_apostrophes_are_a_double_mark() {
        check("''We won't stop,'' she said. ''Never.''", "<''We won't stop,''>\n<''Never.''>");
        check("The voters' choice was clear.", "");
    }

    #[test]
    fn straight_marks_beside_a_horizontal_bar() {
        // The horizontal bar (U+2015) stands for an em dash, on either side of a mark.
        check("They shouted\u{2015}\"Sail now\"\u{2015}and left.", "<\"Sail now\">");
        check("They shouted\u{2014}\"Sail now\"\u{2014}and left.", "<\"Sail now\">");
    }

    #[test]
    fn a_height_in_feet_and_inches_is_no_quote() {
        check("The skipper is 6'3\" tall and weighs 200 pounds, the \"Harbour Log\" says.", "<\"Harbour Log\">");
        check("The mast is 40'11\" high.", "");
        check("She read \"Part 3\" aloud.", "<\"Part 3\">");
    }

    #[test]
    fn quoted_fragment_inside_a_sentence() {
        check("They discussed \"a timetable for talks.\" and left.", "<\"a timetable for talks.\">");
    }
}
