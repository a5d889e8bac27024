// Server discovery: the documented order, explicit choices that fail loudly,
// and a message with the fix when nothing is found.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { discoverServer, DiscoveryInputs, expandPath, isExecutableFile, searchPath, serverArguments } from "../src/discovery";

const extension = "/ext/copydesk-0.1.0";
const bundled = "/ext/copydesk-0.1.0/server/copydesk";

function inputs(overrides: Partial<DiscoveryInputs> & { executables?: string[] }): DiscoveryInputs {
  const executables = new Set(overrides.executables ?? []);
  return {
    settingPath: "",
    environment: { PATH: "/usr/local/bin:/usr/bin", HOME: "/home/writer" },
    extensionPath: extension,
    workspaceFolder: "/home/writer/stories",
    platform: "linux",
    isExecutable: (candidate) => executables.has(candidate),
    ...overrides,
  };
}

function found(result: ReturnType<typeof discoverServer>) {
  assert.ok(result.ok, `expected a server, got ${JSON.stringify(result)}`);
  return result.server;
}

test("the setting wins over everything else", () => {
  const result = discoverServer(
    inputs({
      settingPath: "/opt/copydesk/bin/copydesk",
      environment: { PATH: "/usr/bin", COPYDESK_SERVER_PATH: "/env/copydesk" },
      executables: ["/opt/copydesk/bin/copydesk", "/env/copydesk", bundled, "/usr/bin/copydesk"],
    }),
  );
  assert.deepEqual(found(result), { command: "/opt/copydesk/bin/copydesk", source: "setting" });
});

test("the environment variable comes second", () => {
  const result = discoverServer(
    inputs({
      environment: { PATH: "/usr/bin", COPYDESK_SERVER_PATH: "/env/copydesk" },
      executables: ["/env/copydesk", bundled, "/usr/bin/copydesk"],
    }),
  );
  assert.deepEqual(found(result), { command: "/env/copydesk", source: "environment" });
});

test("a bundled binary comes before PATH", () => {
  const result = discoverServer(inputs({ executables: [bundled, "/usr/bin/copydesk"] }));
  assert.deepEqual(found(result), { command: bundled, source: "bundled" });
});

test("the bundled binary is copydesk.exe on Windows", () => {
  const windowsBundled = path.join(extension, "server", "copydesk.exe");
  const result = discoverServer(inputs({ platform: "win32", executables: [windowsBundled] }));
  assert.deepEqual(found(result), { command: windowsBundled, source: "bundled" });
});

test("PATH is searched in order, last", () => {
  const result = discoverServer(inputs({ executables: ["/usr/bin/copydesk", "/usr/local/bin/copydesk"] }));
  assert.deepEqual(found(result), { command: "/usr/local/bin/copydesk", source: "path" });
});

test("a blank setting or variable is ignored", () => {
  const result = discoverServer(
    inputs({
      settingPath: "   ",
      environment: { PATH: "/usr/bin", COPYDESK_SERVER_PATH: "" },
      executables: ["/usr/bin/copydesk"],
    }),
  );
  assert.equal(found(result).source, "path");
});

test("a broken setting is an error, not a silent fallback", () => {
  const result = discoverServer(inputs({ settingPath: "/nowhere/copydesk", executables: ["/usr/bin/copydesk"] }));
  assert.ok(!result.ok);
  assert.match(result.failure.problem, /copydesk\.server\.path/);
  assert.match(result.failure.problem, /\/nowhere\/copydesk/);
  assert.match(result.failure.fix, /Correct or clear `copydesk\.server\.path`/);
});

test("a broken environment variable is an error naming the variable", () => {
  const result = discoverServer(
    inputs({ environment: { PATH: "/usr/bin", COPYDESK_SERVER_PATH: "/gone" }, executables: ["/usr/bin/copydesk"] }),
  );
  assert.ok(!result.ok);
  assert.match(result.failure.problem, /COPYDESK_SERVER_PATH/);
});

test("nothing found: the message lists what was tried and how to fix it", () => {
  const result = discoverServer(inputs({}));
  assert.ok(!result.ok);
  for (const tried of ["copydesk.server.path", "COPYDESK_SERVER_PATH", "bundled", "PATH"]) {
    assert.ok(result.failure.problem.includes(tried), `the problem does not mention ${tried}`);
  }
  assert.match(result.failure.fix, /cargo install --path server\/copydesk/);
  assert.match(result.failure.fix, /copydesk\.server\.path/);
});

test("a bare command name in the setting is looked up on PATH", () => {
  const result = discoverServer(inputs({ settingPath: "copydesk-nightly", executables: ["/usr/bin/copydesk-nightly"] }));
  assert.deepEqual(found(result), { command: "/usr/bin/copydesk-nightly", source: "setting" });
});

test("~ and workspace-relative paths in the setting are expanded", () => {
  assert.equal(expandPath("~/bin/copydesk", { HOME: "/home/writer" }), "/home/writer/bin/copydesk");
  assert.equal(expandPath("./tools/copydesk", {}, "/home/writer/stories"), "/home/writer/stories/tools/copydesk");
  const result = discoverServer(
    inputs({ settingPath: "tools/copydesk", executables: ["/home/writer/stories/tools/copydesk"] }),
  );
  assert.equal(found(result).command, "/home/writer/stories/tools/copydesk");
});

test("Windows PATH lookup tries .exe and uses ;", () => {
  const candidate = path.join("C:\\tools", "copydesk.exe");
  const hit = searchPath("copydesk", { Path: "C:\\tools;C:\\other" }, "win32", (file) => file === candidate);
  assert.equal(hit, candidate);
});

test("the real executable check needs a file with the exec bit", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "copydesk-discovery-"));
  try {
    const binary = path.join(folder, "copydesk");
    fs.writeFileSync(binary, "#!/bin/sh\n");
    fs.chmodSync(binary, 0o644);
    if (process.platform !== "win32") {
      assert.equal(isExecutableFile(binary), false);
    }
    fs.chmodSync(binary, 0o755);
    assert.equal(isExecutableFile(binary), true);
    assert.equal(isExecutableFile(folder), false, "a folder is not a server");
    assert.equal(isExecutableFile(path.join(folder, "missing")), false);
    const result = discoverServer({
      settingPath: "",
      environment: { PATH: folder },
      extensionPath: path.join(folder, "no-extension"),
      platform: process.platform,
    });
    assert.deepEqual(found(result), { command: binary, source: "path" });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test("the server is started with `lsp` and only string extra arguments", () => {
  assert.deepEqual(serverArguments(undefined), ["lsp"]);
  assert.deepEqual(serverArguments(["--log", 3, "debug"]), ["lsp", "--log", "debug"]);
});
