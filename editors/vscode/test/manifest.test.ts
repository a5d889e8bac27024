// The extension's manifest agrees with the server: the semantic token legend
// and the rule codes it offers settings for.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

const extensionRoot = path.join(__dirname, "..", "..");
const repository = path.join(extensionRoot, "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(extensionRoot, "package.json"), "utf8"));

/** The string constants of a `pub const NAME: [&str; N] = [...]` in a Rust file. */
function rustStringArray(file: string, name: string): string[] {
  const source = fs.readFileSync(file, "utf8");
  const match = new RegExp(`pub const ${name}: \\[&str; \\d+\\] = \\[([^\\]]*)\\]`).exec(source);
  assert.ok(match, `${name} not found in ${file}`);
  return [...match[1].matchAll(/"([^"]+)"/g)].map((item) => item[1]);
}

const semanticTokensSource = path.join(repository, "server", "analysis", "src", "ide", "semantic_tokens.rs");

test("every server token type has a contributed type and a theme scope", (context) => {
  if (!fs.existsSync(semanticTokensSource)) {
    context.skip(`${semanticTokensSource} is not in this checkout yet`);
    return;
  }
  const serverTypes = rustStringArray(semanticTokensSource, "TOKEN_TYPES");
  const contributed = manifest.contributes.semanticTokenTypes.map((type: { id: string }) => type.id);
  const scoped = Object.keys(manifest.contributes.semanticTokenScopes[0].scopes);
  const standard = new Set(["namespace", "type", "class", "enum", "interface", "struct", "typeParameter", "parameter",
    "variable", "property", "enumMember", "event", "function", "method", "macro", "keyword", "modifier", "comment",
    "string", "number", "regexp", "operator", "decorator"]);
  for (const type of serverTypes) {
    assert.ok(standard.has(type) || contributed.includes(type), `token type ${type} is not contributed`);
    assert.ok(scoped.includes(type), `token type ${type} has no theme scope`);
  }
  const serverModifiers = rustStringArray(semanticTokensSource, "TOKEN_MODIFIERS");
  const standardModifiers = new Set(["declaration", "definition", "readonly", "static", "deprecated", "abstract",
    "async", "modification", "documentation", "defaultLibrary"]);
  const contributedModifiers = manifest.contributes.semanticTokenModifiers.map((modifier: { id: string }) => modifier.id);
  for (const modifier of serverModifiers) {
    assert.ok(standardModifiers.has(modifier) || contributedModifiers.includes(modifier), `modifier ${modifier} is not contributed`);
  }
});

test("every documented rule has a severity setting", (context) => {
  const rulesFolder = path.join(repository, "docs", "rules");
  if (!fs.existsSync(rulesFolder)) {
    context.skip("docs/rules is not in this checkout");
    return;
  }
  const documented = fs.readdirSync(rulesFolder).filter((file) => file.endsWith(".md")).map((file) => file.slice(0, -3));
  assert.ok(documented.length > 0);
  const settings = Object.keys(manifest.contributes.configuration.properties["copydesk.rules"].properties);
  for (const code of documented) {
    assert.ok(settings.includes(code), `rule ${code} (docs/rules/${code}.md) has no copydesk.rules.${code} setting`);
  }
});

test("the stylebook validation points at the schema the build copies", () => {
  const validation = manifest.contributes.tomlValidation[0];
  assert.equal(validation.fileMatch, "copydesk.toml");
  assert.equal(validation.url, "./schemas/copydesk.schema.json");
  const build = fs.readFileSync(path.join(extensionRoot, "esbuild.mjs"), "utf8");
  assert.match(build, /docs", "copydesk\.schema\.json"/);
});

test("the settings the server reads are the settings the extension sends", (context) => {
  const settingsSource = path.join(repository, "server", "copydesk", "src", "lsp", "settings.rs");
  if (!fs.existsSync(settingsSource)) {
    context.skip(`${settingsSource} is not in this checkout`);
    return;
  }
  const read = [...fs.readFileSync(settingsSource, "utf8").matchAll(/section\.get\("([A-Za-z]+)"\)/g)].map((match) => match[1]);
  assert.ok(read.length > 0, "no settings found in the server's settings.rs");
  const declared = Object.keys(manifest.contributes.configuration.properties).map((key) => key.replace(/^copydesk\./, ""));
  for (const key of read) {
    assert.ok(declared.includes(key), `the server reads "${key}" but there is no copydesk.${key} setting`);
  }
  // Sent but not (yet) read by the server: none. Listed so a new gap fails.
  const notYetRead: string[] = [];
  const sent = declared.filter((key) => !key.startsWith("server.") && !key.startsWith("trace."));
  for (const key of sent) {
    assert.ok(read.includes(key) || notYetRead.includes(key), `copydesk.${key} is sent but the server never reads "${key}"`);
  }
});
