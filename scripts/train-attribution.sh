#!/bin/sh
# Retrains the quoted-fragment model (server/analysis/src/quotes/fragments.rs),
# the extent model (server/analysis/src/quotes/extents.rs) and the join model
# of floating quotes (server/analysis/src/quotes/joins.rs) on PolNeAR's
# training split and rewrites server/analysis/data/attribution.bin,
# server/analysis/data/attribution-extents.bin and
# server/analysis/data/attribution-joins.bin, then prints the cross-validated attribution scores on the training split
# (five folds: a model trained on four fifths of the articles scores the
# fifth; the dev split is never read) beside the rules alone.
# Usage: scripts/train-attribution.sh [POLNEAR_DIR] [EPOCHS] [THRESHOLD]
#   (default: $COPYDESK_SHARED/corpus/polnear, or ../shared/corpus/polnear
#   beside the repository; 10 epochs; accept threshold 12; the extent model's
#   threshold is EXTENT_THRESHOLD, 2 by default)
# Then rebuild and score dev: cargo run --release -p copydesk -- eval polnear --split dev
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-${COPYDESK_SHARED:-$root/../shared}/corpus/polnear}
epochs=${2:-10}
threshold=${3:-12}
cargo build --release -p copydesk --example train_attribution
trainer=${CARGO_TARGET_DIR:-$root/target}/release/examples/train_attribution
"$trainer" write "$corpus" "$epochs" "$threshold"
cross_validate() {
    for fold in 0 1 2 3 4; do
        JOIN_MODEL=${3:-1} EXTENT_MODEL=${4:-1} HELDOUT_FOLDS=5 HELDOUT_FOLD=$fold "$trainer" "$1" "$corpus" "$epochs" "$threshold" 2>&1 | grep 'direct quotes'
    done | sed 's/.*tp \([0-9]*\), fp \([0-9]*\), fn \([0-9]*\).*/\1 \2 \3/' | awk -v name="$2" '
        { tp += $1; fp += $2; fn += $3 }
        END { p = tp / (tp + fp); r = tp / (tp + fn);
              printf "%s: direct quotes P %.3f R %.3f F1 %.4f (tp %d, fp %d, fn %d)\n", name, p, r, 2 * p * r / (p + r), tp, fp, fn }'
}
cross_validate rules-eval "train, 5-fold held out, rules alone"
cross_validate heldout-eval "train, 5-fold held out, with the fragment model alone" 0 0
cross_validate heldout-eval "train, 5-fold held out, with the fragment and join models" 1 0
cross_validate heldout-eval "train, 5-fold held out, with all three models"
