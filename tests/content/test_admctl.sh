#!/bin/sh
# The USB path for offline kiosks, end to end with the real tools: the root holders and the
# office make a keyring and bundles with adm-bundle; a technician installs them on a kiosk's
# store with admctl. Checked: help and usage exit codes, a store not provisioned, install
# and status (text and --json), an expired bundle and a changed one from the stick refused
# with the active bundle untouched and the reason in status, rollback and the replay of
# the rolled-back version refused, a keyring rotation delivered with a bundle (and the
# revoked key refused after it), the kiosk id from --config, and admctl itself SIGKILLed
# at random moments of an install (afterwards the old or the new bundle is active).
#   test_admctl.sh ADM_BUNDLE ADMCTL KIOSK_CONF
set -u
B=$(realpath "$1")
A=$(realpath "$2")
CONF=$(realpath "$3")
T=$(mktemp -d /tmp/adm-admctl-test-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
cd "$T" || exit 1
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }
# expect CODE CMD...: must exit CODE
expect() {
	code=$1; shift
	"$@" >out 2>err
	rc=$?
	[ $rc -eq "$code" ] || fail "$* exited $rc (wanted $code): $(cat err)"
}
# says FILE NEEDLE
says() { grep -q -- "$2" "$1" || fail "wanted \"$2\" in $1, got: $(cat "$1")"; }
# json EXPR: a Python expression over d, the JSON object in out, must hold
json() {
	python3 -c "import json,sys; d=json.load(open('out')); sys.exit(0 if ($1) else 1)" ||
		fail "JSON check $1 failed on: $(cat out)"
}
K="--store $T/store --region 32.73 --kiosk ADM-USB-01"
active_is() {
	expect 0 "$A" bundle status $K --json
	json "d['active']['version'] == $1"
}

# the office's side: keys, keyring 1 (2-of-3), two versions of a bundle
for k in root-a root-b root-c office office2; do "$B" keygen $k >/dev/null || fail "keygen $k"; done
{
	"$B" keyring init kr1 --root root-a.pub --root root-b.pub --root root-c.pub --threshold 2 &&
		"$B" keyring add kr1 --publisher dukcapil-3273 --name "Disdukcapil Kota Bandung" \
			--key office.pub --region 32.73 &&
		"$B" keyring sign kr1 --key root-a.key && "$B" keyring sign kr1 --key root-b.key &&
		"$B" init b && cp b/bundle.json bundle.json.orig
} >/dev/null || fail "making keyring 1 and the bundle folder"
mkb() { # make VERSION KEY [OUT]
	"$B" build b -o "${3:-v$1.admb}" --version "$1" >/dev/null &&
		"$B" sign "${3:-v$1.admb}" --key "$2" >/dev/null || fail "building version $1"
}
mkb 1 office.key
mkb 2 office.key

# help and usage
expect 2 "$A"
expect 0 "$A" --help
says out "bundle"
expect 0 "$A" bundle --help
for c in install status rollback; do
	expect 0 "$A" bundle $c --help
	says out "usage: admctl bundle $c"
	says out "exit codes"
done
expect 2 "$A" nosuch
expect 2 "$A" bundle frob
expect 2 "$A" bundle install $K
expect 2 "$A" bundle install v1.admb --store store
says err "needs --region"
expect 2 "$A" bundle install v1.admb --store store --region 32.7x
expect 2 "$A" bundle status --bogus
expect 2 "$A" bundle status --keyring kr1 --store store

# a kiosk whose store has no anchor yet
expect 3 "$A" bundle status $K
says out "NOT PROVISIONED"
expect 3 "$A" bundle install v1.admb $K
says err "not provisioned"

# the USB path: provision with the anchor and install
expect 0 "$A" bundle install v1.admb $K --anchor kr1
says out "active:   dukcapil-3273 version 1"
expect 0 "$A" bundle status $K
says out "active:   dukcapil-3273 version 1"
says out "previous: none"
says out "rejected: none"
expect 0 "$A" bundle status $K --json
json "d['provisioned'] and d['keyring_version'] == 1 and d['active']['version'] == 1 and d['previous'] is None and not d['active']['expired'] and d['rejection'] is None"
# another anchor is refused
"$B" keyring init other --root root-c.pub --root root-b.pub --root root-a.pub --threshold 2 >/dev/null
"$B" keyring sign other --key root-a.key >/dev/null && "$B" keyring sign other --key root-b.key >/dev/null
expect 3 "$A" bundle install v2.admb $K --anchor other
says err "another trust anchor"

# an expired bundle on the stick: refused, version 1 stays, the reason in status
python3 - <<'EOF' || fail "editing bundle.json"
import json
m = json.load(open("bundle.json.orig"))
m["expires"] = "2026-06-30T00:00:00Z"
for it in m["items"]:
    if "valid" in it:
        it["valid"] = {"from": "2026-06-01T00:00:00Z", "until": "2026-06-30T00:00:00Z"}
json.dump(m, open("b/bundle.json", "w"))
EOF
"$B" build b -o expired.admb --version 5 --created 2026-06-01T00:00:00Z >/dev/null &&
	"$B" sign expired.admb --key office.key >/dev/null || fail "building the expired bundle"
cp bundle.json.orig b/bundle.json
expect 1 "$A" bundle install expired.admb $K
says err "expired at 2026-06-30T00:00:00Z"
says err "unchanged"
expect 0 "$A" bundle status $K
says out "rejected: .* from expired.admb: bundle expired at 2026-06-30T00:00:00Z"
active_is 1
json "d['rejection']['source'] == 'expired.admb' and d['rejection']['error'] == 'expired' and 'expired at' in d['rejection']['reason']"
expect 1 "$A" bundle install expired.admb $K --json
json "d['ok'] is False and d['error'] == 'expired'"

# a changed byte (inside the JPEG), a cut file, a missing file
cp v2.admb changed.admb
size=$(stat -c %s changed.admb)
printf '\001' | dd of=changed.admb bs=1 seek=$((size - 40)) conv=notrunc 2>/dev/null
expect 1 "$A" bundle install changed.admb $K
says err "SHA-256 differs"
head -c $((size - 1000)) v2.admb >cut.admb
expect 1 "$A" bundle install cut.admb $K
says err "truncated"
expect 1 "$A" bundle install nosuch.admb $K
says err "No such file"
active_is 1
json "d['rejection']['source'] == 'cut.admb'"
[ -z "$(ls store/staging)" ] || fail "staging not empty: $(ls store/staging)"

# version 2, rollback, and the rolled-back version refused as a replay
expect 0 "$A" bundle install v2.admb $K
active_is 2
json "d['previous']['version'] == 1"
expect 0 "$A" bundle rollback --store store
says out "versions do not go back"
active_is 1
json "d['previous']['version'] == 2 and d['versions']['dukcapil-3273'] == 2"
expect 1 "$A" bundle install v2.admb $K
says err "replay or rollback"
expect 1 "$A" bundle install v1.admb $K
says err "not newer than 2"
active_is 1
expect 0 "$A" bundle rollback --store store --json
json "d['ok'] and d['active']['version'] == 2 and d['previous']['version'] == 1"

# keyring 2 revokes the office's key and adds its new one; delivered with version 3
{
	"$B" keyring revoke kr1 -o kr2 --key office.pub &&
		"$B" keyring add kr2 --publisher dukcapil-3273 --name "Disdukcapil Kota Bandung" \
			--key office2.pub --region 32.73 &&
		"$B" keyring sign kr2 --key root-b.key && "$B" keyring sign kr2 --key root-c.key
} >/dev/null || fail "making keyring 2"
mkb 3 office.key v3-old.admb
mkb 3 office2.key
expect 1 "$A" bundle install v3-old.admb $K --keyring kr2
says err "revoked in keyring 2"
active_is 2
json "d['keyring_version'] == 1"
expect 0 "$A" bundle install v3.admb $K --keyring kr2
active_is 3
json "d['keyring_version'] == 2"
mkb 4 office.key v4-old.admb
expect 1 "$A" bundle install v4-old.admb $K
says err "revoked in keyring 2"
expect 1 "$A" bundle rollback --store store
says err "revoked"
active_is 3

# the kiosk id from the kiosk's config: a bundle addressed to kiosk ADM-USB-02 only
sed 's/^id = .*/id = ADM-USB-02/' "$CONF" >kiosk.conf
python3 - <<'EOF' || fail "editing bundle.json"
import json
m = json.load(open("bundle.json.orig"))
m["scope"] = {"regions": [], "kiosks": ["ADM-USB-02"]}
json.dump(m, open("b/bundle.json", "w"))
EOF
mkb 4 office2.key
cp bundle.json.orig b/bundle.json
expect 1 "$A" bundle install v4.admb $K
says err "not this kiosk"
expect 0 "$A" bundle install v4.admb --store store --region 32.73 --config kiosk.conf
active_is 4
expect 3 "$A" bundle status --store store --config nosuch.conf
# the store and the region from the kiosk's config ([content] store and region)
sed -e "s|^store = .*|store = $T/store|" -e 's/^region =.*/region = 32.73/' "$CONF" >kiosk2.conf
mkb 5 office2.key
expect 0 "$A" bundle install v5.admb --config kiosk2.conf
active_is 5
expect 0 "$A" bundle status --config kiosk2.conf --json
json "d['active']['version'] == 5"
sed 's/^region =.*/region = 32.7x/' kiosk2.conf >kiosk3.conf
expect 2 "$A" bundle install v5.admb --config kiosk3.conf
says err "\[content\] region 32.7x"
sed 's/^store = .*/store =/' kiosk2.conf >kiosk3.conf
expect 3 "$A" bundle status --config kiosk3.conf
says err "\[content\] store is empty"

# admctl SIGKILLed at random moments of an install: the old or the new bundle is active
v=5
i=0
olds=0
news=0
while [ $i -lt 12 ]; do
	mkb $((v + 1)) office2.key next.admb
	"$A" bundle install next.admb $K >/dev/null 2>&1 &
	pid=$!
	sleep "0.0$(od -An -N1 -tu1 /dev/urandom | tr -d ' ')"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	expect 0 "$A" bundle status $K --json
	python3 -c "import json,sys; d=json.load(open('out')); sys.exit(0 if d['active']['version'] in ($v, $v + 1) else 1)" ||
		fail "after a kill: $(cat out)"
	now=$(python3 -c "import json; print(json.load(open('out'))['active']['version'])")
	if [ "$now" = $((v + 1)) ]; then news=$((news + 1)); v=$now; else olds=$((olds + 1)); fi
	i=$((i + 1))
done
echo "admctl killed $i times: $olds left the old bundle, $news the new"
mkb $((v + 1)) office2.key next.admb
expect 0 "$A" bundle install next.admb $K
active_is $((v + 1))
[ -z "$(ls store/staging)" ] || fail "staging not empty after a clean install"

# a kept manifest changed on disk: status says so and exits 3
m=$(python3 -c "import json; print(json.load(open('store/state.json'))['active']['id'])")
printf 'X' | dd of=store/manifests/$m.admm bs=1 seek=40 conv=notrunc 2>/dev/null
expect 3 "$A" bundle status $K
says out "active:   DAMAGED"

[ $failed -eq 0 ] && echo "admctl: all checks passed"
exit $failed
