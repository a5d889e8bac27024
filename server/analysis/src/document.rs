//! Splitting a draft into paragraphs, and hiding what is not prose.
//!
//! A draft is either plain text (one line is one paragraph; the first lines may
//! be the wire header: headline, outlet line, JSON tags line) or Markdown
//! (paragraphs are separated by blank lines; code, front matter, HTML comments,
//! link targets and URLs are not prose).
//!
//! Every paragraph carries a *prose view*: its text with every non-prose byte
//! replaced by an ASCII space. The prose view has exactly the byte length of the
//! original, so every offset found in it is an offset into the original text.
//! This is what lets the later stages ignore Markdown entirely.

use std::sync::Arc;

use crate::model::Span;

/// The two kinds of draft Copydesk reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DocumentKind {
    #[default]
    PlainText,
    Markdown,
}

impl DocumentKind {
    /// Picks the kind from a file name or URI path: `.md`/`.markdown` are
    /// Markdown, everything else is plain text.
    pub fn from_path(path: &str) -> DocumentKind {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdx") {
            DocumentKind::Markdown
        } else {
            DocumentKind::PlainText
        }
    }

    /// Picks the kind from an LSP language id.
    pub fn from_language_id(language_id: &str) -> Option<DocumentKind> {
        match language_id {
            "markdown" | "mdx" => Some(DocumentKind::Markdown),
            "plaintext" | "text" | "copydesk" => Some(DocumentKind::PlainText),
            _ => None,
        }
    }
}

/// What role a paragraph plays in the draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParagraphKind {
    /// The story's headline (first line of a plain-text draft, or a Markdown
    /// level-one heading).
    Headline,
    /// The outlet line of the wire header ("CGTN").
    Outlet,
    /// The JSON tags line of the wire header (`["china"]`). Not prose.
    Tags,
    /// A subhead or Markdown heading: a short line without closing punctuation.
    Heading,
    /// Ordinary body text.
    Body,
}

impl ParagraphKind {
    /// Whether the paragraph is written prose that rules about sentences,
    /// quotes and references apply to.
    pub const fn is_body(self) -> bool {
        matches!(self, ParagraphKind::Body)
    }
}

/// One paragraph of the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Byte range of the paragraph in the document, without its line break.
    pub span: Span,
    pub kind: ParagraphKind,
    /// The paragraph's text with non-prose bytes replaced by spaces; always
    /// `span.len()` bytes long. Shared, so that a layout derived from the
    /// previous one after a keystroke ([`relayout`]) and the copy the
    /// `Analyzer` keeps of it reuse every paragraph's string but the edited one.
    pub prose: Arc<str>,
}

/// The paragraphs of a draft plus the non-prose regions worth remembering.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocumentLayout {
    /// Which kind of draft this layout was made from; rules need it to write
    /// suppression comments in the right syntax.
    pub kind: DocumentKind,
    pub paragraphs: Vec<Paragraph>,
    /// Markdown front matter (between `---` or `+++` fences), including fences.
    pub front_matter: Option<Span>,
    /// HTML comments (Markdown) and `# copydesk-...` directive lines (plain
    /// text), kept for inline suppression comments.
    pub comments: Vec<Span>,
    /// Paragraphs longer than [`MAX_ANALYSED_PARAGRAPH_BYTES`]. Their prose view
    /// is blanked so no stage analyses them; the `paragraph-too-long` rule
    /// tells the writer.
    pub oversized: Vec<Span>,
    /// Where each line of the text starts (LSP line breaks), as
    /// `rules::text::line_starts` gives them: the layout reads every line
    /// anyway, and the rules' messages ("introduced on line 4") need them on
    /// every keystroke, where a second pass over a long draft showed.
    pub line_starts: Vec<usize>,
}

/// The longest paragraph Copydesk analyses. No news paragraph comes near it;
/// the limit is there so that a pasted 50 MB line (a data dump, a minified
/// file) cannot freeze the editor: parts of the analysis look at pairs of
/// mentions within one paragraph.
pub const MAX_ANALYSED_PARAGRAPH_BYTES: usize = 64 * 1024;

/// Splits `text` into paragraphs.
pub fn layout(text: &str, kind: DocumentKind) -> DocumentLayout {
    let mut layout = match kind {
        DocumentKind::PlainText => layout_plain_text(text),
        DocumentKind::Markdown => layout_markdown(text),
    };
    layout.kind = kind;
    for paragraph in &mut layout.paragraphs {
        if paragraph.span.len() > MAX_ANALYSED_PARAGRAPH_BYTES {
            layout.oversized.push(paragraph.span);
            paragraph.prose = " ".repeat(paragraph.span.len()).into();
        }
    }
    layout
}

/// An edit between two versions of a text: the old bytes `start..old_end`
/// became the new bytes `start..new_end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutEdit {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl LayoutEdit {
    /// Where an old offset at or after `old_end` is in the new text.
    fn moved(self, old: usize) -> usize {
        old - self.old_end + self.new_end
    }
}

/// Turns `previous`, the layout of `old_text`, into the layout of `text`
/// (`old_text` with `edit` made), when the edit lies within one line of a
/// paragraph and cannot change how any line is classified: then only that
/// paragraph is laid out again, every later span and offset moves by the
/// edit's change in length, and the other paragraphs keep their prose
/// strings. Returns false, leaving `previous` as it was, when it cannot
/// tell that (the caller lays the text out from scratch).
///
/// A keystroke in a long draft changes one paragraph, and laying out every
/// paragraph again (a prose string each) was the largest linear cost of a
/// keystroke whose document stage is carried over. The conditions are
/// conservative; every one of them is something that [`layout`] decides
/// from more than the edited line's own bytes, or that the edited line
/// decides for others: a line break typed or deleted (or a `\r` meeting a
/// `\n`), the plain-text wire header (the first three lines), a line's
/// blankness, a heading's look, a directive; in Markdown the front-matter
/// fences, HTML comments, code fences, indentation, heading hashes, list
/// markers. The result equals `layout(text, kind)`: debug builds check it
/// on every keystroke, and `tests/relayout.rs` on random edits.
pub fn relayout(previous: &mut DocumentLayout, old_text: &str, text: &str, edit: LayoutEdit) -> bool {
    let LayoutEdit { start, old_end, new_end } = edit;
    let (old_bytes, new_bytes) = (old_text.as_bytes(), text.as_bytes());
    if start > old_end
        || start > new_end
        || old_end > old_bytes.len()
        || new_end > new_bytes.len()
        || old_bytes.len() - old_end != new_bytes.len() - new_end
    {
        return false;
    }
    let line_break = |bytes: &[u8]| bytes.iter().any(|&byte| matches!(byte, b'\n' | b'\r'));
    // A `\r` just before the edit and a `\n` after it can join into one line
    // break, or stop being one.
    if line_break(&old_bytes[start..old_end])
        || line_break(&new_bytes[start..new_end])
        || (start > 0 && old_bytes[start - 1] == b'\r')
    {
        return false;
    }
    // The edited line, in the old text and in the new.
    let Some(line) = previous.line_starts.partition_point(|&line_start| line_start <= start).checked_sub(1) else {
        return false;
    };
    let line_start = previous.line_starts[line];
    let old_line_end =
        memchr::memchr2(b'\n', b'\r', &old_bytes[line_start..]).map_or(old_bytes.len(), |at| line_start + at);
    if old_end > old_line_end {
        return false;
    }
    let new_line_end = edit.moved(old_line_end);
    let (old_line, new_line) = (&old_text[line_start..old_line_end], &text[line_start..new_line_end]);
    // The paragraph holding it.
    let Some(index) =
        previous.paragraphs.partition_point(|paragraph| paragraph.span.start <= line_start).checked_sub(1)
    else {
        return false;
    };
    let paragraph = &previous.paragraphs[index];
    if paragraph.span.end < old_line_end {
        return false;
    }
    let new_span = Span::new(paragraph.span.start, edit.moved(paragraph.span.end));
    if paragraph.span.len() > MAX_ANALYSED_PARAGRAPH_BYTES || new_span.len() > MAX_ANALYSED_PARAGRAPH_BYTES {
        return false;
    }
    // The edited paragraph's kind after the edit.
    let mut kind = paragraph.kind;
    let prose: Arc<str> = match previous.kind {
        DocumentKind::PlainText => {
            if line < 3
                || paragraph.span != Span::new(line_start, old_line_end)
                || new_line.trim().is_empty()
                || is_plain_text_directive(old_line)
                || is_plain_text_directive(new_line)
                || paragraph.kind == ParagraphKind::Tags
            {
                return false;
            }
            // A letter typed at the end of a subhead can turn it into body
            // text, and back: its kind is decided again as `layout_plain_text`
            // decides it (the wire header's lines are among the first three,
            // left out above), and no other line's kind reads this one's.
            if looks_like_heading(old_line) != looks_like_heading(new_line) {
                kind = if !looks_like_heading(new_line) {
                    ParagraphKind::Body
                } else if index == 0 {
                    // The first line of text (every earlier line blank or a directive).
                    ParagraphKind::Headline
                } else if lines_around_are_blank(text, &previous.line_starts, line, new_line_end) {
                    ParagraphKind::Heading
                } else {
                    ParagraphKind::Body
                };
            }
            new_line.into()
        }
        DocumentKind::Markdown => {
            let Some(line_prose) = relaid_markdown_line(previous, text, line, Span::new(line_start, new_line_end))
            else {
                return false;
            };
            if !markdown_line_keeps_its_role(old_line, new_line)
                || previous.comments.iter().any(|comment| comment.start <= old_line_end && line_start <= comment.end)
            {
                return false;
            }
            let old_prose = paragraph.prose.as_bytes();
            let before = &old_prose[..line_start - paragraph.span.start];
            let after = &old_prose[old_line_end - paragraph.span.start..];
            let mut bytes = Vec::with_capacity(new_span.len());
            bytes.extend_from_slice(before);
            bytes.extend_from_slice(&line_prose);
            bytes.extend_from_slice(after);
            let Ok(prose) = String::from_utf8(bytes) else { return false };
            if prose.trim().is_empty() {
                return false;
            }
            prose.into()
        }
    };
    if prose.len() != new_span.len() {
        return false;
    }
    // Checked: now move everything after the edited line.
    let paragraph = &mut previous.paragraphs[index];
    paragraph.span = new_span;
    paragraph.prose = prose;
    paragraph.kind = kind;
    for later in &mut previous.paragraphs[index + 1..] {
        later.span = Span::new(edit.moved(later.span.start), edit.moved(later.span.end));
    }
    for line_start in &mut previous.line_starts[line + 1..] {
        *line_start = edit.moved(*line_start);
    }
    for span in previous.comments.iter_mut().chain(&mut previous.oversized) {
        if span.start >= old_line_end {
            *span = Span::new(edit.moved(span.start), edit.moved(span.end));
        }
    }
    true
}

/// Whether the lines before and after plain-text line `line` (which ends at
/// `line_end` in `text`) are blank or missing, as `is_isolated` asks of the
/// lines `line_spans` gives: `line_starts` holds each line's start.
fn lines_around_are_blank(text: &str, line_starts: &[usize], line: usize, line_end: usize) -> bool {
    let blank_before = match line.checked_sub(1).and_then(|before| line_starts.get(before)) {
        // The line before and its line break, both unchanged by the edit.
        Some(&before_start) => text[before_start..line_starts[line]].trim().is_empty(),
        None => true,
    };
    let rest = &text[line_end..];
    let after_break = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix(['\n', '\r']));
    let blank_after = after_break.is_none_or(|after| {
        let next_line = &after[..memchr::memchr2(b'\n', b'\r', after.as_bytes()).unwrap_or(after.len())];
        next_line.trim().is_empty()
    });
    blank_before && blank_after
}

/// Whether an edited Markdown line plays the same role before and after the
/// edit, as far as [`layout_markdown`] decides anything about the other
/// lines from it: not a front-matter fence, no HTML comment mark, not
/// indented (an indented code block, a continuation), not a code fence, a
/// heading of the same level or none, a list item or not alike.
fn markdown_line_keeps_its_role(old_line: &str, new_line: &str) -> bool {
    let role = |line: &str| {
        let fence_like = matches!(line.trim_end(), "---" | "+++");
        let comment_mark = line.contains("<!--") || line.contains("-->");
        let indented = line.trim_start().len() != line.len();
        let code_fence = line.starts_with("```") || line.starts_with("~~~");
        if fence_like || comment_mark || indented || code_fence {
            return None;
        }
        let hashes = line.bytes().take_while(|byte| *byte == b'#').count();
        let list_item = hashes == 0 && block_markers(line).1 > 0;
        Some((hashes, list_item))
    };
    let old_role = role(old_line);
    old_role.is_some() && old_role == role(new_line)
}

/// The masked bytes of the edited Markdown line `span` of `text`, masked as
/// [`layout_markdown`] masks a line inside a paragraph; `None` when the line
/// is the first (which may open front matter) or masks to blank (it would
/// end the paragraph).
fn relaid_markdown_line(previous: &DocumentLayout, text: &str, line: usize, span: Span) -> Option<Vec<u8>> {
    if line == 0 || previous.front_matter.is_some_and(|front| span.start <= front.end) {
        return None;
    }
    let line_text = &text[span.start..span.end];
    let mut masked = line_text.as_bytes().to_vec();
    let hashes = line_text.bytes().take_while(|byte| *byte == b'#').count();
    let marker = if hashes > 0 {
        hashes
    } else {
        let (quote_marker, list_marker) = block_markers(line_text);
        quote_marker + list_marker
    };
    blank_out(&mut masked, 0, marker);
    mask_inline_markdown(text, &mut masked, span.start, span);
    if masked.iter().all(|byte| byte.is_ascii_whitespace()) {
        return None;
    }
    Some(masked)
}

/// Where each of `lines` (all of a text's [`line_spans`]) starts.
fn line_starts(lines: &[Span]) -> Vec<usize> {
    lines.iter().map(|line| line.start).collect()
}

/// Iterates the lines of `text` as byte spans without their line breaks.
/// Line breaks are exactly LSP's: `\n`, `\r\n` and a lone `\r`.
pub fn line_spans(text: &str) -> impl Iterator<Item = Span> + '_ {
    let bytes = text.as_bytes();
    let mut position = 0;
    let mut finished = false;
    std::iter::from_fn(move || {
        if finished {
            return None;
        }
        let start = position;
        // memchr finds the next break a word at a time; lines run long.
        if let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
            let index = start + found;
            position =
                if bytes[index] == b'\r' && bytes.get(index + 1) == Some(&b'\n') { index + 2 } else { index + 1 };
            return Some(Span::new(start, index));
        }
        finished = true;
        if start == bytes.len() && start != 0 && !matches!(bytes[start - 1], b'\n' | b'\r') {
            return None;
        }
        Some(Span::new(start, bytes.len()))
    })
}

/// A plain-text comment directive line, such as `# copydesk-disable rule`.
fn is_plain_text_directive(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("# copydesk-") || trimmed.starts_with("// copydesk-")
}

fn is_tags_line(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.starts_with('[') && trimmed.ends_with(']') && serde_json::from_str::<Vec<String>>(trimmed).is_ok()
}

/// A line that reads as a heading rather than a sentence: short and without
/// closing punctuation.
fn looks_like_heading(line: &str) -> bool {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return false;
    }
    let last = trimmed.chars().last().unwrap_or(' ');
    let closes_sentence =
        matches!(last, '.' | '!' | '?' | '"' | '\u{201d}' | '\'' | '\u{2019}' | ':' | ')' | ',' | ';');
    // At most 14 words; counting stops at the fifteenth, since this is asked
    // of every line of the draft on every analysis.
    !closes_sentence && trimmed.split_whitespace().nth(14).is_none()
}

fn layout_plain_text(text: &str) -> DocumentLayout {
    let lines: Vec<Span> = line_spans(text).collect();
    let non_empty: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, span)| !text[span.start..span.end].trim().is_empty())
        .map(|(index, _)| index)
        .take(3)
        .collect();
    // The wire header: headline, outlet, JSON tags line, as the first three lines.
    let has_wire_header =
        non_empty.len() == 3 && non_empty == [0, 1, 2] && is_tags_line(&text[lines[2].start..lines[2].end]);
    let mut layout = DocumentLayout { line_starts: line_starts(&lines), ..DocumentLayout::default() };
    let mut first_text_line_seen = false;
    for (index, span) in lines.iter().copied().enumerate() {
        let line = &text[span.start..span.end];
        if line.trim().is_empty() {
            continue;
        }
        if is_plain_text_directive(line) {
            layout.comments.push(span);
            continue;
        }
        let kind = if has_wire_header && index <= 2 {
            [ParagraphKind::Headline, ParagraphKind::Outlet, ParagraphKind::Tags][index]
        } else if !first_text_line_seen && looks_like_heading(line) {
            ParagraphKind::Headline
        } else if looks_like_heading(line) && is_isolated(text, &lines, index) {
            ParagraphKind::Heading
        } else {
            ParagraphKind::Body
        };
        first_text_line_seen = true;
        let prose = if kind == ParagraphKind::Tags { " ".repeat(span.len()).into() } else { line.into() };
        layout.paragraphs.push(Paragraph { span, kind, prose });
    }
    layout
}

/// A line with blank lines (or the document edge) on both sides.
fn is_isolated(text: &str, lines: &[Span], index: usize) -> bool {
    let blank = |span: &Span| text[span.start..span.end].trim().is_empty();
    let before = index == 0 || blank(&lines[index - 1]);
    let after = index + 1 >= lines.len() || blank(&lines[index + 1]);
    before && after
}

/// Replaces the bytes of `range` (relative to `prose`) with spaces.
fn blank_out(prose: &mut [u8], start: usize, end: usize) {
    let end = end.min(prose.len());
    for byte in &mut prose[start.min(end)..end] {
        if *byte != b'\n' && *byte != b'\r' {
            *byte = b' ';
        }
    }
}

fn layout_markdown(text: &str) -> DocumentLayout {
    let bytes = text.as_bytes();
    // The masked copy of the whole document; paragraphs are cut from it.
    let mut masked = bytes.to_vec();
    let lines: Vec<Span> = line_spans(text).collect();
    let mut layout = DocumentLayout { line_starts: line_starts(&lines), ..DocumentLayout::default() };
    let mut line_index = 0;

    // Front matter: `---` (YAML) or `+++` (TOML) on the first line, closed by the same fence.
    if let Some(first) = lines.first() {
        let fence = text[first.start..first.end].trim_end();
        if fence == "---" || fence == "+++" {
            if let Some(close) = lines.iter().skip(1).position(|span| text[span.start..span.end].trim_end() == fence) {
                let close_line = lines[close + 1];
                let span = Span::new(0, close_line.end);
                blank_out(&mut masked, span.start, span.end);
                layout.front_matter = Some(span);
                line_index = close + 2;
            }
        }
    }

    // HTML comments can span lines; mask them first and remember them.
    let mut search_from = layout.front_matter.map_or(0, |span| span.end);
    while let Some(found) = text[search_from..].find("<!--") {
        let start = search_from + found;
        let end = text[start + 4..].find("-->").map_or(text.len(), |close| start + 4 + close + 3);
        blank_out(&mut masked, start, end);
        layout.comments.push(Span::new(start, end));
        search_from = end;
    }

    let mut in_fence: Option<&str> = None;
    let mut current: Option<(Span, ParagraphKind)> = None;
    let mut previous_blank = true;
    let flush = |current: &mut Option<(Span, ParagraphKind)>, layout: &mut DocumentLayout, masked: &[u8]| {
        if let Some((span, kind)) = current.take() {
            let prose: Arc<str> = String::from_utf8_lossy(&masked[span.start..span.end]).into();
            if !prose.trim().is_empty() {
                layout.paragraphs.push(Paragraph { span, kind, prose });
            }
        }
    };
    while line_index < lines.len() {
        let span = lines[line_index];
        line_index += 1;
        let line = &text[span.start..span.end];
        let trimmed = line.trim_start();
        if let Some(fence) = in_fence {
            blank_out(&mut masked, span.start, span.end);
            if trimmed.starts_with(fence) {
                in_fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            flush(&mut current, &mut layout, &masked);
            in_fence = Some(if trimmed.starts_with("```") { "```" } else { "~~~" });
            blank_out(&mut masked, span.start, span.end);
            previous_blank = false;
            continue;
        }
        let masked_line_is_blank = masked[span.start..span.end].iter().all(|byte| byte.is_ascii_whitespace());
        if masked_line_is_blank {
            flush(&mut current, &mut layout, &masked);
            previous_blank = true;
            continue;
        }
        // Indented code block: four spaces or a tab after a blank line.
        if previous_blank && current.is_none() && (line.starts_with("    ") || line.starts_with('\t')) {
            blank_out(&mut masked, span.start, span.end);
            continue;
        }
        previous_blank = false;
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with('#') {
            flush(&mut current, &mut layout, &masked);
            let hashes = trimmed.bytes().take_while(|byte| *byte == b'#').count();
            blank_out(&mut masked, span.start, span.start + indent + hashes);
            let kind = if hashes == 1
                && !layout.paragraphs.iter().any(|paragraph| paragraph.kind == ParagraphKind::Headline)
            {
                ParagraphKind::Headline
            } else {
                ParagraphKind::Heading
            };
            mask_inline_markdown(text, &mut masked, 0, span);
            current = Some((span, kind));
            flush(&mut current, &mut layout, &masked);
            continue;
        }
        // Block quotes and list items: mask the marker; a list item starts a new paragraph.
        let (quote_marker, list_marker) = block_markers(trimmed);
        if list_marker > 0 {
            flush(&mut current, &mut layout, &masked);
        }
        blank_out(&mut masked, span.start, span.start + indent + quote_marker + list_marker);
        mask_inline_markdown(text, &mut masked, 0, span);
        current = Some(match current {
            Some((existing, kind)) => (Span::new(existing.start, span.end), kind),
            None => (span, ParagraphKind::Body),
        });
    }
    flush(&mut current, &mut layout, &masked);
    layout
}

/// The lengths of a line's block-quote markers (`>` and the spaces after
/// each) and of the list marker after them, from the start of `trimmed`
/// (the line without its indentation).
fn block_markers(trimmed: &str) -> (usize, usize) {
    let mut quote_marker = 0;
    let mut rest = trimmed;
    while let Some(after) = rest.strip_prefix('>') {
        quote_marker += 1;
        let spaces = after.len() - after.trim_start().len();
        quote_marker += spaces;
        rest = after.trim_start();
    }
    (quote_marker, list_marker_length(rest))
}

/// Length of a list marker (`- `, `* `, `+ `, `1. `, `1) `) at the start of `line`, or 0.
fn list_marker_length(line: &str) -> usize {
    let bytes = line.as_bytes();
    if bytes.len() >= 2 && matches!(bytes[0], b'-' | b'*' | b'+') && bytes[1] == b' ' {
        return 2;
    }
    let digits = bytes.iter().take_while(|byte| byte.is_ascii_digit()).count();
    if digits > 0
        && digits < 10
        && bytes.len() > digits + 1
        && matches!(bytes[digits], b'.' | b')')
        && bytes[digits + 1] == b' '
    {
        return digits + 2;
    }
    0
}

/// Masks inline code, link targets, images, autolinks, bare URLs and emphasis
/// markers inside one line. `masked[0]` is the masked copy of `text[base]`:
/// the whole text's copy when laying out from scratch, the line's alone when
/// [`relayout`] masks the one edited line again.
fn mask_inline_markdown(text: &str, masked: &mut [u8], base: usize, line: Span) {
    let blank_out = |masked: &mut [u8], start: usize, end: usize| blank_out(masked, start - base, end - base);
    let bytes = text.as_bytes();
    let mut index = line.start;
    while index < line.end {
        match bytes[index] {
            b'`' => {
                let ticks = bytes[index..line.end].iter().take_while(|byte| **byte == b'`').count();
                let fence = &text[index..index + ticks];
                if let Some(close) = text[index + ticks..line.end].find(fence) {
                    let end = index + ticks + close + ticks;
                    blank_out(masked, index, end);
                    index = end;
                } else {
                    index += ticks;
                }
            }
            b'!' if bytes.get(index + 1) == Some(&b'[') => {
                if let Some(end) = link_end(text, index + 1, line.end) {
                    blank_out(masked, index, end);
                    index = end;
                } else {
                    index += 1;
                }
            }
            b'[' => {
                if let Some(end) = link_end(text, index, line.end) {
                    // Keep the link text, hide the brackets and the target.
                    let close_bracket = text[index..end].find("](").map_or(index, |found| index + found);
                    blank_out(masked, index, index + 1);
                    blank_out(masked, close_bracket, end);
                    index = close_bracket.max(index + 1);
                    index = index.max(end);
                } else {
                    index += 1;
                }
            }
            b'<' if text[index..line.end].starts_with("<http") => {
                let end = text[index..line.end].find('>').map_or(line.end, |close| index + close + 1);
                blank_out(masked, index, end);
                index = end;
            }
            b'h' if text[index..line.end].starts_with("http://") || text[index..line.end].starts_with("https://") => {
                let end = text[index..line.end]
                    .find(|character: char| character.is_whitespace() || character == ')' || character == '>')
                    .map_or(line.end, |found| index + found);
                blank_out(masked, index, end);
                index = end;
            }
            b'w' if text[index..line.end].starts_with("www.")
                && (index == 0 || !bytes[index - 1].is_ascii_alphanumeric()) =>
            {
                let end = text[index..line.end].find(char::is_whitespace).map_or(line.end, |found| index + found);
                blank_out(masked, index, end);
                index = end;
            }
            b'*' => {
                masked[index - base] = b' ';
                index += 1;
            }
            b'_' => {
                let before_is_word = index > line.start && bytes[index - 1].is_ascii_alphanumeric();
                let after_is_word = bytes.get(index + 1).is_some_and(u8::is_ascii_alphanumeric);
                if !(before_is_word && after_is_word) {
                    masked[index - base] = b' ';
                }
                index += 1;
            }
            _ => index += 1,
        }
    }
}

/// For a `[` at `open`, the end of `[text](target)` when it closes on this line.
fn link_end(text: &str, open: usize, line_end: usize) -> Option<usize> {
    let close = text[open..line_end].find("](")? + open;
    let target_close = text[close + 2..line_end].find(')')? + close + 2;
    Some(target_close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_gives_the_line_starts_the_rules_count_lines_by() {
        for text in ["", "one line", "Headline\n\nBody.\n", "a\r\nb\rc\n\r\n", "\n\n", "# Title\n\n---\nx\r\n"] {
            for kind in [DocumentKind::PlainText, DocumentKind::Markdown] {
                assert_eq!(layout(text, kind).line_starts, crate::rules::text::line_starts(text), "{text:?} {kind:?}");
            }
        }
    }

    /// Renders the layout as one line per paragraph: kind, then the prose view.
    fn render(text: &str, kind: DocumentKind) -> String {
        let layout = layout(text, kind);
        let mut out = String::new();
        for paragraph in &layout.paragraphs {
            assert_eq!(paragraph.prose.len(), paragraph.span.len());
            out.push_str(&format!("{:?}: {}\n", paragraph.kind, paragraph.prose.replace('\n', "⏎")));
        }
        if let Some(front) = layout.front_matter {
            out.push_str(&format!("front matter: {}..{}\n", front.start, front.end));
        }
        for comment in &layout.comments {
            out.push_str(&format!("comment: {}\n", &text[comment.start..comment.end]));
        }
        out
    }

    fn check(text: &str, kind: DocumentKind, expect: &str) {
        let actual = render(text, kind);
        assert_eq!(actual.trim_end(), expect.trim(), "\nactual:\n{actual}");
    }

    #[test]
    fn plain_text_wire_header_is_recognised() {
        check(
            "Mayor opens bridge\nRiverside Gazette\n[\"local\",\"transport\"]\nThe mayor opened the bridge on Monday.\n\nA subhead here\n\nShe said it was \"overdue.\"\n",
            DocumentKind::PlainText,
            "Headline: Mayor opens bridge\nOutlet: Riverside Gazette\nTags:                      \nBody: The mayor opened the bridge on Monday.\nHeading: A subhead here\nBody: She said it was \"overdue.\"",
        );
    }

    #[test]
    fn plain_text_line_breaks_follow_lsp() {
        check(
            "One.\r\nTwo.\rThree.\u{2028}still three.",
            DocumentKind::PlainText,
            "Body: One.\nBody: Two.\nBody: Three.\u{2028}still three.",
        );
    }

    #[test]
    fn markdown_hides_code_front_matter_comments_and_link_targets() {
        check(
            "---\ndate: 2024-01-02\n---\n# The headline\n\nSee [the report](https://example.com/x) and `code` here.\nSecond line.\n\n```\nnot prose\n```\n\n<!-- copydesk-disable vague-source -->\n- item one\n- item *two*\n",
            DocumentKind::Markdown,
            "Headline:   The headline\nBody: See  the report                         and        here.⏎Second line.\nBody:   item one\nBody:   item  two \nfront matter: 0..24\ncomment: <!-- copydesk-disable vague-source -->",
        );
    }

    #[test]
    fn an_oversized_paragraph_is_recorded_and_not_prose() {
        let long_line = "word ".repeat(MAX_ANALYSED_PARAGRAPH_BYTES / 5 + 1);
        let text = format!("Headline\nA short paragraph.\n{long_line}\n");
        let layout = layout(&text, DocumentKind::PlainText);
        assert_eq!(layout.oversized.len(), 1);
        let oversized = &layout.paragraphs[2];
        assert_eq!(layout.oversized[0], oversized.span);
        assert_eq!(oversized.prose.len(), oversized.span.len());
        assert!(oversized.prose.trim().is_empty());
        assert_eq!(&*layout.paragraphs[1].prose, "A short paragraph.");
    }

    #[test]
    fn prose_view_keeps_byte_offsets_with_multibyte_text() {
        let text = "Tōkyō `código` señor https://例え.jp/パス end";
        let layout = layout(text, DocumentKind::Markdown);
        let paragraph = &layout.paragraphs[0];
        assert_eq!(paragraph.prose.len(), text.len());
        assert!(paragraph.prose.starts_with("Tōkyō "));
        assert!(paragraph.prose.ends_with(" end"));
        assert!(!paragraph.prose.contains("código"));
    }
}
