#!/usr/bin/env bash
# Crash test: SIGKILLs `atcfix batch` and `atcfix index build` at seeded random moments
# (KILLS each, default 20), resumes each time, and checks
#   batch:        the final output is byte-identical to an uninterrupted run, no row lost or
#                 duplicated, and an earlier complete output is never replaced by a partial one;
#   index build:  `atcfix index check` passes after every kill, and the resumed index holds the
#                 same phrases and as many vectors as an uninterrupted build.
# Usage: scripts/reliability/kill-test.sh [KILLS] [SEED]   (ATCFIX_BIN picks the binary; the
# default is the debug build of this checkout). Needs the default model for index build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KILLS="${1:-20}"
SEED="${2:-19}"
BIN="${ATCFIX_BIN:-$ROOT/.build/debug/atcfix}"
MODEL="${ATCFIX_MODEL:-$ROOT/models/SmolLM2-135M-Instruct.Q4_1.gguf}"
[ -x "$BIN" ] || { echo "error: no atcfix at $BIN; run swift build (or set ATCFIX_BIN)" >&2; exit 1; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/atcfix-kill.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
RANDOM_STATE=$SEED
# A deterministic fraction in [lo, hi) from a linear congruential generator (seeded, replayable).
fraction() {
    RANDOM_STATE=$(( (RANDOM_STATE * 1103515245 + 12345) % 2147483648 ))
    awk -v r="$RANDOM_STATE" -v lo="$1" -v hi="$2" 'BEGIN { printf "%.3f", lo + (hi - lo) * r / 2147483648 }'
}
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.3f", b - a }'; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- batch ---------------------------------------------------------------------------------
INDEX="$WORK/index"
mkdir -p "$INDEX"
"$BIN" corpus import --db "$INDEX/phrases.sqlite" --corpus default --size 400 >/dev/null
INPUT="$WORK/rows.csv"
{
    printf 'id,'; head -n1 "$ROOT/corpora/sample.csv"
    for copy in $(seq 1 40); do tail -n +2 "$ROOT/corpora/sample.csv" | awk -v c="$copy" '{ printf "%s-%d,%s\n", c, NR, $0 }'; done
} >"$INPUT"
ROWS=$(( $(wc -l <"$INPUT") - 1 ))
BATCH=("$BIN" batch --index "$INDEX" --llm none --retrieval lexical --in "$INPUT" --ref-column correct_text)
start=$(seconds)
"${BATCH[@]}" --out "$WORK/reference.csv" >/dev/null 2>&1
DURATION=$(elapsed "$start")
echo "batch: $ROWS rows, uninterrupted run $DURATION s"
OUT="$WORK/out.csv"
printf 'id,earlier\n1,complete\n' >"$OUT"
EARLIER="$(sha256sum <"$OUT")"
kills=0; resume=()
while [ "$kills" -lt "$KILLS" ]; do
    "${BATCH[@]}" --out "$OUT" "${resume[@]}" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v d="$DURATION" -v f="$(fraction 0.05 0.5)" 'BEGIN { printf "%.3f", d * f }')"
    if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid"; wait "$pid" 2>/dev/null || true
        kills=$((kills + 1))
        [ "$(sha256sum <"$OUT")" = "$EARLIER" ] || fail "kill $kills: the earlier complete output was replaced"
        resume=(--resume)
    else
        wait "$pid" || fail "a batch run failed"
        # Finished before the kill: start over from scratch so the remaining kills land too.
        printf 'id,earlier\n1,complete\n' >"$OUT"
        rm -f "$WORK/.out.csv.partial"
        resume=()
    fi
done
"${BATCH[@]}" --out "$OUT" "${resume[@]}" >/dev/null 2>&1 || fail "the final resumed batch failed"
cmp -s "$OUT" "$WORK/reference.csv" || fail "batch output after $kills kills differs from the uninterrupted run"
dups=$(tail -n +2 "$OUT" | cut -d, -f1 | sort | uniq -d | wc -l)
[ "$dups" -eq 0 ] || fail "$dups duplicated rows"
[ "$(( $(wc -l <"$OUT") - 1 ))" -eq "$ROWS" ] || fail "rows lost"
echo "batch: $kills SIGKILLs, resumed output byte-identical, 0 rows lost or duplicated"

# --- index build ---------------------------------------------------------------------------
if [ ! -f "$MODEL" ]; then
    echo "index build: skipped (no model at $MODEL; run scripts/fetch-model.sh)"
    exit 0
fi
BUILD=("$BIN" index build --model "$MODEL" --generated 600 --sample 200 --checkpoint 1 --threads 2)
start=$(seconds)
"${BUILD[@]}" --out "$WORK/built" >/dev/null 2>&1
DURATION=$(elapsed "$start")
"$BIN" index check --index "$WORK/built" >/dev/null || fail "the uninterrupted index does not pass index check"
stats() { "$BIN" corpus stats --db "$1/phrases.sqlite" --json | sed -E 's/"imported_at":"[^"]*"//g'; }
vectors() { "$BIN" index check --index "$1" --json | sed -E 's/.*"count":([0-9]+).*/\1/'; }
echo "index build: uninterrupted run $DURATION s"
kills=0
rm -rf "$WORK/killed"
while [ "$kills" -lt "$KILLS" ]; do
    "${BUILD[@]}" --out "$WORK/killed" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v d="$DURATION" -v f="$(fraction 0.05 0.6)" 'BEGIN { printf "%.3f", d * f }')"
    if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid"; wait "$pid" 2>/dev/null || true
        kills=$((kills + 1))
        if [ -f "$WORK/killed/phrases.sqlite" ]; then
            "$BIN" index check --index "$WORK/killed" >/dev/null || fail "index build kill $kills: index check fails"
        fi
    else
        wait "$pid" || fail "an index build failed"
        rm -rf "$WORK/killed"
    fi
done
"${BUILD[@]}" --out "$WORK/killed" >/dev/null 2>&1 || fail "the final resumed index build failed"
"$BIN" index check --index "$WORK/killed" >/dev/null || fail "the resumed index does not pass index check"
[ "$(stats "$WORK/killed")" = "$(stats "$WORK/built")" ] || fail "the resumed index holds other phrases"
[ "$(vectors "$WORK/killed")" = "$(vectors "$WORK/built")" ] || fail "the resumed index holds another number of vectors"
echo "index build: $kills SIGKILLs, index check passed after each, resumed index equal in phrases and vectors"
