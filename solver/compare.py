"""A what-if against its base: solve both, the what-if kept as near the base as
its best score allows, and the difference between the two best slates.

One budget for both: the base gets half of it, the what-if the rest (and
whatever the base did not use)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from model.diff import SlateDiff, diff_slates
from model.scenario import Scenario
from model.slate import SolveResult
from solver.events import OnEvent
from solver.search import solve
from solver.stop import Stop, budget, share

DEFAULT_TIME_LIMIT = 60.0


class Comparison(BaseModel):
    """Both results, and the diff of their best slates (None when either has none)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base: SolveResult
    other: SolveResult
    diff: SlateDiff | None = None


def compare(base: Scenario, other: Scenario, time_limit: float | None = None, workers: int = 2,
            on_event: OnEvent | None = None, stop: Stop | None = None) -> Comparison:
    stop = budget(stop, time_limit, DEFAULT_TIME_LIMIT)
    first = solve(base, workers=workers, on_event=on_event, stop=share(stop, 0.5))
    near = first.slates[0] if first.slates else None
    second = solve(other, workers=workers, on_event=on_event, near=near, stop=stop)
    if not (first.slates and second.slates):
        return Comparison(base=first, other=second)
    return Comparison(base=first, other=second, diff=diff_slates(first.slates[0], second.slates[0]))
