#!/bin/sh
# adm-kiosk with its content store, as processes: the kiosk starts with no store (the
# attract screen without content), `admctl bundle install` into the store puts the new
# bundle on screen without a restart, `admctl bundle rollback` puts the previous one back,
# an active bundle whose file is damaged on disk leaves the one on screen (and at a
# restart the kiosk falls back to the previous bundle), a replayed version stays refused
# after the restart, and the kiosk stops cleanly with content on screen. Each bundle's
# banner has a colour of its own, so the kiosk's own screenshots say which one shows.
#   test_kiosk_content.sh ADM_KIOSK ADM_BUNDLE ADMCTL SHOT_COLOR SRC_ROOT
set -u
KIOSK=$(realpath "$1")
B=$(realpath "$2")
A=$(realpath "$3")
SC=$(realpath "$4")
SRC=$(realpath "$5")
tmp=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() {
	echo "FAIL: $*"
	[ -f "$tmp/log" ] && sed 's/^/  log: /' "$tmp/log"
	exit 1
}
export SDL_VIDEODRIVER=offscreen
cd "$tmp" || exit 1

q() { "$@" >/dev/null 2>err || fail "$* exited $?: $(cat err)"; }
for k in root-a root-b root-c office; do q "$B" keygen $k; done
q "$B" keyring init kr --root root-a.pub --root root-b.pub --root root-c.pub --threshold 2
q "$B" keyring add kr --publisher dukcapil-3273 --name "Disdukcapil Kota Bandung" \
	--key office.pub --region 32.73
q "$B" keyring sign kr --key root-a.key
q "$B" keyring sign kr --key root-b.key
q "$B" init b
# one banner, always visible (the example's second one is for weekday mornings only)
python3 - <<'PY' || fail "editing bundle.json"
import json
m = json.load(open("b/bundle.json"))
m["items"] = [i for i in m["items"] if i["id"] not in ("banner-jam-kerja", "ann-malam")]
json.dump(m, open("b/bundle.json", "w"), indent=1)
PY
rm b/banner-example.jpg
# mk VERSION RRGGBB: the bundle of that version, its banner a plain colour (a real PNG)
GREEN=00ff00 MAGENTA=ff00ff CYAN=00ffff YELLOW=ffff00
mk() {
	python3 - "$2" <<'PY' || fail "writing a banner"
import struct, sys, zlib
rgb = bytes.fromhex(sys.argv[1])
w, h = 1080, 600
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
raw = (b"\0" + rgb * w) * h
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
open("b/banner-example.png", "wb").write(png)
PY
	q "$B" build b -o "v$1.admb" --version "$1"
	q "$B" sign "v$1.admb" --key office.key
	cp b/banner-example.png "banner-v$1.png"
}
mk 1 $GREEN
mk 2 $MAGENTA
mk 3 $CYAN
mk 4 $YELLOW

# the store does not exist yet: the kiosk must start and show its attract screen anyway
printf '[kiosk]\nid = K1\n[display]\nwindow = 1366x768\nassets = %s/ui-assets\n[content]\nstore = %s\nregion = 32.73\n' \
	"$SRC" "$tmp/store" >kiosk.conf
run=0
start() { # each run in a folder of its own: screenshots are numbered from 0 again
	run=$((run + 1))
	mkdir "shots$run" || fail "mkdir"
	"$KIOSK" --config kiosk.conf --screenshot-dir "$tmp/shots$run" --screenshot-every 1 2>>log &
	pid=$!
}
start
# wait_log PATTERN [COUNT]: the log has COUNT (default 1) lines matching PATTERN
wait_log() {
	i=0
	while [ "$(grep -c -- "$1" log)" -lt "${2:-1}" ]; do
		i=$((i + 1))
		[ $i -gt 300 ] && return 1
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
}
# shot_after PATTERN: a screenshot taken after the last log line matching PATTERN (the
# second one after it, so the frame is one drawn after the content was handed over)
shot_after() {
	n=$(grep -n -- "$1" log | tail -1 | cut -d: -f1)
	i=0
	while [ "$(tail -n +"$n" log | grep -c "screenshot written to")" -lt 2 ]; do
		i=$((i + 1))
		[ $i -gt 300 ] && fail "no screenshot after \"$1\""
		sleep 0.1
	done
	tail -n +"$n" log | grep "screenshot written to" | sed -n 2p | sed 's/.*written to //'
}
# shows PATTERN COLOUR: the screenshot after PATTERN has COLOUR's banner and no other's
shows() {
	png=$(shot_after "$1")
	set -- $("$SC" "$png" $2 $GREEN $MAGENTA $CYAN $YELLOW 000000) || fail "shot-color $png"
	[ "$1" -gt 5000 ] || fail "the banner is not on screen: $1 pixels of it in $png"
	[ $(($2 + $3 + $4 + $5 - $1)) -lt 100 ] || fail "another bundle's banner in $png: $*"
	[ "$6" -lt $((1366 * 768 / 2)) ] || fail "the screen is mostly black: $png"
}
wait_log "first frame presented" || fail "no first frame"
wait_log "content: nothing new to show from $tmp/store" || fail "a missing store was not said"
png=$(shot_after "content: nothing new to show")
set -- $("$SC" "$png" $GREEN $MAGENTA $CYAN $YELLOW 000000) || fail "shot-color $png"
[ $(($1 + $2 + $3 + $4)) -lt 100 ] || fail "a banner without a bundle: $*"
[ "$5" -lt $((1366 * 768 / 2)) ] || fail "no store: the screen is mostly black"
grep -q "ERROR\|error" log && fail "an error without a store"

# the USB path into the store (store and region from the kiosk's config), on screen
# without a restart
q "$A" bundle install v1.admb --anchor kr --config kiosk.conf
wait_log "version 1 on screen (active" || fail "the installed bundle was not shown"
first=$(grep -n "first frame presented" log | cut -d: -f1)
loaded=$(grep -n "version 1 on screen" log | cut -d: -f1)
[ "$first" -lt "$loaded" ] || fail "the bundle was read before the first frame"
shows "version 1 on screen" $GREEN
q "$A" bundle install v2.admb --config kiosk.conf
wait_log "version 2 on screen (active" || fail "the switched bundle was not noticed"
shows "version 2 on screen" $MAGENTA

# rollback: the previous bundle on screen again
q "$A" bundle rollback --config kiosk.conf
wait_log "version 1 on screen (active" 2 || fail "the rollback was not noticed"
shows "version 1 on screen" $GREEN

# version 3 installed and its banner damaged on disk before the kiosk looks (the kiosk is
# stopped meanwhile): refused at load, the bundle on screen stays
kill -STOP "$pid"
q "$A" bundle install v3.admb --config kiosk.conf
f="store/files/$(sha256sum banner-v3.png | cut -d' ' -f1)"
[ -f "$f" ] || { kill -CONT "$pid"; fail "no $f in the store"; }
printf '\001' | dd of="$f" bs=1 seek=1000 conv=notrunc 2>/dev/null
kill -CONT "$pid"
wait_log "active bundle .* failed to load: .*SHA-256 differs" || fail "the damaged bundle was not refused"
wait_log "the bundle on screen .* stays" || fail "no word of the bundle kept"
grep -q "version 3 on screen" log && fail "a damaged bundle went on screen"
shows "the bundle on screen .* stays" $GREEN

# a restart: the damaged active bundle fails again, the previous one (1) shows
kill -TERM "$pid"
wait "$pid" || fail "the kiosk exited $? on SIGTERM"
start
wait_log "active bundle .* failed to load" 2 || fail "after a restart: the damaged bundle loaded"
wait_log "version 1 on screen (previous" || fail "after a restart: no fall back to the previous"
shows "version 1 on screen (previous" $GREEN

# the store's versions outlive the restart: version 2 again is a replay, version 4 shows
"$A" bundle install v2.admb --config kiosk.conf >out 2>err && fail "a replayed version installed"
grep -q "replay\|older" err || fail "the replay's reason: $(cat err)"
q "$A" bundle install v4.admb --config kiosk.conf
wait_log "version 4 on screen (active" || fail "a newer bundle after the restart was not taken"
grep -q "version 2 on screen (active" log && [ "$(grep -c "version 2 on screen" log)" -gt 1 ] &&
	fail "the replayed version went on screen"
shows "version 4 on screen" $YELLOW

kill -0 "$pid" 2>/dev/null || fail "the kiosk died"
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=""
[ $rc -eq 0 ] || fail "the kiosk exited $rc on SIGTERM with content on screen"
echo "kiosk content: all checks passed"
