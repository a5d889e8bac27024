#!/usr/bin/env bash
# Copydesk in real Emacs (Debian's emacs-nox with eglot), batch mode: checks
# the eglot setup documented in docs/editors.md. Idempotent; installs the two
# Debian packages when missing.
#
# Environment: COPYDESK_BIN (server to test; default: cargo build, debug).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repository="$(cd "$here/../../.." && pwd)"
started=$(date +%s)
log() { printf '[emacs-tests] %s\n' "$*" >&2; }

missing=()
for package in emacs-nox elpa-eglot; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" > /dev/null
fi
log "$(emacs --version | head -n 1)"

if [[ -n "${COPYDESK_BIN:-}" ]]; then
  server="$COPYDESK_BIN"
else
  (cd "$repository" && cargo build --quiet -p copydesk)
  target_dir="$(cd "$repository" && cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
  server="$target_dir/debug/copydesk"
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
status=0
HOME="$scratch" COPYDESK_SERVER_PATH="$server" timeout 300 \
  emacs --batch -l "$here/test.el" "$repository" "$scratch" || status=$?
log "finished in $(( $(date +%s) - started )) s with status $status"
exit "$status"
