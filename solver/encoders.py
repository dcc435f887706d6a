"""One encoding per rule kind, registered under the kind's name. It writes the
linear model (solver/linear.py) through the few calls of CP-SAT's model API it
needs, so it reads like a CP-SAT encoding and serves the LP relaxation as well.

Strength decides the encoding (shared/directives.md):
- must: a hard constraint; for seated rules the forbidden (cadre, seat) pairs
  are dropped before variables are made;
- generally: a 0/1 violation, exactly reified, that costs big_m in the objective;
- prefer: a penalty, weight x amount, subtracted from the points.
Every generally/prefer instance is recorded under the same key the referee uses,
so the two reports can be compared instance by instance. The places of count
rules and the seat filter are the rule kinds' own (model/rules), not re-derived.
The registry here and the rule kinds' (`model.rules.REGISTRY`) are checked
against each other when this module is imported (`check_registries`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping

import numpy as np

from model.enums import Rank, Strength
from model.reasons import reason
from model.rules import REGISTRY, kind_of
from model.rules.career import recent_principals, related_pairs
from model.rules.counts import Counted, Place, part_key, sitting_matches
from model.rules.expertise import ExpertiseParams
from model.rules.seated import SeatedKind, own_posts
from model.rules.shape import ShapeParams, post_count_problem, shape_problems
from model.ruleset import RuleSpec
from solver.facts import POSTS, Pool, SeatGroup
from solver.linear import Expr, Lin, lin_sum, unit_sum
from solver.state import BuildState

FailMask = Callable[[object, Pool, SeatGroup, BuildState], np.ndarray]
Encoder = Callable[[BuildState, RuleSpec], None]
ReadsOf = Callable[[SeatGroup], Hashable]
SEATED: dict[str, FailMask] = {}
READS: dict[str, ReadsOf] = {}
ENCODERS: dict[str, Encoder] = {}


def anywhere(s: SeatGroup) -> Hashable:
    """A mask that reads nothing of the seat: one for every group."""
    return ()


def township_of(s: SeatGroup) -> Hashable:
    return s.township


def rank_of(s: SeatGroup) -> Hashable:
    return s.rank


def seated(kind: str, reads: ReadsOf) -> Callable[[FailMask], FailMask]:
    """Register a vectorized 'who fails this seat' mask for a seated rule kind. `reads`
    gives what of the seat group the mask reads (its township, its rank, ...): groups
    alike in it share one mask, made once per rule (a county has hundreds of groups)."""

    def deco(fn: FailMask) -> FailMask:
        SEATED[kind] = fn
        READS[kind] = reads
        ENCODERS[kind] = encode_seated
        return fn

    return deco


def encoder(*kinds: str) -> Callable[[Encoder], Encoder]:
    """Register an encoder for these rule kinds."""

    def deco(fn: Encoder) -> Encoder:
        for kind in kinds:
            ENCODERS[kind] = fn
        return fn

    return deco


def lifted(p: object, b: BuildState) -> np.ndarray | None:
    """Mask of the cadres whose exception in the scenario lifts the rule (`lifted_by`), or None."""
    kinds = getattr(p, "lifted_by", ())
    hit = [b.cadre_index[cid] for cid, ex in b.sc.exceptions.items() if ex.kind in kinds]
    if not hit:
        return None
    out = np.zeros(b.pool.size, dtype=bool)
    out[hit] = True
    return out


def seated_fail_masks(b: BuildState, spec: RuleSpec) -> dict[int, np.ndarray]:
    """Group index -> mask of cadres who would break the rule in that group's seats (an
    exception of the scenario that lifts the rule clears its cadre). Groups alike in what
    the mask reads (`seated`) share one read-only array."""
    p = kind_of(spec).parse(spec)
    mask, reads = SEATED[spec.kind], READS[spec.kind]
    free = lifted(p, b)
    shared: dict[Hashable, np.ndarray] = {}
    masks: dict[int, np.ndarray] = {}
    for g in b.groups:
        if not p.applies(g.seat):
            continue
        key = reads(g)
        m = shared.get(key)
        if m is None:
            b.check.tick()  # a mask reads the pool: a rule's masks took 45 ms on 5,000 cadres
            m = mask(p, b.pool, g, b)
            m = m if free is None else m & ~free
            m.flags.writeable = False
            shared[key] = m
        masks[g.index] = m
    return masks


def encode_seated(b: BuildState, spec: RuleSpec) -> None:
    """must: pairs already dropped by the builder; otherwise one instance per
    seat group, whose amount counts the group's seats that break the rule."""
    if spec.strength == Strength.must:
        return
    for g, fails in seated_fail_masks(b, spec).items():
        s = b.groups[g].seat
        b.record(spec, f"{s.township}/{s.template.id}", b.group_sum(g, fails))


# --- seated kinds: one mask each --------------------------------------------------


@seated("experience", anywhere)
def _experience(p, pool: Pool, s: SeatGroup, b: BuildState) -> np.ndarray:
    return getattr(pool, p.field) < p.min_years


@seated("min_education", anywhere)
def _min_education(p, pool: Pool, s: SeatGroup, b: BuildState) -> np.ndarray:
    return pool.education < p.minimum.level


@seated("ethnic_head", township_of)
def _ethnic_head(p, pool: Pool, s: SeatGroup, b: BuildState) -> np.ndarray:
    minority = b.sc.county.townships[s.township].ethnic_minority
    if minority is None:
        return np.zeros(pool.size, dtype=bool)
    return pool.ethnicity != minority


@seated("renomination", anywhere)
def _renomination(p, pool: Pool, s: SeatGroup, b: BuildState) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        weak = pool.incompetent > p.max_incompetent_share
        if p.min_recommendation_share is not None:
            weak |= pool.recommendation <= p.min_recommendation_share
    return weak & ~pool.renomination_override


@seated("age_cap", rank_of)
def _age_cap(p, pool: Pool, s: SeatGroup, b: BuildState) -> np.ndarray:
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


@seated("same_post_tenure", lambda s: (s.township, s.seat.township, s.seat.posts))
def _same_post_tenure(p, pool: Pool, s: SeatGroup, b: BuildState) -> np.ndarray:
    """Sitting members of the township whose current post's seat shares a post of the group's
    seat (`posts_of`, `own_posts`), or any member when `same_post` is false."""
    here = pool.sitting & (pool.township == s.township)
    if p.same_post:
        here &= shared_posts(b, s.seat.township, s.seat.posts)[pool.post]
    return here & (pool.tenure >= p.years)


def shared_posts(b: BuildState, township: str, posts: tuple) -> np.ndarray:
    """Per post (`POSTS` index): does a seat of the township held by that main post
    share a post with `posts` (`_same_post_tenure`)? Made once per township and
    seat kind in a build: the pairs' masks of several rules, each asked per group,
    read it (c10-500: 7% of a solve when made each time)."""
    key = (township, posts)
    memo = b.memo.setdefault("shared_posts", {})
    if key not in memo:
        seats = b.sc.seats_of(township)
        want = own_posts(posts)
        mains = {t.main_post for t in seats}
        shared = [POSTS.index(m) for m in mains if own_posts(next(t.posts for t in seats if t.main_post == m))
                  & want]
        shared += [POSTS.index(m) for m in want if m not in mains]  # a post no seat here is known by
        out = np.zeros(len(POSTS) + 1, dtype=bool)
        out[shared] = True
        memo[key] = out
    return memo[key]


@seated("min_merit", anywhere)
def _min_merit(p, pool: Pool, s: SeatGroup, b: BuildState) -> np.ndarray:
    return pool.merit < p.min_points


@seated("full_term", township_of)
def _full_term(p, pool: Pool, s: SeatGroup, b: BuildState) -> np.ndarray:
    male = ~pool.female
    limit = np.where(pool.kept, np.where(male, p.kept_male, p.kept_female),
                     np.where(male, p.exit_male, p.exit_female))
    moved = pool.township != s.township
    return moved & (pool.age + p.term_years > limit)


@seated("no_demotion", rank_of)
def _no_demotion(p, pool: Pool, s: SeatGroup, b: BuildState) -> np.ndarray:
    return pool.rank > s.rank


@seated("one_step_promotion", rank_of)
def _one_step_promotion(p, pool: Pool, s: SeatGroup, b: BuildState) -> np.ndarray:
    return s.rank - pool.rank >= 2


@seated("rank_years", rank_of)
def _rank_years(p, pool: Pool, s: SeatGroup, b: BuildState) -> np.ndarray:
    promoted = (pool.rank >= 1) & (pool.rank + 1 == s.rank)
    return promoted & (pool.rank_years >= 0) & (pool.rank_years < p.min_years)


@seated("hometown_avoidance", township_of)
def _hometown_avoidance(p, pool: Pool, s: SeatGroup, b: BuildState) -> np.ndarray:
    town = b.sc.county.townships[s.township]
    grew_up = b.memo.get("hometowns")
    if grew_up is None:  # cadres by hometown as written, once a build (not a pool compare per township)
        grew_up = b.memo["hometowns"] = {}
        for i, h in enumerate(pool.hometown.tolist()):
            grew_up.setdefault(h, []).append(i)
    out = np.zeros(pool.size, dtype=bool)
    out[grew_up.get(town.id, [])] = True
    out[grew_up.get(town.name, [])] = True
    return out


@seated("service_years", lambda s: s.seat.posts)
def _service_years(p, pool: Pool, s: SeatGroup, b: BuildState) -> np.ndarray:
    fails = (pool.work_years >= 0) & (pool.work_years < p.min_work_years)
    if any(post in p.party_posts for post in s.seat.posts):
        fails |= (pool.party_years >= 0) & (pool.party_years < p.min_party_years)
    return fails


# --- per-cadre and relation kinds (N-4, N-6) ----------------------------------------


def sits_in(b: BuildState, c: int, groups: list[int]) -> Lin:
    """How many of these groups' seats cadre `c` takes (0 or 1): the columns that exist."""
    cols = b.vars.cadre_columns(c)
    on = np.zeros(len(b.groups), dtype=bool)
    on[groups] = True
    return unit_sum(cols[on[b.pair_group[cols]]])


def columns_by_township(b: BuildState, c: int) -> dict[int, list[int]]:
    """Township index -> cadre c's pair columns in its seat groups, ascending: `sits_in`
    of the township's groups, for a cadre asked about every township (N-6)."""
    cols = b.vars.cadre_columns(c)
    out: dict[int, list[int]] = {}
    for col, t in zip(cols.tolist(), b.group_township[b.pair_group[cols]].tolist(), strict=True):
        out.setdefault(t, []).append(col)
    return out


@encoder("recent_principal_kept")
def encode_recent_principal_kept(b: BuildState, spec: RuleSpec) -> None:
    """1 - (the cadre takes a seat of their own post), for each recent principal whose seats
    are not all closed before the search (`b.allowed`) and whom no exception lifts; must:
    they take one. The referee reads the same closure from the rules (`stay_forbidden`)."""
    p = kind_of(spec).parse(spec)
    free = lifted(p, b)
    if not any(True for _ in recent_principals(p, b.view)) and spec.strength != Strength.must:
        b.record(spec, "county", 0)
    for c in recent_principals(p, b.view):
        ci = b.cadre_index[c.id]
        own = [g.index for g in b.groups if g.seat.township == c.current_township
               and g.seat.main_post == c.current_post]
        where = f"{c.current_township}/{c.id}"
        if not any(b.allowed[ci, g] for g in own) or (free is not None and free[ci]):
            if spec.strength != Strength.must:
                b.record(spec, where, 0)
            continue
        kept = sits_in(b, ci, own)
        if spec.strength == Strength.must:
            b.require(f"{spec.id}@{where}", kept >= 1)
            continue
        # a variable, not the expression 1 - kept: the LP bound reads no objective constant
        moved = b.model.new_bool_var(f"moved_{spec.id}_{c.id}")
        b.model.add(moved + kept == 1)
        b.record(spec, where, moved)


@encoder("relatives_apart")
def encode_relatives_apart(b: BuildState, spec: RuleSpec) -> None:
    """For each related pair and township: must, at most one of the two on its team;
    otherwise both[pair, t] is exactly (both sit there), a township's violation is their
    max (generally) or their count (prefer)."""
    p = kind_of(spec).parse(spec)
    pairs = related_pairs(p, b.view.cadres)
    if not pairs:
        if spec.strength != Strength.must:
            b.record(spec, "county", 0)
        return
    where = {c: columns_by_township(b, b.cadre_index[c]) for x, y, _ in pairs for c in (x, y)}
    for ti, town in enumerate(b.sc.county.townships):
        both: list[Expr] = []
        for k, (x, y, _) in enumerate(pairs):
            xs, ys = where[x].get(ti), where[y].get(ti)
            if not (xs and ys):
                continue
            ya, yb = unit_sum(xs), unit_sum(ys)
            if spec.strength == Strength.must:
                b.require(f"{spec.id}@{town.id}", ya + yb <= 1)
                continue
            z = b.model.new_bool_var(f"rel_{spec.id}_{town.id}_{k}")
            b.model.add(z <= ya)
            b.model.add(z <= yb)
            b.model.add(z >= ya + yb - 1)
            both.append(z)
        if spec.strength == Strength.must:
            continue
        if not both:
            b.record(spec, town.id, 0)
        elif spec.strength == Strength.generally:
            v = b.model.new_bool_var(f"v_{spec.id}_{town.id}")
            b.model.add_max_equality(v, both)
            b.record(spec, town.id, v)
        else:
            b.record(spec, town.id, lin_sum(both))


# --- count kinds -------------------------------------------------------------------


def encode_place(b: BuildState, spec: RuleSpec, place: Place) -> None:
    """Each part: at least `needed` of the cadres in the place's seat groups match its filter."""
    p: Counted = place.filter
    groups = b.groups_of(place.seats)
    for label, target in p.parts.items():
        sitting = sitting_matches(b.view, target, place) if target.more_than_sitting else 0
        need = target.needed(len(place.seats), sitting)
        count = b.count_who(groups, target.who)
        key = part_key(place.key, label)
        if spec.strength == Strength.must:
            b.require_count(spec, label, f"{spec.id}@{key}", count, need)
        else:
            b.record_shortfall(spec, key, count, need)


@encoder("team_min_count", "county_min_count")
def encode_min_count(b: BuildState, spec: RuleSpec) -> None:
    """At each place of the rule (a township's team, the county's seats or one
    post county-wide), as the referee checks it."""
    for place in b.places(spec, kind_of(spec).parse(spec)):
        encode_place(b, spec, place)


@encoder("expertise_cover")
def encode_expertise_cover(b: BuildState, spec: RuleSpec) -> None:
    """covered[group] is exactly (some counted member has a tag of the group)."""
    p: ExpertiseParams = kind_of(spec).parse(spec)
    tags = b.pool.expertise
    has = {label: np.array([bool(t & set(members)) for t in tags], dtype=bool)
           for label, members in p.groups.items()}
    for ti, town in enumerate(b.sc.county.townships):
        groups = [g.index for g in b.groups if g.township == ti and p.applies(g.seat)]
        covered = []
        for label in p.groups:
            n = b.sum_over(groups, has[label])
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
def encode_team_shape(b: BuildState, spec: RuleSpec) -> None:
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
                    problems.append(post_count_problem(posts, expr, lo, hi))
            else:
                ranges.append((expr, lo, hi))
        key = f"{spec.id}@{town.id}"
        if spec.strength == Strength.must:
            if problems:
                b.impossible(reason("shape_impossible", rule=spec.id, township=town.id,
                                    problems=[r.model_dump() for r in problems]))
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


def post_count(b: BuildState, groups: list[SeatGroup], posts: tuple) -> Expr:
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


def check_registries(kinds: Mapping[str, object] = REGISTRY, encoders: Mapping[str, object] = ENCODERS,
                     masks: Mapping[str, object] = SEATED) -> None:
    """Every rule kind has an encoder and every encoder a kind; a seated kind has
    its fail mask. Run at import, so a missing encoder fails before any solve."""
    problems = [f"rule kind '{k}' has no encoder in solver/encoders.py"
                for k in sorted(set(kinds) - set(encoders))]
    problems += [f"encoder '{k}' has no rule kind in model/rules" for k in sorted(set(encoders) - set(kinds))]
    seated_kinds = {k for k, kind in kinds.items() if isinstance(kind, SeatedKind)}
    problems += [f"seated rule kind '{k}' has no fail mask" for k in sorted(seated_kinds - set(masks))]
    if problems:
        raise ImportError("; ".join(problems))


check_registries()
