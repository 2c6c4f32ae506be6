#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Fetch the kernels of scripts/kernels/kernels.txt (or the names given) with
# `apt-get download` and unpack each into $IGK_DIR/<name>/: vmlinuz, config,
# lib/modules/<release>/ (with modules.dep made here), and "release", the
# package's kernel release. Nothing is installed on the host. The apt lists
# (a private sources list with the suites kernels.txt names, on the mirror
# this host already uses) and the packages stay in $IGK_DIR between runs; a
# kernel already unpacked at the version the lists resolve to is reused.
#
# usage: fetch.sh [NAME...]        prints one line per kernel: NAME DIR RELEASE
# Environment: IGK_DIR (default /tmp/ig-kernels), IGK_REFRESH=1 to refresh the
# apt lists even when they are less than a day old.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
IGK_DIR=${IGK_DIR:-/tmp/ig-kernels}
apt_dir=$IGK_DIR/apt

die() { echo "fetch-kernels: $*" >&2; exit 1; }

for t in apt-get apt-cache dpkg-deb depmod; do
	command -v $t >/dev/null || die "$t is missing (make deps installs kmod and apt)"
done

# The mirror this host uses for Debian (deb.debian.org unless configured).
mirror() {
	local m
	m=$(grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ \
		2>/dev/null | head -1 | tr -d ' ')
	echo "${m:-http://deb.debian.org/debian}"
}

apt_opts() {
	echo "-o Dir::Etc::SourceList=$apt_dir/sources.list -o Dir::Etc::SourceParts=/dev/null" \
	     "-o Dir::State::Lists=$apt_dir/lists -o Dir::Cache=$apt_dir/cache" \
	     "-o Debug::NoLocking=1"
}

update_lists() {
	local m suites s stamp=$apt_dir/lists/.updated
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	m=$(mirror)
	suites=$(awk '!/^#/ && NF { print $2 }' "$here/kernels.txt" | sort -u)
	: > "$apt_dir/sources.list.new"
	for s in $suites; do
		case $s in
		*-security) echo "deb ${m%/debian*}/debian-security $s main" ;;
		*) echo "deb $m $s main" ;;
		esac
	done >> "$apt_dir/sources.list.new"
	if [ "${IGK_REFRESH:-0}" != 1 ] && [ -f "$stamp" ] &&
	   cmp -s "$apt_dir/sources.list.new" "$apt_dir/sources.list" &&
	   [ -n "$(find "$stamp" -mmin -1440)" ]; then
		return 0
	fi
	mv "$apt_dir/sources.list.new" "$apt_dir/sources.list"
	# shellcheck disable=SC2046
	apt-get $(apt_opts) -qq update >/dev/null 2>"$apt_dir/update.err" ||
		die "apt-get update failed: $(tail -1 "$apt_dir/update.err")"
	touch "$stamp"
}

# linux-image-amd64 of a suite depends on exactly one image package.
resolve() {	# SUITE -> package name
	# shellcheck disable=SC2046
	apt-cache $(apt_opts) show "linux-image-amd64/$1" 2>/dev/null |
		sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -1
}

unpack() {	# NAME PACKAGE
	local name=$1 pkg=$2 dest=$IGK_DIR/$1 rel deb tmp
	rel=${pkg#linux-image-}
	if [ -f "$dest/vmlinuz" ] && [ "$(cat "$dest/release" 2>/dev/null)" = "$rel" ]; then
		echo "$name $dest $rel"
		return 0
	fi
	mkdir -p "$IGK_DIR/debs"
	deb=$(ls "$IGK_DIR/debs/${pkg}"_*.deb 2>/dev/null | head -1 || true)
	if [ -z "$deb" ]; then
		echo "fetch-kernels: downloading $pkg" >&2
		# shellcheck disable=SC2046
		(cd "$IGK_DIR/debs" && apt-get $(apt_opts) -qq download "$pkg" >/dev/null 2>&1) ||
			die "apt-get download $pkg failed"
		deb=$(ls "$IGK_DIR/debs/${pkg}"_*.deb | head -1)
	fi
	tmp=$dest.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	dpkg-deb -x "$deb" "$tmp"
	# /lib/modules in older packages, /usr/lib/modules in newer ones
	if [ -d "$tmp/usr/lib/modules" ] && [ ! -d "$tmp/lib/modules" ]; then
		mkdir -p "$tmp/lib"
		mv "$tmp/usr/lib/modules" "$tmp/lib/modules"
	fi
	cp "$tmp/boot/vmlinuz-$rel" "$tmp/vmlinuz"
	cp "$tmp/boot/config-$rel" "$tmp/config"
	rm -rf "$tmp/boot" "$tmp/usr"
	# modules.dep is made by the package's postinst, which never ran
	depmod -b "$tmp" "$rel"
	echo "$rel" > "$tmp/release"
	rm -rf "$dest"
	mv "$tmp" "$dest"
	echo "$name $dest $rel"
}

mkdir -p "$IGK_DIR"
update_lists
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	mapfile -t names < <(awk '!/^#/ && NF { print $1 }' "$here/kernels.txt")
fi
for n in "${names[@]}"; do
	suite=$(awk -v n="$n" '!/^#/ && $1 == n { print $2 }' "$here/kernels.txt")
	[ -n "$suite" ] || die "unknown kernel '$n' (kernels.txt has: $(awk '!/^#/ && NF { printf "%s ", $1 }' "$here/kernels.txt"))"
	pkg=$(resolve "$suite")
	[ -n "$pkg" ] || die "no linux-image-amd64 in $suite (apt lists in $apt_dir/lists)"
	unpack "$n" "$pkg"
done
