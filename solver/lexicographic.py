"""The fewest broken `generally` rules first, then the best points: what big_m means.

big_m is above the widest spread of points (model/referee.py `big_m`), so the
best slate breaks as few `generally` instances as any slate can, and among
those has the most points. The joint objective says so, but its LP relaxation
does not: a violation literal v enters by big-M (count >= need - M v), and the
LP pays a fraction of big_m to break a rule by a fraction. The bound then sits
about one big_m too high and reduced-cost fixing keeps most pairs.

So the search runs with a cap row, breaks <= K, seen by the LP too. K starts
at 0: instances that no slate can meet are constants already (the pre-check in
`BuildState.record_shortfall`), so they are not in the row. A cap that admits
no slate is raised by one: proven by the LP (its bound below the least score a
slate with K breaks can have) or by CP-SAT (INFEASIBLE over every pair). Each
cap is the fewest breaks once the one below it is proven empty, so the first
slate found under cap K breaks exactly K (plus the constants), and every slate
breaking more scores below it: the bound of the capped model is a bound of all.
And since no slate breaks fewer than K, the row demands them: breaks = K, "the
best points with that count fixed". With the cap alone the LP still broke an
instance by a fraction: on a 1,000-cadre xx-2011 county with D1-K4 `generally`,
the county-wide ladder at 0.625, its bound -1,493 against the best slate's -3,420,
and the search unproven after 60 s; with the count fixed the bound is -3,417 and
the slate proven.
"""

from __future__ import annotations

from model.enums import Strength
from solver.linear import Lin, Row, lin_sum
from solver.relaxation import Bound
from solver.state import BuildState


class BreakCap:
    """The row breaks <= K over the `generally` instances that are not constants."""

    def __init__(self, b: BuildState) -> None:
        amounts = [Lin.of(r.amount) for r in b.recorded if r.spec.strength == Strength.generally]
        variable = [a for a in amounts if len(a.idx)]
        self.constant = sum(a.const for a in amounts if not len(a.idx))
        self.big_m = b.big_m
        self.k = 0
        self.row: Row | None = None
        self.most = 0
        if variable:
            breaks = lin_sum(variable).merged()
            self.most = b.most(breaks)
            self.row = b.model.add(breaks <= 0)

    @property
    def capped(self) -> bool:
        """The row still binds: some slate may break more than K."""
        return self.row is not None and self.k < self.most

    def raise_cap(self) -> None:
        """Allow one break more and demand it: K - 1 is proven empty, so every slate
        breaks K or more, and the row becomes breaks = K (the caller rebuilds what
        read the row: LP, CP-SAT view)."""
        assert self.row is not None
        self.k += 1
        self.row.lo = self.row.hi = self.k

    def empty(self, bound: Bound) -> bool:
        """The LP proves no slate breaks K or fewer: its bound is below the least
        score such a slate has (points above -big_m, K + constants breaks)."""
        least = -self.big_m * (self.k + self.constant + 1)
        return self.capped and bound.value < least
