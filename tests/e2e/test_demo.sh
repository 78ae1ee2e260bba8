#!/bin/sh
# tools/demo.sh without a display (issue 13, item 8): it goes through a whole visit by
# touch by itself (card, PIN, document, print PIN) and stops after it (--once): the
# document is printed into demo-out/printed/ with the pages and text of the central's (what
# the kiosk handed to CUPS, kept in the print lab's spool, is its bytes), and
# every step has its screenshot, a 1920x1080 PNG, in demo-out/steps/, which the demo names.
# No apt-get (ADM_DEMO_NO_DEPS), no rebuild (ADM_DEMO_BUILD): the build under test.
set -u
B=$1   # build root
SRC=$2 # source root
. "$SRC/tests/e2e/world.sh"
world_begin demo
fail() {
	echo "FAIL: $*"
	for f in "$tmp"/demo.log "$tmp"/out/*.log; do [ -f "$f" ] && echo "--- $f" && tail -20 "$f"; done
	exit 1
}
out=$tmp/out
# the print lab in $tmp, kept after the demo with its job files (world.sh: world_spool_cmp);
# cupsd's filters run as lp and reach its spool through $tmp: others may pass, not list
chmod 711 "$tmp"
env -u DISPLAY -u WAYLAND_DISPLAY ADM_DEMO_NO_DEPS=1 ADM_DEMO_BUILD="$B" ADM_DEMO_OUT="$out" \
	TMPDIR="$tmp" ADM_DEMO_PRINTLAB_OPTS="--keep --keep-job-files" timeout 200 "$SRC/tools/demo.sh" --once >"$tmp/demo.log" 2>&1 || fail "tools/demo.sh --once failed"
grep -q "no display found" "$tmp/demo.log" || fail "the demo did not run headless"
grep -q "install-deps" "$tmp/demo.log" && fail "the demo ran install-deps"

# the printed document is the central's
doc=$(sed -n 's/.*for document \([A-Z0-9]*\)$/\1/p' "$tmp/demo.log")
[ -n "$doc" ] || fail "the demo did not say which document it prints"
set -- "$out"/printed/A4/*.pdf
[ $# = 1 ] && [ -f "$1" ] || fail "$# PDFs in demo-out/printed/A4, expected 1"
sqlite3 "$out/central.db" "SELECT writefile('$tmp/central.pdf', data) FROM blobs WHERE sha256 =
	(SELECT sha256 FROM documents WHERE id = '$doc')" >/dev/null || fail "no blob for $doc"
[ "$(pdftotext -layout "$1" -)" = "$(pdftotext -layout "$tmp/central.pdf" -)" ] &&
	[ "$(pdfinfo "$1" | grep '^Pages:')" = "$(pdfinfo "$tmp/central.pdf" | grep '^Pages:')" ] ||
	fail "the printed PDF is not the central's $doc"
# what the kiosk handed to CUPS (before pdftopdf) is the central's, byte for byte: the one
# job of the visit
spool=$(sed -n 's/^job files in \([^ ]*\) .*/\1/p' "$out/printlab.log")
case "$spool" in "$tmp"/printlab-*/spool) ;; *) fail "the print lab kept its spool in '$spool'" ;; esac
set -- $(ls "$spool" | sed -n 's/^d0*\([0-9][0-9]*\)-001$/\1/p')
[ $# = 1 ] || fail "$# job documents in the print lab's spool, expected 1: $(ls "$spool")"
world_spool_cmp "$1" "$doc" "$(sqlite3 "$out/central.db" "SELECT sha256 FROM documents WHERE id = '$doc'")" \
	"$tmp/central.pdf"
grep -q "printed into $out/printed/" "$tmp/demo.log" || fail "the demo did not say where the print is"

# one screenshot per step, named, in order, each the kiosk's whole 1920x1080 screen
grep -q "one screenshot per step in $out/steps/" "$tmp/demo.log" ||
	fail "the demo did not say where the screenshots are"
for s in 01-attract 02-card-read 03-account-pin 04-documents 05-document-ticked 06-print-pin; do
	[ -f "$out/steps/$s.png" ] || fail "no step screenshot $s.png: $(ls "$out/steps")"
done
last=$(ls "$out/steps" | tail -n1)
case "$last" in [0-9][0-9]-next-visit.png) ;; *) fail "the last step is $last, not the next visit" ;; esac
ls "$out/steps" | grep -q -- '-done\.png$' || fail "no screenshot of the done screen"
for f in "$out"/steps/*.png; do
	python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read(24)
sys.exit(0 if d[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", d[16:24]) == (1920, 1080) else 1)' \
		"$f" || fail "$f is not a 1920x1080 PNG"
done
# two steps apart are different screens (a frozen screen would pass the rest)
cmp -s "$out/steps/01-attract.png" "$out/steps/04-documents.png" && fail "the screenshots do not change"
echo "ok: the headless demo printed $doc (the central's bytes to CUPS) into demo-out/printed/ and wrote $(ls "$out/steps" | wc -l) step screenshots"
