#!/usr/bin/env bash
# Writes what a `copydesk` binary says about a fixed set of drafts into a
# folder, so two builds can be compared byte for byte:
#
#   scripts/analysis-outputs.sh OLD_BINARY /tmp/before
#   scripts/analysis-outputs.sh NEW_BINARY /tmp/after
#   diff -r /tmp/before /tmp/after && echo identical
#
# The drafts: every file of the BBC corpus (all categories), the seed drafts,
# the repository's examples/, and any further files given after the folder
# (long joined drafts, say). For each, `copydesk analyze FILE --format json`
# and `copydesk check FILE --format json`, with their exit statuses.
set -euo pipefail
binary=$(realpath "$1")
out=$2
shift 2
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=$(realpath "${COPYDESK_SHARED:-$repo/../shared}")
mkdir -p "$out"
list=$out/.files
{
    find "$shared/corpus/bbc" -type f | sort
    find "$shared/seed" -maxdepth 1 -name '*.txt' | sort
    find "$repo/examples" -type f | sort
    for extra in "$@"; do realpath "$extra"; done
} >"$list"
export binary out
run_one() {
    local file=$1
    local name
    name=$(printf '%s' "$file" | sed 's|^/||; s|/|__|g')
    local status=0
    "$binary" analyze "$file" --format json >"$out/$name.analyze.json" 2>"$out/$name.analyze.stderr" || status=$?
    echo "$status" >"$out/$name.analyze.status"
    status=0
    "$binary" check "$file" --format json >"$out/$name.check.json" 2>"$out/$name.check.stderr" || status=$?
    echo "$status" >"$out/$name.check.status"
}
export -f run_one
xargs -a "$list" -d '\n' -P 2 -I{} bash -c 'run_one "$1"' _ {}
echo "$(wc -l <"$list") files written to $out" >&2
