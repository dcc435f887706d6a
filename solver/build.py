"""Build the joint model of a whole county, as a linear model (solver/linear.py)
that CP-SAT and the LP relaxation both read.

Columns x[c, j] exist only for the (cadre, seat) pairs that no `must` seated
rule, pin or ban forbids; they are columns 0 .. n_pairs - 1, group by group.
Every seat gets exactly one cadre; a cadre takes at most one seat in the
county, so cadres may move between townships (交流).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from model.catalog import CATALOG
from model.enums import Post, Strength
from model.referee import big_m
from model.rules import kind_of
from model.ruleset import RuleSpec
from model.scenario import Scenario
from solver.encoders import ENCODERS, SEATED, seated_fail_masks
from solver.facts import POSTS, Pool, SeatGroup, build_groups, build_pool
from solver.linear import Bound, Expr, Lin, LinearModel, Var, lin_sum


@dataclass(frozen=True)
class Recorded:
    """A generally/prefer rule instance as the solver sees it: `amount` is the
    0/1 violation (generally) or the units of penalty (prefer)."""

    spec: RuleSpec
    key: str
    amount: Expr


class Builder:
    """Holds the model while it is built; `build()` runs the steps in order."""

    def __init__(
        self, sc: Scenario, explain: bool = False, relax: bool = False, prefilter: bool = True
    ) -> None:
        """`explain`: must count rules and pins behind assumption literals (for a
        conflict core); `relax`: each must count rule may fall short by a slack
        shared by all its instances, and the objective is the total slack.
        `prefilter` false (a benchmark baseline only) makes a variable for every
        (cadre, seat) pair and forbids the ineligible ones by constraints."""
        self.prefilter = prefilter
        self.sc = sc
        self.explain = explain
        self.relax = relax
        self.restrict: int | None = None
        self.slack: dict[tuple[str, str], Var] = {}
        self.objective: Lin = Lin.of(0)
        self.pool: Pool = build_pool(sc)
        self.groups: list[SeatGroup] = build_groups(sc)
        self.n_seats = sum(g.count for g in self.groups)
        self.model = LinearModel()
        self.allowed = np.ones((self.pool.size, len(self.groups)), dtype=bool)
        self.excluded: dict[int, dict[str, int]] = defaultdict(dict)
        self.recorded: list[Recorded] = []
        self.reasons: list[str] = []
        self.assumptions: dict[str, Var] = {}
        self.big_m = big_m(sc)
        self.cands: list[np.ndarray] = []
        self.starts: list[int] = []
        self.n_pairs = 0
        self.optional: dict[tuple[int, Post], Var] = {}
        rs = sc.ruleset_in_force
        self.large = [rs.is_large(t.residents, t.party_members) for t in sc.county.townships]

    # --- steps ------------------------------------------------------------------

    def build(self) -> Builder:
        self.drop_forbidden_pairs()
        self.make_variables()
        self.fill_every_seat()
        self.pin()
        for spec in self.sc.ruleset_in_force.rules:
            # Explaining infeasibility looks at feasibility only: must rules alone.
            if spec.strength == Strength.must or not (self.explain or self.relax):
                ENCODERS[spec.kind](self, spec)
        if self.relax:
            self.model.minimize(sum(self.slack.values()))
        elif not self.explain:  # a conflict core needs feasibility only
            self.set_objective()
        self.precheck()
        return self

    def drop_forbidden_pairs(self) -> None:
        """must seated rules and bans remove pairs; pins remove the pinned cadre elsewhere."""
        for spec in self.sc.ruleset_in_force.rules:
            if spec.kind in SEATED and spec.strength == Strength.must:
                for j, fails in seated_fail_masks(self, spec).items():
                    hit = fails & self.allowed[:, j]
                    if hit.any():
                        self.excluded[j][spec.id] = int(hit.sum())
                    self.allowed[:, j] &= ~fails
        cix = {cid: i for i, cid in enumerate(self.pool.ids)}
        for cid in self.sc.remove:
            self.allowed[cix[cid], :] = False
        for ban in self.sc.bans:
            for g in self.groups:
                if g.seat.township == ban.township and ban.seat in (None, g.seat.template.id):
                    self.allowed[cix[ban.cadre], g.index] = False
        for pin in self.sc.pins:
            for g in self.groups:
                if not (g.seat.township == pin.township and g.seat.template.id == pin.seat):
                    self.allowed[cix[pin.cadre], g.index] = False
        if self.restrict:
            self.keep_promising(self.restrict)

    def keep_promising(self, k: int) -> None:
        """For a warm start only: per group, the k cadres with the most points of
        their own (merit, reserve), the group's own township's cadres, and pins."""
        pool = self.pool
        own = pool.merit * self.sc.weights.merit + pool.reserve * self.sc.weights.reserve
        pinned = np.isin(pool.ids, [p.cadre for p in self.sc.pins])
        for g in self.groups:
            cands = np.flatnonzero(self.allowed[:, g.index])
            keep = pinned | (pool.township == g.township)
            keep[cands[np.argsort(-own[cands], kind="stable")][:k]] = True
            self.allowed[:, g.index] &= keep

    def make_variables(self) -> None:
        """A 0/1 column per allowed (cadre, group) pair, group by group, so the
        pairs are columns 0 .. n_pairs - 1; then per group and optional post, how
        many of its seats take that post in the slate."""
        every = np.ones(self.pool.size, bool)
        for g in range(len(self.groups)):
            cands = np.flatnonzero(self.allowed[:, g] if self.prefilter else every)
            self.cands.append(cands)
            self.starts.append(self.model.new_block(len(cands), None if self.prefilter
                                                    else self.allowed[cands, g]))
        self.n_pairs = self.model.n_cols
        self.pair_cadre = np.concatenate([*self.cands, np.zeros(0, np.int64)]).astype(np.int64)
        self.pair_group = np.repeat(np.arange(len(self.groups)), [len(c) for c in self.cands])
        for g, group in enumerate(self.groups):
            for post in group.seat.template.optional_posts:
                self.optional[(g, post)] = self.model.new_int_var(0, group.count, f"y{g}_{post.value}")

    def pairs_of(self, g: int) -> np.ndarray:
        """The columns of group g's pairs."""
        return np.arange(self.starts[g], self.starts[g] + len(self.cands[g]))

    def fill_every_seat(self) -> None:
        """Each group gets exactly as many cadres as it has seats; a cadre sits once."""
        for g, cands in enumerate(self.cands):
            count = self.groups[g].count
            xs = Lin(self.pairs_of(g), np.ones(len(cands), np.int64))
            if len(cands) < count:
                self.reasons.append(self.empty_seat_reason(g))
                self.model.fail()
            elif count == 1:
                self.model.add_exactly_one(xs)
            else:
                self.model.add(xs == count)
        order = np.argsort(self.pair_cadre, kind="stable")
        _cadres, first, n = np.unique(self.pair_cadre[order], return_index=True, return_counts=True)
        for start, k in zip(first[n > 1].tolist(), n[n > 1].tolist(), strict=True):
            cols = order[start:start + k]
            self.model.add_at_most_one(Lin(cols, np.ones(k, np.int64)))

    def pin(self) -> None:
        cix = {cid: i for i, cid in enumerate(self.pool.ids)}
        for p in self.sc.pins:
            cols = np.flatnonzero(self.pair_cadre == cix[p.cadre])
            terms = Lin(cols, np.ones(len(cols), np.int64))
            if self.relax:
                dropped = self.slack[("pin", p.cadre)] = self.model.new_bool_var(f"drop_{p.cadre}")
                self.model.add(terms + dropped == 1)
            else:
                self.require(f"pin@{p.cadre}", terms == 1)

    def pair_points(self) -> np.ndarray:
        """Each pair's own points (merit, continuity, reserve), by column."""
        w = self.sc.weights
        pool, c = self.pool, self.pair_cadre
        home = np.array([g.township for g in self.groups], dtype=np.int64)[self.pair_group]
        return (w.merit * pool.merit[c] + w.continuity * (pool.sitting[c] & (pool.township[c] == home))
                + w.reserve * pool.reserve[c]).astype(np.int64)

    def set_objective(self) -> None:
        points = self.pair_points()
        cols = np.flatnonzero(points)
        terms: list[Expr] = [Lin(cols, points[cols])]
        for r in self.recorded:
            cost = self.big_m if r.spec.strength == Strength.generally else r.spec.weight
            terms.append(-cost * r.amount)
        self.objective = lin_sum(terms).merged()
        self.model.maximize(self.objective)

    def pair_vars(self, assignments) -> list[Var]:
        """The pair columns of these (township, seat, cadre) assignments that exist."""
        index = {cid: i for i, cid in enumerate(self.pool.ids)}
        group_of = {(s.township, s.id): g.index for g in self.groups for s in g.seats}
        out = []
        for a in assignments:
            g, c = group_of.get((a.township, a.seat)), index.get(a.cadre)
            if g is None or c is None:
                continue
            pos = np.searchsorted(self.cands[g], c)
            if pos < len(self.cands[g]) and self.cands[g][pos] == c:
                out.append(Var(self.starts[g] + int(pos)))
        return out

    # --- helpers for encoders -----------------------------------------------------

    def group_sum(self, g: int, mask: np.ndarray) -> Lin:
        """How many of the cadres in `mask` sit in group g (0 .. its seat count)."""
        hit = np.flatnonzero(mask[self.cands[g]])
        return Lin(self.starts[g] + hit, np.ones(len(hit), np.int64))

    def record(self, spec: RuleSpec, where: str, amount: Expr) -> None:
        self.recorded.append(Recorded(spec, f"{spec.id}@{where}", amount))

    def record_shortfall(self, spec: RuleSpec, where: str, count: Expr, need: int) -> None:
        """generally: a violation literal equal to (count < need); prefer: short =
        max(0, need - count) members, exactly."""
        if need <= 0:
            self.record(spec, where, 0)
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

    def require_count(self, spec: RuleSpec, part: str, key: str, count: Expr,
                      need: int) -> None:
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

    def sitting_count(self, target, p, township: int | None) -> int:
        """Outgoing team members (of one township, or all) whom a target counts."""
        pool = self.pool
        m = pool.sitting & pool.who(target.who, None)
        if township is not None:
            m &= pool.township == township
        if p.principal:
            m &= np.isin(pool.post, [POSTS.index(Post.party_secretary), POSTS.index(Post.township_head)])
        elif p.posts:
            m &= np.isin(pool.post, [POSTS.index(x) for x in p.posts])
        return int(m.sum())

    def impossible(self, reason: str) -> None:
        self.reasons.append(reason)
        self.model.fail()

    # --- cheap checks before solving ----------------------------------------------

    def empty_seat_reason(self, g: int) -> str:
        group = self.groups[g]
        s = group.seat
        town = self.sc.townships[s.township].name
        why = ",".join(f"{rid}排除{n}人" for rid, n in self.excluded[g].items())
        have = len(self.cands[g])
        need = f"需要{group.count}人,只有{have}人" if group.count > 1 else "没有"
        return f"{town}{s.label}:候选池中{need}符合必须条件的人选({why or '无人可选'})"

    def precheck(self) -> None:
        """Pigeonhole, pin and count checks with numbers, before any search."""
        self.precheck_pins()
        usable = self.allowed.any(axis=1)
        if usable.sum() < self.n_seats:
            self.reasons.append(
                f"全县共{self.n_seats}个职位,但只有{int(usable.sum())}名干部可任任一职位"
            )
        for spec in self.sc.ruleset_in_force.rules:
            if spec.strength != Strength.must or spec.kind not in ("team_min_count", "county_min_count"):
                continue
            p = kind_of(spec).parse(spec)
            self.precheck_total(spec, p)
            for label, idx in self.count_groups(spec, p):
                seats = sum(self.groups[g].count for g in idx)
                for target in p.parts.values():
                    if target.more_than_sitting:
                        continue
                    need = target.needed(seats)
                    masks = [self.pool.who(target.who, self.groups[g].township) & self.allowed[:, g]
                             for g in idx]
                    avail = int(np.any(masks, axis=0).sum()) if masks else 0
                    if avail < need:
                        self.reasons.append(
                            f"{spec.id} {label}需要至少{need}名{target.who.zh()}干部,"
                            f"候选池中可任这些职务的只有{avail}人"
                        )

    def precheck_total(self, spec: RuleSpec, p) -> None:
        """All instances of a count rule together: a cadre sits once, so the
        matching cadres who can take any counted seat must cover the sum of needs."""
        places = self.count_groups(spec, p)
        if len(places) < 2:
            return
        for target in p.parts.values():
            if target.more_than_sitting:
                continue
            need = sum(target.needed(sum(self.groups[g].count for g in idx)) for _, idx in places)
            masks = [self.pool.who(target.who, self.groups[g].township) & self.allowed[:, g]
                     for _, idx in places for g in idx]
            avail = int(np.any(masks, axis=0).sum()) if masks else 0
            if avail < need:
                self.reasons.append(
                    f"{spec.id} {len(places)}处合计需要{need}名{target.who.zh()}干部,"
                    f"候选池中可任这些职务的只有{avail}人"
                )

    def precheck_pins(self) -> None:
        """A pin to a seat that a must rule or a ban forbids: name the rule."""
        cix = {cid: i for i, cid in enumerate(self.pool.ids)}
        for pin in self.sc.pins:
            c = cix[pin.cadre]
            groups = [g for g in self.groups
                      if g.seat.township == pin.township and g.seat.template.id == pin.seat]
            if any(self.allowed[c, g.index] for g in groups):
                continue
            why: list[str] = []
            for spec in self.sc.ruleset_in_force.rules:
                if spec.kind in SEATED and spec.strength == Strength.must:
                    masks = seated_fail_masks(self, spec)
                    if any(masks[g.index][c] for g in groups if g.index in masks):
                        why.append(f"{spec.id} {CATALOG.get(spec.id, '')}")
            if any(b.cadre == pin.cadre and b.township == pin.township
                   and b.seat in (None, pin.seat) for b in self.sc.bans):
                why.append("同一情景中又排除了该人选")
            name = self.pool.names[c]
            self.reasons.append(
                f"指定{name}({pin.cadre})任{pin.township}/{pin.seat}无法满足:" + (";".join(why) or "无此职位")
            )

    def count_groups(self, spec: RuleSpec, p) -> list[tuple[str, list[int]]]:
        if spec.kind == "team_min_count":
            return [
                (t.name, [g.index for g in self.groups if g.township == ti and p.counts(g.seat)])
                for ti, t in enumerate(self.sc.county.townships)
                if t.minority_concentrated or not p.only_minority_concentrated
            ]
        places = [(post.zh, p.model_copy(update={"posts": (post,)})) for post in p.posts] \
            if p.each_post else [("", p)]
        return [
            (f"全县{label}", [g.index for g in self.groups if q.counts(g.seat)]) for label, q in places
        ]

    def describe_key(self, key: str) -> str:
        """A rule instance key in words, for infeasibility reports."""
        rid, _, where = key.partition("@")
        if rid == "pin":
            pin = next(p for p in self.sc.pins if p.cadre == where)
            town = self.sc.townships[pin.township].name
            label = next((s.label for s in self.sc.seats_of(pin.township) if s.template.id == pin.seat),
                         pin.seat)
            return f"指定{self.sc.cadre_by_id[where].name}({where})任{town}{label}"
        town = self.sc.townships.get(where)
        posts = {p.value: p.zh for p in Post}
        place = town.name if town else posts.get(where, "全县" if where == "county" else where)
        return f"{rid} {CATALOG.get(rid, '')}({place})"
