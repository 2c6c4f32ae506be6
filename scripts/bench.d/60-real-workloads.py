#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Real workloads beside the micro-benchmarks (no budget: the figure a user
would see): slowdown under each gadget that applies, whole process, with its
95% interval (benchlib.py rounds: rotated order, paired medians).

  sqlite3   a fixed SQL script (written below: bulk insert, index, group-by,
            update, delete, then 3000 single-row transactions) on a database
            in /dev/shm; cost = sqlite3's own CPU time (wl run: wait4), bare
            and as the command of seccomp-advisor, seccomp-audit,
            capabilities and network-policy-advisor.
  redis     redis-server pinned to the bench CPU (bare, or as ig's command)
            and `redis-benchmark -q -n N -t set,get,incr,lpush,lpop` on the
            other CPUs; cost = the server's CPU time per request (INFO cpu,
            before and after), with the client's requests/s printed beside.
            REDIS_BENCH_TESTS=all runs redis-benchmark's whole default suite
            (~2.5 min a run here).

Usage: 60-real-workloads.py [BUILD_DIR]; env REAL_BENCH_ROUNDS (7),
REDIS_BENCH_REQUESTS (100000).
"""
import os
import re
import socket
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

b = benchlib.Bench("60-real-workloads")
rounds = int(os.environ.get("REAL_BENCH_ROUNDS", 7))
requests = int(os.environ.get("REDIS_BENCH_REQUESTS", 100000))
tests = os.environ.get("REDIS_BENCH_TESTS", "set,get,incr,lpush,lpop")
for tool in ("sqlite3", "redis-server", "redis-benchmark", "redis-cli"):
    if subprocess.run(["sh", "-c", f"command -v {tool}"], stdout=subprocess.DEVNULL).returncode:
        b.fail(f"{tool} is missing (make deps)")

GADGETS = ["seccomp-advisor", "seccomp-audit", "capabilities", "network-policy-advisor"]
configs = [("bare", [])] + [(g, b.ig_run(g)) for g in GADGETS]
labels = {g: f"ig run {g} --" for g in GADGETS}

sql = os.path.join(b.tmp, "script.sql")
with open(sql, "w") as f:
    f.write("""CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b TEXT);
BEGIN;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000)
INSERT INTO t SELECT x, x * 7 % 1000, printf('row %d', x) FROM c;
COMMIT;
CREATE INDEX ta ON t(a);
SELECT a, count(*), sum(length(b)) FROM t GROUP BY a ORDER BY 2 DESC, 1 LIMIT 3;
UPDATE t SET b = b || '!' WHERE a % 3 = 0;
DELETE FROM t WHERE a % 5 = 0;
""")
    for i in range(3000):	# one transaction (journal create, write, delete) each
        f.write(f"INSERT INTO t(a, b) VALUES ({i % 997}, 'single {i}');\n")
    f.write("SELECT count(*) FROM t;\n")
db = "/dev/shm/ig-bench-sqlite.db"


class Sqlite:
    """wl run sqlite3 DB < script, from an empty database every time."""

    def __init__(self, prefix):
        self.prefix = prefix

    def run(self, argv, out):
        for suffix in ("", "-journal"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        p = subprocess.run([*self.prefix, *argv], stdout=out, stderr=subprocess.PIPE, text=True)
        return p.returncode, p.stderr

    def __str__(self):
        return benchlib.prefix_str(self.prefix)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def redis_cpu(port):
    info = subprocess.run(["redis-cli", "-p", str(port), "info", "cpu"], capture_output=True,
                          text=True).stdout
    v = dict(re.findall(r"^(used_cpu_\w+):([\d.]+)", info, re.M))
    return float(v["used_cpu_user"]) + float(v["used_cpu_sys"])


def redis_once(prefix):
    """One redis-benchmark run against a server started under prefix:
    {'cpu': server CPU ns per request, 'wall': ns per request (client)}."""
    port = free_port()
    server = subprocess.Popen([*prefix, "taskset", "-c", b.cpu, "redis-server", "--port",
                               str(port), "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for _ in range(1000):
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True,
                          text=True).stdout.strip() == "PONG":
            break
        time.sleep(0.01)
    else:
        server.kill()
        b.fail(f"redis-server under '{benchlib.prefix_str(prefix)}' did not start: "
               f"{server.stderr.read()}")
    argv = ["redis-benchmark", "-p", str(port), "-q", "-n", str(requests)]
    if tests != "all":
        argv += ["-t", tests]
    c0 = redis_cpu(port)
    out = subprocess.run(b.on_others(*argv), capture_output=True, text=True).stdout
    c1 = redis_cpu(port)
    subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True)
    _, err = server.communicate(timeout=60)
    rps = [float(x) for x in re.findall(r"([\d.]+) requests per second", out)]
    if not rps:
        b.fail(f"redis-benchmark printed no figure: {out[-300:]}")
    n = requests * len(rps)
    return {"cpu": (c1 - c0) * 1e9 / n, "wall": 1e9 / statistics.harmonic_mean(rps),
            "ops": n}, err


# sqlite3: rounds of every configuration, rotated
res = benchlib.Results(configs, "cpu")
for r in range(rounds):
    k = r % len(configs)
    for name, prefix in configs[k:] + configs[:k]:
        fig, err = b.wl_once(Sqlite(prefix), ["-i", sql, "run", "sqlite3", db])
        res.add(name, fig)
print(f"sqlite3, a fixed SQL script ({os.path.getsize(sql) // 1024} KB), CPU {b.cpu}:")
res.table({**labels, "bare": "bare"}, "ms of sqlite3's CPU time, wall beside", scale=1e6)

res = benchlib.Results(configs, "cpu")
for r in range(rounds):
    k = r % len(configs)
    for name, prefix in configs[k:] + configs[:k]:
        fig, err = redis_once(prefix)
        res.add(name, fig)
        if re.search(r"\blost\b|\bfull\b", err):
            res.losses.append(f"{name}: {err.strip()}")
print(f"redis-server on CPU {b.cpu}, redis-benchmark -q -n {requests} -t {tests} on CPU(s)"
      f" {b.others}:")
res.table({**labels, "bare": "bare"},
          "server CPU ns per request; wall column: client ns per request (1/harmonic mean rps)")
if res.losses:
    print("  " + "; ".join(res.losses[:3]))
os.path.exists(db) and os.unlink(db)
b.finish()
