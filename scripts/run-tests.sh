#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run Criterion test binaries: unit ones (before --) then kernel ones (after).
# Kernel tests need root, BPF and tracefs: mount tracefs when absent.
# Prints one closing line "N passed, N failed" over all binaries, then the
# failed tests' names (CI shows the end of the log only).
set -uo pipefail
cd "$(dirname "$0")/.."

unit=()
kernel=()
seen_sep=0
for a in "$@"; do
	if [ "$a" = "--" ]; then seen_sep=1; continue; fi
	if [ $seen_sep = 0 ]; then unit+=("$a"); else kernel+=("$a"); fi
done

if [ ${#kernel[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "run-tests: kernel tests need root" >&2
		exit 1
	fi
	if ! mountpoint -q /sys/kernel/tracing; then
		mount -t tracefs tracefs /sys/kernel/tracing || {
			echo "run-tests: cannot mount tracefs on /sys/kernel/tracing" >&2; exit 1; }
	fi
fi

passed=0
failed=0
status=0
failed_names=()
# make test SANITIZE=1 points IG_SANITIZER_LOGS at the directory where
# ASan, LSan and UBSan write their reports, from tests and from the igs they
# start alike: each report is shown and counted as a failure.
sanitizer_name() {
	local kind test
	kind=$(grep -m1 -oE 'ERROR: [A-Za-z]+Sanitizer: [a-z-]+' "$1" | sed 's/^ERROR: //')
	test=$(grep -m1 -oE ' in [A-Za-z0-9_]+_impl ' "$1" | sed -E 's/ in (.*)_impl /\1/')
	echo "${test:-$(basename "$bin")} (${kind:-sanitizer report})"
}
sanitizer_reports() {
	[ -n "${IG_SANITIZER_LOGS:-}" ] || return 0
	local n=0 f
	for f in "$IG_SANITIZER_LOGS"/*; do
		[ -f "$f" ] || continue
		echo "==> sanitizer report $f:"
		cat "$f"
		n=$((n + 1))
		# the closing list names the report by its kind and the test it came from
		failed_names+=("$(sanitizer_name "$f")")
	done
	rm -f "$IG_SANITIZER_LOGS"/*
	return $n
}

run() {
	local bin=$1; shift
	local log
	log=$(mktemp)
	echo "==> $bin"
	[ -z "${IG_SANITIZER_LOGS:-}" ] || { mkdir -p "$IG_SANITIZER_LOGS"; rm -f "$IG_SANITIZER_LOGS"/*; }
	"$bin" --verbose=0 "$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	sanitizer_reports || { failed=$((failed + $?)); rc=1; }
	# Criterion's summary: "[====] Synthesis: Tested: N | Passing: P | Failing: F | Crashing: C"
	local line
	line=$(grep -a 'Synthesis:' "$log" | tail -1)
	if [ -n "$line" ]; then
		local p f
		p=$(sed -E 's/.*Passing: ([0-9]+).*/\1/' <<<"$line")
		f=$(sed -E 's/.*Failing: ([0-9]+).*/\1/' <<<"$line")
		passed=$((passed + p))
		failed=$((failed + f))	# Failing counts the crashed too
	else
		failed=$((failed + 1))
	fi
	[ "$rc" = 0 ] || status=1
	local name
	while read -r name; do
		failed_names+=("$name")
	done < <(grep -a '^\[FAIL\] ' "$log" | sed -E 's/^\[FAIL\] ([^:]+::[^:]+).*/\1/' | sort -u)
	[ "$rc" = 0 ] || [ -n "$line" ] || failed_names+=("$(basename "$bin") (no summary)")
	rm -f "$log"
}

for b in "${unit[@]}"; do run "$b"; done
for b in "${kernel[@]}"; do run "$b" --jobs 1; done

echo "$passed passed, $failed failed"
for name in "${failed_names[@]}"; do echo "failed: $name"; done
exit $status
