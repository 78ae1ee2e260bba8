#!/bin/sh
# Fails when a tracked C file differs from what clang-format makes of it (.clang-format).
set -eu
cd "$1"
CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
bad=0
for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*'); do
	if ! "$CLANG_FORMAT" --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "not clang-formatted: $f (run: clang-format -i $f)"
		bad=1
	fi
done
exit $bad
