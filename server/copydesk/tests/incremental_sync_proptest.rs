//! Random incremental edits against a plain `String` model, in every position
//! encoding: the rope must equal the model after every edit.
//!
//! The model is written independently of `positions.rs`: it splits the text
//! into LSP lines (`\n`, `\r\n`, lone `\r`; U+2028 is not a break) and walks
//! characters counting units of the encoding. Text pieces mix ASCII, CJK,
//! emoji (surrogate pairs in UTF-16), combining marks, CRLF, lone `\r` and
//! U+2028; positions go past the ends of lines and of the document.

mod support;

use copydesk::lsp::positions::{LineIndex, PositionEncoding, apply_content_change, byte_to_position, position_to_byte};
use copydesk::lsp::state::ServerOptions;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use ropey::Rope;
use serde_json::json;
use support::{TestClient, range};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

const PIECES: &[&str] =
    &["a", "Kim", " ", "東京", "😀", "👩‍👩‍👧", "e\u{301}", "\r\n", "\r", "\n", "\u{2028}", "\"", "é", ""];

const ENCODINGS: [PositionEncoding; 3] = [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32];

/// Byte ranges of each LSP line's content, without its line break.
fn model_lines(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'\n' => {
                lines.push((start, index));
                index += 1;
                start = index;
            }
            b'\r' => {
                lines.push((start, index));
                index += if bytes.get(index + 1) == Some(&b'\n') { 2 } else { 1 };
                start = index;
            }
            _ => index += 1,
        }
    }
    lines.push((start, bytes.len()));
    lines
}

fn units(character: char, encoding: PositionEncoding) -> usize {
    match encoding {
        PositionEncoding::Utf8 => character.len_utf8(),
        PositionEncoding::Utf16 => character.len_utf16(),
        PositionEncoding::Utf32 => 1,
    }
}

/// The model's byte offset of an LSP position: clamped to the line's end and
/// the document's end, rounded down to the start of a character.
fn model_offset(text: &str, line: u32, character: u32, encoding: PositionEncoding) -> usize {
    let lines = model_lines(text);
    let Some(&(start, end)) = lines.get(line as usize) else { return text.len() };
    let mut counted = 0;
    for (offset, current) in text[start..end].char_indices() {
        let width = units(current, encoding);
        if counted + width > character as usize {
            return start + offset;
        }
        counted += width;
    }
    end
}

/// One random edit: a range (possibly reversed or out of range) and a text.
#[derive(Debug, Clone)]
struct Edit {
    start: (u32, u32),
    end: (u32, u32),
    text: String,
    whole_document: bool,
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    ((0u32..8, 0u32..24), (0u32..8, 0u32..24), prop::collection::vec(0..PIECES.len(), 0..3), 0u8..60).prop_map(
        |(start, end, pieces, whole)| Edit {
            start,
            end,
            text: pieces.iter().map(|piece| PIECES[*piece]).collect(),
            whole_document: whole == 0,
        },
    )
}

fn to_change(edit: &Edit) -> TextDocumentContentChangeEvent {
    TextDocumentContentChangeEvent {
        range: (!edit.whole_document)
            .then(|| Range::new(Position::new(edit.start.0, edit.start.1), Position::new(edit.end.0, edit.end.1))),
        range_length: None,
        text: edit.text.clone(),
    }
}

fn apply_to_model(model: &mut String, edit: &Edit, encoding: PositionEncoding) {
    if edit.whole_document {
        model.clone_from(&edit.text);
        return;
    }
    let start = model_offset(model, edit.start.0, edit.start.1, encoding);
    let end = model_offset(model, edit.end.0, edit.end.1, encoding);
    model.replace_range(start.min(end)..start.max(end), &edit.text);
}

/// Every char boundary maps to a position and back (except the inside of a CRLF pair).
fn check_round_trips(rope: &Rope, model: &str, encoding: PositionEncoding) {
    for (byte, _) in model.char_indices().chain([(model.len(), ' ')]) {
        let inside_crlf = byte > 0 && model.as_bytes()[byte - 1] == b'\r' && model.as_bytes().get(byte) == Some(&b'\n');
        if inside_crlf {
            continue;
        }
        let position = byte_to_position(rope, byte, encoding);
        assert_eq!(position_to_byte(rope, position, encoding), byte, "byte {byte} of {model:?}");
    }
}

#[test]
fn random_edits_keep_the_rope_equal_to_the_model_in_every_encoding() {
    let mut total_edits = 0;
    for encoding in ENCODINGS {
        let mut runner = TestRunner::new(Config { cases: 100, failure_persistence: None, ..Config::default() });
        let edits_this_encoding = std::cell::Cell::new(0);
        let result = runner.run(&prop::collection::vec(edit_strategy(), 100), |edits| {
            let mut model = String::from("Kim said \"hi\"\r\nÉ😀\rline\u{2028}three\n");
            let mut rope = Rope::from_str(&model);
            // A copy of the text and its line index following the byte edits
            // the rope reports, as the server's analysis slot does.
            let mut followed = model.clone();
            let mut lines = LineIndex::new(&followed);
            for edit in &edits {
                apply_to_model(&mut model, edit, encoding);
                match apply_content_change(&mut rope, &to_change(edit), encoding) {
                    Some(byte_edit) => {
                        prop_assert!(!edit.whole_document);
                        followed.replace_range(byte_edit.start..byte_edit.end, &byte_edit.inserted);
                        lines.edit(&followed, byte_edit.start, byte_edit.end, byte_edit.inserted.len());
                    }
                    None => {
                        prop_assert!(edit.whole_document);
                        followed.clone_from(&model);
                        lines = LineIndex::new(&followed);
                    }
                }
                prop_assert_eq!(rope.to_string(), model.clone(), "after {:?} in {:?}", edit, encoding);
                prop_assert_eq!(&followed, &model, "the followed copy after {:?} in {:?}", edit, encoding);
                prop_assert_eq!(
                    &lines,
                    &LineIndex::new(&model),
                    "the followed index after {:?} in {:?}",
                    edit,
                    encoding
                );
            }
            check_round_trips(&rope, &model, encoding);
            edits_this_encoding.set(edits_this_encoding.get() + edits.len());
            Ok(())
        });
        if let Err(error) = result {
            panic!("{encoding:?}: {error}");
        }
        let edits = edits_this_encoding.get();
        assert!(edits >= 10_000, "{encoding:?}: only {edits} edits");
        total_edits += edits;
    }
    assert!(total_edits >= 30_000);
}

/// A tiny deterministic generator for the protocol-level run.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

/// The same kind of edits through the real protocol, for each negotiated encoding.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_edits_through_the_protocol_keep_the_text_in_sync() {
    for (offered, encoding) in
        [("utf-8", PositionEncoding::Utf8), ("utf-16", PositionEncoding::Utf16), ("utf-32", PositionEncoding::Utf32)]
    {
        let mut client = TestClient::in_process(ServerOptions::default());
        client.initialize(&[offered]).await;
        let uri = "file:///drafts/random.txt";
        let mut model = String::from("Kim said \"hi\"\r\nÉ😀\rline\u{2028}three\n");
        client.open(uri, "plaintext", 0, &model).await;
        let mut random = Xorshift(0x9e37_79b9_7f4a_7c15);
        for version in 1..=400_i64 {
            let piece_count = random.next(3) as usize;
            let text: String = (0..piece_count).map(|_| PIECES[random.next(PIECES.len() as u64) as usize]).collect();
            let edit = Edit {
                start: (random.next(8) as u32, random.next(24) as u32),
                end: (random.next(8) as u32, random.next(24) as u32),
                text,
                whole_document: random.next(80) == 0,
            };
            apply_to_model(&mut model, &edit, encoding);
            let change = if edit.whole_document {
                json!({ "text": edit.text })
            } else {
                json!({ "range": range(edit.start.0, edit.start.1, edit.end.0, edit.end.1), "text": edit.text })
            };
            client.change(uri, version, json!([change])).await;
            if version % 100 == 0 {
                assert_eq!(client.document_text(uri).await, Some((version, model.clone())), "{offered}");
            }
        }
        // The last analysis published is for the last version.
        client.diagnostics(uri, 400).await;
        client.shutdown_and_exit().await;
    }
}
