#!/bin/sh
# Embedding variants on the small ATCOSIM-train pool (scripts/tuning/retrieval_pool.py): builds one
# index per variant under $WORK and prints its dense recall. Usage:
#   scripts/tuning/retrieval_sweep.sh CORPORA_DIR WORK "LAYER POOLING WHITEN" ...
# e.g. scripts/tuning/retrieval_sweep.sh ../shared/corpora /tmp/idx "9 mean 0.1" "final mean none"
set -eu
corpora=$1; work=$2; shift 2
bin=${ATCFIX:-.build/release/atcfix}
mkdir -p "$work"
[ -f "$work/pool.csv" ] || python3 "$(dirname "$0")/retrieval_pool.py" "$corpora" "$work/pool.csv"
for variant in "$@"; do
    set -- $variant
    dir="$work/p-$1-$2-$3"
    start=$(date +%s)
    "$bin" index build --corpus "$work/pool.csv" --out "$dir" --layer "$1" --pooling "$2" --whiten "$3" > "$dir.build.log" 2>&1
    built=$(date +%s)
    result=$("$bin" index evaluate --index "$dir" --layer "$1" --pooling "$2" --whiten "$3" --modes dense \
        --test "$corpora/atcosim/test.whisper-small.csv" | grep '^dense:')
    echo "layer $1 pooling $2 whiten $3 (build $((built - start)) s): $result"
done
