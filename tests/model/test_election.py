"""The election lists of model/election.py: the 20% rounding, the ballot order, the 1:2 list,
the meeting of D5-V2, each name outside the slate allowed by the referee's own checks."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from pydantic import ValidationError

from model.election import (
    PartyMembers,
    ballot,
    committee_list,
    committee_lists,
    differential_extra,
    is_leader,
    meeting_plan,
    promotion_list,
    promotion_lists,
    quorum,
)
from model.eligibility import exclusions
from model.io import load_scenario
from model.slate import Assignment
from model.strokes import Convention, name_key
from solver import solve

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo-county"


@pytest.fixture(scope="module")
def demo():
    sc = load_scenario(DEMO)
    result = solve(sc, time_limit=30, workers=2)
    return sc, list(result.slates[0].assignments)


@pytest.mark.parametrize(("seats", "candidates"), [(1, 2), (4, 5), (5, 6), (6, 8), (7, 9), (9, 11),
                                                   (10, 12), (11, 14)])
def test_twenty_percent_rounds_up(seats: int, candidates: int) -> None:
    """At least 20% more (D1-V1), rounded up: 7 seats -> 1.4 -> 2 more, 9; 5 seats -> exactly 1, 6."""
    assert seats + differential_extra(seats) == candidates
    assert (candidates - seats) * 100 >= 20 * seats


def test_quorum_is_more_than_four_fifths() -> None:
    """Exactly 4/5 is not more than 4/5 (D5-V2): 100 should attend -> 81; 5 -> 5; 6 -> 5."""
    assert quorum(100) == 81 and quorum(5) == 5 and quorum(6) == 5 and quorum(1) == 1
    plan = meeting_plan(PartyMembers(members=100, present=80))
    assert plan.quorate is False
    assert meeting_plan(PartyMembers(members=100, present=81)).quorate is True


def test_499_members_hold_a_members_meeting_500_may_hold_a_congress() -> None:
    """500 members or more may hold a congress; 499 hold a members' meeting unless dispersed (D5-V2)."""
    assert meeting_plan(PartyMembers(members=499)).congress is False
    assert meeting_plan(PartyMembers(members=500)).congress is True
    assert meeting_plan(PartyMembers(members=499, dispersed=True)).congress is True
    assert all(r.args["rule"] == "D5-V2" for r in meeting_plan(PartyMembers(members=499)).reasons)


def test_the_five_kinds_are_not_counted_as_should_attend() -> None:
    """480 members less 1+2+3+4+5 of the five kinds: 465 should attend, 373 at least (372 is exactly 4/5)."""
    m = PartyMembers(members=480, ill=1, abroad=2, imprisoned=3, dependent=4, untransferred=5)
    plan = meeting_plan(m)
    assert plan.should_attend == 465 and plan.quorum == 373


def test_membership_refuses_impossible_counts() -> None:
    """The five kinds cannot take every member, and more cannot be present than should attend."""
    with pytest.raises(ValidationError):
        PartyMembers(members=5, ill=5)
    with pytest.raises(ValidationError):
        PartyMembers(members=10, ill=1, present=10)


def test_committee_list_of_the_demo_meets_d1_v1(demo) -> None:
    """Every township's list holds the slate's committee members and ceil(20%) more, off the slate."""
    sc, assignments = demo
    seated = {a.cadre for a in assignments}
    for tid, cl in committee_lists(sc, assignments).items():
        assert cl.short == 0
        assert len(cl.candidates) == cl.required == cl.seats + differential_extra(cl.seats)
        assert not {x.cadre for x in cl.extras} & seated
        assert [x.cadre for x in cl.members] == [a.cadre for a in assignments if a.township == tid
                                                 and a.cadre in {m.cadre for m in cl.members}]


def test_extra_names_pass_the_referees_must_rules(demo) -> None:
    """Each 差额人选 is allowed, by the referee's own seated checks, in the seat it is scored for."""
    sc, assignments = demo
    lists = committee_lists(sc, assignments)
    for tid in ("t01", "t05"):
        for x in lists[tid].extras:
            kind = next(s.template.id for s in sc.seats_of(tid) if s.id == x.seat)
            assert exclusions(sc, x.cadre, tid, kind) == []


def test_ballot_puts_leaders_first_then_strokes(demo) -> None:
    """The secretary and deputy secretaries in seat order, then the rest in stroke order (D1-V2)."""
    sc, assignments = demo
    seats = {s.id: s for s in sc.seats_of("t01")}
    for convention in Convention:
        b = ballot(sc, committee_list(sc, assignments, "t01"), convention)
        lead = [e.candidate for e in b.entries if e.candidate.leader]
        held = {x.seat for x in lead}
        assert [x.seat for x in lead] == [s for s in seats if is_leader(seats[s]) and s in held]
        assert lead[0].seat == "secretary"
        rest = [e.candidate.name for e in b.entries[len(lead):]]
        assert rest == sorted(rest, key=lambda n: name_key(n, convention))
        assert [e.number for e in b.entries] == list(range(1, len(b.entries) + 1))


def test_promotion_list_gives_two_names_a_seat(demo) -> None:
    """Each seat the slate fills by promotion has its holder and another promotion, all names distinct,
    and no second name serves two seats of the county."""
    sc, assignments = demo
    found = 0
    lists = promotion_lists(sc, assignments)
    assert promotion_list(sc, assignments, "t08") == lists["t08"]
    seconds = [p.other.cadre for pl in lists.values() for p in pl.pairs if p.other is not None]
    assert len(seconds) == len(set(seconds))
    for pl in lists.values():
        names = [x for p in pl.pairs for x in (p.holder, p.other) if x is not None]
        assert len({x.cadre for x in names}) == len(names)
        assert pl.short == 0
        found += len(pl.pairs)
    assert found > 0


def test_matching_fills_every_seat_it_can() -> None:
    """A greedy pick would give the first seat its best (a) and leave the second empty; the list gives
    the first its second best so that both seats have a second name."""
    from model.assignment import assign

    picked = assign({"s1": 1, "s2": 1}, {"s1": [("a", (0, -9)), ("b", (0, -1))], "s2": [("a", (0, -9))]})
    assert picked == {"s1": ["b"], "s2": ["a"]}


def test_extra_names_are_distinct_across_the_county(demo) -> None:
    """No cadre is the extra name of two townships (one strong cadre was all twelve townships'), and
    the per-township verb gives the township's part of the county-wide lists."""
    sc, assignments = demo
    lists = committee_lists(sc, assignments)
    extras = [x.cadre for cl in lists.values() for x in cl.extras]
    assert len(extras) == len(set(extras)) == sum(cl.required - cl.seats for cl in lists.values())
    assert committee_list(sc, assignments, "t02") == lists["t02"]


def test_extras_are_the_best_county_wide_assignment(demo) -> None:
    """The lists' total score is the assignment's optimum: no single swap of an extra name for an
    unused eligible cadre, nor an exchange between two townships, does better (a local check of the
    exact assignment on the real demo; tests/model/test_assignment.py checks it by brute force)."""
    from model.election import Scorer, key_of, listed, on_committee, seats_on

    sc, assignments = demo
    lists = committee_lists(sc, assignments)
    score, seated = Scorer(sc), {a.cadre for a in assignments}
    used = {x.cadre for cl in lists.values() for x in cl.extras}

    def best(tid: str, cid: str) -> tuple[int, int] | None:
        keys = [key_of(listed(sc, cid, s, p, b)) for s, a in seats_on(sc, assignments, tid)
                if on_committee(s, a) and not is_leader(s) for ok, p, b in [score(cid, s)] if ok]
        return min(keys) if keys else None

    free = [c.id for c in sc.cadres if c.id not in seated and c.id not in used]
    for tid, cl in lists.items():
        worst = max(key_of(x) for x in cl.extras)
        better = [c for c in free if (k := best(tid, c)) is not None and k < worst]
        assert better == [], (tid, better)
    for (t1, a), (t2, b) in itertools.combinations(lists.items(), 2):
        for x in a.extras:
            for y in b.extras:
                kx, ky = best(t2, x.cadre), best(t1, y.cadre)
                if kx is not None and ky is not None:
                    now = tuple(map(sum, zip(key_of(x), key_of(y), strict=True)))
                    assert tuple(map(sum, zip(kx, ky, strict=True))) >= now


def test_a_short_list_says_so(demo) -> None:
    """Everyone off the slate removed from the pool: no extra name is eligible, short, with the reason."""
    sc, assignments = demo
    seated = {a.cadre for a in assignments}
    bare = sc.with_changes(remove=tuple(c.id for c in sc.cadres if c.id not in seated))
    cl = committee_list(bare, assignments, "t02")
    assert cl.extras == () and cl.short == differential_extra(cl.seats)
    assert [r.code for r in cl.reasons] == ["differential_count", "differential_short"]


def test_an_assignment_with_an_extra_committee_post_counts() -> None:
    """A deputy head given 党委委员 by the slate (D1-S7) sits on the committee."""
    from model.election import on_committee
    from model.enums import Post
    from model.ruleset import Seat, SeatTemplate

    tpl = SeatTemplate(id="deputy_head", label="副镇长", posts=("deputy_head",), rank="deputy_section",
                       optional_posts=("committee_member",))
    seat = Seat(township="t", id="deputy_head", template=tpl)
    plain = Assignment(township="t", seat="deputy_head", cadre="c")
    assert not on_committee(seat, plain)
    assert on_committee(seat, plain.model_copy(update={"extra_posts": (Post.committee_member,)}))


def test_a_stronger_name_elsewhere_is_said(demo) -> None:
    """One cadre off the slate given three 优秀 grades (more merit points in every township) is the
    extra name of one township only; the others whose lists he would top say where he went (D1-V1),
    in words."""
    from model.enums import Grade
    from service.render.words import Names, say

    sc, assignments = demo
    star = committee_lists(sc, assignments)["t12"].extras[0].cadre
    best = (Grade.excellent,) * 3
    strong = sc.with_changes(cadres=tuple(c.model_copy(update={"grades": best}) if c.id == star else c
                                          for c in sc.cadres))
    lists = committee_lists(strong, assignments)
    home = [t for t, cl in lists.items() if star in {x.cadre for x in cl.extras}]
    assert len(home) == 1
    said = [r for cl in lists.values() for r in cl.reasons if r.code == "differential_elsewhere"]
    assert said and all(r.args["elsewhere"] == [{"cadre": star, "township": home[0]}] for r in said)
    text = say(said[0], Names.of(strong))
    assert strong.cadre_by_id[star].name in text and "D1-V1" in text
