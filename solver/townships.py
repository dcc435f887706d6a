"""A bound below the LP's, township by township: the Lagrangian relaxation that
keeps each township's own rows whole and prices only the rows that tie
townships together (a cadre sits once in the county, county-wide counts).

The LP bound B is often a point above the best slate on a large county (5,000
cadres: B = 8,740, best 8,739), and its duals are degenerate there: a quarter
of a million pairs at a reduced cost of 0, over which CP-SAT cannot settle the
last point. Yet the point lost is inside one township: its team cannot take
the LP's half cadres. So the rows are split. Rows whose pairs lie in two
townships or more are dualized with the LP's duals y (rounded to a grid of
1/S, so every number below is exact); the others, with the columns they tie
together, form blocks, one per township (and the odd column outside every
row). For any y, every slate x satisfies

    score(x) <= sum_D y_i side_i + sum_t L_t,
    L_t = max { (c - A_D'y)' x_t : x_t an integer point of block t's rows },

and L_t <= U_t, block t's share of the LP bound B(y) (its rows' y_i side_i and
its columns' max(d_j lb_j, d_j ub_j), d = c - A'y). CP-SAT finds L_t over the
block's pairs of reduced cost 0; a block solution using a pair left out (d_j < 0,
and the pair free to be 0) scores at most U_t + d_j, so the block's bound is the larger of the two. The
bound B(y) - sum_t (U_t - L_t) is then proven. The blocks are taken in order of
how fractional the LP's solution is on them (where an integral block solution
is LP-optimal, L_t = U_t and nothing is gained) and the walk stops once the
bound is below the target. The bound is in the LP's units (its own objective and
constant), never the model's current objective, which leaning (top-K, what-ifs) scales.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise
from time import perf_counter

import numpy as np

from model.slate import SolveStatus
from solver.cpsat import CpView
from solver.linear import INF, Lin, LinearModel, MaxRow, Row
from solver.memory import give_back
from solver.relaxation import Bound, Rows, lagrangian, reduced_costs
from solver.run import Workers, run_cpsat
from solver.state import BuildState
from solver.stop import Stop

GRIDS = (1, 2, 4, 6, 12)
"""Denominators tried for the rounded duals (GLOP's duals on whole-number data
are mostly multiples of 1/2); the grid giving the lowest B(y) is kept."""

BLOCK_SECONDS = 2.0
"""At most this long for one township's CP-SAT (5,000 cadres: 0.05-0.2 s each)."""

ZERO = 1e-9


@dataclass
class TownshipBound:
    """The proven bound, how many blocks were solved of how many, and the time."""

    value: float
    blocks: int
    solved: int
    seconds: float


@dataclass
class Blocks:
    """The split: per column its block, per LP row whether it is dualized, per
    block its model rows and max rows."""

    of_col: np.ndarray
    dualized: np.ndarray
    rows: list[list[int]]
    maxes: list[list[int]]


def split(lm: LinearModel, rows: Rows, n_pairs: int, pair_township: np.ndarray) -> Blocks:
    """Rows over the pairs of two townships or more are dualized; the rest tie
    their columns into blocks (union-find over townships and the other columns).
    Which townships a row spans is read for every row at once (`spans`); only the
    rows with a column that is not a pair go through the union-find, in model
    order, so the blocks and their numbering are those of a row-by-row walk."""
    n, towns = lm.n_cols, int(pair_township.max(initial=-1)) + 1
    parent = list(range(towns + n - n_pairs))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    live = [i for i, row in enumerate(lm.rows) if not row.cp_only]
    # each row's columns as pieces, not copies: a copy of every big-M and max row held at once
    # took 76 MB on 5,000 cadres
    cols_of: list[tuple[np.ndarray, ...]] = []
    for i in live:
        row = lm.rows[i]
        cols_of.append((row.lin.idx,) if not row.enforce else
                       (row.lin.idx, np.array([c for c, _ in row.enforce], dtype=np.int64)))
    for mx in lm.maxes:
        cols_of.append((*(e.idx for e in mx.exprs), np.array([mx.target], dtype=np.int64)))
    town, local, others = spans(cols_of, n_pairs, pair_township)
    for k, extra in others:
        if not local[k]:
            continue
        nodes = [towns + c - n_pairs for c in extra] + ([town[k]] if town[k] >= 0 else [])
        for a in nodes[1:]:  # tied as the row-by-row walk tied them: each to the first node's root
            ra, rb = find(a), find(nodes[0])
            if ra != rb:
                parent[ra] = rb
    wide_row = np.ones(len(lm.rows), dtype=bool)
    wide_row[live] = ~local[: len(live)]
    wide_max = ~local[len(live):]
    local_rows = [i for i, w in zip(live, local[: len(live)].tolist(), strict=True) if w]
    local_maxes = np.flatnonzero(~wide_max).tolist()
    roots = np.array([find(c) for c in range(towns, towns + n - n_pairs)] + [find(t) for t in range(towns)],
                     dtype=np.int64)
    _, label = np.unique(roots, return_inverse=True)
    of_col = np.empty(n, dtype=np.int64)
    of_col[n_pairs:] = label[: n - n_pairs]
    of_col[:n_pairs] = label[n - n_pairs:][pair_township]
    k = int(label.max(initial=-1)) + 1
    assert rows.origin is not None
    o = rows.origin
    dualized = np.empty(len(o), dtype=bool)
    own = o >= 0
    dualized[own] = wide_row[o[own]]
    dualized[~own] = wide_max[-1 - o[~own]]
    per_rows: list[list[int]] = [[] for _ in range(k)]
    per_maxes: list[list[int]] = [[] for _ in range(k)]
    for i in local_rows:
        per_rows[of_col[block_col(lm, i)]].append(i)
    for m in local_maxes:
        per_maxes[of_col[block_col(lm, -1 - m)]].append(m)
    return Blocks(of_col, dualized, per_rows, per_maxes)


def spans(cols_of: list[tuple[np.ndarray, ...]], n_pairs: int, pair_township: np.ndarray
          ) -> tuple[list[int], np.ndarray, list[tuple[int, list[int]]]]:
    """Per row (its columns, in pieces): its pairs' township (-1: no pair), whether it
    is local (not empty, its pairs in one township at most), and, for the rows with
    columns that are not pairs, those columns in order. The lists are read a batch of entries at
    a time, where a np.unique per row took half a second on 5,000 cadres (10,000 rows)."""
    m = len(cols_of)
    lengths = np.fromiter((sum(len(p) for p in c) for c in cols_of), dtype=np.int64, count=m)
    low = np.full(m, NO_TOWN, dtype=np.int64)
    high = np.full(m, -1, dtype=np.int64)
    town_of = pair_township.astype(np.int64, copy=False)
    others: list[tuple[int, list[int]]] = []
    first = 0
    while first < m:
        last, held = first, 0
        while last < m and (last == first or held + lengths[last] <= SPAN_BATCH):
            held += int(lengths[last])
            last += 1
        every = np.concatenate([p for c in cols_of[first:last] for p in c]).astype(np.int64, copy=False)
        starts = np.concatenate(([0], np.cumsum(lengths[first:last])[:-1]))
        full = lengths[first:last] > 0
        if len(every):
            is_pair = every < n_pairs
            t = town_of[np.where(is_pair, every, 0)] if n_pairs else np.zeros(len(every), np.int64)
            low[first:last][full] = np.minimum.reduceat(np.where(is_pair, t, NO_TOWN), starts[full])
            high[first:last][full] = np.maximum.reduceat(np.where(is_pair, t, -1), starts[full])
            out = np.flatnonzero(~is_pair)
            if len(out):
                who = (np.searchsorted(starts, out, side="right") - 1 + first).tolist()
                cols = every[out].tolist()
                cut = [0, *(k for k in range(1, len(who)) if who[k] != who[k - 1]), len(who)]
                others += [(who[a], cols[a:b]) for a, b in pairwise(cut)]
        first = last
    has = high >= 0
    local = (lengths > 0) & (~has | (low == high))
    return np.where(has, high, -1).tolist(), local, others


NO_TOWN = np.iinfo(np.int64).max
SPAN_BATCH = 1 << 20
"""Entries `spans` reads at a time: its temporaries stay a few MB (5,000 cadres: 16 million entries)."""


def rounded(y: np.ndarray, rows: Rows, cost: np.ndarray, lb: np.ndarray, ub: np.ndarray
            ) -> tuple[np.ndarray, int, float, np.ndarray]:
    """The duals on the grid (of `GRIDS`) whose B(y) is lowest: (y, S, B(y) without
    the objective's constant, the reduced costs of y: the walk prices with them).
    Rounding keeps each dual's sign, so B stays finite. A grid whose rounding is
    one an earlier grid gave is not priced again: GLOP's duals are mostly on the
    coarsest grid already (5,000 cadres: two distinct roundings of five; c20-1000
    and h17-2000-w80: one), and pricing one takes 0.05 s there."""
    best: tuple[np.ndarray, int, float, np.ndarray] | None = None
    tried: list[np.ndarray] = []
    for s in GRIDS:
        yh = np.round(y * s) / s
        if any(np.array_equal(yh, t) for t in tried):
            continue  # the same B(y): the earlier, coarser grid is kept on a tie in any case
        tried.append(yh)
        d = reduced_costs(cost, rows, yh)
        v = lagrangian(rows, yh, d, lb, ub)
        if best is None or v < best[2] - ZERO:
            best = (yh, s, v, d)
    assert best is not None
    return best


def township_bound(b: BuildState, bound: Bound, target: float, stop: Stop, how: Workers,
                   limit: float = math.inf, every: bool = False) -> TownshipBound | None:
    """A proven bound on every slate's score, at most B(y): the walk over the
    blocks stops once it is below `target` (a slate scoring target - 1 is then
    proven best), or at `limit` seconds (None: the relaxation kept no master LP).
    `every` (for tests) walks the blocks the LP's solution is integral on too."""
    master = bound.master
    if master is None or master.rows.origin is None or len(master.y) != len(master.rows.lo):
        return None
    t0 = perf_counter()
    lm, rows, n_pairs = b.model, master.rows, b.n_pairs
    lb, ub, cost = master.lb, master.ub, master.cost
    pair_township = np.array([g.township for g in b.groups], dtype=np.int64)[b.pair_group]
    blocks = split(lm, rows, n_pairs, pair_township)
    y, scale, value, d = rounded(master.y, rows, cost, lb, ub)
    value += master.const  # the LP's own constant: a leaning objective (top-K, what-ifs) scales the model's
    d_block = reduced_costs(cost, rows, np.where(blocks.dualized, y, 0.0))  # the block's own rows unpriced
    k = len(blocks.rows)
    # each block's share U_t of B(y): its rows' y_i side_i and its columns' part (float even when no
    # row is local: numpy's bincount of nothing is int64, and adding the columns' part then fails)
    local = ~blocks.dualized & (y != 0)
    side = np.where(y > 0, rows.hi, rows.lo)
    at = np.flatnonzero(local)
    src = rows.origin[at]
    first_col = np.array([block_col(lm, int(s)) for s in src.tolist()], dtype=np.int64)
    share = np.bincount(blocks.of_col[first_col], weights=y[at] * side[at], minlength=k).astype(float)
    share += np.bincount(blocks.of_col, weights=np.where(d > 0, d * ub, d * lb), minlength=k)
    loss = np.where(lb > 0, 0.0, np.maximum(0.0, -d))  # a column that cannot be 0 is never left out
    loss[n_pairs:] = 0.0
    x = bound.primal
    frac = np.bincount(blocks.of_col, weights=np.minimum(np.abs(x - np.floor(x)), np.abs(np.ceil(x) - x)),
                       minlength=k)
    order = [t for t in np.argsort(-frac, kind="stable").tolist() if every or frac[t] > 1e-6]
    # stable, so each block's columns in order; a 16-bit key sorts by radix (5,000 cadres: 2 million columns)
    cols_of = np.argsort(blocks.of_col.astype(np.uint16) if k <= 1 << 16 else blocks.of_col, kind="stable")
    starts = np.searchsorted(blocks.of_col[cols_of], np.arange(k + 1))
    tol = 1e-6 * (1.0 + abs(value))
    solved = 0
    give_back()  # the split's and the pricing's temporaries, before the blocks' models
    for t in order:
        if value < target - tol or stop.should_stop() or perf_counter() - t0 >= limit:
            break
        cols = np.sort(cols_of[starts[t]:starts[t + 1]])
        kept = cols[loss[cols] <= ZERO]
        dropped = cols[loss[cols] > ZERO]
        gap = float(loss[dropped].min()) if len(dropped) else INF
        weights = d_block[kept] * scale
        if np.abs(weights - np.round(weights)).max(initial=0.0) > 1e-6:
            continue  # not on the grid (a coefficient too large?): no exact claim
        best = block_best(lm, blocks, t, cols, n_pairs, kept, np.round(weights).astype(np.int64), stop,
                          how, min(BLOCK_SECONDS, limit - (perf_counter() - t0)))
        solved += 1
        top = max(best / scale, share[t] - gap)
        if top < share[t]:
            value -= share[t] - top
    return TownshipBound(value, k, solved, perf_counter() - t0)


def block_col(lm: LinearModel, source: int) -> int:
    """A column of a model row (or a max row's target): it names the row's block."""
    if source < 0:
        return lm.maxes[-1 - source].target
    row = lm.rows[source]
    return int(row.lin.idx[0]) if len(row.lin.idx) else row.enforce[0][0]


def block_best(lm: LinearModel, blocks: Blocks, t: int, cols: np.ndarray, n_pairs: int, kept: np.ndarray,
               weights: np.ndarray, stop: Stop, how: Workers, limit: float) -> float:
    """CP-SAT's bound on max weights'x over block t's rows (its columns `cols`),
    its pairs outside `kept` at 0 (-inf: no block solution; +inf: no bound in time)."""
    def at(c: np.ndarray) -> np.ndarray:
        """Block positions of model columns (`cols` is sorted): no array over every column per block."""
        return np.searchsorted(cols, c)

    sub = LinearModel()
    lb, ub = lm.bounds()
    sub.lb, sub.ub = lb[cols].tolist(), ub[cols].tolist()
    for i in blocks.rows[t]:
        row = lm.rows[i]
        sub.rows.append(Row(Lin(at(row.lin.idx), row.lin.coef), row.lo, row.hi, row.kind,
                            [(int(at(np.int64(c))), neg) for c, neg in row.enforce]))
    for m in blocks.maxes[t]:
        mx = lm.maxes[m]
        exprs = [Lin(at(e.idx), e.coef, e.const) for e in mx.exprs]
        sub.maxes.append(MaxRow(int(at(np.int64(mx.target))), exprs))
    sub.maximize(Lin(at(kept), weights))
    keep = cols >= n_pairs  # every column that is not a pair, and the kept pairs
    keep[at(kept)] = True
    view = CpView(sub, keep)
    run = run_cpsat(view.model, stop, Workers(1, how.seed, how.deterministic), limit=limit)
    if run.solver is None or run.status == SolveStatus.UNKNOWN:
        return INF
    if run.status == SolveStatus.INFEASIBLE:
        return -INF
    return float(run.solver.best_objective_bound)
