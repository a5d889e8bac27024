#!/usr/bin/env bash
# Copydesk in real VS Code: unit tests of the extension, then an end-to-end
# test in code-server (VS Code 1.100 served to a browser) driven by Playwright
# in headless Debian Chromium. Follows shared/notes/real-editors.md.
#
# Installs (idempotently, cached outside the repository):
#   Debian: chromium ripgrep libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config
#   npm:    code-server@4.100.3 (needs Node 20), playwright-core
# Builds the extension .vsix with the repository's packaging script and the
# `copydesk` binary (unless COPYDESK_BIN names one).
#
# Environment:
#   COPYDESK_BIN            server binary to test (default: cargo build, debug)
#   COPYDESK_PROFILE        `release` to build and test the release binary
#   COPYDESK_EDITORS_CACHE  install cache (default ~/.cache/copydesk-editors)
#   COPYDESK_VSCODE_UNIT_ONLY=1  run only the extension's unit tests
#   UPDATE_SCREENSHOTS=1    refresh docs/images/vscode-{hover,warnings}.png (the
#                           README's screenshots) from this run
# Artifacts (screenshots, logs, the .vsix) go to tests/artifacts/vscode/
# (gitignored).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repository="$(cd "$here/../../.." && pwd)"
extension="$repository/editors/vscode"
cache="${COPYDESK_EDITORS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/copydesk-editors}"
artifacts="$repository/tests/artifacts/vscode"
code_server_version="4.100.3"
playwright_version="1.65.1"
started=$(date +%s)

log() { printf '[vscode-tests] %s\n' "$*" >&2; }
elapsed() { echo "$(( $(date +%s) - started )) s"; }
source "$here/../common.sh"

node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [[ "$node_major" -lt 20 ]]; then
  log "Node 20 is required (found $(node --version 2>/dev/null || echo none))"
  exit 1
fi

# 1. The extension: dependencies, type check, unit tests, package.
log "extension: npm ci, type check, unit tests"
(
  cd "$extension"
  if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
  npx --no-install tsc --noEmit -p .
  npm test --silent
)
if [[ "${COPYDESK_VSCODE_UNIT_ONLY:-0}" == 1 ]]; then
  log "unit tests passed ($(elapsed)); skipping the code-server test as asked"
  exit 0
fi
mkdir -p "$artifacts"
vsix="$artifacts/copydesk.vsix"
(cd "$extension" && node scripts/package.mjs --out "$vsix" > "$artifacts/package.log" 2>&1) \
  || { cat "$artifacts/package.log" >&2; exit 1; }
log "packaged $vsix ($(elapsed))"

# 2. System packages (Debian), only when something is missing.
apt_log="$artifacts/apt.log" install_missing_debian_packages \
  chromium ripgrep libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config
chromium_binary="$(command -v chromium)"

# 3. code-server from npm. @vscode/ripgrep's postinstall would download rg from
# GitHub; a tarball of Debian's rg in its cache makes it use that instead.
code_server_dir="$cache/code-server-$code_server_version"
code_server="$code_server_dir/node_modules/.bin/code-server"
if [[ ! -f "$code_server_dir/.installed" ]]; then
  log "installing code-server@$code_server_version into $code_server_dir (about a minute)"
  ripgrep_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$ripgrep_cache" "$cache/ripgrep-stage" "$code_server_dir"
  cp /usr/bin/rg "$cache/ripgrep-stage/rg"
  tar -C "$cache/ripgrep-stage" -czf "$ripgrep_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg
  # npm 11.19+ runs dependency install scripts only when allowed; code-server
  # builds its native modules in its postinstall.
  cat > "$code_server_dir/package.json" <<EOF
{
  "name": "copydesk-code-server",
  "private": true,
  "version": "0.0.0",
  "dependencies": { "code-server": "$code_server_version" },
  "allowScripts": { "code-server": true, "argon2": true }
}
EOF
  (cd "$code_server_dir" && npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --loglevel=error > "$artifacts/code-server-install.log" 2>&1) \
    || { tail -40 "$artifacts/code-server-install.log" >&2; exit 1; }
  touch "$code_server_dir/.installed"
fi
log "code-server $(node -p "require('$code_server_dir/node_modules/code-server/package.json').version") ($(elapsed))"

# 4. playwright-core (the library only: the browser is Debian's chromium).
playwright_dir="$cache/playwright-$playwright_version"
if [[ ! -d "$playwright_dir/node_modules/playwright-core" ]]; then
  log "installing playwright-core@$playwright_version"
  mkdir -p "$playwright_dir"
  (cd "$playwright_dir" && printf '{"name":"copydesk-playwright","private":true,"version":"0.0.0"}\n' > package.json \
    && npm install --no-audit --no-fund --loglevel=error "playwright-core@$playwright_version")
fi

# 5. The server under test.
find_server_under_test

# 6. A scratch workspace with the draft, a fresh profile, the extension.
scratch="$(mktemp -d)"
code_server_pid=""
cleanup() {
  if [[ -n "$code_server_pid" ]]; then
    kill "$code_server_pid" 2>/dev/null || true
    wait "$code_server_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
workspace="$scratch/stories"
mkdir -p "$workspace" "$scratch/user-data/User" "$scratch/extensions"
draft="ferry-link.md"
cp "$repository/tests/editors/fixtures/$draft" "$workspace/$draft"

# What VS Code must show: the diagnostics the server publishes for the draft
# when asked directly over LSP (counted by severity).
expected="$(timeout 60 node "$here/expected-diagnostics.mjs" "$server" "$workspace/$draft" markdown)"
log "the server publishes: $expected"

cat > "$scratch/user-data/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.colorTheme": "Default Light Modern",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.commandCenter.enabled": false,
  "extensions.ignoreRecommendations": true,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "security.workspace.trust.enabled": false,
  "editor.hover.delay": 150,
  "editor.hover.above": false,
  "editor.minimap.enabled": false,
  "editor.fontSize": 15,
  "editor.wordWrap": "on",
  "window.commandCenter": false,
  "git.enabled": false
}
EOF

"$code_server" --extensions-dir "$scratch/extensions" --user-data-dir "$scratch/user-data" \
  --install-extension "$vsix" > "$artifacts/install-extension.log" 2>&1 \
  || { cat "$artifacts/install-extension.log" >&2; exit 1; }

port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
cat > "$scratch/config.yaml" <<EOF
bind-addr: 127.0.0.1:$port
auth: none
cert: false
EOF
COPYDESK_SERVER_PATH="$server" "$code_server" --config "$scratch/config.yaml" \
  --user-data-dir "$scratch/user-data" --extensions-dir "$scratch/extensions" \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  "$workspace" > "$artifacts/code-server.log" 2>&1 &
code_server_pid=$!
ready=0
for _ in $(seq 1 300); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then ready=1; break; fi
  kill -0 "$code_server_pid" 2>/dev/null || break
  sleep 0.2
done
[[ "$ready" == 1 ]] || { log "code-server did not start"; cat "$artifacts/code-server.log" >&2; exit 1; }
log "code-server listening on port $port ($(elapsed))"

# 7. The browser test.
status=0
COPYDESK_E2E_URL="http://127.0.0.1:$port" COPYDESK_E2E_WORKSPACE="$workspace" COPYDESK_E2E_DRAFT="$draft" \
  COPYDESK_E2E_EXPECTED="$expected" COPYDESK_E2E_ARTIFACTS="$artifacts" \
  COPYDESK_E2E_SETTINGS="$workspace/.vscode/settings.json" \
  COPYDESK_E2E_IMAGES="$repository/docs/images" PLAYWRIGHT_DIR="$playwright_dir" CHROMIUM="$chromium_binary" \
  timeout 600 node "$here/e2e.mjs" || status=$?
if [[ "$status" != 0 ]]; then
  log "code-server log: $artifacts/code-server.log; screenshots in $artifacts"
  find "$scratch/user-data/logs" -name '*Copydesk*' -exec cp {} "$artifacts/" \; 2>/dev/null || true
fi
log "finished in $(elapsed) with status $status"
exit "$status"
