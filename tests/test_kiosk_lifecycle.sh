#!/bin/sh
# adm-kiosk as a process: refuses bad configurations with file:line messages, starts on the
# offscreen driver, presents a first frame, idles, ends cleanly on SIGTERM and SIGINT, and
# comes back into service by itself when a damaged cache is replaced.
set -u
KIOSK=$1
SRC=$2
tmp=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() {
	echo "FAIL: $*"
	exit 1
}
export SDL_VIDEODRIVER=offscreen

# 1. The documented example configuration is valid.
"$KIOSK" --config "$SRC/config/kiosk.conf" --check-config >/dev/null ||
	fail "config/kiosk.conf is rejected"

# 2. A bad value stops start-up with file:line and what is expected.
printf '[kiosk]\nid = K1\n[session]\nidle_timeout = 5\n' >"$tmp/bad.conf"
out=$("$KIOSK" --config "$tmp/bad.conf" 2>&1) && fail "a bad value was accepted"
echo "$out" | grep -q "bad.conf:4: \[session\] idle_timeout = '5' is not valid; expected seconds between 30 and 600" ||
	fail "unexpected message for a bad value: $out"

# 3. A missing file is a clear error, exit status 2.
"$KIOSK" --config "$tmp/nope.conf" >/dev/null 2>&1
[ $? -eq 2 ] || fail "a missing configuration did not exit with status 2"

# 4. Start, first frame, idle, SIGTERM -> exit 0; then the same with SIGINT.
printf '[kiosk]\nid = K1\n[display]\nwindow = 1366x768\nassets = %s/ui-assets\n' "$SRC" >"$tmp/ok.conf"
for sig in TERM INT; do
	mkfifo "$tmp/ready.$sig"
	"$KIOSK" --config "$tmp/ok.conf" --ready-fd 3 3>"$tmp/ready.$sig" 2>"$tmp/log.$sig" &
	pid=$!
	# The fifo read returns when the kiosk writes "ready" after its first frame.
	ready=$(timeout 10 head -n1 "$tmp/ready.$sig") || fail "no first frame within 10 s (SIG$sig run)"
	[ "$ready" = "ready" ] || fail "unexpected ready line '$ready'"
	sleep 1
	kill -0 "$pid" 2>/dev/null || fail "the kiosk died while idle"
	kill -"$sig" "$pid"
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 50 ] && fail "the kiosk did not stop within 5 s of SIG$sig"
		sleep 0.1
	done
	wait "$pid"
	rc=$?
	pid=""
	[ $rc -eq 0 ] || fail "exit status $rc after SIG$sig"
	grep -q "first frame presented" "$tmp/log.$sig" || fail "no first-frame log line"
	grep -q "stopping (SIG$sig)" "$tmp/log.$sig" || fail "SIG$sig not handled by the main loop"
done
# 5. A cache that cannot be opened (here: a damaged file) puts the kiosk out of service,
# not down; once the file is usable (here: removed, so a fresh one is made, as adm-syncd
# does with a damaged one) the kiosk is back in service by itself within ~10 s.
head -c 32 /dev/urandom >"$tmp/kiosk.key"
chmod 600 "$tmp/kiosk.key"
head -c 8192 /dev/urandom >"$tmp/cache.db"
printf '[kiosk]\nid = K1\n[display]\nwindow = 1366x768\nassets = %s/ui-assets\n[cache]\npath = %s\nkey = %s\n' \
	"$SRC" "$tmp/cache.db" "$tmp/kiosk.key" >"$tmp/cache.conf"
"$KIOSK" --config "$tmp/cache.conf" 2>"$tmp/log.cache" &
pid=$!
wait_log() { # PATTERN SECONDS
	i=0
	while ! grep -q "$1" "$tmp/log.cache"; do
		i=$((i + 1))
		[ $i -gt $(($2 * 10)) ] && return 1
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
}
wait_log "cannot open the cache .*trying again" 10 || fail "no word of the damaged cache: $(cat "$tmp/log.cache")"
wait_log "attract -> out-of-service" 5 || fail "the screen did not say out of service"
sleep 1
kill -0 "$pid" 2>/dev/null || fail "the kiosk died with a damaged cache"
grep -q "back in service" "$tmp/log.cache" && fail "back in service with a damaged cache"
rm -f "$tmp/cache.db"
wait_log "cache .* opened: back in service" 25 || fail "not back in service: $(tail -5 "$tmp/log.cache")"
wait_log "out-of-service -> attract" 5 || fail "the screen stayed out of service"
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=""
[ $rc -eq 0 ] || fail "exit status $rc after SIGTERM (cache run)"
echo "ok"
