"""The objective: points of the pairs chosen minus the cost of broken rules.

Terms (README, "The score"): merit, continuity and reserve points per pair;
the cost of a sitting member left out (`left_out`), linear as w x (pairs chosen
of the cadre) - w: a bonus of w on each of their pairs and a constant;
big_m per broken `generally` instance; weight x amount per `prefer` instance.
A term whose weight is 0 adds nothing to the objective. In relax mode the
objective is instead the total slack (the smallest change to the rules).
"""

from __future__ import annotations

import numpy as np

from model.enums import Strength
from model.leavers import kept_members
from model.score import continuity_posts
from solver.facts import POSTS
from solver.linear import Lin
from solver.state import BuildState

TERM_TICKS = 64
"""A rule instance's cost term, or a cadre's usual steps, in columns written
(`Checkpoint.tick`): each takes tens of microseconds, so the clock is looked
at every 64 of them (a 5,000-cadre county ran 0.3 s between two looks)."""


def continuing(b: BuildState) -> np.ndarray:
    """Per pair: the seat continues its cadre's career in the same township (连任 or a
    usual step, `model.score.continuity_posts`). Only sitting members' pairs can: the
    posts are read for them alone, and only at their own township's seats."""
    pool, c = b.pool, b.pair_cadre
    posts = np.zeros((pool.size, len(POSTS)), dtype=bool)
    for i in np.flatnonzero(pool.sitting).tolist():
        for p in continuity_posts(b.sc, b.sc.cadres[i]):
            posts[i, POSTS.index(p)] = True
        b.check.tick(TERM_TICKS)
    home = b.group_township[b.pair_group]
    at = np.flatnonzero(pool.sitting[c] & (pool.township[c] == home))
    main = np.array([g.main_post_index for g in b.groups], dtype=np.int64)
    out = np.zeros(len(c), dtype=bool)
    out[at] = posts[c[at], main[b.pair_group[at]]]
    return out


def stepping(b: BuildState, cont: np.ndarray | None = None) -> np.ndarray:
    """Per pair: a continuing seat (`cont`, from `continuing`) that is the usual step up,
    not the post held now (接任)."""
    held = b.pool.post[b.pair_cadre]
    main = np.array([g.main_post_index for g in b.groups], dtype=np.int64)[b.pair_group]
    return (continuing(b) if cont is None else cont) & (held != main)


def kept_mask(b: BuildState) -> np.ndarray:
    """Per cadre of the pool: a sitting member whom nothing removes (`model.leavers`)."""
    mask = np.zeros(b.pool.size, dtype=bool)
    mask[[b.cadre_index[c.id] for c in kept_members(b.sc, b.view)]] = True
    return mask


def pair_points(b: BuildState, kept: np.ndarray | None = None) -> np.ndarray:
    """Each pair's own points (merit, continuity, reserve, and the left-out cost
    taken back when the cadre is seated), by column. `kept`: `kept_mask(b)`, if known."""
    w = b.sc.weights_in_force
    pool, c = b.pool, b.pair_cadre
    points = np.zeros(len(c), np.int64)
    cont = continuing(b) if w.continuity or w.succession else None
    for weight, per_pair in ((w.merit, lambda: pool.merit[c]),
                             (w.continuity, lambda: cont),
                             (w.succession, lambda: stepping(b, cont)),
                             (w.reserve, lambda: pool.reserve[c]),
                             (w.left_out, lambda: (kept_mask(b) if kept is None else kept)[c])):
        if weight:
            points += weight * per_pair().astype(np.int64)
            b.check.check()
    return points


def left_out_cost(b: BuildState, kept: np.ndarray | None = None) -> int:
    """The constant of the left-out term: w for every sitting member whom nothing removes."""
    w = b.sc.weights_in_force.left_out
    return w * int((kept_mask(b) if kept is None else kept).sum()) if w else 0


def rule_costs(b: BuildState) -> Lin:
    """The sum of -cost x amount over the recorded instances whose cost is above 0,
    written at once (a product per instance took 30 ms on a 5,000-cadre county)."""
    idx: list[np.ndarray] = []
    coef: list[np.ndarray] = []
    costs: list[int] = []
    const = 0
    for r in b.recorded:
        cost = b.big_m if r.spec.strength == Strength.generally else r.spec.weight
        if cost:
            amount = Lin.of(r.amount)
            if len(amount.idx):
                idx.append(amount.idx)
                coef.append(amount.coef)
                costs.append(cost)
            const -= cost * amount.const
        b.check.tick(TERM_TICKS)  # thousands of instances on a large county
    if not idx:
        return Lin.of(const)
    per = np.repeat(np.array(costs, dtype=np.int64), [len(i) for i in idx])
    return Lin(np.concatenate(idx), -per * np.concatenate(coef), const)


def set_objective(b: BuildState) -> None:
    """Maximize the points minus the rule costs (`b.objective` keeps the expression)."""
    kept = kept_mask(b) if b.sc.weights_in_force.left_out else None
    points = pair_points(b, kept)
    b.check.check()  # each term reads every pair
    costs = rule_costs(b)
    b.check.check()
    # added up in place over the columns, the pairs' points as they are: merging the concatenated
    # terms (2.6 million on a 5,000-cadre county) took 0.1-0.3 s between two looks at the clock
    total = np.zeros(b.model.n_cols, dtype=np.int64)
    total[: len(points)] = points
    np.add.at(total, costs.idx, costs.coef)
    cols = np.flatnonzero(total)
    b.objective = Lin(cols, total[cols], costs.const - left_out_cost(b, kept))
    b.check.check()
    b.model.maximize(b.objective)


def minimize_slack(b: BuildState) -> None:
    """Relax mode: the least total shortfall of must count rules and dropped pins."""
    b.model.minimize(sum(b.slack.values()))
