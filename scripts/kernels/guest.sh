#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The part of `make test-kernels` that runs on the kernel under test (in a
# guest booted by boot.sh, or on the host): what ig doctor says about this
# kernel, then each gadget's kernel tests -- its closed loops among them --
# with the build tree's test binaries. Prints machine-readable lines that
# matrix.sh turns into the table, the tests' own output around them:
#   IGK-KERNEL <release>
#   IGK-DOCTOR <gadget> <ready|missing> <attach points or the missing feature>
#   IGK-RESULT <gadget> <passed> <run> <seconds>
# Exit status 0 when every test passed.
#
# usage: guest.sh [BUILD_DIR] [EXTRA]   (run from the top of the tree, as root)
#   EXTRA "kprobe": also capabilities' closed loops with fentry hidden
#   (IG_DISABLE_FEATURES=fentry), reported as gadget "capabilities/kprobe"
set -uo pipefail

build=${1:-build}
extra=${2:--}
ig=$build/ig
export IG_BUILD_DIR=$PWD/$build

# The test binary and the Criterion filter that make up each gadget's share.
# Under TCG an ig start costs ~1 s and a runc container several, 10 to 30
# times the host's, so each gadget runs its closed loops (profile applied ->
# the workload runs; capabilities granted -> it runs; policy = the flows
# observed) and the tests of what differs between kernels: the syscall
# arguments and 32-bit syscalls read from the registers, namespace switches,
# exec from a thread (the 5.10 thread state), the live and dry-run sources,
# the audited flag (from the call stack, or from cap_capable's opts), the
# command follower (the core's raw tracepoints) and ig doctor. The rest, and
# seccomp-audit's valgrind run, stay in make test on the host.
tests_of() {
	case $1 in
	seccomp-advisor) echo "kernel-seccomp-advisor" \
		"@(closed_loop/@(busybox_tools|pthreads|shell_pipeline)|args/*|compat/*|host/*)" ;;
	seccomp-audit) echo "kernel-seccomp-audit" \
		"@(live/@(container_every_call_once|command_libseccomp_filter|exec_from_a_thread_is_no_denial|no_false_denials_when_stopping)|dryrun/agrees_with_live_oci_json)" ;;
	capabilities) echo "kernel-capabilities" \
		"@(closed_loop/*|trace/@(audit_derivation_and_audit_only|unique_in_kernel)|advise/command_mode)" ;;
	network-policy-advisor) echo "kernel-network-policy-advisor" \
		"network_policy_advisor/@(real_traffic_to_policies|command_mode)" ;;
	trace-exec) echo "kernel-core" \
		"@(run/@(exec_seen_in_json|children_followed|command_status_and_stdio)|pid_filter/*|container/*|doctor/*)" ;;
	esac
}
gadgets="seccomp-advisor seccomp-audit capabilities network-policy-advisor trace-exec"

echo "IGK-KERNEL $(uname -r)"
if ! mountpoint -q /sys/kernel/tracing; then
	mount -t tracefs tracefs /sys/kernel/tracing || echo "guest: cannot mount tracefs" >&2
fi

# What ig will use here, in ig's own words.
doctor=$("$ig" doctor -o json 2>&1)
echo "$doctor" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
for g in doc.get("gadgets", []):
	if g.get("ready"):
		what = ", ".join(g.get("attach", [])) or "-"
		print("IGK-DOCTOR %s ready %s" % (g["name"], what))
	else:
		print("IGK-DOCTOR %s missing %s" % (g["name"], g.get("missing", "?")))
' || { echo "guest: ig doctor failed:"; echo "$doctor"; }

status=0
# run_tests NAME BINARY FILTER: the tests, then their IGK-RESULT line
run_tests() {
	local log start rc secs line run passed
	echo "==> $1: $2 --filter '$3' ${IG_DISABLE_FEATURES:+(IG_DISABLE_FEATURES=$IG_DISABLE_FEATURES)}"
	log=$(mktemp)
	start=$(date +%s)
	"$build/tests/$2" --verbose=0 --jobs 1 --filter "$3" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	secs=$(($(date +%s) - start))
	line=$(grep -a 'Synthesis:' "$log" | tail -1)
	run=$(sed -nE 's/.*Tested: ([0-9]+).*/\1/p' <<<"$line")
	passed=$(sed -nE 's/.*Passing: ([0-9]+).*/\1/p' <<<"$line")
	echo "IGK-RESULT $1 ${passed:-0} ${run:-0} $secs"
	[ "$rc" = 0 ] && [ -n "$run" ] && [ "$run" = "$passed" ] || status=1
	rm -f "$log"
}

for g in $gadgets; do
	read -r bin filter <<<"$(tests_of "$g")"
	run_tests "$g" "$bin" "$filter"
done
if [ "$extra" = kprobe ]; then
	kp=$(IG_DISABLE_FEATURES=fentry "$ig" doctor -o json | python3 -c '
import json, sys
g = [x for x in json.load(sys.stdin)["gadgets"] if x["name"] == "capabilities"][0]
print(", ".join(g.get("attach", [])) or g.get("missing", "?"))')
	echo "IGK-DOCTOR capabilities/kprobe ready $kp"
	IG_DISABLE_FEATURES=fentry run_tests capabilities/kprobe kernel-capabilities "closed_loop/*"
fi
exit $status
