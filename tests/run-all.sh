#!/usr/bin/env bash
# Copydesk's single test command (the README's): formatting, lints, every
# Rust test of the workspace, the evaluations on ../shared/corpus (printed,
# not gated; skipped with a message when the corpus is absent), and the
# real-editor tests whose scripts exist. Stops at the first failure.
#
# Environment:
#   COPYDESK_SKIP_EDITORS=1   skip the real-editor tests
#   COPYDESK_SKIP_EVALS=1     skip the evaluations
set -euo pipefail

repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repository"
started=$(date +%s)
step() { printf '\n[run-all] == %s (%s s so far)\n' "$*" "$(( $(date +%s) - started ))" >&2; }

# Two cores: keep cargo from oversubscribing them.
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test --workspace"
cargo test --workspace

if [[ "${COPYDESK_SKIP_EVALS:-0}" != 1 ]]; then
  # A release build: the evaluations analyse whole corpora.
  step "evaluations (printed, not gated)"
  cargo build --release -p copydesk
  for evaluation in conll polnear false-alarms; do
    printf '\n-- copydesk eval %s\n' "$evaluation"
    ./target/release/copydesk eval "$evaluation" || printf 'copydesk eval %s failed (not gated)\n' "$evaluation"
  done
fi

if [[ "${COPYDESK_SKIP_EDITORS:-0}" != 1 ]]; then
  for editor in nvim vscode emacs; do
    script="tests/editors/$editor/run.sh"
    if [[ -x "$script" || -f "$script" ]]; then
      step "editor tests: $editor"
      bash "$script"
    fi
  done
fi

step "all tests passed"
