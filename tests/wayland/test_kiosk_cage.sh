#!/bin/sh
# adm-kiosk in a headless cage (the Wayland kiosk compositor a kiosk boots into), as an
# unprivileged user: the compositor shows the attract screen (a grim screenshot against
# tests/wayland/attract-1280x720.png, the clock masked), a screen change reaches it (a
# damaged cache: out of service; the cache gone: the attract screen again, repainted through
# the kiosk's damaged rectangles) and so does the clock's one-rectangle tick (two shots a
# second apart differ inside the clock and nowhere else).
#
#   test_kiosk_cage.sh ADM_KIOSK PNG_COMPARE SOURCE_ROOT OUT_DIR
#
# cage runs with its output turned 180 degrees (-r -r), and grim turns the picture back:
# a fullscreen client whose buffer fits the output is scanned out directly by cage 0.1.4,
# and wlroots 0.15's screencopy then reads the renderer's stale buffer (a black picture on
# the headless backend). Turned, cage composites the kiosk's buffer: what grim sees is
# what the kiosk drew. Even so its screencopy now and then hands out an older frame (seen
# with an X11 client through Xwayland as well), so a picture that does not match yet is
# taken again, up to 5 times a second apart: the kiosk must get there, not at once.
# Headless cage has no input devices (and 0.1.4 no virtual-input
# protocol), so screens change here through the kiosk's own state, not a tap.
set -u
KIOSK=$1
COMPARE=$2
SRC=$3
OUT=$4
REF="$SRC/tests/wayland/attract-1280x720.png"
CLOCK=880,0,400,106 # the header's clock and the date in both languages at 1280x720
fail() {
	echo "FAIL: $*"
	echo "--- cage and kiosk log"
	tail -30 "$tmp/cage.log" 2>/dev/null
	mkdir -p "$OUT" && cp "$tmp"/*.png "$OUT"/ 2>/dev/null && echo "screenshots in $OUT"
	exit 1
}
for prog in cage grim Xwayland setpriv; do # cage will not start without Xwayland
	command -v "$prog" >/dev/null || {
		echo "FAIL: $prog is not installed (tools/install-deps.sh)"
		exit 1
	}
done

tmp=$(mktemp -d /tmp/adm-test-cage-XXXXXX)
cage_pid=""
cleanup() {
	if [ -n "$cage_pid" ]; then # cage, the kiosk and anything else of theirs: one group
		kill -TERM "-$cage_pid" 2>/dev/null
		sleep 0.5
		kill -KILL "-$cage_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT HUP INT PIPE TERM

# cage refuses root: as root, everything of the session runs as nobody
if [ "$(id -u)" -eq 0 ]; then
	AS="setpriv --reuid=65534 --regid=65534 --clear-groups --"
	chown 65534:65534 "$tmp"
else
	AS=""
fi
chmod 0755 "$tmp"
mkdir -m 0700 "$tmp/run"
[ -n "$AS" ] && chown 65534:65534 "$tmp/run"
run_as() { $AS env -i PATH=/usr/bin:/bin XDG_RUNTIME_DIR="$tmp/run" "$@"; }
shoot() { # NAME
	run_as WAYLAND_DISPLAY=wayland-0 grim "$tmp/$1.png" || fail "grim could not take $1"
}
shoot_until() { # NAME REF [png-compare's TOLERANCE MAX_BAD OPTIONS...]: a match within 5 shots
	name=$1
	ref=$2
	shift 2
	for try in 1 2 3 4 5; do
		shoot "$name"
		"$COMPARE" "$tmp/$name.png" "$ref" "$tmp/$name.diff.png" "$@" && return 0
		sleep 1
	done
	return 1
}
wait_log() { # PATTERN SECONDS
	i=0
	while ! grep -q "$1" "$tmp/cage.log"; do
		i=$((i + 1))
		[ $i -gt $(($2 * 10)) ] && return 1
		kill -0 "$cage_pid" 2>/dev/null || return 1
		sleep 0.1
	done
}

# A damaged cache: the kiosk starts, then goes out of service (tests/test_kiosk_lifecycle.sh).
head -c 32 /dev/urandom >"$tmp/kiosk.key"
head -c 8192 /dev/urandom >"$tmp/cache.db"
chmod 600 "$tmp/kiosk.key"
[ -n "$AS" ] && chown 65534:65534 "$tmp/kiosk.key" "$tmp/cache.db"
cat >"$tmp/kiosk.conf" <<CONF
[kiosk]
id = ADM-3201-007
location = Mal Pelayanan Publik Kota Bogor
log_level = debug
[display]
driver = wayland
assets = $SRC/ui-assets
[cache]
path = $tmp/cache.db
key = $tmp/kiosk.key
[content]
store =
CONF
chmod 644 "$tmp/kiosk.conf"

# A sanitized kiosk: full stacks for its leak report, or the leaks of SDL's Wayland driver and
# Mesa (no frame pointers) have stacks too short for tests/lsan.supp to name them.
[ -n "${ASAN_OPTIONS:-}" ] && ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0"
# setsid: cage leads a process group of its own, which cleanup ends whatever happens.
# setsid forks when it already leads a group, so $! is not always cage: the shell that
# execs cage writes its own pid.
setsid sh -c 'echo $$ >"$0"; exec "$@"' "$tmp/cage.pid" $AS env -i PATH=/usr/bin:/bin XDG_RUNTIME_DIR="$tmp/run" WLR_BACKENDS=headless \
	WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
	${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} ${LSAN_OPTIONS:+LSAN_OPTIONS=$LSAN_OPTIONS} \
	cage -r -r -- "$KIOSK" --config "$tmp/kiosk.conf" >"$tmp/cage.log" 2>&1 &
i=0
while [ ! -s "$tmp/cage.pid" ]; do
	i=$((i + 1))
	[ $i -gt 50 ] && fail "cage did not start"
	sleep 0.1
done
cage_pid=$(cat "$tmp/cage.pid")

wait_log "first frame presented" 15 || fail "no first frame under cage within 15 s"
grep -q "running on the wayland video driver" "$tmp/cage.log" ||
	fail "the kiosk did not run on the wayland driver"
wait_log "attract -> out-of-service" 10 || fail "the damaged cache did not put it out of service"
shoot_until out-of-service "$REF" 24 -20000 --ignore $CLOCK ||
	fail "the compositor does not show the out-of-service screen"

rm -f "$tmp/cache.db" # a fresh cache is made: back in service within ~10 s
wait_log "out-of-service -> attract" 25 || fail "not back on the attract screen"
shoot_until attract "$REF" 24 400 --ignore $CLOCK ||
	fail "the compositor's attract screen differs from $REF"
sleep 1
shoot_until attract-later "$tmp/attract.png" 0 0 --changed $CLOCK ||
	fail "the clock's tick did not reach the compositor, or more than the clock changed"
grep -q "frame: 1 rectangle(s), first [1-4][0-9][0-9]x[0-9][0-9];" "$tmp/cage.log" ||
	fail "no one-rectangle clock frame in the kiosk's log"

# SIGTERM to the kiosk: it stops cleanly, and cage ends with its only client
kiosk_pid=$(pgrep -P "$cage_pid" -x adm-kiosk)
[ -n "$kiosk_pid" ] || fail "no adm-kiosk under cage"
kill -TERM "$kiosk_pid"
i=0
while kill -0 "$cage_pid" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "cage did not end within 10 s of the kiosk's SIGTERM"
	sleep 0.1
done
cage_pid=""
grep -q "stopping (SIGTERM)" "$tmp/cage.log" || fail "the kiosk did not stop cleanly"
! grep -q "Sanitizer\|runtime error:" "$tmp/cage.log" || fail "a sanitizer spoke (sanitized build)"
echo "ok: attract screen, screen change and clock tick seen by the compositor"
