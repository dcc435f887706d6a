"""The objective: points of the pairs chosen minus the cost of broken rules.

Terms (README, "The score"): merit, continuity and reserve points per pair;
big_m per broken `generally` instance; weight x amount per `prefer` instance.
A term whose weight is 0 adds nothing to the objective. In relax mode the
objective is instead the total slack (the smallest change to the rules).
"""

from __future__ import annotations

import numpy as np

from model.enums import Strength
from solver.linear import Expr, Lin, lin_sum
from solver.state import BuildState


def pair_points(b: BuildState) -> np.ndarray:
    """Each pair's own points (merit, continuity, reserve), by column."""
    w = b.sc.weights
    pool, c = b.pool, b.pair_cadre
    home = np.array([g.township for g in b.groups], dtype=np.int64)[b.pair_group]
    points = np.zeros(len(c), np.int64)
    for weight, per_pair in ((w.merit, lambda: pool.merit[c]),
                             (w.continuity, lambda: pool.sitting[c] & (pool.township[c] == home)),
                             (w.reserve, lambda: pool.reserve[c])):
        if weight:
            points += weight * per_pair().astype(np.int64)
    return points


def rule_costs(b: BuildState) -> list[Expr]:
    """-cost x amount for each recorded instance whose cost is above 0."""
    terms: list[Expr] = []
    for r in b.recorded:
        cost = b.big_m if r.spec.strength == Strength.generally else r.spec.weight
        if cost:
            terms.append(-cost * r.amount)
    return terms


def set_objective(b: BuildState) -> None:
    """Maximize the points minus the rule costs (`b.objective` keeps the expression)."""
    points = pair_points(b)
    cols = np.flatnonzero(points)
    b.objective = lin_sum([Lin(cols, points[cols]), *rule_costs(b)]).merged()
    b.model.maximize(b.objective)


def minimize_slack(b: BuildState) -> None:
    """Relax mode: the least total shortfall of must count rules and dropped pins."""
    b.model.minimize(sum(b.slack.values()))
