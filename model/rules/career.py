"""The national rules on careers (shared/directives.md, section N): ranks, years, avoidance.

The five documents assume these rules and do not repeat them, yet a slate that breaks one
is rejected on sight. Most are seated rules (N-1 demotion, N-2 one step, N-3 years at the
rank, N-5 hometown, N-8 years of work and of party membership): as `must` rules the solver
drops the pairs they forbid. N-4 (a recent principal keeps the post) is checked per cadre,
N-6 (relatives apart) per township. N-7 is D1-R1's `same_post_tenure` with `same_post`
false (model/rules/seated.py).

A rule that needs a fact the pool lacks (成长地, 亲属关系, the dates) says so (`no_data`)
and checks nothing. A per-cadre exception of the scenario (`CadreException`) lifts the
rules whose `lifted_by` names its kind; the instance then holds and names it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, ClassVar

from pydantic import BeforeValidator, Field

from model.enums import Kinship, Post, Strength
from model.people import Cadre, Township, full_years
from model.reasons import reason
from model.rules.base import Liftable, PostList, RuleKind, View, kind_of, register
from model.rules.seated import Finding, SeatedKind, SeatedParams, no_data
from model.ruleset import RuleSpec, Seat
from model.slate import RuleInstance

PARTY_POSTS: tuple[Post, ...] = (
    Post.party_secretary, Post.deputy_secretary, Post.deputy_secretary_party,
    Post.deputy_secretary_stability, Post.discipline_secretary, Post.discipline_deputy,
    Post.organization_member, Post.propaganda_member, Post.organization_propaganda_member,
    Post.committee_member,
)
"""Posts of the party committee and its discipline committee: N-8's party years apply."""


@register
class NoDemotion(SeatedKind):
    """N-1: no cadre takes a seat below their rank (正科 in a 副科 seat is 降任) unless the
    scenario records the decision (`demotion`)."""

    kind = "no_demotion"
    params = SeatedParams

    def measure(self, p: SeatedParams, c: Cadre, seat: Seat, t: Township, v: View) -> Finding:
        if c.rank.level <= seat.rank.level:
            return Finding(c.rank.value, seat.rank.value)
        return Finding(c.rank.value, seat.rank.value,
                       reason("demotion", rank=c.rank.value, seat_rank=seat.rank.value))


@register
class OneStepPromotion(SeatedKind):
    """N-2: promotion goes one rank at a time (无 → 副科 → 正科); 无 → 正科 is 越级 and needs the
    scenario's decision (`two_step_promotion`)."""

    kind = "one_step_promotion"
    params = SeatedParams

    def measure(self, p: SeatedParams, c: Cadre, seat: Seat, t: Township, v: View) -> Finding:
        steps = seat.rank.level - c.rank.level
        if steps < 2:
            return Finding(c.rank.value, seat.rank.value)
        return Finding(c.rank.value, seat.rank.value,
                       reason("two_steps", rank=c.rank.value, seat_rank=seat.rank.value))


class RankYearsParams(SeatedParams):
    """`min_years` full years at the rank held (任职级时间, `rank_since`) before one rank up."""

    min_years: int = Field(default=2, ge=0, le=20)


@register
class RankYears(SeatedKind):
    """N-3: 副科 → 正科 needs `min_years` at 副科 (2, generally: fewer is 破格, lifted by an
    `exceptional_promotion`); the preset's second row (`N-3-floor`, 1 year, must) is never
    lifted: 提拔任职不满一年的,不得破格提拔. Only promotions from a rank (not from 无) count."""

    kind = "rank_years"
    params = RankYearsParams

    def measure(self, p: RankYearsParams, c: Cadre, seat: Seat, t: Township, v: View) -> Finding:
        if c.rank.level == 0 or seat.rank.level != c.rank.level + 1:
            return Finding(None, p.min_years)
        if c.rank_since is None:
            return Finding(None, p.min_years, note=no_data("rank_since"))
        years = full_years(c.rank_since, v.on)
        if years >= p.min_years:
            return Finding(years, p.min_years)
        return Finding(years, p.min_years, reason("rank_years_short", rank=c.rank.value,
                                                  seat_rank=seat.rank.value, years=years,
                                                  min_years=p.min_years))


def grew_up_in(c: Cadre, t: Township) -> bool:
    """The cadre's 成长地 names this township, by id or by name (N-5)."""
    return c.hometown is not None and c.hometown.strip() in (t.id, t.name)


@register
class HometownAvoidance(SeatedKind):
    """N-5: the secretary and the head do not serve in the township where they grew up (地域回避).
    Without a 成长地 the rule says so and checks nothing."""

    kind = "hometown_avoidance"
    params = SeatedParams

    def measure(self, p: SeatedParams, c: Cadre, seat: Seat, t: Township, v: View) -> Finding:
        if c.hometown is None:
            return Finding(None, t.id, note=no_data("hometown"))
        if not grew_up_in(c, t):
            return Finding(c.hometown, t.id)
        return Finding(c.hometown, t.id, reason("hometown", hometown=c.hometown, township=t.id))


class ServiceYearsParams(SeatedParams):
    """Full years of work (工龄, from `work_since`) for any seat, and of party membership (党龄,
    from `party_since`) for a seat holding one of `party_posts`."""

    min_work_years: int = Field(default=3, ge=0, le=40)
    min_party_years: int = Field(default=1, ge=0, le=40)
    party_posts: PostList = PARTY_POSTS


@register
class ServiceYears(SeatedKind):
    """N-8: minimum years of work for a leadership post and of party membership for a party
    post; without the dates the rule says so and checks nothing."""

    kind = "service_years"
    params = ServiceYearsParams

    def measure(self, p: ServiceYearsParams, c: Cadre, seat: Seat, t: Township, v: View) -> Finding:
        """Years of work against their minimum, then party years on a party seat; the first
        that fails decides, and a date not given is named."""
        party_seat = any(post in p.party_posts for post in seat.posts)
        checks = [("work_since", p.min_work_years, True), ("party_since", p.min_party_years, party_seat)]
        missing: list[str] = []
        for fld, least, applies in checks:
            day = getattr(c, fld)
            if not applies or day is None:
                missing += [fld] if applies else []
                continue
            years = full_years(day, v.on)
            if years < least:
                why = reason("work_years_short", years=years, min_years=least) if fld == "work_since" \
                    else reason("party_years_short", years=years, min_years=least)
                return Finding(years, least, why)
        work = None if c.work_since is None else full_years(c.work_since, v.on)
        return Finding(work, p.min_work_years, note=no_data(*missing) if missing else None)


class RecentPrincipalParams(Liftable):
    """A principal who took the post fewer than `years` full years before the reshuffle."""

    years: int = Field(default=2, ge=1, le=10)


def own_seats(c: Cadre, seats: list[Seat]) -> list[Seat]:
    """The seats of the cadre's township known by their current post: keeping one is 连任."""
    return [s for s in seats if s.township == c.current_township and s.main_post == c.current_post]


def recent_principals(p: RecentPrincipalParams, view: View) -> Iterator[Cadre]:
    """Sitting principals (党政正职) of fewer than `years` in the post, in pool order."""
    principal = view.principal_posts
    for c in view.cadres.values():
        if c.is_sitting and c.current_post in principal and c.tenure(view.on) < p.years:
            yield c


def stay_forbidden(c: Cadre, seat: Seat, view: View) -> str | None:
    """What keeps the cadre out of this seat before any slate: a removal, a ban, a pin to
    another seat or a `must` seated rule (its id); None if the seat is open to them."""
    if c.id in view.removed:
        return "remove"
    if any(b.cadre == c.id and b.covers(seat.township, seat.template.id)
           for b in view.bans):
        return "ban"
    if any(pin.cadre == c.id and not pin.takes(seat.township, seat.template.id) for pin in view.pins):
        return "pin"
    town = view.townships[seat.township]
    for spec in view.rules:
        kind = kind_of(spec)
        if spec.strength != Strength.must or not isinstance(kind, SeatedKind):
            continue
        q = kind.parse(spec)
        if q.applies(seat) and kind.fails(q, c, seat, town, view) is not None:
            return spec.id
    return None


@register
class RecentPrincipalKept(RuleKind):
    """N-4: a principal who took the post shortly before the reshuffle keeps it (same township,
    same main post) unless a rule moves them (every such seat closed to them by a `must` rule,
    a removal, a ban or a pin) or the scenario's decision does (`kept_for_work`). With no
    such principal in the pool, one instance says so."""

    kind = "recent_principal_kept"
    params = RecentPrincipalParams
    scope: ClassVar[str] = "cadre"

    def check(self, spec: RuleSpec, view: View) -> list[RuleInstance]:
        p: RecentPrincipalParams = self.parse(spec)
        recent = view.of_rule(spec, "recent", lambda: list(recent_principals(p, view)))
        if not recent:
            return [self.instance(spec, "county", True, reason("no_recent_principal", years=p.years))]
        where = {c.id: (t, s) for (t, s), c in view.seated.items()}
        out: list[RuleInstance] = []
        for c in recent:
            seats = own_seats(c, view.seats_by_township.get(c.current_township or "", []))
            tenure = c.tenure(view.on)
            post = c.current_post.value if c.current_post else None
            facts = dict(cadre=c.id, township=c.current_township, post=post, tenure=tenure, years=p.years)
            kept = where.get(c.id) in {(s.township, s.id) for s in seats}
            if kept:
                why, holds = reason("principal_kept", **facts), True
            else:
                blocked = [stay_forbidden(c, s, view) for s in seats]
                ex = view.lifting(c.id, p)
                if not seats or all(blocked):
                    by = sorted(set(filter(None, blocked)))
                    why, holds = reason("principal_moved_by_rule", **facts, by=by), True
                elif ex is not None:
                    why, holds = reason("exception", cadre=c.id, kind=ex.kind.value, reason=ex.reason,
                                        finding=reason("principal_moved", **facts).model_dump()), True
                else:
                    why, holds = reason("principal_moved", **facts), False
            out.append(self.instance(spec, f"{c.current_township}/{c.id}", holds, why,
                                     township=c.current_township, cadre=c.id, value=tenure, limit=p.years))
        return out

    def max_penalty(self, spec: RuleSpec, view: View) -> int:
        return spec.weight * sum(1 for _ in recent_principals(self.parse(spec), view))


class RelativesParams(Liftable):
    """The kinds of relation that keep two cadres off one team (公务员法 第七十四条)."""

    kinds: tuple[Annotated[Kinship, BeforeValidator(Kinship.parse)], ...] = tuple(Kinship)


def related_pairs(p: RelativesParams, pool: Mapping[str, Cadre]) -> list[tuple[str, str, Kinship]]:
    """Each relation of the pool once, (first id, second id, kind) in pool order; a relation
    given on either side (or both) counts once, with the kind first given."""
    seen: dict[frozenset[str], tuple[str, str, Kinship]] = {}
    for c in pool.values():
        for rel in c.relatives:
            pair = frozenset((c.id, rel.cadre))
            if rel.kind in p.kinds and rel.cadre in pool and len(pair) == 2 and pair not in seen:
                seen[pair] = (c.id, rel.cadre, rel.kind)
    return list(seen.values())


@register
class RelativesApart(RuleKind):
    """N-6: relatives (夫妻, 直系血亲, 三代以内旁系血亲, 近姻亲) never sit on one township's team
    (任职回避). One instance per township; with no relation in the pool, one instance that
    says so and checks nothing. A `prefer` break costs its weight per related pair."""

    kind = "relatives_apart"
    params = RelativesParams
    scope: ClassVar[str] = "township"

    def check(self, spec: RuleSpec, view: View) -> list[RuleInstance]:
        pairs = view.of_rule(spec, "related", lambda: related_pairs(self.parse(spec), view.cadres))
        if not pairs:
            return [self.instance(spec, "county", True, no_data("relatives"))]
        out: list[RuleInstance] = []
        for tid in view.townships:
            team = {c.id for _, c in view.team(tid)}
            found = [[a, b, kind.value] for a, b, kind in pairs if a in team and b in team]
            out.append(self.instance(spec, tid, not found, reason("relatives", township=tid, pairs=found),
                                     amount=len(found), township=tid, value=len(found), limit=0))
        return out

    def max_penalty(self, spec: RuleSpec, view: View) -> int:
        return spec.weight * len(related_pairs(self.parse(spec), view.cadres))
