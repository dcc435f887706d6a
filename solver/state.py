"""What every step of the model build reads and writes, and the few calls the
rule encoders write through.

`BuildState` holds the facts (the pool, the seat groups, which pairs are
allowed), the variables, the linear model and the bookkeeping: the recorded
generally/prefer instances, the assumption literals (explain), the slack
variables (relax) and the reasons found before any search. The steps that
fill it are in `solver/build.py` (in order), `solver/constraints.py`,
`solver/encoders.py`, `solver/objective.py` and `solver/prechecks.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from model.enums import Post, Strength
from model.reasons import Reason
from model.referee import big_m, make_view
from model.rules import kind_of
from model.rules.base import Who
from model.rules.counts import CountKind, Place
from model.ruleset import RuleSpec, Seat
from model.scenario import Scenario
from model.slate import Assignment
from solver.budget import EVERY, POOL_PER_TICK, Checkpoint
from solver.facts import Pool, SeatGroup, build_groups, build_pool
from solver.linear import Bound, Expr, Lin, LinearModel, Var
from solver.variables import Variables


@dataclass(frozen=True)
class Recorded:
    """A generally/prefer rule instance as the solver sees it: `amount` is the
    0/1 violation (generally) or the units of penalty (prefer)."""

    spec: RuleSpec
    key: str
    amount: Expr


class BuildState:
    """The model while it is built. `view` is the referee's view of the scenario
    with no one seated: the facts the rule kinds define (places of count rules,
    sitting members) are read through it, so solver and referee share them."""

    def __init__(self, sc: Scenario, explain: bool = False, relax: bool = False,
                 prefilter: bool = True, check: Checkpoint | None = None) -> None:
        """`check` (solver/budget.py) cuts the build short when the run's time is up."""
        self.sc = sc
        self.explain = explain
        self.relax = relax
        self.prefilter = prefilter
        self.memo: dict[str, dict] = {}  # what the encoders read more than once in a build
        self.check = check if check is not None else Checkpoint(None)
        self.check.enter("pool")
        self.view = make_view(sc, [])
        self.pool: Pool = build_pool(sc, self.check)
        self.groups: list[SeatGroup] = build_groups(sc)
        self.check.check()  # the groups and the rest below: 30-45 ms on 5,000 cadres
        self.n_seats = sum(g.count for g in self.groups)
        self.model = LinearModel(self.check)
        self.allowed = np.ones((self.pool.size, len(self.groups)), dtype=bool)
        self.excluded: dict[int, dict[str, int]] = defaultdict(dict)
        self.vars = Variables()
        self.recorded: list[Recorded] = []
        self.reasons: list[Reason] = []
        self.assumptions: dict[str, Var] = {}
        self.slack: dict[tuple[str, str], Var] = {}
        self.objective: Lin = Lin.of(0)
        self.big_m = big_m(sc)
        self.check.check()
        rs = sc.ruleset_in_force
        self.large = [rs.is_large(t.residents, t.party_members) for t in sc.county.townships]
        self.cadre_index = {cid: i for i, cid in enumerate(self.pool.ids)}
        self.group_of = {(s.township, s.id): g.index for g in self.groups for s in g.seats}
        self.group_township = np.array([g.township for g in self.groups], dtype=np.int64)

    # --- the variables, under the names the search reads ---------------------------

    @property
    def cands(self) -> list[np.ndarray]:
        return self.vars.cands

    @property
    def n_pairs(self) -> int:
        return self.vars.n_pairs

    @property
    def pair_cadre(self) -> np.ndarray:
        return self.vars.pair_cadre

    @property
    def pair_group(self) -> np.ndarray:
        return self.vars.pair_group

    @property
    def optional(self) -> dict[tuple[int, Post], Var]:
        return self.vars.optional

    def pairs_of(self, g: int) -> np.ndarray:
        return self.vars.pairs_of(g)

    def pair_vars(self, assignments: Iterable[Assignment]) -> list[Var]:
        """The pair columns of these (township, seat, cadre) assignments that exist."""
        out = []
        for a in assignments:
            g, c = self.group_of.get((a.township, a.seat)), self.cadre_index.get(a.cadre)
            col = None if g is None or c is None else self.vars.column(g, c)
            if col is not None:
                out.append(Var(col))
        return out

    def group_sum(self, g: int, mask: np.ndarray) -> Lin:
        # a count rule reads the whole pool per group: 5,000 cadres take as long as 80 columns
        self.check.tick(1 + len(mask) // POOL_PER_TICK)
        return self.vars.group_sum(g, mask)

    def count_who(self, groups: list[int], who: Who) -> Lin:
        """How many cadres matching a count rule's filter (for each seat's own township,
        `Pool.who`) sit in these groups: the sum of their `group_sum`s, the filter's mask
        made once per township it reads (once in all when it reads none)."""
        masks: dict[int | None, np.ndarray] = {}

        def mask_of(g: int) -> np.ndarray:
            town = self.groups[g].township if who.local is not None else None
            if town not in masks:
                self.check.tick(1 + self.pool.size // POOL_PER_TICK)
                masks[town] = self.pool.who(who, self.groups[g].township)
            return masks[town]

        count = self.vars.sum_over(groups, mask_of, self.check.tick)
        self.check.tick(1 + len(count.idx) // EVERY)
        return count

    def sum_over(self, groups: list[int], mask: np.ndarray) -> Lin:
        """How many of the cadres in the pool mask sit in these groups."""
        self.check.tick(1 + self.pool.size // POOL_PER_TICK)
        count = self.vars.sum_over(groups, lambda g: mask, self.check.tick)
        self.check.tick(1 + len(count.idx) // EVERY)
        return count

    # --- places of count rules --------------------------------------------------------

    def groups_of(self, seats: Iterable[Seat]) -> list[int]:
        """The seat groups holding these seats, in group order."""
        return sorted({self.group_of[(s.township, s.id)] for s in seats})

    def places(self, spec: RuleSpec, p: Any) -> list[Place]:
        """The places of a count rule, as the referee checks them (`CountKind.places`)."""
        kind = kind_of(spec)
        if not isinstance(kind, CountKind):
            raise TypeError(f"{spec.id}: rule kind '{spec.kind}' has no places to count at")
        return kind.places(p, self.view)

    def count_groups(self, spec: RuleSpec, p: Any) -> list[tuple[Place, list[int]]]:
        """Each place of a count rule, with its seat groups."""
        return [(place, self.groups_of(place.seats)) for place in self.places(spec, p)]

    # --- writing rule instances -------------------------------------------------------

    def record(self, spec: RuleSpec, where: str, amount: Expr) -> None:
        self.recorded.append(Recorded(spec, f"{spec.id}@{where}", amount))

    def record_shortfall(self, spec: RuleSpec, where: str, count: Expr, need: int) -> None:
        """generally: a violation literal equal to (count < need); prefer: short =
        max(0, need - count) members, exactly."""
        if need <= 0:
            self.record(spec, where, 0)
            return
        if spec.strength == Strength.generally and self.most(count) < need:
            # Broken in every slate (too few such cadres or seats): a constant, not a
            # literal the LP could pay for with a fraction of big_m (the fewest breaks, proven).
            self.record(spec, where, 1)
            return
        if spec.strength == Strength.generally:
            v = self.model.new_bool_var(f"v_{spec.id}_{where}")
            self.model.add(count >= need).only_enforce_if(~v)
            self.model.add(count <= need - 1).only_enforce_if(v)
            self.record(spec, where, v)
        else:
            short = self.model.new_int_var(0, need, f"s_{spec.id}_{where}")
            self.model.add_max_equality(short, [0, need - count])
            self.record(spec, where, short)

    def most(self, count: Expr) -> int:
        """An upper bound of a count over pair columns and 0/1 literals: a cadre
        takes one seat, a seat group has `count` seats. Sound, not tight: the rows
        between the places (the must rules) are not read."""
        lin = Lin.of(count).merged()
        pos = lin.coef > 0
        idx, coef = lin.idx[pos], lin.coef[pos]
        pair = idx < self.n_pairs
        # the literals' and the negative terms' extremes, read for those entries only (a county-wide
        # count has millions of pair entries: a loop over them all took 0.24 s of a 5,000-cadre build)
        other = np.flatnonzero((lin.idx >= self.n_pairs) | (lin.coef < 0))
        ub, lb = self.model.ub, self.model.lb
        top = lin.const + sum(k * (ub[c] if k > 0 else lb[c])
                              for c, k in zip(lin.idx[other].tolist(), lin.coef[other].tolist(), strict=True))
        if not pair.any():
            return top
        cols, k = idx[pair], coef[pair]
        by_cadre = np.zeros(self.pool.size, np.int64)
        np.maximum.at(by_cadre, self.pair_cadre[cols], k)
        by_group = np.zeros(len(self.groups), np.int64)
        np.maximum.at(by_group, self.pair_group[cols], k)
        seats = np.array([g.count for g in self.groups], np.int64)
        return top + int(min(by_cadre.sum(), (by_group * seats).sum()))

    def require_count(self, spec: RuleSpec, part: str, key: str, count: Expr, need: int) -> None:
        """count >= need, hard; in relax mode short by the rule part's slack."""
        if self.relax:
            slack = self.slack.get((spec.id, part))
            if slack is None:
                slack = self.slack[(spec.id, part)] = self.model.new_int_var(0, self.n_seats, f"slack_{key}")
            self.model.add(count + slack >= need)
        else:
            self.require(key, count >= need)

    def require(self, key: str, constraint: Bound) -> None:
        """A hard constraint; in explain mode it is guarded by an assumption literal."""
        ct = self.model.add(constraint)
        if self.explain:
            if key not in self.assumptions:
                self.assumptions[key] = self.model.new_bool_var(f"a_{key}")
            ct.only_enforce_if(self.assumptions[key])

    def outside(self, expr: Expr, lo: int, hi: int, name: str) -> Var:
        """A literal that is true exactly when expr is outside [lo, hi]."""
        out = self.model.new_bool_var(f"out_{name}")
        below = self.model.new_bool_var(f"below_{name}")
        self.model.add(expr >= lo).only_enforce_if(~out)
        self.model.add(expr <= hi).only_enforce_if(~out)
        self.model.add(expr <= lo - 1).only_enforce_if(out, below)
        self.model.add(expr >= hi + 1).only_enforce_if(out, ~below)
        return out

    def impossible(self, why: Reason) -> None:
        self.reasons.append(why)
        self.model.fail()
