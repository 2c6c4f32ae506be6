#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# seccomp-advisor hot-path cost, side by side in one run: ns per getppid()
# (a pinned loop, median of 5 rounds) with
#   bare        nothing attached
#   empty       an empty tp_btf/sys_enter program (tests/bench/sa_empty_tp)
#   advisor     ig run seccomp-advisor --host (records every namespace)
#   advisor-cmd ig run seccomp-advisor -- LOOP (command mode: tgid key)
#   bpftrace    tracepoint:raw_syscalls:sys_enter { @[args->id] = count(); }
# and the ratio (advisor - bare) / (empty - bare); budget <= 1.3 (DESIGN.md).
# Usage: 20-seccomp-advisor.sh [BUILD_DIR]   (default: $BUILD, else build/).
# Exit 1 when over budget.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=${1:-${BUILD:-build}}
ig=$build/ig
loop=$build/tests/fixtures/sa_getppid_loop
empty=$build/tests/bench/sa_empty_tp
iters=${SA_BENCH_ITERS:-1000000}
rounds=5
budget=1.3

for f in "$ig" "$loop" "$empty"; do
	if [ ! -x "$f" ]; then
		echo "20-seccomp-advisor: $f is missing: run 'make BUILD=$build tests-build' first" >&2
		exit 1
	fi
done
command -v bpftrace >/dev/null || { echo "20-seccomp-advisor: bpftrace is missing (make deps)" >&2; exit 1; }
cpu=$(taskset -pc $$ | sed 's/.*: *//; s/[,-].*//')
tmp=$(mktemp -d)
bg=
cleanup() {
	[ -z "$bg" ] || kill "$bg" 2>/dev/null || true
	[ -z "$bg" ] || wait "$bg" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

rounds_of() {	# command prefix... -> median ns/syscall of the loop
	local i
	for ((i = 0; i < rounds; i++)); do
		"$@" taskset -c "$cpu" "$loop" "$iters" | head -n1
	done | median
}

start_bg() {	# wait-for-file-or-text, command...
	local what=$1; shift
	"$@" >"$tmp/bg.out" 2>"$tmp/bg.err" &
	bg=$!
	for _ in $(seq 200); do
		if [ -s "$what" ] || grep -q "Attaching\|ready" "$tmp/bg.out" "$tmp/bg.err" 2>/dev/null; then
			return 0
		fi
		kill -0 "$bg" 2>/dev/null || break
		sleep 0.1
	done
	echo "20-seccomp-advisor: $1 did not get ready: $(cat "$tmp/bg.err")" >&2
	exit 1
}

stop_bg() {
	kill -INT "$bg" 2>/dev/null || true
	wait "$bg" 2>/dev/null || true
	bg=
}

# Rounds interleave the configurations so drift on a shared machine hits
# them alike; each number is the median of its rounds. Every configuration
# gets the same settle time between its set-up and the loop (an ig that just
# loaded or detached leaves kernel work behind: RCU frees, per-CPU map
# teardown), and the two advisor modes swap places every round so neither
# always follows the other's teardown. In command mode the loop is still
# ig's child and the command's pid: sh sleeps, then execs taskset, which
# execs the loop.
settle=${SA_BENCH_SETTLE:-0.3}
one() { sleep "$settle"; taskset -c "$cpu" "$loop" "$iters" | head -n1; }
host_round() {
	rm -f "$tmp/ready"
	start_bg "$tmp/ready" "$ig" run seccomp-advisor --host --ready-file "$tmp/ready"
	one >>"$tmp/adv"
	stop_bg
}
cmd_round() {
	"$ig" run seccomp-advisor -- sh -c \
		"sleep $settle; exec taskset -c $cpu $loop $iters" | head -n1 >>"$tmp/cmd"
}
for ((r = 0; r < rounds; r++)); do
	one >>"$tmp/bare"
	start_bg "$tmp/none" "$empty"
	one >>"$tmp/empty"
	stop_bg
	if ((r % 2 == 0)); then
		host_round
		cmd_round
	else
		cmd_round
		host_round
	fi
done
bare=$(median <"$tmp/bare")
empty_ns=$(median <"$tmp/empty")
adv=$(median <"$tmp/adv")
adv_cmd=$(median <"$tmp/cmd")

# bpftrace takes seconds to attach: its rounds run in one block.
start_bg "$tmp/none" bpftrace -e 'tracepoint:raw_syscalls:sys_enter { @[args->id] = count(); }'
sleep 1
bpft=$(rounds_of env)
stop_bg

ratio() { awk -v a="$1" -v b="$bare" -v e="$empty_ns" 'BEGIN { printf "%.2f", (a - b) / (e - b) }'; }
r_adv=$(ratio "$adv")
r_cmd=$(ratio "$adv_cmd")
r_bpft=$(ratio "$bpft")

printf 'seccomp-advisor hot path, ns/getppid (median of %d x %d, CPU %s):\n' "$rounds" "$iters" "$cpu"
printf '  %-34s %8s\n' "bare" "$bare"
printf '  %-34s %8s  (floor: +%s)\n' "empty tp_btf/sys_enter" "$empty_ns" \
	"$(awk -v a="$empty_ns" -v b="$bare" 'BEGIN{printf "%.1f", a-b}')"
printf '  %-34s %8s  ratio %s\n' "seccomp-advisor --host" "$adv" "$r_adv"
printf '  %-34s %8s  ratio %s\n' "seccomp-advisor -- COMMAND" "$adv_cmd" "$r_cmd"
printf '  %-34s %8s  ratio %s\n' "bpftrace count by id" "$bpft" "$r_bpft"

verdict=ok
for r in "$r_adv" "$r_cmd"; do
	awk -v r="$r" -v b="$budget" 'BEGIN { exit !(r <= b) }' || verdict="OVER BUDGET"
done
printf 'seccomp-advisor added cost / empty program: %s (host), %s (command); budget <= %s: %s\n' \
	"$r_adv" "$r_cmd" "$budget" "$verdict"
[ "$verdict" = ok ]
