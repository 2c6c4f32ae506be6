#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run each fuzz target for a bounded time: scripts/fuzz.sh BUILD SECONDS TARGET...
# Seeds: tests/fuzz/corpus/<t>/ (and tests/fuzz/regress/<t>/); what a run
# finds worth keeping goes to BUILD/corpus/<t>/, a crash to BUILD/crashes/.
# One line per target: executions, corpus size, outcome. Exit 1 on a crash.
set -uo pipefail
cd "$(dirname "$0")/.."

build=$1 secs=$2
shift 2
status=0
for t in "$@"; do
	corpus=$build/corpus/$t
	mkdir -p "$corpus" "$build/crashes"
	seeds=(tests/fuzz/corpus/"$t")
	[ -d tests/fuzz/regress/"$t" ] && seeds+=(tests/fuzz/regress/"$t")
	log=$build/$t.log
	start=$(date +%s)
	"$build/$t" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix="$build/crashes/$t-" \
		"$corpus" "${seeds[@]}" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	units=$(find "$corpus" -type f | wc -l)
	if [ $rc = 0 ]; then
		echo "fuzz $t: ${execs:-?} executions in $(( $(date +%s) - start )) s, corpus $units, no finding"
	else
		echo "fuzz $t: FINDING after ${execs:-?} executions (exit $rc); input in $build/crashes/, log $log" >&2
		grep -m5 -E "ERROR|runtime error|SUMMARY" "$log" >&2
		status=1
	fi
done
exit $status
