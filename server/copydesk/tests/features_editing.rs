//! End to end over real LSP framing: prepareRename and rename (full forms,
//! family-name forms, refusals), and completion of names already in the
//! draft, on a draft with multibyte text before the names, in UTF-8 and UTF-16.

mod features_support;

use features_support::{Encoding, HARBOUR_DRAFT, Server};
use serde_json::{Value, json};

const URI: &str = "file:///drafts/harbour.txt";

fn both_encodings(test: impl Fn(&mut Server)) {
    for encoding in [Encoding::Utf8, Encoding::Utf16] {
        let mut server = Server::start(encoding);
        server.open(URI, HARBOUR_DRAFT);
        test(&mut server);
    }
}

fn at(server: &Server, text: &str, needle: &str, offset_in_needle: usize) -> Value {
    server.at(URI, text, needle, offset_in_needle)
}

/// Applies a workspace edit's text edits for `URI` to `text`.
fn apply(server: &Server, text: &str, edit: &Value) -> String {
    let edits = edit["changes"][URI].as_array().expect("edits for the draft");
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|edit| {
            let start = server.offset(text, &edit["range"]["start"]);
            let end = server.offset(text, &edit["range"]["end"]);
            (start, end, edit["newText"].as_str().expect("new text").to_owned())
        })
        .collect();
    spans.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = text.to_owned();
    for (start, end, new_text) in spans {
        out.replace_range(start..end, &new_text);
    }
    out
}

fn rename(server: &mut Server, needle: &str, new_name: &str) -> Value {
    let mut params = at(server, HARBOUR_DRAFT, needle, 1);
    params["newName"] = json!(new_name);
    server.request("textDocument/rename", params)
}

#[test]
fn prepare_rename_proposes_the_full_name_and_refuses_ambiguous_forms() {
    both_encodings(|server| {
        let prepared = server.result("textDocument/prepareRename", at(server, HARBOUR_DRAFT, "Fenwick said", 2));
        assert_eq!(prepared["placeholder"], "Laura Fenwick");
        assert_eq!(server.slice(HARBOUR_DRAFT, &prepared["range"]), "Fenwick");
        let refused = server.request("textDocument/prepareRename", at(server, HARBOUR_DRAFT, "Park is expected", 1));
        let message = refused["error"]["message"].as_str().expect("a refusal with a reason");
        assert!(message.contains("could mean") && message.contains("Park Min Ji"), "{message}");
        let plain = server.result("textDocument/prepareRename", at(server, HARBOUR_DRAFT, "quotas", 1));
        assert_eq!(plain, Value::Null);
    });
}

#[test]
fn rename_rewrites_full_forms_and_keeps_the_structure_of_the_name() {
    both_encodings(|server| {
        let edit = rename(server, "Fenwick said", "Laura J. Fenwick");
        let renamed = apply(server, HARBOUR_DRAFT, &edit["result"]);
        assert!(renamed.contains("Fisheries Minister Laura J. Fenwick, in Port Azure"), "{renamed}");
        assert!(renamed.contains("漁業 👍🏽 Fenwick said"), "the family-name reference stays: {renamed}");

        let edit = rename(server, "Fenwick said", "Laura Fenwick-Hale");
        let renamed = apply(server, HARBOUR_DRAFT, &edit["result"]);
        assert!(renamed.contains("Minister Laura Fenwick-Hale, in"), "{renamed}");
        assert!(renamed.contains("👍🏽 Fenwick-Hale said"), "{renamed}");

        // Family name first: "Park" stays "Park".
        let edit = rename(server, "Park Min Ji", "Park Min-ji");
        let renamed = apply(server, HARBOUR_DRAFT, &edit["result"]);
        assert!(renamed.contains("Trade Minister Park Min-ji met"), "{renamed}");
        assert!(renamed.contains("\nPark told reporters"), "{renamed}");
    });
}

#[test]
fn rename_refuses_a_family_name_another_person_has() {
    both_encodings(|server| {
        let refused = rename(server, "Fenwick said", "Laura Park");
        let message = refused["error"]["message"].as_str().expect("a refusal");
        assert!(message.contains("also the family name of Park"), "{message}");
    });
}

#[test]
fn completion_inserts_the_family_name_after_the_first_reference_and_the_full_name_before() {
    both_encodings(|server| {
        // Type " Fen" at the end of the draft: a later reference.
        let end = HARBOUR_DRAFT.len() - 1;
        let text = server.edit(URI, 2, HARBOUR_DRAFT, end, end, " Fen");
        let offset = end + " Fen".len();
        let list = server.result(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": server.position(&text, offset)}),
        );
        let items = list["items"].as_array().expect("items");
        let fenwick = items.iter().find(|item| item["label"] == "Laura Fenwick").expect("Laura Fenwick offered");
        assert_eq!(fenwick["textEdit"]["newText"], "Fenwick");
        assert_eq!(server.slice(&text, &fenwick["textEdit"]["range"]), "Fen");

        // Type "With Laura F" as a new first line of the body: a first reference.
        let line_four = text.find("🐟🎣").expect("line 4");
        let typed = "With Laura F\n";
        let text = server.edit(URI, 3, &text, line_four, line_four, typed);
        let offset = line_four + typed.len() - 1;
        let list = server.result(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": server.position(&text, offset)}),
        );
        let items = list["items"].as_array().expect("items");
        let fenwick = items.iter().find(|item| item["label"] == "Laura Fenwick").expect("Laura Fenwick offered");
        assert_eq!(fenwick["textEdit"]["newText"], "Laura Fenwick");
        assert_eq!(server.slice(&text, &fenwick["textEdit"]["range"]), "Laura F");

        // A lower-case prefix offers nothing.
        let quotas = text.find("quotas were").expect("quotas") + 3;
        let list = server.result(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": server.position(&text, quotas)}),
        );
        assert_eq!(list["items"], json!([]));
    });
}
