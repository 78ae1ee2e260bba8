#!/bin/sh
# The kiosk's memory over many whole visits (docs/benchmarks.md, issue 13): adm-kiosk on
# Xvfb (x11 driver, 1920x1080) with every real component of tests/e2e: adm-central's
# synthetic citizens synced by adm-syncd into a real cache, the virtual PN532 holding their
# cards, the virtual QR scanner, a private cupsd with virtual A4 and card printers. Each
# visit: attract -> card tapped -> account PIN typed on the X keyboard -> the list ->
# the document's print QR scanned (its one-time PIN) -> printed by CUPS -> done -> card
# lifted, Escape -> attract; every --refill visits (50) a technician refills paper and cards
# (their card and PIN, technician mode). RSS and PSS (/proc/PID/smaps_rollup) are sampled before the
# first visit and every --every visits (tools/bench/bench_visits.py prints them).
#
#   tools/bench/bench-visits.sh BUILD_DIR [--visits N] [--every K] [--cheap-pins]
#                                [--refill K] [--conf-extra FILE] [--kiosk DIR] [--after CMD]
#                                                                   (from the source tree)
#
# Every visit has a citizen and a document of its own (a printed document is not offered
# again), so N citizens are generated; at production PIN cost (adm-central's default)
# that takes ~0.2 s each; --cheap-pins uses libsodium's minimum, as the tests do.
# --conf-extra FILE is appended to kiosk.conf: sections of features that are not on by
# default (audio, thumbnails) go there. --kiosk DIR runs the adm-kiosk of DIR (with its
# adm-kiosk-backend.so and adm-readerd beside it) instead of BUILD_DIR's: two builds
# compared in the same world. --after CMD runs CMD (sh -c) after the last visit, with the
# kiosk still on its attract screen: KIOSK_PID and BENCH_DIR (the run's directory, its
# kiosk.log) in its environment, e.g. --after 'tools/bench/smaps_top.py $KIOSK_PID 8'.
set -u
B=$1
shift
SRC=$(pwd)
[ -f "$SRC/tests/e2e/world.sh" ] || {
	echo "run from the source tree"
	exit 2
}
visits=1000 every=100 refill=50 cheap="" extra="" kdir=$B/kiosk after=""
while [ $# -gt 0 ]; do
	case $1 in
	--visits) visits=$2 && shift ;;
	--every) every=$2 && shift ;;
	--refill) refill=$2 && shift ;;
	--cheap-pins) cheap=--cheap-pins ;;
	--conf-extra) extra=$2 && shift ;;
	--kiosk) kdir=$2 && shift ;;
	--after) after=$2 && shift ;;
	*) echo "usage: bench-visits.sh BUILD_DIR [--visits N] [--every K] [--refill K] [--cheap-pins] [--conf-extra FILE] [--kiosk DIR] [--after CMD]" && exit 2 ;;
	esac
	shift
done
tmp=$(mktemp -d /var/tmp/adm-bench-visits-XXXXXX)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() {
	echo "bench-visits: $*"
	for f in "$tmp"/*.log; do
		echo "--- $f"
		tail -20 "$f"
	done
	exit 1
}
. "$SRC/tests/e2e/world.sh"

# citizens with one document each, their PINs printed; the kiosk serves every region
t0=$(date +%s)
"$B/central/adm-central" generate --db "$tmp/central.db" --seed 13 --citizens "$visits" \
	--doc-every 1 --print-pins "$visits" $cheap >"$tmp/generate.log" 2>&1 ||
	fail "adm-central generate"
t1=$(date +%s)
# NIK PIN DOCUMENT PRINT_PIN, one line a visit
awk '/account PIN/ { c = $1; p = $NF; next } $1 == "document" { print c, p, $2, $NF }' \
	"$tmp/generate.log" >"$tmp/visits.txt"
[ "$(wc -l <"$tmp/visits.txt")" -eq "$visits" ] || fail "fewer than $visits citizens with a document"
world_central bench-token '*'
echo "$visits citizens generated in $((t1 - t0)) s${cheap:+ (cheap PINs)}, synced in $(($(date +%s) - t1)) s"

# every visitor's card on the virtual reader (unique UIDs), then the technician's
: >"$tmp/cards.all"
n=0
while read -r nik _; do
	world_cards "$nik"
	n=$((n + 1))
	head -n 1 "$tmp/cards.txt" | sed "s/04A1B2C3D4E5F6/$(printf '04%012X' $n)/" >>"$tmp/cards.all"
done <"$tmp/visits.txt"
tail -n 1 "$tmp/cards.txt" >>"$tmp/cards.all"
mv "$tmp/cards.all" "$tmp/cards.txt"
world_reader
world_printlab
world_scanner

world_xvfb 140 199 1920x1080

world_kiosk_conf 30
sed -i 's/^window = .*/window = 1920x1080/' "$tmp/kiosk.conf"
[ -n "$extra" ] && cat "$extra" >>"$tmp/kiosk.conf"
LIBNFC_AUTO_SCAN=false SDL_VIDEODRIVER=x11 "$kdir/adm-kiosk" --config "$tmp/kiosk.conf" \
	>"$tmp/kiosk.log" 2>&1 &
kiosk=$!
pids="$pids $kiosk"
wait_for "$tmp/kiosk.log" "card reader ready" 10 || fail "the kiosk did not open the reader"
wait_for "$tmp/kiosk.log" "QR scanner connected" 10 || fail "the kiosk did not open the scanner"
win=$(xdotool search --name "Anjungan Dukcapil Mandiri" | head -n1)
[ -n "$win" ] || fail "no kiosk window on the X server"
xdotool windowfocus "$win" 2>/dev/null
sleep 2 # printers open on the services worker

python3 "$SRC/tools/bench/bench_visits.py" --pid "$kiosk" --log "$tmp/kiosk.log" \
	--reader "$B/tools/vpn532/adm-vpn532ctl $tmp/vpn532.sock" --scanner "$tmp/scanner.in" \
	--visits "$tmp/visits.txt" --every "$every" --tech "$tech" --refill "$refill" || fail "a visit did not go through"
printed=$(find "$tmp/printed" -type f | wc -l)
[ "$printed" -ge "$visits" ] || fail "$printed files at the virtual printers after $visits visits"
echo "the virtual printers received $printed files"
[ -z "$after" ] || KIOSK_PID=$kiosk BENCH_DIR=$tmp sh -c "$after"
