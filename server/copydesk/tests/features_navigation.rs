//! End to end over real LSP framing: hover, go to definition, references and
//! document highlights on an invented draft with emoji, CJK and combining
//! marks before the names, in both UTF-8 and UTF-16 position encodings.

mod features_support;

use features_support::{Encoding, HARBOUR_DRAFT, Server, line_and_column};
use serde_json::{Value, json};

const URI: &str = "file:///drafts/harbour.txt";

const DRAFT: &str = HARBOUR_DRAFT;

fn both_encodings(test: impl Fn(&mut Server)) {
    for encoding in [Encoding::Utf8, Encoding::Utf16] {
        let mut server = Server::start(encoding);
        server.open(URI, DRAFT);
        test(&mut server);
    }
}

/// The byte offset of the `nth` occurrence of `needle`.
fn nth(needle: &str, nth: usize) -> usize {
    DRAFT.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("{needle:?} #{nth}")).0
}

fn at(server: &Server, offset: usize) -> Value {
    json!({"textDocument": {"uri": URI}, "position": server.position(DRAFT, offset)})
}

#[test]
fn hover_shows_who_a_family_name_is_with_the_right_range() {
    both_encodings(|server| {
        let offset = nth("Fenwick said", 0) + 3;
        let hover = server.result("textDocument/hover", at(server, offset));
        assert_eq!(hover["contents"]["kind"], "markdown");
        let markdown = hover["contents"]["value"].as_str().expect("markdown text");
        assert!(markdown.starts_with("**Laura Fenwick** · person"), "{markdown}");
        assert!(markdown.contains("*Fisheries Minister* (line 4)"), "{markdown}");
        assert!(markdown.contains("First reference: line 4"), "{markdown}");
        assert_eq!(server.slice(DRAFT, &hover["range"]), "Fenwick");
        // The column after "漁業 👍🏽 " counted by hand: 16 bytes, or 8 UTF-16 units.
        let expected_column = match server.encoding {
            Encoding::Utf8 => 16,
            Encoding::Utf16 => 8,
        };
        assert_eq!(hover["range"]["start"], json!({"line": 6, "character": expected_column}));
    });
}

#[test]
fn hover_on_an_ambiguous_family_name_lists_candidates_and_plain_words_get_nothing() {
    both_encodings(|server| {
        let hover = server.result("textDocument/hover", at(server, nth("Park is expected", 0)));
        let markdown = hover["contents"]["value"].as_str().expect("markdown text");
        assert!(markdown.contains("ambiguous reference"), "{markdown}");
        assert!(markdown.contains("**Park Min Ji**") && markdown.contains("**Park Jae Won**"), "{markdown}");
        assert!(markdown.contains("is the family name of each of them"), "{markdown}");
        let nothing = server.result("textDocument/hover", at(server, nth("expected", 0) + 2));
        assert_eq!(nothing, Value::Null);
        let emoji = server.result("textDocument/hover", at(server, nth("🎣", 0)));
        assert_eq!(emoji, Value::Null);
    });
}

#[test]
fn definition_goes_from_a_family_name_to_the_introducing_mention() {
    both_encodings(|server| {
        let location = server.result("textDocument/definition", at(server, nth("Park told", 0) + 1));
        assert_eq!(location["uri"], URI);
        assert_eq!(server.slice(DRAFT, &location["range"]), "Park Min Ji");
        let start = nth("Park Min Ji", 0);
        let (line, column) = line_and_column(DRAFT, start, server.encoding);
        assert_eq!(location["range"]["start"], json!({"line": line, "character": column}));
        let none = server.result("textDocument/definition", at(server, nth("quotas", 0)));
        assert_eq!(none, Value::Null);
    });
}

#[test]
fn references_and_highlights_cover_every_form() {
    both_encodings(|server| {
        let mut params = at(server, nth("Laura Fenwick", 0) + 8);
        params["context"] = json!({"includeDeclaration": true});
        let locations = server.result("textDocument/references", params.clone());
        let texts: Vec<&str> = locations
            .as_array()
            .expect("locations")
            .iter()
            .map(|location| server.slice(DRAFT, &location["range"]))
            .collect();
        assert_eq!(texts[..2], ["Laura Fenwick", "Fenwick"]);
        params["context"] = json!({"includeDeclaration": false});
        let without = server.result("textDocument/references", params);
        assert_eq!(without.as_array().map(Vec::len), Some(texts.len() - 1));
        assert_eq!(server.slice(DRAFT, &without[0]["range"]), "Fenwick");

        let highlights = server.result("textDocument/documentHighlight", at(server, nth("Fenwick said", 0)));
        let highlights = highlights.as_array().expect("highlights");
        assert_eq!(server.slice(DRAFT, &highlights[0]["range"]), "Laura Fenwick");
        assert_eq!(highlights[0]["kind"], 3, "the introduction is a write highlight");
        assert_eq!(highlights[1]["kind"], 2);
    });
}
