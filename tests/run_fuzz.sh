#!/bin/sh
# A short, deterministic libFuzzer run over the seed corpus. New inputs go to a temporary
# directory (libFuzzer writes into its first corpus argument), never into the source tree.
#   run_fuzz.sh FUZZER SEED_DIR RUNS [LIBFUZZER_FLAG...]
set -eu
WORK=$(mktemp -d /tmp/adm-fuzz-XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM
FUZZER=$1 SEEDS=$2 RUNS=$3
shift 3
# libFuzzer's own exit code for a crash is 77, which meson reads as "skipped": a crash
# must fail the test.
"$FUZZER" -seed=1 -runs="$RUNS" -max_len=1024 -error_exitcode=1 "$@" "$WORK" "$SEEDS"
