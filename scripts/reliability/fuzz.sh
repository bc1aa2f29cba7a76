#!/usr/bin/env bash
# Builds the libFuzzer harnesses in Fuzz/ with -sanitize=fuzzer,address and runs each for a
# fixed time budget from a seed corpus the harness writes itself (no third-party data).
#
#   scripts/reliability/fuzz.sh [TARGET|all] [SECONDS]     (defaults: all, 60)
#   TARGET: gguf, hnsw, csv, corpus-import
#
# Output: .cache/fuzz/<target>/{corpus,artifacts,log.txt}; a crash leaves its input in
# artifacts/ and makes the script exit non-zero. Prints one summary line per target.
set -euo pipefail
source "$(dirname "$0")/../setup/common.sh"

TARGET=${1:-all}
SECONDS_BUDGET=${2:-60}
ALL=(gguf hnsw csv corpus-import)
if [ "$TARGET" = all ]; then TARGETS=("${ALL[@]}"); else TARGETS=("$TARGET"); fi

cd "$ROOT/Fuzz"
say "building fuzz harnesses (debug, fuzzer + address sanitizer)"
swift build -c debug --sanitize=fuzzer --sanitize=address --scratch-path "$ROOT/.build-fuzz" >&2
BIN=$(swift build -c debug --sanitize=fuzzer --sanitize=address --scratch-path "$ROOT/.build-fuzz" --show-bin-path)

status=0
for t in "${TARGETS[@]}"; do
    work="$ROOT/.cache/fuzz/$t"
    mkdir -p "$work/corpus" "$work/artifacts"
    ATCFIX_FUZZ_SEEDS="$work/corpus" "$BIN/fuzz-$t"
    say "fuzzing $t for ${SECONDS_BUDGET}s ($(ls "$work/corpus" | wc -l) files in the corpus)"
    extra=()
    # Foundation's FileManager.contents(atPath:) leaks its 4 KiB read buffer on an empty file
    # (LeakSanitizer, inside libFoundationEssentials, not in atcfix code), and the importers
    # read files with it: leak detection is off for that target only.
    [ "$t" = corpus-import ] && extra+=(-detect_leaks=0)
    set +e
    "$BIN/fuzz-$t" "$work/corpus" "${extra[@]}" -max_total_time="$SECONDS_BUDGET" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -artifact_prefix="$work/artifacts/" -print_final_stats=1 > "$work/log.txt" 2>&1
    rc=$?
    set -e
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log.txt" | grep -o '[0-9]*$' || echo "?")
    crashes=$(ls "$work/artifacts" | wc -l)
    echo "fuzz-$t: ${SECONDS_BUDGET}s, $execs executions, $crashes crash inputs, exit $rc, corpus $(ls "$work/corpus" | wc -l) files"
    [ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ] || status=1
done
exit $status
