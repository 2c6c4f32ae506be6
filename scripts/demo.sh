#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make demo: trace a small command with a real gadget. Needs root (BPF).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD:-build}
if [ "$(id -u)" != 0 ]; then
	echo "demo: ig loads BPF programs and needs root; run: sudo make demo" >&2
	exit 1
fi
set -x
"$build/ig" run trace-exec -- /bin/sh -c 'ls / >/dev/null; echo demo'
