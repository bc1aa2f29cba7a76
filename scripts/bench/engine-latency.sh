#!/usr/bin/env bash
# `atcfix correct` latency per utterance after load: feeds the first N Whisper transcripts of a
# CSV on stdin (one process, the engine loaded once) and prints p50/p95/max of the per-line
# time that --json reports (guard + retrieval + decoding). Usage:
#   scripts/bench/engine-latency.sh INDEX_DIR CSV N [extra atcfix correct flags...]
set -euo pipefail
source "$(dirname "$0")/../setup/common.sh"
INDEX=$1; CSV=$2; N=$3; shift 3
BIN="${ATCFIX_BIN:-$(cd "$ROOT" && swift build -c release --show-bin-path)/atcfix}"
python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))[: int(sys.argv[2])]
for row in rows: print(" ".join(row["whisper_text"].split()))
' "$CSV" "$N" | (cd "$ROOT" && "$BIN" correct --index "$INDEX" --json "$@") | python3 -c '
import json, sys
times = sorted(json.loads(line)["milliseconds"] for line in sys.stdin)
pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print("n %d  p50 %.1f ms  p95 %.1f ms  max %.1f ms  mean %.1f ms" % (len(times), pick(0.5), pick(0.95), times[-1], sum(times) / len(times)))
'
