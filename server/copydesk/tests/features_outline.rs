//! End to end over real LSP framing: the document outline, workspace symbols
//! across open drafts, the headline code lens, and inlay hints (with the
//! setting that switches them off), in UTF-8 and UTF-16.

mod features_support;

use features_support::{Encoding, HARBOUR_DRAFT, Server};
use serde_json::{Value, json};

const URI: &str = "file:///drafts/harbour.txt";
const OTHER_URI: &str = "file:///drafts/other.md";
const OTHER_DRAFT: &str = "# Council delays vote\n\nMayor Ingrid Solheim said the council would vote in May.\n";

fn both_encodings(test: impl Fn(&mut Server)) {
    for encoding in [Encoding::Utf8, Encoding::Utf16] {
        let mut server = Server::start(encoding);
        server.open(URI, HARBOUR_DRAFT);
        test(&mut server);
    }
}

fn document(uri: &str) -> Value {
    json!({"textDocument": {"uri": uri}})
}

#[test]
fn outline_groups_people_organisations_and_places_with_ranges_on_the_names() {
    both_encodings(|server| {
        let outline = server.result("textDocument/documentSymbol", document(URI));
        let groups = outline.as_array().expect("symbols");
        let names: Vec<&str> = groups.iter().map(|group| group["name"].as_str().unwrap_or("")).collect();
        assert_eq!(names.first(), Some(&"People"), "{names:?}");
        let people = &groups[0];
        let fenwick = people["children"]
            .as_array()
            .expect("people")
            .iter()
            .find(|person| person["name"] == "Laura Fenwick")
            .expect("Laura Fenwick in the outline");
        assert_eq!(server.slice(HARBOUR_DRAFT, &fenwick["selectionRange"]), "Laura Fenwick");
        assert!(fenwick["detail"].as_str().unwrap_or("").starts_with("Fisheries Minister · "), "{fenwick}");
        // Every child lies inside its group.
        for group in groups {
            let group_start = server.offset(HARBOUR_DRAFT, &group["range"]["start"]);
            let group_end = server.offset(HARBOUR_DRAFT, &group["range"]["end"]);
            for child in group["children"].as_array().expect("children") {
                let start = server.offset(HARBOUR_DRAFT, &child["range"]["start"]);
                let end = server.offset(HARBOUR_DRAFT, &child["range"]["end"]);
                assert!(group_start <= start && end <= group_end, "{child} outside {}", group["name"]);
            }
        }
    });
}

#[test]
fn workspace_symbols_search_every_open_draft() {
    both_encodings(|server| {
        server.open(OTHER_URI, OTHER_DRAFT);
        let found = server.result("workspace/symbol", json!({"query": "solh"}));
        let found = found.as_array().expect("symbols");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0]["name"], "Ingrid Solheim");
        assert_eq!(found[0]["location"]["uri"], OTHER_URI);
        assert_eq!(server.slice(OTHER_DRAFT, &found[0]["location"]["range"]), "Ingrid Solheim");
        let fisheries = server.result("workspace/symbol", json!({"query": "fisheries min"}));
        assert_eq!(fisheries[0]["name"], "Laura Fenwick");
        assert_eq!(fisheries[0]["location"]["uri"], URI);
    });
}

#[test]
fn code_lens_summarises_the_draft_on_the_headline() {
    both_encodings(|server| {
        let lenses = server.result("textDocument/codeLens", document(URI));
        let lens = &lenses[0];
        assert_eq!(lens["range"]["start"], json!({"line": 0, "character": 0}));
        let title = lens["command"]["title"].as_str().expect("a title");
        let outline = server.result("textDocument/documentSymbol", document(URI));
        let people = outline[0]["children"].as_array().map_or(0, Vec::len);
        let expected_start = format!("{people} {} · ", if people == 1 { "person" } else { "people" });
        assert!(title.starts_with(&expected_start), "{title} should start with {expected_start}");
        assert!(title.ends_with(" unattributed)"), "{title}");
        assert!(title.contains(" sources · ") || title.contains(" source · "), "{title}");
    });
}

#[test]
fn inlay_hints_name_the_person_after_a_family_name_and_can_be_switched_off() {
    both_encodings(|server| {
        let whole = json!({
            "textDocument": {"uri": URI},
            "range": {"start": {"line": 0, "character": 0}, "end": server.position(HARBOUR_DRAFT, HARBOUR_DRAFT.len())}
        });
        let hints = server.result("textDocument/inlayHint", whole.clone());
        let hints = hints.as_array().expect("hints");
        let after_fenwick = HARBOUR_DRAFT.find("Fenwick said").expect("Fenwick said") + "Fenwick".len();
        let fenwick = hints
            .iter()
            .find(|hint| hint["position"] == server.position(HARBOUR_DRAFT, after_fenwick))
            .unwrap_or_else(|| panic!("a hint after Fenwick in {hints:?}"));
        assert_eq!(fenwick["label"], "\u{27e8}Laura Fenwick\u{27e9}");
        let after_park = HARBOUR_DRAFT.find("Park is expected").expect("Park is") + "Park".len();
        let park = hints
            .iter()
            .find(|hint| hint["position"] == server.position(HARBOUR_DRAFT, after_park))
            .unwrap_or_else(|| panic!("a hint after the ambiguous Park in {hints:?}"));
        assert!(park["label"].as_str().unwrap_or("").starts_with("\u{27e8}ambiguous: "), "{park}");

        server.notify("workspace/didChangeConfiguration", json!({"settings": {"copydesk": {"inlayHints": false}}}));
        assert_eq!(server.result("textDocument/inlayHint", whole.clone()), Value::Null);
        server.notify("workspace/didChangeConfiguration", json!({"settings": {"copydesk": {"inlayHints": true}}}));
        assert!(!server.result("textDocument/inlayHint", whole).as_array().expect("hints").is_empty());
    });
}
