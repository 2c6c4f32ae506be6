#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run every benchmark in scripts/bench.d/ ([0-9]*.sh; lib.sh is their shared
# helpers) in name order with the build dir as
# argument (default: $BUILD, else build/). Each prints its own result lines
# against the budgets of DESIGN.md and exits non-zero when over budget; this
# runs them all and exits non-zero if any did.
set -uo pipefail
cd "$(dirname "$0")/.."

build=${1:-${BUILD:-build}}
export BUILD=$build
status=0
for b in scripts/bench.d/[0-9]*.sh; do
	[ -e "$b" ] || continue
	echo "==> $b"
	if ! bash "$b" "$build"; then
		echo "bench: $b reported a failure or a budget overrun" >&2
		status=1
	fi
done
exit $status
