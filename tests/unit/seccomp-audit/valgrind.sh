#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run the seccomp-audit parser/evaluator unit tests under valgrind: memory
# errors or leaks in any test process fail the run. Criterion re-executes the
# binary per test, so valgrind follows children and writes one log per
# process; Criterion's own exit code does not carry their errors, the logs do.
# Usage: valgrind.sh BUILD_DIR
set -uo pipefail
build=${1:?usage: valgrind.sh BUILD_DIR}
bin=$build/tests/unit-seccomp-audit
[ -x "$bin" ] || { echo "valgrind.sh: $bin is missing: build it first" >&2; exit 1; }
# A sanitized build (make test SANITIZE=1) cannot run under valgrind; ASan
# and LSan check the same tests there, their reports counted by run-tests.sh.
if [ -n "${IG_SANITIZER_LOGS:-}" ]; then
	unset BXFI_MAP
	san=$(mktemp -d)
	trap 'rm -rf "$san"' EXIT
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:log_path=$san/asan" \
	UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:log_path=$san/ubsan" \
		"$bin" --filter 'profile/*' -j1 >"$san/out" 2>&1
	if ! grep -q 'Failing: 0 | Crashing: 0' "$san/out" || ls "$san"/*san.* >/dev/null 2>&1; then
		cat "$san/out" "$san"/*san.* >&2 2>/dev/null
		echo "valgrind.sh: memory errors or failures in the seccomp-audit parser tests" >&2
		exit 1
	fi
	grep 'Synthesis' "$san/out"
	echo "valgrind.sh: no memory errors, no leaks (ASan, LSan, UBSan: a sanitized build)"
	exit 0
fi
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is not installed" >&2; exit 1; }
# Started from a Criterion test, the worker's BXFI_MAP would make this
# Criterion binary act as a worker of the caller's.
unset BXFI_MAP
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
timeout 300 valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
	--error-exitcode=1 --trace-children=yes --log-file="$logs/vg.%p" \
	"$bin" --filter 'profile/*' -j1 >"$logs/out" 2>&1
rc=$?
bad=$(grep -l 'ERROR SUMMARY: [1-9]' "$logs"/vg.* 2>/dev/null)
if [ -n "$bad" ] || [ $rc != 0 ] || ! grep -q 'Failing: 0 | Crashing: 0' "$logs/out"; then
	cat "$logs/out" $bad >&2
	echo "valgrind.sh: memory errors or failures in the seccomp-audit parser tests" >&2
	exit 1
fi
grep 'Synthesis' "$logs/out"
echo "valgrind.sh: no memory errors, no leaks"
