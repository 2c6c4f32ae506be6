#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make oci-image: an OCI image of ig with no Dockerfile. mmdebstrap makes a
# Debian 12 root from Debian's packages and the ig .deb that make deb built
# (apt resolves its dependencies), umoci turns it into an image layer with ig
# as the entrypoint. Then runc runs the image once (`ig list`) to show that ig
# finds its gadgets there. The result is an OCI image layout, archived:
#   build/oci/ig-VERSION.oci.tar   push: skopeo copy oci-archive:FILE docker://REGISTRY/ig:VERSION
# usage: scripts/oci-image.sh VERSION
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:?usage: scripts/oci-image.sh VERSION}
suite=bookworm
arch=$(dpkg --print-architecture)
deb=$(realpath "build/deb/ig_${version}_$arch.deb")
out=build/oci
layout=$out/layout
tag=ig:$version

die() { echo "oci-image: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (mmdebstrap, umoci unpack, runc): run 'sudo make oci-image'"
[ -f "$deb" ] || die "no $deb: run 'make deb' first"

rm -rf "$out" && mkdir -p "$out"
# essential: only what dpkg needs, plus ig and what it depends on (no apt).
mmdebstrap --quiet --variant=essential --include="$deb" \
	--hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount "$suite" "$out/rootfs.tar" \
	"deb http://deb.debian.org/debian $suite main" \
	"deb http://deb.debian.org/debian-security $suite-security main" >"$out/mmdebstrap.log" 2>&1 ||
	{ tail -20 "$out/mmdebstrap.log" >&2; die "mmdebstrap failed (log: $out/mmdebstrap.log)"; }

umoci init --layout "$layout"
umoci new --image "$layout:$version"
umoci unpack --image "$layout:$version" "$out/bundle" >/dev/null
tar -x -C "$out/bundle/rootfs" -f "$out/rootfs.tar"
rm "$out/rootfs.tar"
umoci repack --image "$layout:$version" "$out/bundle"
umoci config --image "$layout:$version" --os linux --architecture "$arch" \
	--author "ig maintainers" --config.entrypoint /usr/bin/ig --config.cmd list \
	--config.label "org.opencontainers.image.title=ig" \
	--config.label "org.opencontainers.image.version=$version" \
	--config.label "org.opencontainers.image.description=ig $version from its Debian package"
umoci gc --layout "$layout"
rm -rf "$out/bundle"

# Run it once, as a container runtime would: ig must list the gadgets of the
# package (a path that only works in a build tree, or a missing library, fails).
umoci unpack --image "$layout:$version" "$out/bundle" >/dev/null
sed -i 's/"terminal": *true/"terminal": false/' "$out/bundle/config.json"
listing=$(runc run --bundle "$out/bundle" "ig-oci-check-$$" </dev/null) ||
	die "the image does not run: runc run of 'ig list' failed"
rm -rf "$out/bundle"
grep -q "/usr/lib/.*/ig/gadgets/seccomp-advisor.so" <<<"$listing" ||
	die "ig in the image does not list seccomp-advisor from /usr/lib: $listing"
echo "$listing"

tar -C "$layout" -cf "$out/ig-$version.oci.tar" .
echo "oci-image: $out/ig-$version.oci.tar ($tag, $(du -h "$out/ig-$version.oci.tar" | cut -f1))"
