#!/bin/sh
# adm-kiosk with its card reader in adm-readerd (issue 11, item 4): a status byte with the
# NAD bit makes libnfc abort() in the middle of a read. The kiosk must live on, report the
# reader lost and back, and read the card still on the reader. Its log (the reader's too)
# must not carry the NIK or the name in clear; the health it stores counts the crash.
#   test_kiosk_reader.sh ADM_KIOSK ADM_VPN532 ADM_VPN532CTL ADM_SYNTH SRC_ROOT
set -u
KIOSK=$1 VPN532=$2 CTL=$3 SYNTH=$4 SRC=$5
tmp=$(mktemp -d /tmp/adm-kiosk-nfc-XXXXXX)
sim="" kiosk=""
cleanup() {
	[ -n "$kiosk" ] && kill -9 "$kiosk" 2>/dev/null
	[ -n "$sim" ] && kill "$sim" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() {
	echo "FAIL: $*"
	echo "--- kiosk log"
	cat "$tmp/kiosk.log"
	exit 1
}
wait_log() { # FILE PATTERN SECONDS: also fails at once if the kiosk died
	i=0
	while ! grep -q "$2" "$1"; do
		i=$((i + 1))
		[ $i -gt $(($3 * 10)) ] && return 1
		[ -n "$kiosk" ] && ! kill -0 "$kiosk" 2>/dev/null && return 1
		sleep 0.1
	done
}
count() { grep -c "$1" "$tmp/kiosk.log"; }

"$SYNTH" --seed 7 --count 4 --out "$tmp/cards.tsv" || fail "adm-synth"
nik=$(grep -v '^#' "$tmp/cards.tsv" | head -n1 | cut -f3)
name=$(grep -v '^#' "$tmp/cards.tsv" | head -n1 | cut -f5)
[ ${#nik} -eq 16 ] || fail "no citizen in the card file"
"$VPN532" --link "$tmp/nfc" --cards "$tmp/cards.tsv" >"$tmp/sim.log" 2>&1 &
sim=$!
wait_log "$tmp/sim.log" "^ready" 5 || fail "the virtual reader did not start"
head -c 32 /dev/urandom >"$tmp/kiosk.key"
chmod 600 "$tmp/kiosk.key"
printf '[kiosk]\nid = K1\n[display]\nwindow = 1366x768\nassets = %s/ui-assets\n[nfc]\ndevice = pn532_uart:%s/nfc\n[cache]\npath = %s/cache.db\nkey = %s/kiosk.key\n' \
	"$SRC" "$tmp" "$tmp" "$tmp" >"$tmp/kiosk.conf"
LIBNFC_AUTO_SCAN=false SDL_VIDEODRIVER=offscreen "$KIOSK" --config "$tmp/kiosk.conf" \
	>"$tmp/kiosk.log" 2>&1 &
kiosk=$!
wait_log "$tmp/kiosk.log" "card reader ready" 15 || fail "the kiosk did not open the reader"

# An honest read first, then the fault under the next one.
"$CTL" "$tmp/nfc.ctl" tap "$nik" >/dev/null || fail "tap"
wait_log "$tmp/kiosk.log" "reader: identity .* read in" 10 || fail "the card was not read"
"$CTL" "$tmp/nfc.ctl" remove >/dev/null || fail "remove"
sleep 0.5
"$CTL" "$tmp/nfc.ctl" fault nad >/dev/null || fail "fault nad"
"$CTL" "$tmp/nfc.ctl" tap "$nik" >/dev/null || fail "tap"
wait_log "$tmp/kiosk.log" "card reader lost: the reader process died" 10 ||
	fail "no word of the reader process dying"
kill -0 "$kiosk" 2>/dev/null || fail "the kiosk died with the reader"
"$CTL" "$tmp/nfc.ctl" status | grep -q "faults=1" || fail "the NAD fault was not dealt"
grep -q "card not read: reader" "$tmp/kiosk.log" || fail "the cut read was not the reader's failure"
wait_log "$tmp/kiosk.log" "card reader back" 10 || fail "the reader did not come back"
# The card still lies there: the new reader process reads it.
i=0
while [ "$(count 'reader: identity .* read in')" -lt 2 ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "the card was not read after the restart"
	sleep 0.1
done
kill -0 "$kiosk" 2>/dev/null || fail "the kiosk died"
# The health the kiosk stores (and adm-syncd sends) shows the reader working, restarted once.
i=0
until sqlite3 "$tmp/cache.db" "SELECT value FROM sync_state WHERE key = 'health'" 2>/dev/null |
	grep '"reader":"ok"' | grep -q '"reader_crashes":1'; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "the stored health does not count the crash: $(sqlite3 "$tmp/cache.db" \
		"SELECT value FROM sync_state WHERE key = 'health'" 2>&1)"
	sleep 0.1
done
grep -q "$nik" "$tmp/kiosk.log" && fail "the NIK is in the log in clear"
grep -qi "$name" "$tmp/kiosk.log" && fail "the name is in the log in clear"

kill -TERM "$kiosk"
i=0
while kill -0 "$kiosk" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 50 ] && fail "the kiosk did not stop within 5 s"
	sleep 0.1
done
wait "$kiosk"
rc=$?
kiosk=""
[ $rc -eq 0 ] || fail "exit status $rc after SIGTERM"
pgrep -f "adm-readerd .*$tmp/nfc" >/dev/null && fail "adm-readerd outlived the kiosk"
echo "ok: kiosk survived a libnfc abort; $(count 'reader: identity .* read in') reads"
exit 0
