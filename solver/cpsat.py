"""The linear model as a CP-SAT model, over the columns kept.

A column not kept is a pair fixed to 0: it is left out of every row, and a
literal on it is false. Kept columns become CP-SAT variables in column order,
so a solution maps back to the linear model's columns without any lookup.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from solver.budget import EVERY, Checkpoint
from solver.linear import INF, Lin, LinearModel, Lit, Row


def bound(v: float) -> int:
    if v == INF:
        return cp_model.INT_MAX
    if v == -INF:
        return cp_model.INT_MIN
    return int(v)


class CpView:
    """`check` (solver/budget.py) is asked as columns and rows are written: a
    CP-SAT model of millions of pairs takes a minute to make in Python."""

    def __init__(self, lm: LinearModel, keep: np.ndarray | None = None,
                 check: Checkpoint | None = None) -> None:
        self.lm = lm
        lb, ub = lm.bounds()
        self.keep = np.ones(lm.n_cols, dtype=bool) if keep is None else keep
        self.cols = np.flatnonzero(self.keep)
        self.model = cp_model.CpModel()
        self.vars: list[cp_model.IntVar | None] = [None] * lm.n_cols
        check = check if check is not None else Checkpoint(None)
        lo_kept, hi_kept = lb[self.cols].tolist(), ub[self.cols].tolist()
        for c, lo, hi in zip(self.cols.tolist(), lo_kept, hi_kept, strict=True):
            self.vars[c] = self.model.new_bool_var("") if (lo, hi) == (0, 1) \
                else self.model.new_int_var(lo, hi, "")
            check.tick()
        for row in lm.rows:
            self.add_row(row)
            check.tick(1 + len(row.lin.idx) // EVERY)
        for mx in lm.maxes:
            self.model.add_max_equality(self.vars[mx.target], [self.expr(e) for e in mx.exprs])
        self.set_objective()
        for c, v in lm.hints.items():
            if self.keep[c]:
                self.model.add_hint(self.vars[c], v)

    def apply_hints(self, vals: np.ndarray) -> None:
        """Hint every kept column with its value in `vals`."""
        self.model.clear_hints()
        for c in self.cols.tolist():
            self.model.add_hint(self.vars[c], int(vals[c]))

    def expr(self, lin: Lin) -> cp_model.LinearExprT:
        k = self.keep[lin.idx]
        idx, coef = lin.idx[k], lin.coef[k]
        if len(idx) == 0:
            return lin.const
        vs = [self.vars[c] for c in idx.tolist()]
        return cp_model.LinearExpr.weighted_sum(vs, coef.tolist()) + lin.const

    def literals(self, lits: list[Lit]) -> list[cp_model.LiteralT] | None:
        """CP-SAT literals; None when one is on a dropped column (fixed false)."""
        out = []
        for c, neg in lits:
            if not self.keep[c]:
                if neg:
                    continue  # not x, with x fixed to 0: always true
                return None
            v = self.vars[c]
            out.append(~v if neg else v)
        return out

    def add_row(self, row: Row) -> None:
        enforce = self.literals(row.enforce)
        if enforce is None:
            return
        k = self.keep[row.lin.idx]
        idx, coef = row.lin.idx[k], row.lin.coef[k]
        if len(idx) == 0:  # a constant row: true, or false unless an enforcement fails
            if not row.lo <= 0 <= row.hi:
                self.model.add_bool_or([~x for x in enforce])
            return
        unit = row.kind != "linear" and bool(np.all(coef == 1))
        vs = [self.vars[c] for c in idx.tolist()]
        if unit and row.kind == "exactly_one":
            ct = self.model.add_exactly_one(vs)
        elif unit and row.kind == "at_most_one":
            if len(vs) < 2 and not enforce:
                return
            ct = self.model.add_at_most_one(vs)
        else:
            e = cp_model.LinearExpr.weighted_sum(vs, coef.tolist())
            ct = self.model.add_linear_constraint(e, bound(row.lo), bound(row.hi))
        if enforce:
            ct.only_enforce_if(enforce)

    def set_objective(self) -> None:
        obj = self.expr(self.lm.objective)
        if self.lm.maximizing:
            self.model.maximize(obj)
        else:
            self.model.minimize(obj)

    def values(self, solver: cp_model.CpSolver) -> np.ndarray:
        """Every column's value in the solver's solution (dropped pairs: 0)."""
        vals = np.zeros(self.lm.n_cols, dtype=np.int64)
        vals[self.cols] = np.array(solver.response_proto.solution, dtype=np.int64)[: len(self.cols)]
        return vals

    def var(self, col: int) -> cp_model.IntVar:
        """The CP-SAT variable of a kept column; a dropped column has none."""
        v = self.vars[col]
        if v is None:
            raise KeyError(f"column {col} is not kept in this CP-SAT view")
        return v
