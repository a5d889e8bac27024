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
  assert.deepEqual(settings, {
    rules: {},
    inlayHints: { enabled: true },
    diagnostics: { holdBackAtCursor: true },
    stylebook: { path: null },
  });
  assert.deepEqual(problems, []);
});

test("the defaults match the defaults declared in package.json", () => {
  const defaults = (key: string) => declared[`copydesk.${key}`]?.default;
  const { settings } = mapSettings(defaults);
  assert.equal(settings.inlayHints.enabled, declared["copydesk.inlayHints.enabled"].default);
  assert.equal(settings.diagnostics.holdBackAtCursor, declared["copydesk.diagnostics.holdBackAtCursor"].default);
  assert.deepEqual(settings.rules, {});
  assert.equal(settings.stylebook.path, null);
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
  const off = mapSettings(reader({ "inlayHints.enabled": false, "diagnostics.holdBackAtCursor": false }));
  assert.equal(off.settings.inlayHints.enabled, false);
  assert.equal(off.settings.diagnostics.holdBackAtCursor, false);
  const wrong = mapSettings(reader({ "inlayHints.enabled": "no" }));
  assert.equal(wrong.settings.inlayHints.enabled, true);
  assert.equal(wrong.problems[0].setting, "copydesk.inlayHints.enabled");
});

test("a relative stylebook path is resolved against the workspace folder", () => {
  const folder = path.resolve("/home/writer/stories");
  assert.equal(
    mapSettings(reader({ "stylebook.path": "desk/copydesk.toml" }), folder).settings.stylebook.path,
    path.join(folder, "desk", "copydesk.toml"),
  );
  assert.equal(mapSettings(reader({ "stylebook.path": "/etc/house.toml" }), folder).settings.stylebook.path, "/etc/house.toml");
  assert.equal(mapSettings(reader({ "stylebook.path": "  " }), folder).settings.stylebook.path, null);
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
