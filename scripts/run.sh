#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds atcfix in release
# mode and scores the sample shipped in corpora/ (WER before and after correction).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
"$ROOT/scripts/install-deps.sh"
"$ROOT/scripts/fetch-model.sh"
say "swift build -c release"
swift build -c release --product atcfix
BIN="$(swift build -c release --show-bin-path)/atcfix"
say "atcfix wer --in corpora/sample.csv"
"$BIN" wer --in corpora/sample.csv
