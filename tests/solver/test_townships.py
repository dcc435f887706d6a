"""The township bound (solver/townships.py): never below the optimum, whatever the duals."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model.generator import generate_county
from solver.build import Builder
from solver.linear import Lin
from solver.relaxation import INF, Bound, lp_bound
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
