// Settings mapping: what the server receives for given VS Code settings, and
// that package.json declares every setting the mapping reads.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { mapSettings, needsRestart, normaliseSeverity } from "../src/settings";

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));
const declared: Record<string, { default?: unknown; scope?: string; properties?: Record<string, unknown> }> =
  manifest.contributes.configuration.properties;

function reader(values: Record<string, unknown>) {
  return (key: string) => values[key];
}

test("defaults: no rule overrides, hints on, hold-back on, no stylebook override", () => {
  const { settings, problems } = mapSettings(reader({}));
  assert.deepEqual(settings, { rules: {}, inlayHints: true, holdBackWhileTyping: true, stylebookPath: null });
  assert.deepEqual(problems, []);
});

test("the defaults match the defaults declared in package.json", () => {
  const defaults = (key: string) => declared[`copydesk.${key}`]?.default;
  const { settings } = mapSettings(defaults);
  assert.equal(settings.inlayHints, declared["copydesk.inlayHints"].default);
  assert.equal(settings.holdBackWhileTyping, declared["copydesk.holdBackWhileTyping"].default);
  assert.deepEqual(settings.rules, {});
  assert.equal(settings.stylebookPath, null);
  // The server's default debounce (20 ms) is what the declared default says.
  assert.equal(settings.debounceMs, declared["copydesk.debounceMs"].default);
});

test("every setting the mapping reads is declared, and client-only ones are not sent", () => {
  const read: string[] = [];
  mapSettings((key) => {
    read.push(key);
    return undefined;
  });
  for (const key of read) {
    assert.ok(`copydesk.${key}` in declared, `copydesk.${key} is read but not declared in package.json`);
  }
  for (const key of Object.keys(declared)) {
    const short = key.replace(/^copydesk\./, "");
    const clientOnly = short.startsWith("server.") || short.startsWith("trace.");
    assert.equal(read.includes(short), !clientOnly, `${key}: ${clientOnly ? "client-only but sent" : "declared but never sent"}`);
  }
});

test("the server path is machine-overridable, as the issue requires", () => {
  assert.equal(declared["copydesk.server.path"].scope, "machine-overridable");
});

test("every rule of the rules issue has a declared severity setting", () => {
  const rules = Object.keys(declared["copydesk.rules"].properties ?? {});
  for (const code of ["unbalanced-quote", "unattributed-quote", "vague-source", "ambiguous-reference", "inconsistent-title"]) {
    assert.ok(rules.includes(code), `${code} has no severity setting`);
  }
});

test("rule severities are validated and aliases normalised", () => {
  const { settings, problems } = mapSettings(
    reader({ rules: { "vague-source": "Error", "attribution-verb": "off", "title-case": "warn", "repeated-full-name": "loud" } }),
  );
  assert.deepEqual(settings.rules, { "vague-source": "error", "attribution-verb": "off", "title-case": "warning" });
  assert.equal(problems.length, 1);
  assert.equal(problems[0].setting, "copydesk.rules.repeated-full-name");
  assert.match(problems[0].message, /off, hint, information, warning, error/);
});

test("a rules value that is not an object is reported, not sent", () => {
  const { settings, problems } = mapSettings(reader({ rules: ["vague-source"] }));
  assert.deepEqual(settings.rules, {});
  assert.equal(problems[0].setting, "copydesk.rules");
});

test("booleans are taken as given; a wrong type falls back to the default and is reported", () => {
  const off = mapSettings(reader({ inlayHints: false, holdBackWhileTyping: false }));
  assert.equal(off.settings.inlayHints, false);
  assert.equal(off.settings.holdBackWhileTyping, false);
  const wrong = mapSettings(reader({ inlayHints: "no" }));
  assert.equal(wrong.settings.inlayHints, true);
  assert.equal(wrong.problems[0].setting, "copydesk.inlayHints");
});

test("a relative stylebook path is resolved against the workspace folder", () => {
  const folder = path.resolve("/home/writer/stories");
  assert.equal(
    mapSettings(reader({ stylebookPath: "desk/copydesk.toml" }), folder).settings.stylebookPath,
    path.join(folder, "desk", "copydesk.toml"),
  );
  assert.equal(mapSettings(reader({ stylebookPath: "/etc/house.toml" }), folder).settings.stylebookPath, "/etc/house.toml");
  assert.equal(mapSettings(reader({ stylebookPath: "  " }), folder).settings.stylebookPath, null);
});

test("the debounce is sent only when set, as a bounded whole number", () => {
  assert.equal("debounceMs" in mapSettings(reader({})).settings, false);
  assert.equal(mapSettings(reader({ debounceMs: 0 })).settings.debounceMs, 0);
  assert.equal(mapSettings(reader({ debounceMs: 99_999 })).settings.debounceMs, 10_000);
  const wrong = mapSettings(reader({ debounceMs: -1 }));
  assert.equal("debounceMs" in wrong.settings, false);
  assert.equal(wrong.problems[0].setting, "copydesk.debounceMs");
});

test("the payload uses the server's flat key names", () => {
  const { settings } = mapSettings(reader({ rules: { "vague-source": "off" }, inlayHints: false, debounceMs: 5 }));
  assert.deepEqual(JSON.parse(JSON.stringify(settings)), {
    rules: { "vague-source": "off" },
    inlayHints: false,
    holdBackWhileTyping: true,
    stylebookPath: null,
    debounceMs: 5,
  });
});

test("severity spellings", () => {
  assert.equal(normaliseSeverity("Information"), "information");
  assert.equal(normaliseSeverity("info"), "information");
  assert.equal(normaliseSeverity("none"), "off");
  assert.equal(normaliseSeverity(2), undefined);
});

test("only server settings need a restart", () => {
  assert.equal(needsRestart((section) => section === "copydesk.server.path"), true);
  assert.equal(needsRestart((section) => section === "copydesk.rules"), false);
});
