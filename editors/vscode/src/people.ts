// People (and counts) from the server's document outline.
//
// The server's `textDocument/documentSymbol` answer groups the draft's entities
// under "People", "Organisations", "Places" and "Quotes" (docs/editors.md). The
// commands "Show People in This Draft" and "Export People File" and the status
// bar read that standard answer rather than a private request, so any LSP
// client sees the same thing.
//
// This module does not import `vscode`, so node's test runner can exercise it.

export interface PlainPosition {
  line: number;
  character: number;
}

export interface PlainRange {
  start: PlainPosition;
  end: PlainPosition;
}

/** The parts of DocumentSymbol and SymbolInformation this module reads. */
export interface OutlineSymbol {
  name: string;
  detail?: string;
  containerName?: string;
  range?: PlainRange;
  selectionRange?: PlainRange;
  location?: { range: PlainRange };
  children?: OutlineSymbol[];
}

export interface Person {
  name: string;
  detail: string;
  /** Where the person is introduced (the first reference). */
  range: PlainRange | undefined;
}

export const GROUPS = {
  people: ["People", "Persons"],
  organisations: ["Organisations", "Organizations"],
  places: ["Places"],
  quotes: ["Quotes"],
} as const;

function membersOf(symbols: readonly OutlineSymbol[], groupNames: readonly string[]): OutlineSymbol[] {
  const members: OutlineSymbol[] = [];
  for (const symbol of symbols) {
    if (groupNames.includes(symbol.name) && symbol.children !== undefined) {
      members.push(...symbol.children);
    } else if (symbol.containerName !== undefined && groupNames.includes(symbol.containerName)) {
      members.push(symbol);
    }
  }
  return members;
}

export function peopleFromOutline(symbols: readonly OutlineSymbol[] | null | undefined): Person[] {
  return membersOf(symbols ?? [], GROUPS.people).map((symbol) => ({
    name: symbol.name,
    detail: symbol.detail ?? "",
    range: symbol.selectionRange ?? symbol.range ?? symbol.location?.range,
  }));
}

export interface OutlineCounts {
  people: number;
  organisations: number;
  places: number;
  quotes: number;
}

/** Counts per group; quotes are grouped by speaker, so count the leaves. */
export function countOutline(symbols: readonly OutlineSymbol[] | null | undefined): OutlineCounts {
  const all = symbols ?? [];
  const leaves = (nodes: OutlineSymbol[]): number =>
    nodes.reduce((total, node) => total + (node.children && node.children.length > 0 ? leaves(node.children) : 1), 0);
  return {
    people: membersOf(all, GROUPS.people).length,
    organisations: membersOf(all, GROUPS.organisations).length,
    places: membersOf(all, GROUPS.places).length,
    quotes: leaves(membersOf(all, GROUPS.quotes)),
  };
}

export function statusText(counts: OutlineCounts): string {
  const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;
  return `${plural(counts.people, "person", "people")} · ${plural(counts.quotes, "quote", "quotes")}`;
}

/** A TOML basic string. */
export function tomlString(value: string): string {
  let escaped = "";
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    if (character === '"' || character === "\\") {
      escaped += "\\" + character;
    } else if (character === "\n") {
      escaped += "\\n";
    } else if (character === "\t") {
      escaped += "\\t";
    } else if (code < 0x20 || code === 0x7f) {
      escaped += "\\u" + code.toString(16).padStart(4, "0").toUpperCase();
    } else {
      escaped += character;
    }
  }
  return `"${escaped}"`;
}

/**
 * The title in an outline entry's detail. The server writes the detail as
 * "<first title> · <N> mentions", or just "<N> mentions" for an untitled person.
 */
export function titleFromDetail(detail: string): string | undefined {
  const parts = detail.split(" · ").map((part) => part.trim());
  if (parts.length < 2) {
    return undefined;
  }
  const title = parts.slice(0, -1).join(" · ");
  return title === "" ? undefined : title;
}

/**
 * The people of a draft as `[[people]]` tables of a `copydesk.toml` stylebook
 * (docs/stylebook.md), so a desk can start its stylebook from a finished
 * story. A title goes in without dates, which the draft does not give: the
 * comment asks the editor to add them.
 */
export function exportPeopleToml(people: readonly Person[], draftName: string): string {
  const lines = [
    `# People in ${draftName}, exported by Copydesk.`,
    "# Paste into copydesk.toml; add `from` / `until` dates to the titles.",
    "",
  ];
  const seen = new Set<string>();
  for (const person of people) {
    if (seen.has(person.name)) {
      continue;
    }
    seen.add(person.name);
    lines.push("[[people]]");
    lines.push(`name = ${tomlString(person.name)}`);
    const title = titleFromDetail(person.detail);
    if (title !== undefined) {
      lines.push(`titles = [{ title = ${tomlString(title)} }]`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
