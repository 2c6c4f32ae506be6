#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run every benchmark in scripts/bench.d/ whose name starts with a digit
# (NN-name.sh with bash, NN-name.py with python3; lib.sh and benchlib.py
# are their shared helpers) in name order, with the build dir as argument
# (default: $BUILD, else build/). Each prints its figures with their spread
# against the budgets of docs/performance.md and exits non-zero when a budget
# does not hold; this runs them all, prints every verdict line again at the
# end, and exits non-zero if any failed. Only one bench runs at a time on a
# machine (flock on /tmp/ig-bench.lock): two would measure each other.
# env BENCH_ONLY=PATTERN runs only the scripts whose name matches.
set -uo pipefail
cd "$(dirname "$0")/.."

build=${1:-${BUILD:-build}}
export BUILD=$build
exec 9>/tmp/ig-bench.lock
flock 9
export IG_BENCH_LOCKED=1	# benchlib.py takes the lock itself when run alone
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
for b in scripts/bench.d/[0-9]*; do
	[ -e "$b" ] || continue
	case $b in *"${BENCH_ONLY:-}"*) ;; *) continue ;; esac
	case $b in
	*.sh) run=(bash "$b") ;;
	*.py) run=(python3 "$b") ;;
	*) continue ;;
	esac
	echo "==> $b ($(date +%T), load average $(cut -d' ' -f1-3 /proc/loadavg))"
	if ! "${run[@]}" "$build" 2>&1 | tee -a "$log"; then
		echo "bench: $b reported a failure or a budget that does not hold" | tee -a "$log" >&2
		status=1
	fi
done
echo "==> verdicts"
grep -E 'verdict|bench: ' "$log"
[ $status = 0 ] && echo "bench: every budget holds" || echo "bench: NOT every budget holds"
exit $status
