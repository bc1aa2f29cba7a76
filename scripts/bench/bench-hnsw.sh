#!/usr/bin/env bash
# Side-by-side HNSW benchmark: atcfix vs faiss-cpu (IndexHNSWFlat, inner product) vs
# chroma-hnswlib, one thread, on the same structured vectors; alternating runs, medians.
#
#   scripts/bench/bench-hnsw.sh [ROUNDS] [N] [DIM] [QUERIES]      (defaults 3 100000 576 1000)
#
# Needs: a release build (swift build -c release --product atcfix) and the peers in
# /work/peers/venv (pip install faiss-cpu chroma-hnswlib). Writes .cache/bench/hnsw-*.json and
# prints a markdown table (scripts/bench/bench_hnsw_table.py).
source "$(dirname "$0")/../setup/common.sh"
ROUNDS="${1:-3}"; N="${2:-100000}"; DIM="${3:-576}"; NQ="${4:-1000}"
PY="${PEERS_PYTHON:-/work/peers/venv/bin/python}"
BIN="$ROOT/.build/release/atcfix"
OUT="$ROOT/.cache/bench"
[ -x "$BIN" ] || die "no release build at $BIN; run: swift build -c release --product atcfix"
[ -x "$PY" ] || die "no peer python at $PY"
mkdir -p "$OUT"
BASE="$OUT/base-$N-$DIM.f32"; QUERIES="$OUT/queries-$NQ-$DIM.f32"
[ -f "$BASE" ] || "$BIN" vectors generate --count "$N" --dim "$DIM" --seed 42 --stream 0 --out "$BASE"
[ -f "$QUERIES" ] || "$BIN" vectors generate --count "$NQ" --dim "$DIM" --seed 42 --stream 1 --out "$QUERIES"
COMMON=(--base "$BASE" --queries "$QUERIES" --dim "$DIM" --k 10 --m 16 --ef-construction 200 --ef 16,32,64,128 --threads 1 --repeats 7)
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS="$OUT/hnsw-$STAMP.jsonl"
for round in $(seq 1 "$ROUNDS"); do
  say "round $round/$ROUNDS: atcfix"
  "$BIN" vectors bench "${COMMON[@]}" --json | sed 's/^{/{"lib":"atcfix",/' >> "$RESULTS"
  say "round $round/$ROUNDS: faiss"
  "$PY" "$ROOT/scripts/bench/bench_hnsw_peers.py" --lib faiss "${COMMON[@]}" >> "$RESULTS"
  say "round $round/$ROUNDS: hnswlib"
  "$PY" "$ROOT/scripts/bench/bench_hnsw_peers.py" --lib hnswlib "${COMMON[@]}" >> "$RESULTS"
done
say "results: $RESULTS"
"$PY" "$ROOT/scripts/bench/bench_hnsw_table.py" "$RESULTS"
