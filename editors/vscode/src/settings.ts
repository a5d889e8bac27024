// Mapping VS Code's `copydesk.*` settings to what the server reads.
//
// The server asks for the `copydesk` section with `workspace/configuration` and
// also receives it as `initializationOptions`. VS Code hands us the raw
// settings; this module keeps only the server's keys, drops client-only ones
// (`server.*`, `trace.*`), validates severities (a typo must not silently turn a
// rule off), and resolves the stylebook path against the workspace folder so
// the server never has to guess what a relative path was relative to.
//
// This module does not import `vscode`, so node's test runner can exercise it.

import * as path from "node:path";

export const SEVERITIES = ["off", "hint", "information", "warning", "error"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Other spellings writers (and other linters' docs) use for the same levels. */
const SEVERITY_ALIASES: Readonly<Record<string, Severity>> = {
  info: "information",
  warn: "warning",
  none: "off",
  disabled: "off",
};

/**
 * The settings object the server receives, with the server's own key names
 * (the same names every editor uses; see docs/editors.md). The VS Code setting
 * `copydesk.<key>` becomes `<key>` here.
 */
export interface ServerSettings {
  rules: Record<string, Severity>;
  inlayHints: boolean;
  holdBackWhileTyping: boolean;
  stylebookPath: string | null;
  debounceMs?: number;
}

export interface SettingsProblem {
  readonly setting: string;
  readonly message: string;
}

export interface MappedSettings {
  readonly settings: ServerSettings;
  /** Values that were ignored, to show the writer once. */
  readonly problems: SettingsProblem[];
}

/** Reads one setting; mirrors `WorkspaceConfiguration.get` for the `copydesk` section. */
export type SettingReader = (key: string) => unknown;

export function normaliseSeverity(value: unknown): Severity | undefined {
  if (typeof value !== "string") {
    return undefined;
  }
  const lowered = value.trim().toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(lowered)) {
    return lowered as Severity;
  }
  return SEVERITY_ALIASES[lowered];
}

function booleanSetting(read: SettingReader, key: string, fallback: boolean, problems: SettingsProblem[]): boolean {
  const value = read(key);
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value === "boolean") {
    return value;
  }
  problems.push({ setting: `copydesk.${key}`, message: `expected true or false, got ${JSON.stringify(value)}` });
  return fallback;
}

export function mapSettings(read: SettingReader, workspaceFolder?: string): MappedSettings {
  const problems: SettingsProblem[] = [];

  const rules: Record<string, Severity> = {};
  const rawRules = read("rules");
  if (rawRules !== undefined && rawRules !== null) {
    if (typeof rawRules !== "object" || Array.isArray(rawRules)) {
      problems.push({ setting: "copydesk.rules", message: "expected an object of rule code to severity" });
    } else {
      for (const [code, value] of Object.entries(rawRules as Record<string, unknown>)) {
        const severity = normaliseSeverity(value);
        if (severity === undefined) {
          problems.push({
            setting: `copydesk.rules.${code}`,
            message: `unknown severity ${JSON.stringify(value)}; use one of ${SEVERITIES.join(", ")}`,
          });
        } else {
          rules[code] = severity;
        }
      }
    }
  }

  let stylebookPath: string | null = null;
  const rawStylebook = read("stylebookPath");
  if (typeof rawStylebook === "string" && rawStylebook.trim() !== "") {
    const trimmed = rawStylebook.trim();
    stylebookPath =
      path.isAbsolute(trimmed) || workspaceFolder === undefined ? trimmed : path.resolve(workspaceFolder, trimmed);
  } else if (rawStylebook !== undefined && rawStylebook !== null && rawStylebook !== "") {
    problems.push({ setting: "copydesk.stylebookPath", message: "expected a path" });
  }

  const settings: ServerSettings = {
    rules,
    inlayHints: booleanSetting(read, "inlayHints", true, problems),
    holdBackWhileTyping: booleanSetting(read, "holdBackWhileTyping", true, problems),
    stylebookPath,
  };
  // Only sent when set, so the server's own default applies otherwise.
  const rawDebounce = read("debounceMs");
  if (typeof rawDebounce === "number" && Number.isInteger(rawDebounce) && rawDebounce >= 0) {
    settings.debounceMs = Math.min(rawDebounce, 10_000);
  } else if (rawDebounce !== undefined && rawDebounce !== null) {
    problems.push({ setting: "copydesk.debounceMs", message: "expected a whole number of milliseconds" });
  }

  return { settings, problems };
}

/** Settings that need a server restart to take effect (the rest are sent live). */
export function needsRestart(changedKey: (section: string) => boolean): boolean {
  return changedKey("copydesk.server.path") || changedKey("copydesk.server.extraArgs");
}
