#!/bin/bash
# deploy/adm-cups-setup against a private cupsd with a virtual IPP Everywhere printer
# (tools/printlab; never the system's cupsd): the kiosk's settings land in cupsd.conf once,
# contradicting lines are commented out, the driverless queue is made, not shared, and a
# second run changes nothing (no second reload).
#
#   test_cups_setup.sh ADM_PRINTLAB SOURCE_ROOT
set -u
PRINTLAB=$1
SETUP=$2/deploy/adm-cups-setup
tmp=$(mktemp -d /tmp/adm-cups-setup-XXXXXX)
lab_pid=""
cleanup() {
	[ -n "$lab_pid" ] && { echo quit >&3; sleep 1; kill "$lab_pid" 2>/dev/null; wait "$lab_pid"; }
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() {
	echo "FAIL: $*"
	cat "$tmp/setup.log" 2>/dev/null
	exit 1
}

# printlab reads its commands from a fifo we hold open; "cupsd stop/start" is the reload.
mkfifo "$tmp/cmd"
"$PRINTLAB" --printer A4 <"$tmp/cmd" >"$tmp/lab.out" 2>"$tmp/lab.err" &
lab_pid=$!
exec 3>"$tmp/cmd"
for _ in $(seq 100); do grep -qx ready "$tmp/lab.out" && break; sleep 0.2; done
grep -qx ready "$tmp/lab.out" || fail "printlab did not start: $(tail -3 "$tmp/lab.err")"
export CUPS_SERVER=$(sed -n 's/^CUPS_SERVER=//p' "$tmp/lab.out")
conf=$(dirname "$CUPS_SERVER")/etc/cupsd.conf
uri=$(lpstat -v A4 | sed -n 's/^device for A4: //p')
[ -n "$uri" ] || fail "no device URI for printlab's A4"
# What a stock cupsd.conf may hold that a kiosk must not: the network port, the web UI.
printf 'Port 631\nWebInterface Yes\nBrowsing Yes\n' >>"$conf"

run_setup() {
	"$SETUP" --conf "$conf" --uri "$uri" --queue adm-a4 \
		--reload "echo >>'$tmp/reloads'; printf 'cupsd stop\ncupsd start\n' >'$tmp/cmd'; sleep 2" \
		>>"$tmp/setup.log" 2>&1
}
run_setup || fail "first run failed"
grep -qx "PreserveJobFiles No" "$conf" || fail "PreserveJobFiles No not set"
grep -qx "PreserveJobHistory 604800" "$conf" || fail "job history not kept a week"
grep -qx "#adm-kiosk# Port 631" "$conf" || fail "Port 631 not commented out"
grep -qx "#adm-kiosk# WebInterface Yes" "$conf" || fail "WebInterface Yes not commented out"
[ "$(grep -c '^WebInterface' "$conf")" = 1 ] && grep -qx "WebInterface No" "$conf" || fail "WebInterface No"
[ "$(wc -l <"$tmp/reloads")" = 1 ] || fail "cupsd not reloaded once"
for _ in $(seq 50); do lpstat -r 2>/dev/null | grep -q "is running" && break; sleep 0.2; done
lpstat -r | grep -q "is running" || fail "cupsd did not come back with the kiosk's settings"
[ "$(lpstat -v adm-a4 | sed -n 's/^device for adm-a4: //p')" = "$uri" ] || fail "queue adm-a4 not on $uri"
lpoptions -p adm-a4 | grep -q "printer-is-shared=false" || fail "adm-a4 is shared"
lpstat -p adm-a4 | grep -q "enabled" || fail "adm-a4 not enabled"
echo "ok: settings applied, contradicting lines commented out, driverless queue adm-a4 made"

sum=$(md5sum <"$conf")
run_setup || fail "second run failed"
[ "$(md5sum <"$conf")" = "$sum" ] || fail "the second run changed cupsd.conf"
[ "$(wc -l <"$tmp/reloads")" = 1 ] || fail "the second run reloaded cupsd"
grep -q "queue adm-a4: already prints to $uri" "$tmp/setup.log" || fail "the second run made the queue again"
echo "ok: a second run changes nothing"
