#!/usr/bin/env bash
# Fetches llama.cpp's tokenizer test vocabularies (ggml-vocab-*.gguf with .inp inputs and .out
# token ids produced by the reference tokenizers) from the llama-cpp-python 0.3.36 sdist on PyPI
# into .cache/vocab/ (git-ignored). Only the four vocabularies GGUFTests use are extracted, plus
# llama.cpp's generated Unicode class table (src/unicode-data.cpp), which a test compares with ours.
# Skips everything when they are already present. Needs python3 with pip (no build happens).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

VERSION=0.3.36
DEST=.cache/vocab
NAMES=(llama-spm llama-bpe qwen2 gpt-2)

missing=0
for n in "${NAMES[@]}"; do
    for ext in "" .inp .out; do
        [[ -s "$DEST/ggml-vocab-$n.gguf$ext" ]] || missing=1
    done
done
[[ -s "$DEST/unicode-data.cpp" ]] || missing=1
if [[ $missing == 0 ]]; then
    say "vocab fixtures present in $DEST"
    exit 0
fi

PIP=()
if [[ -x /work/peers/venv/bin/pip ]]; then PIP=(/work/peers/venv/bin/pip)
elif command -v pip3 >/dev/null; then PIP=(pip3)
elif python3 -m pip --version >/dev/null 2>&1; then PIP=(python3 -m pip)
else die "pip is needed to download the llama-cpp-python sdist (apt-get install python3-pip)"; fi

mkdir -p .cache/llama-cpp-python "$DEST"
SDIST=".cache/llama-cpp-python/llama_cpp_python-$VERSION.tar.gz"
if [[ ! -s "$SDIST" ]]; then
    say "downloading llama-cpp-python==$VERSION sdist (about 75 MB)"
    "${PIP[@]}" download --no-deps --no-binary llama-cpp-python -d .cache/llama-cpp-python "llama-cpp-python==$VERSION" >&2 \
        || die "pip download failed; check network access to PyPI"
fi
[[ -s "$SDIST" ]] || die "expected $SDIST after download"

members=()
for n in "${NAMES[@]}"; do
    for ext in "" .inp .out; do
        members+=("llama_cpp_python-$VERSION/vendor/llama.cpp/models/ggml-vocab-$n.gguf$ext")
    done
done
members+=("llama_cpp_python-$VERSION/vendor/llama.cpp/src/unicode-data.cpp")
say "extracting ${#members[@]} files into $DEST"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$SDIST" -C "$tmp" "${members[@]}" || die "the sdist lacks the expected vocab files"
for m in "${members[@]}"; do
    mv -f "$tmp/$m" "$DEST/"
done
say "vocab fixtures ready in $DEST"
