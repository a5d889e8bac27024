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
source "$here/../common.sh"

install_missing_debian_packages emacs-nox elpa-eglot
log "$(emacs --version | head -n 1)"

find_server_under_test

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
status=0
HOME="$scratch" COPYDESK_SERVER_PATH="$server" timeout 300 \
  emacs --batch -l "$here/test.el" "$repository" "$scratch" || status=$?
log "finished in $(( $(date +%s) - started )) s with status $status"
exit "$status"
