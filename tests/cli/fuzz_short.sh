#!/bin/bash
# A short libFuzzer run of every target in tests/fuzz/ (FUZZ_SECONDS, default
# 2 s each) with ASan+UBSan: catches a parser regression in `make test`.
# Skips (77) when clang or its libFuzzer runtime (libclang-rt-NN-dev) is
# missing. The long run is `make fuzz FUZZ_SECONDS=N`.
. "$(dirname "$0")/../lib/common.sh"
command -v "${CLANG:-clang}" >/dev/null 2>&1 || skip "needs clang with libFuzzer (not installed)"
FUZZ_RUN_DIR=$T/fuzz FUZZ_SECONDS=${FUZZ_SECONDS:-2} "$REPO_ROOT/tests/fuzz/run"
rc=$?
case $rc in
0)  echo "# every fuzz target ran clean" ;;
77) skip "clang cannot build libFuzzer targets here (install libclang-rt-dev)" ;;
*)  keep=$REPO_ROOT/build-fuzz/crashes-from-make-test
    mkdir -p "$keep" && cp -r "$T/fuzz/crashes/." "$keep/" 2>/dev/null
    echo "FAIL: tests/fuzz/run exited $rc; reproducers copied to $keep/"; exit 1 ;;
esac
