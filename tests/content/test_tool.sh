#!/bin/sh
# adm-bundle end to end, the way an office and the root holders use it: keys, a keyring
# signed 2-of-3, init -> build -> sign -> verify, a changed file, what build refuses in a
# bundle folder (symlink, hard link, device node, paths), root rotation N -> N+1 (and one
# signed by a single old key refused), revocation, replay and expiry, and the commands
# that do not exist yet.
#   test_tool.sh ADM_BUNDLE
set -u
B=$(realpath "$1")
T=$(mktemp -d /tmp/adm-bundle-test-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
cd "$T" || exit 1
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }
# ok CMD...: must exit 0; refused NEEDLE CMD...: must exit 1 and say NEEDLE on stderr
ok() { "$@" >out 2>err || { fail "$* exited $?: $(cat err)"; }; }
refused() {
	needle=$1; shift
	"$@" >out 2>err
	rc=$?
	[ $rc -eq 1 ] || fail "$* exited $rc (wanted 1)"
	grep -q -- "$needle" err || fail "$*: wanted \"$needle\", got: $(cat err)"
}

for k in root-a root-b root-c root-d root-e root-f office office2; do ok "$B" keygen $k; done
[ "$(stat -c %a office.key)" = 600 ] || fail "secret key not 0600"
refused "exists" "$B" keygen office

ok "$B" keyring init kr1 --root root-a.pub --root root-b.pub --root root-c.pub --threshold 2
ok "$B" keyring add kr1 --publisher dukcapil-3273 --name "Disdukcapil Kota Bandung" \
	--key office.pub --region 32.73
ok "$B" keyring sign kr1 --key root-a.key
refused "1 valid signature(s) of its own root, needs 2" "$B" keyring verify kr1
ok "$B" keyring sign kr1 --key root-a.key   # the same key again counts once
refused "1 valid signature(s) of its own root, needs 2" "$B" keyring verify kr1
ok "$B" keyring sign kr1 --key root-c.key
ok "$B" keyring verify kr1

# the office: init -> build -> sign -> verify
ok "$B" init b
for f in bundle.json banner-example.png banner-example.jpg; do [ -s b/$f ] || fail "init: no $f"; done
ok "$B" build b -o v1.admb
refused "not signed" "$B" verify v1.admb --keyring kr1 --region 32.73
ok "$B" sign v1.admb --key office.key
ok "$B" verify v1.admb --keyring kr1 --region 32.73 --kiosk ADM-TEST-01
grep -q "^ok: dukcapil-3273 version 1" out || fail "verify output: $(cat out)"
for kind in announcement banner hours notice urgent office; do
	grep -q "^  $kind " out || fail "verify lists no $kind item"
done
mkdir store
ok "$B" verify v1.admb --keyring kr1 --region 32.73 --store store
stored=0
for f in store/*; do
	case ${f#store/} in
	*[!0-9a-f]*) fail "store: $f is not named by a hash" ;;
	*) [ ${#f} -eq $((6 + 64)) ] && stored=$((stored + 1)) ;;
	esac
done
[ $stored -eq 2 ] || fail "store: $stored files named by hash, wanted 2"
refused "not for this kiosk" "$B" verify v1.admb --keyring kr1 --region 32.04
"$B" build b -o stranger.admb >/dev/null && "$B" sign stranger.admb --key office2.key >/dev/null
refused "wrong key" "$B" verify stranger.admb --keyring kr1 --region 32.73

# a changed file: one byte near the end (inside the JPEG)
cp v1.admb changed.admb
size=$(stat -c %s changed.admb)
printf '\001' | dd of=changed.admb bs=1 seek=$((size - 40)) conv=notrunc 2>/dev/null
cmp -s v1.admb changed.admb && fail "the byte did not change"
refused "SHA-256 differs" "$B" verify changed.admb --keyring kr1 --region 32.73
# appended bytes and a cut
cp v1.admb longer.admb && printf 'x' >>longer.admb
refused "stream longer than declared" "$B" verify longer.admb --keyring kr1 --region 32.73
head -c $((size - 1000)) v1.admb >cut.admb
refused "truncated" "$B" verify cut.admb --keyring kr1 --region 32.73

# expiry, and a kiosk clock reset to 1970 that has seen a later bundle
refused "expired at" "$B" verify v1.admb --keyring kr1 --region 32.73 --now 2030-01-01T00:00:00Z
refused "expired at" "$B" verify v1.admb --keyring kr1 --region 32.73 --now 0 \
	--newest-created 2030-01-01T00:00:00Z
ok "$B" verify v1.admb --keyring kr1 --region 32.73 --now 0 --newest-created "$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# what build refuses in the folder
edit_file() { sed "s/\"banner-example.png\"/\"$1\"/" b/bundle.json >b/bundle.json.new && mv b/bundle.json.new b/bundle.json; }
restore() { cp bundle.json.orig b/bundle.json; }
cp b/bundle.json bundle.json.orig
ln -s banner-example.png b/link.png && edit_file link.png
refused "symlink refused" "$B" build b -o x.admb
restore; ln b/banner-example.png b/hard.png && edit_file hard.png
refused "hard link refused" "$B" build b -o x.admb
restore
if mknod b/dev.png c 1 3 2>/dev/null; then :; else mkfifo b/dev.png; fi
edit_file dev.png
refused "not a plain file" "$B" build b -o x.admb
restore; edit_file '..\/b\/banner-example.png'
refused "no paths" "$B" build b -o x.admb
restore; edit_file '\/etc\/passwd'
refused "no paths" "$B" build b -o x.admb
restore; edit_file missing.png
refused "missing entry" "$B" build b -o x.admb
restore
rm -f b/link.png b/hard.png b/dev.png
[ -e x.admb ] && fail "a refused build left x.admb"

# root rotation: keyring 2 with a new root needs 2 of the old root and 2 of its own
ok "$B" keyring root kr1 -o kr2 --root root-d.pub --root root-e.pub --root root-f.pub
grep -q "this is version 2" out || fail "keyring root: $(cat out)"
ok "$B" keyring sign kr2 --key root-d.key
ok "$B" keyring sign kr2 --key root-e.key
ok "$B" keyring sign kr2 --key root-a.key
refused "1 valid signature(s) of keyring 1's root, needs 2" "$B" keyring verify kr1 kr2
ok "$B" keyring sign kr2 --key root-b.key
ok "$B" keyring verify kr1 kr2
refused "not newer than 2 (replay or rollback)" "$B" keyring verify kr1 kr2 kr1
ok "$B" verify v1.admb --keyring kr1 --keyring kr2 --region 32.73

# revocation in keyring 3 (signed by the new root only), and the office's new key
ok "$B" keyring revoke kr2 -o kr3 --key office.pub
ok "$B" keyring add kr3 --publisher dukcapil-3273 --name "Disdukcapil Kota Bandung" \
	--key office2.pub --region 32.73
ok "$B" keyring sign kr3 --key root-e.key
ok "$B" keyring sign kr3 --key root-f.key
ok "$B" keyring verify kr1 kr2 kr3
refused "revoked in keyring 3" "$B" verify v1.admb --keyring kr1 --keyring kr2 --keyring kr3 --region 32.73
ok "$B" build b -o v2.admb --version 2
ok "$B" sign --key office2.key v2.admb   # options before the file, too
ok "$B" verify v2.admb --keyring kr1 --keyring kr2 --keyring kr3 --region 32.73 --last-version 1
refused "replay or rollback" "$B" verify v2.admb --keyring kr1 --keyring kr2 --keyring kr3 \
	--region 32.73 --last-version 2

# preview: the kiosk's own screens as PNGs, of a signed bundle and of the folder
ok "$B" preview v1.admb --keyring kr1 --out pv
for s in attract-1920x1080 attract-1080x1920 nothing-ready-1920x1080 nothing-ready-1080x1920; do
	[ -s pv/$s.png ] || fail "preview: no $s.png"
	# the PNG signature, then width and height from IHDR (bytes 16-23, big-endian)
	sig=$(od -An -tx1 -N8 pv/$s.png | tr -d ' \n')
	set -- $(od -An -tu1 -j16 -N8 pv/$s.png)
	size="$(($1 * 16777216 + $2 * 65536 + $3 * 256 + $4))x$(($5 * 16777216 + $6 * 65536 + $7 * 256 + $8))"
	[ "$sig" = 89504e470d0a1a0a ] && [ "$size" = "${s##*-}" ] ||
		fail "preview: $s.png is not a ${s##*-} PNG ($sig, $size)"
done
refused "needs --keyring" "$B" preview v1.admb --out pv2
refused "SHA-256 differs" "$B" preview changed.admb --keyring kr1 --out pv2
[ -e pv2/attract-1920x1080.png ] && fail "preview wrote a screen of a refused bundle"
# the folder's urgent example is ten days ahead: a preview then differs from one today
ok "$B" preview b --out pv-now --at "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
ok "$B" preview b --out pv-later --at "$(date -u -d '+10 days' +%Y-%m-%dT12:00:00Z)"
cmp -s pv-now/attract-1920x1080.png pv-later/attract-1920x1080.png &&
	fail "preview --at: the urgent window ten days ahead did not change the attract screen"

# publish without its arguments, or to a server over plain http: usage (exit 2)
"$B" publish >out 2>err; rc=$?
[ $rc -eq 2 ] && grep -q "usage: adm-bundle publish" err || fail "publish: $rc $(cat err)"
echo t >tok
"$B" publish v2.admb --url http://example.org --office o --token-file tok >out 2>err; rc=$?
[ $rc -eq 2 ] && grep -q "https://" err || fail "publish over http: $rc $(cat err)"

[ $failed -eq 0 ] && echo "adm-bundle: all checks passed"
exit $failed
