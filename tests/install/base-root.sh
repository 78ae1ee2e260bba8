#!/bin/sh
# Prints the path of a Debian 12 root tarball (mmdebstrap, minbase) holding systemd, dbus,
# the test's own tools and every dependency the given .debs declare, so that installing
# them takes no download. Cached in $ADM_INSTALL_CACHE (default /var/cache/adm-install-test)
# under the hash of its package list: a new dependency makes a new tarball, the first run
# makes it from Debian's mirror (a few minutes), the next ones take it as it is.
#
#   tests/install/base-root.sh PACKAGE.deb...
set -eu
cache=${ADM_INSTALL_CACHE:-/var/cache/adm-install-test}
suite=bookworm
mirror=${ADM_INSTALL_MIRROR:-http://deb.debian.org/debian}
# systemd as PID 1 with its bus; grim for the screenshot, procps for the test's checks.
extra="systemd dbus grim procps"

[ $# -gt 0 ] || { echo "usage: base-root.sh PACKAGE.deb..." >&2; exit 2; }
for deb in "$@"; do
	dpkg-deb -f "$deb" Package >/dev/null || { echo "base-root: $deb is not a package" >&2; exit 2; }
done
# The .debs' dependencies, first alternative, without versions or our own packages.
deps=$(for deb in "$@"; do dpkg-deb -f "$deb" Depends; done |
	tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/[[:space:]]//g' | grep -v '^adm-' | grep . || true)
list=$(printf '%s\n' $extra $deps | sort -u | tr '\n' ' ')
key=$(printf '%s %s %s' "$suite" "$mirror" "$list" | sha256sum | cut -c1-16)
tarball=$cache/base-$suite-$key.tar
if [ ! -s "$tarball" ]; then
	mkdir -p "$cache"
	echo "install: making $tarball ($list)" >&2
	mmdebstrap --quiet --variant=minbase --include="$(echo $list | tr ' ' ',')" \
		"$suite" "$cache/new-$key.tar" "$mirror" >&2
	echo "$list" >"$tarball.packages"
	mv "$cache/new-$key.tar" "$tarball"
	# Older tarballs of other package lists: keep the cache to the last three.
	ls -t "$cache"/base-*.tar | tail -n +4 | while read -r old; do rm -f "$old" "$old.packages"; done
fi
echo "$tarball"
