#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# make test-kernels: every gadget's kernel tests on each kernel of
# kernels.txt, booted under qemu (boot.sh), and on the host's own kernel;
# then one table, kernel x gadget, with the tests passed and the attach
# points ig doctor chose. A kernel whose log shows a warning, a BUG, an oops,
# a soft lockup or a hung task fails the run even when every test passed.
#
# usage: matrix.sh [--docs] [KERNEL...]   KERNEL: a name of kernels.txt or "host"
#   --docs   also rewrite the table in docs/kernels.md
# Output stays in build/kernels/<kernel>/ (output, dmesg, console.log).
# Environment: IGK_DIR (see fetch.sh), IGK_TIMEOUT (per guest, default 900).
set -uo pipefail
cd "$(dirname "$0")/../.."

here=scripts/kernels
build=${BUILD:-build}
out_root=$build/kernels
docs=0
if [ "${1:-}" = --docs ]; then
	docs=1
	shift
fi
kernels=("$@")
if [ ${#kernels[@]} -eq 0 ]; then
	mapfile -t kernels < <(awk '!/^#/ && NF { print $1 }' $here/kernels.txt)
	kernels+=(host)
fi
[ "$(id -u)" = 0 ] || { echo "test-kernels: needs root (it loads BPF programs)" >&2; exit 1; }
[ -x "$build/ig" ] || { echo "test-kernels: $build/ig is missing: make tests-build" >&2; exit 1; }

bad_log='WARNING:|BUG:|Oops|soft lockup|hung_task|blocked for more than|Call Trace:|general protection|Kernel panic|rcu.*stall'

guests=()
for k in "${kernels[@]}"; do [ "$k" = host ] || guests+=("$k"); done
declare -A kdir
if [ ${#guests[@]} -gt 0 ]; then
	fetched=$($here/fetch.sh "${guests[@]}") || exit 1
	while read -r name dir _; do kdir[$name]=$dir; done <<<"$fetched"
fi

status=0
start_all=$(date +%s)
for k in "${kernels[@]}"; do
	dir=$out_root/$k
	rm -rf "$dir"
	mkdir -p "$dir"
	start=$(date +%s)
	echo "==> kernel $k"
	if [ "$k" = host ]; then
		before=$(dmesg | wc -l)
		bash $here/guest.sh "$build" > "$dir/output" 2>&1
		rc=$?
		dmesg | tail -n +$((before + 1)) > "$dir/dmesg"
	else
		extra=$(awk -v n="$k" '!/^#/ && $1 == n { print $3 }' $here/kernels.txt)
		bash $here/boot.sh "${kdir[$k]}" "bash $here/guest.sh $build ${extra:--}" "$dir" > /dev/null
		rc=$?
	fi
	grep -a '^IGK-' "$dir/output" 2>/dev/null
	echo "    exit $rc, $(($(date +%s) - start)) s"
	# The whole log, and the console too in case the guest died before dmesg.
	cat "$dir/dmesg" "$dir/console.log" 2>/dev/null | grep -aE "$bad_log" | sort -u > "$dir/bad-log"
	if [ -s "$dir/bad-log" ]; then
		echo "    the kernel logged trouble (see $dir/dmesg):"
		sed 's/^/      /' "$dir/bad-log" | head -20
		rc=1
	fi
	echo "$rc" > "$dir/rc"
	[ "$rc" = 0 ] || status=1
done

python3 $here/table.py "$out_root" "${kernels[@]}" > "$out_root/table.md" || status=1
echo
cat "$out_root/table.md"
echo
echo "test-kernels: $(($(date +%s) - start_all)) s for ${#kernels[@]} kernels"
if [ $docs = 1 ]; then
	python3 $here/table.py --docs docs/kernels.md "$out_root" "${kernels[@]}" || status=1
fi
[ $status = 0 ] || echo "test-kernels: FAILED (see $out_root/<kernel>/output)" >&2
exit $status
