"""One encoding per rule kind, registered under the kind's name. It writes the
linear model (solver/linear.py) through the few calls of CP-SAT's model API it
needs, so it reads like a CP-SAT encoding and serves the LP relaxation as well.

Strength decides the encoding (shared/directives.md):
- must: a hard constraint; for seated rules the forbidden (cadre, seat) pairs
  are dropped before variables are made;
- generally: a 0/1 violation, exactly reified, that costs big_m in the objective;
- prefer: a penalty, weight x amount, subtracted from the points.
Every generally/prefer instance is recorded under the same key the referee uses,
so the two reports can be compared instance by instance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from model.enums import Gender, Rank, Strength
from model.rules import kind_of
from model.rules.counts import Counted, CountyCounted, TeamCounted, part_key
from model.rules.expertise import ExpertiseParams
from model.rules.shape import ShapeParams, combo_zh, shape_problems
from model.ruleset import RuleSpec
from solver.linear import Expr, lin_sum

if TYPE_CHECKING:
    from solver.build import Builder
    from solver.facts import Pool, SeatGroup

FailMask = Callable[[object, "Pool", "SeatGroup", "Builder"], np.ndarray]
SEATED: dict[str, FailMask] = {}
ENCODERS: dict[str, Callable[[Builder, RuleSpec], None]] = {}


def seated(kind: str) -> Callable[[FailMask], FailMask]:
    """Register a vectorized 'who fails this seat' mask for a seated rule kind."""

    def deco(fn: FailMask) -> FailMask:
        SEATED[kind] = fn
        ENCODERS[kind] = lambda b, spec: encode_seated(b, spec)
        return fn

    return deco


def encoder(kind: str) -> Callable:
    def deco(fn: Callable) -> Callable:
        ENCODERS[kind] = fn
        return fn

    return deco


# --- seated kinds: one mask each --------------------------------------------------


@seated("experience")
def _experience(p, pool: Pool, s: SeatGroup, b: Builder) -> np.ndarray:
    return getattr(pool, p.field) < p.min_years


@seated("min_education")
def _min_education(p, pool: Pool, s: SeatGroup, b: Builder) -> np.ndarray:
    return pool.education < p.minimum.level


@seated("ethnic_head")
def _ethnic_head(p, pool: Pool, s: SeatGroup, b: Builder) -> np.ndarray:
    minority = b.sc.county.townships[s.township].ethnic_minority
    if minority is None:
        return np.zeros(pool.size, dtype=bool)
    return pool.ethnicity != minority


@seated("renomination")
def _renomination(p, pool: Pool, s: SeatGroup, b: Builder) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        weak = pool.incompetent > p.max_incompetent_share
        if p.min_recommendation_share is not None:
            weak |= pool.recommendation <= p.min_recommendation_share
    return weak & ~pool.renomination_override


@seated("age_cap")
def _age_cap(p, pool: Pool, s: SeatGroup, b: Builder) -> np.ndarray:
    male = ~pool.female
    kept_cap = np.where(male, p.kept_male, p.kept_female)
    exit_age = np.where(male, p.exit_male, p.exit_female)
    fails = np.where(pool.kept, pool.age > kept_cap, pool.age >= exit_age)
    if s.rank == Rank.full_section.level:
        cap = np.where(
            pool.outstanding,
            np.where(male, p.new_full_outstanding_male, p.new_full_outstanding_female),
            np.where(male, p.new_full_male, p.new_full_female),
        )
    else:
        cap = np.where(
            pool.outstanding,
            np.where(male, p.new_deputy_outstanding_male, p.new_deputy_outstanding_female),
            p.new_deputy,
        )
    promoted = pool.rank < s.rank
    return fails | (promoted & (pool.age > cap))


@seated("same_post_tenure")
def _same_post_tenure(p, pool: Pool, s: SeatGroup, b: Builder) -> np.ndarray:
    here = (pool.township == s.township) & (pool.post >= 0)
    if p.same_post:
        here &= pool.post == s.main_post_index
    return here & (pool.tenure >= p.years)


@seated("min_merit")
def _min_merit(p, pool: Pool, s: SeatGroup, b: Builder) -> np.ndarray:
    return pool.merit < p.min_points


@seated("full_term")
def _full_term(p, pool: Pool, s: SeatGroup, b: Builder) -> np.ndarray:
    male = ~pool.female
    limit = np.where(pool.kept, np.where(male, p.kept_male, p.kept_female),
                     np.where(male, p.exit_male, p.exit_female))
    moved = pool.township != s.township
    return moved & (pool.age + p.term_years > limit)


def seat_applies(p, s: SeatGroup) -> bool:
    """Mirror of SeatParams.applies, on the solver's seat group."""
    if p.principal and s.seat.principal:
        return True
    if p.posts:
        return s.holds_any(p.posts)
    return not p.principal


def seated_fail_masks(b: Builder, spec: RuleSpec) -> dict[int, np.ndarray]:
    """Group index -> mask of cadres who would break the rule in that group's seats."""
    p = kind_of(spec).parse(spec)
    mask = SEATED[spec.kind]
    return {g.index: mask(p, b.pool, g, b) for g in b.groups if seat_applies(p, g)}


def encode_seated(b: Builder, spec: RuleSpec) -> None:
    """must: pairs already dropped by the builder; otherwise one instance per
    seat group, whose amount counts the group's seats that break the rule."""
    if spec.strength == Strength.must:
        return
    for g, fails in seated_fail_masks(b, spec).items():
        s = b.groups[g].seat
        b.record(spec, f"{s.township}/{s.template.id}", b.group_sum(g, fails))


# --- count kinds -------------------------------------------------------------------


def encode_parts(b: Builder, spec: RuleSpec, where: str, groups: list[int], p: Counted,
                 township: int | None) -> None:
    """Each part: at least `needed` of the cadres in these seat groups match its filter."""
    seats = sum(b.groups[g].count for g in groups)
    for label, target in p.parts.items():
        sitting = b.sitting_count(target, p, township) if target.more_than_sitting else 0
        need = target.needed(seats, sitting)
        count = lin_sum(b.group_sum(g, b.pool.who(target.who, b.groups[g].township)) for g in groups)
        key = part_key(where, label)
        if spec.strength == Strength.must:
            b.require_count(spec, label, f"{spec.id}@{key}", count, need)
        else:
            b.record_shortfall(spec, key, count, need)


@encoder("team_min_count")
def encode_team_min_count(b: Builder, spec: RuleSpec) -> None:
    p: TeamCounted = kind_of(spec).parse(spec)
    for ti, town in enumerate(b.sc.county.townships):
        if p.only_minority_concentrated and not town.minority_concentrated:
            continue
        groups = [g.index for g in b.groups if g.township == ti and p.counts(g.seat)]
        encode_parts(b, spec, town.id, groups, p, ti)


@encoder("county_min_count")
def encode_county_min_count(b: Builder, spec: RuleSpec) -> None:
    p: CountyCounted = kind_of(spec).parse(spec)
    places = [(post.value, p.model_copy(update={"posts": (post,)})) for post in p.posts] \
        if p.each_post else [("county", p)]
    for where, q in places:
        encode_parts(b, spec, where, [g.index for g in b.groups if q.counts(g.seat)], q, None)


@encoder("expertise_cover")
def encode_expertise_cover(b: Builder, spec: RuleSpec) -> None:
    """covered[group] is exactly (some counted member has a tag of the group)."""
    p: ExpertiseParams = kind_of(spec).parse(spec)
    tags = b.pool.expertise
    has = {label: np.array([bool(t & set(members)) for t in tags], dtype=bool)
           for label, members in p.groups.items()}
    for ti, town in enumerate(b.sc.county.townships):
        groups = [g.index for g in b.groups if g.township == ti and p.counts(g.seat)]
        covered = []
        for label in p.groups:
            n = lin_sum(b.group_sum(g, has[label]) for g in groups)
            lit = b.model.new_bool_var(f"cov_{spec.id}_{town.id}_{label}")
            b.model.add(n >= 1).only_enforce_if(lit)
            b.model.add(n == 0).only_enforce_if(~lit)
            covered.append(lit)
        need = p.needed()
        if spec.strength == Strength.must:
            b.require(f"{spec.id}@{town.id}", sum(covered) >= need)
        else:
            b.record_shortfall(spec, town.id, sum(covered), need)


@encoder("team_shape")
def encode_team_shape(b: Builder, spec: RuleSpec) -> None:
    """Seat counts, together and apart are fixed by the template; a post count
    that optional posts can change is a linear expression over their counts."""
    p: ShapeParams = kind_of(spec).parse(spec)
    fixed_only = p.model_copy(update={"posts": {}, "large_extra": {}})
    for ti, town in enumerate(b.sc.county.townships):
        large = b.large[ti]
        if not p.applies_to(large):
            continue
        groups = [g for g in b.groups if g.township == ti]
        problems = shape_problems(fixed_only, [(s, ()) for g in groups for s in g.seats],
                                  town.township_class, large)
        ranges = []
        for posts, lo, hi in p.ranges(large):
            expr = post_count(b, groups, posts)
            if isinstance(expr, int):
                if not lo <= expr <= hi:
                    want = f"{lo}名" if lo == hi else f"{lo}至{hi}名"
                    problems.append(f"{combo_zh(posts)}{expr}名,应为{want}")
            else:
                ranges.append((expr, lo, hi))
        key = f"{spec.id}@{town.id}"
        if spec.strength == Strength.must:
            if problems:
                b.impossible(f"{spec.id} {town.name}班子职数设置不符合:" + ";".join(problems))
            for expr, lo, hi in ranges:
                b.require(key, expr >= lo)
                b.require(key, expr <= hi)
            continue
        if problems or not ranges:
            b.record(spec, town.id, 1 if problems else 0)
            continue
        broken = [b.outside(expr, lo, hi, f"{key}_{i}") for i, (expr, lo, hi) in enumerate(ranges)]
        v = b.model.new_bool_var(f"v_{key}")
        b.model.add_max_equality(v, broken)
        b.record(spec, town.id, v)


def post_count(b: Builder, groups: list[SeatGroup], posts: tuple) -> Expr:
    """How many seats of these groups hold all `posts`: fixed ones count whole
    groups; where one post is missing but optional, its count variable."""
    const, terms = 0, []
    for g in groups:
        missing = set(posts) - set(g.seat.posts)
        if not missing:
            const += g.count
        elif len(missing) == 1 and (g.index, next(iter(missing))) in b.optional:
            terms.append(b.optional[(g.index, next(iter(missing)))])
    return const + sum(terms) if terms else const


__all__ = ["ENCODERS", "SEATED", "Gender", "seated_fail_masks"]
