"""A what-if against its base: solve both, the what-if kept as near the base as
its best score allows, and the difference between the two best slates."""

from __future__ import annotations

from model.diff import SlateDiff, diff_slates
from model.scenario import Scenario
from model.slate import SolveResult
from solver.search import solve


def compare(base: Scenario, other: Scenario, time_limit: float = 60.0, workers: int = 2,
            progress=None) -> tuple[SolveResult, SolveResult, SlateDiff | None]:
    first = solve(base, time_limit=time_limit, workers=workers, progress=progress)
    near = first.slates[0] if first.slates else None
    second = solve(other, time_limit=time_limit, workers=workers, progress=progress, near=near)
    if not (first.slates and second.slates):
        return first, second, None
    return first, second, diff_slates(first.slates[0], second.slates[0])
