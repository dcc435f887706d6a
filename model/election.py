"""The lists of the party congress (section V of shared/directives.md), from a solved slate:

- the committee's differential candidate list (D1-V1): the slate's committee members and at least
  20% more names (差额人选), the best by score among the cadres outside the slate whom no must rule
  keeps out of a committee seat of the township;
- the ballot (D1-V2): secretary and deputy secretaries first, in the order of their seats, then
  the others by strokes (model/strokes.py), 姓氏笔画 or 姓名笔画;
- the 1:2 list of new promotions in the meeting recommendation (D5-V1): for each seat the slate
  fills by promotion (提拔), its holder and one more name for whom the seat is a promotion too;
- which meeting a township holds and the quorum of a members' meeting (D5-V2).

A cadre's score for a seat is the solver's: the bonus terms of model/score.py (merit, continuity,
reserve) less the weights of the prefer seated rules the cadre breaks there; a cadre who breaks a
generally rule there ranks below every one who breaks none, as in the slate's own score. The
rules are checked as the referee checks them (model/eligibility.py). Facts are reasons (codes and
numbers, each with its rule id); the renderers word them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from model.eligibility import seated_breaks
from model.enums import Change, Post, Strength
from model.reasons import Reason, reason
from model.referee import make_view
from model.rules.base import View
from model.ruleset import Seat
from model.scenario import Scenario
from model.score import bonus_terms, change_of
from model.slate import Assignment
from model.strokes import Convention, UnknownCharacter, name_key, unknown_characters

COMMITTEE_POSTS = frozenset({
    Post.party_secretary, Post.deputy_secretary, Post.deputy_secretary_party,
    Post.deputy_secretary_stability, Post.discipline_secretary, Post.organization_member,
    Post.propaganda_member, Post.organization_propaganda_member,
})
"""Posts that are themselves seats on the party committee (with 党委委员 itself, a committee seat)."""

LEADER_POSTS = frozenset({Post.party_secretary, Post.deputy_secretary, Post.deputy_secretary_party,
                          Post.deputy_secretary_stability})
"""书记 and 副书记: first on the ballot (D1-V2), and elected by the committee, not on the differential."""

DIFFERENTIAL_PERCENT = 20
"""D1-V1: 差额比例不低于20%: at least this many more candidates than seats, in percent."""

PROMOTION_RATIO = 2
"""D5-V1: 新提拔人选按班子缺额1:2: names per seat filled by a new promotion."""

PROMOTIONS = frozenset({Change.promoted, Change.promoted_early, Change.promoted_two_ranks})
"""The 变动 words of a new promotion (提拔, 破格提拔, 越级提拔)."""

CONGRESS_MEMBERS = 500
"""D5-V2: 党员人数在500人以上 (500 included) may hold a party congress of representatives."""

QUORUM = (4, 5)
"""D5-V2: at a members' meeting more than 4/5 of those who should attend are present."""


def differential_extra(seats: int) -> int:
    """How many names beyond the seats D1-V1 asks: the least whole number not below 20% of the
    seats, i.e. ceil(seats / 5), in integers (7 seats: 1.4 -> 2 more, 9 candidates; 5 seats: exactly 1)."""
    return -(-seats * DIFFERENTIAL_PERCENT // 100)


def quorum(should_attend: int) -> int:
    """The fewest present that is more than 4/5 of those who should attend (D5-V2): 4/5 exactly is not
    enough, so 100 asks 81 and 5 asks 5."""
    num, den = QUORUM
    return should_attend * num // den + 1


class Listed(BaseModel):
    """A name on a list: the cadre, the seat they hold on the slate or are scored for (an extra
    name: their best committee seat of the township), their score there (`points`) and the
    generally rules they break there (`broken`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cadre: str
    name: str
    seat: str
    points: int
    broken: tuple[str, ...] = ()
    leader: bool = False
    """书记 or 副书记 on the slate: first on the ballot."""


class CommitteeList(BaseModel):
    """The committee's candidate list of one township (D1-V1): `seats` committee seats on the slate,
    `required` names at least (seats + ceil(20%)); `members` the slate's committee members in
    the order of the team, `extras` the 差额人选, best first, from `eligible` cadres outside the
    slate; `short` how many names are missing when too few are eligible (0: the list holds)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    township: str
    seats: int
    required: int
    members: tuple[Listed, ...]
    extras: tuple[Listed, ...]
    eligible: int
    short: int = 0
    reasons: tuple[Reason, ...] = ()

    @property
    def candidates(self) -> tuple[Listed, ...]:
        return (*self.members, *self.extras)


class BallotEntry(BaseModel):
    """One line of the ballot: its number (1 first), the candidate, `key` the stroke key it sorted by."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: int
    candidate: Listed
    key: tuple[int, ...] = ()


class Ballot(BaseModel):
    """The committee ballot of one township (D1-V2): the leaders first in the order of their
    seats, then the other candidates by strokes under `convention`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    township: str
    convention: Convention
    entries: tuple[BallotEntry, ...]
    committee: CommitteeList
    reasons: tuple[Reason, ...] = ()


class PromotionPair(BaseModel):
    """One seat the slate fills by promotion and its two names (D5-V1): the slate's holder and the
    next best for whom the seat is a promotion too (`other` None: nobody eligible is left)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    seat: str
    holder: Listed
    other: Listed | None = None


class PromotionList(BaseModel):
    """The 1:2 list of one township's new promotions (D5-V1); `short` the seats without a second name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    township: str
    pairs: tuple[PromotionPair, ...]
    short: int = 0
    reasons: tuple[Reason, ...] = ()


# --------------------------------------------------------------------------- the slate's seats


def seats_on(sc: Scenario, assignments: list[Assignment] | tuple[Assignment, ...], township: str
             ) -> list[tuple[Seat, Assignment]]:
    """The township's seats the slate fills, in the order of the team."""
    by = {(a.township, a.seat): a for a in assignments}
    return [(s, by[(s.township, s.id)]) for s in sc.seats_of(township) if (s.township, s.id) in by]


def on_committee(seat: Seat, a: Assignment) -> bool:
    """The seat, with the optional posts the slate gives it, sits on the party committee."""
    posts = {*seat.posts, *a.extra_posts}
    return Post.committee_member in posts or bool(posts & COMMITTEE_POSTS)


def is_leader(seat: Seat) -> bool:
    return bool(set(seat.posts) & LEADER_POSTS)


def scored(sc: Scenario, cadre: str, seat: Seat, view: View) -> tuple[bool, int, tuple[str, ...]]:
    """(allowed, points, generally rules broken) of the cadre in the seat: allowed when no must rule,
    ban or removal keeps them out."""
    if cadre in sc.remove or any(b.cadre == cadre and b.township == seat.township
                                 and b.seat in (None, seat.template.id) for b in sc.bans):
        return False, 0, ()
    breaks = seated_breaks(sc, cadre, seat, view)
    if any(b.strength == Strength.must for b in breaks):
        return False, 0, ()
    bonus = sum(p for p, _ in bonus_terms(sc, sc.cadre_by_id[cadre], seat).values())
    points = bonus - sum(b.penalty for b in breaks)
    return True, points, tuple(b.rule for b in breaks if b.strength == Strength.generally)


def listed(sc: Scenario, cadre: str, seat: Seat, points: int, broken: tuple[str, ...] = ()) -> Listed:
    return Listed(cadre=cadre, name=sc.cadre_by_id[cadre].name, seat=seat.id, points=points, broken=broken,
                  leader=is_leader(seat))


def rank_key(x: Listed) -> tuple[int, int, str]:
    """Best first: no generally rule broken, then more points, then the id (a stable order)."""
    return (len(x.broken), -x.points, x.cadre)


# --------------------------------------------------------------------------- D1-V1, D1-V2


def committee_list(sc: Scenario, assignments: list[Assignment] | tuple[Assignment, ...], township: str,
                   view: View | None = None) -> CommitteeList:
    """The differential list of D1-V1 for one township of the slate. An extra name is a cadre on
    no seat of the slate (anywhere in the county) whom no must rule keeps out of at least one
    committee seat of the township other than 书记 and 副书记 (those the new committee elects from
    its members); their score is that of their best such seat."""
    view = view if view is not None else make_view(sc, [])
    filled = seats_on(sc, assignments, township)
    committee = [(s, a) for s, a in filled if on_committee(s, a)]
    members = []
    for s, a in committee:
        _, points, broken = scored(sc, a.cadre, s, view)
        members.append(listed(sc, a.cadre, s, points, broken))
    seated = {a.cadre for a in assignments}
    open_seats = [s for s, _ in committee if not is_leader(s)]
    best: dict[str, Listed] = {}
    for c in sc.cadres:
        if c.id in seated:
            continue
        for s in open_seats:
            ok, points, broken = scored(sc, c.id, s, view)
            if ok:
                x = listed(sc, c.id, s, points, broken)
                if c.id not in best or rank_key(x) < rank_key(best[c.id]):
                    best[c.id] = x
    extra = differential_extra(len(committee))
    extras = sorted(best.values(), key=rank_key)[:extra]
    required = len(committee) + extra
    short = required - len(members) - len(extras)
    reasons = [reason("differential_count", rule="D1-V1", seats=len(committee), extra=extra,
                      required=required, percent=DIFFERENTIAL_PERCENT)]
    if short:
        reasons.append(reason("differential_short", rule="D1-V1", township=township, required=required,
                              have=len(members) + len(extras), eligible=len(best)))
    return CommitteeList(township=township, seats=len(committee), required=required, members=tuple(members),
                         extras=tuple(extras), eligible=len(best), short=short, reasons=tuple(reasons))


def ballot(sc: Scenario, cl: CommitteeList, convention: Convention = Convention.surname) -> Ballot:
    """The ballot of D1-V2: the leaders in the order of the team, then the others by strokes under
    `convention` (ties, the same name twice, by cadre id). A name with a character the stroke table
    lacks raises UnknownCharacter (the first; `unknown_characters` lists them all)."""
    leaders = [x for x in cl.members if x.leader]
    rest = [x for x in cl.candidates if not x.leader]
    missing = unknown_characters([x.name for x in rest])
    if missing:
        raise missing[0]
    keyed = sorted(((name_key(x.name, convention), x) for x in rest), key=lambda kx: (kx[0], kx[1].cadre))
    entries = [BallotEntry(number=i, candidate=x) for i, x in enumerate(leaders, 1)]
    entries += [BallotEntry(number=i, candidate=x, key=k) for i, (k, x) in enumerate(keyed, len(leaders) + 1)]
    return Ballot(township=cl.township, convention=convention, entries=tuple(entries), committee=cl,
                  reasons=(reason("ballot_order", rule="D1-V2", convention=convention.value,
                                  leaders=len(leaders), others=len(rest)),))


# --------------------------------------------------------------------------- D5-V1


def promotion_list(sc: Scenario, assignments: list[Assignment] | tuple[Assignment, ...], township: str,
                   view: View | None = None) -> PromotionList:
    """The 1:2 list of D5-V1: each seat of the township the slate fills by a new promotion, with its
    holder and a second name: a cadre on no seat of the slate, allowed in the seat by every must rule,
    for whom it is a promotion too. No cadre is second for two seats; among the ways to give each seat
    one, the list takes one that fills the most seats, then the best by rank_key seat by seat in the
    order of the team (`matched`)."""
    view = view if view is not None else make_view(sc, [])
    seated = {a.cadre for a in assignments}
    pairs_in: list[tuple[Seat, Listed, list[Listed]]] = []
    for s, a in seats_on(sc, assignments, township):
        c = sc.cadre_by_id[a.cadre]
        if change_of(sc, c, s) not in PROMOTIONS:
            continue
        _, points, broken = scored(sc, a.cadre, s, view)
        options = []
        for other in sc.cadres:
            if other.id in seated or change_of(sc, other, s) not in PROMOTIONS:
                continue
            ok, p, b = scored(sc, other.id, s, view)
            if ok:
                options.append(listed(sc, other.id, s, p, b))
        pairs_in.append((s, listed(sc, a.cadre, s, points, broken), sorted(options, key=rank_key)))
    picked = matched([opts for _, _, opts in pairs_in])
    pairs = tuple(PromotionPair(seat=s.id, holder=h, other=o) for (s, h, _), o in zip(pairs_in, picked,
                                                                                       strict=True))
    short = sum(p.other is None for p in pairs)
    reasons = [reason("promotion_ratio", rule="D5-V1", seats=len(pairs), names=2 * len(pairs) - short)]
    reasons += [reason("promotion_short", rule="D5-V1", township=township, seat=p.seat)
                for p in pairs if p.other is None]
    return PromotionList(township=township, pairs=pairs, short=short, reasons=tuple(reasons))


def matching_size(options: list[list[str]], taken: frozenset[str] = frozenset()) -> int:
    """The most seats that can each get a distinct cadre of their options, none of `taken`
    (augmenting paths, Kuhn's algorithm: a few seats, a few dozen cadres)."""
    holder: dict[str, int] = {}

    def place(i: int, seen: set[str]) -> bool:
        for c in options[i]:
            if c in taken or c in seen:
                continue
            seen.add(c)
            if c not in holder or place(holder[c], seen):
                holder[c] = i
                return True
        return False

    return sum(place(i, set()) for i in range(len(options)))


def matched(options: list[list[Listed]]) -> list[Listed | None]:
    """One distinct cadre per seat (or None), each seat's options best first: as many seats filled
    as can be, and, seat by seat in order, the best option that still lets that many be filled."""
    ids = [[x.cadre for x in opts] for opts in options]
    target = matching_size(ids)
    out: list[Listed | None] = []
    taken: frozenset[str] = frozenset()
    filled = 0
    for i, opts in enumerate(options):
        rest = ids[i + 1:]
        pick = None
        for x in opts:
            if x.cadre not in taken and filled + 1 + matching_size(rest, taken | {x.cadre}) == target:
                pick = x
                break
        out.append(pick)
        if pick is not None:
            taken, filled = taken | {pick.cadre}, filled + 1
    return out


# --------------------------------------------------------------------------- D5-V2


class Membership(BaseModel):
    """A township's party members and the five kinds D5-V2 does not count among those who should
    attend (五种人): too ill to express their will, abroad at their own expense for half a year or
    more, serving a sentence, unable to look after themselves, and those who should have moved their
    membership and have not. `present`: those at a members' meeting, when known. `dispersed`: the
    township's party organizations lie far apart (所辖党组织驻地分散), which lets a smaller one hold a
    congress too."""

    model_config = ConfigDict(frozen=True, extra="forbid",
                              json_schema_extra={"examples": [{"members": 480, "ill": 3, "abroad": 2,
                                                               "imprisoned": 1, "dependent": 4,
                                                               "untransferred": 5, "present": 370}]})

    members: int = Field(ge=1, le=200_000, description="party members of the township")
    ill: int = Field(0, ge=0, description="too ill to express their will")
    abroad: int = Field(0, ge=0, description="abroad at their own expense for half a year or more")
    imprisoned: int = Field(0, ge=0, description="serving a sentence")
    dependent: int = Field(0, ge=0, description="unable to look after themselves")
    untransferred: int = Field(0, ge=0, description="should have moved their membership and did not")
    present: int | None = Field(None, ge=0, description="members present at a members' meeting")
    dispersed: bool = Field(False, description="organizations far apart: a congress below 500 too")

    @property
    def not_counted(self) -> int:
        return self.ill + self.abroad + self.imprisoned + self.dependent + self.untransferred

    @property
    def should_attend(self) -> int:
        return self.members - self.not_counted

    @model_validator(mode="after")
    def _counts(self) -> Membership:
        if self.should_attend < 1:
            raise ValueError(f"the five kinds not counted ({self.not_counted}) leave none of the "
                             f"{self.members} members to attend; give at most {self.members - 1} of them")
        if self.present is not None and self.present > self.should_attend:
            raise ValueError(f"present ({self.present}) is more than the {self.should_attend} members "
                             "who should attend; the five kinds do not count among those present either")
        return self


class MeetingPlan(BaseModel):
    """Which meeting a township holds (D5-V2): `congress` when it may hold a party congress of
    representatives (500 members or more, or dispersed), else a members' meeting; for a members'
    meeting, `should_attend` (the members less the five kinds), the `quorum` (the fewest present
    that is more than 4/5 of them) and, when `present` is given, whether it is met."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    membership: Membership
    congress: bool
    should_attend: int
    quorum: int
    quorate: bool | None = None
    reasons: tuple[Reason, ...]


def meeting_plan(m: Membership) -> MeetingPlan:
    congress = m.members >= CONGRESS_MEMBERS or m.dispersed
    need = quorum(m.should_attend)
    num, den = QUORUM
    reasons = [reason("meeting_kind", rule="D5-V2", members=m.members, threshold=CONGRESS_MEMBERS,
                      congress=congress, dispersed=m.dispersed),
               reason("meeting_should_attend", rule="D5-V2", members=m.members, ill=m.ill, abroad=m.abroad,
                      imprisoned=m.imprisoned, dependent=m.dependent, untransferred=m.untransferred,
                      should_attend=m.should_attend),
               reason("meeting_quorum", rule="D5-V2", should_attend=m.should_attend, quorum=need,
                      numerator=num, denominator=den)]
    quorate = None if m.present is None else m.present >= need
    if m.present is not None:
        reasons.append(reason("meeting_present", rule="D5-V2", present=m.present, quorum=need,
                              quorate=quorate))
    return MeetingPlan(membership=m, congress=congress, should_attend=m.should_attend, quorum=need,
                       quorate=quorate, reasons=tuple(reasons))


__all__ = [
    "Ballot", "BallotEntry", "CommitteeList", "Convention", "Listed", "MeetingPlan", "Membership",
    "PromotionList", "PromotionPair", "UnknownCharacter", "ballot", "committee_list", "differential_extra",
    "meeting_plan", "promotion_list", "quorum",
]
