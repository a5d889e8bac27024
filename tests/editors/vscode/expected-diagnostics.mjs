// What the Problems view must show: asks `copydesk lsp` directly (a minimal
// LSP client over stdio with Content-Length framing), opens the draft, and
// counts the diagnostics of the first publishDiagnostics for it by severity.
// Prints {"errors":N,"warnings":N,"information":N,"hints":N}.
//
// Usage: node expected-diagnostics.mjs SERVER DRAFT LANGUAGE_ID
// The VS Code test then checks that VS Code shows exactly these numbers, so
// the count never has to be hard-coded while the rules keep improving.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [serverPath, draftPath, languageId] = process.argv.slice(2);
if (languageId === undefined) {
  throw new Error("usage: node expected-diagnostics.mjs SERVER DRAFT LANGUAGE_ID");
}
const uri = pathToFileURL(draftPath).href;
const server = spawn(serverPath, ["lsp"], { stdio: ["pipe", "pipe", "inherit"] });
const timer = setTimeout(() => {
  console.error("no diagnostics from the server within 30 s");
  server.kill();
  process.exit(1);
}, 30000);

let nextId = 1;
const pending = new Map();
function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
  server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  server.stdin.write(body);
}
function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

let buffer = Buffer.alloc(0);
server.stdout.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString("ascii"))?.[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8"));
    buffer = buffer.subarray(headerEnd + 4 + length);
    handle(message);
  }
});

function handle(message) {
  if (message.id !== undefined && message.method === undefined) {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(message.error.message));
    else waiter?.resolve(message.result);
  } else if (message.id !== undefined) {
    // A request from the server (workspace/configuration, registrations...):
    // answer as a client with default settings would.
    const result = message.method === "workspace/configuration" ? message.params.items.map(() => ({})) : null;
    send({ id: message.id, result });
  } else if (message.method === "textDocument/publishDiagnostics" && message.params.uri === uri) {
    const counts = { errors: 0, warnings: 0, information: 0, hints: 0 };
    const keys = { 1: "errors", 2: "warnings", 3: "information", 4: "hints" };
    for (const diagnostic of message.params.diagnostics) {
      counts[keys[diagnostic.severity ?? 1]] += 1;
    }
    console.log(JSON.stringify(counts));
    clearTimeout(timer);
    request("shutdown", null).then(() => {
      send({ method: "exit" });
      server.stdin.end();
    });
  }
}

await request("initialize", {
  processId: process.pid,
  rootUri: null,
  capabilities: {
    textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
    workspace: { configuration: true },
  },
});
send({ method: "initialized", params: {} });
send({
  method: "textDocument/didOpen",
  params: { textDocument: { uri, languageId, version: 1, text: readFileSync(draftPath, "utf8") } },
});
