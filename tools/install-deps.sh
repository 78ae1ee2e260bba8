#!/bin/sh
# Installs what the kiosk needs to build, run its demo and run its tests, from Debian 12's
# packages. Idempotent, and fast when everything is already there (one dpkg-query).
set -eu

PACKAGES="
meson ninja-build pkg-config gcc clang clang-format libclang-rt-14-dev
libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
libnfc-dev libnfc-bin libusb-1.0-0-dev
libcups2-dev cups-daemon cups-client cups-ipp-utils cups-filters-core-drivers dbus-daemon
libsqlite3-dev sqlite3 libcurl4-openssl-dev libssl-dev curl libsodium-dev libjansson-dev libinih-dev
libmicrohttpd-dev libgnutls28-dev libcairo2-dev libqrencode-dev libsystemd-dev
poppler-utils openssl xvfb xauth xdotool libnfc-examples zlib1g-dev python3
libjpeg-dev gettext python3-polib
espeak-ng
libpoppler-glib-dev
chromium chromium-driver
cage grim xwayland wayland-utils libwayland-dev
libarchive-dev debhelper dpkg-dev fakeroot lintian rsync mmdebstrap reprepro apt-utils gnupg iproute2 util-linux
jq
"

# shellcheck disable=SC2086
installed=$(dpkg-query -W -f='${Package} ${Status}\n' $PACKAGES 2>/dev/null |
	awk '$NF == "installed" { sub(/:.*/, "", $1); print $1 }')
missing=""
for p in $PACKAGES; do
	echo "$installed" | grep -qx "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "install-deps: missing packages:$missing; run as root or install sudo" >&2
	exit 1
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
