"""Build the joint model of a whole county, as a linear model (solver/linear.py)
that CP-SAT and the LP relaxation both read.

The build runs in the order of PyJobShop's: the facts (`solver/facts.py`: the
pool and the seat groups; here also which pairs may exist at all), the
variables (`solver/variables.py`), the constraints family by family
(`solver/constraints.py`, the rules through `solver/encoders.py`), the
objective (`solver/objective.py`), and the cheap checks before any search
(`solver/prechecks.py`).

Columns x[c, j] exist only for the (cadre, seat) pairs that no `must` seated
rule, pin or ban forbids; they are columns 0 .. n_pairs - 1, group by group.
Every seat gets exactly one cadre; a cadre takes at most one seat in the
county, so cadres may move between townships (交流).
"""

from __future__ import annotations

import numpy as np

from model.enums import Strength
from model.reasons import Reason, reason
from model.scenario import Scenario
from solver.budget import Checkpoint
from solver.constraints import CONSTRAINTS
from solver.encoders import SEATED, seated_fail_masks
from solver.memory import Estimate, estimate, refuse_above
from solver.objective import minimize_slack, set_objective
from solver.prechecks import precheck
from solver.state import BuildState, Recorded
from solver.variables import make_variables

__all__ = ["Builder", "Recorded"]


class Builder(BuildState):
    """Holds the model while it is built; `build()` runs the steps in order."""

    def __init__(
        self, sc: Scenario, explain: bool = False, relax: bool = False, prefilter: bool = True,
        check: Checkpoint | None = None, max_memory_mb: float | None = None,
    ) -> None:
        """`explain`: must count rules and pins behind assumption literals (for a
        conflict core); `relax`: each must count rule may fall short by a slack
        shared by all its instances, and the objective is the total slack.
        `prefilter` false (a benchmark baseline only) makes a variable for every
        (cadre, seat) pair and forbids the ineligible ones by bounds. `check`
        cuts the build short when the run's time is up (CutShort); above
        `max_memory_mb` of estimated peak the build is refused once the pairs
        are known (MemoryBoundExceeded), before anything large is made."""
        super().__init__(sc, explain=explain, relax=relax, prefilter=prefilter, check=check)
        self.max_memory_mb = max_memory_mb
        self.memory: Estimate | None = None

    def build(self) -> Builder:
        self.check.enter("pairs")
        self.drop_forbidden_pairs()
        pairs = int(self.allowed.sum()) if self.prefilter else self.allowed.size
        self.memory = estimate(self.pool.size, len(self.groups), pairs)
        refuse_above(self.memory, self.max_memory_mb)
        self.check.enter("variables")
        self.vars = make_variables(self.model, self.pool, self.groups, self.allowed, self.prefilter)
        self.check.enter("constraints")
        for add in CONSTRAINTS:
            add(self)
            self.check.check()
        self.check.enter("objective")
        if self.relax:
            minimize_slack(self)
        elif not self.explain:  # a conflict core needs feasibility only
            set_objective(self)
        self.check.enter("prechecks")
        precheck(self)
        return self

    def drop_forbidden_pairs(self) -> None:
        """must seated rules, removals and bans remove pairs; pins remove the
        pinned cadre from every other seat."""
        for spec in self.sc.ruleset_in_force.rules:
            if spec.kind in SEATED and spec.strength == Strength.must:
                self.check.check()  # each rule reads every pair
                masks = seated_fail_masks(self, spec)
                if not masks:
                    continue
                self.check.check()  # a rule's masks, then its pass over every pair: 5,000 cadres, 45 ms
                groups = np.fromiter(masks, dtype=np.int64, count=len(masks))
                fails = np.stack(list(masks.values()), axis=1)  # cadre x group, all groups at once
                if len(groups) == len(self.groups):  # the rule reads every seat: in place
                    hits = np.count_nonzero(self.allowed & fails, axis=0)
                    self.allowed &= ~fails
                else:
                    allowed = self.allowed[:, groups]
                    hits = np.count_nonzero(allowed & fails, axis=0)
                    self.allowed[:, groups] = allowed & ~fails
                for j, n in zip(groups.tolist(), hits.tolist(), strict=True):
                    if n:
                        self.excluded[j][spec.id] = n
        for cid in self.sc.remove:
            self.allowed[self.cadre_index[cid], :] = False
        for ban in self.sc.bans:
            for g in self.groups:
                if ban.covers(g.seat.township, g.seat.template.id):
                    self.allowed[self.cadre_index[ban.cadre], g.index] = False
        for pin in self.sc.pins:
            for g in self.groups:
                if not pin.takes(g.seat.township, g.seat.template.id):
                    self.allowed[self.cadre_index[pin.cadre], g.index] = False

    def describe_key(self, key: str) -> Reason:
        """A must rule instance key (or a pin's) as a reason, for infeasibility reports."""
        rid, _, where = key.partition("@")
        if rid == "pin":
            pin = next(p for p in self.sc.pins if p.cadre == where)
            return reason("conflict_pin", cadre=where, township=pin.township, seat=pin.seat)
        return reason("conflict_rule", rule=rid, place=where)
