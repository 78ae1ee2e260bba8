#!/bin/sh
# The kiosk demo: installs what it needs, builds, and starts the whole kiosk with stand-ins
# for the world around it, all on this machine:
#   - adm-central, the reference central server, with synthetic citizens (loopback);
#   - adm-syncd keeping the kiosk's cache in sync with it;
#   - a virtual PN532 card reader that libnfc talks to, holding the citizens' KTP-el cards;
#   - a virtual QR scanner;
#   - a private CUPS with a virtual A4 printer and a virtual card printer, printing into
#     demo-out/printed/ (never the system's CUPS);
#   - adm-kiosk itself.
# With a display (X11 or Wayland) the kiosk opens a 1920x1080 window: tap a card with the
# command it prints, then type the PIN. Without one it runs in a private X server (Xvfb)
# and goes through a whole visit by itself, touching the buttons where the kiosk's layout
# put them (tools/touch.sh, as the end-to-end tests do): a card, its PIN, a document, its
# print PIN, printed into demo-out/printed/, one screenshot per step in demo-out/steps/;
# then it waits for the next visit.
#   tools/demo.sh [--once]    --once: stop after the headless visit (the demo's test)
# Environment: ADM_DEMO_NO_DEPS=1 skips tools/install-deps.sh (no apt-get);
# ADM_DEMO_BUILD=DIR uses that built tree as it is (no meson, no ninja);
# ADM_DEMO_OUT=DIR writes there instead of demo-out/; ADM_DEMO_PRINTLAB_OPTS: more options
# for adm-printlab (its test asks for "--keep --keep-job-files": what the kiosk handed to
# CUPS stays in the lab's spool, for cmp with the central's document).
set -eu
once=false
[ "${1:-}" = --once ] && once=true
cd "$(dirname "$0")/.."
src=$(pwd)
[ "${ADM_DEMO_NO_DEPS:-}" = 1 ] || tools/install-deps.sh
build=${ADM_DEMO_BUILD:-}
if [ -z "$build" ]; then
	build=build
	[ -f build/build.ninja ] || meson setup build --buildtype=debugoptimized >/dev/null
	ninja -C build >/dev/null
fi

out=${ADM_DEMO_OUT:-$(pwd)/demo-out}
rm -rf "$out"
mkdir -p "$out"
pids=""
cleanup() {
	exec 8>&- 9>&- 2>/dev/null # end of input: the print lab and the scanner stop cleanly
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	pkill -TERM -P $$ 2>/dev/null || true
	sleep 0.5
}
trap cleanup EXIT
trap 'exit 1' INT TERM
wait_for() { # FILE PATTERN SECONDS
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt $(($3 * 10)) ]; then
			echo "demo: $1 never said '$2':" >&2
			tail -5 "$1" >&2
			exit 1
		fi
		sleep 0.1
	done
}

# Synthetic citizens (no real person), their PINs, and their documents as real PDFs.
"$build"/central/adm-central generate --db "$out/central.db" --seed 2026 --citizens 40 \
	--print-pins 12 >"$out/citizens.txt" 2>"$out/generate.log"
(umask 077 && echo "ADM-DEMO-01 3171 demo-token" >"$out/kiosks")
"$build"/central/adm-central serve --db "$out/central.db" --port 0 \
	--kiosks-file "$out/kiosks" >"$out/central.log" 2>&1 &
pids="$pids $!"
wait_for "$out/central.log" "listening on" 10
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$out/central.log" | head -n1)

head -c 32 /dev/urandom >"$out/kiosk.key"
chmod 600 "$out/kiosk.key"
printf demo-token >"$out/token"
"$build"/syncd/adm-syncd --db "$out/cache.db" --key "$out/kiosk.key" --url "$url" \
	--kiosk ADM-DEMO-01 --token-file "$out/token" --once >"$out/syncd.log" 2>&1
"$build"/syncd/adm-syncd --db "$out/cache.db" --key "$out/kiosk.key" --url "$url" \
	--kiosk ADM-DEMO-01 --token-file "$out/token" --interval 10 >>"$out/syncd.log" 2>&1 &
pids="$pids $!"

# Each citizen with an account PIN gets a KTP-el card in the virtual reader; the card's
# date of birth and sex follow from the NIK, as on a real card.
awk '/account PIN/ {
	nik = $1; name = ""
	for (i = 2; i <= NF - 3; i++) name = name (name ? " " : "") toupper($i)
	d = substr(nik, 7, 2) + 0; sex = "L"; if (d > 40) { sex = "P"; d -= 40 }
	y = substr(nik, 11, 2) + 0; y += (y > 30 ? 1900 : 2000)
	printf "A\t04%02X%02X%02X%02X%02X%02X\t%s\t%s0101990001\t%s\t%s\tJAKARTA\t%04d-%s-%02d\t%s\tJL. MERDEKA NO. %d\t%016X\n",
		NR, NR * 7 % 256, NR * 13 % 256, NR * 17 % 256, NR * 19 % 256, NR * 23 % 256,
		nik, substr(nik, 1, 6), name, sex, y, substr(nik, 9, 2), d, substr(nik, 1, 6), NR, NR * 7919
}' "$out/citizens.txt" >"$out/cards.txt"
"$build"/tools/vpn532/adm-vpn532 --link "$out/pn532" --cards "$out/cards.txt" \
	--control "$out/reader.sock" --timing >"$out/reader.log" 2>&1 &
pids="$pids $!"
wait_for "$out/reader.log" "^ready" 10

mkfifo "$out/printlab.in"
# shellcheck disable=SC2086 # ADM_DEMO_PRINTLAB_OPTS: words
"$build"/tools/printlab/adm-printlab --out "$out/printed" --printer A4 --printer CARD:card \
	${ADM_DEMO_PRINTLAB_OPTS:-} <"$out/printlab.in" >"$out/printlab.log" 2>&1 &
pids="$pids $!"
exec 8>"$out/printlab.in" # keeps the print lab's input open; "quit" ends it
wait_for "$out/printlab.log" "^ready" 30
cups=$(sed -n 's/^CUPS_SERVER=//p' "$out/printlab.log")

mkfifo "$out/scanner.in"
"$build"/tools/vscanner/adm-vscanner --link "$out/scanner" <"$out/scanner.in" >"$out/scanner.log" 2>&1 &
pids="$pids $!"
exec 9>"$out/scanner.in" # keeps the scanner's input open

cat >"$out/kiosk.conf" <<CONF
[kiosk]
id = ADM-DEMO-01
control = $out/kiosk.sock
location = Demo, $(hostname)
[display]
window = 1920x1080
assets = $(pwd)/ui-assets
[nfc]
device = pn532_uart:$out/pn532
[scanner]
device = $out/scanner
[cache]
path = $out/cache.db
key = $out/kiosk.key
[printer]
server = $cups
a4_queue = A4
card_queue = CARD
CONF

# The demo's visit: the first citizen with one A4 document that has a print PIN.
set -- $(awk 'function out() { if (!found && c != "" && docs == 1 && ok) { found = 1; print c, p, d, dp; exit } }
	/account PIN/ { out(); c = substr($1, 1, 4) == "3171" ? $1 : ""; p = $NF; docs = 0; next }
	$1 == "document" { docs++; d = $2; dp = $NF; ok = $3 != "KTP_EL" && $3 != "KIA" && $4 == "print" }
	END { out() }' "$out/citizens.txt")
[ $# -eq 4 ] || { echo "demo: no citizen with one A4 document and its print PIN" >&2; exit 1; }
nik=$1 pin=$2 doc=$3 docpin=$4
export LIBNFC_AUTO_SCAN=false
echo "demo: central server $url, $(grep -c 'account PIN' "$out/citizens.txt") synthetic citizens; PINs in $out/citizens.txt"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
	echo "demo: starting the kiosk in a window (Ctrl-C to stop). To tap a card:"
	echo "  $build/tools/vpn532/adm-vpn532ctl $out/reader.sock tap $nik   (account PIN $pin)"
	echo "  $build/tools/vpn532/adm-vpn532ctl $out/reader.sock remove"
	echo "  echo 'scan ADM1:L:$nik' > $out/scanner.in                  (a QR login)"
	echo "  print PINs of the documents: $out/citizens.txt; printed PDFs land in $out/printed/"
	echo "  printer faults: echo 'fault A4 jam' > $out/printlab.in (jam, media-empty, cover-open, none)"
	"$build"/kiosk/adm-kiosk --config "$out/kiosk.conf"
	exit 0
fi

# No display: a private X server, so that the visit goes through touches as on a kiosk.
. "$src/tools/touch.sh"
touch_xvfb 400 459 1920x1080 "$out/xvfb.log" || { echo "demo: Xvfb did not start" >&2; exit 1; }
pids="$pids $touch_xvfb_pid"
mkdir -p "$out/steps" "$out/touch"
echo "demo: no display found: the kiosk runs in a private X server ($DISPLAY); a visit goes by itself."
SDL_VIDEODRIVER=x11 "$build"/kiosk/adm-kiosk --config "$out/kiosk.conf" \
	--office-screenshot "$out/touch/shot.png" --screenshot-dir "$out" \
	--screenshot-every 5 >"$out/kiosk.log" 2>&1 &
kiosk=$!
pids="$pids $kiosk"
touch_admctl="$build/admctl/admctl" touch_conf="$out/kiosk.conf" touch_dir="$out/touch"
step=0
# shot NAME: the screen as it is now, as steps/NN-NAME.png
shot() {
	step=$((step + 1))
	: >"$out/touch/shot.png.request"
	i=0
	while [ -e "$out/touch/shot.png.request" ]; do
		i=$((i + 1))
		[ $i -gt 50 ] && { echo "demo: the kiosk wrote no screenshot" >&2; exit 1; }
		sleep 0.1
	done
	mv "$out/touch/shot.png" "$out/steps/$(printf %02d $step)-$1.png"
}
# see STATE: STATE on screen within 60 s, else the demo stops saying what it saw
see() {
	touch_wait "$1" 60 || { echo "demo: expected $1 on the kiosk, it shows $(touch_field state)" >&2; exit 1; }
}
press() { touch "$@" || { echo "demo: no '$*' on the kiosk's $(touch_field state) screen" >&2; exit 1; }; }
touch_window 20 || { echo "demo: the kiosk opened no window" >&2; exit 1; }
see attract
wait_for "$out/kiosk.log" "card reader ready" 20
shot attract
echo "demo: tapping the KTP-el of a synthetic citizen (NIK $nik) on the virtual reader, for document $doc"
"$build"/tools/vpn532/adm-vpn532ctl "$out/reader.sock" tap "$nik" >/dev/null
see verify
shot card-read
touch_digits "$pin" || exit 1
shot account-pin
press confirm
see documents
shot documents
press tick-doc 0
shot document-ticked
press print-ticked
see authorise
touch_digits "$docpin" || exit 1
shot print-pin
press confirm
touch_idle 30 || exit 1
[ "$(touch_field state)" = printing ] && shot printing # a short document may be out already
see done
shot done
press finish
see attract
"$build"/tools/vpn532/adm-vpn532ctl "$out/reader.sock" remove >/dev/null
shot next-visit
echo "demo: printed into $out/printed/: $(cd "$out/printed" && ls A4/*.pdf)"
echo "demo: one screenshot per step in $out/steps/:"
ls "$out/steps" | sed 's/^/  /'
$once && exit 0
echo "demo: waiting for the next visit (Ctrl-C to stop): the screen is in $out/latest.png every 5 s;"
echo "  tap a card: $build/tools/vpn532/adm-vpn532ctl $out/reader.sock tap NIK (citizens in $out/citizens.txt)"
echo "  touch a button: admctl screen --config $out/kiosk.conf, then xdotool on DISPLAY=$DISPLAY"
wait "$kiosk"
