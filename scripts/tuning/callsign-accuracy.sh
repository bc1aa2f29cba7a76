#!/usr/bin/env bash
# Callsign accuracy of a batch output: among rows whose reference has a callsign (as
# `atcfix corpus callsigns` parses it), the share whose hypothesis parses to the same spoken
# callsign. Usage: scripts/tuning/callsign-accuracy.sh BATCH_OUTPUT.csv [hypothesis column...]
set -euo pipefail
source "$(dirname "$0")/../setup/common.sh"
OUT=$1; shift
BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/atcfix"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
"$BIN" corpus callsigns --in "$OUT" --text-column correct_text --all > "$TMP/ref.tsv"
for column in "${@:-whisper_text corrected_text}"; do
  for c in $column; do
    "$BIN" corpus callsigns --in "$OUT" --text-column "$c" --all > "$TMP/hyp.tsv"
    python3 - "$TMP/ref.tsv" "$TMP/hyp.tsv" "$c" <<'PY'
import sys
def load(path):
    rows = {}
    for line in open(path):
        parts = line.rstrip("\n").split("\t")
        if len(parts) >= 4 and parts[0].isdigit():
            rows[int(parts[0])] = parts[3]
    return rows
ref, hyp, name = load(sys.argv[1]), load(sys.argv[2]), sys.argv[3]
rows = [line for line, spoken in ref.items() if spoken != "-"]
right = sum(1 for line in rows if hyp.get(line) == ref[line])
print(f"{name}: callsign exact match {right}/{len(rows)} = {right / len(rows):.3f}")
PY
  done
done
