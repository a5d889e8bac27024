//! Where the keystroke bench and the `typing` example type into a draft,
//! shared so that the example's instruction counts describe exactly the
//! keystrokes the bench times.

/// The end of the first non-empty line from the middle of the draft on (a
/// byte offset, just before its line break): a paragraph in the body, never
/// the headline, whose growth leaves the rest of the draft as it was.
pub fn typing_offset(text: &str) -> usize {
    let line_ends: Vec<usize> = text.match_indices('\n').map(|(offset, _)| offset).collect();
    line_ends[line_ends.len() / 2..]
        .iter()
        .copied()
        .find(|&end| end > 0 && text.as_bytes()[end - 1] != b'\n')
        .unwrap_or(text.len())
}
