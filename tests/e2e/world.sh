# The world around a kiosk, for whole-kiosk tests (sourced, POSIX sh): adm-central and one
# sync pass, the virtual card reader, the private cupsd with A4 and card printers, the
# virtual QR scanner, an Xvfb.
# The caller sets B (build root), calls world_begin for its temporary folder $tmp, keeps
# the pids of what runs in $pids (and the kiosk's in $kiosk, if it likes) and defines
# fail(). Every helper fails the test, never skips, when its component does not come up.

. "$SRC/tools/touch.sh"

# world_begin NAME: $tmp, a new folder /tmp/adm-NAME-XXXXXX, and the traps that stop
# everything started and remove it when the test ends, passed or failed or interrupted.
world_begin() {
	tmp=$(mktemp -d "/tmp/adm-$1-XXXXXX")
	pids=""
	trap world_cleanup EXIT
	trap 'exit 1' INT TERM
}
# world_cleanup: what runs stopped (TERM, then KILL), $tmp removed
world_cleanup() {
	for p in $pids ${kiosk:-}; do kill "$p" 2>/dev/null; done
	sleep 0.2
	for p in $pids ${kiosk:-}; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$tmp"
}

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
# ($url, pid $central) and fills $tmp/cache.db with one sync pass ($tmp/kiosk.key, $tmp/token). The
# generator's --cheap-pins hashes need adm-syncd's --pin-cost-min m=8,t=1.
world_central() {
	(umask 077 && echo "K1 $2 $1" >"$tmp/kiosks")
	"$B/central/adm-central" serve --db "$tmp/central.db" --port 0 \
		--kiosks-file "$tmp/kiosks" >"$tmp/central.log" 2>&1 &
	central=$!
	pids="$pids $central"
	wait_for "$tmp/central.log" "listening on" 5 || fail "adm-central did not start"
	url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$tmp/central.log" | head -n1)
	central_token=$1
	head -c 32 /dev/urandom >"$tmp/kiosk.key"
	chmod 600 "$tmp/kiosk.key"
	printf '%s' "$1" >"$tmp/token"
	"$B/syncd/adm-syncd" --db "$tmp/cache.db" --key "$tmp/kiosk.key" --url "$url" --kiosk K1 \
		--token-file "$tmp/token" --pin-cost-min m=8,t=1 --once >"$tmp/syncd.log" 2>&1 ||
		fail "adm-syncd --once"
}

# world_cards NIK [NIK...]: $tmp/cards.txt with each citizen's KTP-el (the first one's UID
# 04A1B2C3D4E5F6, the next ones' 04A1B2C3D4E601, 02, ...) and a technician's card
# (04DEADBEEF0001, on world_kiosk_conf's list, NIK in $tech, of the first one's region).
# The biodata must agree with the NIK: sex and date of birth come from it.
world_cards() {
	: >"$tmp/cards.txt"
	n=0
	for c in "$@"; do
		uid=04A1B2C3D4E5F6
		[ $n -gt 0 ] && uid=$(printf '04A1B2C3D4E6%02X' $n)
		world_card "$uid" "$c" "WARGA UJI" 1 >>"$tmp/cards.txt"
		n=$((n + 1))
	done
	tech=$(echo "$1" | cut -c1-12)9999
	world_card 04DEADBEEF0001 "$tech" "TEKNISI UJI" 2 >>"$tmp/cards.txt"
}
# world_card UID NIK NAME HOUSE: one card line of adm-vpn532's --cards file
world_card() {
	dd=$(echo "$2" | cut -c7-8 | sed 's/^0//')
	mm=$(echo "$2" | cut -c9-10)
	yy=$(echo "$2" | cut -c11-12 | sed 's/^0//')
	sex=L
	[ "$dd" -gt 40 ] && sex=P && dd=$((dd - 40))
	year=$((yy > 30 ? 1900 + yy : 2000 + yy))
	region=$(echo "$2" | cut -c1-6)
	printf 'A\t%s\t%s\t%s0101990001\t%s\t%s\tJAKARTA\t%04d-%s-%02d\t%s\tJL. UJI NO. %s\tAE84379630AF89%s\n' \
		"$1" "$2" "$region" "$3" "$sex" "$year" "$mm" "$dd" "$region" "$4" \
		"$(printf '%02X' $((0xED + $4)))"
}

# world_reader: the virtual PN532 on $tmp/pn532 holding the cards of $tmp/cards.txt,
# controlled through $tmp/vpn532.sock (adm-vpn532ctl).
world_reader() {
	"$B/tools/vpn532/adm-vpn532" --link "$tmp/pn532" --cards "$tmp/cards.txt" \
		--control "$tmp/vpn532.sock" >"$tmp/vpn532.log" 2>&1 &
	pids="$pids $!"
	wait_for "$tmp/vpn532.log" "^ready" 5 || fail "virtual reader did not start"
}

# world_printlab [--keep-job-files]: A4 and CARD printers printing into $tmp/printed/NAME;
# commands to the lab on file descriptor 8; $cups is the kiosk's [printer] server. With
# --keep-job-files (tests only) cupsd keeps every job's document file in $spool until the
# lab stops, for world_spool_cmp; without, it runs as a kiosk's (PreserveJobFiles No).
world_printlab() {
	mkfifo "$tmp/printlab.in"
	"$B/tools/printlab/adm-printlab" --out "$tmp/printed" --printer A4 --printer CARD:card \
		"$@" <"$tmp/printlab.in" >"$tmp/printlab.log" 2>&1 &
	pids="$pids $!"
	exec 8>"$tmp/printlab.in"
	wait_for "$tmp/printlab.log" "^ready" 20 || fail "the private cupsd did not start"
	cups=$(sed -n 's/^CUPS_SERVER=//p' "$tmp/printlab.log")
	spool=$(sed -n 's/^job files in \([^ ]*\) .*/\1/p' "$tmp/printlab.log")
	[ "${1:-}" != --keep-job-files ] || [ -d "$spool" ] ||
		fail "the print lab did not say where cupsd keeps the job files"
}

# world_spool_job CACHE DOC: $job, the one job the kiosk recorded for document DOC in its
# cache CACHE (print_jobs, printed), a completed job of cupsd's A4 queue
world_spool_job() {
	job=$(sqlite3 "$1" "SELECT group_concat(cups_job) FROM print_jobs WHERE document = '$2'
		AND state = 'done'")
	case "$job" in
	'' | *,*) fail "the kiosk's cache has not one printed job for $2 but '$job'" ;;
	esac
	CUPS_SERVER=$cups lpstat -W completed -o A4 | grep -q "^A4-$job " ||
		fail "cupsd has no completed A4 job $job (the kiosk's for $2)"
}
# world_central_blob DOC: $sha, the sha256 of document DOC at the central, and its file
# as adm-central serves it to kiosks, in $tmp/central.pdf
world_central_blob() {
	sha=$(sqlite3 "$tmp/central.db" "SELECT sha256 FROM documents WHERE id = '$1'")
	curl -sf -H "Authorization: Bearer $central_token" "$url/v1/blobs/$sha" \
		-o "$tmp/central.pdf" || fail "adm-central does not serve the blob of $1"
}
# world_spool_cmp JOB DOC SHA256 BLOB: what the kiosk handed to CUPS as job JOB, document
# DOC, is byte for byte BLOB, the central's file of that SHA256. CUPS's pdftopdf rewrites a
# PDF on its way to the printer, so the comparison is at cupsd's spool ($spool,
# world_printlab): job JOB's document file (dNNNNN-001) is there with that sha256, and cmp
# finds no byte changed.
world_spool_cmp() {
	f=$(printf '%s/d%05d-001' "$spool" "$1")
	[ -f "$f" ] || fail "cupsd kept no document file for job $1 ($2): $(ls "$spool")"
	[ "$(sha256sum <"$f" | cut -d' ' -f1)" = "$3" ] ||
		fail "the document file of job $1 does not have the sha256 of $2 at the central"
	cmp "$f" "$4" || fail "what the kiosk handed to CUPS for $2 (job $1) is not the central's bytes"
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
# 1366x768 unless told (touch.sh).
world_xvfb() {
	touch_xvfb "$1" "$2" "${3:-1366x768}" "$tmp/xvfb.log"
	up=$?
	pids="$pids $touch_xvfb_pid"
	[ $up = 0 ] || fail "Xvfb did not start"
}

# world_kiosk_conf STALL_TIMEOUT [WxH [SOCKET]]: the kiosk's configuration for these worlds
# (reader, scanner, cache, the technician card 04DEADBEEF0001 with PIN 424242, both
# printers; a 1366x768 window unless told; admctl's control socket at SOCKET), after
# world_printlab. Sets techhash.
world_kiosk_conf() {
	techhash=$(echo 424242 | "$B/kiosk/adm-kiosk" --hash-pin) || fail "adm-kiosk --hash-pin"
	cat >"$tmp/kiosk.conf" <<CONF
[kiosk]
id = K1
${3:+control = $3}
[display]
window = ${2:-1366x768}
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
