// Builds the extension and packages it as a .vsix with @vscode/vsce.
//
//   npm run package                       -> copydesk-<version>.vsix (server found at run time)
//   npm run package -- --server PATH      -> also bundles PATH as server/copydesk, for a
//                                            platform-specific .vsix (add --target linux-x64 etc.)
//   npm run package -- --out FILE.vsix    -> where to write it
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const option = (name) => {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
};
const manifest = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const out = resolve(option("--out") ?? join(here, `${manifest.name}-${manifest.version}.vsix`));
const bundledServer = option("--server");
const target = option("--target");

const run = (command, args) => execFileSync(command, args, { cwd: here, stdio: "inherit" });

run(process.execPath, [join(here, "esbuild.mjs"), "--minify"]);

const serverFolder = join(here, "server");
rmSync(serverFolder, { recursive: true, force: true });
if (bundledServer !== undefined) {
  if (!existsSync(bundledServer)) {
    throw new Error(`--server ${bundledServer}: no such file`);
  }
  mkdirSync(serverFolder, { recursive: true });
  const name = target?.startsWith("win32") ? "copydesk.exe" : "copydesk";
  copyFileSync(bundledServer, join(serverFolder, name));
  chmodSync(join(serverFolder, name), 0o755);
}

const vsce = join(here, "node_modules", "@vscode", "vsce", "vsce");
const args = ["package", "--no-dependencies", "--skip-license", "--out", out];
if (target !== undefined) {
  args.push("--target", target);
}
try {
  run(process.execPath, [vsce, ...args]);
} finally {
  rmSync(serverFolder, { recursive: true, force: true });
}
console.log(`packaged ${out}`);
