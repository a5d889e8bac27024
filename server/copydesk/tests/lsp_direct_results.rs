//! End to end over real LSP framing: large results the server serialises
//! itself (the outline, see `lsp/output.rs`) arrive whole, correctly framed,
//! once each and in order with the other responses, describe the version the
//! request arrived at, and still honour `$/cancelRequest`.

mod features_support;

use features_support::{Encoding, Server};
use serde_json::{Value, json};

const URI: &str = "file:///drafts/long-quotes.txt";

/// A draft with `quotes` distinct quotes (one outline entry each), so the
/// outline is hundreds of kilobytes.
fn quote_draft(quotes: usize) -> String {
    let speakers = ["Fenwick", "Brannock", "Carvalho"];
    let mut out = String::from(
        "Harbour talks stall\nFisheries Minister Laura Fenwick, Fleet Commissioner Oduya Brannock and Port Director Ines Carvalho met in Port Azure.\n",
    );
    for index in 0..quotes {
        let speaker = speakers[index % speakers.len()];
        out.push_str(&format!("\"Round {index} of the talks will resume on Monday,\" {speaker} said. "));
        if index % 3 == 2 {
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

fn outline_request(server: &mut Server) -> i64 {
    server.send_request("textDocument/documentSymbol", json!({"textDocument": {"uri": URI}}))
}

/// The number of quote entries under the outline's Quotes group.
fn quote_entries(outline: &Value) -> usize {
    let groups = outline.as_array().expect("an outline");
    let quotes = groups.iter().find(|group| group["name"] == "Quotes").expect("a Quotes group");
    quotes["children"]
        .as_array()
        .expect("speakers")
        .iter()
        .map(|speaker| speaker["children"].as_array().map_or(0, Vec::len))
        .sum()
}

fn assert_no_placeholder(message: &Value) {
    let text = message.to_string();
    assert!(
        !text.contains("copydesk/direct-result"),
        "a placeholder reached the client: {}",
        &text[..text.len().min(300)]
    );
}

#[test]
fn a_large_outline_arrives_whole_once_and_in_order_with_other_responses() {
    let mut server = Server::start(Encoding::Utf16);
    let text = quote_draft(1_500);
    server.open(URI, &text);
    let fenwick = server.at(URI, &text, "Laura Fenwick", 7);
    // Once the draft is analysed, every handler answers without waiting, and
    // tower-lsp-server answers in the order of the requests. (While an
    // analysis is pending, a request waiting for it may be answered after
    // later ones, which LSP allows.)
    server.result("textDocument/hover", fenwick.clone());
    // Pipelined without waiting: the outline between small answers, twice.
    let requests = [
        server.send_request("textDocument/hover", fenwick.clone()),
        outline_request(&mut server),
        server.send_request("textDocument/definition", fenwick.clone()),
        outline_request(&mut server),
        server.send_request("textDocument/codeLens", json!({"textDocument": {"uri": URI}})),
    ];
    let last = server.response(requests[4]);
    let mut responses: Vec<Value> =
        server.notifications.drain(..).filter(|message| message.get("method").is_none()).collect();
    responses.push(last);
    let ids: Vec<i64> = responses.iter().map(|response| response["id"].as_i64().expect("an id")).collect();
    assert_eq!(ids, requests, "every response once, in the order of the requests");
    for response in &responses {
        assert!(response.get("error").is_none(), "{response}");
        assert_no_placeholder(response);
    }
    let (first, second) = (&responses[1]["result"], &responses[3]["result"]);
    assert_eq!(first, second);
    assert_eq!(first[0]["name"], "People");
    assert_eq!(quote_entries(first), 1_500);
    assert!(first.to_string().len() > 200_000, "the outline should be large");
    assert_eq!(responses[0]["result"]["range"]["start"]["line"], fenwick["position"]["line"]);
}

#[test]
fn an_outline_requested_right_after_an_edit_describes_the_edited_text() {
    let mut server = Server::start(Encoding::Utf8);
    let mut text = quote_draft(600);
    server.open(URI, &text);
    for version in 2..6 {
        let end = text.len();
        let added = format!("\"Edit {version} changes nothing,\" Carvalho said.\n");
        text = server.edit(URI, version, &text, end, end, &added);
        let id = outline_request(&mut server);
        let outline = server.response(id);
        assert_no_placeholder(&outline);
        assert_eq!(quote_entries(&outline["result"]), 600 + version as usize - 1, "version {version}");
    }
}

#[test]
fn cancelled_outlines_answer_cancelled_or_whole_and_the_next_one_is_whole() {
    let mut server = Server::start(Encoding::Utf16);
    let text = quote_draft(900);
    server.open(URI, &text);
    let mut ids = Vec::new();
    for _ in 0..6 {
        let id = outline_request(&mut server);
        server.notify("$/cancelRequest", json!({"id": id}));
        ids.push(id);
    }
    for id in ids {
        let response = server.response(id);
        assert_no_placeholder(&response);
        // Cancelled before it finished, or finished first and answered whole.
        if response.get("error").is_some() {
            assert_eq!(response["error"]["code"], -32800, "{response}");
        } else {
            assert_eq!(quote_entries(&response["result"]), 900);
        }
    }
    let id = outline_request(&mut server);
    let outline = server.response(id);
    assert_no_placeholder(&outline);
    assert_eq!(quote_entries(&outline["result"]), 900);
}
