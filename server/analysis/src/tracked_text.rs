//! The draft's text as the document stage sees it: every read of its bytes is
//! recorded, so that the next keystroke can tell whether it changed anything
//! the document stage looked at.
//!
//! The pipeline carries the document stage's previous output over to the
//! next version of the draft (shifting its offsets) when the edit cannot have
//! changed it. One of the things that decides it is whether the stage read
//! any of the edited bytes. Linking and the rules read the text in a few
//! hundred places; rather than reason about each, they receive a
//! [`TrackedText`] instead of a `&str`, and every slice, character or byte
//! they take from it leaves its byte range in a list. Reads that have no
//! bounded range (a search of the whole draft) record the whole draft, which
//! only means the carried-over path is not taken after them.
//!
//! Besides reads, the stage compares a few byte distances across the draft
//! with fixed limits (a title alone refers to a person mentioned within 240
//! bytes). An edit between the two ends of such a comparison changes the
//! distance, so those comparisons are recorded too, when their outcome is
//! close enough to the limit for a short edit to flip it.

use std::cell::{Cell, RefCell};
use std::ops::{Index, Range, RangeFrom, RangeTo};

use crate::model::Span;

/// How close to its limit a recorded distance comparison must be for it to
/// be kept. An edit that changes the draft's length by less than this cannot
/// flip a comparison further from its limit, so only the close ones need
/// checking; the pipeline refuses to carry output over for longer edits.
pub const DISTANCE_MARGIN: usize = 64;

/// What the document stage read from the draft.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadRecord {
    /// Byte ranges read, in the order read, a read that starts within the
    /// one before merged into it.
    /// Empty ranges are kept: an empty slice is still a claim that both
    /// ends are character boundaries.
    pub ranges: Vec<Span>,
    /// Pairs of offsets whose distance was compared with a limit and lay
    /// within [`DISTANCE_MARGIN`] of it: an edit between them could flip the
    /// comparison.
    pub close_distances: Vec<Span>,
    /// The furthest offset whose line number was asked for (the rules'
    /// messages say "introduced on line 4"). Not a read of a byte range: a
    /// line number reads every line break before its offset, so recording
    /// it as a range would make every edit before it look like a change,
    /// when only an edit that adds or removes a line break before it
    /// changes the answer.
    pub furthest_line_number_read: Option<usize>,
}

/// The draft's text with a record of every byte range read from it.
#[derive(Debug)]
pub struct TrackedText<'a> {
    text: &'a str,
    record: RefCell<ReadRecord>,
    /// While a rule that runs per entity reads for one entity's findings,
    /// that entity's owner (`rules::OwnedFindings::entity_owner`): its
    /// byte-range reads go to `owned` instead of the record, so that an
    /// edit meeting them runs the rule on that entity alone.
    owner: Cell<Option<u32>>,
    owned: RefCell<Vec<(u32, Span)>>,
}

impl<'a> TrackedText<'a> {
    pub fn new(text: &'a str) -> TrackedText<'a> {
        TrackedText {
            text,
            record: RefCell::new(ReadRecord::default()),
            owner: Cell::new(None),
            owned: RefCell::default(),
        }
    }

    /// Reads from now on are for the findings of `owner` (`None`: for
    /// every entity's, into the record). Distances compared and line
    /// numbers asked for always go to the record.
    pub fn set_owner(&self, owner: Option<u32>) {
        self.owner.set(owner);
    }

    /// The byte ranges read for each owner's findings, in the order read,
    /// taken out.
    pub fn take_owned(&self) -> Vec<(u32, Span)> {
        std::mem::take(&mut *self.owned.borrow_mut())
    }

    /// What was read so far.
    pub fn into_record(self) -> ReadRecord {
        self.record.into_inner()
    }

    /// Notes that the bytes in `start..end` were read. A read that starts
    /// inside or at the end of the last one recorded extends it: the list
    /// stays short, and a range covering more is only more cautious.
    pub fn record(&self, start: usize, end: usize) {
        if let Some(owner) = self.owner.get() {
            let mut owned = self.owned.borrow_mut();
            match owned.last_mut() {
                Some((last_owner, last)) if *last_owner == owner && last.start <= start && start <= last.end => {
                    last.end = last.end.max(end);
                }
                _ => owned.push((owner, Span::new(start, end))),
            }
            return;
        }
        let mut record = self.record.borrow_mut();
        match record.ranges.last_mut() {
            Some(last) if last.start <= start && start <= last.end => last.end = last.end.max(end),
            _ => record.ranges.push(Span::new(start, end)),
        }
    }

    /// Notes that the whole draft was read: after this the stage's output is
    /// never carried over.
    pub fn record_all(&self) {
        self.record(0, self.text.len());
    }

    /// Whether `later - earlier` is at most `limit`, recording the comparison
    /// when an edit of less than [`DISTANCE_MARGIN`] bytes between the two
    /// offsets could change the answer. `earlier` after `later` counts as
    /// distance zero, as `saturating_sub` has it.
    pub fn within_distance(&self, earlier: usize, later: usize, limit: usize) -> bool {
        let distance = later.saturating_sub(earlier);
        if later > earlier && distance.abs_diff(limit) <= DISTANCE_MARGIN {
            self.record.borrow_mut().close_distances.push(Span::new(earlier, later));
        }
        distance <= limit
    }

    /// Notes that the line number of `offset` was asked for
    /// ([`ReadRecord::furthest_line_number_read`]).
    pub fn record_line_number(&self, offset: usize) {
        let mut record = self.record.borrow_mut();
        record.furthest_line_number_read = record.furthest_line_number_read.max(Some(offset));
    }

    /// The draft's length in bytes. Not a read: the length moves with the
    /// edit exactly as an offset at the end of the draft does.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// `text[start..end]`, recorded.
    pub fn slice(&self, start: usize, end: usize) -> &'a str {
        self.record(start, end);
        &self.text[start..end]
    }

    /// `text.get(start..end)`, recorded (whether or not it is a valid slice:
    /// the answer depends on the bytes at both ends).
    pub fn get(&self, range: Range<usize>) -> Option<&'a str> {
        self.record(range.start, range.end);
        self.text.get(range)
    }

    /// Whether `index` is a character boundary; reads the byte at `index`.
    pub fn is_char_boundary(&self, index: usize) -> bool {
        self.record(index, (index + 1).min(self.text.len()).max(index));
        self.text.is_char_boundary(index)
    }

    /// The character starting at `offset`, if any; reads that character.
    pub fn char_at(&self, offset: usize) -> Option<char> {
        let character = self.text.get(offset..)?.chars().next();
        self.record(offset, offset + character.map_or(0, char::len_utf8));
        character
    }

    /// The last character before `end` that `skip` does not accept, with its
    /// offset, looking no further back than `start`; reads only the
    /// characters it looks at.
    pub fn last_char_before(&self, start: usize, end: usize, skip: impl Fn(char) -> bool) -> Option<(usize, char)> {
        let mut found = None;
        let mut from = end;
        for (index, character) in self.text[start..end].char_indices().rev() {
            from = start + index;
            if !skip(character) {
                found = Some((from, character));
                break;
            }
        }
        // The slice's start must be a character boundary as well.
        self.record(from.min(end), end);
        self.record(start, start);
        found
    }

    /// The character just before `offset`, if any; reads that character.
    pub fn char_before(&self, offset: usize) -> Option<char> {
        self.last_char_before(0, offset, |_| false).map(|(_, character)| character)
    }

    /// `text[start..end]` copied verbatim into the output next to that span
    /// (a quote's text, a cue's or a source's), not recorded: when the
    /// pipeline carries output over it takes those texts again from the new
    /// text wherever the edit meets their spans. Code that decides anything
    /// from such a text (the rules reading `Quote::text`) records the span
    /// itself.
    pub fn copy(&self, start: usize, end: usize) -> &'a str {
        &self.text[start..end]
    }

    /// The offset in the draft at which `slice` (a slice of [`Self::unrecorded`]) starts.
    pub(crate) fn offset_of(&self, slice: &str) -> usize {
        slice.as_ptr() as usize - self.text.as_ptr() as usize
    }

    /// The text without recording anything. Only for helpers that find out
    /// how far they need to look and then record exactly that range.
    pub(crate) fn unrecorded(&self) -> &'a str {
        self.text
    }

    /// The bytes before `end` back to the nearest byte for which `stop` holds
    /// (exclusive), or back to `start`: reads those bytes and the stop byte.
    pub fn run_before(&self, start: usize, end: usize, stop: impl Fn(u8) -> bool) -> &'a str {
        let bytes = &self.text.as_bytes()[start..end];
        let run_start = bytes.iter().rposition(|&byte| stop(byte)).map_or(start, |index| start + index + 1);
        self.record(run_start.saturating_sub(1).max(start), end);
        &self.text[run_start..end]
    }

    /// Whether a paragraph's prose view is its text byte for byte. Not
    /// recorded: the pipeline carries output over only when, in the edited
    /// paragraph, the prose outside the edit is unchanged and the edited
    /// bytes are prose as written (in the old text and the new), so this
    /// answer cannot have changed.
    pub fn equals_prose(&self, span: Span, prose: &str) -> bool {
        prose.as_bytes() == &self.text.as_bytes()[span.start..span.end]
    }

    /// The whole draft, recorded as read in full.
    pub fn all(&self) -> &'a str {
        self.record_all();
        self.text
    }
}

impl Index<Range<usize>> for TrackedText<'_> {
    type Output = str;

    fn index(&self, range: Range<usize>) -> &str {
        self.slice(range.start, range.end)
    }
}

impl Index<RangeFrom<usize>> for TrackedText<'_> {
    type Output = str;

    /// Records everything to the end of the draft: prefer a bounded read.
    fn index(&self, range: RangeFrom<usize>) -> &str {
        self.slice(range.start, self.text.len())
    }
}

impl Index<RangeTo<usize>> for TrackedText<'_> {
    type Output = str;

    /// Records everything from the start of the draft: prefer a bounded read.
    fn index(&self, range: RangeTo<usize>) -> &str {
        self.slice(0, range.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_recorded_with_their_ranges() {
        let text = TrackedText::new("Mayor Ann Lee said yes.");
        assert_eq!(&text[6..9], "Ann");
        assert_eq!(text.char_at(10), Some('L'));
        assert_eq!(text.last_char_before(0, 13, |character| character == ' '), Some((12, 'e')));
        assert_eq!(text.run_before(0, 13, |byte| byte == b' '), "Lee");
        let record = text.into_record();
        assert_eq!(
            record.ranges,
            vec![Span::new(6, 9), Span::new(10, 11), Span::new(12, 13), Span::new(0, 0), Span::new(9, 13)]
        );
        let merged = TrackedText::new("Mayor Ann Lee said yes.");
        merged.record(2, 5);
        merged.record(5, 7);
        merged.record(3, 4);
        merged.record(9, 10);
        assert_eq!(merged.into_record().ranges, vec![Span::new(2, 7), Span::new(9, 10)]);
    }

    #[test]
    fn only_distances_close_to_their_limit_are_recorded() {
        let text = TrackedText::new("");
        assert!(text.within_distance(100, 300, 240));
        assert!(text.within_distance(0, 100, 240));
        assert!(!text.within_distance(0, 1_000, 240));
        assert!(text.within_distance(500, 100, 240));
        assert_eq!(text.into_record().close_distances, vec![Span::new(100, 300)]);
    }
}
