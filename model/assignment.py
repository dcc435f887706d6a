"""A county-wide exact assignment of names to lists (差额人选 of D1-V1, second names of D5-V1): each
group (a township's committee list, a seat to fill by promotion) asks for a number of names, each
name goes to one group at most, and among the ways that fill the most places the assignment takes
the one with the best total score. Plain Python: a min-cost flow by successive shortest paths
(Dijkstra with potentials) on source -> group -> name -> sink.

The score of a name in a group is a `key`, a tuple of integers compared lexicographically (lower
is better, e.g. (generally rules broken, -points)); the total is the componentwise sum, compared
lexicographically too. Among assignments equal on that, ties go to the lower name ids, and of two
names tied between two groups the lower goes to the earlier group: the assignment avoids the pair
last in the order (name id, groups last to first) first, then the one before it, and so on. That
makes the answer unique, whatever the algorithm, so a brute force on tiny counties can check it
pair for pair.

Restriction (exact): a group g asking d_g names never needs more than its best d_g + D - d_g = D
options, D the sum of every group's demand. Proof: suppose an optimal assignment gives g a name
c outside its best D. Of those D, the other groups take at most D - d_g and g itself at most
d_g - 1 (c is one of its d_g and not among them), so one, e, is free; giving g the name e
instead of c keeps the count and improves the total (e is better for g than c: a lower key, or
the same key and a lower id, which the tie order prefers), a contradiction. If g is left short
while it has D options or more, the same count shows one of its best D is free and the count was
not the most. So dropping the options past the D-th of every group changes nothing; the bound is
tight (tests/model/test_assignment.py builds a county whose answer uses a group's D-th option)."""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

G = TypeVar("G", bound=Hashable)

Option = tuple[str, tuple[int, ...]]
"""A name (its id) and its key in a group: lower is better."""


def kept(demand: Mapping[G, int], options: Mapping[G, Sequence[Option]]) -> dict[G, list[Option]]:
    """Each group's options best first (key, then id), cut to the best D (see the module's proof)."""
    total = sum(demand.values())
    return {g: sorted(options.get(g, ()), key=lambda o: (o[1], o[0]))[:total] for g in demand}


def assign(demand: Mapping[G, int], options: Mapping[G, Sequence[Option]],
           restrict: bool = True) -> dict[G, list[str]]:
    """For each group of `demand` (in its order, which breaks ties), the names it gets, best
    first; no name twice in the county. Fills the most places there are, then the best total
    key, then the tie order of the module. `restrict=False` keeps every option (for the tests)."""
    groups = list(demand)
    if restrict:
        lists = kept(demand, options)
    else:
        lists = {g: sorted(options.get(g, ()), key=lambda o: (o[1], o[0])) for g in groups}
    pairs = [(g, name, key) for g in groups for name, key in lists[g] if demand[g] > 0]
    if not pairs:
        return {g: [] for g in groups}
    cost = scalar_costs(pairs, groups, sum(demand.values()))
    names = sorted({name for _, name, _ in pairs})
    flow = Flow(2 + len(groups) + len(names))
    source, sink = 0, 1
    gi = {g: 2 + i for i, g in enumerate(groups)}
    ni = {n: 2 + len(groups) + i for i, n in enumerate(names)}
    for g in groups:
        flow.edge(source, gi[g], demand[g], 0)
    arc = {}
    for (g, name, _), c in zip(pairs, cost, strict=True):
        arc[(g, name)] = flow.edge(gi[g], ni[name], 1, c)
    for n in names:
        flow.edge(ni[n], sink, 1, 0)
    flow.run(source, sink)
    rank = {g: {name: i for i, (name, _) in enumerate(lists[g])} for g in groups}
    out: dict[G, list[str]] = {g: [] for g in groups}
    for (g, name), e in arc.items():
        if flow.cap[e] == 0:
            out[g].append(name)
    return {g: sorted(ns, key=rank[g].__getitem__) for g, ns in out.items()}


def scalar_costs(pairs: list[tuple[G, str, tuple[int, ...]]], groups: list[G], places: int) -> list[int]:
    """One integer per pair whose sums order assignments of equal count as the module says: the
    key components lexicographically, then the tie order (the pair at position p in the order
    (name id, groups last to first) weighs 2**p, so a sum of distinct pairs is unique and the highest
    pair decides). Each weight exceeds what every later term can add up to over `places` pairs."""
    width = len(pairs[0][2])
    low = [min(k[i] for _, _, k in pairs) for i in range(width)]
    span = [max(k[i] for _, _, k in pairs) - low[i] for i in range(width)]
    order = {g: i for i, g in enumerate(groups)}
    position = {(g, n): p for p, (n, g) in
                enumerate(sorted(((n, g) for g, n, _ in pairs), key=lambda ng: (ng[0], -order[ng[1]])))}
    weights = [0] * width
    w = 1 << len(pairs)  # exceeds the sum of every tie weight
    for i in reversed(range(width)):
        weights[i] = w
        w *= places * span[i] + 1
    return [sum(weights[i] * (k[i] - low[i]) for i in range(width)) + (1 << position[(g, n)])
            for g, n, k in pairs]


class Flow:
    """A min-cost flow network with nonnegative integer costs (any size: Python integers)."""

    def __init__(self, nodes: int) -> None:
        self.head: list[list[int]] = [[] for _ in range(nodes)]
        self.to: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []

    def edge(self, a: int, b: int, cap: int, cost: int) -> int:
        """Add a -> b and its residual b -> a; the forward edge's index (its `cap` left after `run`)."""
        for x, y, c, k in ((a, b, cap, cost), (b, a, 0, -cost)):
            self.head[x].append(len(self.to))
            self.to.append(y)
            self.cap.append(c)
            self.cost.append(k)
        return len(self.to) - 2

    def run(self, source: int, sink: int) -> int:
        """The most flow from source to sink at the least cost, one unit path at a time (every
        capacity into the sink is 1 here); the flow sent."""
        n = len(self.head)
        potential = [0] * n
        sent = 0
        while True:
            dist: list[int | None] = [None] * n
            back = [-1] * n
            dist[source] = 0
            heap = [(0, source)]
            while heap:
                d, x = heapq.heappop(heap)
                if d != dist[x]:
                    continue
                for e in self.head[x]:
                    if self.cap[e] <= 0:
                        continue
                    y = self.to[e]
                    nd = d + self.cost[e] + potential[x] - potential[y]
                    dy = dist[y]
                    if dy is None or nd < dy:
                        dist[y] = nd
                        back[y] = e
                        heapq.heappush(heap, (nd, y))
            if dist[sink] is None:
                return sent
            for v in range(n):
                dv = dist[v]
                if dv is not None:
                    potential[v] += dv
            v = sink
            while v != source:
                e = back[v]
                self.cap[e] -= 1
                self.cap[e ^ 1] += 1
                v = self.to[e ^ 1]
            sent += 1
