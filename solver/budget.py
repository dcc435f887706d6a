"""The run's budget between the steps: a long build step asks the run's `Stop`
(solver/stop.py) whether to go on, and a run whose time is up is cut short
where it is, not after the step.

CP-SAT and GLOP get the time left as their own limits; what they cannot bound
is the Python around them (reading the pool, writing millions of columns and
rows, the LP's rows, the CP-SAT model). A `Checkpoint` is asked between those
steps and every `EVERY` rows or columns inside them; when the run must stop it
raises `CutShort`, which the verb turns into an UNKNOWN result with the reason
`cut_short` (the step, the seconds used, the time limit) when no slate was found.
"""

from __future__ import annotations

import math
from time import perf_counter

from model.reasons import Reason, reason
from solver.stop import Stop

EVERY = 4096
"""Rows or columns written between two looks at the clock inside a long loop
(a look costs about 0.1 microsecond; 4,096 rows take about 5 ms to write)."""

STEPS = ("pool", "pairs", "variables", "constraints", "objective", "prechecks", "lp_relaxation",
         "cpsat_model", "search")
"""The steps a run can be cut short in, in the order a solve runs them."""


class CutShort(Exception):
    """The run's budget ended during `step`, `seconds` after the run began."""

    def __init__(self, step: str, seconds: float, time_limit: float | None = None) -> None:
        super().__init__(f"the run was cut short in step '{step}' after {seconds:.2f} s")
        self.step, self.seconds, self.time_limit = step, seconds, time_limit

    def reason(self) -> Reason:
        """The reason a cut-short run gives (worded in service/render/limits.py)."""
        args: dict[str, object] = {"step": self.step, "seconds": round(self.seconds, 2)}
        if self.time_limit is not None:
            args["time_limit"] = round(self.time_limit, 2)
        return reason("cut_short", **args)


class Checkpoint:
    """Asks a run's `Stop` between steps; `step` names the step under way, for
    the reason. Without a stop (a model built for a test) it never cuts."""

    def __init__(self, stop: Stop | None, step: str = "pool", time_limit: float | None = None) -> None:
        self.stop, self.step, self.time_limit = stop, step, time_limit
        self.t0 = perf_counter()
        self.count = 0

    def enter(self, step: str) -> None:
        """Start `step`, unless the run must end first."""
        self.check()
        self.step = step

    def check(self) -> None:
        """Raise CutShort when the run must end."""
        if self.should_stop():
            raise CutShort(self.step, perf_counter() - self.t0, self.time_limit)

    def should_stop(self) -> bool:
        return self.stop is not None and self.stop.should_stop()

    def remaining(self) -> float:
        """Seconds the run has left (math.inf without a stop)."""
        return math.inf if self.stop is None else self.stop.remaining()

    def tick(self, n: int = 1) -> None:
        """`n` more rows or columns written; looks at the clock every `EVERY`."""
        self.count += n
        if self.count >= EVERY:
            self.count = 0
            self.check()
