#!/bin/sh
# Whole visits driven by touch at a given screen size, through the real components:
# adm-central with synthetic citizens, adm-syncd, the virtual PN532 reader and QR scanner,
# the private cupsd with virtual A4 and card printers, adm-kiosk in an Xvfb of that size.
# Every touch goes where the kiosk's own layout put the button (admctl screen, touch.sh),
# never to pixels written here, so the same script runs landscape and portrait.
#   1. card -> account PIN on the keypad -> two documents ticked -> their print PINs, in
#      turn -> both printed: what the kiosk handed to CUPS for each (cupsd's job file) is
#      byte for byte the blob adm-central serves, and each PDF at the printer (after CUPS's
#      pdftopdf) has its pages and text; the next sync pass tells the central (printed
#      events, documents collected); a second visit: nothing ready.
#   2. a card lifted in the middle of its read; 3. five wrong PINs: locked, for the minutes
#   shown; 4. the NIK typed on the keypad; 5. the QR login, and the paper out mid-print:
#   the document kept, printed after the refill, the central's bytes again; 6. inactivity
#   mid-visit (landscape only): the countdown, one touch extends it, then the session
#   wiped; 7. the network down: a cached citizen served, one of another region told why
#   not.
# Everything is started here and stopped on exit, passed or failed.
set -u
B=$1      # build root
SRC=$2    # source root
SIZE=$3   # the screen, WxH
. "$SRC/tests/e2e/world.sh"
world_begin touch
fail() {
	echo "FAIL ($SIZE): $*"
	[ -f "$tmp/screen.json" ] && echo "--- screen: $(cat "$tmp/screen.json")"
	for f in "$tmp"/*.log; do echo "--- $f"; tail -20 "$f"; done
	exit 1
}
ctl() { "$B/tools/vpn532/adm-vpn532ctl" "$tmp/vpn532.sock" "$@" >/dev/null || fail "reader: $*"; }
want() { # want STATE [SECONDS]: STATE on screen
	touch_wait "$1" "${2:-10}" || fail "expected $1 on screen, not $(touch_field state)"
}
tap() { touch "$@" || fail "no '$*' to touch on the $(touch_field state) screen"; }
digits() { touch_digits "$1" || fail "the keypad on the $(touch_field state) screen"; }
# pin PIN STATE: PIN on the keypad, confirmed, and STATE on screen
pin() {
	digits "$1"
	tap confirm
	want "$2"
}
leave() { # the visit's last touch: back to attract
	tap finish
	want attract
}
sql() { sqlite3 "$tmp/cache.db" "$1"; }
# pdf_pages PDF: its page count, page size (to a tenth of a point) and text (poppler)
pdf_pages() {
	pdfinfo "$1" | grep -E '^(Pages|Page size):' | sed 's/\([0-9]\.[0-9]\)[0-9]*/\1/g' &&
		pdftotext -layout "$1" -
}

# Synthetic citizens of the kiosk's region (3171). pick N: "nik pin doc docpin" of the N-th
# with exactly one document, an A4 one with a print PIN.
"$B/central/adm-central" generate --db "$tmp/central.db" --seed 11 --citizens 80 \
	--print-pins 80 --cheap-pins >"$tmp/generate.log" 2>&1 || fail "adm-central generate"
pick() {
	awk -v n="$1" 'function out() { if (c != "" && docs == 1 && ok && --n == 0) { print c, p, d, dp; exit } }
		/account PIN/ { out(); c = substr($1, 1, 4) == "3171" ? $1 : ""; p = $NF; docs = 0; next }
		$1 == "document" { docs++; d = $2; dp = $NF; ok = $3 != "KTP_EL" && $3 != "KIA" && $4 == "print" }
		END { out() }' "$tmp/generate.log"
}
set -- $(pick 1)
[ $# -eq 4 ] || fail "no citizen of 3171 with one A4 document"
nik=$1 pin=$2 doc=$3 docpin=$4
set -- $(pick 2)
[ $# -eq 4 ] || fail "no second citizen of 3171 with one A4 document"
qnik=$1 qpin=$2 qdoc=$3 qdocpin=$4
set -- $(pick 3)
[ $# -eq 4 ] || fail "no third citizen of 3171 with one A4 document"
cnik=$1 cpin=$2
# one more of 3171 for the lockout, and one of another region (not in the kiosk's cache)
lnik=$(awk -v a="$nik" -v b="$qnik" -v c="$cnik" '/account PIN/ && substr($1, 1, 4) == "3171" &&
	$1 != a && $1 != b && $1 != c { print $1; exit }' "$tmp/generate.log")
[ -n "$lnik" ] || fail "no fourth citizen of 3171"
# The first citizen gets a second A4 document (the generator gives one each): a fourth
# one's, issued a day after theirs, so that it comes second in their list.
set -- $(pick 4)
[ $# -eq 4 ] || fail "no fourth citizen of 3171 with one A4 document"
doc2=$3 docpin2=$4
sqlite3 "$tmp/central.db" "UPDATE documents SET nik = '$nik',
		created = (SELECT created FROM documents WHERE id = '$doc') + 86400 WHERE id = '$doc2';
	UPDATE changes SET nik = '$nik' WHERE kind = 'document' AND key = '$doc2'" ||
	fail "cannot give the first citizen a second document"
onik=$(awk '/account PIN/ && substr($1, 1, 4) != "3171" { print $1; exit }' "$tmp/generate.log")

world_central touch-token 3171
world_cards "$nik" "$lnik" "$cnik"
world_reader
world_printlab --keep-job-files # world_spool_cmp
world_scanner
world_xvfb 300 359 "$SIZE"
world_kiosk_conf 10 "$SIZE" "$tmp/kiosk.sock"
cat >>"$tmp/kiosk.conf" <<CONF
[session]
idle_timeout = 30
warning = 20
[cache]
fetch_timeout = 5
pin_tries = 5
pin_lock_minutes = 15
CONF
touch_admctl="$B/admctl/admctl" touch_conf="$tmp/kiosk.conf" touch_dir="$tmp"
LIBNFC_AUTO_SCAN=false SDL_VIDEODRIVER=x11 "$B/kiosk/adm-kiosk" --config "$tmp/kiosk.conf" \
	>"$tmp/kiosk.log" 2>&1 &
kiosk=$!
wait_for "$tmp/kiosk.log" "card reader ready" 10 || fail "the kiosk did not open the reader"
touch_window 5 || fail "no kiosk window on the X server"
want attract
[ "$(touch_field w)x$(touch_field h)" = "$SIZE" ] || fail "the kiosk's screen is not $SIZE"

# 1. The main visit.
t0=$(date +%s)
ctl tap "$nik"
want verify
pin "$pin" documents
tap tick-doc 0
tap tick-doc 1
tap print-ticked
want authorise
pin "$docpin" authorise # the first one's print PIN, then the second one's
digits "$docpin2"
tap confirm
want done 60
[ "$(ls "$tmp/printed/A4/" | grep -c '\.pdf$')" = 2 ] ||
	fail "$(ls "$tmp/printed/A4/" | grep -c '\.pdf$') documents at the virtual A4 printer, not 2"
jobs=""
for d in "$doc" "$doc2"; do
	world_central_blob "$d"
	# What the kiosk handed to CUPS is the central's document, byte for byte (at cupsd's
	# spool: CUPS's pdftopdf rewrites every PDF on its way to a printer, its own objects,
	# its own header, so the bytes at the printer cannot be the central's) ...
	world_spool_job "$tmp/cache.db" "$d"
	world_spool_cmp "$job" "$d" "$sha" "$tmp/central.pdf"
	case " $jobs " in *" $job "*) fail "$doc and $doc2 went out as the same job $job" ;; esac
	jobs="$jobs $job"
	# ... and what was printed has the same pages of the same size with the same text.
	pdf_pages "$tmp/central.pdf" >"$tmp/central.pages" || fail "the central's blob of $d is no PDF"
	found=""
	for pdf in "$tmp"/printed/A4/*.pdf; do
		pdf_pages "$pdf" | cmp -s - "$tmp/central.pages" && found=$pdf
	done
	[ -n "$found" ] || fail "no PDF at the printer has the pages and text of the central's $d"
done
leave
ctl remove
"$B/syncd/adm-syncd" --db "$tmp/cache.db" --key "$tmp/kiosk.key" --url "$url" --kiosk K1 \
	--token-file "$tmp/token" --pin-cost-min m=8,t=1 --once >>"$tmp/syncd.log" 2>&1 ||
	fail "adm-syncd --once after the visit"
for d in "$doc" "$doc2"; do
	[ "$(sqlite3 "$tmp/central.db" "SELECT collected_by FROM documents WHERE id = '$d'")" = K1 ] ||
		fail "the central did not mark $d collected"
	[ "$(sqlite3 "$tmp/central.db" "SELECT count(*) FROM events WHERE kind = 'printed' AND document = '$d'")" = 1 ] ||
		fail "the central has no printed event for $d"
done
ctl tap "$nik"
want verify
pin "$pin" nothing-ready
leave
ctl remove
echo "ok ($SIZE): card -> PIN -> two documents ticked -> their print PINs -> both printed, the central's bytes to CUPS, its pages and text at the printer -> collected at the central -> nothing ready ($(($(date +%s) - t0)) s)"

# 2. The card lifted in the middle of its read (a card 2.1 s slow: the "slow" one's 0.45 s
#    was over before an ASan kiosk's screen was looked at): the kiosk says so.
t0=$(date +%s)
ctl tap sluggish
touch_wait reading 5 || fail "the sluggish card was not being read"
ctl remove
want error
[ "$(touch_field error)" = card-removed ] || fail "a card lifted mid-read showed $(touch_field error)"
leave
echo "ok ($SIZE): a card lifted mid-read is told so ($(($(date +%s) - t0)) s)"

# 3. Five wrong account PINs ([cache] pin_tries = 5): locked, the screen says for how long.
t0=$(date +%s)
ctl tap "$lnik"
want verify
lpin=$(awk -v n="$lnik" '$1 == n { print $NF }' "$tmp/generate.log")
wrong=$(printf '%06d' $(((lpin + 1) % 1000000)))
for try in 1 2 3 4 5; do
	[ "$(touch_state)" = verify ] || fail "after $((try - 1)) wrong PIN(s) the screen is $(touch_field state)"
	digits "$wrong"
	tap confirm
	touch_idle 10 || fail "the PIN was never answered"
	[ "$(touch_field state)" = verify ] || break
done
want error
[ "$try" = 5 ] || fail "locked after $try wrong PINs, not 5"
[ "$(touch_field error)" = pin-locked ] || fail "five wrong PINs showed $(touch_field error)"
[ "$(touch_field lock_minutes)" = 15 ] || fail "the lock shows $(touch_field lock_minutes) minutes, not 15"
leave
ctl remove
echo "ok ($SIZE): five wrong PINs lock the account for the 15 minutes shown ($(($(date +%s) - t0)) s)"

# 4. The NIK typed on the keypad: the first citizen again, nothing ready any more.
t0=$(date +%s)
tap start-nik
want nik-entry
pin "$nik" verify
pin "$pin" nothing-ready
leave
echo "ok ($SIZE): NIK typed by touch -> PIN -> nothing ready ($(($(date +%s) - t0)) s)"

# 5. The QR login, and the paper running out while the document prints: the document is
# kept (its print PIN spent, not offered again, nothing out), and once the paper is back
# it prints.
t0=$(date +%s)
tap start-qr
want qr-wait
echo "scan ADM1:L:$qnik" >&7
want verify
pin "$qpin" documents
tap tick-doc 0
tap print-ticked
want authorise
echo "fault A4 media-empty" >&8
digits "$qdocpin"
tap confirm
want printing
wait_for "$tmp/kiosk.log" "printer A4: .*\\(media-empty\\|paper\\)" 10 || fail "the kiosk did not hear of the paper out"
sleep 1
[ "$(touch_state)" = printing ] || fail "with the paper out the screen went to $(touch_field state)"
[ "$(sql "SELECT status FROM documents WHERE id = '$qdoc'")" = printing ] ||
	fail "the document is '$(sql "SELECT status FROM documents WHERE id = '$qdoc'")' with the paper out, not kept"
[ "$(ls "$tmp/printed/A4/" | grep -c '\.pdf$')" = 2 ] || fail "something came out without paper"
echo "fault A4 none" >&8
want done 30
[ "$(ls "$tmp/printed/A4/" | grep -c '\.pdf$')" = 3 ] || fail "the document did not come out after the refill"
[ "$(sql "SELECT status FROM documents WHERE id = '$qdoc'")" = printed ] || fail "not printed after the refill"
world_central_blob "$qdoc"
world_spool_job "$tmp/cache.db" "$qdoc"
world_spool_cmp "$job" "$qdoc" "$sha" "$tmp/central.pdf"
# one job each, nothing else went to CUPS: three documents, three job files
[ "$(ls "$spool" | grep -c '^d[0-9]*-001$')" = 3 ] ||
	fail "cupsd has $(ls "$spool" | grep -c '^d[0-9]*-001$') job documents, not 3: $(ls "$spool")"
leave
echo "ok ($SIZE): QR login -> paper out mid-print, the document kept -> printed after the refill, the central's bytes ($(($(date +%s) - t0)) s)"

# 6. Inactivity in the middle of a visit (landscape only: it takes the whole idle time,
# and no touch is involved): the countdown shows, one touch extends it, then the session
# ends by itself and is wiped.
if [ "$SIZE" = 1920x1080 ]; then
	t0=$(date +%s)
	ctl tap "$cnik"
	want verify
	pin "$cpin" documents
	i=0
	until touch_screen && [ "$(touch_field countdown_s)" -gt 0 ]; do
		i=$((i + 1))
		[ $i -gt 150 ] && fail "no inactivity countdown on the documents screen"
		sleep 0.1
	done
	tap continue
	[ "$(touch_state)" = documents ] && [ "$(touch_field countdown_s)" = 0 ] ||
		fail "one touch did not extend the session"
	wiped=$(grep -c "session data wiped" "$tmp/kiosk.log")
	want attract 40
	wait_count "$tmp/kiosk.log" "session data wiped" $((wiped + 1)) 5 ||
		fail "the session was not wiped at the inactivity deadline"
	ctl remove
	echo "ok ($SIZE): inactivity mid-visit: countdown, extended by a touch, then the session wiped ($(($(date +%s) - t0)) s)"
fi

# 7. The network down (adm-central gone, adm-syncd running): a citizen in the cache is
# served; one of another region, whom only the central knows, is told why not.
t0=$(date +%s)
"$B/syncd/adm-syncd" --db "$tmp/cache.db" --key "$tmp/kiosk.key" --url "$url" --kiosk K1 \
	--token-file "$tmp/token" --pin-cost-min m=8,t=1 --interval 60 >>"$tmp/syncd.log" 2>&1 &
pids="$pids $!"
kill "$central"
ctl tap "$cnik"
want verify
pin "$cpin" documents
leave
ctl remove
tap start-qr
want qr-wait
echo "scan ADM1:L:$onik" >&7
want error 20
[ "$(touch_field error)" = needs-network ] ||
	fail "the citizen of another region offline was told $(touch_field error)"
leave
echo "ok ($SIZE): network down: a cached citizen served, one of another region told it needs the network ($(($(date +%s) - t0)) s)"
