"""A what-if against its base: solve both, the what-if kept as near the base as
its best score allows, and the difference between the two best slates.

A what-if that only adds pins and bans restricts the base's slates, so it is
solved on the base solve's own model and bound (solver/warm.py), not built and
relaxed again; any other change (a removal, a rule, a weight) is a full solve.

One budget for both: the base gets half of it, the what-if the rest (and
whatever the base did not use)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from model.collector import collections_paused
from model.diff import SlateDiff, diff_slates
from model.scenario import Ban, Pin, Scenario
from model.slate import SolveResult
from solver.events import OnEvent
from solver.search import solve
from solver.stop import Stop, budget, share
from solver.warm import Prepared, prepare, solve_pinned

DEFAULT_TIME_LIMIT = 60.0


class Comparison(BaseModel):
    """Both results, and the diff of their best slates (None when either has none)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base: SolveResult
    other: SolveResult
    diff: SlateDiff | None = None


def added_restrictions(base: Scenario, other: Scenario) -> tuple[tuple[Pin, ...], tuple[Ban, ...]] | None:
    """The pins and bans `other` adds to `base`, when that (and its name) is all it
    changes; None otherwise."""
    if not (set(base.pins) <= set(other.pins) and set(base.bans) <= set(other.bans)):
        return None
    for name in type(base).model_fields:
        if name not in ("name", "pins", "bans") and getattr(base, name) != getattr(other, name):
            return None
    return (tuple(p for p in other.pins if p not in base.pins),
            tuple(b for b in other.bans if b not in base.bans))


@collections_paused()
def compare(base: Scenario, other: Scenario, time_limit: float | None = None, workers: int = 2,
            on_event: OnEvent | None = None, stop: Stop | None = None,
            prepared: Prepared | None = None) -> Comparison:
    """`prepared`: the base solved already (solver/warm.py `prepare`), kept across calls."""
    stop = budget(stop, time_limit, DEFAULT_TIME_LIMIT)
    p = prepared or prepare(base, share(stop, 0.5), workers, on_event)
    first = p.result
    change = added_restrictions(base, other)
    if change is not None and first.slates:
        second = solve_pinned(p, *change, stop, whatif=other, on_event=on_event)
    else:
        second = solve(other, workers=workers, on_event=on_event, near=p.best, stop=stop)
    if not (first.slates and second.slates):
        return Comparison(base=first, other=second)
    return Comparison(base=first, other=second, diff=diff_slates(first.slates[0], second.slates[0]))
