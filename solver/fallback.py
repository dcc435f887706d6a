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
from solver.budget import Checkpoint
from solver.build import Builder
from solver.cpsat import CpView
from solver.linear import INF, LinearModel, value
from solver.relaxation import Bound, best_per_group
from solver.run import FOUND, Run, Workers, run_cpsat
from solver.stop import Stop

FEW_PAIRS = (10, 2)
"""Pairs per seat group and per cadre in the first model of `few_pairs_slate`
(as many per group as the LP relaxation's first round starts from); each model
after an infeasible one has twice as many. Measured (2 cores, loaded): c20-1000
a slate in 0.3 s of CP-SAT, c40-2000 in 0.7 s, a 5,000-cadre county in 3.4 s."""

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
    bound = obj if proven else ceiling if ceiling is not None else most(b)
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
