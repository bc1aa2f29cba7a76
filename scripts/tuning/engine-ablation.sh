#!/usr/bin/env bash
# Retrieval ablation of the correction engine: batch-corrects the dev split (scripts/tuning/dev-split.py),
# ATCOSIM test (zero-shot and fine-tuned Whisper) and the ATCO2 sample with each retrieval setting,
# printing one line per run (corpus WER before/after, seconds) and callsign exact match for the
# zero-shot files. Usage:
#   scripts/tuning/engine-ablation.sh INDEX_DIR SPLIT_DIR OUT_DIR [--weights W] ["SETTING" ...]
# where SETTING is "none", "lexical", "dense", "hybrid", optionally followed by " nopairs".
set -euo pipefail
source "$(dirname "$0")/../setup/common.sh"
INDEX=$1; SPLIT=$2; OUT=$3; shift 3
WEIGHTS=()
if [ "${1:-}" = "--weights" ]; then WEIGHTS=(--weights "$2"); shift 2; fi
SETTINGS=("$@")
[ ${#SETTINGS[@]} -gt 0 ] || SETTINGS=("none" "lexical" "lexical nopairs" "dense" "dense nopairs" "hybrid" "hybrid nopairs")
CORPORA="${ATCFIX_CORPORA:-$ROOT/../shared/corpora}"
BIN="${ATCFIX_BIN:-$(cd "$ROOT" && swift build -c release --show-bin-path)/atcfix}"
mkdir -p "$OUT"
FILES=("dev0:$SPLIT/dev.whisper-small.csv" "dev-ft:$SPLIT/dev.whisper-finetuned.csv"
       "test0:$CORPORA/atcosim/test.whisper-small.csv" "test-ft:$CORPORA/atcosim/test.whisper-finetuned.csv"
       "atco2:$CORPORA/atco2/sample.whisper-small.csv")
[ -n "${FILES_ONLY:-}" ] && read -r -a FILES <<< "$FILES_ONLY"
for setting in "${SETTINGS[@]}"; do
  read -r mode pairs <<< "$setting"
  flags=(--retrieval "$mode")
  [ "${pairs:-}" = "nopairs" ] && flags+=(--no-pairs)
  for entry in "${FILES[@]}"; do
    name=${entry%%:*}; file=${entry#*:}
    out="$OUT/${name}.${mode}${pairs:+.$pairs}.csv"
    result=$(cd "$ROOT" && "$BIN" batch --index "$INDEX" "${flags[@]}" "${WEIGHTS[@]}" --in "$file" --out "$out" \
      --ref-column correct_text --json 2>/dev/null)
    line=$(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("%.2f -> %.2f  %.1fs" % (100*r["wer_before"], 100*r["wer_after"], r["seconds"]))' "$result")
    callsigns=""
    case $name in dev0|test0) callsigns=$("$ROOT/scripts/tuning/callsign-accuracy.sh" "$out" corrected_text | sed 's/.*= //');; esac
    echo "$setting | $name | $line | ${callsigns:+callsigns $callsigns}"
  done
done
