// People and counts from the outline, and the exported TOML.
import assert from "node:assert/strict";
import { test } from "node:test";
import { countOutline, exportPeopleToml, OutlineSymbol, peopleFromOutline, statusText, titleFromDetail, tomlString } from "../src/people";

const range = (line: number, start: number, end: number) => ({
  start: { line, character: start },
  end: { line, character: end },
});

const outline: OutlineSymbol[] = [
  {
    name: "People",
    range: range(2, 0, 40),
    children: [
      { name: "Marta Okonkwo", detail: "Finance Minister · 4 mentions", range: range(2, 17, 30), selectionRange: range(2, 17, 30) },
      { name: "Tomas Brenner", detail: "councillor · 2 mentions", range: range(6, 21, 34) },
    ],
  },
  { name: "Organisations", children: [{ name: "Port Authority", range: range(8, 0, 14) }] },
  { name: "Places", children: [{ name: "Harrow Island" }, { name: "Port Ellery" }] },
  {
    name: "Quotes",
    children: [
      { name: "Marta Okonkwo", children: [{ name: "\"We promised…\"" }, { name: "\"The first sailing…\"" }] },
      { name: "Unattributed", children: [{ name: "\"Nobody asked…\"" }] },
    ],
  },
];

test("people are the children of the People group, with their first reference", () => {
  const people = peopleFromOutline(outline);
  assert.deepEqual(
    people.map((person) => [person.name, person.detail, person.range?.start.line]),
    [
      ["Marta Okonkwo", "Finance Minister · 4 mentions", 2],
      ["Tomas Brenner", "councillor · 2 mentions", 6],
    ],
  );
});

test("a flat SymbolInformation answer works through containerName", () => {
  const people = peopleFromOutline([
    { name: "Marta Okonkwo", containerName: "People", location: { range: range(2, 17, 30) } },
    { name: "Harrow Island", containerName: "Places", location: { range: range(2, 60, 73) } },
  ]);
  assert.deepEqual(people.map((person) => person.name), ["Marta Okonkwo"]);
  assert.equal(people[0].range?.start.character, 17);
});

test("counts: quotes grouped by speaker are counted one by one", () => {
  assert.deepEqual(countOutline(outline), { people: 2, organisations: 1, places: 2, quotes: 3 });
  assert.deepEqual(countOutline(null), { people: 0, organisations: 0, places: 0, quotes: 0 });
});

test("status bar text", () => {
  assert.equal(statusText({ people: 2, organisations: 0, places: 0, quotes: 3 }), "2 people · 3 quotes");
  assert.equal(statusText({ people: 1, organisations: 0, places: 0, quotes: 1 }), "1 person · 1 quote");
});

test("TOML strings escape quotes, backslashes and control characters", () => {
  assert.equal(tomlString('Ahmed "Abu" al-Sayed'), '"Ahmed \\"Abu\\" al-Sayed"');
  assert.equal(tomlString("a\\b\tc\u0001"), '"a\\\\b\\tc\\u0001"');
  assert.equal(tomlString("Choe Son-hui 최선희"), '"Choe Son-hui 최선희"');
});

test("the title is what comes before the mention count in the detail", () => {
  assert.equal(titleFromDetail("Finance Minister · 4 mentions"), "Finance Minister");
  assert.equal(titleFromDetail("1 mention"), undefined);
  assert.equal(titleFromDetail(""), undefined);
  assert.equal(titleFromDetail("Deputy Minister · Trade · 2 mentions"), "Deputy Minister · Trade");
});

test("the export has one [[people]] table per person, with the title as written", () => {
  const people = peopleFromOutline(outline);
  people.push({ name: "Port Ellery", detail: "1 mention", range: undefined });
  people.push({ name: "Marta Okonkwo", detail: "Finance Minister · 4 mentions", range: undefined });
  const text = exportPeopleToml(people, "ferry.md");
  assert.equal(
    text,
    [
      "# People in ferry.md, exported by Copydesk.",
      "# Paste into copydesk.toml; add `from` / `until` dates to the titles.",
      "",
      "[[people]]",
      'name = "Marta Okonkwo"',
      'titles = [{ title = "Finance Minister" }]',
      "",
      "[[people]]",
      'name = "Tomas Brenner"',
      'titles = [{ title = "councillor" }]',
      "",
      "[[people]]",
      'name = "Port Ellery"',
      "",
    ].join("\n"),
  );
});
