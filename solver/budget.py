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
from dataclasses import dataclass
from time import perf_counter

from model.reasons import Reason, reason
from solver.stop import Share, Stop

EVERY = 4096
"""Rows or columns written between two looks at the run's stop inside a long loop
(a look costs about 0.1 microsecond; 4,096 rows take about 5 ms to write)."""

LOOK_SECONDS = 0.005
"""And at most this long between two looks, whatever the counts say: a tick's
count is a guess of its work (a count rule's group over a 5,000-cadre pool ran
75 ms between two looks on the counts alone). The clock read per tick costs
about 0.15 microsecond, 3 ms in a 5,000-cadre build's 21,000 ticks."""

POOL_PER_TICK = 64
"""Cadres of the pool read (a group's sum over a mask) in the time of one
column written: a 5,000-cadre county's count rules looked at the clock every
0.36 s when a whole pool counted as two columns."""

STEPS = ("pool", "pairs", "variables", "constraints", "objective", "prechecks", "lp_relaxation",
         "cpsat_model", "search")
"""The steps a run can be cut short in, in the order a solve runs them."""

REFEREE_PER_BUILD = 0.6
"""The referee's check of a slate takes about this share of the model's build
time (c05-250 to c40-2000 and a 5,000-cadre county: 0.3-0.9; both read every
cadre against every seat), so it is measured on the machine and load of the
run itself. Set aside in full it would end most short runs early; the tenth
of the limit a run may go over takes the rest."""

FALLBACK_PER_BUILD = 2.0
"""A slate from few pairs (solver/fallback.py `few_pairs_slate`: its CP-SAT model
and CP-SAT's proof of its best) takes about twice the build time (c20-1000 0.25 s,
c40-2000 0.56 s; the build was made about twice as fast after this was first
fitted at 1.0, and with 1.0 the 5,000-cadre county at 5 s lost its slate)."""

LP_SETUP_PER_BUILD = 1.0
"""The LP relaxation's rows and first columns take about the build time or twice
it (c20-1000 0.28 s for 0.16-0.34 s before the build was made twice as fast; a
5,000-cadre county now 1.7 s for 0.8-1.0 s): a relaxation given less than this is
not started. Kept at 1.0: at 2.0 c20-1000 with 0.5 s lost its proven slate."""

LP_SHARE_TOP = 0.5
"""With more than one slate asked, the relaxation may take this share of what
the search can spare; the slates after the first need time of their own."""

MIN_RESERVE = 0.02
"""A part of the budget below this is not set aside: it is within any limit's
tenth (the shortest limit, 0.5 s, allows 0.05 s over)."""


def set_aside(seconds: float) -> float:
    return 0.0 if seconds < MIN_RESERVE else seconds


@dataclass(frozen=True)
class Plan:
    """How a solve spends its budget once the model is built, from the build's
    own time (`build_seconds`, the yardstick of this machine and load):

    - `search`: the run's stop with the referee's part of the budget left out, so
      the last slate is judged within the time limit; every CP-SAT call and model
      after the build gets its time from it;
    - `lp_seconds`: what the LP relaxation may take (0: not started), all the
      search can spare but what a slate from few pairs needs after it (the
      slate a relaxation cut short falls back on; a relaxation that ends in
      time leaves it to the search from its support);
    - `lp_stop`: the relaxation's own end (its setup is cut there too).
    """

    search: Stop
    lp_seconds: float
    lp_stop: Stop

    @staticmethod
    def of(run: Stop, build_seconds: float, top: int = 1) -> Plan:
        search = Share(run, set_aside(REFEREE_PER_BUILD * build_seconds))
        left = search.remaining()
        after = set_aside(FALLBACK_PER_BUILD * build_seconds)
        if math.isinf(left):
            return Plan(search, math.inf, search)
        spare = max(0.0, left - after) * (1.0 if top <= 1 else LP_SHARE_TOP)
        if spare < LP_SETUP_PER_BUILD * build_seconds:
            spare = 0.0
        return Plan(search, spare, Share(search, left - spare))


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
        self.look_at = self.t0 + LOOK_SECONDS

    def on(self, stop: Stop | None) -> Checkpoint:
        """This checkpoint (its step, clock and limit) asking `stop` instead: a
        step with its own end within the run's."""
        other = Checkpoint(stop, self.step, self.time_limit)
        other.t0 = self.t0
        return other

    def enter(self, step: str) -> None:
        """Start `step`, unless the run must end first."""
        self.check()
        self.step = step

    def check(self) -> None:
        """Raise CutShort when the run must end."""
        self.look_at = perf_counter() + LOOK_SECONDS
        if self.should_stop():
            raise CutShort(self.step, perf_counter() - self.t0, self.time_limit)

    def should_stop(self) -> bool:
        return self.stop is not None and self.stop.should_stop()

    def remaining(self) -> float:
        """Seconds the run has left (math.inf without a stop)."""
        return math.inf if self.stop is None else self.stop.remaining()

    def tick(self, n: int = 1) -> None:
        """`n` more rows or columns written; looks at the run's stop every `EVERY`,
        or `LOOK_SECONDS` after the last look."""
        self.count += n
        if self.count >= EVERY or perf_counter() >= self.look_at:
            self.count = 0
            self.check()
