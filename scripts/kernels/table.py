#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The kernel x gadget table of `make test-kernels`, from each kernel's
build/kernels/<kernel>/output (the IGK-* lines of guest.sh), rc and bad-log.

usage: table.py OUT_ROOT KERNEL...                  prints the table (markdown)
       table.py --docs FILE OUT_ROOT KERNEL...      rewrites the table in FILE
                                                    between its marker comments
"""
import os
import sys

GADGETS = ["seccomp-advisor", "seccomp-audit", "capabilities", "network-policy-advisor",
           "trace-exec"]
OPTIONAL = ["capabilities/kprobe"]	# guest.sh's extra runs, where a kernel has them
BEGIN = "<!-- kernel-matrix:begin -->"
END = "<!-- kernel-matrix:end -->"


def read(path, default=""):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return default


def kernel_rows(root, name):
    d = os.path.join(root, name)
    release, doctor, result = name, {}, {}
    for line in read(os.path.join(d, "output")).splitlines():
        w = line.split(" ", 3)
        if w[0] == "IGK-KERNEL" and len(w) > 1:
            release = w[1]
        elif w[0] == "IGK-DOCTOR" and len(w) > 3:
            doctor[w[1]] = (w[2], w[3])
        elif w[0] == "IGK-RESULT" and len(w) > 3:
            r = line.split()
            result[r[1]] = (int(r[2]), int(r[3]), int(r[4]))
    label = "%s (%s)" % (release, name)
    rows = []
    for g in GADGETS + [o for o in OPTIONAL if o in result]:
        ready, what = doctor.get(g, ("?", "no doctor line"))
        p, n, secs = result.get(g, (0, 0, 0))
        verdict = "pass" if n and p == n else "**FAIL**"
        if ready != "ready":
            what = "not ready: " + what
        rows.append("| %s | %s | %s %d/%d | %s |" % (label, g, verdict, p, n, what))
    bad = read(os.path.join(d, "bad-log")).strip()
    log = "clean" if not bad else "**%d bad line(s)**" % len(bad.splitlines())
    rows.append("| %s | kernel log | %s | WARNING, BUG, oops, soft lockup, hung task, RCU stall |"
                % (label, log))
    return rows


def table(root, kernels):
    rows = ["| kernel | gadget | tests | attach points (ig doctor) |", "|---|---|---|---|"]
    for k in kernels:
        rows += kernel_rows(root, k)
    return "\n".join(rows) + "\n"


def main(argv):
    if len(argv) > 1 and argv[1] == "--docs":
        path, root, kernels = argv[2], argv[3], argv[4:]
        text = read(path)
        if BEGIN not in text or END not in text:
            sys.stderr.write("table.py: %s has no %s ... %s block\n" % (path, BEGIN, END))
            return 1
        pre, rest = text.split(BEGIN, 1)
        post = rest.split(END, 1)[1]
        with open(path, "w", encoding="utf-8") as f:
            f.write(pre + BEGIN + "\n" + table(root, kernels) + END + post)
        return 0
    sys.stdout.write(table(argv[1], argv[2:]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
