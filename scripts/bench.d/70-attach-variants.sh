#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What each attach variant costs on the hot path, for the gadgets that have
# several (docs/kernels.md): capabilities (the capability:cap_capable
# tracepoint, fexit on cap_capable with and without the batch timer,
# kprobe/kretprobe), seccomp-advisor (the task as a BTF pointer, or read
# with probe reads) and seccomp-audit live (thread state in task storage, or
# in a hash). Each variant the running kernel has is forced with
# IG_DISABLE_FEATURES and measured side by side with the others and with the
# bare workload, whole process (`ig run G -- workload`), ROUNDS rounds in
# rotating order; per variant the median over rounds of
#   slowdown  = time per operation / bare - 1
#   ratio     = added time / the first variant's added time
# Ratios, not absolute times: this also runs inside a qemu guest (TCG), where
# absolute times mean little. This machine refuses fentry and kprobes, so
# unless ATTACH_BENCH_GUEST=0 the same script then runs in a 6.12 guest
# (scripts/kernels/, fetched on first use) for those variants.
#
# Workload: tests/bench/wl, timed by its own thread's CPU time (what the
# programs add runs on that thread; ig's consumer on the other CPU and the
# rest of a shared machine do not count): setuid(0) as root for capabilities
# (one audited CAP_SETUID check each), getppid() for seccomp-advisor, and
# getppid() under an allow-all filter (wl -s) for seccomp-audit, so its live
# path runs. Prints only: no budget here (the per-gadget benches hold those),
# so it fails only when a run fails.
#
# Usage: 70-attach-variants.sh [BUILD_DIR]; env ATTACH_BENCH_ROUNDS (7),
# ATTACH_BENCH_OPS (300000 operations per run), ATTACH_BENCH_GUEST (1),
# ATTACH_BENCH_HERE=1 (measure here only: what the guest runs). Must run as
# root.
set -euo pipefail
cd "$(dirname "$0")/../.."

. scripts/bench.d/lib.sh
bench_init 70-attach-variants "$@"
rounds=${ATTACH_BENCH_ROUNDS:-7}
ops=${ATTACH_BENCH_OPS:-300000}
wl=$build/tests/bench/wl
bench_need "$ig" "$wl"
bench_need_root "BPF, and setuid(0) must check CAP_SETUID"
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
tmp=$(mktemp -d /tmp/ig-bench-attach-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cpu=$(bench_last_cpu)
others=$(bench_other_cpus)

# The variants of a gadget: "label|features to disable|the first attach point
# ig doctor then reports for it".
variants() {
	local vm="fexit/cap_capable (and its inlined callers"
	case $1 in
	capabilities) printf '%s\n' "tracepoint||tp_btf/cap_capable" \
		"fexit|tp_btf|$vm)" \
		"fexit, no timer|tp_btf,timer|$vm; no BPF timer: a sample per check)" \
		"kprobe|tp_btf,fentry|kprobe/cap_capable (and its inlined callers; a sample per check)" ;;
	seccomp-advisor) printf '%s\n' "task as BTF pointer||tp_btf/sys_enter" \
		"probe reads|task_btf|tp_btf/sys_enter (task read with probe reads)" ;;
	seccomp-audit) printf '%s\n' "task storage||tp_btf/sys_enter" \
		"hash|task_storage|tp_btf/sys_enter (thread state in a hash, probe reads)" ;;
	esac
}

# Whether this kernel gives gadget $1 the variant $3 with features $2 disabled.
available() {
	IG_DISABLE_FEATURES=$2 "$ig" doctor -o json 2>/dev/null | python3 -c '
import json, sys
g = [x for x in json.load(sys.stdin)["gadgets"] if x["name"] == sys.argv[1]][0]
sys.exit(0 if g["ready"] and g["attach"][0] == sys.argv[2] else 1)' "$1" "$3"
}

# One timed run: gadget $1, disabled features $2 ("bare": no ig); prints the
# workload thread's CPU ns per operation.
measure() {
	local out=$tmp/out err=$tmp/err args
	case $1 in
	capabilities) args=(setuid "$ops") ;;
	seccomp-advisor) args=(getppid "$ops") ;;
	seccomp-audit) args=(-s getppid "$ops") ;;
	esac
	rm -f "$out"
	if [ "$2" = bare ]; then
		taskset -c "$cpu" "$wl" -o "$out" "${args[@]}"
	else
		IG_DISABLE_FEATURES=$2 taskset -c "$others" "$ig" run "$1" -o json -- \
			taskset -c "$cpu" "$wl" -o "$out" "${args[@]}" >/dev/null 2>"$err" ||
			bench_fail "ig run $1 (IG_DISABLE_FEATURES=$2): $(tail -1 "$err")"
	fi
	awk '{for (i = 1; i < NF; i++) if ($i == "cpu_ns_per_op") print $(i + 1)}' "$out"
}

median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

bench_gadget() {
	local g=$1 labels=() dis=() n i r k t
	while IFS='|' read -r label d what; do
		if available "$g" "$d" "$what"; then
			labels+=("$label")
			dis+=("${d:-none}")
		fi
	done < <(variants "$g")
	n=${#labels[@]}
	[ "$n" -gt 0 ] || { echo "$g: no variant available here"; return; }
	: >"$tmp/bare"
	for i in $(seq 0 $((n - 1))); do : >"$tmp/v$i"; done
	for r in $(seq 1 "$rounds"); do
		# rotate the order so that no variant always runs first
		for k in $(seq 0 "$n"); do
			i=$(((k + r) % (n + 1)))
			if [ "$i" = "$n" ]; then
				measure "$g" bare >>"$tmp/bare"
			else
				t=${dis[$i]}
				[ "$t" = none ] && t=
				measure "$g" "$t" >>"$tmp/v$i"
			fi
		done
	done
	printf '%s on %s (median of %d rounds; ratio: added time / the first variant'"'"'s)\n' \
		"$g" "$(uname -r)" "$rounds"
	local line="$bench_name verdict (figures, no budget): $g on $(uname -r):"
	for i in $(seq 0 $((n - 1))); do
		paste -d ' ' "$tmp/v$i" "$tmp/bare" "$tmp/v0" |
			awk '{ printf "%.4f %.4f\n", $1 / $2 - 1, ($3 > $2) ? ($1 - $2) / ($3 - $2) : 0 }' \
			>"$tmp/r$i"
		slow=$(awk '{print $1 * 100}' "$tmp/r$i" | median)
		ratio=$(awk '{print $2}' "$tmp/r$i" | median)
		printf '  %-22s slowdown %6.1f%%   ratio %5.2fx\n' "${labels[$i]}" "$slow" "$ratio"
		line+=$(printf ' %s %.2fx;' "${labels[$i]}" "$ratio")
	done
	echo "$line"
}

echo "attach variants on $(uname -r): $rounds rounds, side by side"
for g in capabilities seccomp-advisor seccomp-audit; do
	bench_gadget "$g"
done

[ "${ATTACH_BENCH_HERE:-0}" = 1 ] && exit 0
[ "${ATTACH_BENCH_GUEST:-1}" = 1 ] || exit 0
# fentry and kprobes, where this kernel refuses them: a 6.12 guest
kernel=$(scripts/kernels/fetch.sh 6.12 | awk '{print $2}') ||
	bench_fail "cannot fetch the 6.12 kernel for the fentry/kprobe variants"
echo
echo "the same in a qemu guest (TCG) running Debian's 6.12, for fentry and kprobe:"
IGK_TIMEOUT=1500 scripts/kernels/boot.sh "$kernel" \
	"ATTACH_BENCH_HERE=1 ATTACH_BENCH_ROUNDS=$rounds ATTACH_BENCH_OPS=$ops bash scripts/bench.d/70-attach-variants.sh $build" ||
	bench_fail "the guest run failed"
