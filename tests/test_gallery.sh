#!/bin/sh
# The user guide shows every screen (issue 13): each citizen scenario in both looks (normal,
# large text and high contrast) at 1920x1080 and 1080x1920, each technician one in both
# orientations; and every reference image the guide or the README names exists.
#   test_gallery.sh ADM_SHOT SOURCE_ROOT
set -eu
shot=$1
root=$2
guide=$root/docs/user-guide.md
bad=0
n=0
names=$("$shot" --list)
[ -n "$names" ] || { echo "adm-shot --list named no scenario"; exit 1; }
for s in $names; do
	case $s in
	*-large) continue ;; # with its normal twin below
	technician*) want="$s-1920x1080 $s-1080x1920" ;;
	*) want="$s-1920x1080 $s-large-1920x1080 $s-1080x1920 $s-large-1080x1920" ;;
	esac
	for w in $want; do
		n=$((n + 1))
		if ! grep -q "tests/ui-ref/$w\.png" "$guide"; then
			echo "docs/user-guide.md does not show tests/ui-ref/$w.png"
			bad=1
		fi
	done
done
for doc in "$guide" "$root/README.md"; do
	for p in $(grep -o 'tests/ui-ref/[A-Za-z0-9x-]*\.png' "$doc" | sort -u); do
		if [ ! -f "$root/$p" ]; then
			echo "$doc names $p, which does not exist"
			bad=1
		fi
	done
done
[ $bad -ne 0 ] || echo "docs/user-guide.md shows all $n reference screens"
exit $bad
