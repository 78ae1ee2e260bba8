# The world around a kiosk, for whole-kiosk tests (sourced, POSIX sh): adm-central and one
# sync pass, the virtual card reader, the private cupsd with A4 and card printers, the
# virtual QR scanner, an Xvfb.
# The caller sets B (build root) and tmp (its temporary folder), keeps the pids of what
# runs in $pids (to stop on exit) and defines fail(). Every helper fails the test, never
# skips, when its component does not come up.

# wait_for FILE PATTERN SECONDS
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt $(($3 * 20)) ] && return 1
		sleep 0.05
	done
	return 0
}
# wait_count FILE PATTERN N SECONDS: until PATTERN is on N lines of FILE
wait_count() {
	i=0
	while [ "$(grep -c "$2" "$1" 2>/dev/null)" -lt "$3" ]; do
		i=$((i + 1))
		[ $i -gt $(($4 * 20)) ] && return 1
		sleep 0.05
	done
	return 0
}

# wait_path PATH SECONDS: until PATH exists (a socket, a lock file)
wait_path() {
	i=0
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ $i -gt $(($2 * 20)) ] && return 1
		sleep 0.05
	done
	return 0
}

# world_central TOKEN REGION: serves $tmp/central.db for kiosk K1 of REGION on loopback
# ($url) and fills $tmp/cache.db with one sync pass ($tmp/kiosk.key, $tmp/token). The
# generator's --cheap-pins hashes need adm-syncd's --pin-cost-min m=8,t=1.
world_central() {
	(umask 077 && echo "K1 $2 $1" >"$tmp/kiosks")
	"$B/central/adm-central" serve --db "$tmp/central.db" --port 0 \
		--kiosks-file "$tmp/kiosks" >"$tmp/central.log" 2>&1 &
	pids="$pids $!"
	wait_for "$tmp/central.log" "listening on" 5 || fail "adm-central did not start"
	url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$tmp/central.log" | head -n1)
	head -c 32 /dev/urandom >"$tmp/kiosk.key"
	chmod 600 "$tmp/kiosk.key"
	printf '%s' "$1" >"$tmp/token"
	"$B/syncd/adm-syncd" --db "$tmp/cache.db" --key "$tmp/kiosk.key" --url "$url" --kiosk K1 \
		--token-file "$tmp/token" --pin-cost-min m=8,t=1 --once >"$tmp/syncd.log" 2>&1 ||
		fail "adm-syncd --once"
}

# world_cards NIK: $tmp/cards.txt with the citizen's KTP-el (UID 04A1B2C3D4E5F6) and a
# technician's card (04DEADBEEF0001, on world_kiosk_conf's list, NIK in $tech). The
# biodata must agree with the NIK: sex and date of birth come from it.
world_cards() {
	dd=$(echo "$1" | cut -c7-8 | sed 's/^0//')
	mm=$(echo "$1" | cut -c9-10)
	yy=$(echo "$1" | cut -c11-12 | sed 's/^0//')
	sex=L
	[ "$dd" -gt 40 ] && sex=P && dd=$((dd - 40))
	year=$((yy > 30 ? 1900 + yy : 2000 + yy))
	region=$(echo "$1" | cut -c1-6)
	printf 'A\t04A1B2C3D4E5F6\t%s\t%s0101990001\tWARGA UJI\t%s\tJAKARTA\t%04d-%s-%02d\t%s\tJL. UJI NO. 1\tAE84379630AF89EE\n' \
		"$1" "$region" "$sex" "$year" "$mm" "$dd" "$region" >"$tmp/cards.txt"
	tech=$(echo "$1" | cut -c1-12)9999
	printf 'A\t04DEADBEEF0001\t%s\t%s0101990001\tTEKNISI UJI\t%s\tJAKARTA\t%04d-%s-%02d\t%s\tJL. UJI NO. 2\tAE84379630AF89EF\n' \
		"$tech" "$region" "$sex" "$year" "$mm" "$dd" "$region" >>"$tmp/cards.txt"
}

# world_reader: the virtual PN532 on $tmp/pn532 holding the cards of $tmp/cards.txt,
# controlled through $tmp/vpn532.sock (adm-vpn532ctl).
world_reader() {
	"$B/tools/vpn532/adm-vpn532" --link "$tmp/pn532" --cards "$tmp/cards.txt" \
		--control "$tmp/vpn532.sock" >"$tmp/vpn532.log" 2>&1 &
	pids="$pids $!"
	wait_for "$tmp/vpn532.log" "^ready" 5 || fail "virtual reader did not start"
}

# world_printlab: A4 and CARD printers printing into $tmp/printed/NAME; commands to the lab
# on file descriptor 8; $cups is the kiosk's [printer] server.
world_printlab() {
	mkfifo "$tmp/printlab.in"
	"$B/tools/printlab/adm-printlab" --out "$tmp/printed" --printer A4 --printer CARD:card \
		<"$tmp/printlab.in" >"$tmp/printlab.log" 2>&1 &
	pids="$pids $!"
	exec 8>"$tmp/printlab.in"
	wait_for "$tmp/printlab.log" "^ready" 20 || fail "the private cupsd did not start"
	cups=$(sed -n 's/^CUPS_SERVER=//p' "$tmp/printlab.log")
}

# world_scanner: the virtual QR scanner on $tmp/scanner; "scan TEXT" lines on descriptor 7.
world_scanner() {
	mkfifo "$tmp/scanner.in"
	"$B/tools/vscanner/adm-vscanner" --link "$tmp/scanner" <"$tmp/scanner.in" \
		>"$tmp/scanner.log" 2>&1 &
	pids="$pids $!"
	exec 7>"$tmp/scanner.in"
	wait_for "$tmp/scanner.log" "^ready" 5 || fail "virtual scanner did not start"
}

# world_xvfb FIRST LAST [WxH]: a private X server on the first free display in FIRST..LAST,
# its screen 1366x768 unless given.
world_xvfb() {
	for d in $(seq "$1" "$2"); do
		[ -e "/tmp/.X11-unix/X$d" ] || [ -e "/tmp/.X$d-lock" ] || break
	done
	Xvfb ":$d" -screen 0 "${3:-1366x768}x24" -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
	pids="$pids $!"
	wait_path "/tmp/.X11-unix/X$d" 5 || fail "Xvfb did not start"
	export DISPLAY=":$d"
}

# world_kiosk_conf STALL_TIMEOUT: the kiosk's configuration for these worlds (reader,
# scanner, cache, the technician card 04DEADBEEF0001 with PIN 424242, both printers), after
# world_printlab. Sets techhash.
world_kiosk_conf() {
	techhash=$(echo 424242 | "$B/kiosk/adm-kiosk" --hash-pin) || fail "adm-kiosk --hash-pin"
	cat >"$tmp/kiosk.conf" <<CONF
[kiosk]
id = K1
[display]
window = 1366x768
assets = $SRC/ui-assets
[nfc]
device = pn532_uart:$tmp/pn532
[scanner]
device = $tmp/scanner
[cache]
path = $tmp/cache.db
key = $tmp/kiosk.key
[technician]
cards = 04deadbeef0001
pin_hash = $techhash
[printer]
server = $cups
a4_queue = A4
card_queue = CARD
stall_timeout = $1
CONF
}
