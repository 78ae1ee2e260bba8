#!/bin/sh
# Builds the Debian packages (debian/: adm-kiosk, adm-kiosk-assets, adm-central,
# adm-bundle) with dpkg-buildpackage -us -uc -b from a copy of the working tree, checks
# them with lintian, and prints the folder holding the .debs. With --repo it also makes a
# signed apt repository of them (docs/deployment.md, "Updates"), signed with the key in
# --key-dir (a test key is made there if it holds none).
#
#   tools/build-debs.sh [--out DIR] [--version VERSION] [--repo DIR [--key-dir DIR]]
#
# DIR defaults to build-debs/ in the tree; the copy and its build folder stay in DIR/src,
# so a second build only compiles what changed. VERSION (default: debian/changelog's)
# gets a changelog entry in the copy, for upgrade tests.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
out=$src/build-debs
version=
repo=
keydir=
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2 ;;
	--version) version=$2 ;;
	--repo) repo=$2 ;;
	--key-dir) keydir=$2 ;;
	*) echo "usage: tools/build-debs.sh [--out DIR] [--version V] [--repo DIR [--key-dir DIR]]" >&2; exit 2 ;;
	esac
	shift 2
done
mkdir -p "$out/src/adm-kiosk"
out=$(cd "$out" && pwd)
copy=$out/src/adm-kiosk

# The tree as it is (committed or not), without build folders or earlier output.
(cd "$src" && git ls-files -co --exclude-standard -z) |
	rsync -a --delete --from0 --files-from=- "$src/" "$copy/"
find "$copy" -depth -type d -empty -delete
if [ -n "$version" ]; then
	(
		cd "$copy"
		{
			echo "adm-kiosk ($version) bookworm; urgency=medium"
			echo
			echo "  * Build $version (tools/build-debs.sh --version)."
			echo
			echo " -- ADM kiosk firmware team <adm-kiosk@example.org>  $(date -R)"
			echo
			cat debian/changelog
		} >debian/changelog.new
		mv debian/changelog.new debian/changelog
	)
fi
ver=$(cd "$copy" && dpkg-parsechangelog -S Version)
rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
# dh_clean: debhelper's state of the last build (its maintainer script snippets would be
# added twice) but not the meson build folder, which -nc keeps.
(cd "$copy" && dh_clean &&
	dpkg-buildpackage -us -uc -b -nc >"$out/build.log" 2>&1) || {
	tail -n 40 "$out/build.log" >&2
	echo "build-debs: dpkg-buildpackage failed; the whole log is $out/build.log" >&2
	exit 1
}
mv "$out"/src/*_"$ver"_*.deb "$out"/src/*_"$ver"_*.changes "$out"/src/*_"$ver"_*.buildinfo "$out"/
# lintian: clean, or the build fails (overrides, each with its reason, in debian/).
if ! lintian --fail-on error,warning --suppress-tags-from-file /dev/null "$out"/*_"$ver"_*.changes >"$out/lintian.log" 2>&1; then
	cat "$out/lintian.log" >&2
	echo "build-debs: lintian is not clean (above)" >&2
	exit 1
fi

if [ -n "$repo" ]; then
	keydir=${keydir:-$out/test-key}
	mkdir -p "$keydir" "$repo/conf"
	chmod 700 "$keydir"
	export GNUPGHOME="$keydir"
	if ! gpg --batch --list-secret-keys adm-kiosk-test >/dev/null 2>&1; then
		gpg --batch --passphrase '' --quick-gen-key 'adm-kiosk-test <adm-kiosk-test@example.org>' \
			ed25519 sign never 2>/dev/null
	fi
	fpr=$(gpg --batch --with-colons --list-secret-keys adm-kiosk-test | awk -F: '$1 == "fpr" { print $10; exit }')
	gpg --batch --export adm-kiosk-test >"$repo/adm-kiosk-archive-keyring.gpg"
	cat >"$repo/conf/distributions" <<EOC
Origin: adm-kiosk
Label: adm-kiosk
Codename: bookworm
Architectures: amd64
Components: main
Description: ADM kiosk firmware
SignWith: $fpr
EOC
	for deb in "$out"/*_"$ver"_*.deb; do
		reprepro -b "$repo" includedeb bookworm "$deb" >&2
	done
	gpgconf --kill all # the agent gpg started for the key: no process left behind
	echo "build-debs: signed apt repository in $repo (key $fpr)" >&2
fi
echo "$out"
