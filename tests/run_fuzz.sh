#!/bin/sh
# A short, deterministic libFuzzer run over the seed corpus. New inputs go to a temporary
# directory (libFuzzer writes into its first corpus argument), never into the source tree.
#   run_fuzz.sh FUZZER SEED_DIR RUNS
set -eu
WORK=$(mktemp -d /tmp/adm-fuzz-XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM
"$1" -seed=1 -runs="$3" -max_len=1024 "$WORK" "$2"
