#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Install the Debian packages listed in scripts/deps.txt that are missing, and
# the npm packages the schema checks use. Idempotent: installs nothing when
# everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t pkgs < <(grep -vE '^\s*(#|$)' scripts/deps.txt)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
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

# npm packages for schema validation (tests/schema/package.json), if any.
if [ -f tests/schema/package.json ] && [ ! -d tests/schema/node_modules ]; then
	if command -v npm >/dev/null; then
		echo "deps: npm install in tests/schema"
		(cd tests/schema && npm install --no-audit --no-fund --silent)
	else
		echo "deps: npm is missing; install nodejs and npm" >&2
		exit 1
	fi
fi
