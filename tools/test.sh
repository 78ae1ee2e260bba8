#!/bin/sh
# Runs every test of the project, as CI does: installs the dependencies, builds with gcc
# and runs all suites, then builds with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer and runs them again. Build folders: build-test, build-asan.
set -eu
cd "$(dirname "$0")/.."
tools/install-deps.sh

status=0
run() { # NAME: meson test in build folder NAME, collecting the result
	if ! meson test -C "$1" --print-errorlogs --num-processes 2; then
		status=1
	fi
}
setup() { # NAME ARGS...: configure once, reconfigure after that
	dir=$1
	shift
	if [ -f "$dir/build.ninja" ]; then
		meson setup --reconfigure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi
	ninja -C "$dir"
}

echo "== gcc build, all suites"
CC=gcc setup build-test --buildtype=debugoptimized
run build-test

echo "== clang build with ASan + UBSan, all suites"
CC=clang setup build-asan --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false \
	-Dfuzzers=true
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
LSAN_OPTIONS=suppressions="$(pwd)/tests/lsan.supp" \
	run build-asan

python3 tools/test-summary.py build-test/meson-logs/testlog.json build-asan/meson-logs/testlog.json
exit $status
