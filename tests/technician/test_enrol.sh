#!/bin/sh
# Enrolment of a new kiosk (issue 14) through the real adm-central and adm-syncd: the
# regional office's one-time code, admctl enrol writing the token, the key and the
# configuration (no secret typed or copied), the first sync with them, the code refused a
# second time, re-enrolment after a disk swap with a new code (the old token dies with
# it), and a revoked kiosk refused.
set -u
B=$1   # build root
SRC=$2 # source root
tmp=$(mktemp -d /tmp/adm-enrol-XXXXXX)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
. "$SRC/tests/e2e/world.sh"
. "$SRC/tests/technician/lib.sh"
A="$B/admctl/admctl"
CENTRAL="$B/central/adm-central"
code_of() { tail -n1 "$tmp/out"; }
syncd_once() {
	"$B/syncd/adm-syncd" --config "$tmp/etc/kiosk.conf" --pin-cost-min m=8,t=1 --once \
		>>"$tmp/syncd.log" 2>&1
}

"$CENTRAL" generate --db "$tmp/central.db" --seed 5 --citizens 10 --cheap-pins \
	>"$tmp/generate.log" 2>&1 || fail "adm-central generate"
"$CENTRAL" serve --db "$tmp/central.db" --port 0 >"$tmp/central.log" 2>&1 &
pids="$pids $!"
wait_for "$tmp/central.log" "listening on" 5 || fail "adm-central did not start"
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$tmp/central.log" | head -n1)

# The kiosk's template: the shipped kiosk.conf with this test's paths.
mkdir "$tmp/etc"
sed -e "s|^path =.*|path = $tmp/cache.db|" -e "s|^key = .*|key = $tmp/etc/kiosk.key|" \
	-e "s|^token_file = .*|token_file = $tmp/etc/sync.token|" -e "s|^store = .*|store =|" \
	"$SRC/config/kiosk.conf" >"$tmp/template.conf"

# 1. The regional office's code, valid a day and once.
expect 2 "$CENTRAL" kiosk add ADM-NEW-01 --db "$tmp/central.db"
expect 0 "$CENTRAL" kiosk add ADM-NEW-01 --region 3171 --db "$tmp/central.db"
grep -q "valid once until" "$tmp/out" || fail "the code's validity is not said"
code=$(code_of)
echo "$code" | grep -Eq '^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$' || fail "not a code: $code"
sqlite3 "$tmp/central.db" "SELECT count(*) FROM enrolments WHERE code_sha256 LIKE '%$code%'" |
	grep -qx 0 || fail "the code is stored in clear"

# 2. The kiosk enrols: token, key and configuration made here, 0600.
expect 0 "$A" enrol "$url" "$code" --template "$tmp/template.conf" --config "$tmp/etc/kiosk.conf"
grep -q "enrolled as kiosk ADM-NEW-01 (region 31.71)" "$tmp/out" || fail "enrolment said: $(cat "$tmp/out")"
for f in kiosk.key sync.token kiosk.conf; do
	[ "$(stat -c %a "$tmp/etc/$f")" = 600 ] || fail "$f is not 0600"
done
[ "$(stat -c %s "$tmp/etc/kiosk.key")" = 32 ] || fail "the kiosk key is not 32 bytes"
grep -q "^id = ADM-NEW-01$" "$tmp/etc/kiosk.conf" || fail "the id is not in the configuration"
grep -q "^url = $url$" "$tmp/etc/kiosk.conf" || fail "the URL is not in the configuration"
expect 0 "$A" config check "$tmp/etc/kiosk.conf"
token=$(cat "$tmp/etc/sync.token")
[ ${#token} = 64 ] || fail "the token is not 64 hex digits"
grep -rqF "$token" "$tmp/central.db" "$tmp/central.log" "$tmp/out" "$tmp/err" &&
	fail "the token is stored or logged in clear"

# 3. The first sync, with nothing but what enrolment wrote.
syncd_once || fail "the first sync of the enrolled kiosk failed"
[ "$(sqlite3 "$tmp/cache.db" "SELECT count(*) FROM holders WHERE nik LIKE '3171%'")" -gt 0 ] ||
	fail "the first sync brought no citizen of region 3171"
[ "$(sqlite3 "$tmp/cache.db" "SELECT count(*) FROM holders WHERE nik NOT LIKE '3171%'")" = 0 ] ||
	fail "the first sync brought citizens of another region"

# 4. The same code again: refused, and nothing changes.
expect 1 "$A" enrol "$url" "$code" --template "$tmp/template.conf" --config "$tmp/etc/kiosk2.conf"
grep -q "unknown, used or expired enrolment code" "$tmp/err" || fail "reuse: $(cat "$tmp/err")"
[ -e "$tmp/etc/kiosk2.conf" ] && fail "a refused enrolment wrote a configuration"
[ "$(cat "$tmp/etc/sync.token")" = "$token" ] || fail "a refused enrolment changed the token"
expect 1 "$A" enrol "$url" "AAAA-BBBB-CCCC-DDDD-EEEE" --template "$tmp/template.conf" \
	--config "$tmp/etc/kiosk2.conf" --json
grep -q '"ok":false' "$tmp/out" || fail "a wrong code in JSON: $(cat "$tmp/out")"

# 5. A disk swap: key, token and cache gone; a new code for the same kiosk.
rm -f "$tmp/etc/kiosk.key" "$tmp/etc/sync.token" "$tmp/cache.db"*
expect 0 "$CENTRAL" kiosk add ADM-NEW-01 --region 3171 --db "$tmp/central.db"
expect 0 "$A" enrol "$url" "$(code_of)" --template "$tmp/template.conf" --config "$tmp/etc/kiosk.conf" --json
grep -q '"key_made":true' "$tmp/out" || fail "no new key after the disk swap"
[ "$(cat "$tmp/etc/sync.token")" != "$token" ] || fail "the same token again"
syncd_once || fail "the re-enrolled kiosk cannot sync"
printf '%s\n' "$token" >"$tmp/old.token"
"$B/syncd/adm-syncd" --config "$tmp/etc/kiosk.conf" --token-file "$tmp/old.token" \
	--pin-cost-min m=8,t=1 --once >>"$tmp/syncd.log" 2>&1 && fail "the old token still works"

# 6. Revoked (stolen): its token refused, its unused codes too.
expect 0 "$CENTRAL" kiosk add ADM-NEW-01 --region 3171 --db "$tmp/central.db"
spare=$(code_of)
expect 0 "$CENTRAL" kiosk revoke ADM-NEW-01 --db "$tmp/central.db"
syncd_once && fail "a revoked kiosk still syncs"
grep -q "401\|unauthorized\|refused" "$tmp/syncd.log" || fail "adm-syncd does not say it was refused"
expect 1 "$A" enrol "$url" "$spare" --template "$tmp/template.conf" --config "$tmp/etc/kiosk3.conf"
expect 1 "$CENTRAL" kiosk revoke ADM-NOSUCH --db "$tmp/central.db"
echo "ok: code -> enrol -> first sync; reused code refused; re-enrolment; revocation"
