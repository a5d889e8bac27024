//! The one place where offsets are converted: LSP positions in the negotiated
//! encoding to byte offsets and back, core [`Span`]s to LSP ranges, and
//! incremental content changes applied to a rope.
//!
//! Every function here accepts any input without panicking. The LSP
//! specification says a character offset past the end of a line means the end
//! of that line; we extend that to lines past the end of the document (the end
//! of the document) and to offsets that fall inside a character (the start of
//! that character, so a UTF-16 offset between the two halves of a surrogate
//! pair never splits the emoji). All rope calls go through ropey's `try_*`
//! variants with a clamped fallback, because the most common crash in Rust
//! language servers is an out-of-range index after fast typing.
//!
//! Lines are LSP lines: they end at `\n`, `\r\n` or a lone `\r` (ropey is built
//! with `cr_lines` and without `unicode_lines`, so U+2028 is not a break).
//!
//! Two ways to convert, with the same answers (a property test checks it):
//! the rope functions, for the live document (applying edits, a one-off
//! position), and [`LineIndex`], kept with each analysed snapshot (built
//! once, then updated edit by edit with [`LineIndex::edit`]), for the
//! thousands of conversions a snapshot needs (every diagnostic on every
//! keystroke, every token of the outline): a binary search over line starts
//! and, on lines that are plain ASCII up to the offset, no counting at all.

use copydesk_analysis::Span;
use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range, TextDocumentContentChangeEvent};

/// The unit LSP `Position.character` counts in, as negotiated in `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PositionEncoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units: the protocol default, and what VS Code uses.
    #[default]
    Utf16,
    /// Unicode code points.
    Utf32,
}

impl PositionEncoding {
    /// Picks the encoding from the client's `general.positionEncodings`:
    /// UTF-8 if offered (no conversion needed for our byte offsets), then
    /// UTF-32, else the mandatory UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> PositionEncoding {
        let offered = offered.unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            PositionEncoding::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            PositionEncoding::Utf32
        } else {
            PositionEncoding::Utf16
        }
    }

    /// The value to announce in `ServerCapabilities.positionEncoding`.
    pub fn to_kind(self) -> PositionEncodingKind {
        match self {
            PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
            PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
            PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }
}

/// Number of chars of the line break that ends `line` (0, 1 for `\n` or `\r`, 2 for `\r\n`).
fn line_break_chars(rope: &Rope, line: usize) -> usize {
    let Some(slice) = rope.get_line(line) else { return 0 };
    let length = slice.len_chars();
    if length == 0 {
        return 0;
    }
    match slice.get_char(length - 1) {
        Some('\n') => {
            if length >= 2 && slice.get_char(length - 2) == Some('\r') {
                2
            } else {
                1
            }
        }
        Some('\r') => 1,
        _ => 0,
    }
}

/// Char range `start..end` of the content of `line`, without its line break.
/// `None` when the line does not exist.
fn line_content_chars(rope: &Rope, line: usize) -> Option<(usize, usize)> {
    let start = rope.try_line_to_char(line).ok()?;
    let slice = rope.get_line(line)?;
    let end = start + slice.len_chars() - line_break_chars(rope, line);
    Some((start, end))
}

/// Converts an LSP position to a char index into the rope, clamped.
pub fn position_to_char(rope: &Rope, position: Position, encoding: PositionEncoding) -> usize {
    let line = position.line as usize;
    let character = position.character as usize;
    let Some((line_start, line_end)) = line_content_chars(rope, line) else {
        // A line past the end of the document means the end of the document.
        return rope.len_chars();
    };
    match encoding {
        PositionEncoding::Utf32 => line_start + character.min(line_end - line_start),
        PositionEncoding::Utf16 => {
            let start_units = rope.try_char_to_utf16_cu(line_start).unwrap_or(0);
            let end_units = rope.try_char_to_utf16_cu(line_end).unwrap_or(start_units);
            let target = start_units.saturating_add(character).min(end_units);
            // ropey rounds an offset inside a surrogate pair down to the char containing it.
            rope.try_utf16_cu_to_char(target).unwrap_or(line_end).clamp(line_start, line_end)
        }
        PositionEncoding::Utf8 => {
            let start_byte = rope.try_char_to_byte(line_start).unwrap_or(0);
            let end_byte = rope.try_char_to_byte(line_end).unwrap_or(start_byte);
            let target = start_byte.saturating_add(character).min(end_byte);
            // `byte_to_char` gives the char containing the byte: rounds down inside a character.
            rope.try_byte_to_char(target).unwrap_or(line_end).clamp(line_start, line_end)
        }
    }
}

/// Converts an LSP position to a byte offset into the rope, clamped to a char boundary.
pub fn position_to_byte(rope: &Rope, position: Position, encoding: PositionEncoding) -> usize {
    let char_index = position_to_char(rope, position, encoding);
    rope.try_char_to_byte(char_index).unwrap_or_else(|_| rope.len_bytes())
}

/// Converts a char index into the rope to an LSP position.
pub fn char_to_position(rope: &Rope, char_index: usize, encoding: PositionEncoding) -> Position {
    let char_index = char_index.min(rope.len_chars());
    let line = rope.try_char_to_line(char_index).unwrap_or(0);
    let (line_start, line_end) = line_content_chars(rope, line).unwrap_or((0, 0));
    // An offset inside the line break (between `\r` and `\n`) is the end of the line.
    let char_index = char_index.clamp(line_start, line_end.max(line_start));
    let character = match encoding {
        PositionEncoding::Utf32 => char_index - line_start,
        PositionEncoding::Utf16 => {
            let start = rope.try_char_to_utf16_cu(line_start).unwrap_or(0);
            rope.try_char_to_utf16_cu(char_index).unwrap_or(start).saturating_sub(start)
        }
        PositionEncoding::Utf8 => {
            let start = rope.try_char_to_byte(line_start).unwrap_or(0);
            rope.try_char_to_byte(char_index).unwrap_or(start).saturating_sub(start)
        }
    };
    Position::new(saturate_u32(line), saturate_u32(character))
}

/// Converts a byte offset into the rope to an LSP position. A byte inside a
/// character counts as the start of that character; past the end clamps.
pub fn byte_to_position(rope: &Rope, byte: usize, encoding: PositionEncoding) -> Position {
    let byte = byte.min(rope.len_bytes());
    let char_index = rope.try_byte_to_char(byte).unwrap_or_else(|_| rope.len_chars());
    char_to_position(rope, char_index, encoding)
}

/// One content change as it was applied, in bytes of the text before it:
/// `start..end` was replaced by `inserted`. Lets a copy of the text (and its
/// [`LineIndex`]) follow the rope without copying the rope out again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByteEdit {
    pub start: usize,
    pub end: usize,
    pub inserted: String,
}

/// Applies one `contentChanges` entry to the rope: a ranged replacement, or
/// the whole text when the entry has no range. A reversed range is treated
/// as its normalised form; out-of-range positions are clamped.
///
/// Returns the replacement in bytes, or `None` when the whole text was
/// replaced or the rope refused the edit (then only a fresh copy of the rope
/// describes the text).
pub fn apply_content_change(
    rope: &mut Rope,
    change: &TextDocumentContentChangeEvent,
    encoding: PositionEncoding,
) -> Option<ByteEdit> {
    let Some(range) = change.range else {
        *rope = Rope::from_str(&change.text);
        return None;
    };
    let start = position_to_char(rope, range.start, encoding);
    let end = position_to_char(rope, range.end, encoding);
    let (start, end) = (start.min(end), start.max(end));
    // Both indices are clamped to the rope, so none of these can fail; a
    // failure would leave the rope unchanged (or half changed) rather than
    // panic, and reports no edit, so copies of the text start afresh.
    let start_byte = rope.try_char_to_byte(start).ok()?;
    let end_byte = rope.try_char_to_byte(end).ok()?;
    if start < end {
        rope.try_remove(start..end).ok()?;
    }
    if !change.text.is_empty() {
        rope.try_insert(start, &change.text).ok()?;
    }
    Some(ByteEdit { start: start_byte, end: end_byte, inserted: change.text.clone() })
}

/// Where each line of one text starts, for fast conversions between byte
/// offsets and LSP positions of that exact text (see the module documentation).
///
/// Building it is one pass over the bytes (a SIMD search for line breaks and an
/// ASCII check per line), tens of microseconds for a 100,000-word draft;
/// each conversion is then a binary search over the lines plus, only past the
/// first non-ASCII character of a line, counting characters within that line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset where each line starts; line 0 starts at 0. A text ending in
    /// a line break has a last, empty line (as in ropey and LSP).
    starts: Vec<usize>,
    /// Per line: the line-relative byte offset of its first non-ASCII byte,
    /// or `usize::MAX` when the line's content is ASCII. Below it, a byte
    /// offset is also the UTF-16 and UTF-32 column.
    first_non_ascii: Vec<usize>,
    /// Length of the text in bytes.
    len: usize,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut index =
            LineIndex { starts: vec![0], first_non_ascii: Vec::with_capacity(bytes.len() / 64 + 1), len: bytes.len() };
        scan_lines(bytes, 0, bytes.len(), &mut index.starts, &mut index.first_non_ascii);
        index
    }

    /// Updates the index of a text to index `text`, which is that text with
    /// the bytes `start..end` replaced by `inserted` bytes: only the lines
    /// around the edit are scanned again, and the starts of the later lines
    /// move by the change in length. The result equals [`LineIndex::new`] of
    /// `text` (a property test checks it); when the edit does not fit the
    /// indexed text, the index is built afresh.
    pub fn edit(&mut self, text: &str, start: usize, end: usize, inserted: usize) {
        // (A default index, of no text at all, has no line starts to keep.)
        let fits = !self.starts.is_empty()
            && start <= end
            && end <= self.len
            && self.len - (end - start) + inserted == text.len();
        if !fits {
            *self = LineIndex::new(text);
            return;
        }
        let new_end = start + inserted;
        // Scanned again from the start of the line holding the byte before
        // the edit: a `\r` there becomes half of a `\r\n` when a `\n` is
        // inserted after it (or a lone `\r` when the `\n` goes). That start
        // itself stays, being decided by bytes before the edit.
        let first = self.starts.partition_point(|&line_start| line_start < start.max(1)) - 1;
        // Kept: the lines starting two bytes or more past the old end, whose
        // line breaks (even a `\r\n` starting right at the old end) are
        // bytes after the edit.
        let kept = self.starts.partition_point(|&line_start| line_start < end + 2);
        let scan_end = self.starts.get(kept).map_or(text.len(), |&line_start| line_start - end + new_end);
        let mut starts = vec![self.starts[first]];
        let mut first_non_ascii = Vec::with_capacity(kept - first + 1);
        scan_lines(text.as_bytes(), self.starts[first], scan_end, &mut starts, &mut first_non_ascii);
        if kept < self.starts.len() {
            // The scan ended at the first kept line's start, which it pushed
            // again: that line's entry is the one kept.
            starts.pop();
            first_non_ascii.pop();
        }
        let rescanned = starts.len();
        self.starts.splice(first..kept, starts);
        self.first_non_ascii.splice(first..kept, first_non_ascii);
        for line_start in &mut self.starts[first + rescanned..] {
            *line_start = *line_start - end + new_end;
        }
        self.len = text.len();
    }

    /// Where the line holding byte `byte` starts (the last line's start
    /// past the end).
    pub fn line_start_of(&self, byte: usize) -> usize {
        self.starts[self.starts.partition_point(|&start| start <= byte).max(1) - 1]
    }

    /// Number of lines (at least one).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The byte range of the content of `line`, without its line break.
    fn line_content(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.starts[line];
        let Some(&next) = self.starts.get(line + 1) else { return (start, self.len) };
        let bytes = text.as_bytes();
        // `next - 1` is the `\n` or lone `\r`; a `\r` before a `\n` belongs to the break too.
        let mut end = next - 1;
        if bytes[end] == b'\n' && end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        (start, end)
    }

    /// The LSP position of a byte offset into `text` (the text this index was
    /// built from). Same rules as [`byte_to_position`]: a byte inside a
    /// character counts as its start, past the end clamps, inside a `\r\n`
    /// is the end of the line.
    pub fn position(&self, text: &str, byte: usize, encoding: PositionEncoding) -> Position {
        let mut byte = byte.min(text.len());
        while !text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= byte) - 1;
        let (start, end) = self.line_content(text, line);
        let byte = byte.min(end);
        let column = byte - start;
        let ascii = self.first_non_ascii[line];
        let character = match encoding {
            PositionEncoding::Utf8 => column,
            _ if column <= ascii => column,
            PositionEncoding::Utf16 => ascii + text[start + ascii..byte].encode_utf16().count(),
            PositionEncoding::Utf32 => ascii + text[start + ascii..byte].chars().count(),
        };
        Position::new(saturate_u32(line), saturate_u32(character))
    }

    /// The byte offset of an LSP position into `text`, clamped to the line (or
    /// the document) and rounded down to a character boundary, as
    /// [`position_to_byte`].
    pub fn offset(&self, text: &str, position: Position, encoding: PositionEncoding) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let (start, end) = self.line_content(text, line);
        let character = position.character as usize;
        let ascii = self.first_non_ascii[line];
        match encoding {
            PositionEncoding::Utf8 => {
                let mut byte = start.saturating_add(character).min(end);
                while !text.is_char_boundary(byte) {
                    byte -= 1;
                }
                byte
            }
            _ if character <= ascii => start.saturating_add(character).min(end),
            PositionEncoding::Utf16 | PositionEncoding::Utf32 => {
                let mut units = ascii;
                for (at, found) in text[start + ascii..end].char_indices() {
                    let width = if encoding == PositionEncoding::Utf16 { found.len_utf16() } else { 1 };
                    // A target inside a surrogate pair rounds down to the character.
                    if units + width > character {
                        return start + ascii + at;
                    }
                    units += width;
                }
                end
            }
        }
    }

    /// The LSP range of a core span of `text`.
    pub fn range(&self, text: &str, span: Span, encoding: PositionEncoding) -> Range {
        let start = self.position(text, span.start, encoding);
        let end = if span.end <= span.start { start } else { self.position(text, span.end, encoding) };
        Range::new(start, end)
    }

    /// The byte span of an LSP range of `text`, clamped, with `start <= end`.
    pub fn span(&self, text: &str, range: Range, encoding: PositionEncoding) -> Span {
        let start = self.offset(text, range.start, encoding);
        let end = self.offset(text, range.end, encoding);
        Span::new(start.min(end), start.max(end))
    }
}

/// Scans `bytes[from..to]`, where `from` is a line start already in
/// `starts`, pushing the start of every later line that begins at or before
/// `to` and the first non-ASCII offset of every line begun in the range. A
/// `\r` right before `to` is looked at with the byte after it, so `to` must
/// be a line start of `bytes` or its end.
fn scan_lines(bytes: &[u8], from: usize, to: usize, starts: &mut Vec<usize>, non_ascii: &mut Vec<usize>) {
    let mut line_start = from;
    for at in memchr::memchr2_iter(b'\n', b'\r', &bytes[from..to]) {
        let at = from + at;
        if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
            // The `\n` that follows ends this line.
            continue;
        }
        let content_end = if bytes[at] == b'\n' && at > line_start && bytes[at - 1] == b'\r' { at - 1 } else { at };
        non_ascii.push(first_non_ascii(&bytes[line_start..content_end]));
        line_start = at + 1;
        starts.push(line_start);
    }
    non_ascii.push(first_non_ascii(&bytes[line_start..to]));
}

/// Offset of the first non-ASCII byte of `line`, or `usize::MAX`.
fn first_non_ascii(line: &[u8]) -> usize {
    if line.is_ascii() { usize::MAX } else { line.iter().position(|byte| !byte.is_ascii()).unwrap_or(usize::MAX) }
}

fn saturate_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders the position of every char boundary of `text` as `line:character`
    /// (and checks the line index agrees with the rope on every byte).
    fn check(text: &str, encoding: PositionEncoding, expect: &str) {
        let rope = Rope::from_str(text);
        assert_index_matches_rope(text, encoding);
        let rendered: Vec<String> = text
            .char_indices()
            .map(|(byte, _)| byte)
            .chain([text.len()])
            .map(|byte| {
                let position = byte_to_position(&rope, byte, encoding);
                let back = byte_to_position(&rope, position_to_byte(&rope, position, encoding), encoding);
                assert_eq!(back, position, "round trip of byte {byte}");
                format!("{}:{}", position.line, position.character)
            })
            .collect();
        assert_eq!(rendered.join(" "), expect);
    }

    #[test]
    fn utf16_counts_surrogate_pairs_as_two() {
        check("a😀b", PositionEncoding::Utf16, "0:0 0:1 0:3 0:4");
        check("a😀b", PositionEncoding::Utf8, "0:0 0:1 0:5 0:6");
        check("a😀b", PositionEncoding::Utf32, "0:0 0:1 0:2 0:3");
    }

    #[test]
    fn line_breaks_are_lsp_line_breaks() {
        check("a\r\nb\rc\u{2028}d", PositionEncoding::Utf16, "0:0 0:1 0:1 1:0 1:1 2:0 2:1 2:2 2:3");
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let rope = Rope::from_str("héllo\nwörld");
        let utf16 = PositionEncoding::Utf16;
        assert_eq!(position_to_byte(&rope, Position::new(0, 99), utf16), 6);
        assert_eq!(position_to_byte(&rope, Position::new(9, 0), utf16), rope.len_bytes());
        assert_eq!(position_to_byte(&rope, Position::new(u32::MAX, u32::MAX), PositionEncoding::Utf8), 13);
        // A UTF-8 offset inside "é" rounds down to its start.
        assert_eq!(position_to_byte(&rope, Position::new(0, 2), PositionEncoding::Utf8), 1);
        // A UTF-16 offset inside a surrogate pair rounds down to the emoji.
        let emoji = Rope::from_str("😀x");
        assert_eq!(position_to_byte(&emoji, Position::new(0, 1), utf16), 0);
        assert_eq!(byte_to_position(&rope, 1000, utf16), Position::new(1, 5));
    }

    /// The line index answers exactly what the rope functions answer, for
    /// every byte offset and for positions on, past and beyond every line.
    fn assert_index_matches_rope(text: &str, encoding: PositionEncoding) {
        let rope = Rope::from_str(text);
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), rope.len_lines(), "line count of {text:?}");
        for byte in 0..=text.len() + 2 {
            assert_eq!(
                index.position(text, byte, encoding),
                byte_to_position(&rope, byte, encoding),
                "position of byte {byte} in {text:?} ({encoding:?})"
            );
        }
        for line in 0..=rope.len_lines() as u32 {
            for character in 0..=(text.len() as u32 + 2) {
                let position = Position::new(line, character);
                assert_eq!(
                    index.offset(text, position, encoding),
                    position_to_byte(&rope, position, encoding),
                    "offset of {line}:{character} in {text:?} ({encoding:?})"
                );
            }
        }
    }

    #[test]
    fn line_index_agrees_with_the_rope() {
        let texts = [
            "",
            "a",
            "\n",
            "\r\n",
            "\r",
            "\r\r\n\n",
            "abc\r\ndéf\rgh😀i\n\nx",
            "😀😀\r\n\u{2028}é\u{301}中文\n",
            "plain line\nsecond line with é and 😀 in it\r\nthird",
        ];
        for text in texts {
            for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
                assert_index_matches_rope(text, encoding);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn line_index_agrees_with_the_rope_on_any_text(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["a", "bc", " ", "\n", "\r", "\r\n", "é", "😀", "中", "\u{301}", "\u{2028}"]),
                0..24,
            ),
        ) {
            let text: String = pieces.concat();
            for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
                assert_index_matches_rope(&text, encoding);
            }
        }
    }

    proptest::proptest! {
        /// An index updated edit by edit equals one built afresh, whatever
        /// the edits do to line breaks (a `\r` and a `\n` joined into one
        /// break or split apart, breaks inserted, removed, at either end).
        #[test]
        fn an_edited_line_index_equals_a_fresh_one(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["a", "bc", " ", "\n", "\r", "\r\n", "é", "😀", "\u{2028}"]),
                0..16,
            ),
            edits in proptest::collection::vec(
                (0usize..64, 0usize..8, proptest::collection::vec(
                    proptest::sample::select(vec!["x", "\n", "\r", "\r\n", "é", ""]), 0..3)),
                1..12,
            ),
        ) {
            let mut text: String = pieces.concat();
            let mut index = LineIndex::new(&text);
            for (at, length, inserted) in edits {
                let floor = |mut byte: usize, text: &str| {
                    byte = byte.min(text.len());
                    while !text.is_char_boundary(byte) {
                        byte -= 1;
                    }
                    byte
                };
                let start = floor(at, &text);
                let end = floor(start + length, &text);
                let inserted = inserted.concat();
                text.replace_range(start..end, &inserted);
                index.edit(&text, start, end, inserted.len());
                proptest::prop_assert_eq!(&index, &LineIndex::new(&text), "after replacing {}..{} by {:?}: {:?}", start, end, inserted, text);
            }
        }
    }

    #[test]
    fn an_edit_that_does_not_fit_rebuilds_the_index() {
        let mut index = LineIndex::new("ab\ncd");
        index.edit("x\ny\nz", 0, 99, 1);
        assert_eq!(index, LineIndex::new("x\ny\nz"));
        let mut default = LineIndex::default();
        default.edit("a\r\nb", 0, 0, 4);
        assert_eq!(default, LineIndex::new("a\r\nb"));
    }

    #[test]
    fn negotiation_prefers_utf8_then_utf32() {
        use PositionEncodingKind as Kind;
        assert_eq!(PositionEncoding::negotiate(None), PositionEncoding::Utf16);
        assert_eq!(PositionEncoding::negotiate(Some(&[Kind::UTF16, Kind::UTF32])), PositionEncoding::Utf32);
        assert_eq!(PositionEncoding::negotiate(Some(&[Kind::UTF16, Kind::UTF8])), PositionEncoding::Utf8);
    }
}
