#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""network-policy-advisor, whole process, against its budget
(docs/performance.md): at most 8% slowdown on a UDP flood and on a TCP
connect/accept loop, and no flow lost.

Workloads (tests/bench/wl.c), pinned to one CPU:
  udp   sendto() of 16 bytes to a bound, unread socket on 127.0.0.1
  tcp   connect, accept, close both, to a listener of the same process
in rounds of (benchlib.py):
  bare    nothing attached
  empty   floor: an empty program on every hook the gadget attaches in
          -- COMMAND mode (tp_btf inet_sock_set_state, fib_table_lookup,
          fib6_table_lookup and sk_data_ready, or netif_receive_skb where
          the kernel lacks it; the cgroup recvmsg, post_bind and
          sock_create hooks on the root cgroup v2)
  npa     ig run network-policy-advisor -o json -- wl ...
Then one run per workload with the output kept: the flow to 127.0.0.1 must
be there and ig must report nothing lost or full.

Usage: 40-network-policy-advisor.py [BUILD_DIR]; env NPA_BENCH_SENDS
(400000), NPA_BENCH_CONNECTS (20000), NPA_BENCH_ROUNDS (45 at most).
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

BUDGET = 8.0
with open("/sys/kernel/btf/vmlinux", "rb") as f:	# the DNS source ig loads here
    DNS_HOOK = "tp_btf/sk_data_ready" if b"btf_trace_sk_data_ready\0" in f.read() \
        else "tp_btf/netif_receive_skb"
HOOKS = ["tp_btf/inet_sock_set_state", "tp_btf/fib_table_lookup", "tp_btf/fib6_table_lookup",
         DNS_HOOK, "cgroup/recvmsg4", "cgroup/recvmsg6", "cgroup/post_bind4", "cgroup/post_bind6",
         "cgroup/sock_create"]

b = benchlib.Bench("40-network-policy-advisor")
hi = int(os.environ.get("NPA_BENCH_ROUNDS", 45))
work = {"udp": int(os.environ.get("NPA_BENCH_SENDS", 400000)),
        "tcp": int(os.environ.get("NPA_BENCH_CONNECTS", 20000))}
labels = {
    "bare": "bare",
    "empty": "empty programs on its hooks (floor)",
    "npa": "ig run network-policy-advisor -- wl",
}
configs = b.ab([("bare", []), ("empty", b.floor_on(*HOOKS)),
                ("npa", b.ig_run("network-policy-advisor"))], labels)


def flows(mode):
    """One run with the output kept: (flows to 127.0.0.1 of wl, trouble lines)."""
    out = os.path.join(b.tmp, "flows.json")
    with open(out, "w") as f:
        _, err = b.wl_once(b.ig_run("network-policy-advisor"), [mode, "1000"], f)
    got = []
    with open(out) as f:
        for line in f:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if r.get("comm") == "wl" and (r.get("remote") or {}).get("addr") == "127.0.0.1":
                got.append(f"{r['proto']} {r['direction']}")
    bad = [x for x in err.splitlines() if "lost" in x or "full" in x]
    return got, bad


for mode, unit in (("udp", "ns per sendto()"), ("tcp", "ns per connection")):
    res = b.rounds(configs, [mode, str(work[mode])], hi=hi,
                   settled=lambda r: b.settled_below(r.f_slowdown("npa"), BUDGET)(r))
    print(f"network-policy-advisor, whole process, {mode} on CPU {b.cpu}:")
    res.table(labels, unit)
    s, ci = res.stat(res.f_slowdown("npa"))
    b.verdict(f"{mode} slowdown", s, ci, BUDGET, "%")
    got, bad = flows(mode)
    want = "UDP egress" if mode == "udp" else "TCP egress"
    ok = want in got and not bad and not res.losses
    print(f"  verdict: flows of the {mode} run: {', '.join(sorted(set(got))) or 'none'}"
          f"{'; ' + bad[0] if bad else ''}: {'ok' if ok else 'FLOW LOST'}")
    b.ok &= ok
b.finish()
