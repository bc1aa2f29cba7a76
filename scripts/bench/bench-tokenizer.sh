#!/usr/bin/env bash
# Tokenizer benchmark: 10 000 ATC sentences (whisper_text and correct_text of the ATCOSIM train
# split in ../shared/corpora) tokenized with SmolLM2's tokenizer, single core, release build,
# side by side with llama.cpp through llama-cpp-python (vocab_only). Also checks that both give
# identical ids for every sentence.
# Usage: scripts/bench/bench-tokenizer.sh [MODEL.gguf] [CORPORA_DIR]
set -euo pipefail
source "$(dirname "$0")/../setup/common.sh"
cd "$ROOT"

MODEL=${1:-models/SmolLM2-135M-Instruct.Q4_1.gguf}
CORPORA=${2:-${ATCFIX_CORPORA:-$ROOT/../shared/corpora}}
PYTHON=${PYTHON:-/work/peers/venv/bin/python}
CSV="$CORPORA/atcosim/train.whisper-finetuned.csv"
[[ -f "$MODEL" ]] || die "model $MODEL not found (scripts/setup/fetch-model.sh)"
[[ -f "$CSV" ]] || die "corpus $CSV not found (set ATCFIX_CORPORA)"
"$PYTHON" -c "import llama_cpp" 2>/dev/null || die "$PYTHON lacks llama-cpp-python==0.3.36"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The sentences stay in a temporary directory: shared data is never copied into the repository.
"$PYTHON" - "$CSV" "$work/sentences.txt" <<'PY'
import csv, sys
rows = csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))
out = []
for r in rows:
    for key in ("whisper_text", "correct_text"):
        t = r[key]
        if t and "\n" not in t and "\r" not in t:
            out.append(t)
out = out[:10000]
assert len(out) == 10000, len(out)
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY

say "building release atcfix"
swift build -c release --product atcfix >&2
BIN="$(swift build -c release --show-bin-path)/atcfix"

say "atcfix (Swift), core 0"
taskset -c 0 "$BIN" model tokenize "$MODEL" --lines "$work/sentences.txt" --repeat 7 > "$work/swift.ids"

say "llama.cpp via llama-cpp-python 0.3.36, core 0"
taskset -c 0 "$PYTHON" - "$MODEL" "$work/sentences.txt" "$work/peer.ids" <<'PY'
import sys, time, llama_cpp
llm = llama_cpp.Llama(model_path=sys.argv[1], vocab_only=True, verbose=False)
lines = [l.encode("utf-8") for l in open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]]
times = []
for _ in range(7):
    t = time.perf_counter()
    ids = [llm.tokenize(l, add_bos=False, special=False) for l in lines]
    times.append(time.perf_counter() - t)
open(sys.argv[3], "w").write("".join(" ".join(map(str, i)) + "\n" for i in ids))
times.sort()
print(f"tokenized {len(lines)} lines, {sum(map(len, ids))} tokens: median {times[3]:.4f} s over 7 runs "
      f"(min {times[0]:.4f}, max {times[-1]:.4f})", file=sys.stderr)
PY

if cmp -s "$work/swift.ids" "$work/peer.ids"; then
    say "ids identical for all $(wc -l < "$work/sentences.txt") sentences"
else
    diff <(nl -ba "$work/swift.ids") <(nl -ba "$work/peer.ids") | head -20 >&2
    die "ids differ between atcfix and llama.cpp"
fi
