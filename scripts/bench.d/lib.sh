# SPDX-License-Identifier: Apache-2.0
# Sourced by the scripts in scripts/bench.d/ (bench.sh runs only *.sh files
# whose name starts with a digit). After `bench_init NAME "$@"`: $build (the
# build dir: first argument, else $BUILD, else build/) and $ig.

bench_init() {	# NAME [BUILD_DIR]
	bench_name=$1
	build=${2:-${BUILD:-build}}
	ig=$build/ig
}

bench_fail() {	# MESSAGE: one line on stderr, exit 1
	echo "$bench_name: $*" >&2
	exit 1
}

bench_need() {	# FILE...: each must exist
	local f
	for f in "$@"; do
		[ -e "$f" ] || bench_fail "$f is missing: run 'make BUILD=$build tests-build' first"
	done
}

bench_need_root() {	# WHY
	[ "$(id -u)" = 0 ] || bench_fail "must run as root ($1)"
}

# CPUs this script may use: the first, the last, and all but the last (or
# the only one, on a single CPU).
bench_first_cpu() { taskset -pc $$ | sed 's/.*: *//; s/[,-].*//'; }
bench_last_cpu() { taskset -pc $$ | sed 's/.*: *//; s/.*[,-]//'; }
bench_other_cpus() {
	python3 -c "import os; c = sorted(os.sched_getaffinity(0)); \
print(','.join(str(x) for x in c if x != $(bench_last_cpu)) or str(c[0]))"
}
