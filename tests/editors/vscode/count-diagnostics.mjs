// Counts the diagnostics in `copydesk check --format json` output by severity,
// printing {"errors":N,"warnings":N,"information":N,"hints":N}. The VS Code
// test expects the Problems view to show the same numbers as the command line.
//
// Any object with a `severity` and a rule code (`code` or `rule`) counts as one
// diagnostic, wherever it sits in the document, so the count does not depend
// on how the report groups diagnostics by file.
import { readFileSync } from "node:fs";

const text = readFileSync(process.argv[2], "utf8").trim();
if (text === "") {
  throw new Error(`${process.argv[2]} is empty: did \`copydesk check --format json\` run?`);
}
const counts = { errors: 0, warnings: 0, information: 0, hints: 0 };
const bySeverity = {
  error: "errors",
  1: "errors",
  warning: "warnings",
  2: "warnings",
  information: "information",
  info: "information",
  3: "information",
  hint: "hints",
  4: "hints",
};
function visit(node) {
  if (Array.isArray(node)) {
    node.forEach(visit);
  } else if (node !== null && typeof node === "object") {
    if ("severity" in node && ("code" in node || "rule" in node)) {
      const key = bySeverity[String(node.severity).toLowerCase()];
      if (key === undefined) {
        throw new Error(`unknown severity ${JSON.stringify(node.severity)}`);
      }
      counts[key] += 1;
      return;
    }
    Object.values(node).forEach(visit);
  }
}
// Either one JSON document or one JSON value per line.
try {
  visit(JSON.parse(text));
} catch (error) {
  if (!(error instanceof SyntaxError)) {
    throw error;
  }
  for (const line of text.split("\n")) {
    if (line.trim() !== "") {
      visit(JSON.parse(line));
    }
  }
}
console.log(JSON.stringify(counts));
