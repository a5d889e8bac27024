// Bundles the extension into dist/extension.js (one file, `vscode` external)
// and copies the stylebook JSON schema that `tomlValidation` points at.
import { build, context } from "esbuild";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const schemaSource = join(here, "..", "..", "docs", "copydesk.schema.json");
const schemaTarget = join(here, "schemas", "copydesk.schema.json");

mkdirSync(dirname(schemaTarget), { recursive: true });
if (existsSync(schemaSource)) {
  copyFileSync(schemaSource, schemaTarget);
} else if (!existsSync(schemaTarget)) {
  console.warn(`warning: ${schemaSource} not found; copydesk.toml validation will have no schema`);
}

const options = {
  entryPoints: [join(here, "src", "extension.ts")],
  outfile: join(here, "dist", "extension.js"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node18",
  external: ["vscode"],
  sourcemap: false,
  minify: process.argv.includes("--minify"),
  logLevel: "info",
};

if (process.argv.includes("--watch")) {
  const watcher = await context(options);
  await watcher.watch();
} else {
  await build(options);
}
