"""The township bound (solver/townships.py): never below the optimum, whatever the duals."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model.generator import generate_county
from solver import townships
from solver.build import Builder
from solver.linear import Lin
from solver.relaxation import INF, Bound, lagrangian, lp_bound, reduced_costs
from solver.run import Workers
from solver.stop import budget
from solver.townships import split, township_bound
from tests.solver.test_reductions import optimum, random_county
from tests.solver.test_solver_exact import brute_force, cadres, tiny


def with_duals(bound: Bound, y: np.ndarray) -> Bound:
    """The bound with its master's duals replaced (the rest of the master kept)."""
    m = bound.master
    assert m is not None
    bound.master = SimpleNamespace(rows=m.rows, y=y, lb=m.lb, ub=m.ub, cost=m.cost,  # type: ignore[assignment]
                                   const=m.const)
    return bound


def shaken(y: np.ndarray, lo: np.ndarray, hi: np.ndarray, seed: int) -> np.ndarray:
    """The duals moved by random halves, each kept on a side its row has (B stays finite)."""
    y = y + np.random.default_rng(seed).integers(-2, 3, len(y)) / 2
    y = np.where(np.isfinite(hi), y, np.minimum(y, 0.0))
    return np.where(np.isfinite(lo), y, np.maximum(y, 0.0))


def walk(b: Builder, bound: Bound) -> float:
    got = township_bound(b, bound, -math.inf, budget(None, 60), Workers(1), every=True)
    assert got is not None
    return got.value


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_township_bound_is_never_below_brute_force(data: st.DataObject) -> None:
    """On tiny counties of one or two townships, every block solved, the township
    bound from the LP's duals is at least the exhaustive best and at most the LP's."""
    towns = data.draw(st.sampled_from([["t1"], ["t1", "t2"]]))
    sc = tiny(towns, data.draw(cadres(data.draw(st.integers(5, 7)), towns)))
    expected = brute_force(sc)
    assume(expected is not None)
    b = Builder(sc).build()
    assume(not b.reasons)
    bound = lp_bound(b.model, b.n_pairs, b.pair_group, 10)
    assert expected - 1e-6 <= walk(b, bound) <= bound.value + 1e-6


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_township_bound_holds_for_any_duals(data: st.DataObject, seed: int) -> None:
    """Duals moved at random (each on a side its row has) never bring the township
    bound below the CP-SAT optimum of a random small county."""
    sc = random_county(data)
    b = Builder(sc).build()
    _status, best = optimum(b, True)
    assume(best is not None)
    bound = lp_bound(b.model, b.n_pairs, b.pair_group, 10)
    assert bound.master is not None
    rows = bound.master.rows
    value = walk(b, with_duals(bound, shaken(bound.master.y, rows.lo, rows.hi, seed)))
    assert value == INF or value >= best - 1e-6


def test_split_dualizes_only_rows_across_townships() -> None:
    """On a generated county every row kept in a block has its pairs in one
    township, and the sit-once rows of cadres offered to several are dualized."""
    b = Builder(generate_county(3, 60, 7)).build()
    bound = lp_bound(b.model, b.n_pairs, b.pair_group, 10)
    assert bound.master is not None
    town = np.array([g.township for g in b.groups])[b.pair_group]
    blocks = split(b.model, bound.master.rows, b.n_pairs, town)
    for t, rows in enumerate(blocks.rows):
        for i in rows:
            pairs = b.model.rows[i].lin.idx[b.model.rows[i].lin.idx < b.n_pairs]
            assert len(np.unique(town[pairs])) <= 1
            assert (blocks.of_col[b.model.rows[i].lin.idx] == t).all()
    wide = [i for i, r in enumerate(b.model.rows) if r.kind == "at_most_one"
            and len(np.unique(town[r.lin.idx[r.lin.idx < b.n_pairs]])) >= 2]
    assert wide
    origin = bound.master.rows.origin
    assert origin is not None
    assert all(blocks.dualized[np.isin(origin, wide)])


def test_township_bound_ignores_a_leaning_objective() -> None:
    """The bound is the LP's, in score points: once the model's objective leans toward a
    slate (scaled score plus its pairs, as top-K and what-ifs do), the walk still gives
    the bound it gave before (it once added the scaled objective's constant)."""
    b = Builder(generate_county(2, 40, 3)).build()
    bound = lp_bound(b.model, b.n_pairs, b.pair_group, 10)
    before = walk(b, bound)
    scale = b.n_seats + 1
    b.model.maximize(scale * b.objective + Lin.of(0))
    assert scale * b.objective.const != b.objective.const  # the constant the bug added
    assert walk(b, bound) == pytest.approx(before)


def split_row_by_row(lm, n_pairs: int, pair_township: np.ndarray) -> tuple[np.ndarray, list[int], list[int]]:
    """The union-find of `split` as it walked the rows before (np.unique per row): per
    column its block, and the local rows and max rows: the reference."""
    towns = int(pair_township.max(initial=-1)) + 1
    parent = list(range(towns + lm.n_cols - n_pairs))

    def find(a: int) -> int:
        while parent[a] != a:
            a = parent[a]
        return a

    def tie(cols: np.ndarray) -> bool:
        pairs = cols[cols < n_pairs]
        ts = np.unique(pair_township[pairs]) if len(pairs) else pairs
        if len(ts) >= 2:
            return False
        nodes = [towns + int(c) - n_pairs for c in cols[cols >= n_pairs]] + [int(t) for t in ts]
        for a in nodes[1:]:
            ra, rb = find(a), find(nodes[0])
            if ra != rb:
                parent[ra] = rb
        return True

    local = [i for i, r in enumerate(lm.rows) if not r.cp_only and len(cols := np.concatenate(
        [r.lin.idx, np.array([c for c, _ in r.enforce], dtype=np.int64)])) and tie(cols)]
    maxes = [m for m, mx in enumerate(lm.maxes)
             if tie(np.concatenate([*(e.idx for e in mx.exprs), np.array([mx.target], dtype=np.int64)]))]
    roots = np.array([find(c) for c in range(towns, towns + lm.n_cols - n_pairs)]
                     + [find(t) for t in range(towns)])
    _, label = np.unique(roots, return_inverse=True)
    of_col = np.concatenate([label[lm.n_cols - n_pairs:][pair_township], label[: lm.n_cols - n_pairs]])
    return of_col, local, maxes


@pytest.mark.parametrize("county", [(3, 60, 7, "xx-2011"), (4, 200, 8, "county-2017"),
                                    (3, 160, 9, "qiong-2011")])
def test_split_in_one_pass_numbers_the_blocks_as_the_row_walk_did(
        county: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading every row's townships at once (in batches small enough to cut between rows)
    gives the blocks, their numbering and the local rows of the row-by-row union-find."""
    import solver.townships as townships

    monkeypatch.setattr(townships, "SPAN_BATCH", 50)
    townships_, cadres_, seed, ruleset = county
    b = Builder(generate_county(townships_, cadres_, seed, ruleset=ruleset)).build()
    bound = lp_bound(b.model, b.n_pairs, b.pair_group, 10)
    assert bound.master is not None
    town = np.array([g.township for g in b.groups])[b.pair_group]
    blocks = split(b.model, bound.master.rows, b.n_pairs, town)
    of_col, local, maxes = split_row_by_row(b.model, b.n_pairs, town)
    assert np.array_equal(blocks.of_col, of_col)
    assert sorted(i for rows in blocks.rows for i in rows) == local
    assert sorted(m for ms in blocks.maxes for m in ms) == maxes


@pytest.mark.parametrize("scale", [1, 2, 7])
def test_rounding_prices_each_distinct_rounding_once_and_keeps_the_grid_of_every_pricing(
        scale: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Duals on a grid of 1/scale: a rounding equal to an earlier one is not priced
    again, and the duals, grid, B and reduced costs are those of pricing every grid."""
    b = Builder(generate_county(2, 80, 3)).build()
    b.model.maximize(b.objective)
    m = lp_bound(b.model, b.n_pairs, b.pair_group, 30).master
    assert m is not None
    y = shaken(m.y, m.rows.lo, m.rows.hi, scale) * 2 / scale  # on the grid of 1/scale
    every = None
    for s in townships.GRIDS:  # the loop without the skip
        yh = np.round(y * s) / s
        d = reduced_costs(m.cost, m.rows, yh)
        v = lagrangian(m.rows, yh, d, m.lb, m.ub)
        if every is None or v < every[2] - townships.ZERO:
            every = (yh, s, v, d)
    assert every is not None
    priced = []
    monkeypatch.setattr(townships, "reduced_costs", lambda *a: priced.append(1) or reduced_costs(*a))
    got = townships.rounded(y, m.rows, m.cost, m.lb, m.ub)
    distinct = {tuple(np.round(y * s) / s) for s in townships.GRIDS}
    assert len(priced) == len(distinct)
    assert len(distinct) <= scale  # 1, 2: every finer grid rounds as the first one that fits
    assert got[1] == every[1] and got[2] == every[2]
    assert np.array_equal(got[0], every[0]) and np.array_equal(got[3], every[3])
