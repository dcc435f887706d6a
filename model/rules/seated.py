"""Rules about who may hold a seat: checked once per seat, on the cadre in it.

These are the eligibility rows (D1-E*, D3-E*) and rotation (D1-R1, D1-R2). As
`must` rules the solver drops the (cadre, seat) pairs they forbid before any
variable exists; as `generally` or `prefer` rules each seat is one instance.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, ClassVar, Literal, NamedTuple

from pydantic import BeforeValidator, Field

from model.enums import Education, Gender, Post, Rank
from model.people import Cadre, Township
from model.reasons import Reason, reason
from model.rules.base import Liftable, RuleKind, SeatFilter, View, register
from model.ruleset import BUNDLED_POSTS, RuleSpec, Seat
from model.slate import RuleInstance

Measure = int | float | str | None

SEAT_OK = reason("seat_ok")
"""A seated rule that holds for the cadre in the seat."""


class Finding(NamedTuple):
    """A seated rule on one cadre: the cadre's `value`, the `limit` it was checked
    against (both None where the rule does not measure this cadre) and, when the
    rule is broken, `why` as data with the numbers. `note` is why a rule that holds
    says more than "符合": the data it needs is not given (N-5, N-8), or an exception
    of the scenario lifts it for this cadre. A named tuple: one is made per seat and rule
    of every slate judged, and a frozen dataclass costs several times as much to make."""

    value: Measure
    limit: Measure
    why: Reason | None = None
    note: Reason | None = None


class SeatedParams(SeatFilter, Liftable):
    """The params of every seated rule: the seats it looks at, and the exceptions that lift it."""


def no_data(*fields: str) -> Reason:
    """A rule that needs these cadre fields, not given: it checks nothing (N-3, N-5, N-8)."""
    return reason("no_data", fields=list(fields))


@cache
def own_posts(posts: tuple[Post, ...]) -> frozenset[Post]:
    """The posts a seat holds in its own right: the bundled ones (deputy secretary, committee
    member) left out, as a deputy secretary of 10 years may become head (D1-R1)."""
    return frozenset(p for p in posts if p not in BUNDLED_POSTS) or frozenset(posts[:1])


def posts_of(c: Cadre, seat: Seat | None) -> frozenset[Post]:
    """Every post a sitting member holds now (D1-R1 reads them all): those of `seat`, the seat of
    their township known by their current post (`View.seat_known_by`; 人武部长、副镇长 holds
    副乡镇长 too), else, with no such seat (None), the post alone."""
    if c.current_post is None:
        return frozenset()
    return own_posts(seat.posts) if seat is not None else frozenset({c.current_post})


class SeatedKind(RuleKind):
    """A rule checked on the cadre in each seat it applies to (`SeatFilter.applies`)."""

    scope: ClassVar[str] = "seat"

    def measure(self, p: SeatedParams, c: Cadre, seat: Seat, t: Township, v: View) -> Finding:
        """Cadre `c` in `seat` against the rule, with the numbers."""
        raise NotImplementedError

    def judged(self, p: SeatedParams, c: Cadre, seat: Seat, t: Township, v: View) -> Finding:
        """`measure`, with a break that an exception of the scenario lifts turned into a note."""
        found = self.measure(p, c, seat, t, v)
        ex = v.lifting(c.id, p) if found.why is not None else None
        if ex is None:
            return found
        return Finding(found.value, found.limit, note=reason(
            "exception", cadre=c.id, kind=ex.kind.value, reason=ex.reason, finding=found.why.model_dump()))

    def fails(self, p: SeatedParams, c: Cadre, seat: Seat, t: Township, v: View) -> Reason | None:
        """Why cadre `c` in `seat` breaks the rule, with the numbers; None if it holds."""
        return self.judged(p, c, seat, t, v).why

    def check(self, spec: RuleSpec, view: View) -> list[RuleInstance]:
        """One instance per seat the rule applies to that has a cadre. The finding reads the cadre
        and the seat, never the rest of the slate (what makes a rule seated), so each (seat, cadre)
        is judged once per scenario (the memo is the scenario's, and so are its cadres): the slates
        of one solve, the forced solves and what-ifs on it, share most of their seats."""
        p = self.parse(spec)
        out: list[RuleInstance] = []
        seated = view.seated
        known: dict[str, RuleInstance] = view.of_rule(spec, "judged", dict)  # by "seat place cadre id"
        for seat, key, where, town in view.of_rule(spec, "seated", lambda: self.places(p, view)):
            cadre = seated.get(key)
            if cadre is None:
                continue
            pair = f"{where} {cadre.id}"  # a string, not a tuple: the collector need not track it
            hit = known.get(pair)
            if hit is None:
                found = self.judged(p, cadre, seat, town, view)
                hit = known[pair] = self.instance(
                    spec, where, found.why is None, found.why or found.note or SEAT_OK,
                    township=seat.township, seat=seat.id, cadre=cadre.id,
                    value=found.value, limit=found.limit,
                )
            out.append(hit)
        return out

    def places(self, p: SeatedParams, view: View) -> list[tuple[Seat, tuple[str, str], str, Township]]:
        """The seats the rule applies to, in scenario order, each with its key in `View.seated`,
        its place in instance keys and its township: the same for every slate of a scenario, and
        for every rule of the same seat filter (`SeatFilter.applies` reads `posts` and `principal`)."""
        def every() -> list[tuple[Seat, tuple[str, str], str, Township]]:
            return [(s, (s.township, s.id), f"{s.township}/{s.id}", view.townships[s.township])
                    for s in view.seats]
        def applying() -> list[tuple[Seat, tuple[str, str], str, Township]]:
            return [place for place in view.fact("seat_places", every) if p.applies(place[0])]
        return view.fact(("seat_places", p.posts, p.principal), applying)

    def max_penalty(self, spec: RuleSpec, view: View) -> int:
        p = self.parse(spec)
        return spec.weight * sum(1 for s in view.seats if p.applies(s))


class ExperienceParams(SeatedParams):
    field: Literal["township_years", "leadership_years"]
    min_years: int = Field(default=1, ge=0, le=60)


@register
class Experience(SeatedKind):
    """D1-E1 township work; D1-E2, D3-E1 township leadership experience."""

    kind = "experience"
    params = ExperienceParams

    def measure(self, p: ExperienceParams, c: Cadre, seat: Seat, t: Township, v: View) -> Finding:
        years = getattr(c, p.field)
        why = None if years >= p.min_years else reason("experience_short", field=p.field, years=years,
                                                         min_years=p.min_years)
        return Finding(years, p.min_years, why)


class EducationParams(SeatedParams):
    minimum: Annotated[Education, BeforeValidator(Education.parse)] = Education.college


@register
class MinEducation(SeatedKind):
    """D1-E4: principal posts need college (大专) or higher."""

    kind = "min_education"
    params = EducationParams

    def measure(self, p: EducationParams, c: Cadre, seat: Seat, t: Township, v: View) -> Finding:
        why = None if c.education.level >= p.minimum.level else reason(
            "education_below", education=c.education.value, minimum=p.minimum.value)
        return Finding(c.education.value, p.minimum.value, why)


@register
class EthnicHead(SeatedKind):
    """D1-E5: an ethnic township's head belongs to the township's minority."""

    kind = "ethnic_head"
    params = SeatedParams

    def measure(self, p: SeatedParams, c: Cadre, seat: Seat, t: Township, v: View) -> Finding:
        if t.ethnic_minority is None or c.ethnicity == t.ethnic_minority:
            return Finding(c.ethnicity, t.ethnic_minority)
        return Finding(c.ethnicity, t.ethnic_minority,
                       reason("ethnic_head", required=t.ethnic_minority, ethnicity=c.ethnicity))


class RenominationParams(SeatedParams):
    """Thresholds of D1-E6: votes must be more than half (未过半数 fails), and
    the incompetent share must not exceed a third (超过三分之一 fails)."""

    min_recommendation_share: float | None = Field(default=0.5, ge=0.0, le=1.0)
    max_incompetent_share: float = Field(default=1 / 3, ge=0.0, le=1.0)


@register
class Renomination(SeatedKind):
    """D1-E6, D5-E1: a sitting member with weak votes is not nominated again,
    unless the scenario records the organization's reason to keep them."""

    kind = "renomination"
    params = RenominationParams

    def measure(self, p: RenominationParams, c: Cadre, seat: Seat, t: Township, v: View) -> Finding:
        """The recommendation share against its floor, or the incompetent share
        against its cap where that is what fails."""
        rec, inc = c.recommendation_share, c.incompetent_share
        floor = p.min_recommendation_share
        if c.id in v.renomination_overrides:
            return Finding(rec, floor)
        if floor is not None and rec is not None and rec <= floor:
            return Finding(rec, floor, reason("votes_short", share=rec, floor=floor))
        if inc is not None and inc > p.max_incompetent_share:
            return Finding(inc, p.max_incompetent_share,
                           reason("incompetent_votes", share=inc, cap=p.max_incompetent_share))
        return Finding(rec, floor)


class AgeCapParams(SeatedParams):
    """D3-E2's caps (inclusive: 'not over 40' allows 40). `*_outstanding` apply to
    cadres flagged 特别优秀; `exit_*` is the age (满) from which a cadre no longer
    holds a section-level post, `kept_*` the cap for one kept for the work."""

    new_deputy: int = 40
    new_deputy_outstanding_male: int = 45
    new_deputy_outstanding_female: int = 43
    new_full_male: int = 45
    new_full_female: int = 43
    new_full_outstanding_male: int = 48
    new_full_outstanding_female: int = 45
    exit_male: int = 53
    exit_female: int = 48
    kept_male: int = 55
    kept_female: int = 50


@register
class AgeCap(SeatedKind):
    """D3-E2: age caps by the rank a cadre is promoted to, and by gender."""

    kind = "age_cap"
    params = AgeCapParams

    def measure(self, p: AgeCapParams, c: Cadre, seat: Seat, t: Township, v: View) -> Finding:
        """The age against the limit that decides: the cap for one kept for the
        work or the exit age (满), then, on a promotion, the promotion cap."""
        age = c.age(v.on)
        male = c.gender == Gender.male
        if c.kept_for_work:
            limit = p.kept_male if male else p.kept_female
            if age > limit:
                return Finding(age, limit, reason("age_kept", age=age, limit=limit))
        else:
            limit = p.exit_male if male else p.exit_female
            if age >= limit:
                return Finding(age, limit, reason("age_exit", age=age, limit=limit))
        if seat.rank.level <= c.rank.level:
            return Finding(age, limit)
        if seat.rank == Rank.full_section:
            cap = (
                (p.new_full_outstanding_male if male else p.new_full_outstanding_female)
                if c.outstanding
                else (p.new_full_male if male else p.new_full_female)
            )
        else:
            cap = (
                (p.new_deputy_outstanding_male if male else p.new_deputy_outstanding_female)
                if c.outstanding
                else p.new_deputy
            )
        if age > cap:
            return Finding(age, cap, reason("age_promotion", age=age, cap=cap, rank=seat.rank.value,
                                            outstanding=c.outstanding))
        return Finding(age, cap)


class TenureParams(SeatedParams):
    """`same_post` false: any post in the same township's team counts (D1-R4, N-7)."""

    years: int = Field(ge=1, le=40)
    same_post: bool = True


@register
class SamePostTenure(SeatedKind):
    """D1-R1 (10 years: must move), D1-R2 (5 years: moved as planned): a cadre
    who has held a post that long does not hold it again in the same township.
    Every post of both seats counts (`posts_of`, `own_posts`): a 副乡镇长 of 10 years
    may not become 人武部长、副镇长 there, but a deputy secretary may become head (the
    deputy secretaryship is bundled, not the post). With `same_post` false any seat of
    the township's team counts: N-7, the cadre who must move leaves the team (D1-R4 too)."""

    kind = "same_post_tenure"
    params = TenureParams

    def measure(self, p: TenureParams, c: Cadre, seat: Seat, t: Township, v: View) -> Finding:
        """Years in the post that counts; None for a cadre who does not hold it here."""
        if not c.sits_in(seat.township) or c.current_post is None:
            return Finding(None, p.years)
        if p.same_post and not posts_of(c, v.seat_known_by(c.current_township, c.current_post)) \
                & own_posts(seat.posts):
            return Finding(None, p.years)
        tenure = c.tenure(v.on)
        if tenure < p.years:
            return Finding(tenure, p.years)
        return Finding(tenure, p.years, reason("tenure_reached", post=c.current_post.value, tenure=tenure,
                                               years=p.years, same_post=p.same_post))


class MeritParams(SeatedParams):
    min_points: int = Field(ge=0, le=13)


@register
class MinMerit(SeatedKind):
    """D1-E3: the head is chosen from strong cadres; with no measurable criterion
    in the text, 'strong' is read from the merit points (grades and votes)."""

    kind = "min_merit"
    params = MeritParams

    def measure(self, p: MeritParams, c: Cadre, seat: Seat, t: Township, v: View) -> Finding:
        points = c.merit
        return Finding(points, p.min_points,
                       None if points >= p.min_points else reason("merit_below", points=points,
                                                                  min_points=p.min_points))


class FullTermParams(SeatedParams):
    """A term is `term_years`. The limits are the ages at which a cadre stops
    serving under D3-E2: 53 / 48 (满53, 满48), or 56 / 51 for one kept for the work
    (不得超过55/50 周岁 allows 55 / 50). Reaching the limit as the term ends is fine."""

    term_years: int = Field(default=5, ge=1, le=10)
    exit_male: int = 53
    exit_female: int = 48
    kept_male: int = 56
    kept_female: int = 51


@register
class FullTerm(SeatedKind):
    """D1-R3: a cadre who moves in (from another township or a county organ) can
    serve a full term before reaching the age at which they no longer serve."""

    kind = "full_term"
    params = FullTermParams

    def measure(self, p: FullTermParams, c: Cadre, seat: Seat, t: Township, v: View) -> Finding:
        """The age at the end of the term against the limit; None for one who stays."""
        male = c.gender == Gender.male
        if c.kept_for_work:
            limit = p.kept_male if male else p.kept_female
        else:
            limit = p.exit_male if male else p.exit_female
        if c.current_township == seat.township:
            return Finding(None, limit)
        end = c.age(v.on) + p.term_years
        if end <= limit:
            return Finding(end, limit)
        return Finding(end, limit, reason("full_term_short", end_age=end, limit=limit))
