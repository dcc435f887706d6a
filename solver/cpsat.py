"""The linear model as a CP-SAT model, over the columns kept.

A column not kept is a pair fixed to 0: it is left out of every row, and a
literal on it is false. Kept columns become CP-SAT variables in column order,
so a solution maps back to the linear model's columns without any lookup.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from solver.budget import Checkpoint
from solver.linear import INF, Lin, LinearModel, Lit, Row

ENTRIES_PER_TICK = 8
"""Row entries written in the time of one column (0.5 against 3 microseconds):
a row counts as this many columns toward the next look at the clock."""


class CpModel(cp_model.CpModel):
    """CP-SAT's model without its pre-PEP8 aliases: `cp_model.CpModel()` sets a
    camelCase alias of each of its methods on the new instance, 0.3-0.5 ms a
    model, as long as a support's CP-SAT solve on c05-250 (a ranking makes a
    model per forced solve). Nothing here calls the aliases."""

    def _add_pre_pep8_methods(self) -> None:
        pass


def bound(v: float) -> int:
    if v == INF:
        return cp_model.INT_MAX
    if v == -INF:
        return cp_model.INT_MIN
    return int(v)


class CpView:
    """`check` (solver/budget.py) is asked as columns and rows are written: a
    CP-SAT model of millions of pairs takes a minute to make in Python. It is
    asked before each long step (a row by its length, the objective, the hints),
    so a step is not begun once the run's time is up."""

    def __init__(self, lm: LinearModel, keep: np.ndarray | None = None,
                 check: Checkpoint | None = None, ones: np.ndarray | None = None) -> None:
        """`ones`: pair columns fixed to 1 (`Bound.fixed`), None: none."""
        self.lm = lm
        lb, ub = lm.bounds()
        if ones is not None:
            lb = lb.copy()
            lb[: len(ones)][ones] = 1
        self.ones = ones
        self.keep = np.ones(lm.n_cols, dtype=bool) if keep is None else keep
        self.cols = np.flatnonzero(self.keep)
        self.model = CpModel()
        self.vars: list[cp_model.IntVar | None] = [None] * lm.n_cols
        self.check = check = check if check is not None else Checkpoint(None)
        lo_kept, hi_kept = lb[self.cols].tolist(), ub[self.cols].tolist()
        for c, lo, hi in zip(self.cols.tolist(), lo_kept, hi_kept, strict=True):
            self.vars[c] = self.model.new_bool_var("") if (lo, hi) == (0, 1) \
                else self.model.new_int_var(lo, hi, "")
            check.tick()
        # Kept columns are CP-SAT's first variables, in column order: column cols[i] is variable i.
        self.index = np.full(lm.n_cols, -1, dtype=np.int64)
        self.index[self.cols] = np.arange(len(self.cols))
        for row in lm.rows:
            check.tick(1 + len(row.lin.idx) // ENTRIES_PER_TICK)
            self.add_row(row)
        for mx in lm.maxes:
            check.tick(1 + sum(len(e.idx) for e in mx.exprs) // ENTRIES_PER_TICK)
            self.model.add_max_equality(self.vars[mx.target], [self.expr(e) for e in mx.exprs])
        check.check()
        self.set_objective()
        check.check()
        if len(lm.hint_cols):
            self.write_hints(lm.hint_cols, lm.hint_vals)

    def apply_hints(self, vals: np.ndarray) -> None:
        """Hint every kept column with its value in `vals`."""
        self.model.clear_hints()
        self.write_hints(self.cols, np.asarray(vals)[self.cols])

    def write_hints(self, cols: np.ndarray, vals: np.ndarray) -> None:
        """Hints on columns (those not kept are skipped), written to the model at
        once: one add_hint per column costs 3 microseconds, a minute on a province."""
        at = self.index[cols]
        k = at >= 0
        hint = self.model.model_proto.solution_hint
        hint.vars.extend(at[k].tolist())
        hint.values.extend(np.asarray(vals, dtype=np.int64)[k].tolist())

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
        unit = row.kind != "linear" and bool((coef == 1).all())
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
        """The objective written to the model at once (what `maximize` does term
        by term in Python: 0.23 s for 75,000 pairs); the objective is merged, so
        each variable appears once."""
        lin = self.lm.objective
        k = self.keep[lin.idx]
        sign = -1 if self.lm.maximizing else 1  # CP-SAT minimizes; a maximum is a scaled minimum
        self.model.clear_objective()
        obj = self.model.model_proto.objective
        obj.vars.extend(self.index[lin.idx[k]].tolist())
        obj.coeffs.extend((sign * lin.coef[k].astype(np.int64)).tolist())
        obj.offset = float(sign * lin.const)
        obj.scaling_factor = float(sign)

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

