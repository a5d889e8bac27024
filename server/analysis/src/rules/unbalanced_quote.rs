//! `unbalanced-quote`: double quotation marks that do not pair up within a paragraph.
//!
//! Straight (`"`) and curly (`“ ”`, `„`) marks are read in order. A curly mark
//! says which way it faces, but a straight one does not, so its direction comes
//! from its neighbours: after a space or at the start it opens, before a space
//! or punctuation it closes. A curly mark whose neighbours clearly say the
//! opposite of its shape (an autocorrect slip such as `”Yes` at the start of a
//! paragraph) is read by its neighbours too.
//!
//! The newspaper convention for a quote that runs over several paragraphs is
//! respected: each paragraph of the quote opens with a quotation mark and only
//! the last one closes, so a paragraph that ends inside a quote is fine when
//! the next paragraph starts with an opening mark.
//!
//! Single quotation marks are not checked: the same character is the
//! apostrophe, so counting them would mostly report possessives.

use crate::document::ParagraphKind;
use crate::model::{Diagnostic, Fix, RelatedSpan, Severity, Span, TextEdit};
use crate::rules::{DocumentPart, Fact, KindReads, Reads, Rule, RuleContext};
use crate::tracked_text::TrackedText;

pub const RULE: Rule = Rule {
    code: "unbalanced-quote",
    default_severity: Severity::Warning,
    summary: "A quotation mark with no partner in its paragraph.",
    check_paragraph: None,
    check: DocumentPart::Whole(check),
    reads: Reads {
        linking: false,
        quotes: false,
        facts: &[Fact::QuoteMarks],
        paragraph_order: true,
        paragraph_kinds: KindReads::HeaderLines,
        quote_additions: false,
    },
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Direction {
    Open,
    Close,
    /// A straight mark with nothing to say which way it faces: it closes an
    /// open quote, otherwise it opens one.
    Either,
}

/// A quotation mark found in a paragraph (document offsets, or
/// paragraph-relative ones in [`QuoteMarkFacts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    offset: usize,
    character: char,
    direction: Direction,
}

impl Mark {
    fn span(self) -> Span {
        Span::new(self.offset, self.offset + self.character.len_utf8())
    }
}

fn opens_by_context(before: Option<char>) -> bool {
    match before {
        None => true,
        Some(character) => {
            character.is_whitespace() || matches!(character, '(' | '[' | '{' | '—' | '–' | '-' | '/' | '\'' | '‘')
        }
    }
}

fn closes_by_context(after: Option<char>) -> bool {
    match after {
        None => true,
        Some(character) => {
            character.is_whitespace()
                || matches!(
                    character,
                    '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '—' | '–' | '-' | '…' | '\'' | '’'
                )
        }
    }
}

/// What the rule needs from one paragraph, found in the per-paragraph stage
/// and cached with it: reading every paragraph's marks again on every
/// keystroke was the rule's whole cost in a long draft.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteMarkFacts {
    /// The paragraph's double quotation marks, paragraph-relative.
    marks: Vec<Mark>,
    /// Whether the paragraph opens with a quotation mark (continuing a quote).
    starts_with_opening_mark: bool,
}

/// The rule's facts for one paragraph's prose.
impl QuoteMarkFacts {
    /// Moves the marks' offsets with `offset` (see `carry_over`); `None`
    /// when one has no place.
    pub(crate) fn shift(&mut self, offset: impl Fn(usize) -> Option<usize>) -> Option<()> {
        let QuoteMarkFacts { marks, starts_with_opening_mark: _ } = self;
        for Mark { offset: mark_offset, character: _, direction: _ } in marks {
            *mark_offset = offset(*mark_offset)?;
        }
        Some(())
    }
}

pub fn paragraph_facts(prose: &str) -> QuoteMarkFacts {
    QuoteMarkFacts { marks: marks(prose, 0), starts_with_opening_mark: starts_with_opening_mark(prose) }
}

/// The double quotation marks of one paragraph, with the direction each faces.
fn marks(prose: &str, offset: usize) -> Vec<Mark> {
    let mut found = Vec::new();
    // Only '"' and the lead byte of the curly marks (U+201C..U+201E all start
    // with 0xE2) can begin a mark: memchr jumps from one to the next, so a
    // paragraph costs its marks, not a decode of every character on every
    // keystroke. Both bytes always start a character.
    for index in memchr::memchr2_iter(b'"', 0xE2, prose.as_bytes()) {
        let Some(character) = prose[index..].chars().next() else { continue };
        let by_shape = match character {
            '"' => Direction::Either,
            '“' | '„' => Direction::Open,
            '”' => Direction::Close,
            _ => continue,
        };
        let before = prose[..index].chars().next_back();
        let after = prose[index + character.len_utf8()..].chars().next();
        let (opens, closes) = (opens_by_context(before), closes_by_context(after));
        let direction = match (opens, closes) {
            (true, false) => Direction::Open,
            (false, true) => Direction::Close,
            _ => by_shape,
        };
        // `6" pipe`: a straight mark after a digit is an inch mark unless it
        // clearly closes a quote, which is decided when pairing.
        if character == '"'
            && before.is_some_and(|character| character.is_ascii_digit())
            && direction == Direction::Close
        {
            found.push(Mark { offset: offset + index, character, direction: Direction::Either });
            continue;
        }
        found.push(Mark { offset: offset + index, character, direction });
    }
    found
}

/// The mark that pairs with `character` ("“" for "”").
fn partner(character: char) -> char {
    match character {
        '“' | '„' => '”',
        '”' => '“',
        _ => '"',
    }
}

/// A short excerpt of the words next to a mark (within its paragraph), for the message.
fn excerpt(text: &TrackedText<'_>, paragraph: Span, span: Span, forward: bool) -> String {
    let words: Vec<&str> = if forward {
        text[span.end..paragraph.end.max(span.end)].split_whitespace().take(4).collect()
    } else {
        let mut words: Vec<&str> =
            text[paragraph.start.min(span.start)..span.start].split_whitespace().rev().take(4).collect();
        words.reverse();
        words
    };
    words.join(" ")
}

/// Where a missing opening mark most likely belongs: the start of the sentence
/// that ends with the closing mark, or just after an earlier quote or colon.
fn opening_insertion_point(prose: &str, paragraph_start: usize, close: usize) -> usize {
    let relative = close - paragraph_start;
    let before = &prose[..relative];
    let bytes = before.as_bytes();
    let mut index = relative;
    while index > 0 {
        index -= 1;
        let byte = bytes[index];
        if !before.is_char_boundary(index) {
            continue;
        }
        let boundary = match byte {
            b'.' | b'?' | b'!' | b':' => bytes.get(index + 1).is_some_and(u8::is_ascii_whitespace),
            b'"' => true,
            _ => before[index..].starts_with('”') || before[index..].starts_with('“'),
        };
        if boundary {
            let mark_length = before[index..].chars().next().map_or(1, char::len_utf8);
            let after = index + mark_length;
            let skipped = before[after..].len() - before[after..].trim_start().len();
            return paragraph_start + after + skipped;
        }
    }
    paragraph_start + (before.len() - before.trim_start().len())
}

/// Where a missing closing mark most likely belongs: after the end of the
/// sentence the quote starts in, else at the end of the paragraph.
fn closing_insertion_point(prose: &str, paragraph_start: usize, open: usize) -> usize {
    let relative = open - paragraph_start;
    let bytes = prose.as_bytes();
    let mut index = relative + 1;
    while index < bytes.len() {
        if matches!(bytes[index], b'.' | b'?' | b'!')
            && bytes.get(index + 1).is_none_or(u8::is_ascii_whitespace)
            && index > relative + 1
        {
            return paragraph_start + index + 1;
        }
        index += 1;
    }
    paragraph_start + prose.trim_end().len()
}

/// Whether the text just before `offset` (ignoring spaces) ends a sentence.
fn after_sentence_end(text: &TrackedText<'_>, paragraph_start: usize, offset: usize) -> bool {
    // Reads back to the last character that is not space, and no further.
    match text.last_char_before(paragraph_start, offset, char::is_whitespace) {
        Some((at, character)) => at + character.len_utf8() < offset && matches!(character, '.' | '?' | '!' | ':'),
        None => false,
    }
}

/// The first non-space character of a paragraph, if it opens a quotation.
fn starts_with_opening_mark(prose: &str) -> bool {
    let trimmed = prose.trim_start();
    let mut characters = trimmed.chars();
    match characters.next() {
        Some('“' | '„') => true,
        Some('"') => characters.next().is_some_and(|next| !next.is_whitespace()),
        _ => false,
    }
}

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let text = context.text;
    let paragraphs: Vec<_> =
        context.paragraphs.iter().filter(|view| view.paragraph.kind != ParagraphKind::Tags).collect();
    // The opening mark of a quote left open at the end of the previous
    // paragraph, whatever happened to it.
    let mut carried: Option<Mark> = None;
    for (position, view) in paragraphs.iter().enumerate() {
        let paragraph = view.paragraph;
        let facts = &view.analysis.rule_facts.quote_marks;
        let start = paragraph.span.start;
        let continues_quote = facts.starts_with_opening_mark;
        let left_open_before = carried.take().filter(|_| !continues_quote);
        // Open quotations, innermost last: curly marks may nest.
        let mut open: Vec<Mark> = Vec::new();
        for mark in facts.marks.iter().map(|mark| Mark { offset: mark.offset + start, ..*mark }) {
            let direction = match mark.direction {
                Direction::Either if !open.is_empty() => Direction::Close,
                Direction::Either if text.char_before(mark.offset).is_some_and(|c: char| c.is_ascii_digit()) => {
                    // An inch mark ("a 6\" pipe") with no quote open.
                    continue;
                }
                Direction::Either => Direction::Open,
                direction => direction,
            };
            if direction == Direction::Open {
                if !open.is_empty() && after_sentence_end(text, paragraph.span.start, mark.offset) {
                    // A quote that runs on over a lost paragraph break ("... we
                    // tried. "Now we ...") reopens without closing: the same
                    // convention as across paragraphs.
                    open.pop();
                }
                open.push(mark);
            } else if open.pop().is_none() {
                diagnostics.push(unopened(context, paragraph.span, &paragraph.prose, mark, left_open_before));
            }
        }
        let next = paragraphs.get(position + 1).map(|next| next.paragraph);
        let next_reopens = paragraphs
            .get(position + 1)
            .is_some_and(|next| next.analysis.rule_facts.quote_marks.starts_with_opening_mark);
        // The outermost open quote may continue into the next paragraph; any
        // other open quote is unclosed.
        for (depth, mark) in open.iter().enumerate() {
            if depth == 0 && next_reopens {
                continue;
            }
            diagnostics.push(unclosed(context, paragraph.span, &paragraph.prose, *mark, next.map(|next| next.span)));
        }
        carried = open.first().copied();
    }
}

/// A closing mark with no opening mark before it in the paragraph.
fn unopened(context: &RuleContext<'_>, paragraph: Span, prose: &str, mark: Mark, carried: Option<Mark>) -> Diagnostic {
    // The insertion point is found in the paragraph's prose: recorded as a
    // read of the whole paragraph.
    context.text.record(paragraph.start, paragraph.end);
    let insert_at = opening_insertion_point(prose, paragraph.start, mark.offset);
    let span = Span::new(insert_at.min(mark.offset), mark.span().end);
    let mut related = Vec::new();
    if let Some(previous) = carried {
        related.push(RelatedSpan {
            span: previous.span(),
            message: String::from(
                "a quote opened in an earlier paragraph; if it continues here, this paragraph must reopen it",
            ),
        });
    }
    let opening = partner(mark.character);
    Diagnostic {
        code: RULE.code,
        severity: RULE.default_severity,
        span,
        message: format!(
            "closing quotation mark {} after \"{}\" has no opening mark in this paragraph",
            mark.character,
            excerpt(context.text, paragraph, mark.span(), false)
        ),
        related,
        fixes: vec![Fix {
            title: format!(
                "Insert the opening quotation mark {opening} before \"{}\"",
                excerpt(context.text, paragraph, Span::new(insert_at, insert_at), true)
            ),
            edits: vec![TextEdit { span: Span::new(insert_at, insert_at), new_text: opening.to_string() }],
            preferred: true,
        }],
    }
}

/// An opening mark never closed in its paragraph (and not continued into the next).
fn unclosed(
    context: &RuleContext<'_>,
    paragraph: Span,
    prose: &str,
    mark: Mark,
    next_paragraph: Option<Span>,
) -> Diagnostic {
    let closing = partner(mark.character);
    // The insertion point is found in the paragraph's prose: recorded as a
    // read of the whole paragraph.
    context.text.record(paragraph.start, paragraph.end);
    let insert_at = closing_insertion_point(prose, paragraph.start, mark.offset);
    let span = Span::new(mark.offset, insert_at.max(mark.span().end));
    let quoted = excerpt(context.text, paragraph, mark.span(), true);
    let message = format!(
        "opening quotation mark {} before \"{quoted}\" is never closed in this paragraph, and the next paragraph does not reopen it",
        mark.character
    );
    let mut fixes = vec![Fix {
        title: format!("Insert the closing quotation mark {closing} at the end of the sentence"),
        edits: vec![TextEdit { span: Span::new(insert_at, insert_at), new_text: closing.to_string() }],
        preferred: false,
    }];
    if let Some(next) = next_paragraph {
        let opening = if mark.character == '"' { '"' } else { '“' };
        fixes.push(Fix {
            title: format!("The quote continues: open the next paragraph with {opening}"),
            edits: vec![TextEdit { span: Span::new(next.start, next.start), new_text: opening.to_string() }],
            preferred: false,
        });
    }
    Diagnostic { code: RULE.code, severity: RULE.default_severity, span, message, related: Vec::new(), fixes }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check;

    #[test]
    fn closing_mark_without_opening_gets_an_insert_fix() {
        check(
            "unbalanced-quote",
            "Talks resumed on Monday. Both sides agreed to meet again in spring,\" the ministry said.\n",
            r#"
Warning "Both sides agreed to meet again in spring,\"": closing quotation mark " after "meet again in spring," has no opening mark in this paragraph
  fix "Insert the opening quotation mark \" before \"Both sides agreed to\"" (preferred) -> "Talks resumed on Monday. \"Both sides agreed to meet again in spring,\" the ministry said.\n"
"#,
        );
    }

    #[test]
    fn balanced_straight_and_curly_marks_are_quiet() {
        check(
            "unbalanced-quote",
            "\"We will rebuild,\" the mayor said. “It will take time,” she added, calling it \"a long road.\"\nThe pipe was 6\" wide and the 12\" valve failed.\nShe called it “the “best” offer,” twice.",
            "",
        );
    }

    #[test]
    fn multi_paragraph_quote_reopens_without_closing() {
        check(
            "unbalanced-quote",
            "The chair said: “We have heard the residents.\n“We will publish the figures before the vote.\n“Nobody will be surprised,” she said.\n",
            "",
        );
        check(
            "unbalanced-quote",
            "The chair said: \"We have heard the residents.\n\n\"Nobody will be surprised,\" she said.\n",
            "",
        );
    }

    #[test]
    fn quote_left_open_without_continuation_is_reported_with_both_fixes() {
        check(
            "unbalanced-quote",
            "The chair said: “We have heard the residents. Then she left.\nThe vote is on Friday.",
            r#"
Warning "“We have heard the residents.": opening quotation mark “ before "We have heard the" is never closed in this paragraph, and the next paragraph does not reopen it
  fix "Insert the closing quotation mark ” at the end of the sentence" -> "The chair said: “We have heard the residents.” Then she left.\nThe vote is on Friday."
  fix "The quote continues: open the next paragraph with “" -> "The chair said: “We have heard the residents. Then she left.\n“The vote is on Friday."
"#,
        );
    }

    #[test]
    fn forgotten_reopening_points_back_at_the_open_quote() {
        check(
            "unbalanced-quote",
            "He said: “We tried.\nWe failed,” he said.",
            r#"
Warning "“We tried.": opening quotation mark “ before "We tried." is never closed in this paragraph, and the next paragraph does not reopen it
  fix "Insert the closing quotation mark ” at the end of the sentence" -> "He said: “We tried.”\nWe failed,” he said."
  fix "The quote continues: open the next paragraph with “" -> "He said: “We tried.\n“We failed,” he said."
Warning "We failed,”": closing quotation mark ” after "We failed," has no opening mark in this paragraph
  related "“": a quote opened in an earlier paragraph; if it continues here, this paragraph must reopen it
  fix "Insert the opening quotation mark “ before \"We failed,” he said.\"" (preferred) -> "He said: “We tried.\n“We failed,” he said."
"#,
        );
    }
}
