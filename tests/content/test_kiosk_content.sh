#!/bin/sh
# adm-kiosk with a content bundle, as a process: the bundle is read after the first frame
# (on the backend's thread), a switched bundle file goes on screen without a restart, a
# refused one (a changed byte, another region's) leaves the one on screen, and the kiosk
# stops cleanly with content on screen.
#   test_kiosk_content.sh ADM_KIOSK ADM_BUNDLE SRC_ROOT
set -u
KIOSK=$(realpath "$1")
B=$(realpath "$2")
SRC=$(realpath "$3")
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
q "$B" build b -o v1.admb --version 1
q "$B" sign v1.admb --key office.key
sed 's/Kini KIA bisa dicetak di anjungan/Versi kedua/' b/bundle.json >b/x && mv b/x b/bundle.json
q "$B" build b -o v2.admb --version 2
q "$B" sign v2.admb --key office.key
q "$B" build b -o v3.admb --version 3
q "$B" sign v3.admb --key office.key
cp v3.admb changed.admb
size=$(stat -c %s changed.admb)
printf '\001' | dd of=changed.admb bs=1 seek=$((size - 40)) conv=notrunc 2>/dev/null

cp v1.admb active.admb
printf '[kiosk]\nid = K1\n[display]\nwindow = 1366x768\nassets = %s/ui-assets\n[content]\nbundle = %s\nkeyring = %s\nregion = 32.73\n' \
	"$SRC" "$tmp/active.admb" "$tmp/kr" >kiosk.conf
"$KIOSK" --config kiosk.conf 2>log &
pid=$!
wait_log() { # PATTERN SECONDS
	i=0
	while ! grep -q "$1" log; do
		i=$((i + 1))
		[ $i -gt $(($2 * 10)) ] && return 1
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
}
wait_log "version 1 on screen" 20 || fail "bundle version 1 not shown"
first=$(grep -n "first frame presented" log | cut -d: -f1)
loaded=$(grep -n "version 1 on screen" log | cut -d: -f1)
[ -n "$first" ] && [ "$first" -lt "$loaded" ] || fail "the bundle was read before the first frame"

# switched (a new file renamed over the old one, as a store's switch does)
cp v2.admb next.admb && mv next.admb active.admb
wait_log "version 2 on screen" 20 || fail "the switched bundle was not noticed"
# a changed byte: refused, version 2 stays, the kiosk runs on
cp changed.admb next.admb && mv next.admb active.admb
wait_log "content bundle .* refused: .*SHA-256" 20 || fail "the changed bundle was not refused"
grep -q "version 3 on screen" log && fail "a changed bundle went on screen"
# the same version again (a replay) is refused too; a newer one is taken
cp v2.admb next.admb && mv next.admb active.admb
wait_log "refused: .*replay\|refused: .*older\|refused: .*version" 20 || fail "a replay was not refused"
cp v3.admb next.admb && mv next.admb active.admb
wait_log "version 3 on screen" 20 || fail "a newer bundle after refusals was not taken"
kill -0 "$pid" 2>/dev/null || fail "the kiosk died"
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=""
[ $rc -eq 0 ] || fail "the kiosk exited $rc on SIGTERM with content on screen"
echo "kiosk content: all checks passed"
