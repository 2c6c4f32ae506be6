#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Start-up and memory of every gadget, the way a user meets them, against
the budgets (docs/performance.md): `ig run GADGET -- /bin/true` takes at most
50 ms of wall time and ig's peak RSS stays at most 10 MB.

Rounds of one run per gadget (order rotated), ig and /bin/true on one CPU;
per gadget the median wall time with a 95% bootstrap interval (rounds added
until it is settled, as benchlib.py does for the hot paths), the median CPU
time beside it (user + system: what the machine's load does not inflate),
and the largest peak RSS of ig (/usr/bin/time: a process forked from this
Python would carry Python's peak across exec).

Usage: 00-core.py [BUILD_DIR]; env CORE_BENCH_ROUNDS (45 at most).
"""
import os
import random
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

BUDGET_MS = 50.0
BUDGET_KB = 10 * 1024

b = benchlib.Bench("00-core")
hi = int(os.environ.get("CORE_BENCH_ROUNDS", 45))
gadgets = sorted(f[:-3] for f in os.listdir(os.path.join(b.build, "gadgets")) if f.endswith(".so"))
wall = {g: [] for g in gadgets}
rss = {g: 0 for g in gadgets}


cpu = {g: [] for g in gadgets}


def once(g):
    argv = ["/usr/bin/time", "-f", "igtime %e %U %S %M", "taskset", "-c", b.cpu, b.ig, "run",
            g, "--", "/bin/true"]
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)	# time's children: ig and /bin/true
    dt = (time.perf_counter() - t0) * 1000
    t = [x for x in err.splitlines() if x.startswith("igtime ")]
    if status or not t:
        b.fail(f"'ig run {g} -- /bin/true' failed: {err.strip()}")
    wall[g].append(dt)
    cpu[g].append((ru.ru_utime + ru.ru_stime) * 1000)
    rss[g] = max(rss[g], int(t[-1].split()[4]))


def interval(v):
    rng = random.Random(benchlib.SEED)
    boots = sorted(statistics.median(rng.choices(v, k=len(v))) for _ in range(benchlib.BOOT))
    return boots[int(0.025 * benchlib.BOOT)], boots[int(0.975 * benchlib.BOOT) - 1]


for g in gadgets:	# warm the page cache and /run/ig
    once(g)
    wall[g].clear()
for r in range(hi):
    k = r % len(gadgets)
    for g in gadgets[k:] + gadgets[:k]:
        once(g)
    if r >= 14 and r % 5 == 4 and all(
            interval(wall[g])[1] <= BUDGET_MS or interval(wall[g])[0] > BUDGET_MS
            for g in gadgets):
        break
print(f"start-up, `ig run GADGET -- /bin/true` on CPU {b.cpu}, {len(wall[gadgets[0]])} rounds:")
for g in gadgets:
    m = statistics.median(wall[g])
    print(f"  {g}: median {m:.1f} ms wall, {statistics.median(cpu[g]):.1f} ms CPU (user+sys)")
    b.verdict(f"{g} start-up, ms wall (median)", m, interval(wall[g]), BUDGET_MS, " ms")
for g in gadgets:
    v = "ok" if rss[g] <= BUDGET_KB else "OVER BUDGET"
    b.ok &= v == "ok"
    print(f"  verdict: {g} peak RSS {rss[g]} KB (largest of every run), budget <= {BUDGET_KB}"
          f" KB: {v}")
b.finish()
