//! Byte offsets to Unicode code-point offsets, for the JSON output.
//!
//! The core works in bytes; `copydesk analyze --format json` promises code
//! points. Converting many offsets one by one would be quadratic, so this
//! builds a sparse table once per document and answers each lookup with a
//! short scan.

/// Maps byte offsets of one text to code-point offsets.
#[derive(Debug, Clone)]
pub struct CodePointIndex<'a> {
    text: &'a str,
    /// Code-point offset at every 64th byte boundary checkpoint: (byte, chars).
    checkpoints: Vec<(usize, usize)>,
}

const CHECKPOINT_STRIDE: usize = 64;

impl<'a> CodePointIndex<'a> {
    pub fn new(text: &'a str) -> CodePointIndex<'a> {
        let mut checkpoints = vec![(0, 0)];
        let mut next_checkpoint = CHECKPOINT_STRIDE;
        for (chars, (byte, _)) in text.char_indices().enumerate() {
            if byte >= next_checkpoint {
                checkpoints.push((byte, chars));
                next_checkpoint = byte + CHECKPOINT_STRIDE;
            }
        }
        CodePointIndex { text, checkpoints }
    }

    /// The code-point offset of `byte`. A byte inside a character rounds down
    /// to that character; a byte past the end clamps to the end.
    pub fn code_point(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        let slot = self.checkpoints.partition_point(|(checkpoint, _)| *checkpoint <= byte) - 1;
        let (start_byte, start_chars) = self.checkpoints[slot];
        let mut end = byte;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        start_chars + self.text[start_byte..end].chars().count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_match_a_naive_count() {
        let text = "Tōkyō 東京 😀 e\u{301} end".repeat(20);
        let index = CodePointIndex::new(&text);
        for (byte, _) in text.char_indices() {
            assert_eq!(index.code_point(byte), text[..byte].chars().count());
        }
        assert_eq!(index.code_point(text.len() + 10), text.chars().count());
    }
}
