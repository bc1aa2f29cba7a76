#!/bin/sh
# Dense-retrieval transforms measured outside the index: embeds the distinct ATCOSIM-train
# references, the train Whisper hypotheses and the test queries with `atcfix index embed`
# (raw vectors of block LAYER, mean-pooled), then runs scripts/tuning/retrieval_transforms.py, which
# fits every transform on train only and prints exact-reference recall on the test rows whose
# reference is a train reference. Usage:
#   scripts/tuning/retrieval_transforms.sh CORPORA_DIR WORK [LAYER]
# Needs numpy (e.g. /work/peers/venv/bin/python as PYTHON).
set -eu
corpora=$1; work=$2; layer=${3:-5}
bin=${ATCFIX:-.build/release/atcfix}
python=${PYTHON:-python3}
mkdir -p "$work"
"$python" - "$corpora" "$work" <<'PY'
import csv, sys
corpora, work = sys.argv[1], sys.argv[2]
clean = lambda s: " ".join(s.replace("\n", " ").split())
train = list(csv.DictReader(open(f"{corpora}/atcosim/train.whisper-small.csv")))
test = list(csv.DictReader(open(f"{corpora}/atcosim/test.whisper-small.csv")))
refs, row = [], {}
for r in train:
    c = clean(r["correct_text"])
    if c not in row:
        row[c] = len(refs)
        refs.append(c)
pairs = [(clean(r["whisper_text"]), row[clean(r["correct_text"])]) for r in train if clean(r["whisper_text"])]
def write(name, lines):
    open(f"{work}/{name}", "w").write("\n".join(lines) + "\n")
write("refs.txt", refs)
write("hyps.txt", [p[0] for p in pairs])
write("hyp_ref.txt", [str(p[1]) for p in pairs])
write("tq.txt", [clean(r["whisper_text"]) for r in test])
write("tref.txt", [clean(r["correct_text"]) for r in test])
PY
for name in refs hyps tq; do
    [ -f "$work/$name.f32" ] || "$bin" index embed --layer "$layer" --in "$work/$name.txt" --out "$work/$name.f32"
done
"$python" "$(dirname "$0")/retrieval_transforms.py" "$work"
