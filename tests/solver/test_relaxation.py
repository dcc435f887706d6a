"""The LP relaxation's column generation on generated counties: its pricing
equals the entry-by-entry A'y, its first columns make the first restricted LP
feasible, and stopping early never changes the bound the search starts from."""

from __future__ import annotations

import math

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
