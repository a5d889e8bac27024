//! End to end over real LSP framing: semantic tokens, full, delta and range,
//! with the documented legend, in UTF-8 and UTF-16 on a draft with emoji,
//! CJK and combining marks.

mod features_support;

use features_support::{Encoding, HARBOUR_DRAFT, Server};
use serde_json::{Value, json};

const URI: &str = "file:///drafts/harbour.txt";

/// A decoded token: its text, type name and modifier names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    line: u64,
    start: u64,
    length: u64,
    token_type: String,
    modifiers: Vec<String>,
}

fn legend(server: &Server) -> (Vec<String>, Vec<String>) {
    let legend = &server.capabilities["semanticTokensProvider"]["legend"];
    let names = |key: &str| -> Vec<String> {
        legend[key].as_array().expect("legend").iter().map(|name| name.as_str().unwrap_or("").to_owned()).collect()
    };
    (names("tokenTypes"), names("tokenModifiers"))
}

fn decode(server: &Server, data: &Value) -> Vec<Token> {
    let (types, modifiers) = legend(server);
    let numbers: Vec<u64> = data.as_array().expect("data").iter().map(|number| number.as_u64().expect("u32")).collect();
    assert_eq!(numbers.len() % 5, 0);
    let (mut line, mut start) = (0, 0);
    numbers
        .chunks(5)
        .map(|chunk| {
            if chunk[0] > 0 {
                line += chunk[0];
                start = chunk[1];
            } else {
                start += chunk[1];
            }
            Token {
                line,
                start,
                length: chunk[2],
                token_type: types[chunk[3] as usize].clone(),
                modifiers: modifiers
                    .iter()
                    .enumerate()
                    .filter(|(bit, _)| chunk[4] & (1 << bit) != 0)
                    .map(|(_, name)| name.clone())
                    .collect(),
            }
        })
        .collect()
}

fn token_text<'a>(server: &Server, text: &'a str, token: &Token) -> &'a str {
    let range = json!({
        "start": {"line": token.line, "character": token.start},
        "end": {"line": token.line, "character": token.start + token.length}
    });
    server.slice(text, &range)
}

fn both_encodings(test: impl Fn(&mut Server)) {
    for encoding in [Encoding::Utf8, Encoding::Utf16] {
        let mut server = Server::start(encoding);
        server.open(URI, HARBOUR_DRAFT);
        test(&mut server);
    }
}

#[test]
fn the_legend_is_the_documented_one() {
    let server = Server::start(Encoding::Utf16);
    let (types, modifiers) = legend(&server);
    assert_eq!(types, ["person", "organization", "place", "title", "quote", "speakerCue"]);
    assert_eq!(modifiers, ["declaration", "ambiguous", "unattributed"]);
    let provider = &server.capabilities["semanticTokensProvider"];
    assert_eq!(provider["full"], json!({"delta": true}));
    assert_eq!(provider["range"], true);
}

#[test]
fn full_tokens_sit_exactly_on_names_and_titles() {
    both_encodings(|server| {
        let result = server.result("textDocument/semanticTokens/full", json!({"textDocument": {"uri": URI}}));
        assert!(result["resultId"].is_string());
        let tokens = decode(server, &result["data"]);
        let rendered: Vec<String> = tokens
            .iter()
            .map(|token| format!("{} {}", token.token_type, token_text(server, HARBOUR_DRAFT, token)))
            .collect();
        for expected in [
            "title Valdoran Deputy Trade Minister",
            "person Park Min Ji",
            "title Fisheries Minister",
            "person Laura Fenwick",
            "person Fenwick",
        ] {
            assert!(rendered.iter().any(|line| line == expected), "{expected:?} missing from {rendered:#?}");
        }
        let introduction = tokens
            .iter()
            .find(|token| token_text(server, HARBOUR_DRAFT, token) == "Laura Fenwick")
            .expect("Laura Fenwick token");
        assert_eq!(introduction.modifiers, ["declaration"]);
        // Tokens are in order and never overlap.
        for pair in tokens.windows(2) {
            let (first, second) = (&pair[0], &pair[1]);
            assert!(
                first.line < second.line || first.start + first.length <= second.start,
                "{first:?} overlaps {second:?}"
            );
        }
    });
}

#[test]
fn delta_edits_turn_the_previous_tokens_into_the_current_ones() {
    both_encodings(|server| {
        let first = server.result("textDocument/semanticTokens/full", json!({"textDocument": {"uri": URI}}));
        let previous: Vec<Value> = first["data"].as_array().expect("data").clone();
        let insert_at = HARBOUR_DRAFT.find("\"Nobody").expect("line 8");
        let text = server.edit(
            URI,
            2,
            HARBOUR_DRAFT,
            insert_at,
            insert_at,
            "Senator Hallvard Ostby of Kestrel Bay called the talks a farce.\n",
        );
        let delta = server.result(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": URI}, "previousResultId": first["resultId"]}),
        );
        let edits = delta["edits"].as_array().expect("a delta, not full tokens");
        let mut data = previous;
        for edit in edits.iter().rev() {
            let start = edit["start"].as_u64().expect("start") as usize;
            let delete = edit["deleteCount"].as_u64().expect("deleteCount") as usize;
            let inserted: Vec<Value> = edit["data"].as_array().cloned().unwrap_or_default();
            data.splice(start..start + delete, inserted);
        }
        let fresh = server.result("textDocument/semanticTokens/full", json!({"textDocument": {"uri": URI}}));
        assert_eq!(Value::Array(data.clone()), fresh["data"]);
        let tokens = decode(server, &Value::Array(data));
        let texts: Vec<&str> = tokens.iter().map(|token| token_text(server, &text, token)).collect();
        assert!(texts.contains(&"Kestrel Bay"), "{texts:?}");

        // An unknown previous result gets the full tokens.
        let full = server.result(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": URI}, "previousResultId": "no-such-result"}),
        );
        assert_eq!(full["data"], fresh["data"]);
    });
}

#[test]
fn range_tokens_are_the_full_tokens_of_that_range() {
    both_encodings(|server| {
        let full = server.result("textDocument/semanticTokens/full", json!({"textDocument": {"uri": URI}}));
        let full = decode(server, &full["data"]);
        let line_six = json!({"start": {"line": 6, "character": 0}, "end": {"line": 7, "character": 0}});
        let range = server
            .result("textDocument/semanticTokens/range", json!({"textDocument": {"uri": URI}, "range": line_six}));
        let range = decode(server, &range["data"]);
        let expected: Vec<Token> = full.into_iter().filter(|token| token.line == 6).collect();
        assert!(!expected.is_empty());
        assert_eq!(range, expected);
    });
}
