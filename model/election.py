"""The lists of the party congress (section V of shared/directives.md), from a solved slate:

- the committee's differential candidate list (D1-V1): the slate's committee members and at least
  20% more names (差额人选), among the cadres outside the slate whom no must rule keeps out of a
  committee seat of the township; a cadre stands in one township's election only, so the extra
  names of every township are one county-wide exact assignment (model/assignment.py) of the best
  total score;
- the ballot (D1-V2): secretary and deputy secretaries first, in the order of their seats, then
  the others by strokes (model/strokes.py), 姓氏笔画 or 姓名笔画;
- the 1:2 list of new promotions in the meeting recommendation (D5-V1): for each seat the slate
  fills by promotion (提拔), its holder and one more name for whom the seat is a promotion too,
  no name second for two seats of the county (the same assignment);
- which meeting a township holds and the quorum of a members' meeting (D5-V2).

A cadre's score for a seat is the solver's: the bonus terms of model/score.py (merit, continuity,
reserve) less the weights of the prefer seated rules the cadre breaks there; a cadre who breaks a
generally rule there ranks below every one who breaks none, as in the slate's own score. The
rules are checked as the referee checks them (model/eligibility.py). Facts are reasons (codes and
numbers, each with its rule id); the renderers word them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from model.assignment import assign
from model.eligibility import Parsed, barred, seated_breaks, seated_rules
from model.enums import Change, Post, Strength
from model.reasons import Reason, reason
from model.referee import make_view
from model.rules.base import View
from model.ruleset import Seat
from model.scenario import Scenario
from model.score import bonus_terms, change_of
from model.slate import Assignment
from model.strokes import Convention, UnknownCharacter, name_key

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


COMPUTED = {"D1-V1": "committee_lists", "D1-V2": "ballot", "D5-V1": "promotion_lists",
            "D5-V2": "meeting_plan"}
"""The rows of section V this module computes, each with its function (tests/model/test_catalog.py)."""

NOT_COMPUTED = {
    "D1-V3": "full directed recommendation and the competitive examination of new names (more examined "
             "than seats) are steps of the organization department's procedure with people: recommendation "
             "votes cast at a meeting and an inspection team's examination of more names than seats. A "
             "planning tool reads their outcome (the recommendation share in merit, the votes of D1-E6) and "
             "gives the 1:2 names of D5-V1 to examine, but it cannot compute the votes or the examination.",
}
"""Rows of section V no function computes, each with the reason (D1-V3: 全额定向推荐, 差额考察)."""


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
    the order of the team, `extras` the 差额人选, best first, the township's part of the county-wide
    assignment among its `eligible` cadres outside the slate; `short` how many names are missing
    when too few are left (0: the list holds)."""

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
    """One seat the slate fills by promotion and its two names (D5-V1): the slate's holder and one
    for whom the seat is a promotion too, given by the county-wide assignment of second names
    (`other` None: nobody eligible is left)."""

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


class Scorer:
    """Cadres scored in seats, the rules read once: the seated rules in force parsed once and
    those applying to each kind of seat picked once (the lists score every cadre off the slate
    in every township's open seats)."""

    def __init__(self, sc: Scenario, view: View | None = None) -> None:
        self.sc = sc
        self.view = view if view is not None else make_view(sc, [])
        self.rules = seated_rules(sc)
        self.applying: dict[tuple[tuple[Post, ...], bool], tuple[Parsed, ...]] = {}

    def __call__(self, cadre: str, seat: Seat) -> tuple[bool, int, tuple[str, ...]]:
        """(allowed, points, generally rules broken) of the cadre in the seat: allowed when no must
        rule, ban or removal keeps them out."""
        sc = self.sc
        if barred(sc, cadre, seat.township, seat.template.id):
            return False, 0, ()
        shape = (seat.posts, seat.principal)  # all that SeatFilter.applies reads of a seat
        rules = self.applying.get(shape)
        if rules is None:
            rules = self.applying[shape] = tuple(r for r in self.rules if r.params.applies(seat))
        breaks = seated_breaks(sc, cadre, seat, self.view, rules)
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


def key_of(x: Listed) -> tuple[int, int]:
    """The score a list's assignment adds up (model/assignment.py): rank_key without the id."""
    return (len(x.broken), -x.points)


# --------------------------------------------------------------------------- D1-V1, D1-V2


def committee_lists(sc: Scenario, assignments: list[Assignment] | tuple[Assignment, ...],
                    view: View | None = None) -> dict[str, CommitteeList]:
    """The differential lists of D1-V1 of every township, the extra names distinct across the
    county: a cadre stands in one township's committee election only. An extra name is a cadre on
    no seat of the slate (anywhere in the county) whom no must rule keeps out of at least one
    committee seat of the township other than 书记 and 副书记 (those the new committee elects from
    its members); their score there is that of their best such seat. Each township asks
    ceil(20%) of its committee seats; the extras are the county-wide exact assignment of
    model/assignment.py: the most places filled, then the best total score (fewer generally rules
    broken, then more points), ties to the lower ids."""
    score = Scorer(sc, view)
    seated = {a.cadre for a in assignments}
    off = [c.id for c in sc.cadres if c.id not in seated]
    members: dict[str, list[Listed]] = {}
    best: dict[str, dict[str, Listed]] = {}
    for tid in sc.townships:
        committee = [(s, a) for s, a in seats_on(sc, assignments, tid) if on_committee(s, a)]
        members[tid] = [listed(sc, a.cadre, s, *scored_in(score, a.cadre, s)) for s, a in committee]
        kinds = {s.template.id: s for s, _ in reversed(committee) if not is_leader(s)}
        open_seats = [s for s, _ in committee if kinds.get(s.template.id) is s]
        best[tid] = {}
        for cid in off:
            for s in open_seats:
                ok, points, broken = score(cid, s)
                if ok:
                    x = listed(sc, cid, s, points, broken)
                    if cid not in best[tid] or rank_key(x) < rank_key(best[tid][cid]):
                        best[tid][cid] = x
    demand = {tid: differential_extra(len(members[tid])) for tid in sc.townships}
    picked = assign(demand, {tid: [(c, key_of(x)) for c, x in best[tid].items()] for tid in sc.townships})
    given = {c: tid for tid, cs in picked.items() for c in cs}
    out = {}
    for tid in sc.townships:
        extras = [best[tid][c] for c in picked[tid]]
        seats, extra = len(members[tid]), demand[tid]
        required = seats + extra
        short = required - seats - len(extras)
        reasons = [reason("differential_count", rule="D1-V1", seats=seats, extra=extra, required=required,
                          percent=DIFFERENTIAL_PERCENT)]
        last = max((key_of(x) for x in extras), default=None)
        ahead = sorted((x for c, x in best[tid].items() if c in given and given[c] != tid
                        and (short or last is None or key_of(x) < last)), key=rank_key)
        if ahead:
            reasons.append(reason("differential_elsewhere", rule="D1-V1", township=tid,
                                  elsewhere=[{"cadre": x.cadre, "township": given[x.cadre]} for x in ahead]))
        if short:
            reasons.append(reason("differential_short", rule="D1-V1", township=tid, required=required,
                                  have=seats + len(extras), eligible=len(best[tid])))
        out[tid] = CommitteeList(township=tid, seats=seats, required=required, members=tuple(members[tid]),
                                 extras=tuple(extras), eligible=len(best[tid]), short=short,
                                 reasons=tuple(reasons))
    return out


def scored_in(score: Scorer, cadre: str, seat: Seat) -> tuple[int, tuple[str, ...]]:
    """(points, generally rules broken) of a slate's holder in their seat."""
    _, points, broken = score(cadre, seat)
    return points, broken


def committee_list(sc: Scenario, assignments: list[Assignment] | tuple[Assignment, ...], township: str,
                   view: View | None = None) -> CommitteeList:
    """One township's part of the county-wide differential lists (`committee_lists`): two
    townships' lists never share an extra name."""
    return committee_lists(sc, assignments, view)[township]


def ballot(sc: Scenario, cl: CommitteeList, convention: Convention = Convention.surname) -> Ballot:
    """The ballot of D1-V2: the leaders in the order of the team, then the others by strokes under
    `convention` (ties, the same name twice, by cadre id). A name with a character the stroke table
    lacks raises UnknownCharacter (the first; `unknown_characters` lists them all)."""
    leaders = [x for x in cl.members if x.leader]
    rest = [x for x in cl.candidates if not x.leader]
    keyed = sorted(((name_key(x.name, convention), x) for x in rest), key=lambda kx: (kx[0], kx[1].cadre))
    entries = [BallotEntry(number=i, candidate=x) for i, x in enumerate(leaders, 1)]
    entries += [BallotEntry(number=i, candidate=x, key=k) for i, (k, x) in enumerate(keyed, len(leaders) + 1)]
    return Ballot(township=cl.township, convention=convention, entries=tuple(entries), committee=cl,
                  reasons=(reason("ballot_order", rule="D1-V2", convention=convention.value,
                                  leaders=len(leaders), others=len(rest)),))


# --------------------------------------------------------------------------- D5-V1


def promotion_lists(sc: Scenario, assignments: list[Assignment] | tuple[Assignment, ...],
                    view: View | None = None) -> dict[str, PromotionList]:
    """The 1:2 lists of D5-V1 of every township: each seat the slate fills by a new promotion, with
    its holder and a second name: a cadre on no seat of the slate, allowed in the seat by every must
    rule, for whom it is a promotion too. No cadre is second for two seats anywhere in the county;
    the second names are the county-wide exact assignment of model/assignment.py (each seat asks
    one): the most seats given one, then the best total score, ties to the lower ids."""
    score = Scorer(sc, view)
    seated = {a.cadre for a in assignments}
    off = [c for c in sc.cadres if c.id not in seated]
    seats: dict[str, list[tuple[Seat, Listed]]] = {}
    options: dict[tuple[str, str], dict[str, Listed]] = {}
    for tid in sc.townships:
        seats[tid] = []
        for s, a in seats_on(sc, assignments, tid):
            if change_of(sc, sc.cadre_by_id[a.cadre], s) not in PROMOTIONS:
                continue
            seats[tid].append((s, listed(sc, a.cadre, s, *scored_in(score, a.cadre, s))))
            options[(tid, s.id)] = {}
            for other in off:
                if change_of(sc, other, s) not in PROMOTIONS:
                    continue
                ok, p, b = score(other.id, s)
                if ok:
                    options[(tid, s.id)][other.id] = listed(sc, other.id, s, p, b)
    picked = assign({g: 1 for g in options}, {g: [(c, key_of(x)) for c, x in xs.items()]
                                              for g, xs in options.items()})
    out = {}
    for tid in sc.townships:
        pairs = tuple(PromotionPair(seat=s.id, holder=h, other=next(
            (options[(tid, s.id)][c] for c in picked[(tid, s.id)]), None)) for s, h in seats[tid])
        short = sum(p.other is None for p in pairs)
        reasons = [reason("promotion_ratio", rule="D5-V1", seats=len(pairs), names=2 * len(pairs) - short)]
        reasons += [reason("promotion_short", rule="D5-V1", township=tid, seat=p.seat)
                    for p in pairs if p.other is None]
        out[tid] = PromotionList(township=tid, pairs=pairs, short=short, reasons=tuple(reasons))
    return out


def promotion_list(sc: Scenario, assignments: list[Assignment] | tuple[Assignment, ...], township: str,
                   view: View | None = None) -> PromotionList:
    """One township's part of the county-wide 1:2 lists (`promotion_lists`)."""
    return promotion_lists(sc, assignments, view)[township]


# --------------------------------------------------------------------------- D5-V2


MOST = 200_000
"""The most members a township may have (model/people.py, Township.party_members)."""


class MeetingCounts(BaseModel):
    """What D5-V2 reads besides the member count: the five kinds it does not count among those who
    should attend (五种人): too ill to express their will, abroad at their own expense for half a
    year or more, serving a sentence, unable to look after themselves, and those who should have
    moved their membership and have not. `present`: those at a members' meeting, when known.
    `dispersed`: the township's party organizations lie far apart (所辖党组织驻地分散), which lets a
    smaller one hold a congress too."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ill: int = Field(0, ge=0, le=MOST, description="too ill to express their will")
    abroad: int = Field(0, ge=0, le=MOST, description="abroad at their own expense for half a year or more")
    imprisoned: int = Field(0, ge=0, le=MOST, description="serving a sentence")
    dependent: int = Field(0, ge=0, le=MOST, description="unable to look after themselves")
    untransferred: int = Field(0, ge=0, le=MOST, description="should have moved their membership and did not")
    present: int | None = Field(None, ge=0, le=MOST, description="members present at a members' meeting")
    dispersed: bool = Field(False, description="organizations far apart: a congress below 500 too")

    def counts(self) -> dict[str, int | bool | None]:
        """The fields of MeetingCounts, for a PartyMembers model."""
        return {k: getattr(self, k) for k in MeetingCounts.model_fields}


class PartyMembers(MeetingCounts):
    """A township's party members and the counts of MeetingCounts (D5-V2)."""

    model_config = ConfigDict(frozen=True, extra="forbid",
                              json_schema_extra={"examples": [{"members": 480, "ill": 3, "abroad": 2,
                                                               "imprisoned": 1, "dependent": 4,
                                                               "untransferred": 5, "present": 370}]})

    members: int = Field(ge=1, le=MOST, description="party members of the township")

    @property
    def not_counted(self) -> int:
        return self.ill + self.abroad + self.imprisoned + self.dependent + self.untransferred

    @property
    def should_attend(self) -> int:
        return self.members - self.not_counted

    @model_validator(mode="after")
    def _counts(self) -> PartyMembers:
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

    membership: PartyMembers
    township: str | None = None
    """The township whose party members were read from the scenario (None: the count was given)."""
    congress: bool
    should_attend: int
    quorum: int
    quorate: bool | None = None
    reasons: tuple[Reason, ...]


def meeting_plan(m: PartyMembers, township: str | None = None) -> MeetingPlan:
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
    return MeetingPlan(membership=m, township=township, congress=congress, should_attend=m.should_attend,
                       quorum=need, quorate=quorate, reasons=tuple(reasons))


__all__ = [
    "Ballot", "BallotEntry", "CommitteeList", "Convention", "Listed", "MeetingCounts", "MeetingPlan",
    "PartyMembers", "PromotionList", "PromotionPair", "UnknownCharacter", "ballot", "committee_list",
    "committee_lists", "differential_extra", "meeting_plan", "promotion_list", "promotion_lists", "quorum",
]
