// Finding the `copydesk` server binary.
//
// The order is the one documented in docs/editors.md: the `copydesk.server.path`
// setting, then the COPYDESK_SERVER_PATH environment variable, then a binary
// bundled inside the extension, then `copydesk` on PATH. An explicit choice (the
// setting or the variable) that does not work is an error of its own: silently
// falling back to another copydesk would test or run a binary the writer did
// not ask for.
//
// This module does not import `vscode`, so node's test runner can exercise it.

import * as fs from "node:fs";
import * as path from "node:path";

/** Where a server binary was found. */
export type ServerSource = "setting" | "environment" | "bundled" | "path";

export interface FoundServer {
  readonly command: string;
  readonly source: ServerSource;
}

export interface DiscoveryFailure {
  /** One sentence saying what went wrong. */
  readonly problem: string;
  /** What the writer can do about it. */
  readonly fix: string;
}

export type DiscoveryResult = { ok: true; server: FoundServer } | { ok: false; failure: DiscoveryFailure };

/** Everything discovery looks at, passed in so tests can stub it. */
export interface DiscoveryInputs {
  /** The `copydesk.server.path` setting (may be empty). */
  readonly settingPath: string | undefined;
  /** The process environment (COPYDESK_SERVER_PATH and PATH are read). */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** The extension's install folder, where a bundled binary would live. */
  readonly extensionPath: string;
  /** The first workspace folder, to resolve a relative setting against. */
  readonly workspaceFolder?: string;
  readonly platform: NodeJS.Platform;
  /** Whether a path is an executable file; defaults to a real file-system check. */
  readonly isExecutable?: (candidate: string) => boolean;
}

export const BUNDLED_SERVER_FOLDER = "server";

export function executableName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "copydesk.exe" : "copydesk";
}

/** A real check: the path is a file and (outside Windows) executable by us. */
export function isExecutableFile(candidate: string): boolean {
  try {
    const stat = fs.statSync(candidate);
    if (!stat.isFile()) {
      return false;
    }
    if (process.platform === "win32") {
      return true;
    }
    fs.accessSync(candidate, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Expands a leading `~` and resolves a relative path against the workspace. */
export function expandPath(value: string, environment: DiscoveryInputs["environment"], workspaceFolder?: string): string {
  let expanded = value.trim();
  const home = environment.HOME ?? environment.USERPROFILE;
  if (home !== undefined && (expanded === "~" || expanded.startsWith("~/") || expanded.startsWith("~\\"))) {
    expanded = path.join(home, expanded.slice(1));
  }
  if (!path.isAbsolute(expanded) && workspaceFolder !== undefined && /[\\/]/.test(expanded)) {
    expanded = path.resolve(workspaceFolder, expanded);
  }
  return expanded;
}

/** Looks a bare command name up on PATH, as a shell would. */
export function searchPath(
  name: string,
  environment: DiscoveryInputs["environment"],
  platform: NodeJS.Platform,
  isExecutable: (candidate: string) => boolean,
): string | undefined {
  const pathVariable = environment.PATH ?? environment.Path ?? "";
  const separator = platform === "win32" ? ";" : ":";
  const extensions = platform === "win32" && !/\.[^\\/]+$/.test(name) ? [".exe", ".cmd", ""] : [""];
  for (const folder of pathVariable.split(separator)) {
    if (folder === "") {
      continue;
    }
    for (const extension of extensions) {
      const candidate = path.join(folder, name + extension);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

const INSTALL_FIX =
  "Install the server with `cargo install --path server/copydesk` from the Copydesk repository " +
  "(or put a `copydesk` binary on your PATH), or set `copydesk.server.path` to the binary, then run " +
  "'Copydesk: Restart Server'.";

/** Resolves an explicitly configured command: a path, or a bare name looked up on PATH. */
function resolveExplicit(
  value: string,
  inputs: DiscoveryInputs,
  isExecutable: (candidate: string) => boolean,
): string | undefined {
  const expanded = expandPath(value, inputs.environment, inputs.workspaceFolder);
  if (/[\\/]/.test(expanded) || path.isAbsolute(expanded)) {
    return isExecutable(expanded) ? expanded : undefined;
  }
  return searchPath(expanded, inputs.environment, inputs.platform, isExecutable);
}

export function discoverServer(inputs: DiscoveryInputs): DiscoveryResult {
  const isExecutable = inputs.isExecutable ?? isExecutableFile;

  const setting = inputs.settingPath?.trim() ?? "";
  if (setting !== "") {
    const command = resolveExplicit(setting, inputs, isExecutable);
    if (command === undefined) {
      return {
        ok: false,
        failure: {
          problem: `The setting copydesk.server.path is "${setting}", which is not an executable file.`,
          fix: "Correct or clear `copydesk.server.path` (clearing it lets Copydesk look elsewhere); Copydesk restarts by itself when the setting changes.",
        },
      };
    }
    return { ok: true, server: { command, source: "setting" } };
  }

  const variable = inputs.environment.COPYDESK_SERVER_PATH?.trim() ?? "";
  if (variable !== "") {
    const command = resolveExplicit(variable, inputs, isExecutable);
    if (command === undefined) {
      return {
        ok: false,
        failure: {
          problem: `The environment variable COPYDESK_SERVER_PATH is "${variable}", which is not an executable file.`,
          fix: "Point COPYDESK_SERVER_PATH at the copydesk binary or unset it, restart VS Code, or set `copydesk.server.path` (it takes precedence).",
        },
      };
    }
    return { ok: true, server: { command, source: "environment" } };
  }

  const bundled = path.join(inputs.extensionPath, BUNDLED_SERVER_FOLDER, executableName(inputs.platform));
  if (isExecutable(bundled)) {
    return { ok: true, server: { command: bundled, source: "bundled" } };
  }

  const onPath = searchPath("copydesk", inputs.environment, inputs.platform, isExecutable);
  if (onPath !== undefined) {
    return { ok: true, server: { command: onPath, source: "path" } };
  }

  return {
    ok: false,
    failure: {
      problem:
        "Copydesk could not find its language server: copydesk.server.path is empty, COPYDESK_SERVER_PATH is not set, " +
        "this extension has no bundled server, and there is no `copydesk` on PATH.",
      fix: INSTALL_FIX,
    },
  };
}

/** The arguments that start the server over stdio. */
export function serverArguments(extraArgs: readonly unknown[] | undefined): string[] {
  const extra = (extraArgs ?? []).filter((argument): argument is string => typeof argument === "string");
  return ["lsp", ...extra];
}
