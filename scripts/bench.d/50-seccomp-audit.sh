#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# seccomp-audit's cost per syscall: ns per getppid() of sau_work's loop, bare and
# as `ig run seccomp-audit -- ...` (command mode), for a process without a
# seccomp filter and one with a filter (allow all but acct, so every syscall
# goes through the live path: filter, per-thread state). Configurations are
# interleaved per round and each figure is the median of the rounds, so drift
# hits all alike. No budget in DESIGN.md for this gadget: informational.
# Usage: 50-seccomp-audit.sh [BUILD_DIR]; SAU_BENCH_CALLS, SAU_BENCH_ROUNDS.
set -euo pipefail
cd "$(dirname "$0")/../.."

. scripts/bench.d/lib.sh
bench_init 50-seccomp-audit "$@"
work=$build/tests/fixtures/static/sau_work
calls=${SAU_BENCH_CALLS:-400000}
rounds=${SAU_BENCH_ROUNDS:-5}

bench_need "$ig" "$work"
bench_need_root "BPF"

declare -A res
measure() {	# name cmd... -> appends the loop's ns/call to res[name]
	local name=$1 v
	shift
	v=$("$@" 2>/dev/null | grep -E '^[0-9.]+$' | tail -1) || true
	if [ -z "$v" ]; then
		echo "50-seccomp-audit: '$*' printed no figure" >&2
		exit 1
	fi
	res[$name]+="$v "
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for ((r = 0; r < rounds; r++)); do
	for f in unfiltered filtered; do
		arg=; [ $f = filtered ] && arg=filtered
		measure "bare-$f" "$work" loop "$calls" $arg
		measure "ig-$f" "$ig" run seccomp-audit --audit=false -o json -- \
			"$work" loop "$calls" $arg
	done
done
for f in unfiltered filtered; do
	bare=$(echo "${res[bare-$f]}" | median)
	with=$(echo "${res[ig-$f]}" | median)
	echo "seccomp-audit, $f workload: bare $bare ns/getppid, under ig $with" \
		"($(awk -v a="$with" -v b="$bare" 'BEGIN {printf "%+.0f", a - b}') ns;" \
		"medians of $rounds x $calls calls)"
done
