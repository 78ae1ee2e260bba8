#!/bin/sh
# bench-kiosk on a kiosk with everything it has in the field (docs/benchmarks.md): a card
# reader (the virtual PN532, libnfc's pn532_uart driver polling an empty field), a cache
# filled by adm-syncd from adm-central (20 000 citizens, 2 000 documents with their
# files), the QR scanner (virtual, on a pty) and an A4 and a card printer (a private cupsd
# with virtual IPP printers). Everything is started here in a temporary directory and
# stopped on exit; the kiosk's log is checked afterwards, so that a device that did not
# open fails the benchmark instead of flattering it.
#
#   tools/bench/bench-kiosk-full.sh BUILD_DIR [bench-kiosk options]   (from the source tree)
#
# BENCH_WITHOUT="nfc scanner printer" leaves those devices out of the kiosk's
# configuration (they still run), to see what each costs.
set -u
B=$1
shift
SRC=$(pwd)
[ -f "$SRC/tools/bench/attract.html" ] || {
	echo "run from the source tree"
	exit 2
}
central="$B/tools/central/adm-central"
[ -x "$central" ] || central="$B/central/adm-central" # its new home
tmp=$(mktemp -d /tmp/adm-bench-kiosk-XXXXXX)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() {
	echo "bench-kiosk-full: $*"
	for f in "$tmp"/*.log; do
		echo "--- $f"
		tail -20 "$f"
	done
	exit 1
}
wait_for() { # FILE PATTERN SECONDS
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt $(($3 * 20)) ] && return 1
		sleep 0.05
	done
}

# the cache: a real initial sync
"$central" generate --db "$tmp/central.db" --citizens 20000 --doc-every 10 \
	--print-pins 1 --cheap-pins >"$tmp/generate.log" 2>&1 || fail "adm-central generate"
nik=$(awk 'NR == 1 { print $1 }' "$tmp/generate.log")
(umask 077 && echo "K1 * bench-token" >"$tmp/kiosks") # tokens stay out of argv
"$central" serve --db "$tmp/central.db" --port 0 \
	--kiosks-file "$tmp/kiosks" >"$tmp/central.log" 2>&1 &
server=$!
pids="$pids $server"
wait_for "$tmp/central.log" "listening on" 10 || fail "adm-central did not start"
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$tmp/central.log" | head -n1)
head -c 32 /dev/urandom >"$tmp/kiosk.key"
chmod 600 "$tmp/kiosk.key"
printf bench-token >"$tmp/token"
"$B/syncd/adm-syncd" --db "$tmp/cache.db" --key "$tmp/kiosk.key" --url "$url" --kiosk K1 \
	--token-file "$tmp/token" --pin-cost-min m=8,t=1 --once >"$tmp/syncd.log" 2>&1 ||
	fail "adm-syncd --once" # --cheap-pins: libsodium's minimum argon2 costs
kill "$server"
docs=$(sqlite3 "$tmp/cache.db" "SELECT count(*) FROM documents WHERE blob_missing = 0")
[ "$docs" -gt 0 ] || fail "the cache holds no document with its file"

# the card reader: a citizen's card known to it, none on the field
region=$(echo "$nik" | cut -c1-6)
printf 'A\t04A1B2C3D4E5F6\t%s\t%s0101990001\tWARGA UJI\tL\tJAKARTA\t1980-01-01\t%s\tJL. UJI NO. 1\tAE84379630AF89EE\n' \
	"$nik" "$region" "$region" >"$tmp/cards.txt"
"$B/tools/vpn532/adm-vpn532" --link "$tmp/pn532" --cards "$tmp/cards.txt" \
	--control "$tmp/vpn532.sock" >"$tmp/vpn532.log" 2>&1 &
pids="$pids $!"
wait_for "$tmp/vpn532.log" "^ready" 10 || fail "the virtual reader did not start"

# the printers
mkfifo "$tmp/printlab.in"
"$B/tools/printlab/adm-printlab" --out "$tmp/printed" --printer A4 --printer CARD:card \
	<"$tmp/printlab.in" >"$tmp/printlab.log" 2>&1 &
pids="$pids $!"
exec 8>"$tmp/printlab.in"
wait_for "$tmp/printlab.log" "^ready" 30 || fail "the private cupsd did not start"
cups=$(sed -n 's/^CUPS_SERVER=//p' "$tmp/printlab.log")

# the QR scanner
mkfifo "$tmp/scanner.in"
"$B/tools/vscanner/adm-vscanner" --link "$tmp/scanner" <"$tmp/scanner.in" \
	>"$tmp/scanner.log" 2>&1 &
pids="$pids $!"
exec 7>"$tmp/scanner.in"
wait_for "$tmp/scanner.log" "^ready" 10 || fail "the virtual scanner did not start"

without() { case " ${BENCH_WITHOUT:-} " in *" $1 "*) return 0 ;; esac; return 1; }
{
	printf '[kiosk]\nid = K1\n[display]\nassets = %s\n' "$SRC/ui-assets"
	printf '[cache]\npath = %s\nkey = %s\n' "$tmp/cache.db" "$tmp/kiosk.key"
	without nfc || printf '[nfc]\ndevice = pn532_uart:%s\n' "$tmp/pn532"
	without scanner || printf '[scanner]\ndevice = %s\n' "$tmp/scanner"
	without printer || printf '[printer]\nserver = %s\na4_queue = A4\ncard_queue = CARD\n' "$cups"
} >"$tmp/kiosk.conf"
[ -n "${BENCH_WITHOUT:-}" ] && echo "left out of the configuration: $BENCH_WITHOUT"
echo "full configuration: virtual PN532, cache of $docs documents with their files" \
	"($(du -k "$tmp/cache.db" | cut -f1) KiB), virtual QR scanner, A4 and card printers"
{ LIBNFC_AUTO_SCAN=false "$B/tools/bench/bench-kiosk" --log "$tmp/kiosk.log" "$@" \
	"$B/kiosk/adm-kiosk" "$tmp/kiosk.conf" || touch "$tmp/failed"; } | tee "$tmp/bench.out"
[ -e "$tmp/failed" ] && fail "bench-kiosk"
# every run must have had every device: count what the kiosk said it opened
count() { grep -c "$1" "$tmp/kiosk.log"; }
runs=$(grep -c "adm-kiosk run" "$tmp/bench.out")
readers=$(count "card reader ready")
scanners=$(count "QR scanner connected")
echo "kiosk log: card reader ready $readers times, QR scanner connected $scanners times"
grep -q "cannot open the cache\|no document cache" "$tmp/kiosk.log" && fail "the cache did not open"
without printer || ! grep -q "printing needs\|cannot be used\|no printer" "$tmp/kiosk.log" ||
	fail "a printer did not open"
[ "$runs" -gt 0 ] || fail "no run"
without nfc || [ "$readers" -eq "$runs" ] || fail "the reader did not open in every run"
without scanner || [ "$scanners" -eq "$runs" ] || fail "the scanner did not open in every run"
# the last run's health, as the kiosk wrote it for its heartbeat: both printers there
health=$(sqlite3 "$tmp/cache.db" "SELECT value FROM sync_state WHERE key = 'health'")
echo "kiosk health: $health"
without printer || { echo "$health" | grep -q '"A4"' && echo "$health" | grep -q '"CARD"' &&
	! echo "$health" | grep -q 'printers-down'; } || fail "the printers were not in service"
