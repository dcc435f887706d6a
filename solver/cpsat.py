"""The linear model as a CP-SAT model, over the columns kept.

A column not kept is a pair fixed to 0: it is left out of every row, and a
literal on it is false. Kept columns become CP-SAT variables in column order,
so a solution maps back to the linear model's columns without any lookup.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from model.slate import SolveStatus
from solver.budget import Checkpoint
from solver.linear import INF, Lin, LinearModel, Lit, Row
from solver.relaxation import best_per_group
from solver.run import FOUND, Run, Workers, run_cpsat
from solver.stop import Stop

ENTRIES_PER_TICK = 8
"""Row entries written in the time of one column (0.5 against 3 microseconds):
a row counts as this many columns toward the next look at the clock."""


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
                 check: Checkpoint | None = None) -> None:
        self.lm = lm
        lb, ub = lm.bounds()
        self.keep = np.ones(lm.n_cols, dtype=bool) if keep is None else keep
        self.cols = np.flatnonzero(self.keep)
        self.model = cp_model.CpModel()
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
        if lm.hints:
            cols = np.fromiter(lm.hints.keys(), dtype=np.int64, count=len(lm.hints))
            vals = np.fromiter(lm.hints.values(), dtype=np.int64, count=len(lm.hints))
            self.write_hints(cols, vals)

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


FEW_PAIRS = (10, 2)
"""Pairs per seat group and per cadre in the first model of `few_pairs_slate`
(as many per group as the LP relaxation's first round starts from); each model
after an infeasible one has twice as many. Measured (2 cores, loaded): c20-1000
a slate in 0.3 s of CP-SAT, c40-2000 in 0.7 s, a 5,000-cadre county in 3.4 s."""


def top_pairs(lm: LinearModel, groups: np.ndarray, cadres: np.ndarray, per_group: int,
              per_cadre: int, also: np.ndarray | None = None) -> np.ndarray:
    """Columns to keep: each seat group's `per_group` pairs of highest objective
    coefficient, each cadre's best pairs (so a cadre that every group prefers
    does not leave the others with none, and every cadre a count rule needs is
    there), the pairs the model is hinted to use, the pairs `also` marks, and
    every column that is not a pair (`groups` and `cadres` are per pair column)."""
    n_pairs = len(groups)
    cost = np.bincount(lm.objective.idx, weights=lm.objective.coef.astype(float), minlength=lm.n_cols)
    keep = np.ones(lm.n_cols, dtype=bool)
    keep[:n_pairs] = False
    every = np.ones(n_pairs, dtype=bool)
    # Ties broken at random, not by index: pair coefficients take few values, and the first cadres
    # by index would otherwise be every group's few (the rules then find no slate among them).
    score = cost[:n_pairs] + np.random.default_rng(0).random(n_pairs) * 0.5
    keep[best_per_group(score, groups, every, per_group)] = True
    keep[best_of_each(score, cadres, per_cadre)] = True
    hinted = [c for c, v in lm.hints.items() if c < n_pairs and v]
    keep[hinted] = True
    if also is not None:
        keep[:n_pairs] |= also
    return keep


def best_of_each(score: np.ndarray, owner: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest-scoring entries of each owner (a cadre's pairs are
    spread over the groups: two stable argsorts, where a lexsort of the pairs of
    a 2,000-cadre county takes 0.12 s)."""
    order = np.argsort(-score, kind="stable")
    order = order[np.argsort(owner[order], kind="stable")]
    sorted_owner = owner[order]
    rank = np.arange(len(order)) - np.searchsorted(sorted_owner, sorted_owner, side="left")
    return order[rank < k]


def few_pairs_slate(lm: LinearModel, groups: np.ndarray, cadres: np.ndarray, stop: Stop, how: Workers,
                    check: Checkpoint | None = None, also: np.ndarray | None = None,
                    ) -> tuple[Run, np.ndarray | None, int, bool]:
    """A slate when the LP relaxation had no time to bound the pairs: CP-SAT over
    each group's and each cadre's best few pairs by objective coefficient, more
    of them while those admit no slate. Returns the last run, its columns'
    values (None: no slate), the pairs it was given, and whether those were all
    the pairs (only then is its OPTIMAL or INFEASIBLE the model's own)."""
    per_group, per_cadre = FEW_PAIRS
    while True:
        keep = top_pairs(lm, groups, cadres, per_group, per_cadre, also)
        pairs = int(keep[: len(groups)].sum())
        every = pairs == len(groups)
        view = CpView(lm, keep, check)
        run = run_cpsat(view.model, stop, how)
        if run.status in FOUND and run.solver is not None:
            return run, view.values(run.solver), pairs, every
        if run.status != SolveStatus.INFEASIBLE or every or stop.should_stop():
            return run, None, pairs, every
        per_group, per_cadre = 2 * per_group, 2 * per_cadre
