"""How much memory a solve will take, estimated before the model is built, and
the refusal above a bound.

The pairs the must rules, bans and pins allow are known after the cheap first
step of the build (solver/build.py, `drop_forbidden_pairs`: numpy masks, well
under a second for 100,000 cadres); everything large after it grows with them:
a column per pair, about five row entries per pair (a seat group's fill row,
the cadre's sit-once row, the count rules' rows, the objective), the LP
relaxation's copy of those entries, and the CP-SAT model of the pairs the LP
keeps. So the peak is estimated as

    MB = BASE_MB + PER_PAIR_BYTES * pairs / 2**20 + PER_CADRE_BYTES * cadres / 2**20

with the constants fitted on generated counties of the xx-2011 ruleset
(benchmarks/overrun.py prints the measured peak beside the estimate):

    county        pairs       measured peak   estimate   peak/estimate
    12 x 20,000    1,290,258     737 MB          892 MB     0.83
    12 x 100,000   6,471,896    3197 MB         3471 MB     0.92
    40 x 100,000  22,868,729   10059 MB        10664 MB     0.94

The estimate errs high: a measured peak lay within `FACTOR` below it. A
ruleset with many more count rules writes more row entries per pair and may
need more. The relaxation keeps its entries compact (8 bytes each, columns and
coefficients as 32-bit numbers, a row's entries one slice; before: 16), which
took the LP's peak on 100 x 5,000 (2,049,456 pairs) from 1,057 to 957 MB; the
constants above are left as fitted, so the estimate still errs high there.
It does not cover a county whose search builds CP-SAT over a large share of
the pairs: on that county the LP's duals leave 238,500 pairs at a reduced cost
of 0, and CP-SAT over them peaked at 2,388 MB against an estimate of 1,168 MB.
The township bound (solver/townships.py) now proves the support's slate best
there, so that model is never built: 1,127-1,306 MB at the peak, and 967 MB
since freed memory is given back after each large phase (`give_back`; measured by
benchmarks/growth.py).
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from model.reasons import Reason, reason

MAX_MEMORY_MB = 8192.0
"""The default bound (MB) above which a solve is refused before it builds."""

BASE_MB = 250.0
"""The interpreter, OR-Tools, the scenario and the referee's view."""

PER_PAIR_BYTES = 460.0
"""Per allowed (cadre, seat group) pair, at the peak (the LP relaxation)."""

PER_CADRE_BYTES = 4000.0
"""Per cadre: the scenario's records and the pool's arrays."""

FACTOR = 1.25
"""On the calibration counties the estimate was at most this factor above the measured peak
(and never below it)."""


@dataclass(frozen=True)
class Estimate:
    """The sizes an estimate was made from, and the estimate (MB)."""

    cadres: int
    groups: int
    pairs: int
    megabytes: float


def estimate(cadres: int, groups: int, pairs: int) -> Estimate:
    """The peak memory of building and solving a model with this many pairs."""
    mb = BASE_MB + (PER_PAIR_BYTES * pairs + PER_CADRE_BYTES * cadres) / 2**20
    return Estimate(cadres=cadres, groups=groups, pairs=pairs, megabytes=mb)


class MemoryBoundExceeded(Exception):
    """A solve refused before its build: its estimated peak memory is above the
    bound. Carries the estimate, the bound and what to do, as data (`reason()`)."""

    ADVICE = ("fewer_townships", "smaller_pool", "higher_bound")
    """What brings a run under the bound: fewer townships per run, a smaller pool
    (or more must rules, bans and pins, which drop pairs), or a higher bound."""

    def __init__(self, found: Estimate, bound_mb: float) -> None:
        super().__init__(
            f"a solve of {found.cadres} cadres x {found.groups} seat groups ({found.pairs} pairs) "
            f"needs about {found.megabytes:.0f} MB, above the bound of {bound_mb:.0f} MB; "
            "solve fewer townships per run, use a smaller pool, or raise the bound (--max-memory)")
        self.estimate, self.bound_mb = found, bound_mb

    def reason(self) -> Reason:
        """The refusal as data (worded in service/render/limits.py)."""
        e = self.estimate
        return reason("memory_bound", estimate_mb=round(e.megabytes), bound_mb=round(self.bound_mb),
                      cadres=e.cadres, groups=e.groups, pairs=e.pairs, advice=list(self.ADVICE))


def refuse_above(found: Estimate, bound_mb: float | None) -> None:
    """Raise `MemoryBoundExceeded` when the estimate is above the bound (None: no bound)."""
    if bound_mb is not None and found.megabytes > bound_mb:
        raise MemoryBoundExceeded(found, bound_mb)


TRIM_FROM = 200_000
"""Below this many entries (pairs, row entries) a phase's temporaries are a few MB:
the heap keeps them for the next phase, and the trim (0.2-0.5 ms each on
c05-250, three per solve) is skipped."""


def give_back(entries: int | None = None) -> None:
    """Hand the memory freed so far back to the system. glibc keeps freed blocks
    below its (self-raising) mmap threshold in the heap, so the temporaries of the
    build and of the relaxation's rows stay in the process's footprint after they
    are freed: on 100 x 5,000 the relaxation's rows left 220 MB so, given back in
    10 ms. Called after each large phase, so the next one's peak does not stand on
    them; `entries` (None: unknown) is the size of the phase, skipped below
    `TRIM_FROM`. A no-op where the C library has no `malloc_trim`."""
    if entries is not None and entries < TRIM_FROM:
        return
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None

