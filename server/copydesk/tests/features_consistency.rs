//! End to end over real LSP framing: feature requests answer from one
//! consistent snapshot of the latest text (never a half-applied edit, never
//! an analysis of older text with positions of newer text), and honour
//! `$/cancelRequest`.

mod features_support;

use features_support::{Encoding, HARBOUR_DRAFT, Server};
use serde_json::json;

const URI: &str = "file:///drafts/harbour.txt";

#[test]
fn a_request_sent_right_after_an_edit_sees_the_edited_text() {
    for encoding in [Encoding::Utf8, Encoding::Utf16] {
        let mut server = Server::start(encoding);
        server.open(URI, HARBOUR_DRAFT);
        let mut text = HARBOUR_DRAFT.to_owned();
        let body_start = text.find("🐟🎣").expect("line 4");
        for version in 2..32 {
            // Each edit moves every later name by one line and some characters,
            // and the hover is sent without waiting for any analysis.
            let inserted = format!("Update {version}: 漁業 talks 👍🏽 go on.\n");
            text = server.edit(URI, version, &text, body_start, body_start, &inserted);
            let fenwick = text.find("Fenwick said").expect("Fenwick said");
            let hover = server.result(
                "textDocument/hover",
                json!({"textDocument": {"uri": URI}, "position": server.position(&text, fenwick + 2)}),
            );
            assert_eq!(server.slice(&text, &hover["range"]), "Fenwick", "version {version}");
            let markdown = hover["contents"]["value"].as_str().expect("markdown");
            // The first reference line moves down with every inserted line.
            let first_line = text[..text.find("Laura Fenwick").expect("full name")].matches('\n').count() + 1;
            assert!(markdown.contains(&format!("First reference: line {first_line},")), "{markdown}");
        }
    }
}

/// About `words` words of invented copy, so the analysis takes a while.
fn long_draft(words: usize) -> String {
    // Every sentence differs (a number), so no paragraph comes from the cache.
    let sentence = |index: usize| {
        format!("Fisheries Minister Laura Fenwick told reporters in Port Azure that talks {index} would resume. ")
    };
    let per_sentence = sentence(0).split_whitespace().count();
    let mut out = String::from("A long draft\n");
    for index in 0..words / per_sentence {
        out.push_str(&sentence(index));
        if index % 4 == 3 {
            out.push('\n');
        }
    }
    out
}

#[test]
fn a_cancelled_request_answers_request_cancelled_and_the_server_carries_on() {
    let mut server = Server::start(Encoding::Utf16);
    let uri = "file:///drafts/long.txt";
    let text = long_draft(60_000);
    server.open(uri, &text);
    // The outline needs the analysis of the whole draft, which is still
    // running when the cancellation arrives right behind the request.
    let id = server.send_request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    server.notify("$/cancelRequest", json!({"id": id}));
    let response = server.response(id);
    assert_eq!(response["error"]["code"], -32800, "{response}");
    // The server keeps working, and the next answer is complete.
    let outline = server.result("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    assert_eq!(outline[0]["name"], "People");
}
