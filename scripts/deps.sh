#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Install the Debian packages of the given groups of scripts/deps.txt that are
# missing (no group: every group), and, with the test group, the npm packages
# the schema checks use. Idempotent: installs nothing when everything is there.
# usage: scripts/deps.sh [build|test|bench|package|image|check]...
set -euo pipefail
cd "$(dirname "$0")/.."

want=("$@")
groups=$(sed -n 's/^\[\([a-z]*\)\]$/\1/p' scripts/deps.txt)
for g in "${want[@]}"; do
	grep -qx "$g" <<<"$groups" || {
		echo "deps: no group '$g' in scripts/deps.txt (groups: $(echo $groups))" >&2
		exit 1
	}
done

# The package names of the wanted groups (all groups when none is named).
mapfile -t pkgs < <(awk -v want=" ${want[*]} " '
	/^\[[a-z]+\]$/ { g = substr($0, 2, length($0) - 2); next }
	/^[ \t]*(#|$)/ { next }
	want == "  " || index(want, " " g " ") { print $1 }' scripts/deps.txt | sort -u)

# Installed packages and what they provide: an installed package that provides
# a listed name stands for it (e.g. a nodejs build that ships npm).
have=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Provides}\n' 2>/dev/null |
	awk '$1 == "ii" { $1 = ""; gsub(/\([^)]*\)|,/, " "); print }' | tr ' ' '\n' | sort -u)
missing=()
for p in "${pkgs[@]}"; do
	grep -qx "$p" <<<"$have" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing packages: ${missing[*]}; run 'make deps' as root" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# docker.io and containerd ship services: their postinst would start
	# dockerd, which rewrites iptables (FORWARD policy DROP) under every
	# other test. Tests start the daemons they need themselves.
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
		chmod 0755 /usr/sbin/policy-rc.d
		trap 'rm -f /usr/sbin/policy-rc.d' EXIT
	fi
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages for the schema checks (tests/schema/package.json): tests only.
if [ ${#want[@]} -eq 0 ] || [[ " ${want[*]} " == *" test "* ]]; then
	if [ ! -d tests/schema/node_modules ]; then
		echo "deps: npm ci in tests/schema"
		# ci: exactly the versions of package-lock.json
		(cd tests/schema && npm ci --no-audit --no-fund --silent)
	fi
fi
