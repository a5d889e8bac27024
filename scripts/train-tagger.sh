#!/bin/sh
# Retrains the name tagger on CoNLL-2003 eng.train and rewrites
# server/analysis/data/tagger.bin, then prints the eng.testa scores.
# Usage: scripts/train-tagger.sh [CORPUS_DIR] [EPOCHS]   (default ../shared/corpus, 10)
# Then scores the model on held-out eng.train documents (see the heldout_conll example).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$root/../shared/corpus}
epochs=${2:-10}
cargo run --release -p copydesk-analysis --example train_tagger -- "$corpus" "$epochs"
cargo run --release -p copydesk-analysis --example eval_conll -- "$corpus/conll2003/eng.testa"
cargo run --release -p copydesk-analysis --example heldout_conll -- "$corpus" "$epochs"
