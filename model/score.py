"""The score terms that are not rules, and what a seat change means.

Documented for users in the README ("The score"). Every term is an integer so
CP-SAT and the referee add up exactly the same number.
"""

from __future__ import annotations

from model.enums import Change
from model.people import Cadre
from model.reasons import Reason, reason
from model.ruleset import Seat
from model.scenario import Scenario


def is_continuity(sc: Scenario, c: Cadre, seat: Seat) -> bool:
    """A sitting member kept in the same township's team (留任)."""
    return c.sits_in(seat.township)


def merit_reason(c: Cadre) -> Reason:
    """The grades and votes behind a merit score: each grade with how often, in
    the order first met, and the recommendation share."""
    grades: dict[str, int] = {}
    for g in c.grades:
        grades[g.value] = grades.get(g.value, 0) + 1
    return reason("merit", grades=grades, recommendation_share=c.recommendation_share)


def bonus_terms(sc: Scenario, c: Cadre, seat: Seat) -> dict[str, tuple[int, Reason]]:
    """Points for putting cadre c in seat, by term, each with its reason (only
    non-zero terms)."""
    w = sc.weights
    terms = {
        "merit": (w.merit * c.merit, merit_reason(c)),
        "continuity": (w.continuity if is_continuity(sc, c, seat) else 0, reason("continuity")),
        "reserve": (w.reserve if c.reserve else 0, reason("reserve")),
    }
    return {k: v for k, v in terms.items() if v[0]}


def max_bonus(sc: Scenario) -> int:
    """An upper bound on the bonus points of one seat, over the whole pool."""
    w = sc.weights
    best_merit = max((c.merit for c in sc.cadres), default=0)
    return w.merit * best_merit + w.continuity + w.reserve


def change_of(sc: Scenario, c: Cadre, seat: Seat) -> Change:
    """留任 stays in the same township's team; 提拔 takes a seat of higher rank;
    交流 comes from another township's team; 新进 is new to township leadership
    at the same rank (e.g. from a county organ)."""
    if seat.rank.level > c.rank.level:
        return Change.promoted
    if is_continuity(sc, c, seat):
        return Change.stays
    if c.is_sitting:
        return Change.moved_in
    return Change.new
