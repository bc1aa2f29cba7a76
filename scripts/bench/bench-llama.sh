#!/usr/bin/env bash
# Side-by-side speed of llama.cpp (llama-cpp-python 0.3.36) and atcfix on one GGUF, alternating
# runs in one script so both see the same machine load. Prints per-round figures, medians,
# ratios (ours / llama.cpp) and peak RSS of each process (/usr/bin/time -v).
#
#   [THREADS=2 PROMPT=128 GEN=64 REPS=3] [ATCFIX_BIN=…] scripts/bench/bench-llama.sh [MODEL.gguf] [ROUNDS] [CONTEXT]
#
# Needs a release build (`swift build -c release`) and /work/peers/venv (or $PEER_PYTHON).
# ATCFIX_BIN picks another build (e.g. one made with ATCFIX_TARGET_CPU=znver4 and
# --scratch-path .build-znver4); the header line names the binary, the load and the CPU's
# vector features (the K-quant kernels choose AVX-512 VNNI or AVX2 from them at run time).
set -euo pipefail
source "$(dirname "$0")/../setup/common.sh"
MODEL="${1:-$ROOT/models/SmolLM2-135M-Instruct.Q4_1.gguf}"
ROUNDS="${2:-3}"
CONTEXT="${3:-2048}"
THREADS="${THREADS:-2}" PROMPT="${PROMPT:-128}" GEN="${GEN:-64}" REPS="${REPS:-3}"
PY="${PEER_PYTHON:-/work/peers/venv/bin/python}"
BIN="${ATCFIX_BIN:-$ROOT/.build/release/atcfix}"
[ -x "$BIN" ] || die "build first: swift build -c release"
[ -f "$MODEL" ] || die "no model at $MODEL"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
rss() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }

say "model $(basename "$MODEL"), $THREADS threads, pp $PROMPT, tg $GEN, context $CONTEXT, $ROUNDS rounds × $REPS reps"
say "binary $BIN; $(date -u '+%F %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg)"
say "CPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); vector features: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512bw|avx512vl|avx512_vnni|avx_vnni)$' | xargs)"
printf 'round  llama.cpp pp   tg   RSS(MB)  |  atcfix pp   tg   RSS(MB)\n'
for r in $(seq 1 "$ROUNDS"); do
    /usr/bin/time -v "$PY" "$ROOT/scripts/bench/bench-llama-peer.py" "$MODEL" $THREADS $PROMPT $GEN $REPS "$CONTEXT" \
        >"$TMP/peer$r.json" 2>"$TMP/peer$r.time"
    /usr/bin/time -v "$BIN" model bench "$MODEL" --threads $THREADS --prompt-tokens $PROMPT --gen-tokens $GEN \
        --repetitions $REPS --ctx-size "$CONTEXT" --json >"$TMP/ours$r.json" 2>"$TMP/ours$r.time"
    printf '%5d  %12s %5s %8s  |  %9s %5s %8s\n' "$r" \
        "$(field "$TMP/peer$r.json" pp_tokens_per_s)" "$(field "$TMP/peer$r.json" tg_tokens_per_s)" "$(( $(rss "$TMP/peer$r.time") / 1024 ))" \
        "$(field "$TMP/ours$r.json" pp_tokens_per_s)" "$(field "$TMP/ours$r.json" tg_tokens_per_s)" "$(( $(rss "$TMP/ours$r.time") / 1024 ))"
done
python3 - "$TMP" "$ROUNDS" "$MODEL" <<'PY'
import json, os, statistics, sys
tmp, rounds, model = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def load(kind, key): return [json.load(open(f"{tmp}/{kind}{r}.json"))[key] for r in range(1, rounds + 1)]
def rss(kind):
    out = []
    for r in range(1, rounds + 1):
        for line in open(f"{tmp}/{kind}{r}.time"):
            if "Maximum resident set size" in line: out.append(int(line.split(":")[1]) / 1024)
    return max(out)
pp_p, tg_p = statistics.median(load("peer", "pp_tokens_per_s")), statistics.median(load("peer", "tg_tokens_per_s"))
pp_o, tg_o = statistics.median(load("ours", "pp_tokens_per_s")), statistics.median(load("ours", "tg_tokens_per_s"))
size = os.path.getsize(model) / 2**20
print(f"median   llama.cpp pp {pp_p:.1f} tg {tg_p:.1f} | atcfix pp {pp_o:.1f} tg {tg_o:.1f}")
print(f"ratio    pp {pp_o / pp_p:.2f}x  tg {tg_o / tg_p:.2f}x  (atcfix / llama.cpp)")
print(f"load at end {open('/proc/loadavg').read().split()[:3]}")
print(f"peak RSS llama.cpp {rss('peer'):.0f} MB, atcfix {rss('ours'):.0f} MB; file {size:.0f} MB, budget file + 64 = {size + 64:.0f} MB")
PY
