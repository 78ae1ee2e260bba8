#!/bin/bash
# The install test (issue 15): the packages as a kiosk gets them. Builds the .debs
# (tools/build-debs.sh), takes a fresh Debian 12 root (base-root.sh: mmdebstrap, cached),
# installs the previous version with apt, boots systemd as PID 1 in PID, mount, UTS and
# network namespaces over that root (systemd-nspawn needs a host bus these machines do not
# have; docs/deployment.md), and checks: the units start and stay up; cage shows the
# attract screen (grim, against tests/wayland/attract-1280x720.png, the clock masked);
# adm-syncd syncs with an adm-central started beside it on the namespace's loopback; an
# upgrade to this version from a signed apt repository (tools/build-debs.sh --repo) keeps
# the cache and the configuration; a SIGKILLed kiosk is restarted; the watchdog ends a
# hung (SIGSTOPped) kiosk and adm-syncd; removing keeps /var/lib/adm, purging removes it,
# and neither leaves a process behind.
#
#   test_install.sh SOURCE_ROOT BUILD_DIR ADM_CENTRAL PNG_COMPARE
#
# Every process it starts lives in the namespace (killing its PID 1 ends them all) or is
# adm-central, and every mount is made inside the mount namespace: the trap ends both and
# removes the root on every path. Figures (sizes, install time) go to stdout.
set -u
SRC=$1
BUILD=$2
CENTRAL=$3
COMPARE=$4
REF="$SRC/tests/wayland/attract-1280x720.png"
CLOCK=880,0,400,106
TOKEN=install-test-token
t_start=$(date +%s)
[ "$(id -u)" -eq 0 ] || { echo "FAIL: the install test needs root (namespaces, chroot, mmdebstrap)"; exit 1; }

tmp=$(mktemp -d /var/tmp/adm-install-XXXXXX)
root=$tmp/root
pid1=""
central_pid=""
cleanup() {
	[ -n "$central_pid" ] && kill -KILL "$central_pid" 2>/dev/null
	if [ -n "$pid1" ]; then
		kill -KILL "$pid1" 2>/dev/null
		while kill -0 "$pid1" 2>/dev/null; do sleep 0.1; done
	fi
	wait 2>/dev/null
	if grep -q " $tmp/" /proc/self/mounts; then # never: the mounts are the namespace's
		echo "FAIL: mounts left under $tmp:"
		grep " $tmp/" /proc/self/mounts
	fi
	rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() {
	echo "FAIL: $*"
	if [ -n "$pid1" ]; then
		echo "--- journal (last 40 lines)"
		in_root journalctl --no-pager -n 40 2>/dev/null
		in_root systemctl --failed --no-pager 2>/dev/null
	fi
	[ -f "$tmp/central.log" ] && { echo "--- adm-central"; tail -5 "$tmp/central.log"; }
	mkdir -p "$BUILD/install-out" && cp "$tmp"/*.png "$BUILD/install-out/" 2>/dev/null
	exit 1
}
ok() { echo "ok: $*"; }
elapsed() { echo $(($(date +%s) - t_start)); }
in_root() { nsenter -t "$pid1" -p -m -u -n chroot "$root" "$@"; }
unit() { in_root systemctl show -P "$2" "$1"; }
wait_for() { # SECONDS DESCRIPTION COMMAND...: until COMMAND succeeds
	local secs=$1 what=$2 i=0
	shift 2
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt $((secs * 5)) ] && fail "$what (not within $secs s)"
		sleep 0.2
	done
}
active() { [ "$(unit "$1" ActiveState)" = active ]; }

# 1. The packages: the tree as the previous version (0.0.9), then as this one. The same
# build folder serves both (the version is only the changelog's): the second is a repack.
out=$BUILD/install-debs
"$SRC/tools/build-debs.sh" --out "$out" --version 0.0.9 >/dev/null || fail "tools/build-debs.sh --version 0.0.9"
mkdir -p "$out/prev"
rm -f "$out"/prev/*.deb
mv "$out"/*_0.0.9_*.deb "$out/prev/"
debs=$("$SRC/tools/build-debs.sh" --out "$out" --repo "$tmp/repo") || fail "tools/build-debs.sh --repo"
version=$(dpkg-deb -f "$debs"/adm-kiosk_*_amd64.deb Version)
new_debs=$(ls "$debs"/adm-*.deb | grep -v dbgsym)
prev_debs=$(ls "$out"/prev/adm-*.deb | grep -v dbgsym)
for d in $new_debs; do echo "figure: $(basename "$d") $(stat -c %s "$d") bytes"; done
ok "packages built ($version and 0.0.9, $(elapsed) s)"

# 2. A fresh root with Debian's packages of everything they depend on.
tarball=$("$SRC/tests/install/base-root.sh" $new_debs) || fail "base root (mmdebstrap)"
mkdir -p "$root"
tar -C "$root" -xf "$tarball" || fail "unpacking $tarball"
mkdir -p "$root/debs/new" "$root/debs/prev"
cp $new_debs "$root/debs/new/" && cp $prev_debs "$root/debs/prev/"
ok "fresh bookworm root ($(elapsed) s)"

# Inside namespaces of their own: a chroot with /proc (dpkg's scripts need it).
in_ns() { unshare --pid --fork --mount --uts --net chroot "$root" /bin/sh -c "mount -t proc proc /proc && $1"; }
apt_install() { # FOLDER: apt installs its .debs, pulling what they need from the root
	in_ns "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /debs/$1/*.deb"
}
t0=$(date +%s%N)
apt_install prev >"$tmp/apt-prev.log" 2>&1 || { tail -20 "$tmp/apt-prev.log"; fail "apt install of 0.0.9"; }
echo "figure: apt install of the four packages $((($(date +%s%N) - t0) / 1000000)) ms"
ok "0.0.9 installed with apt"

# The test machine: no reader, no scanner, no printer (the screen is the reference's); the
# central server on the namespace's loopback; a shorter watchdog, and the cheap PIN hashes
# of adm-central generate --cheap-pins accepted, as a test kiosk would be configured.
sed -i -e 's|^id = .*|id = ADM-3201-007|' -e 's|^location =.*|location = Mal Pelayanan Publik Kota Bogor|' \
	-e 's|^device = .*|device =|' -e 's|^a4_queue = .*|a4_queue =|' \
	-e "s|^url =.*|url = http://127.0.0.1:8631|" -e 's|^region =.*|region = 32.01|' -e 's|^interval = .*|interval = 5|' \
	"$root/etc/adm/kiosk.conf"
printf '%s\n' "$TOKEN" >"$root/etc/adm/sync.token"
chmod 600 "$root/etc/adm/sync.token"
mkdir -p "$root/etc/systemd/system/adm-kiosk.service.d" "$root/etc/systemd/system/adm-syncd.service.d"
# The headless session: no tty, no logind seat. cage -r -r: turned, cage composites the
# kiosk's buffer instead of scanning it out, which wlroots 0.15's screencopy (grim)
# would read as black (tests/wayland/test_kiosk_cage.sh).
cat >"$root/etc/systemd/system/adm-kiosk.service.d/headless.conf" <<'CONF'
[Unit]
ConditionPathExists=
[Service]
PAMName=
TTYPath=
StandardInput=null
UtmpIdentifier=
Environment=WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman
WatchdogSec=6
TimeoutStopSec=3
ExecStart=
ExecStart=/usr/bin/cage -r -r -- /usr/bin/adm-kiosk --config /etc/adm/kiosk.conf
CONF
cat >"$root/etc/systemd/system/adm-syncd.service.d/test.conf" <<'CONF'
[Service]
WatchdogSec=5
TimeoutStopSec=3
ExecStart=
ExecStart=/usr/sbin/adm-syncd --config /etc/adm/kiosk.conf --pin-cost-min m=8,t=1
CONF
# What a namespace must not run: udev and sysctl (they would act on the host's devices
# and kernel), gettys, logind (no seat), clock and hardware services.
for u in systemd-udevd.service systemd-udevd-control.socket systemd-udevd-kernel.socket \
	systemd-udev-trigger.service systemd-udev-settle.service systemd-sysctl.service \
	systemd-modules-load.service systemd-binfmt.service proc-sys-fs-binfmt_misc.automount \
	getty@.service serial-getty@.service console-getty.service container-getty@.service \
	systemd-logind.service systemd-timesyncd.service systemd-hwdb-update.service \
	systemd-remount-fs.service systemd-firstboot.service systemd-pstore.service \
	e2scrub_reap.service; do
	ln -sf /dev/null "$root/etc/systemd/system/$u"
done

# 3. Boot. The root is bind-mounted on itself (a mount point, as systemd's namespaces
# for the units' sandboxes need), /run, /sys and the cgroup tree are the namespace's own.
unshare --pid --fork --mount --uts --net /bin/sh -c "mount --bind '$root' '$root' &&
	mount -t proc proc '$root/proc' && exec chroot '$root' /bin/sh -c 'mount -t tmpfs tmpfs /run &&
	mount -t sysfs sys /sys && mount -t cgroup2 none /sys/fs/cgroup && exec /lib/systemd/systemd --system'" \
	>"$tmp/boot.log" 2>&1 &
ushare=$!
for _ in $(seq 50); do
	pid1=$(pgrep -P "$ushare" | head -1)
	[ -n "$pid1" ] && break
	sleep 0.1
done
[ -n "$pid1" ] || fail "systemd did not start (see the boot log: $(tail -3 "$tmp/boot.log"))"
wait_for 60 "systemd booted" sh -c "nsenter -t $pid1 -p -m -u -n chroot '$root' systemctl is-system-running | grep -Eq 'running|degraded'"
nsenter -t "$pid1" -n ip link set lo up 2>/dev/null || nsenter -t "$pid1" -n /sbin/ip link set lo up ||
	fail "no loopback in the namespace"
ok "systemd is PID 1 in the namespace ($(elapsed) s)"

# adm-central beside it, on the namespace's loopback.
"$CENTRAL" generate --db "$tmp/central.db" --seed 7 --citizens 40 --doc-every 2 --cheap-pins \
	>"$tmp/generate.log" 2>&1 || fail "adm-central generate"
printf 'ADM-3201-007 * %s\n' "$TOKEN" >"$tmp/kiosks"
chmod 600 "$tmp/kiosks"
nsenter -t "$pid1" -n "$CENTRAL" serve --db "$tmp/central.db" --kiosks-file "$tmp/kiosks" \
	--listen 127.0.0.1 --port 8631 >"$tmp/central.log" 2>&1 &
central_pid=$!
listens() { nsenter -t "$pid1" -n bash -c 'exec 3<>/dev/tcp/127.0.0.1/8631'; }
wait_for 20 "adm-central listens on 127.0.0.1:8631" listens
in_root systemctl restart adm-syncd # it started before the server: no need to wait its backoff

documents() { sqlite3 "file:$root/var/lib/adm/cache.db?mode=ro" "SELECT count(*) FROM documents" 2>/dev/null; }
synced() { [ "$(documents)" -gt 0 ] 2>/dev/null; }
check_running() { # the units are up, and stay up
	for u in adm-kiosk adm-syncd; do
		wait_for 40 "$u active" active "$u.service"
	done
	local r1 r2
	r1=$(unit adm-kiosk.service NRestarts)
	sleep 5
	for u in adm-kiosk adm-syncd; do active "$u.service" || fail "$u did not stay up"; done
	r2=$(unit adm-kiosk.service NRestarts)
	[ "$r1" = "$r2" ] || fail "adm-kiosk restarted by itself ($r1 -> $r2)"
	[ "$(unit adm-kiosk.service User)" = adm-kiosk ] || fail "the kiosk does not run as adm-kiosk"
}
shoot_until() { # NAME: the attract screen within 10 shots
	for _ in $(seq 10); do
		in_root setpriv --reuid=adm-kiosk --regid=adm-kiosk --init-groups env \
			XDG_RUNTIME_DIR=/run/adm-kiosk WAYLAND_DISPLAY=wayland-0 grim "/tmp/$1.png" &&
			cp "$root/tmp/$1.png" "$tmp/$1.png" &&
			"$COMPARE" "$tmp/$1.png" "$REF" "$tmp/$1.diff.png" 24 400 --ignore $CLOCK >/dev/null && return 0
		sleep 1
	done
	return 1
}

check_running
ok "0.0.9: units started and stayed up ($(elapsed) s)"
wait_for 60 "adm-syncd synced documents from adm-central" synced
n_docs=$(documents)
ok "adm-syncd synced $n_docs documents from adm-central"

# 4. Upgrade to this version from the signed apt repository build-debs.sh made (a file:
# source here, https on a fleet; only that source, the namespace has no network).
mkdir -p "$root/srv"
cp -a "$tmp/repo" "$root/srv/adm-repo"
cp "$tmp/repo/adm-kiosk-archive-keyring.gpg" "$root/usr/share/keyrings/"
cat >"$root/etc/apt/sources.list.d/adm-kiosk.sources" <<'CONF'
Types: deb
URIs: file:/srv/adm-repo
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/adm-kiosk-archive-keyring.gpg
CONF
apt_repo="-o Dir::Etc::SourceList=/etc/apt/sources.list.d/adm-kiosk.sources -o Dir::Etc::SourceParts=-"
t0=$(date +%s%N)
in_root sh -c "apt-get $apt_repo update -q && DEBIAN_FRONTEND=noninteractive apt-get $apt_repo install -y -q --no-install-recommends adm-kiosk adm-kiosk-assets adm-central adm-bundle" \
	>"$tmp/apt-new.log" 2>&1 || { tail -20 "$tmp/apt-new.log"; fail "upgrade to $version from the signed repository"; }
echo "figure: apt upgrade 0.0.9 -> $version $((($(date +%s%N) - t0) / 1000000)) ms"
[ "$(in_root dpkg-query -W -f '${Version}' adm-kiosk)" = "$version" ] || fail "adm-kiosk is not $version"
grep -q '^id = ADM-3201-007' "$root/etc/adm/kiosk.conf" || fail "the upgrade replaced the configuration"
[ "$(documents)" -ge "$n_docs" ] || fail "the upgrade lost the cache ($(documents) documents)"
check_running
ok "upgraded to $version: configuration and cache ($(documents) documents) kept, units up"
# the template admctl enrol fills in: pristine (the kiosk's edits are not in it), valid
grep -q '^id = ADM-3201-007' "$root/usr/share/adm/kiosk.conf" && fail "the template holds the kiosk's edits"
in_root admctl config check /usr/share/adm/kiosk.conf >"$tmp/template-check" 2>&1 ||
	fail "the installed template is not a valid kiosk.conf: $(cat "$tmp/template-check")"
ok "/usr/share/adm/kiosk.conf, the enrolment template, installed and valid"

shoot_until attract || fail "cage does not show the attract screen (screenshots in $BUILD/install-out)"
cp "$tmp/attract.png" "$BUILD/install-attract.png"
ok "cage shows the attract screen ($BUILD/install-attract.png)"

# admctl reaches both daemons over their sockets (tmpfiles.d's setgid folders, the units'
# ReadWritePaths): a technician's first command on a kiosk.
in_root admctl status >"$tmp/admctl-status" 2>&1 || fail "admctl status: $(cat "$tmp/admctl-status")"
grep -q '(running)' "$tmp/admctl-status" && grep -q '^adm-syncd: *running' "$tmp/admctl-status" ||
	fail "admctl status does not reach the running daemons: $(cat "$tmp/admctl-status")"
ok "admctl status reaches adm-kiosk and adm-syncd over their sockets"

# 5. A SIGKILLed kiosk is restarted.
kiosk_pid=$(in_root pgrep -x adm-kiosk) || fail "no adm-kiosk process"
restarts=$(unit adm-kiosk.service NRestarts)
in_root kill -KILL "$kiosk_pid"
wait_for 30 "the killed kiosk restarted" sh -c "[ \"\$(nsenter -t $pid1 -p -m -u -n chroot '$root' systemctl show -P NRestarts adm-kiosk.service)\" -gt $restarts ]"
wait_for 30 "adm-kiosk active again" active adm-kiosk.service
new_pid=$(in_root pgrep -x adm-kiosk) || fail "no adm-kiosk after the restart"
[ "$new_pid" != "$kiosk_pid" ] || fail "the same kiosk process"
ok "a SIGKILLed kiosk was restarted"

# 6. The watchdog ends a hung kiosk and a hung adm-syncd (SIGSTOP: no more WATCHDOG=1;
# the kiosk's pings reach systemd through cage, NotifyAccess=all).
watchdog_fires() { # UNIT PID
	local restarts
	restarts=$(unit "$1" NRestarts)
	in_root kill -STOP "$2"
	wait_for 40 "the watchdog restarted the stopped $1" sh -c "[ \"\$(nsenter -t $pid1 -p -m -u -n chroot '$root' systemctl show -P NRestarts $1)\" -gt $restarts ]"
	in_root journalctl -u "$1" --no-pager | grep -q "Watchdog timeout" || fail "no watchdog timeout for $1 in the journal"
	wait_for 30 "$1 active again" active "$1"
}
watchdog_fires adm-kiosk.service "$(in_root pgrep -x adm-kiosk)"
ok "the watchdog restarted a hung kiosk"
watchdog_fires adm-syncd.service "$(unit adm-syncd.service MainPID)"
ok "the watchdog restarted a hung adm-syncd"

# 7. Remove: no process left, /var/lib/adm kept. Purge: /var/lib/adm gone.
no_processes() { ! in_root pgrep -u adm-kiosk,adm-sync >/dev/null && ! in_root pgrep -x cage >/dev/null; }
in_root sh -c "DEBIAN_FRONTEND=noninteractive apt-get remove -y -q adm-kiosk" >"$tmp/apt-remove.log" 2>&1 ||
	fail "apt remove"
wait_for 15 "no kiosk or sync process after remove" no_processes
[ -s "$root/var/lib/adm/cache.db" ] || fail "remove deleted the cache"
in_root sh -c "DEBIAN_FRONTEND=noninteractive apt-get purge -y -q adm-kiosk adm-kiosk-assets adm-central adm-bundle" \
	>"$tmp/apt-purge.log" 2>&1 || fail "apt purge"
no_processes || fail "processes left after purge"
[ ! -e "$root/var/lib/adm" ] || fail "purge left /var/lib/adm"
[ ! -e "$root/etc/adm/kiosk.key" ] || fail "purge left the kiosk key"
ok "remove kept /var/lib/adm, purge removed it; no process left"
echo "figure: install test $(elapsed) s"
