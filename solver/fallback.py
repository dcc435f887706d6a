"""A slate when the budget is short: the LP relaxation was cut short (or not
started), so nothing bounds the pairs and plain CP-SAT over every pair finds no
slate in seconds (c20-1000: none in 6 s). CP-SAT over few pairs does: each
seat group's and each cadre's best by their own points, ties broken at random,
more of them while those admit no slate.

Its status is honest: OPTIMAL only when CP-SAT had every pair, or when the
slate's score reaches a bound the relaxation proved before it was stopped (valid
for any duals); otherwise FEASIBLE, with the best bound known.
"""

from __future__ import annotations

import math

import numpy as np

from model.slate import SolveStats, SolveStatus
from solver.budget import Checkpoint, CutShort
from solver.build import Builder
from solver.cpsat import CpView
from solver.linear import INF, LinearModel, value
from solver.relaxation import Bound, best_per_group
from solver.run import FOUND, Run, Workers, run_cpsat
from solver.stop import Stop

FEW_PAIRS = (5, 2)
"""Pairs per seat group and per cadre in the first model of `few_pairs_slate`;
each model after it has twice as many. Measured (2 cores, idle; CP-SAT's time to
prove the model's best): with 5 and 2, c20-1000 1609 points in 0.20 s (the
optimum is 1695), c40-2000 3264 in 0.24 s, h17-2000-w80 4088 in 0.35 s, the
5,000-cadre county 8056 in 1.0 s (optimum 8739). With 5 and 1 each was about
half as fast, but scored less (1466, 2953) and had no slate at all on the last
two (proven in 0.2 and 0.4 s), so the next model came only after that."""

Missing = Bound(INF, np.zeros(0), None, np.zeros(0), 0, 0, 0.0)
"""The relaxation of a run that had no time for one: no bound, no support."""


def few_pairs(b: Builder, had: Bound, stop: Stop, how: Workers, check: Checkpoint,
              leaning: bool) -> tuple[SolveStatus, np.ndarray | None, SolveStats]:
    """The first slate when the LP relaxation was cut short (`had`: what it had
    then), with the pairs of its last solution among the few: its status, its
    columns' values (None: no slate) and its stats. A slate `leaning` toward
    another is not proven by the relaxation, which does not bound closeness."""
    check.enter("cpsat_model")
    also = had.primal[: b.n_pairs] > 1e-6 if had.lp_value is not None else None
    run, vals, pairs, every = few_pairs_slate(b.model, b.pair_group, b.pair_cadre, stop, how, check, also)
    if vals is None:
        status = run.status if every or run.status == SolveStatus.MODEL_INVALID else SolveStatus.UNKNOWN
        return status, None, SolveStats(status=status, wall_time=run.wall_time, pairs=pairs)
    obj = float(value(b.objective, vals))
    ceiling = math.floor(had.value + 1e-6) if had.lp_value is not None and had.value < INF else None
    proven = (every and run.status == SolveStatus.OPTIMAL) or \
        (not leaning and ceiling is not None and obj >= ceiling)
    bound = obj if proven else min(most(b), INF if ceiling is None else ceiling)  # both proven
    status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
    gap = abs(bound - obj) / max(1.0, abs(obj))
    return status, vals, SolveStats(status=status, objective=obj, bound=bound, gap=gap,
                                    wall_time=run.wall_time, pairs=pairs)


def most(b: Builder) -> float:
    """A bound on any slate's score without a relaxation: each column at its
    better bound (the relaxation's bound with all duals 0; weak, but proven)."""
    lb, ub = b.model.bounds()
    e = b.objective
    return float(e.const + np.maximum(e.coef * lb[e.idx], e.coef * ub[e.idx]).sum())


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
    hinted = lm.hint_cols[(lm.hint_cols < n_pairs) & (lm.hint_vals != 0)]
    keep[hinted] = True
    if also is not None:
        keep[:n_pairs] |= also
    return keep


def best_of_each(score: np.ndarray, owner: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest-scoring entries of each owner (a cadre's pairs are
    spread over the groups): one stable sort by owner, then score high first,
    on one key (a lexsort of a 5,000-cadre county's pairs takes a second)."""
    if len(score) == 0:
        return np.zeros(0, dtype=np.int64)
    top = float(score.max())
    span = top - float(score.min()) + 1.0
    order = np.argsort(owner.astype(np.float64) * span + (top - score), kind="stable")
    o = owner[order]
    at = np.arange(len(o))
    start = np.ones(len(o), dtype=bool)
    start[1:] = o[1:] != o[:-1]
    first = np.maximum.accumulate(np.where(start, at, 0))
    return order[at - first < k]


def few_pairs_slate(lm: LinearModel, groups: np.ndarray, cadres: np.ndarray, stop: Stop, how: Workers,
                    check: Checkpoint | None = None, also: np.ndarray | None = None,
                    ) -> tuple[Run, np.ndarray | None, int, bool]:
    """A slate when the LP relaxation had no time to bound the pairs: CP-SAT over
    each group's and each cadre's best few pairs by objective coefficient, twice
    as many while those admit no slate, and, while time is left, twice as many
    again once CP-SAT has proven the best slate of the few (hinted with it, so a
    slate found is never lost: an anytime ladder). Returns the run of the best
    slate, its columns' values (None: no slate), the pairs it was given, and
    whether those were all the pairs (only then is its OPTIMAL or INFEASIBLE the
    model's own)."""
    per_group, per_cadre = FEW_PAIRS
    best: tuple[Run, np.ndarray | None, int, bool] | None = None
    n_pairs = len(groups)
    while True:
        wider = also.copy() if also is not None else np.zeros(n_pairs, dtype=bool)
        if best is not None and best[1] is not None:
            wider |= best[1][:n_pairs] == 1
        keep = top_pairs(lm, groups, cadres, per_group, per_cadre, wider)
        pairs = int(keep[:n_pairs].sum())
        every = pairs == n_pairs
        try:
            view = CpView(lm, keep, check)
        except CutShort:
            if best is None or best[1] is None:
                raise
            return best
        if best is not None and best[1] is not None:
            view.apply_hints(best[1])
        run = run_cpsat(view.model, stop, how)
        if run.status in FOUND and run.solver is not None:
            vals = view.values(run.solver)
            if best is None or best[1] is None or better(lm, vals, best[1]):
                best = (run, vals, pairs, every)
            if run.status != SolveStatus.OPTIMAL or every or stop.should_stop():
                return best
        elif best is not None and best[1] is not None:
            return best  # no time for the wider model: the slate of the narrower one stands
        elif run.status != SolveStatus.INFEASIBLE or every or stop.should_stop():
            return run, None, pairs, every
        per_group, per_cadre = 2 * per_group, 2 * per_cadre


def better(lm: LinearModel, a: np.ndarray, b: np.ndarray) -> bool:
    """Slate a scores above slate b on the model's objective."""
    va, vb = value(lm.objective, a), value(lm.objective, b)
    return va > vb if lm.maximizing else va < vb
