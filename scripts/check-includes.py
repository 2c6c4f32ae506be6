#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Check the tree's #include graph: no loops between files, and the layers.

A node is a file without its .c/.h suffix, so x.c, x.h and x_int.h are
one node (x.bpf.c is its own; a gadget's x.h shared with x.bpf.c is its own). Node A depends on node B when A.c or A.h includes B.h.
An include is resolved the way the build resolves it: "x" next to the
including file first, then from the top of the tree (-I.), then include/;
<ig/x.h> in include/. Headers the build generates (vmlinux.h, *.skel.h) and
system headers are not in the tree and are left out.

A loop (A depends on B, B on A, possibly through others) means a file calls
back into its owner by name: the owner should hand it a callback or a small
ops struct instead. The layers are those of docs/architecture.md: a folder
may include only what its rule below allows.

Prints one line per loop and per layer violation; exits 1 if there is any.
"""
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
SCAN = ['include', 'lib', 'core', 'output', 'gadgets', 'plugins', 'tests', 'examples']
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)

# folder prefix -> folder prefixes its files may include (besides their own
# directory); the first matching prefix applies.
LAYERS = [
    ('include/ig/', ['include/ig/']),
    ('core/base/', ['include/', 'core/base/']),
    ('core/containers/', ['include/', 'core/base/', 'core/containers/', 'lib/']),
    ('core/engine/', ['include/', 'core/base/', 'core/containers/', 'core/engine/', 'lib/']),
    ('core/cli/', ['include/', 'core/', 'output/', 'lib/']),
    ('output/', ['include/', 'output/']),
    ('lib/', ['include/', 'lib/']),
    ('gadgets/', ['include/', 'lib/']),
    ('plugins/', ['include/']),
    ('examples/', ['include/']),
    ('tests/', ['']),
]


def sources():
    for top in SCAN:
        for d, dirs, files in os.walk(os.path.join(ROOT, top)):
            dirs[:] = [x for x in dirs if x != 'node_modules']
            for f in files:
                if f.endswith(('.c', '.h')):
                    yield os.path.relpath(os.path.join(d, f), ROOT)


def resolve(src, kind, name):
    here = os.path.dirname(src)
    cands = [os.path.join(here, name)] if kind == '"' else []
    cands += [name, os.path.join('include', name)]
    for c in cands:
        c = os.path.normpath(c)
        if os.path.isfile(os.path.join(ROOT, c)):
            return c
    return None


def node(path, shared_types):
    """x.c, x.h and x_int.h (x's internals, shared by x's files) are one
    node, unless x.h is the types header a gadget's BPF side shares with its
    user side (x.bpf.c includes it): that one belongs to the whole gadget,
    not to x.c."""
    if path in shared_types:
        return path
    return re.sub(r'(_int\.h|\.[ch])$', '', path)


def layer_ok(src, dst):
    if os.path.dirname(src) == os.path.dirname(dst):
        return True
    for prefix, allowed in LAYERS:
        if src.startswith(prefix):
            return any(dst.startswith(a) for a in allowed)
    return True


def loops(graph):
    """Tarjan's strongly connected components with more than one node."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


DEFN = re.compile(r'^(?!static\b|typedef\b|struct\s+\w+\s*\{|enum\b|union\b)'
                  r'[A-Za-z_][^;{}()=:]*?\b(\w+)\s*\([^;{}]*\)\s*\{', re.M)
WORD = re.compile(r'\b[A-Za-z_]\w*\b')


def strip(text):
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    text = re.sub(r'//[^\n]*', ' ', text)
    text = re.sub(r'"(\\.|[^"\\\n])*"', '""', text)
    return re.sub(r"'(\\.|[^'\\\n])*'", "''", text)


def program(path):
    """The link unit a .c file belongs to: ig (core/ and output/), one
    gadget, one plugin; None for what is not linked that way."""
    parts = path.split('/')
    if parts[0] in ('core', 'output'):
        return 'ig'
    if parts[0] in ('gadgets', 'plugins', 'lib') and len(parts) > 2:
        return '/'.join(parts[:2])
    return None


def call_graph():
    """File A -> file B when A uses a function B defines (not static), within
    one program: a loop here is a source calling back into its owner by name,
    whatever headers declare the functions."""
    defs, words, graph, why = {}, {}, {}, {}
    for src in sources():
        if not src.endswith('.c') or src.endswith('.bpf.c') or not program(src):
            continue
        with open(os.path.join(ROOT, src), errors='replace') as f:
            text = strip(f.read())
        for name in DEFN.findall(text):
            if name != 'main':
                defs.setdefault((program(src), name), src)
        words[src] = set(WORD.findall(text))
    for src, used in words.items():
        for name in sorted(used):
            dst = defs.get((program(src), name))
            if dst and dst != src:
                graph.setdefault(src, set()).add(dst)
                why.setdefault((src, dst), f'{src} calls {name}() of {dst}')
    return graph, why


def report_loops(kind, graph, why):
    bad = 0
    for comp in loops(graph):
        members = set(comp)
        edges = [why[(a, b)] for a in comp for b in sorted(graph.get(a, ())) if b in members]
        print(f'check-includes: {kind} loop between {", ".join(comp)}: ' + '; '.join(edges))
        bad += 1
    return bad


def main():
    graph, why, bad, incs = {}, {}, 0, {}
    for src in sources():
        with open(os.path.join(ROOT, src), errors='replace') as f:
            text = f.read()
        incs[src] = [d for d in (resolve(src, k, n) for k, n in INCLUDE.findall(text)) if d]
    shared_types = {d for s, ds in incs.items() if s.endswith('.bpf.c') for d in ds
                    if d == s[:-len('.bpf.c')] + '.h'}
    for src, dsts in sorted(incs.items()):
        for dst in dsts:
            if not layer_ok(src, dst):
                print(f'check-includes: {src} includes {dst}: not allowed from '
                      f'{os.path.dirname(src)}/ (see docs/architecture.md)')
                bad += 1
            a, b = node(src, shared_types), node(dst, shared_types)
            if a != b:
                graph.setdefault(a, set()).add(b)
                why.setdefault((a, b), f'{src} includes {dst}')
    bad += report_loops('include', graph, why)
    bad += report_loops('call', *call_graph())
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
