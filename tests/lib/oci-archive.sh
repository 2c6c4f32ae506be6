#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# oci-archive.sh LAYER.tar OUT.tar NAME: an OCI image layout archive holding
# one uncompressed layer (LAYER.tar, a root file system), named NAME, for
# `ctr images import` (docker and podman import the layer tar directly).
set -eu
layer=$1
out=$2
name=$3
dir=$(mktemp -d /tmp/igt-oci-XXXXXX)
trap 'rm -rf "$dir"' EXIT

mkdir -p "$dir/blobs/sha256"
lsum=$(sha256sum "$layer" | cut -d' ' -f1)
lsize=$(stat -c %s "$layer")
cp "$layer" "$dir/blobs/sha256/$lsum"

blob() {	# store stdin as a blob, print "digest size"
	cat > "$dir/blob.tmp"
	sum=$(sha256sum "$dir/blob.tmp" | cut -d' ' -f1)
	mv "$dir/blob.tmp" "$dir/blobs/sha256/$sum"
	echo "$sum $(stat -c %s "$dir/blobs/sha256/$sum")"
}

set -- $(printf '{"architecture":"%s","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
	"$(dpkg --print-architecture)" "$lsum" | blob)
csum=$1 csize=$2
set -- $(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
	"$csum" "$csize" "$lsum" "$lsize" | blob)
msum=$1 msize=$2
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
	"$msum" "$msize" "$name" "${name##*:}" > "$dir/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' > "$dir/oci-layout"
tar -C "$dir" -cf "$out" oci-layout index.json blobs
