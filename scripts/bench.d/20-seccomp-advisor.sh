#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# seccomp-advisor hot-path cost, side by side in one run: ns per getppid()
# with
#   bare          nothing attached
#   empty         an empty tp_btf/sys_enter program (the floor)
#   advisor-host  seccomp-advisor's program as `ig run seccomp-advisor --host` loads it
#   advisor-cmd   the same in command mode (`ig run seccomp-advisor -- CMD`)
#   bpftrace      tracepoint:raw_syscalls:sys_enter { @[args->id] = count(); }
# and the ratio of each one's added cost to the empty program's; budget
# <= 1.3 (DESIGN.md). tests/bench/sa_hotpath does the measuring: it takes a
# reference to each program, stops the process that loaded it, and attaches
# one program at a time for short bursts, cycling through all of them every
# round, so machine drift hits them alike (see its header). The added cost
# is paired: the median over rounds of (burst - bare burst of that round).
# Then the same configurations for one-byte pipe round trips with a peer in
# another mount namespace on the same CPU (the advisor's worst case: every
# syscall after a switch misses its per-CPU cache and changes unit; no
# budget, printed for the record).
# Usage: 20-seccomp-advisor.sh [BUILD_DIR]   (default: $BUILD, else build/);
# env SA_BENCH_ROUNDS (61), SA_BENCH_CALLS (100000 per burst).
# Exit 1 when over budget.
set -euo pipefail
cd "$(dirname "$0")/../.."

. scripts/bench.d/lib.sh
bench_init 20-seccomp-advisor "$@"
hot=$build/tests/bench/sa_hotpath
rounds=${SA_BENCH_ROUNDS:-61}
calls=${SA_BENCH_CALLS:-100000}
budget=1.3

bench_need "$ig" "$hot"
bench_need_root "BPF"
command -v bpftrace >/dev/null || bench_fail "bpftrace is missing (make deps)"
[ -e /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing
cpu=$(bench_first_cpu)
err=$(mktemp)
trap 'rm -f "$err"' EXIT

# sa_hotpath runs as ig's command (that is how it gets the command-mode
# program); ig's own report shares the pipe, so keep only its lines.
out=$("$ig" run seccomp-advisor -- "$hot" --ig "$ig" --cpu "$cpu" --rounds "$rounds" \
	--calls "$calls" --pingpong 2>"$err" | grep '^sa_\(hotpath\|pingpong\) ' || true)
res=$(printf '%s\n' "$out" | grep '^sa_hotpath ' || true)
pp=$(printf '%s\n' "$out" | grep '^sa_pingpong ' || true)
if [ "$(printf '%s\n' "$res" | grep -c .)" != 5 ] || [ "$(printf '%s\n' "$pp" | grep -c .)" != 5 ]; then
	echo "20-seccomp-advisor: sa_hotpath failed: $(cat "$err")" >&2
	exit 1
fi
get() { printf '%s\n' "$res" | awk -v n="$1" -v f="$2" '$2 == n { print $f }'; }
empty_add=$(get empty 4)
ratio() { awk -v a="$(get "$1" 4)" -v e="$empty_add" 'BEGIN { printf "%.2f", a / e }'; }

printf 'seccomp-advisor hot path, ns/getppid (%d rounds x %d calls, CPU %s; median, added = paired median vs bare):\n' \
	"$rounds" "$calls" "$cpu"
for n in bare empty advisor-host advisor-cmd bpftrace; do
	case $n in
	bare) label="bare" ;;
	empty) label="empty tp_btf/sys_enter (floor)" ;;
	advisor-host) label="seccomp-advisor --host" ;;
	advisor-cmd) label="seccomp-advisor -- COMMAND" ;;
	bpftrace) label="bpftrace count by id" ;;
	esac
	if [ "$n" = bare ]; then
		printf '  %-32s %8s\n' "$label" "$(get "$n" 3)"
	else
		printf '  %-32s %8s  added %6s  ratio %s\n' "$label" "$(get "$n" 3)" "$(get "$n" 4)" \
			"$(ratio "$n")"
	fi
done
ppget() { printf '%s\n' "$pp" | awk -v n="$1" -v f="$2" '$2 == n { print $f }'; }
printf 'ping-pong with a process in another mount namespace on the same CPU (every syscall\n'
printf 'after a switch misses the cache and changes unit; informational), ns/round trip:\n'
printf '  bare %s; added: empty %s, --host %s, -- COMMAND %s, bpftrace %s\n' "$(ppget bare 3)" \
	"$(ppget empty 4)" "$(ppget advisor-host 4)" "$(ppget advisor-cmd 4)" "$(ppget bpftrace 4)"
r_host=$(ratio advisor-host)
r_cmd=$(ratio advisor-cmd)
verdict=ok
for r in "$r_host" "$r_cmd"; do
	awk -v r="$r" -v b="$budget" 'BEGIN { exit !(r <= b) }' || verdict="OVER BUDGET"
done
printf 'seccomp-advisor added cost / empty program: %s (host), %s (command); budget <= %s: %s\n' \
	"$r_host" "$r_cmd" "$budget" "$verdict"
[ "$verdict" = ok ]
