#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Start-up cost: wall time and peak RSS of
#   ig run <gadget> -- /bin/true
# for every gadget in BUILD/gadgets, against the budgets in DESIGN.md (<= 100 ms, <= 16 MB). Wall time is the
# median of several runs (hyperfine when installed, else a date loop); peak
# RSS is the largest of /usr/bin/time -v over a few runs. Needs root (BPF).
# Usage: 00-core.sh [BUILD_DIR]. Exit 1 when over budget.
set -euo pipefail
cd "$(dirname "$0")/../.."

. scripts/bench.d/lib.sh
bench_init 00-core "$@"
runs=${CORE_BENCH_RUNS:-15}
budget_ms=100
budget_kb=$((16 * 1024))

bench_need "$ig" "$build/gadgets/trace-exec.so"
bench_need_root "BPF"
bench_one() {	# gadget -> prints two lines, returns 1 when over budget
	local g=$1 median_ms how peak_kb kb verdict rc=0
	local cmd=("$ig" run "$g" -- /bin/true)

	"${cmd[@]}" >/dev/null 2>&1 || { echo "00-core: '${cmd[*]}' fails" >&2; return 1; }
	if command -v hyperfine >/dev/null; then
		local json
		json=$(mktemp)
		hyperfine --style none --warmup 2 --runs "$runs" --export-json "$json" \
			"${cmd[*]} >/dev/null 2>&1" >/dev/null
		median_ms=$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["results"][0]["median"]*1000, 1))' "$json")
		rm -f "$json"
		how="hyperfine median of $runs"
	else
		local times=() t0 t1 median_us
		for _ in $(seq "$runs"); do
			t0=$(date +%s%N)
			"${cmd[@]}" >/dev/null 2>&1
			t1=$(date +%s%N)
			times+=($(( (t1 - t0) / 1000 )))
		done
		median_us=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
		median_ms=$(awk -v u="$median_us" 'BEGIN {printf "%.1f", u / 1000}')
		how="median of $runs"
	fi

	peak_kb=0
	for _ in 1 2 3; do
		kb=$(/usr/bin/time -f '%M' "${cmd[@]}" 2>&1 >/dev/null | tail -1)
		[ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
	done

	verdict=ok
	awk -v m="$median_ms" -v b="$budget_ms" 'BEGIN {exit !(m <= b)}' || { verdict="OVER BUDGET"; rc=1; }
	printf 'ig run %s -- /bin/true: %s ms wall (%s, budget <= %d ms): %s\n' \
		"$g" "$median_ms" "$how" "$budget_ms" "$verdict"
	verdict=ok
	[ "$peak_kb" -le "$budget_kb" ] || { verdict="OVER BUDGET"; rc=1; }
	printf 'ig run %s -- /bin/true: %d KB peak RSS (max of 3, budget <= %d KB): %s\n' \
		"$g" "$peak_kb" "$budget_kb" "$verdict"
	return $rc
}

status=0
for so in "$build"/gadgets/*.so; do
	bench_one "$(basename "$so" .so)" || status=1
done
exit $status
