#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""seccomp-audit, whole process, against its budget (docs/performance.md):
in live mode the added cost per syscall is at most 1.3x that of empty
programs on its two per-syscall hooks (tp_btf/sys_enter and sys_exit).

The workload is a getppid() loop under a seccomp filter that allows
everything (`wl -s`: the live path runs only for threads in filter mode),
pinned to one CPU, in rounds of (benchlib.py):
  bare      nothing attached
  empty     floor --hook tp_btf/sys_enter --hook tp_btf/sys_exit
  live      ig run seccomp-audit -- wl ...   (the default: audit records
            read as well, audit enabled for the run)
  dry run   ig run seccomp-audit --profile P -- wl ...   (no budget: every
            syscall of the command streams its arguments)
plus the same getppid() loop without a filter under live mode (printed:
the cost for a thread no filter watches).

Usage: 50-seccomp-audit.py [BUILD_DIR]; env SAU_BENCH_CALLS (1000000),
SAU_BENCH_ROUNDS (45 at most).
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

BUDGET = 1.3

b = benchlib.Bench("50-seccomp-audit")
calls = int(os.environ.get("SAU_BENCH_CALLS", 1000000))
hi = int(os.environ.get("SAU_BENCH_ROUNDS", 45))
profile = os.path.join(b.tmp, "profile.json")
with open(profile, "w") as f:	# deny one syscall the loop never makes
    json.dump({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
        {"names": ["acct"], "action": "SCMP_ACT_ERRNO"}]}, f)

configs = [
    ("bare", []),
    ("empty", b.floor_on("tp_btf/sys_enter", "tp_btf/sys_exit")),
    ("live", b.ig_run("seccomp-audit")),
]
labels = {
    "bare": "bare (seccomp filter: allow all)",
    "empty": "empty tp_btf/sys_enter + sys_exit",
    "live": "ig run seccomp-audit -- wl",
    "dry": "ig run seccomp-audit --profile P",
}
configs = b.ab(configs, labels)


def settled(res):
    return b.settled_below(res.f_ratio("live", "empty"), BUDGET)(res)


res = b.rounds(configs, ["-s", "getppid", str(calls)], hi=hi, settled=settled)
print(f"seccomp-audit, whole process: ns per getppid() under an allow-all seccomp filter,"
      f" CPU {b.cpu}")
res.table(labels, "ns per call", ratio_to="empty")
r, ci = res.stat(res.f_ratio("live", "empty"))
b.verdict("live: added / empty's", r, ci, BUDGET, "x")
if res.losses:
    b.ok = False
    print("  events lost: " + "; ".join(res.losses[:3]))

# informational: the dry run, and live mode for a thread without a filter
more = [configs[0], configs[1], ("live", configs[2][1]),
        ("dry", b.ig_run("seccomp-audit", "--profile", profile))]
dry = b.rounds(more, ["-s", "getppid", str(calls // 4)], lo=8, hi=8)
print("dry run (no budget): every syscall of the command streams its arguments")
dry.table(labels, "ns per call", ratio_to="empty")
nof = b.rounds(configs[:3], ["getppid", str(calls)], lo=8, hi=8)
print("no seccomp filter on the workload (no budget): the live path stops at one load")
nof.table({**labels, "bare": "bare (no filter)"}, "ns per call", ratio_to="empty")
b.finish()
