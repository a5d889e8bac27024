// End-to-end test of the Copydesk extension in real VS Code (code-server) in
// headless Chromium, driven by Playwright. run.sh starts code-server with the
// extension installed and a workspace holding a copy of the fixture draft.
//
// Environment (set by run.sh):
//   COPYDESK_E2E_URL        code-server's base URL
//   COPYDESK_E2E_WORKSPACE  the workspace folder (holds the draft)
//   COPYDESK_E2E_DRAFT      the draft's file name in that folder
//   COPYDESK_E2E_EXPECTED   JSON: {errors, warnings, information, hints} the server publishes
//   COPYDESK_E2E_ARTIFACTS  where screenshots go
//   COPYDESK_E2E_SETTINGS   the workspace settings file (.vscode/settings.json)
//   COPYDESK_E2E_IMAGES     docs/images, for the README screenshots (optional;
//                           refreshed with UPDATE_SCREENSHOTS=1 or when missing)
//   PLAYWRIGHT_DIR          folder whose node_modules holds playwright-core
//   CHROMIUM                the browser binary
//
// Every wait is on something visible in the page, never a fixed sleep.

import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const environment = (name) => {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`${name} is not set (run this through run.sh)`);
  }
  return value;
};

const require = createRequire(join(environment("PLAYWRIGHT_DIR"), "package.json"));
const { chromium } = require("playwright-core");

const baseUrl = environment("COPYDESK_E2E_URL");
const workspace = environment("COPYDESK_E2E_WORKSPACE");
const draftName = environment("COPYDESK_E2E_DRAFT");
const expected = JSON.parse(environment("COPYDESK_E2E_EXPECTED"));
const artifacts = environment("COPYDESK_E2E_ARTIFACTS");
const settingsFile = environment("COPYDESK_E2E_SETTINGS");
const images = process.env.COPYDESK_E2E_IMAGES;
const timeout = Number(process.env.COPYDESK_E2E_TIMEOUT_MS ?? 60000);
const draftText = readFileSync(join(workspace, draftName), "utf8");
const draftLines = draftText.split("\n");

mkdirSync(artifacts, { recursive: true });

/** One-based line and column (in UTF-16 units, as VS Code counts) of a phrase. */
function locate(phrase) {
  const index = draftLines.findIndex((line) => line.includes(phrase));
  assert.ok(index >= 0, `${phrase} is not in the draft`);
  return { line: index + 1, column: draftLines[index].indexOf(phrase) + 1 };
}

let failures = 0;
async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    console.log(`ok   ${name.padEnd(60)} ${String(Date.now() - started).padStart(6)} ms`);
  } catch (error) {
    failures += 1;
    console.log(`FAIL ${name.padEnd(60)} ${String(Date.now() - started).padStart(6)} ms`);
    console.log(`     ${String(error?.stack ?? error).replaceAll("\n", "\n     ")}`);
    await page.screenshot({ path: join(artifacts, `failure-${failures}.png`) }).catch(() => {});
    throw error;
  }
}

const browser = await chromium.launch({
  executablePath: environment("CHROMIUM"),
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
const page = await context.newPage();
page.setDefaultTimeout(timeout);

/**
 * Bounding box of `word` (its `occurrence`-th appearance) on the rendered
 * view line that also contains `lineContains`. Matching a line and then a word
 * (rather than a long phrase) keeps working when inlay hints are drawn
 * between words.
 */
async function wordBox(lineContains, word, occurrence = 1) {
  const handle = await page.waitForFunction(
    ({ lineContains, word, occurrence }) => {
      const lines = document.querySelectorAll(".monaco-editor .view-lines .view-line");
      for (const line of lines) {
        // Monaco splits a line into spans; join the text nodes to search,
        // then map offsets back to (node, offset) pairs for a DOM Range.
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        const nodes = [];
        let text = "";
        for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
          nodes.push({ node, start: text.length });
          text += node.textContent.replace(/\u00a0/g, " ");
        }
        if (!text.includes(lineContains)) {
          continue;
        }
        let at = -1;
        for (let seen = 0; seen < occurrence; seen += 1) {
          at = text.indexOf(word, at + 1);
          if (at < 0) {
            return null;
          }
        }
        const point = (offset) => {
          for (let i = nodes.length - 1; i >= 0; i -= 1) {
            if (offset >= nodes[i].start) {
              return [nodes[i].node, offset - nodes[i].start];
            }
          }
          return [nodes[0].node, 0];
        };
        const range = document.createRange();
        range.setStart(...point(at));
        range.setEnd(...point(at + word.length));
        const box = range.getBoundingClientRect();
        return box.width === 0 ? null : { x: box.x, y: box.y, width: box.width, height: box.height };
      }
      return null;
    },
    { lineContains, word, occurrence },
  );
  return handle.jsonValue();
}

/** The "Ln X, Col Y" status bar entry as numbers. */
async function cursorPosition() {
  const text = await page.locator("#status\\.editor\\.selection").innerText();
  const match = /Ln (\d+), Col (\d+)/.exec(text);
  assert.ok(match, `unexpected cursor status ${JSON.stringify(text)}`);
  return { line: Number(match[1]), column: Number(match[2]) };
}

/** Runs a command from the palette, picking the entry labelled exactly `title`. */
async function runCommand(title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(`>${title}`);
  // Enter would run whichever entry is highlighted (recently used ones come
  // first); click the entry labelled exactly `title` if there is one, else
  // the first that starts with it ("View: Focus Problems (Errors, ...)").
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const rows = page.locator(".quick-input-list .monaco-list-row");
  const labelled = (pattern) => rows.filter({ has: page.locator(".label-name", { hasText: pattern }) });
  await labelled(new RegExp(`^${escaped}`)).first().waitFor();
  const exact = labelled(new RegExp(`^${escaped}$`));
  const row = (await exact.count()) > 0 ? exact.first() : labelled(new RegExp(`^${escaped}`)).first();
  await row.click();
}

try {
  await step("the workbench loads", async () => {
    await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator(".monaco-workbench").waitFor();
  });

  await step("the draft opens from the explorer", async () => {
    const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label*="${draftName}"]`).first();
    await row.waitFor();
    await row.dblclick();
    await page.locator(`.tabs-container .tab[aria-label*="${draftName}"]`).first().waitFor();
    await page.locator(".monaco-editor .view-lines").first().waitFor();
    await wordBox("Finance Minister", "Finance");
  });

  await step("warnings are drawn as squiggles", async () => {
    await page.locator(".monaco-editor .squiggly-warning, .monaco-editor .squiggly-error").first().waitFor();
  });

  await step("the status bar item shows the server's people and quote counts", async () => {
    await page.locator(".statusbar-item", { hasText: /\d+ (people|person) · \d+ quotes?/ }).first().waitFor();
  });

  await step("the Problems count matches what the server publishes", async () => {
    assert.ok(expected.errors + expected.warnings > 0, "the fixture draft must produce warnings");
    // VS Code's own wording for the Problems status bar entry.
    const parts = [];
    if (expected.errors > 0) parts.push(`Errors: ${expected.errors}`);
    if (expected.warnings > 0) parts.push(`Warnings: ${expected.warnings}`);
    if (expected.information > 0) parts.push(`Infos: ${expected.information}`);
    const wanted = parts.join(", ");
    await page
      .waitForFunction((wanted) => {
        const entry = document.querySelector("#status\\.problems a") ?? document.querySelector("#status\\.problems");
        return (entry?.getAttribute("aria-label") ?? "") === wanted;
      }, wanted)
      .catch(async (error) => {
        const label = await page.locator("#status\\.problems a").first().getAttribute("aria-label").catch(() => null);
        throw new Error(`Problems status says ${JSON.stringify(label)}, expected "${wanted}": ${error.message}`);
      });
    await runCommand("View: Focus Problems");
    await page.locator(".markers-panel .monaco-list-row").first().waitFor();
    await page.locator(".markers-panel .monaco-list-row", { hasText: "unbalanced" }).first().waitFor();
    const rows = await page.locator(".markers-panel .monaco-list-row").count();
    // One row for the file plus one per problem (hints are not listed).
    assert.equal(rows, 1 + expected.errors + expected.warnings + expected.information, "rows in the Problems panel");
    await page.screenshot({ path: join(artifacts, "vscode-warnings.png") });
  });

  await step("hovering a surname shows the person's full name and title", async () => {
    const box = await wordBox("We promised the islanders", "Okonkwo");
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    // Several hover widgets live in the page; the one that matters is visible
    // and comes from the Copydesk server.
    const hover = page.locator(".monaco-hover:visible", { hasText: "Marta Okonkwo" }).first();
    await hover.waitFor();
    const text = await hover.innerText();
    assert.match(text, /Marta Okonkwo/, "the hover names the person");
    assert.match(text, /finance minister/i, "the hover shows the title");
    await page.screenshot({ path: join(artifacts, "vscode-hover.png") });
    await page.mouse.move(5, 5);
    await page.keyboard.press("Escape");
  });

  await step("go to definition from a surname lands on the first reference", async () => {
    const first = locate("Marta Okonkwo");
    const box = await wordBox("the first sailing", "Okonkwo");
    // Click inside the word (not at its edge, where the cursor could land
    // after an inlay hint).
    await page.mouse.click(box.x + box.width / 3, box.y + box.height / 2);
    const later = locate("Okonkwo said the first sailing").line;
    await page.waitForFunction(
      (line) => (document.querySelector("#status\\.editor\\.selection")?.textContent ?? "").includes(`Ln ${line},`),
      later,
    );
    await runCommand("Go to Definition");
    await page.waitForFunction(
      (line) => (document.querySelector("#status\\.editor\\.selection")?.textContent ?? "").includes(`Ln ${line},`),
      first.line,
    );
    const after = await cursorPosition();
    assert.equal(after.line, first.line);
    assert.ok(
      after.column >= first.column && after.column <= first.column + "Marta Okonkwo".length,
      `landed at column ${after.column}, outside "Marta Okonkwo" (${first.column}..${first.column + 13})`,
    );
    await page.screenshot({ path: join(artifacts, "vscode-definition.png") });
  });

  await step("Copydesk: Show People in This Draft lists the people", async () => {
    await runCommand("Copydesk: Show People in This Draft");
    const list = page.locator(".quick-input-list .monaco-list-row");
    await list.filter({ hasText: "Marta Okonkwo" }).first().waitFor();
    await list.filter({ hasText: "Tomas Brenner" }).first().waitFor();
    await page.screenshot({ path: join(artifacts, "vscode-people.png") });
    await page.keyboard.press("Escape");
  });
  await step("Rename Symbol on the full name rewrites every mention (checked on disk after saving)", async () => {
    const expectedText = draftText.replaceAll("Okonkwo", "Okonkwo-Reyes");
    const box = await wordBox("Finance Minister", "Okonkwo");
    await page.mouse.click(box.x + box.width / 3, box.y + box.height / 2);
    await runCommand("Rename Symbol");
    const input = page.locator(".rename-box input").first();
    await input.waitFor();
    // prepareRename proposes the full name; replace it with the new one.
    assert.equal(await input.inputValue(), "Marta Okonkwo", "the rename box proposes the full name");
    await input.fill("Marta Okonkwo-Reyes");
    await page.keyboard.press("Enter");
    await wordBox("the first sailing", "Okonkwo-Reyes");
    await runCommand("File: Save");
    const deadline = Date.now() + timeout;
    while (readFileSync(join(workspace, draftName), "utf8") !== expectedText) {
      assert.ok(Date.now() < deadline, "the saved draft never matched the expected text");
      await page.waitForTimeout(50);
    }
    await page.screenshot({ path: join(artifacts, "vscode-rename.png") });
  });

  await step("a wrong copydesk.server.path gives a clear error, and fixing it recovers", async () => {
    // The setting is machine-overridable, so a workspace may set it: write it
    // into the workspace settings as a writer would, then take it out again.
    mkdirSync(dirname(settingsFile), { recursive: true });
    writeFileSync(settingsFile, JSON.stringify({ "copydesk.server.path": "/nonexistent/copydesk" }, null, 2));
    const toast = page.locator(".notification-toast", { hasText: "copydesk.server.path" }).first();
    await toast.waitFor();
    const message = await toast.innerText();
    assert.match(message, /\/nonexistent\/copydesk/, "the error names the wrong path");
    assert.match(message, /Correct or clear/, "the error says how to fix it");
    await page.locator(".statusbar-item", { hasText: "Copydesk: no server" }).first().waitFor();
    await page.screenshot({ path: join(artifacts, "vscode-no-server.png") });
    // Back to the working server: the extension restarts it by itself.
    writeFileSync(settingsFile, "{}\n");
    await page.locator(".statusbar-item", { hasText: /\d+ (people|person) · \d+ quotes?/ }).first().waitFor();
  });
} catch {
  // The failing step has already been reported with a screenshot.
} finally {
  await browser.close();
}

// The README's screenshots come from this test. They are refreshed when asked
// (UPDATE_SCREENSHOTS=1, like UPDATE_SNAPSHOTS for the golden files) or when
// missing, so an ordinary test run leaves the working tree clean.
if (failures === 0 && images !== undefined) {
  mkdirSync(images, { recursive: true });
  for (const name of ["vscode-hover.png", "vscode-warnings.png"]) {
    if (process.env.UPDATE_SCREENSHOTS === "1" || !existsSync(join(images, name))) {
      copyFileSync(join(artifacts, name), join(images, name));
      console.log(`updated ${join(images, name)}`);
    }
  }
}
console.log(failures === 0 ? "all VS Code tests passed" : `${failures} VS Code test step(s) failed`);
process.exit(failures === 0 ? 0 : 1);
