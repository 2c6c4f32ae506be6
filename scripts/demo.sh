#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make demo: the main job of ig on an embedded default: record the seccomp
# profile of a small shell pipeline and print it. Needs root (BPF).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD:-build}
if [ "$(id -u)" != 0 ]; then
	echo "demo: ig loads BPF programs and needs root; run: sudo make demo" >&2
	exit 1
fi
set -x
"$build/ig" run seccomp-advisor -o jsonpretty -- /bin/sh -c 'ls / | wc -l >/dev/null; echo demo workload done'
