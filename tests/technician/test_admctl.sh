#!/bin/sh
# admctl against the real components (issue 14): adm-central and a real cache filled by
# adm-syncd, the private cupsd with virtual A4 and card printers, the virtual PN532 and
# adm-kiosk in an Xvfb window typed at with xdotool. Every command in human and --json
# form, first with the kiosk and adm-syncd stopped (admctl works on the cache and the
# devices itself), then with both running (admctl talks to their control sockets); the
# sockets refuse a user who is neither root nor in group adm; the diagnostics tarball holds
# no NIK, name, PIN, token or key; the technician PIN locks after five wrong tries and
# stays locked across a restart of the kiosk.
set -u
B=$1   # build root
SRC=$2 # source root
. "$SRC/tests/e2e/world.sh"
world_begin technician
kiosk=""
. "$SRC/tests/technician/lib.sh"
A="$B/admctl/admctl"
CTL="$B/tools/vpn532/adm-vpn532ctl"
out_has() { grep -q -- "$1" "$tmp/out" || fail "${2:-output}: no '$1' in: $(cat "$tmp/out")"; }
err_has() { grep -q -- "$1" "$tmp/err" || fail "${2:-stderr}: no '$1' in: $(cat "$tmp/err")"; }
# json EXPR: a Python expression over the JSON object j on stdout, which must hold
json() {
	python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($1) else 1)" \
		"$tmp/out" || fail "JSON: not ($1): $(cat "$tmp/out")"
}
# status_until EXPR: admctl status --json until EXPR holds (the kiosk's health is computed
# on its own schedule, so it can lag the screen by a moment), at most 10 s
status_until() {
	i=0
	while :; do
		"$A" status $C --json >"$tmp/out" 2>"$tmp/err"
		python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($1) else 1)" \
			"$tmp/out" 2>/dev/null && return 0
		i=$((i + 1))
		[ $i -lt 50 ] || fail "JSON: not ($1) within 10 s: $(cat "$tmp/out")"
		sleep 0.2
	done
}
sql() { sqlite3 "$tmp/cache.db" "$1"; }
C="--config $tmp/kiosk.conf"

# 1. The world: citizens at adm-central, a cache filled by one pass, a citizen's card and
# a technician's card in the virtual reader, the printers, an X server.
"$B/central/adm-central" generate --db "$tmp/central.db" --seed 11 --citizens 20 \
	--print-pins 20 --cheap-pins >"$tmp/generate.log" 2>&1 || fail "adm-central generate"
nik=$(awk 'NR == 1 { print $1 }' "$tmp/generate.log")
world_central tech-token-0123456789 3171
world_cards "$nik"
world_reader
world_printlab
world_scanner
world_xvfb 200 259
world_kiosk_conf 30
cat >>"$tmp/kiosk.conf" <<CONF
[kiosk]
control = $tmp/run/kiosk.sock
[sync]
url = $url
token_file = $tmp/token
control = $tmp/run/syncd.sock
CONF
mkdir "$tmp/run"

# 2. config check: the same rules and the same words as adm-kiosk and adm-syncd.
expect 0 "$A" config check "$tmp/kiosk.conf"
out_has "kiosk.conf: ok"
expect 0 "$A" config check "$tmp/kiosk.conf" --json
json 'j["ok"] is True'
printf '[kiosk]\nid = K1\n[sync]\nintreval = 60\n' >"$tmp/bad.conf"
expect 1 "$A" config check "$tmp/bad.conf"
err_has "$tmp/bad.conf:4: unknown key 'intreval' in \[sync\]"
expect 1 "$A" config check "$tmp/bad.conf" --json
json 'j["ok"] is False and ":4: unknown key" in j["error"] and j["exit"] == 1'
expect 2 "$B/kiosk/adm-kiosk" --check-config "$tmp/bad.conf"
err_has "$tmp/bad.conf:4: unknown key 'intreval' in \[sync\]" "adm-kiosk --check-config"
expect 2 "$B/syncd/adm-syncd" --config "$tmp/bad.conf" --once
err_has "$tmp/bad.conf:4: unknown key 'intreval' in \[sync\]" "adm-syncd"
expect 2 "$A" config check
# --help for every command, on stdout with exit 0; an unknown one is a usage error
for c in status config test-print reader sync service prints purge audit diag enrol bundle screen; do
	expect 0 "$A" $c --help
	out_has "usage: admctl $c" "$c --help"
done
expect 2 "$A" nosuch
expect 2 "$A" status --nosuch $C

# 3. Everything stopped.
expect 0 "$A" status $C
out_has "STOPPED"
out_has "documents"
expect 0 "$A" status $C --json
json 'j["running"] is False and j["syncd_running"] is False and j["documents"] > 0 and j["kiosk"] == "K1"'
expect 4 "$A" sync now $C
err_has "adm-syncd is not running"
expect 4 "$A" sync now $C --json
json 'j["ok"] is False and j["exit"] == 4'
expect 4 "$A" screen $C
err_has "the kiosk is not running"

# the reader, opened by admctl itself: a KTP-el, then a card that is not one
"$CTL" "$tmp/vpn532.sock" tap "$nik" >/dev/null || fail "tap"
expect 0 "$A" reader test --timeout 15 $C
out_has "UID 04a1b2c3d4e5f6, reads as a KTP-el"
grep -q "$nik\|WARGA" "$tmp/out" && fail "the reader test showed personal data"
"$CTL" "$tmp/vpn532.sock" remove >/dev/null
"$CTL" "$tmp/vpn532.sock" tap "$nik" >/dev/null || fail "tap"
expect 0 "$A" reader test --timeout 15 $C --json
json 'j["ok"] and j["ktp"] is True and j["uid"] == "04a1b2c3d4e5f6" and j["through"] == "reader" and j["type"] == "ISO 14443-A"'
"$CTL" "$tmp/vpn532.sock" remove >/dev/null
expect 1 "$A" reader test --timeout 2 $C
err_has "no card was laid"

# test pages, followed to their end by CUPS; the kiosk's counters in the cache count them
sheets() { sql "SELECT value FROM sync_state WHERE key = 'supply:A4:sheets'"; }
expect 0 "$A" test-print A4 $C
out_has "test page printed on A4"
before=$(sheets)
[ -n "$before" ] || fail "the test page did not go through the kiosk's A4 counter"
[ "$(ls "$tmp/printed/A4/" | grep -c '\.pdf$')" = 1 ] || fail "no test page came out of A4"
cp "$tmp/printed/A4/"*.pdf "$B/tests/technician/test-page-a4.pdf" # for the eye
expect 0 "$A" test-print CARD $C --json
json 'j["ok"] and j["outcome"] == "printed" and j["queue"] == "CARD" and j["job"] > 0'
[ "$(ls "$tmp/printed/CARD/" | grep -c '\.pdf$')" = 1 ] || fail "no test card came out"
expect 1 "$A" test-print NOSUCH $C
err_has "NOSUCH"
expect 2 "$A" test-print $C

# a queue out of service with the kiosk stopped; a queue it does not have is refused
expect 0 "$A" service off --queue CARD "Printer kartu sedang diperbaiki" $C
out_has "queue CARD: out of service"
[ "$(sql "SELECT value FROM sync_state WHERE key = 'service_message:CARD'")" = "Printer kartu sedang diperbaiki" ] ||
	fail "the queue's message is not in the cache"
expect 1 "$A" service off --queue NOSUCH "x" $C
err_has "not a queue of this kiosk"

# out of service with the kiosk stopped: from its next start
msg="Sedang diperbaiki teknisi, kembali pukul 14.00"
expect 0 "$A" service off "$msg" $C
out_has "the kiosk is stopped"
[ "$(sql "SELECT value FROM sync_state WHERE key = 'service_message'")" = "$msg" ] ||
	fail "the message is not in the cache"
expect 2 "$A" service off "" $C
expect 2 "$A" service $C

# uncertain prints, made the way the kiosk makes them
doc1=$(sql "SELECT id FROM documents WHERE status = 'ready' ORDER BY id LIMIT 1")
doc2=$(sql "SELECT id FROM documents WHERE status = 'ready' ORDER BY id LIMIT 1 OFFSET 1")
job1=$("$B/tests/technician/tech-fixture" "$tmp/cache.db" "$tmp/kiosk.key" "$doc1") || fail "fixture"
job2=$("$B/tests/technician/tech-fixture" "$tmp/cache.db" "$tmp/kiosk.key" "$doc2") || fail "fixture"
expect 0 "$A" prints uncertain $C
out_has "^$job1 "
out_has "^$job2 "
grep -q "$nik" "$tmp/out" && fail "prints uncertain named a citizen"
expect 0 "$A" prints uncertain $C --json
json "len(j['uncertain']) == 2 and j['uncertain'][0]['id'] == $job1"
expect 0 "$A" prints settle "$job1" not-printed $C
out_has "not printed"
[ "$(sql "SELECT status FROM documents WHERE id = '$doc1'")" = ready ] ||
	fail "a print settled as not printed left its document unready"
expect 1 "$A" prints settle "$job1" printed $C
err_has "not an uncertain print"
expect 2 "$A" prints settle "$job2" maybe $C

# purge and audit
expect 0 "$A" purge $C
out_has "purged:"
expect 0 "$A" purge $C --json
json 'j["ok"] and "documents" in j'
expect 0 "$A" audit $C
out_has "technician-service-off"
out_has "technician-settle"
out_has "technician-test-print"
out_has "technician-reader-test  a KTP-el"
expect 0 "$A" audit --since 1d $C --json
json 'any(r["what"] == "technician-purge" for r in j["audit"]) and all(r["at"] > 0 for r in j["audit"])'
expect 0 "$A" audit --since 2099-01-01 $C --json
json 'j["audit"] == []'
expect 2 "$A" audit --since yesterday $C

# 4. adm-syncd running: sync now through its socket.
"$B/syncd/adm-syncd" $C --pin-cost-min m=8,t=1 --interval 3600 >>"$tmp/syncd.log" 2>&1 &
syncd=$!
pids="$pids $syncd"
wait_for "$tmp/syncd.log" "started: kiosk K1" 10 || fail "adm-syncd did not start"
wait_path "$tmp/run/syncd.sock" 5 || fail "adm-syncd has no control socket"
expect 0 "$A" sync now $C
out_has "a sync pass completed"
expect 0 "$A" sync now $C --json
json 'j["ok"] and j["result"] == 0'
[ "$(grep -c "ended (0)" "$tmp/syncd.log")" -ge 2 ] || fail "adm-syncd did not log the passes asked for"

# 5. The kiosk running: it starts out of service with the technician's words.
start_kiosk() {
	LIBNFC_AUTO_SCAN=false SDL_VIDEODRIVER=x11 "$B/kiosk/adm-kiosk" $C \
		--screenshot-dir "$tmp/shots" --screenshot-every 1 >>"$tmp/kiosk.log" 2>&1 &
	kiosk=$!
	wait_for "$tmp/kiosk.log" "admctl socket" 10 || fail "the kiosk did not open its socket"
	wait_count "$tmp/kiosk.log" "card reader ready" "$1" 10 || fail "the kiosk did not open the reader"
	win=$(xdotool search --name "Anjungan Dukcapil Mandiri" | head -n1)
	[ -n "$win" ] || fail "no kiosk window on the X server"
	xdotool windowfocus "$win" 2>/dev/null
}
mkdir "$tmp/shots"
start_kiosk 1
wait_for "$tmp/kiosk.log" "out of service by a technician" 10 || fail "the message was not restored"
wait_for "$tmp/kiosk.log" "attract -> out-of-service" 10 || fail "the kiosk did not go out of service"
sleep 2 # a screenshot of the out-of-service screen, for the eye
cp "$(ls "$tmp/shots"/*.png | tail -n1)" "$B/tests/technician/out-of-service.png" 2>/dev/null
expect 0 "$A" status $C --json
json 'j["running"] and j["syncd_running"] and "maintenance" in j["health"]["service_faults"] and j["service_message"].startswith("Sedang") and j["uptime_s"] >= 0'
expect 0 "$A" status $C
out_has "running"
out_has "OUT OF SERVICE by a technician: $msg"
out_has "printer:   A4 (a4): available"
expect 0 "$A" service on $C
out_has "on the kiosk's screen now"
wait_for "$tmp/kiosk.log" "out-of-service -> attract" 10 || fail "service on did not bring it back"
# the screen as a touch sees it: the state and where its buttons are, no text
expect 0 "$A" screen $C --json
json 'j["state"] == "attract" and any(t["action"] == "start-nik" and t["w"] > 0 for t in j["targets"])'
expect 0 "$A" screen $C
out_has "attract on screen (1366x768"
out_has "start-nik"
expect 0 "$A" service off "Printer sedang diganti" $C --json
json 'j["ok"] and j["running"] is True and j["message"] == "Printer sedang diganti"'
wait_count "$tmp/kiosk.log" "attract -> out-of-service" 2 10 || fail "service off did not reach the kiosk"
expect 0 "$A" service on $C --json
wait_count "$tmp/kiosk.log" "out-of-service -> attract" 2 10 || fail "back in service"

# the CARD queue it was started with out of service, and back; then A4 out and back
expect 0 "$A" status $C --json
json 'j["queues_off"] == ["CARD"]'
expect 0 "$A" service on --queue CARD $C --json
json 'j["ok"] and j["queue"] == "CARD" and j["running"] is True'
expect 0 "$A" status $C --json
json 'j["queues_off"] == []'
expect 0 "$A" service off --queue A4 "Printer A4 sedang diperbaiki teknisi" $C
out_has "on the kiosk's screen now"
status_until 'j["queues_off"] == ["A4"] and "maintenance" not in j["health"]["service_faults"]'
expect 0 "$A" service on --queue A4 $C

# a test page through the running kiosk: its own A4 counter takes the sheet
expect 0 "$A" test-print A4 $C --json
json 'j["ok"] and j["through"] == "kiosk" and j["outcome"] == "printed" and j["job"] > 0'
[ "$(ls "$tmp/printed/A4/" | grep -c '\.pdf$')" = 2 ] || fail "no second test page came out of A4"
i=0
while [ "$(sheets)" != $((before - 1)) ]; do
	i=$((i + 1))
	[ $i -gt 30 ] && fail "the kiosk's counter did not count the test page ($before -> $(sheets))"
	sleep 0.2
done
grep -q "technician: test page on A4 (admctl)" "$tmp/kiosk.log" || fail "the kiosk did not print it"
expect 0 "$A" audit $C --json
json 'any(r["what"] == "technician-test-print" and "(admctl)" in r["detail"] for r in j["audit"]) and any(r["what"] == "technician-service-off" and "queue=A4" in r["detail"] for r in j["audit"])'

# the reader test through the kiosk: the card is the test's, no visit starts
visits=$(grep -c "attract -> reading" "$tmp/kiosk.log")
"$A" reader test --timeout 20 $C --json >"$tmp/reader.out" 2>&1 &
rt=$!
sleep 1
"$CTL" "$tmp/vpn532.sock" tap "$nik" >/dev/null || fail "tap"
wait "$rt" || fail "reader test through the kiosk: $(cat "$tmp/reader.out")"
cp "$tmp/reader.out" "$tmp/out"
json 'j["ok"] and j["ktp"] and j["through"] == "kiosk" and j["uid"] == "04a1b2c3d4e5f6"'
sleep 0.5
[ "$(grep -c "attract -> reading" "$tmp/kiosk.log")" = "$visits" ] ||
	fail "the test card started a citizen's visit"
"$CTL" "$tmp/vpn532.sock" remove >/dev/null

# the other uncertain print, settled while the kiosk runs: its health counts it no more
held() { # the uncertain prints in the running kiosk's health
	"$A" status $C --json | python3 -c 'import json, sys
print(sum(p["uncertain"] for p in json.load(sys.stdin)["health"]["printers"]))'
}
[ "$(held)" = 1 ] || fail "the kiosk's health does not count the held print"
expect 0 "$A" prints settle "$job2" printed $C --json
json "j['ok'] and j['printed'] and j['id'] == $job2"
[ "$(sql "SELECT status FROM documents WHERE id = '$doc2'")" = printed ] ||
	fail "a print settled as printed is not printed"
i=0
while [ "$(held)" != 0 ]; do
	i=$((i + 1))
	[ $i -gt 30 ] && fail "the running kiosk still counts the settled print"
	sleep 0.2
done

# 6. Only root and group adm: a socket others may open still refuses them.
chmod 0711 "$tmp" "$tmp/run"
chmod 0666 "$tmp/run/kiosk.sock"
setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
try:
    s.sendall(b"{\"cmd\": \"status\"}\n")
except BrokenPipeError:
    pass  # refused before it read: the answer is waiting
print(s.makefile().readline())' "$tmp/run/kiosk.sock" >"$tmp/out" 2>&1 ||
	fail "nobody could not even connect: $(cat "$tmp/out")"
json 'j["ok"] is False and "permission denied" in j["error"]'
grep -q "refused a peer (uid 65534)" "$tmp/kiosk.log" || fail "the refusal is not logged"
setpriv --reuid=65534 --regid=65534 --clear-groups "$A" status $C --json >"$tmp/out" 2>"$tmp/err"
json 'j["running"] is True and "permission denied" in j["kiosk_error"] and "health" not in j and j["syncd_running"] is True'
chmod 0660 "$tmp/run/kiosk.sock"
chmod 0700 "$tmp"

# 7. diag export: logs, configuration, health, versions; nothing personal, nothing secret.
expect 0 "$A" diag export "$tmp/diag.tar.gz" --log "$tmp/kiosk.log" --log "$tmp/syncd.log" $C
out_has "diagnostics written"
expect 0 "$A" diag export "$tmp/diag2.tar.gz" $C --json
json 'j["ok"] and j["files"] >= 6'
mkdir "$tmp/diag"
tar -xzf "$tmp/diag.tar.gz" -C "$tmp/diag" || fail "the tarball does not unpack"
for f in versions.txt status.json audit.json uncertain.json kiosk.conf journal.log \
	logs/kiosk.log logs/syncd.log; do
	[ -s "$tmp/diag/diag/$f" ] || fail "diag/$f missing or empty"
done
grep -q '"health"' "$tmp/diag/diag/status.json" || fail "no health in the tarball"
grep -q "^adm " "$tmp/diag/diag/versions.txt" || fail "no versions in the tarball"
grep -q "pin_hash = <removed>" "$tmp/diag/diag/kiosk.conf" || fail "the PIN hash was not removed"
scan() { # scan WHAT STRING: STRING is nowhere in the unpacked tarball
	[ -n "$2" ] || return 0
	grep -rqF -- "$2" "$tmp/diag" && fail "the tarball holds $1 ($2)"
	return 0
}
grep -rqE '[0-9]{16}' "$tmp/diag" && fail "the tarball holds sixteen digits (a NIK?)"
for n in $(sql "SELECT nik FROM holders") "$nik" "$tech"; do scan "a NIK" "$n"; done
sql "SELECT name FROM holders" >"$tmp/names"
while read -r n; do scan "a name" "$n"; done <"$tmp/names"
scan "a name" "WARGA UJI"
# the PINs typed at this kiosk (the technician's, right and wrong) and the citizen's
for p in 424242 111111 $(awk 'NR == 1 { print $NF }' "$tmp/generate.log"); do
	grep -rqw -- "$p" "$tmp/diag" && fail "the tarball holds a PIN ($p)"
done
scan "a technician card" "04deadbeef0001"
scan "the token" "$(cat "$tmp/token")"
scan "the PIN hash" "$techhash"
scan "an argon2 hash" '$argon2'
scan "the kiosk key" "$(od -An -tx1 "$tmp/kiosk.key" | tr -d ' \n')"
scan "the kiosk key" "$(base64 -w0 "$tmp/kiosk.key")"

# 8. The technician PIN: five wrong tries lock it, and a restart does not unlock it.
"$CTL" "$tmp/vpn532.sock" tap "$tech" >/dev/null || fail "technician tap"
wait_for "$tmp/kiosk.log" "attract -> technician-pin" 10 || fail "the technician card was not recognised"
for try in 1 2 3 4 5; do
	xdotool type --delay 30 111111
	xdotool key Return
	wait_count "$tmp/kiosk.log" "technician PIN refused" "$try" 10 || fail "wrong try $try not refused"
done
grep -q "technician PIN refused: locked" "$tmp/kiosk.log" || fail "five wrong tries did not lock"
"$CTL" "$tmp/vpn532.sock" remove >/dev/null
kill "$kiosk"
wait "$kiosk" || fail "the kiosk did not stop cleanly"
kiosk=""
start_kiosk 2
"$CTL" "$tmp/vpn532.sock" tap "$tech" >/dev/null || fail "technician tap"
wait_count "$tmp/kiosk.log" "attract -> technician-pin" 2 10 || fail "the technician card, after the restart"
xdotool type --delay 30 424242
xdotool key Return
wait_for "$tmp/kiosk.log" "technician PIN not tried: locked" 10 ||
	fail "the right PIN was tried after the restart: the lock did not survive it"
grep -q "technician-pin -> technician" "$tmp/kiosk.log" && fail "technician mode opened while locked"
expect 0 "$A" audit $C --json
json 'any(r["what"] == "technician-sync-now" for r in j["audit"]) and [r["what"] for r in j["audit"]].count("technician-pin-wrong") == 4 and any(r["what"] == "technician-pin-locked" for r in j["audit"]) and any(r["what"] == "technician-pin-while-locked" for r in j["audit"])'
"$CTL" "$tmp/vpn532.sock" remove >/dev/null
# both stop cleanly, and (in a sanitizer build) nothing was reported on the way; a reader
# test that waits for a card does not hold the kiosk's stop up
"$A" reader test --timeout 60 $C >"$tmp/rt2.out" 2>&1 &
rt=$!
sleep 1
t0=$(date +%s)
kill "$kiosk"
wait "$kiosk" || fail "the kiosk did not stop cleanly"
[ $(($(date +%s) - t0)) -lt 10 ] || fail "a waiting reader test held the kiosk's stop up"
wait "$rt" && fail "a reader test succeeded with the kiosk stopping: $(cat "$tmp/rt2.out")"
kiosk=""
[ -e "$tmp/run/kiosk.sock" ] && fail "the kiosk left its socket behind"
kill "$syncd"
wait "$syncd" || fail "adm-syncd did not stop cleanly"
[ -e "$tmp/run/syncd.sock" ] && fail "adm-syncd left its socket behind"
grep -l "Sanitizer\|runtime error" "$tmp"/*.log && fail "a sanitizer report in the logs"
echo "ok: admctl (config, status, sync, reader, test-print, service, prints, purge, audit, diag), the sockets' peer check, the lockout across a restart"
