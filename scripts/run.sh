#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds atcfix in release
# mode, builds the default index (the embedded phraseology corpus, plus ATCOSIM train's
# references and noisy pairs when ../shared/corpora is beside the checkout, embedded with the
# default model into an HNSW index beside the phrases) and
# batch-corrects the sample shipped in corpora/, printing WER before and after. The model and
# the index are linked into the per-user data directory ($ATCFIX_DATA_DIR, else
# $XDG_DATA_HOME/atcfix, else ~/.local/share/atcfix), where atcfix finds them from anywhere.
set -euo pipefail
source "$(dirname "$0")/setup/common.sh"
cd "$ROOT"
"$ROOT/scripts/setup/install-deps.sh"
"$ROOT/scripts/setup/fetch-model.sh"
say "swift build -c release"
swift build -c release --product atcfix
BIN="$(swift build -c release --show-bin-path)/atcfix"
INDEX="$ROOT/indexes/default"
CORPORA=(--corpus default)
TRAIN="${ATCFIX_CORPORA:-$ROOT/../shared/corpora}/atcosim/train.whisper-small.csv"
if [ -f "$TRAIN" ]; then
    CORPORA+=(--corpus "$TRAIN")
else
    say "no ATCOSIM train at $TRAIN: the index has the embedded corpus only"
fi
# Phrases into SQLite, LLaMA embeddings into HNSW; resumes and skips what is already built.
say "atcfix index build ${CORPORA[*]} --out $INDEX (train split only; never test)"
"$BIN" index build "${CORPORA[@]}" --out "$INDEX"
# The data directory gets the index too: the binary then works from any folder, no flags.
link_into_data_dir "$INDEX" indexes/default
OUT="$ROOT/indexes/sample.corrected.csv"
say "atcfix batch --in corpora/sample.csv --out $OUT --ref-column correct_text"
"$BIN" batch --index "$INDEX" --in corpora/sample.csv --out "$OUT" --ref-column correct_text
