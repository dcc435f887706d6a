"""The LP relaxation's column generation on generated counties: its pricing
equals the entry-by-entry A'y, its first columns make the first restricted LP
feasible, and stopping early never changes the bound the search starts from."""

from __future__ import annotations

import math
from time import sleep

import numpy as np
import pytest
from ortools.linear_solver import pywraplp

import solver.relaxation as relaxation
from model.generator import generate_county
from solver.build import Builder
from solver.linear import Lin
from solver.relaxation import INF, Rows, first_columns, lp_bound, reduced_costs, relaxation_rows

COUNTIES = [(3, 150, 7, "xx-2011"), (4, 200, 8, "county-2017"), (3, 160, 9, "qiong-2011")]


def built(townships: int, cadres: int, seed: int, ruleset: str) -> Builder:
    return Builder(generate_county(townships, cadres, seed, ruleset=ruleset)).build()


def costs(b: Builder) -> np.ndarray:
    cost = np.zeros(b.model.n_cols)
    np.add.at(cost, b.model.objective.idx, b.model.objective.coef.astype(float))
    return cost


def entrywise(cost: np.ndarray, rows: Rows, y: np.ndarray) -> np.ndarray:
    dual = np.zeros(len(cost))
    np.add.at(dual, rows.c, rows.v.astype(float) * y[rows.r])
    return cost - dual


def restricted_lp(b: Builder, rows: Rows, cost: np.ndarray, cols: np.ndarray | None) -> float | None:
    """The relaxation over these columns (None: all), no artificial ones: its optimum, None if infeasible."""
    n = b.model.n_cols
    use = np.ones(n, bool) if cols is None else np.isin(np.arange(n), cols)
    use[b.n_pairs:] = True
    lb, ub = (a.astype(float) for a in b.model.bounds())
    s = pywraplp.Solver.CreateSolver("GLOP")
    inf = s.infinity()
    xs = {j: s.NumVar(lb[j], ub[j], "") for j in np.flatnonzero(use).tolist()}
    r = rows.r
    cts = [s.Constraint(-inf if a == -INF else a, inf if h == INF else h)
           for a, h in zip(rows.lo.tolist(), rows.hi.tolist(), strict=True)]
    for k in np.flatnonzero(use[rows.c]).tolist():
        cts[r[k]].SetCoefficient(xs[int(rows.c[k])], float(rows.v[k]))
    obj = s.Objective()
    for j, x in xs.items():
        obj.SetCoefficient(x, cost[j])
    obj.SetMaximization()
    if s.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return obj.Value() + b.model.objective.const


@pytest.mark.parametrize("county", COUNTIES)
def test_pricing_only_rows_with_a_dual_equals_the_entrywise_sum(county: tuple) -> None:
    """Reading only the rows whose dual is not 0 gives the same reduced costs as every entry."""
    b = built(*county)
    rows = relaxation_rows(b.model)
    cost = costs(b)
    rng = np.random.default_rng(county[2])
    for share in (0.0, 0.5, 0.9, 1.0):
        y = rng.normal(0, 4, len(rows.lo))
        y[rng.random(len(y)) < share] = 0
        assert np.allclose(reduced_costs(cost, rows, y), entrywise(cost, rows, y), rtol=0, atol=1e-9)


def test_compact_rows_keep_each_row_in_one_slice() -> None:
    """Row i's entries are c[ptr[i]:ptr[i+1]], as stored (the fill rows come first), and an
    entry's row is found from ptr alone."""
    b = built(*COUNTIES[0])
    rows = relaxation_rows(b.model)
    assert rows.c.dtype == np.int32 and rows.v.dtype == np.int32
    for i, g in enumerate(b.groups):
        assert rows.c[rows.ptr[i]:rows.ptr[i + 1]].tolist() == b.pairs_of(g.index).tolist()
    at = np.random.default_rng(0).integers(0, len(rows.c), 500)
    assert rows.rows_of(at).tolist() == rows.r[at].tolist()


@pytest.mark.parametrize("county", COUNTIES)
def test_first_columns_make_the_first_restricted_lp_feasible(county: tuple) -> None:
    """The columns the generation starts from admit a solution of every row, with no artificial column."""
    b = built(*county)
    rows = relaxation_rows(b.model)
    cost = costs(b)
    cols = first_columns(b.model, rows, cost, b.n_pairs, b.pair_group, 10)
    assert len(cols) < b.n_pairs
    assert restricted_lp(b, rows, cost, cols) is not None


@pytest.mark.parametrize("county", COUNTIES)
def test_column_generation_reaches_the_full_lp_floor(county: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bound is at least the LP over every pair, and its floor is that LP's (early stop included),
    with few columns per group and with the spread of first offers at its narrowest."""
    b = built(*county)
    full = restricted_lp(b, relaxation_rows(b.model), costs(b), None)
    assert full is not None
    for per_group, spread in ((10, relaxation.SPREAD), (2, 1)):
        monkeypatch.setattr(relaxation, "SPREAD", spread)
        bound = lp_bound(b.model, b.n_pairs, b.pair_group, 30, per_group=per_group)
        assert bound.value >= full - 1e-6
        assert math.floor(bound.value + 1e-6) == math.floor(full + 1e-6)


def test_a_row_free_on_both_sides_keeps_every_row_its_dual() -> None:
    """A row made free (a lifted break cap) stays in the master: one dual per row, the bound
    unchanged (GLOP's proto loader drops such rows; `prepare` once failed on the shapes)."""
    b = built(*COUNTIES[0])
    before = lp_bound(b.model, b.n_pairs, b.pair_group, 30)
    row = b.model.add(Lin(np.arange(b.n_pairs), np.ones(b.n_pairs, np.int64)) <= 3)
    row.hi = INF
    after = lp_bound(b.model, b.n_pairs, b.pair_group, 30)
    assert after.master is not None and len(after.master.y) == len(relaxation_rows(b.model).lo)
    assert after.value == pytest.approx(before.value)


def test_the_variables_wire_is_what_the_proto_writes() -> None:
    """`variables_wire` parses to the variables `variable.add` makes, infinities, -0.0 and
    large values included, so the first master is the model the adds would build."""
    from ortools.linear_solver import linear_solver_pb2

    rng = np.random.default_rng(3)
    lo = np.concatenate([[0.0, -0.0, -INF, 1e300], rng.normal(size=50)])
    hi = np.concatenate([[INF, 1.0, 0.0, INF], rng.normal(size=50) + 5])
    cost = np.concatenate([[-1e9, 0.0, 3.5, -0.0], rng.integers(-99, 99, 50).astype(float)])
    made = linear_solver_pb2.MPModelProto()
    for a, h, c in zip(lo.tolist(), hi.tolist(), cost.tolist(), strict=True):
        made.variable.add(lower_bound=a, upper_bound=h, objective_coefficient=c)
    wire = linear_solver_pb2.MPModelProto.FromString(relaxation.variables_wire(lo, hi, cost))
    assert wire.SerializeToString() == made.SerializeToString()


def test_the_master_reads_its_solution_as_each_call_would() -> None:
    """`Master.solution` (one call) gives every column's value and every row's dual as a call
    per column and per row does, with a free row and columns added after the first master."""
    b = built(*COUNTIES[1])
    row = b.model.add(Lin(np.arange(b.n_pairs), np.ones(b.n_pairs, np.int64)) <= 3)
    row.hi = INF
    bound = lp_bound(b.model, b.n_pairs, b.pair_group, 30)
    master = bound.master
    assert master is not None and bound.rounds > 1  # the later rounds added columns one by one
    primal, y = master.solution()
    each = np.zeros(len(master.cost))
    each[list(master.xs)] = [x.solution_value() for x in master.xs.values()]
    assert np.array_equal(primal, each)
    assert np.array_equal(y, np.array([ct.dual_value() for ct in master.cts]))


def best_per_group_by_block(score: np.ndarray, groups: np.ndarray, allowed: np.ndarray, k: int) -> np.ndarray:
    """The per-block partition `best_per_group` used before it was vectorized: the reference."""
    idx = np.flatnonzero(allowed)
    if len(idx) == 0:
        return idx
    g = groups[idx]
    out = []
    for block in np.split(idx, np.flatnonzero(np.diff(g)) + 1):
        neg = -score[block]
        if len(block) > k:
            kth = np.partition(neg, k - 1)[k - 1]
            block, neg = block[neg <= kth], neg[neg <= kth]
        out.append(block[np.argsort(neg, kind="stable")[:k]])
    return np.concatenate(out)


@pytest.mark.parametrize("seed", range(6))
def test_best_per_group_picks_what_the_partition_per_block_picked(seed: int) -> None:
    """On random scores with many ties and groups of every size, the vectorized pick is the
    per-block one: the same entries in the same order."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 3000))
    groups = np.sort(rng.integers(0, int(rng.integers(1, 200)), n))
    score = rng.integers(-5, 6, n).astype(float) / 2 if seed % 2 else rng.normal(size=n)
    allowed = rng.random(n) < rng.random()
    for k in (1, 3, 10):
        assert np.array_equal(relaxation.best_per_group(score, groups, allowed, k),
                              best_per_group_by_block(score, groups, allowed, k))


def reduced_costs_by_run(cost: np.ndarray, rows: Rows, y: np.ndarray) -> np.ndarray:
    """The pricing as it read the entries before (a slice, a search and a repeat per run of
    rows with a dual, summed a chunk at a time): the reference for the last bit."""
    dual = np.zeros(len(cost))
    on = np.flatnonzero(y != 0)
    if len(on) == 0:
        return cost - dual
    cut = np.flatnonzero(np.diff(on) != 1) + 1
    firsts, lasts = on[np.r_[0, cut]], on[np.r_[cut - 1, len(on) - 1]] + 1
    lengths = np.diff(rows.ptr)
    cols: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    held = 0
    for a, b in zip(firsts.tolist(), lasts.tolist(), strict=True):
        lo, hi = int(rows.ptr[a]), int(rows.ptr[b])
        for s in range(lo, hi, relaxation.CHUNK):
            e = min(hi, s + relaxation.CHUNK)
            ra = int(np.searchsorted(rows.ptr, s, side="right")) - 1
            rb = int(np.searchsorted(rows.ptr, e, side="left"))
            per_entry = np.repeat(y[ra:rb], lengths[ra:rb])
            off = s - int(rows.ptr[ra])
            cols.append(rows.c[s:e])
            weights.append(rows.v[s:e] * per_entry[off:off + e - s])
            held += e - s
            if held >= relaxation.CHUNK:
                dual[:] += np.bincount(np.concatenate(cols), weights=np.concatenate(weights),
                                       minlength=len(cost))
                cols, weights, held = [], [], 0
    if held:
        dual[:] += np.bincount(np.concatenate(cols), weights=np.concatenate(weights), minlength=len(cost))
    return cost - dual


@pytest.mark.parametrize("chunk", [7, 64, 1 << 22])
def test_pricing_in_one_gather_is_the_run_by_run_pricing_to_the_bit(chunk: int,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """With chunks small enough to cut rows and runs, the pricing that gathers all of a sum's
    entries at once gives the reduced costs of the run-by-run reading bit for bit."""
    monkeypatch.setattr(relaxation, "CHUNK", chunk)
    monkeypatch.setattr(relaxation, "PRICE_AT_ONCE", 0)
    b = built(*COUNTIES[1])
    rows = relaxation_rows(b.model)
    cost = costs(b)
    rng = np.random.default_rng(chunk)
    for share in (0.0, 0.5, 0.9, 1.0):
        y = rng.normal(0, 4, len(rows.lo)) / 3
        y[rng.random(len(y)) < share] = 0
        assert np.array_equal(reduced_costs(cost, rows, y), reduced_costs_by_run(cost, rows, y))


@pytest.mark.parametrize("county", COUNTIES)
def test_first_columns_are_those_of_one_stable_sort(county: tuple) -> None:
    """The first columns found cadre by cadre (and a count's pairs past its floor left unsorted)
    are those of the one stable sort of every pair's float key the LP started from before."""
    b = built(*county)
    lm, n_pairs, groups = b.model, b.n_pairs, b.pair_group
    rows = relaxation_rows(lm)
    cost = costs(b)
    once = [i for i, r in enumerate(lm.rows) if not r.cp_only and not r.enforce and r.kind == "at_most_one"]
    hard = [i for i, r in enumerate(lm.rows)
            if not r.cp_only and not r.enforce and r.kind == "linear" and r.lo > 0]
    last = np.full(n_pairs, -1, dtype=np.int64)
    for i in once:
        idx = lm.rows[i].lin.idx
        np.maximum.at(last, idx[idx < n_pairs], i)
    key = np.where(last >= 0, last, np.arange(n_pairs) + len(lm.rows))
    c = cost[:n_pairs]
    tie = np.random.default_rng(0).random(n_pairs)
    span_c = float(c.max() - c.min()) + 2.0
    order = np.argsort(key * span_c - c + 0.5 * tie, kind="stable")
    ks = key[order]
    offered = np.zeros(n_pairs, bool)
    offered[order[(np.arange(n_pairs) - np.searchsorted(ks, ks, side="left")) < relaxation.SPREAD]] = True
    picked = np.zeros(n_pairs, bool)
    picked[best_per_group_by_block(c + offered * span_c, groups, np.ones(n_pairs, bool), 10)] = True
    for i in hard:
        lin = lm.rows[i].lin
        cols = lin.idx[(lin.idx < n_pairs) & (lin.coef > 0)]
        if len(cols):
            by = cols[np.lexsort((tie[cols], -c[cols], key[cols]))]
            best = by[np.concatenate(([True], key[by][1:] != key[by][:-1]))]
            need = int(min(len(best), 2 * math.ceil(lm.rows[i].lo) + 2))
            picked[best[np.argsort(-c[best], kind="stable")[:need]]] = True
    assert np.array_equal(first_columns(lm, rows, cost, n_pairs, groups, 10), np.flatnonzero(picked))


def test_the_simplex_seconds_are_glops_share_of_the_lp(monkeypatch: pytest.MonkeyPatch) -> None:
    """`simplex_seconds` times GLOP's rounds and nothing else (benchmarks/growth.py fits
    its growth apart from the LP's Python): a round made 50 ms slower shows in it, whole."""
    b = built(*COUNTIES[0])
    plain = lp_bound(b.model, b.n_pairs, b.pair_group, 30)
    solve = pywraplp.Solver.Solve

    def slow(self: pywraplp.Solver, *a: object) -> int:
        sleep(0.05)
        return solve(self, *a)

    monkeypatch.setattr(pywraplp.Solver, "Solve", slow)
    slowed = lp_bound(b.model, b.n_pairs, b.pair_group, 30)
    assert slowed.rounds == plain.rounds
    assert 0.05 * slowed.rounds <= slowed.simplex_seconds <= slowed.seconds
    assert slowed.simplex_seconds - plain.simplex_seconds >= 0.05 * slowed.rounds - 0.02
