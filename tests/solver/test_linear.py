"""The linear model read two ways: CP-SAT over the columns kept, and the LP
relaxation's rows (big-M for enforced rows, the convex half of max rows)."""

from __future__ import annotations

import numpy as np
import pytest
from ortools.sat.python import cp_model

from solver.cpsat import CpView
from solver.linear import Lin, LinearModel, lin_sum
from solver.relaxation import relaxation_rows
from solver.run import make_solver


def solve(lm: LinearModel, keep: np.ndarray | None = None) -> np.ndarray | None:
    view = CpView(lm, keep)
    s = make_solver(5, 1, 0)
    return view.values(s) if s.solve(view.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def test_an_enforced_empty_row_that_fails_forces_its_literal_off() -> None:
    """`sum over no cadres >= 1` only if v: v must be false, not the model infeasible."""
    lm = LinearModel()
    v = lm.new_bool_var()
    lm.add(lin_sum([]) >= 1).only_enforce_if(v)
    lm.maximize(v)
    vals = solve(lm)
    assert vals is not None and vals[v.col] == 0


def test_an_empty_row_that_fails_unenforced_is_infeasible() -> None:
    """An empty row that cannot hold, with nothing enforcing it, makes the model infeasible."""
    lm = LinearModel()
    lm.new_bool_var()
    lm.fail()
    assert solve(lm) is None


def test_dropped_columns_are_zero_and_their_literals_false() -> None:
    """A row enforced by a dropped column is off; a negated one is always on."""
    lm = LinearModel()
    start = lm.new_block(3)
    x = [Lin(np.array([start + i]), np.ones(1, np.int64)) for i in range(3)]
    y = lm.new_int_var(0, 5)
    from solver.linear import Var

    lm.add(y >= 5).only_enforce_if(Var(start))  # start is dropped: never enforced
    lm.add(y <= 2).only_enforce_if(~Var(start))  # always enforced
    lm.add(lin_sum(x) <= 2)
    lm.maximize(y + lin_sum(x))
    keep = np.array([False, True, True, True])
    vals = solve(lm, keep)
    assert vals is not None
    assert list(vals) == [0, 1, 1, 2]


def test_merged_adds_duplicate_columns() -> None:
    """Merging an expression adds the coefficients of a column that appears twice and keeps the constant."""
    lin = (Lin(np.array([3, 1]), np.array([2, 1])) + Lin(np.array([1]), np.array([4])) - 7).merged()
    assert list(lin.idx) == [1, 3] and list(lin.coef) == [5, 2] and lin.const == -7


def test_relaxation_rows_big_m_and_max() -> None:
    """x0 + x1 >= 2 only if v becomes x0 + x1 + 2(1 - v) >= 2; t == max(x0, x1)
    becomes t - x0 >= 0 and t - x1 >= 0."""
    lm = LinearModel()
    start = lm.new_block(2)
    v = lm.new_bool_var()
    t = lm.new_bool_var()
    pair = Lin(np.array([start, start + 1]), np.ones(2, np.int64))
    lm.add(pair >= 2).only_enforce_if(v)
    lm.add_max_equality(t, [Lin(np.array([start]), np.ones(1, np.int64)),
                            Lin(np.array([start + 1]), np.ones(1, np.int64))])
    rows = relaxation_rows(lm)
    dense = np.zeros((len(rows.lo), lm.n_cols))
    np.add.at(dense, (rows.r, rows.c), rows.v)
    assert dense.tolist() == [[1, 1, -2, 0], [-1, 0, 0, 1], [0, -1, 0, 1]]
    assert rows.lo.tolist() == [0, 0, 0]
    assert np.isinf(rows.hi).all()


def test_a_dropped_column_has_no_cpsat_variable() -> None:
    """Asking the CP-SAT view for a dropped column's variable is a KeyError, not an assert."""
    lm = LinearModel()
    kept, dropped = lm.new_bool_var(), lm.new_bool_var()
    view = CpView(lm, np.array([True, False]))
    assert view.var(kept.col) is not None
    with pytest.raises(KeyError, match="not kept"):
        view.var(dropped.col)


def test_merged_adds_up_scattered_columns_exactly() -> None:
    """A short unsorted row (with and without repeats) merges to its columns' sums, sorted, zeros dropped."""
    rng = np.random.default_rng(3)
    for _ in range(200):
        n = int(rng.integers(1, 12))
        idx = rng.integers(0, 10_000, n) if rng.random() < 0.5 else rng.integers(0, 5, n) * 997
        coef = rng.integers(-3, 4, n)
        got = Lin(idx, coef, 7).merged()
        want: dict[int, int] = {}
        for i, k in zip(idx.tolist(), coef.tolist(), strict=True):
            want[i] = want.get(i, 0) + k
        want = {i: k for i, k in want.items() if k}
        assert got.idx.tolist() == sorted(want) and got.coef.tolist() == [want[i] for i in sorted(want)]
        assert got.const == 7 and got.coef.dtype == np.int64


def test_unit_coefficients_are_shared_and_read_only() -> None:
    """`ones` hands out views of one array, which no row may write to."""
    from solver.linear import ones

    a = ones(5000)
    assert a.tolist() == [1] * 5000 and not a.flags.writeable


def test_big_m_rows_are_the_merged_lin_sums() -> None:
    """The relaxation's big-M and max rows (written without merging whole rows) equal
    lin + k * off and target - e merged, whatever the literals: in the row, negated, several."""
    from solver.relaxation import big_m, with_column

    rng = np.random.default_rng(5)
    for _ in range(300):
        n = int(rng.integers(0, 8))
        lin = Lin(rng.choice(20, n, replace=False), rng.integers(-3, 4, n), int(rng.integers(-2, 3))).merged()
        lits = [(int(rng.integers(0, 22)), bool(rng.random() < 0.5)) for _ in range(int(rng.integers(1, 3)))]
        k = int(rng.integers(-4, 5))
        off = Lin.of(0)
        for col, neg in lits:
            one = Lin(np.array([col]), np.ones(1, np.int64))
            off = off + (Lin.of(0) + one if neg else 1 - one)
        want = (lin + k * off).merged()
        idx, coef, const = big_m(lin, lits, k)
        assert (idx.tolist(), coef.tolist(), const) == (want.idx.tolist(), want.coef.tolist(), want.const)
        target = int(rng.integers(0, 22))
        want = (Lin(np.array([target]), np.ones(1, np.int64)) - lin).merged()
        idx, coef = with_column(lin.idx, -lin.coef, target, 1)
        assert idx.tolist() == want.idx.tolist() and coef.tolist() == want.coef.tolist()


def test_values_of_many_expressions_are_each_value() -> None:
    """`values` (one pass over many expressions) gives `value` of each: sums, a column, a constant."""
    from solver.linear import Var, value, values

    rng = np.random.default_rng(7)
    vals = rng.integers(0, 3, 30)
    exprs = [Lin(rng.choice(30, 4, replace=False), rng.integers(-5, 6, 4), 3), Var(4), 2,
             Lin(np.zeros(0, np.int64), np.zeros(0, np.int64), -1), Lin(np.array([1, 1]), np.array([2, 5]))]
    assert values(exprs, vals) == [value(e, vals) for e in exprs]
