#!/usr/bin/env bash
# Runs the parsers' test suites under AddressSanitizer and the concurrency suites under
# ThreadSanitizer, each in its own build directory (.build-asan, .build-tsan) so that the
# normal .build is untouched. Both builds are slow (the whole package is rebuilt
# instrumented); run them in the background on a shared machine.
#
#   scripts/reliability/sanitize.sh [asan|tsan|all]      (default: all)
#
# Logs: .cache/sanitize/<kind>.log. Prints one summary line per kind and exits non-zero on any
# sanitizer report or failing test.
set -euo pipefail
source "$(dirname "$0")/../setup/common.sh"
cd "$ROOT"

KIND=${1:-all}
mkdir -p .cache/sanitize

# Parsers: everything that reads bytes from files or text from users.
ASAN_FILTER='^(SupportTests|ATCTextTests|CSVIOTests|GGUFTests|VectorIndexTests|PhraseStoreTests)\.'
# Concurrency: HNSW searches with concurrent adds, sessions sharing a model and a worker pool,
# parallel embedding and retrieval, the threaded kernels.
TSAN_FILTER='ConcurrencyTests|concurrentSessionsShareOneModel|sessionsSharingOnePool|PackedEmbedderTests|RetrieverTests|KernelTests|GraphTests'

run() {
    local kind=$1 sanitizer=$2 filter=$3 pattern=$4
    local log=.cache/sanitize/$kind.log
    say "$kind: building and testing with --sanitize=$sanitizer (log: $log)"
    set +e
    swift test --sanitize="$sanitizer" --scratch-path ".build-$kind" --filter "$filter" > "$log" 2>&1
    local rc=$?
    set -e
    local reports
    reports=$(grep -c "$pattern" "$log" || true)
    local summary
    summary=$(grep -E 'Test run with [0-9]+ tests' "$log" | tail -1 || true)
    echo "$kind: exit $rc, $reports sanitizer reports; ${summary:-no test summary (see $log)}"
    [ "$rc" -eq 0 ] && [ "$reports" -eq 0 ]
}

status=0
case $KIND in
    asan) run asan address "$ASAN_FILTER" 'ERROR: AddressSanitizer' || status=1 ;;
    tsan) run tsan thread "$TSAN_FILTER" 'WARNING: ThreadSanitizer' || status=1 ;;
    all)
        run asan address "$ASAN_FILTER" 'ERROR: AddressSanitizer' || status=1
        run tsan thread "$TSAN_FILTER" 'WARNING: ThreadSanitizer' || status=1
        ;;
    *) die "unknown kind '$KIND' (asan, tsan or all)" ;;
esac
exit $status
