#!/usr/bin/env bash
# The test command: installs what is missing (native libraries, the default model), then
# runs the whole test suite. Tests that need ../shared/corpora or the model say so when absent.
set -euo pipefail
source "$(dirname "$0")/setup/common.sh"
cd "$ROOT"
"$ROOT/scripts/setup/install-deps.sh"
"$ROOT/scripts/setup/fetch-model.sh"
"$ROOT/scripts/setup/fetch-vocab-fixtures.sh" || say "llama.cpp vocab fixtures unavailable; the GGUF vocab tests will say so and skip"
say "swift test"
exec swift test --parallel "$@"
