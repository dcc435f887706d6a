"""What a run reports while it works, as data: each verb takes
`on_event: Callable[[Event], None]`, so a job can stream "best so far" and a
command line can print its own progress lines (service/cli.py).

`BetterSlate` comes from a CP-SAT solution callback, i.e. from a solver
thread, and only when a listener is given: a listener must be quick, and may
set a `Cancel` (solver/stop.py) to end the run with what it has.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from model.slate import Assignment, SolveStatus


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    seconds: float
    """Since the run started."""


class LpBound(_Event):
    """The LP relaxation is solved: `bound` caps every slate's score."""

    kind: Literal["lp_bound"] = "lp_bound"
    bound: float
    columns: int
    rounds: int
    lp_seconds: float
    simplex_seconds: float = 0.0
    """Of `lp_seconds`, GLOP's simplex rounds; the rest is writing the rows, pricing
    and adding columns (huanjie's own Python and numpy)."""


class ModelBuilt(_Event):
    kind: Literal["model_built"] = "model_built"
    seats: int
    pairs: int
    build_seconds: float


class BetterSlate(_Event):
    """CP-SAT found a better slate while searching for slate number `slate`
    (1-based); objective and bound in score units."""

    kind: Literal["better_slate"] = "better_slate"
    slate: int
    objective: float
    bound: float


class SlateJudged(_Event):
    """Slate `index` (1-based, in the order found) passed the referee; `assignments` are its
    seats, so a job shows the slates found so far before its run ends."""

    kind: Literal["slate_judged"] = "slate_judged"
    index: int
    status: SolveStatus
    objective: float | None
    pairs: int
    assignments: tuple[Assignment, ...] = ()


class ConflictFound(_Event):
    """explain_infeasible found a set of must rules that cannot hold together."""

    kind: Literal["conflict_found"] = "conflict_found"
    size: int
    minimal: bool


class RelaxationFound(_Event):
    """explain_infeasible found the cheapest relaxation (`changes` of them)."""

    kind: Literal["relaxation_found"] = "relaxation_found"
    changes: int


class CandidateTried(_Event):
    """recommend forced candidate `index` of `of` into the seat."""

    kind: Literal["candidate_tried"] = "candidate_tried"
    index: int
    of: int
    cadre: str
    possible: bool
    delta: int | None


Event = Annotated[
    LpBound | ModelBuilt | BetterSlate | SlateJudged | ConflictFound | RelaxationFound | CandidateTried,
    Field(discriminator="kind"),
]
OnEvent = Callable[[Event], None]


def ignore(_event: Event) -> None:
    """The listener of a run nobody listens to."""
