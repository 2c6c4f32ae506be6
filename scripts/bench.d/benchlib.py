# SPDX-License-Identifier: Apache-2.0
"""Whole-process bench rounds, shared by the scripts in scripts/bench.d/.

A budget is met the way a user meets it: `ig run GADGET -- workload`, a
whole process, against the same workload bare and under `floor` (an empty
program on the gadget's hooks, tests/bench/floor.c). On a shared machine a
run drifts by as much as the effect measured, so configurations are never
run one after another: every round runs each once, in an order rotated from
round to round, and each figure is paired with the bare run of its round.
Per configuration: the median of its runs and its added cost, the median
over rounds of (run - bare run of the round); the spread is a 95% bootstrap
interval of that median (rounds resampled, pairs kept together).

Each run is timed by the workload itself (tests/bench/wl.c): its thread's
CPU time per operation, on the CPU it is pinned to, which neither other
tasks sharing that CPU nor time the hypervisor steals inflate; wall time is
printed beside it. The gadget's consumer runs on the other CPUs.

A budget holds when the upper end of its interval is within it: with
rounds added (up to a maximum) until the interval no longer straddles the
budget, so a verdict is never read off noise.
"""
import fcntl
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

SEED = 21
BOOT = 2000


class Bench:
    def __init__(self, name):
        self.name = name
        self.build = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BUILD", "build")
        self.ig = os.path.join(self.build, "ig")
        self.wl = os.path.join(self.build, "tests/bench/wl")
        self.floor = os.path.join(self.build, "tests/bench/floor")
        self.need(self.ig, self.wl, self.floor)
        if os.geteuid() != 0:
            self.fail("must run as root (BPF)")
        if not os.environ.get("IG_BENCH_LOCKED"):	# run alone, as bench.sh does
            self.lock = open("/tmp/ig-bench.lock", "w")
            fcntl.flock(self.lock, fcntl.LOCK_EX)
        cpus = sorted(os.sched_getaffinity(0))
        self.cpu = str(cpus[-1])
        self.others = ",".join(str(c) for c in cpus[:-1]) or self.cpu
        self.tmp = tempfile.mkdtemp(prefix="ig-bench-")
        self.ok = True
        self.foreign = foreign_links()

    def fail(self, msg):
        print(f"{self.name}: {msg}", file=sys.stderr)
        sys.exit(1)

    def need(self, *paths):
        for p in paths:
            if not os.path.exists(p):
                self.fail(f"{p} is missing: run 'make BUILD={self.build} tests-build' first")

    # ------------------------------------------------------------ commands
    def on_others(self, *argv):
        return ["taskset", "-c", self.others, *argv]

    def ig_run(self, gadget, *flags, ig=None):
        """Prefix: `ig run GADGET FLAGS -o json --`, ig on the other CPUs."""
        return self.on_others(ig or self.ig, "run", gadget, *flags, "-o", "json", "--")

    def ab(self, configs, labels):
        """With BENCH_AB_BUILD=DIR (another build, for A/B tuning): every ig
        configuration once more with DIR/ig, named NAME-ab."""
        other = os.environ.get("BENCH_AB_BUILD")
        if not other:
            return configs
        extra = []
        for name, prefix in configs:
            if isinstance(prefix, Background):
                argv = prefix.argv
            else:
                argv = prefix
            if self.ig not in argv:
                continue
            argv = [os.path.join(other, "ig") if a == self.ig else a for a in argv]
            extra.append((name + "-ab", Background(argv, self.tmp)
                          if isinstance(prefix, Background) else argv))
            labels[name + "-ab"] = labels.get(name, name) + " [A/B]"
        return configs + extra

    def floor_on(self, *hooks):
        """Prefix: the empty program on each hook, held while the command runs."""
        argv = [self.floor]
        for h in hooks:
            argv += ["--hook", h]
        return self.on_others(*argv, "--")

    def ig_host(self, gadget, *flags, ig=None):
        """A config that runs the workload while `ig run GADGET --host FLAGS`
        (started first, on the other CPUs) traces the whole host."""
        return Background(self.on_others(ig or self.ig, "run", gadget, "--host", *flags, "-o",
                                         "json"), self.tmp)

    def run(self, prefix, argv, out=subprocess.DEVNULL):
        """Run prefix + argv pinned to the bench CPU; returns (rc, stderr),
        and stdout as a third item when out is subprocess.PIPE."""
        argv = ["taskset", "-c", self.cpu, *argv]
        if hasattr(prefix, "run"):	# a Background or another runner
            return prefix.run(argv, out)
        p = subprocess.run([*prefix, *argv], stdout=out, stderr=subprocess.PIPE, text=True)
        return (p.returncode, p.stderr, p.stdout) if out == subprocess.PIPE else \
            (p.returncode, p.stderr)

    def wl_once(self, prefix, args, out=subprocess.DEVNULL):
        """One workload run, `wl ARGS` (e.g. ["getppid", "1000000"]):
        ({'wall': ns/op, 'cpu': ns/op, 'ops': n}, ig's stderr)."""
        res = os.path.join(self.tmp, "wl.out")
        if os.path.exists(res):
            os.unlink(res)
        rc, err = self.run(prefix, [self.wl, "-o", res, *args], out)
        try:
            with open(res) as f:
                w = f.read().split()
        except OSError:
            w = []
        if rc or len(w) < 8:
            self.fail(f"'{prefix_str(prefix)} wl {' '.join(args)}' failed (exit {rc}): "
                      f"{err.strip()}")
        fig = {"wall": float(w[3]), "cpu": float(w[7]), "ops": int(w[5])}
        fig["cpu+sirq"] = fig["cpu"] + (float(w[9]) if len(w) > 9 else 0)
        return fig, err

    # ------------------------------------------------------------ rounds
    def rounds(self, configs, args, lo=15, hi=45, settled=None, clock="cpu"):
        """configs: [(name, prefix)], the first bare; args: wl's. Runs rounds of all of
        them (order rotated) until `settled(results)` or hi rounds; at least
        lo. Returns a Results. Any 'lost' or 'full' on a run's stderr is
        remembered in Results.losses."""
        res = Results(configs, clock)
        r = 0
        while r < hi:
            k = r % len(configs)
            for name, prefix in configs[k:] + configs[:k]:
                fig, err = self.wl_once(prefix, args)
                res.add(name, fig)
                for line in err.splitlines():
                    if re.search(r"\blost\b|\bfull\b", line):
                        res.losses.append(f"{name}: {line.strip()}")
            r += 1
            if r >= lo and r % 5 == 0 and (settled is None or settled(res)):
                break
        return res

    def verdict(self, what, value, ci, budget, unit=""):
        """Print the verdict line of one budget (smaller is better)."""
        if ci[1] <= budget:
            v = "ok"
        elif value > budget:
            v = "OVER BUDGET"
        else:
            v = "NOT SETTLED (spread wider than the margin: rerun on a quieter machine)"
        if v != "ok":
            self.ok = False
        print(f"  verdict: {what} {value:.2f}{unit} (95% {ci[0]:.2f}..{ci[1]:.2f}), "
              f"budget <= {budget}{unit}: {v}")
        return v == "ok"

    def settled_below(self, fn, budget):
        """settled() for rounds(): the interval of fn(sample) is on one side."""
        def check(res):
            _, (a, b) = res.stat(fn)
            return b <= budget or a > budget
        return check

    def finish(self):
        after = foreign_links()
        if self.foreign or after:
            print(f"  note: BPF links of other processes before/after the rounds: "
                  f"{self.foreign or 'none'} / {after or 'none'}; one on a hook measured here"
                  f" changes what bare costs (a sys_enter program puts every syscall on the"
                  f" slow path), so figures taken beside it are not comparable")
        subprocess.run(["rm", "-rf", self.tmp])
        sys.exit(0 if self.ok else 1)


def foreign_links():
    """The BPF links attached now, as 'type attach_type/tp_name xN' (bpftool)."""
    try:
        p = subprocess.run(["bpftool", "link", "show", "-j"], capture_output=True, text=True)
        links = json.loads(p.stdout or "[]")
    except (OSError, ValueError):
        return ""
    count = {}
    for link in links:
        k = f"{link.get('type')} {link.get('tp_name') or link.get('attach_type') or ''}".strip()
        count[k] = count.get(k, 0) + 1
    return ", ".join(f"{k} x{n}" for k, n in sorted(count.items()))


def prefix_str(prefix):
    return " ".join(prefix) if isinstance(prefix, list) else str(prefix)


class Background:
    """A tracer started before the workload and stopped (SIGINT) after it."""

    def __init__(self, argv, tmp):
        self.argv, self.ready = argv, os.path.join(tmp, "ready")

    def __str__(self):
        return " ".join(self.argv)

    def run(self, argv, out):
        if os.path.exists(self.ready):
            os.unlink(self.ready)
        errf = tempfile.TemporaryFile(mode="w+")
        tracer = subprocess.Popen([*self.argv, "--ready-file", self.ready], stdout=out,
                                  stderr=errf, text=True)
        for _ in range(2000):
            if os.path.exists(self.ready) or tracer.poll() is not None:
                break
            time.sleep(0.005)
        if not os.path.exists(self.ready):
            tracer.kill()
            tracer.wait()
            errf.seek(0)
            return 1, f"{self} did not get ready: {errf.read()}"
        p = subprocess.run(argv, stderr=subprocess.PIPE, text=True)
        tracer.send_signal(signal.SIGINT)
        rc = tracer.wait()
        errf.seek(0)
        return p.returncode or rc, p.stderr + errf.read()


class Results:
    def __init__(self, configs, clock):
        self.names = [c[0] for c in configs]
        self.runs = {n: [] for n in self.names}
        self.clock = clock
        self.losses = []

    def add(self, name, fig):
        self.runs[name].append(fig)

    def col(self, name, clock=None):
        return [f[clock or self.clock] for f in self.runs[name]]

    def nrounds(self):
        return min(len(v) for v in self.runs.values())

    def added(self, name, idx=None, clock=None):
        """Median over the rounds idx of (run - bare run of the round)."""
        a, b = self.col(name, clock), self.col(self.names[0], clock)
        idx = range(self.nrounds()) if idx is None else idx
        return statistics.median(a[i] - b[i] for i in idx)

    def stat(self, fn):
        """fn(idx) -> value over rounds idx; returns (value, 95% interval)."""
        n = self.nrounds()
        rng = random.Random(SEED)
        boots = sorted(fn([rng.randrange(n) for _ in range(n)]) for _ in range(BOOT))
        return fn(range(n)), (boots[int(0.025 * BOOT)], boots[int(0.975 * BOOT) - 1])

    # common figures, each a function of the rounds taken
    def f_added(self, name, clock=None):
        return lambda idx: self.added(name, idx, clock)

    def f_ratio(self, name, floor):
        def f(idx):
            e = self.added(floor, idx)
            return self.added(name, idx) / e if e > 0 else float("inf")
        return f

    def f_slowdown(self, name, clock=None):
        def f(idx):
            base = statistics.median(self.col(self.names[0], clock)[i] for i in idx)
            return 100 * self.added(name, idx, clock) / base
        return f

    def table(self, labels, unit, ratio_to=None, scale=1.0):
        """Print one line per configuration: medians (the clock's, wall),
        added with its interval, and the slowdown or the ratio to ratio_to;
        times divided by scale."""
        n = self.nrounds()
        bare = self.names[0]
        for name in self.names:
            cpu = statistics.median(self.col(name)) / scale
            wall = statistics.median(self.col(name, "wall")) / scale
            line = f"  {labels.get(name, name):<36} {cpu:9.1f} {wall:9.1f} wall"
            if name != bare:
                add, (a, b) = (x / scale if not isinstance(x, tuple) else (x[0] / scale,
                               x[1] / scale) for x in self.stat(self.f_added(name)))
                slow, _ = self.stat(self.f_slowdown(name))
                wadd = self.added(name, clock="wall") / scale
                line += f"  added {add:+8.1f} ({a:+.1f}..{b:+.1f})  {slow:+5.1f}%"
                line += f"  wall {wadd:+.1f}"
                if ratio_to and name != ratio_to:
                    r, (ra, rb) = self.stat(self.f_ratio(name, ratio_to))
                    line += f"  ratio {r:.2f} ({ra:.2f}..{rb:.2f})"
            print(line)
        print(f"  ({n} rounds; {unit}; first column: {self.clock} time, the workload thread's"
              f" CPU time{' and ksoftirqd' if self.clock == 'cpu+sirq' else ''}; added ="
              f" paired median vs bare with its 95% interval, by that clock)")
