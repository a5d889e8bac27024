// The Copydesk extension: starts `copydesk lsp` for Markdown and plain-text
// drafts and adds the commands and status bar item a writer uses.
//
// Everything language-aware (hovers, warnings, rename, hints, semantic tokens)
// comes from the server through vscode-languageclient; this file only finds the
// server, passes it the settings, and presents the outline as people and counts.

import * as path from "node:path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  DocumentSymbolRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from "vscode-languageclient/node";
import { discoverServer, FoundServer, serverArguments } from "./discovery";
import { countOutline, exportPeopleToml, OutlineSymbol, peopleFromOutline, statusText } from "./people";
import { mapSettings, MappedSettings, needsRestart } from "./settings";

const DOCUMENT_SELECTOR = [
  { scheme: "file", language: "markdown" },
  { scheme: "file", language: "plaintext" },
  { scheme: "untitled", language: "markdown" },
  { scheme: "untitled", language: "plaintext" },
];

let client: LanguageClient | undefined;
let server: FoundServer | undefined;
let output: vscode.OutputChannel;
let statusItem: vscode.StatusBarItem;
let countsTimer: NodeJS.Timeout | undefined;
let reportedSettingsProblems = "";

function isDraft(document: vscode.TextDocument | undefined): document is vscode.TextDocument {
  return document !== undefined && (document.languageId === "markdown" || document.languageId === "plaintext");
}

function currentSettings(): MappedSettings {
  const configuration = vscode.workspace.getConfiguration("copydesk");
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const mapped = mapSettings((key) => configuration.get(key), folder);
  const problems = mapped.problems.map((problem) => `${problem.setting}: ${problem.message}`).join("; ");
  if (problems !== "" && problems !== reportedSettingsProblems) {
    void vscode.window.showWarningMessage(`Copydesk ignored some settings: ${problems}`);
  }
  reportedSettingsProblems = problems;
  return mapped;
}

function setStatus(text: string, tooltip: string, problem = false): void {
  statusItem.text = text;
  statusItem.tooltip = tooltip;
  statusItem.backgroundColor = problem ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
  statusItem.show();
}

async function outlineOf(document: vscode.TextDocument): Promise<OutlineSymbol[]> {
  if (client === undefined || client.state !== State.Running) {
    throw new Error("the Copydesk server is not running");
  }
  const result = await client.sendRequest(DocumentSymbolRequest.type, {
    textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri) },
  });
  return (result ?? []) as OutlineSymbol[];
}

/** Refreshes the people/quotes count for the active draft, at most every 400 ms. */
function scheduleCounts(): void {
  if (countsTimer !== undefined) {
    clearTimeout(countsTimer);
  }
  countsTimer = setTimeout(() => {
    countsTimer = undefined;
    void refreshCounts();
  }, 400);
}

async function refreshCounts(): Promise<void> {
  if (client === undefined || client.state !== State.Running) {
    return;
  }
  const source = server === undefined ? "" : `\nServer: ${server.command} (found via ${server.source})`;
  const document = vscode.window.activeTextEditor?.document;
  if (!isDraft(document)) {
    setStatus("$(book) Copydesk", `Copydesk is running.${source}`);
    return;
  }
  try {
    const counts = countOutline(await outlineOf(document));
    setStatus(
      `$(book) ${statusText(counts)}`,
      `Copydesk: ${counts.people} people, ${counts.organisations} organisations, ${counts.places} places, ` +
        `${counts.quotes} quotes in this draft. Click to list the people.${source}`,
    );
  } catch (error) {
    output.appendLine(`Could not count the outline: ${String(error)}`);
    setStatus("$(book) Copydesk", `Copydesk is running.${source}`);
  }
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const configuration = vscode.workspace.getConfiguration("copydesk");
  const discovery = discoverServer({
    settingPath: configuration.get<string>("server.path"),
    environment: process.env,
    extensionPath: context.extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    platform: process.platform,
  });
  if (!discovery.ok) {
    server = undefined;
    const { problem, fix } = discovery.failure;
    output.appendLine(`${problem}\n${fix}`);
    setStatus("$(error) Copydesk: no server", `${problem}\n${fix}`, true);
    // Not awaited: activation must finish while the message waits for the writer.
    void vscode.window.showErrorMessage(`${problem} ${fix}`, "Open Settings", "Show Output").then((choice) => {
      if (choice === "Open Settings") {
        void vscode.commands.executeCommand("workbench.action.openSettings", "copydesk.server.path");
      } else if (choice === "Show Output") {
        output.show();
      }
    });
    return;
  }
  server = discovery.server;
  output.appendLine(`Starting ${server.command} (found via ${server.source}).`);

  const args = serverArguments(configuration.get<unknown[]>("server.extraArgs"));
  const serverOptions: ServerOptions = {
    run: { command: server.command, args },
    debug: { command: server.command, args },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    initializationOptions: currentSettings().settings,
    synchronize: {
      // Edits to the stylebook take effect without a restart.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/copydesk.toml"),
    },
    middleware: {
      workspace: {
        // Answer `workspace/configuration` for our section with the mapped
        // settings (validated, paths resolved) instead of the raw ones.
        configuration: async (params, token, next) => {
          const raw = await next(params, token);
          if (!Array.isArray(raw)) {
            return raw;
          }
          return params.items.map((item, index) =>
            item.section === "copydesk" || item.section === undefined ? currentSettings().settings : raw[index],
          );
        },
      },
    },
  };

  const languageClient = new LanguageClient("copydesk", "Copydesk", serverOptions, clientOptions);
  client = languageClient;
  languageClient.onDidChangeState((event) => {
    if (event.newState === State.Starting) {
      setStatus("$(sync~spin) Copydesk", "The Copydesk server is starting.");
    } else if (event.newState === State.Running) {
      scheduleCounts();
    } else {
      setStatus("$(circle-slash) Copydesk: stopped", "The Copydesk server stopped. Run 'Copydesk: Restart Server'.", true);
    }
  });
  setStatus("$(sync~spin) Copydesk", "The Copydesk server is starting.");
  try {
    await languageClient.start();
  } catch (error) {
    const message = `The Copydesk server (${server.command}) failed to start: ${String(error)}`;
    output.appendLine(message);
    setStatus("$(error) Copydesk", message, true);
    void vscode.window.showErrorMessage(message, "Show Output").then((choice) => {
      if (choice === "Show Output") {
        output.show();
      }
    });
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined) {
    try {
      await running.stop(5000);
    } catch (error) {
      output.appendLine(`Stopping the server: ${String(error)}`);
    }
    await running.dispose();
  }
}

async function showPeople(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || !isDraft(editor.document)) {
    void vscode.window.showInformationMessage("Open a Markdown or plain-text draft first.");
    return;
  }
  const people = peopleFromOutline(await outlineOf(editor.document));
  if (people.length === 0) {
    void vscode.window.showInformationMessage("Copydesk found no people in this draft.");
    return;
  }
  const picked = await vscode.window.showQuickPick(
    people.map((person) => ({
      label: person.name,
      description: person.detail,
      detail: person.range === undefined ? undefined : `first reference on line ${person.range.start.line + 1}`,
      person,
    })),
    { title: "People in this draft", placeHolder: "Go to a person's first reference" },
  );
  if (picked?.person.range !== undefined) {
    const { start, end } = picked.person.range;
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

async function exportPeople(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || !isDraft(editor.document)) {
    void vscode.window.showInformationMessage("Open a Markdown or plain-text draft first.");
    return;
  }
  const document = editor.document;
  const people = peopleFromOutline(await outlineOf(document));
  const draftName = path.basename(document.uri.path) || "draft";
  const suggested =
    document.uri.scheme === "file"
      ? vscode.Uri.file(path.join(path.dirname(document.uri.fsPath), `${draftName.replace(/\.[^.]*$/, "")}.people.toml`))
      : undefined;
  const target = await vscode.window.showSaveDialog({
    defaultUri: suggested,
    filters: { TOML: ["toml"] },
    title: "Export the people in this draft",
  });
  if (target === undefined) {
    return;
  }
  await vscode.workspace.fs.writeFile(target, Buffer.from(exportPeopleToml(people, draftName), "utf8"));
  await vscode.window.showTextDocument(target);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("Copydesk");
  statusItem = vscode.window.createStatusBarItem("copydesk.status", vscode.StatusBarAlignment.Right, 100);
  statusItem.name = "Copydesk";
  statusItem.command = "copydesk.showPeople";
  context.subscriptions.push(output, statusItem);

  const run = (action: () => Promise<void>) => async () => {
    try {
      await action();
    } catch (error) {
      void vscode.window.showErrorMessage(`Copydesk: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(
      "copydesk.restartServer",
      run(async () => {
        await stopClient();
        await startClient(context);
      }),
    ),
    vscode.commands.registerCommand("copydesk.showPeople", run(showPeople)),
    vscode.commands.registerCommand("copydesk.exportPeople", run(exportPeople)),
    vscode.commands.registerCommand("copydesk.showOutput", () => output.show()),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration("copydesk")) {
        return;
      }
      if (needsRestart((section) => event.affectsConfiguration(section))) {
        await stopClient();
        await startClient(context);
      } else if (client?.state === State.Running) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { copydesk: currentSettings().settings },
        });
      }
    }),
    vscode.window.onDidChangeActiveTextEditor(() => scheduleCounts()),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === vscode.window.activeTextEditor?.document) {
        scheduleCounts();
      }
    }),
  );

  await startClient(context);
}

export async function deactivate(): Promise<void> {
  if (countsTimer !== undefined) {
    clearTimeout(countsTimer);
  }
  await stopClient();
}
