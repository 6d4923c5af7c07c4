#!/usr/bin/env python3
"""Lists module-level import cycles among a crate's modules.

Usage: python3 scripts/import_cycles.py [--depth N] [SRC_DIR]   (default shared/src)
  --depth N   collapse modules to their first N path segments (1: top-level
              modules and folders, e.g. `pipeline` and `operations`)

A module is a file (foo.rs or foo/mod.rs). An edge A -> B is a `crate::b::...`
or `super::...` path in A (outside #[cfg(test)] modules and comments) naming
module B or an item in it; a path to one of A's own ancestors is not an edge.
Prints each group of modules that import each other in a circle, with a
shortest circle through each member; exits 1 when there is any.
"""
import os, re, sys
from collections import defaultdict

args = sys.argv[1:]
depth = None
if args[:1] == ["--depth"]:
    depth, args = int(args[1]), args[2:]
root = args[0] if args else "shared/src"
mods = {}
for d, _, fs in os.walk(root):
    for f in fs:
        if not f.endswith(".rs"):
            continue
        rel = os.path.relpath(os.path.join(d, f), root)[:-3].split(os.sep)
        if rel[-1] == "mod":
            rel = rel[:-1]
        if rel == ["lib"] or rel == ["main"]:
            rel = []
        mods["::".join(rel)] = os.path.join(d, f)

def strip_tests(src):
    # Drop `#[cfg(test)] mod x { ... }` blocks (brace-matched).
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(pub\s+)?mod\s+\w+\s*\{", src):
        if m.start() < i:
            continue
        out.append(src[i:m.start()])
        depth, j = 1, m.end()
        while j < len(src) and depth:
            depth += {"{": 1, "}": -1}.get(src[j], 0)
            j += 1
        i = j
    out.append(src[i:])
    return "".join(out)

def strip_comments(src):
    return re.sub(r"//[^\n]*", "", src)

def resolve(parts):
    for n in range(len(parts), 0, -1):
        key = "::".join(parts[:n])
        if key in mods:
            return key
    return None

def expand(prefix, body):
    # `a::{b, c::d}` -> [a::b, a::c::d] (one level of braces is enough here)
    items = []
    depth, cur = 0, ""
    for ch in body:
        if ch == "{": depth += 1
        if ch == "}": depth -= 1
        if ch == "," and depth == 0:
            items.append(cur); cur = ""
        else:
            cur += ch
    items.append(cur)
    res = []
    for it in items:
        it = it.strip()
        if not it:
            continue
        m = re.match(r"([\w:]*?)::\{(.*)\}$", it, re.S)
        if m:
            res += expand(prefix + m.group(1).split("::"), m.group(2))
        else:
            res.append(prefix + [p for p in it.split(" as ")[0].split("::") if p])
    return res

edges = defaultdict(set)
for mod, path in mods.items():
    src = strip_comments(strip_tests(open(path).read()))
    me = mod.split("::") if mod else []
    paths = []
    for m in re.finditer(r"\b(crate|super)((?:::\w+)*)(::\{[^;]*?\})?", src):
        # `super` of a.rs is its folder's module; of a/mod.rs, the folder's parent.
        base = [] if m.group(1) == "crate" else me[:-1]
        head = base + [p for p in m.group(2).split("::") if p]
        if m.group(3):
            paths += expand(head, m.group(3)[3:-1])
        else:
            paths.append(head)
    for p in paths:
        target = resolve(p)
        if target is None or target == mod:
            continue
        # An item of one of my ancestors (`super::X`) is not a circle's edge.
        if mod.startswith(target + "::") or target == "":
            continue
        if depth is not None:
            mod_d, target = "::".join(me[:depth]), "::".join(target.split("::")[:depth])
            if mod_d != target and mod_d and target:
                edges[mod_d].add(target)
        else:
            edges[mod].add(target)

# Tarjan SCC
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)
def strong(v):
    index[v] = low[v] = counter[0]; counter[0] += 1
    stack.append(v); on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            strong(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        sccs.append(comp)
nodes = sorted(set(edges) | {w for ws in edges.values() for w in ws} | (set() if depth else set(mods)))
for v in nodes:
    if v not in index:
        strong(v)

def shortest_cycle(start, comp):
    from collections import deque
    comp = set(comp)
    prev = {start: None}
    q = deque([start])
    while q:
        v = q.popleft()
        for w in sorted(edges.get(v, ())):
            if w not in comp: continue
            if w == start:
                path = [v]
                while prev[path[-1]] is not None: path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if w not in prev:
                prev[w] = v; q.append(w)
    return None

found = [sorted(c) for c in sccs if len(c) > 1]
if not found:
    print("no import cycles among %d modules of %s" % (len(mods), root))
for comp in sorted(found):
    print("cycle group (%d modules): %s" % (len(comp), ", ".join(comp)))
    seen = set()
    for m in comp:
        c = shortest_cycle(m, comp)
        if c and frozenset(c) not in seen:
            seen.add(frozenset(c))
            print("  " + " -> ".join(c))
sys.exit(1 if found else 0)
