#!/bin/sh
# libnfc's own nfc-list against the virtual PN532, driven with the adm-vpn532ctl CLI: it
# must see a type A KTP-el (UID, SAK 20, ATS), a type B card (PUPI), two cards at once, and
# nothing on an empty field. The simulator always stops (trap), and a hung step fails.
#   test_nfc_list.sh ADM_VPN532 ADM_VPN532CTL ADM_SYNTH NFC_LIST
set -u
VPN532=$1 CTL=$2 SYNTH=$3 NFC_LIST=$4
DIR=$(mktemp -d /tmp/adm-nfclist-XXXXXX)
PID=
cleanup() {
	if [ -n "$PID" ]; then
		kill "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
	fi
	rm -rf "$DIR"
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }

"$SYNTH" --seed 7 --count 12 --out "$DIR/cards.tsv" || fail "adm-synth"
mkfifo "$DIR/out"
"$VPN532" --link "$DIR/nfc" --cards "$DIR/cards.tsv" >"$DIR/out" &
PID=$!
# Ready when it says so (pitfall 9); give up after 5 s.
READY=$(timeout 5 head -n 1 "$DIR/out")
case "$READY" in "ready "*) ;; *) fail "simulator not ready: $READY" ;; esac

export LIBNFC_DEVICE="pn532_uart:$DIR/nfc" LIBNFC_AUTO_SCAN=false
list() { timeout 20 "$NFC_LIST" 2>&1; }

A=$(awk -F'\t' '$1=="A"{print $3 " " $2; exit}' "$DIR/cards.tsv")
B=$(awk -F'\t' '$1=="B"{print $3 " " $2; exit}' "$DIR/cards.tsv")
A_NIK=${A% *} A_UID=${A#* } B_NIK=${B% *} B_UID=${B#* }
spaced() { echo "$1" | tr 'A-F' 'a-f' | sed 's/../&  /g; s/  $//'; }

OUT=$(list) || fail "nfc-list failed on an empty field: $OUT"
echo "$OUT" | grep -q "NFC device: user defined device opened" || fail "no device: $OUT"
echo "$OUT" | grep -q "passive target" && fail "empty field shows a target: $OUT"

"$CTL" "$DIR/nfc.ctl" tap "$A_NIK" >/dev/null || fail "tap A"
OUT=$(list) || fail "nfc-list (A): $OUT"
echo "$OUT" | grep -q "1 ISO14443A passive target(s) found" || fail "A not listed: $OUT"
echo "$OUT" | grep -q "UID (NFCID1): $(spaced "$A_UID")" || fail "A UID $A_UID: $OUT"
echo "$OUT" | grep -q "SAK (SEL_RES): 20" || fail "A SAK: $OUT"
echo "$OUT" | grep -q "ATS:" || fail "A ATS: $OUT"

"$CTL" "$DIR/nfc.ctl" tap "$B_NIK" >/dev/null || fail "tap B"
OUT=$(list) || fail "nfc-list (B): $OUT"
echo "$OUT" | grep -q "1 ISO14443B passive target(s) found" || fail "B not listed: $OUT"
echo "$OUT" | grep -q "PUPI: $(spaced "$B_UID")" || fail "B PUPI $B_UID: $OUT"

"$CTL" "$DIR/nfc.ctl" tap double >/dev/null || fail "tap double"
OUT=$(list) || fail "nfc-list (double): $OUT"
echo "$OUT" | grep -q "2 ISO14443A passive target(s) found" || fail "two cards: $OUT"

"$CTL" "$DIR/nfc.ctl" tap mifare >/dev/null || fail "tap mifare"
OUT=$(list)
echo "$OUT" | grep -q "SAK (SEL_RES): 08" || fail "MIFARE Classic: $OUT"

"$CTL" "$DIR/nfc.ctl" tap no-such-card >/dev/null && fail "unknown card accepted"
"$CTL" "$DIR/nfc.ctl" remove >/dev/null || fail "remove"
STATUS=$("$CTL" "$DIR/nfc.ctl" status) || fail "status"
echo "$STATUS" | grep -q "plugged=yes field=-" || fail "status: $STATUS"
echo "ok: $STATUS"
exit 0
