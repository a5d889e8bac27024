//! End-to-end tests of the rules' server side, against the real `copydesk lsp`
//! binary over stdio with `Content-Length` framing: the stylebook found at the
//! workspace root, a broken stylebook reported on the file with its line and
//! a `window/showMessage`, reloading it when it changes, severity overrides
//! from the editor's settings, quick fixes as code actions (including adding a
//! person to the stylebook), pull diagnostics when the client supports them,
//! and the diagnostic held back under a word being typed.

// `json!` values are built at the call site, so taking them by value keeps the tests short.
#![allow(clippy::needless_pass_by_value)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use serde_json::{Value, json};

mod features_support;

/// A guard against a hung server, never a synchronisation point: every wait
/// waits for a specific message.
const HANG_GUARD: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications and server requests seen so far, in order.
    seen: Vec<Value>,
}

/// A fresh workspace folder for one test.
fn workspace(name: &str) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("copydesk-rules-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("temp folder");
    folder
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

impl Client {
    fn start(root: &Path, pull: bool, options: Value) -> (Client, Value) {
        let (child, stdin, messages) = features_support::spawn_copydesk_lsp();
        let mut client = Client { child, stdin, messages, next_id: 0, seen: Vec::new() };
        let mut text_document =
            json!({"codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}}});
        if pull {
            text_document["diagnostic"] = json!({"dynamicRegistration": false});
        }
        let initialized = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": file_uri(root),
                "workspaceFolders": [{"uri": file_uri(root), "name": "desk"}],
                "capabilities": {
                    "general": {"positionEncodings": ["utf-16"]},
                    "textDocument": text_document,
                    "workspace": {
                        "didChangeWatchedFiles": {"dynamicRegistration": true},
                        "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create"]}
                    }
                },
                "initializationOptions": options
            }),
        );
        client.notify("initialized", json!({}));
        (client, initialized["result"]["capabilities"].clone())
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("serialisable");
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(&body);
        self.stdin.write_all(&framed).expect("server reads its input");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next_message(&mut self) -> Value {
        match self.messages.recv_timeout(HANG_GUARD) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("the server hung; seen so far: {:#?}", self.seen),
            Err(RecvTimeoutError::Disconnected) => panic!("the server exited"),
        }
    }

    /// Answers a request from the server (registrations, refreshes) with null.
    fn answer_server_request(&mut self, message: &Value) {
        if let (Some(id), Some(_)) = (message.get("id"), message.get("method")) {
            let reply = json!({"jsonrpc": "2.0", "id": id, "result": null});
            self.send(&reply);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.next_message();
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            self.answer_server_request(&message);
            self.seen.push(message);
        }
    }

    /// Waits for a message (already seen or new) that satisfies `predicate`,
    /// and removes it from the seen list.
    fn wait_for(&mut self, predicate: impl Fn(&Value) -> bool) -> Value {
        if let Some(index) = self.seen.iter().position(&predicate) {
            return self.seen.remove(index);
        }
        loop {
            let message = self.next_message();
            self.answer_server_request(&message);
            if predicate(&message) {
                return message;
            }
            self.seen.push(message);
        }
    }

    /// The next diagnostics published for `uri` whose codes satisfy `predicate`.
    fn diagnostics_for(&mut self, uri: &str, predicate: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let message = self.wait_for(|message| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
                && predicate(message["params"]["diagnostics"].as_array().map_or(&[], Vec::as_slice))
        });
        message["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}),
        );
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics.iter().map(|diagnostic| diagnostic["code"].as_str().unwrap_or("").to_owned()).collect()
}

fn has_code(diagnostics: &[Value], code: &str) -> bool {
    diagnostics.iter().any(|diagnostic| diagnostic["code"] == code)
}

/// Applies LSP text edits (single-line ASCII positions) to `text`.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let lines: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(index, _)| index + 1)).collect();
    let offset = |position: &Value| {
        lines[position["line"].as_u64().expect("line") as usize]
            + position["character"].as_u64().expect("character") as usize
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|edit| {
            (
                offset(&edit["range"]["start"]),
                offset(&edit["range"]["end"]),
                edit["newText"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    let mut out = text.to_owned();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, &new_text);
    }
    out
}

const DRAFT: &str = "Ferry fares rise\nHarbour Weekly\n[\"transport\"]\nFares will rise by a tenth from April,\" the committee said.\nThe board met on Friday.\n";

#[test]
fn stylebook_severity_quick_fix_and_editor_override() {
    let root = workspace("push");
    std::fs::write(root.join("copydesk.toml"), "[rules]\nunbalanced-quote = \"error\"\n").expect("stylebook written");
    let (mut client, capabilities) = Client::start(&root, false, json!({"debounceMs": 0}));
    assert!(capabilities["codeActionProvider"].is_object(), "{capabilities}");
    assert!(capabilities.get("diagnosticProvider").is_none_or(Value::is_null), "push client gets no pull capability");
    let uri = file_uri(&root.join("draft.txt"));
    client.open(&uri, DRAFT);
    let diagnostics = client.diagnostics_for(&uri, |diagnostics| has_code(diagnostics, "unbalanced-quote"));
    let quote = diagnostics.iter().find(|diagnostic| diagnostic["code"] == "unbalanced-quote").expect("flagged");
    assert_eq!(quote["severity"], 1, "the stylebook raises it to an error: {quote}");
    assert_eq!(quote["range"]["start"]["line"], 3);

    // The quick fix inserts the opening mark.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": quote["range"], "context": {"diagnostics": [quote]}}),
    );
    let actions = actions["result"].as_array().cloned().expect("actions");
    let insert = actions
        .iter()
        .find(|action| {
            action["title"].as_str().is_some_and(|title| title.starts_with("Insert the opening quotation mark"))
        })
        .unwrap_or_else(|| panic!("no insert fix in {actions:#?}"));
    assert_eq!(insert["kind"], "quickfix");
    assert_eq!(insert["isPreferred"], true);
    let edits = insert["edit"]["changes"][&uri].as_array().cloned().expect("edits on the draft");
    let fixed = apply_edits(DRAFT, &edits);
    assert!(fixed.contains("\n\"Fares will rise by a tenth from April,\" the committee said."), "{fixed}");
    assert!(actions.iter().any(|action| action["title"] == "Ignore unbalanced-quote in this file"));

    // The editor's settings override the stylebook.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {"rules": {"unbalanced-quote": "off"}}}}),
    );
    client.diagnostics_for(&uri, |diagnostics| !has_code(diagnostics, "unbalanced-quote"));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn broken_stylebook_is_reported_and_defaults_apply_until_fixed() {
    let root = workspace("broken");
    let stylebook = root.join("copydesk.toml");
    std::fs::write(&stylebook, "[rules]\nunbalanced-quote = \"loud\"\n").expect("stylebook written");
    let (mut client, _) = Client::start(&root, false, json!({"debounceMs": 0}));
    let stylebook_uri = file_uri(&stylebook);
    let on_file = client.diagnostics_for(&stylebook_uri, |diagnostics| !diagnostics.is_empty());
    assert_eq!(on_file[0]["range"]["start"], json!({"line": 1, "character": 19}), "{on_file:?}");
    assert_eq!(on_file[0]["severity"], 1);
    let shown = client.wait_for(|message| message["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 1);
    assert!(shown["params"]["message"].as_str().is_some_and(|message| message.contains("copydesk.toml")));

    // The server keeps working on the defaults: a warning, not an error.
    let uri = file_uri(&root.join("draft.txt"));
    client.open(&uri, DRAFT);
    let diagnostics = client.diagnostics_for(&uri, |diagnostics| has_code(diagnostics, "unbalanced-quote"));
    let quote = diagnostics.iter().find(|diagnostic| diagnostic["code"] == "unbalanced-quote").expect("flagged");
    assert_eq!(quote["severity"], 2);

    // Fixing the file on disk takes effect without a restart.
    std::fs::write(&stylebook, "[rules]\nunbalanced-quote = \"off\"\n").expect("stylebook fixed");
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": stylebook_uri, "type": 2}]}));
    client.diagnostics_for(&stylebook_uri, <[Value]>::is_empty);
    client.diagnostics_for(&uri, |diagnostics| !has_code(diagnostics, "unbalanced-quote"));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn pull_diagnostics_hold_back_the_word_being_typed() {
    let root = workspace("pull");
    let (mut client, capabilities) = Client::start(&root, true, json!({"debounceMs": 0}));
    assert_eq!(capabilities["diagnosticProvider"]["identifier"], "copydesk", "{capabilities}");
    let uri = file_uri(&root.join("draft.txt"));
    let text = "Port strike ends\nThe union met on Monday. The ";
    client.open(&uri, text);
    let pull = |client: &mut Client, previous: Option<&str>| {
        let mut params = json!({"textDocument": {"uri": uri}});
        if let Some(previous) = previous {
            params["previousResultId"] = json!(previous);
        }
        client.request("textDocument/diagnostic", params)["result"].clone()
    };
    let first = pull(&mut client, None);
    assert_eq!(first["kind"], "full");
    let result_id = first["resultId"].as_str().expect("result id").to_owned();
    assert_eq!(pull(&mut client, Some(&result_id))["kind"], "unchanged");

    // Typing an acronym: while the word is unfinished, its warning waits.
    let end = json!({"line": 1, "character": 29});
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": end, "end": end}, "text": "PWF"}]}),
    );
    let typing = pull(&mut client, None);
    assert!(!has_code(typing["items"].as_array().expect("items"), "unexpanded-acronym"), "{typing}");
    let after = json!({"line": 1, "character": 32});
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"range": {"start": after, "end": after}, "text": " voted."}]}),
    );
    let finished = pull(&mut client, None);
    let items = finished["items"].as_array().expect("items");
    assert!(has_code(items, "unexpanded-acronym"), "{:?}", codes(items));
    // No pushed diagnostics for a pulling client.
    assert!(
        !client
            .seen
            .iter()
            .any(|message| message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri),
        "a pull client got pushed diagnostics"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn add_a_person_to_the_stylebook() {
    let root = workspace("person");
    let (mut client, _) = Client::start(&root, false, json!({"debounceMs": 0}));
    let uri = file_uri(&root.join("draft.txt"));
    let text = "Council renews contract\nCoastline Daily\n[\"politics\"]\nHarbour Commissioner Ingrid Solberg backed the deal. Later, Harbour Director Ingrid Solberg said more.\n";
    client.open(&uri, text);
    let diagnostics = client.diagnostics_for(&uri, |diagnostics| has_code(diagnostics, "inconsistent-title"));
    let title = diagnostics.iter().find(|diagnostic| diagnostic["code"] == "inconsistent-title").expect("flagged");
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": title["range"], "context": {"diagnostics": [title]}}),
    );
    let actions = actions["result"].as_array().cloned().expect("actions");
    let add = actions
        .iter()
        .find(|action| {
            action["title"].as_str().is_some_and(|title| title.starts_with("Add Ingrid Solberg to the stylebook"))
        })
        .unwrap_or_else(|| panic!("no stylebook action in {actions:#?}"));
    let operations = add["edit"]["documentChanges"].as_array().expect("document changes");
    assert_eq!(operations[0]["kind"], "create");
    let inserted = operations[1]["edits"][0]["newText"].as_str().expect("text");
    let stylebook = copydesk_analysis::Config::from_toml_str(inserted).expect("the new stylebook parses");
    let person = stylebook.person_named("Ingrid Solberg").expect("person added");
    assert_eq!(person.titles.len(), 2, "{inserted}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn stylebook_path_setting_is_honoured() {
    let root = workspace("stylebook-path");
    // The root's copydesk.toml is not used while the setting names another file.
    std::fs::write(root.join("copydesk.toml"), "[rules]\nunbalanced-quote = \"off\"\n").expect("root stylebook");
    std::fs::create_dir_all(root.join("desk")).expect("desk folder");
    std::fs::write(root.join("desk/house.toml"), "[rules]\nunbalanced-quote = \"error\"\n").expect("house stylebook");
    let (mut client, _) =
        Client::start(&root, false, json!({"copydesk": {"debounceMs": 0, "stylebookPath": "desk/house.toml"}}));
    let uri = file_uri(&root.join("draft.txt"));
    client.open(&uri, DRAFT);
    let diagnostics = client.diagnostics_for(&uri, |diagnostics| has_code(diagnostics, "unbalanced-quote"));
    let quote = diagnostics.iter().find(|diagnostic| diagnostic["code"] == "unbalanced-quote").expect("flagged");
    assert_eq!(quote["severity"], 1, "the relative stylebookPath is read: {quote}");

    // An absolute path to a broken file: reported on the file and with a message; defaults apply.
    let elsewhere = workspace("stylebook-path-elsewhere");
    let broken = elsewhere.join("broken.toml");
    std::fs::write(&broken, "[rules]\nunbalanced-quote = \"loud\"\n").expect("broken stylebook");
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {"stylebookPath": broken.display().to_string()}}}),
    );
    let broken_uri = file_uri(&broken);
    let on_file = client.diagnostics_for(&broken_uri, |diagnostics| !diagnostics.is_empty());
    assert_eq!(on_file[0]["range"]["start"], json!({"line": 1, "character": 19}), "{on_file:?}");
    assert!(on_file[0]["message"].as_str().is_some_and(|message| message.starts_with("broken.toml:")), "{on_file:?}");
    let shown = client.wait_for(|message| message["method"] == "window/showMessage");
    assert!(shown["params"]["message"].as_str().is_some_and(|message| message.contains("broken.toml")), "{shown}");
    client.diagnostics_for(&uri, |diagnostics| {
        diagnostics.iter().any(|diagnostic| diagnostic["code"] == "unbalanced-quote" && diagnostic["severity"] == 2)
    });

    // A path to a file that does not exist: a clear message, the old file's diagnostic cleared, defaults.
    let missing = root.join("desk/missing.toml");
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {"stylebookPath": "desk/missing.toml"}}}),
    );
    let shown = client.wait_for(|message| {
        message["method"] == "window/showMessage"
            && message["params"]["message"].as_str().is_some_and(|text| text.contains("missing.toml"))
    });
    assert_eq!(shown["params"]["type"], 1);
    assert!(shown["params"]["message"].as_str().is_some_and(|text| text.contains("does not exist")), "{shown}");
    assert!(shown["params"]["message"].as_str().is_some_and(|text| text.contains(&missing.display().to_string())));
    client.diagnostics_for(&broken_uri, <[Value]>::is_empty);

    // Back to the default: copydesk.toml at the root, which turns the rule off.
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"copydesk": {"stylebookPath": null}}}));
    client.diagnostics_for(&uri, |diagnostics| !has_code(diagnostics, "unbalanced-quote"));
    let _ = std::fs::remove_dir_all(&root);
    let _ = std::fs::remove_dir_all(&elsewhere);
}
