#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make deb: build the ig and ig-dev packages with dpkg-buildpackage from a copy
# of the tree in build/deb/ig-VERSION/ (dpkg-buildpackage writes its results
# into the parent directory: build/deb/, not beside the repository), then
# check them with lintian, which must report no error or warning but for the
# overrides that debian/*.lintian-overrides explain.
# usage: scripts/deb.sh VERSION   (the Makefile's VERSION)
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:?usage: scripts/deb.sh VERSION}
changelog=$(dpkg-parsechangelog -S Version)
if [ "$changelog" != "$version" ]; then
	echo "deb: debian/changelog is at $changelog but the Makefile's VERSION is $version;" \
		"add a changelog entry (dch -v $version)" >&2
	exit 1
fi

out=build/deb
src=$out/ig-$version
rm -rf "$out" && mkdir -p "$src"
# The tree as it is (not only what is committed), without build output.
tar -c --exclude=./build --exclude=./.git --exclude=node_modules . | tar -x -C "$src"

(cd "$src" && dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1 || {
	tail -30 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed (log: $out/build.log)" >&2
	exit 1
}
rm -rf "$src"
ls "$out"/*.deb

# An error or a warning fails make deb; info tags and the overridden tags
# (O:, with their explanation) are shown. (--fail-on counts overridden tags
# once --show-overrides is given, so the verdict is read from the tags.)
lintian --display-info --show-overrides "$out"/ig_"$version"_*.changes >"$out/lintian.log" 2>&1 || true
grep -v "^running with root privileges" "$out/lintian.log" | sed 's/^/lintian: /'
if grep -q '^[EW]: ' "$out/lintian.log"; then
	echo "deb: lintian reports errors or warnings (above); fix them or override them in" \
		"debian/*.lintian-overrides with the reason" >&2
	exit 1
fi
echo "lintian: no error or warning ($(grep -c '^O: ' "$out/lintian.log") overridden, explained)"
