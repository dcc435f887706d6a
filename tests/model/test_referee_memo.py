"""The referee keeps what no slate changes once per scenario (model/referee.py `make_view`,
`View.memo`): its verdict on a slate must not depend on what it judged before."""

from __future__ import annotations

import random
from functools import cache

import pytest

from model.enums import Change
from model.generator import generate_county
from model.people import Relative
from model.referee import judge, make_view
from model.rules import REGISTRY, View
from model.scenario import Scenario
from model.slate import Assignment
from model.statistics import figures
from model.structure import team_statistics

PRESETS = ("xx-2011", "county-2017", "qiong-2011")


@cache
def county(ruleset: str) -> Scenario:
    """A small generated county with pins, bans, a removal, exceptions, an override and relatives,
    so every part of the verdict has something to say."""
    sc = generate_county(3, 90, seed=11, ruleset=ruleset)
    sitting = [c for c in sc.cadres if c.is_sitting]
    others = [c for c in sc.cadres if not c.is_sitting]
    a, b = sitting[0], sitting[1]
    cadres = [c.model_copy(update={"relatives": (Relative(cadre=b.id, kind="夫妻"),)}) if c.id == a.id else c
              for c in sc.cadres]
    seat = sc.seats[0]
    return sc.with_changes(
        cadres=tuple(cadres),
        pins=({"cadre": others[0].id, "township": seat.township, "seat": seat.template.id},),
        bans=({"cadre": sitting[2].id, "township": sitting[2].current_township},),
        remove=(sitting[3].id,),
        exceptions={sitting[4].id: {"kind": "demotion", "reason": "组织决定"}},
        renomination_overrides={sitting[5].id: "工作需要"},
    )


def random_slates(sc: Scenario, n: int, seed: int) -> list[list[Assignment]]:
    """Slates that seat the sitting members in part and random cadres elsewhere, some seats
    empty, optional posts drawn, one slate with a cadre twice and an unknown cadre."""
    rng = random.Random(seed)
    ids = [c.id for c in sc.cadres]
    out = []
    for k in range(n):
        slate = []
        for s in sc.seats:
            if rng.random() < 0.1:
                continue
            mine = [c.id for c in sc.sitting.get(s.township, []) if c.current_post == s.main_post]
            cadre = rng.choice(mine) if mine and rng.random() < 0.6 else rng.choice(ids)
            extra = tuple(p for p in s.template.optional_posts if rng.random() < 0.5)
            slate.append(Assignment(township=s.township, seat=s.id, cadre=cadre, extra_posts=extra))
        if k == n - 1:
            slate += [slate[0].model_copy(update={"seat": "nowhere"}),
                      Assignment(township=sc.seats[0].township, seat=sc.seats[0].id, cadre="nobody")]
        out.append(slate)
    return out


def dumped(sc: Scenario, slate: list[Assignment]) -> tuple[str, list[dict], bool]:
    judged, verdict = judge(sc, slate, rank=1)
    return judged.model_dump_json(), [p.model_dump() for p in verdict.problems], verdict.passes


@pytest.mark.parametrize("ruleset", PRESETS)
def test_a_verdict_does_not_depend_on_the_slates_judged_before(ruleset: str) -> None:
    """Each slate judged after the others on one scenario gets the verdict it gets on a fresh copy."""
    sc = county(ruleset)
    slates = random_slates(sc, 6, seed=3)
    in_turn = [dumped(sc, s) for s in slates + slates[::-1]]
    alone = [dumped(sc.model_copy(), s) for s in slates + slates[::-1]]
    assert in_turn == alone


@pytest.mark.parametrize("ruleset", PRESETS)
def test_a_view_made_by_hand_gets_the_same_report(ruleset: str) -> None:
    """A View built without the scenario's store of facts (as tests and tools build one) checks alike."""
    sc = county(ruleset)
    for slate in random_slates(sc, 3, seed=5):
        valid = [a for a in slate if a.cadre in sc.cadre_by_id and (a.township, a.seat) in
                 {(s.township, s.id) for s in sc.seats}]
        shared = make_view(sc, valid)
        own = View(on=shared.on, townships=shared.townships, seats=list(shared.seats), cadres=shared.cadres,
                   seated=shared.seated, renomination_overrides=shared.renomination_overrides,
                   extras=shared.extras, large=shared.large, exceptions=shared.exceptions, rules=shared.rules,
                   removed=shared.removed, pins=shared.pins, bans=shared.bans)
        for spec in sc.ruleset_in_force.rules:
            kind = REGISTRY[spec.kind]
            assert kind.check(spec, shared) == kind.check(spec, own), spec.id


@pytest.mark.parametrize("ruleset", PRESETS)
def test_statistics_are_a_plain_count_per_township(ruleset: str) -> None:
    """The structure statistics equal a count over each township's assignments and sitting members."""
    sc = county(ruleset)
    on, seats = sc.reshuffle_date, {(s.township, s.id): s for s in sc.seats}
    for slate in random_slates(sc, 3, seed=9):
        slate = [a.model_copy(update={"change": Change.continues}) if k % 3 == 0 else a
                 for k, a in enumerate(slate)]
        got = team_statistics(sc, slate)
        valid = [a for a in slate if a.cadre in sc.cadre_by_id and (a.township, a.seat) in seats]
        for t, stats in zip(sc.county.townships, got, strict=False):
            mine = [a for a in valid if a.township == t.id]
            principal = [a for a in mine if seats[(a.township, a.seat)].principal]
            assert stats.new == figures((sc.cadre_by_id[a.cadre] for a in mine), on)
            assert stats.sitting == figures((c for c in sc.cadres if c.sits_in(t.id)), on)
            assert stats.principals == len(principal)
            assert stats.principals_continuing == sum(a.change == Change.continues for a in principal)
        assert got[-1].township is None
        assert got[-1].new == figures((sc.cadre_by_id[a.cadre] for a in valid), on)
        assert got[-1].sitting.members == sum(len(v) for v in sc.sitting.values())


def test_figures_count_each_field_as_its_definition_says() -> None:
    """`figures` (counted in local names) gives each field as a plain count over the team."""
    from model.enums import Gender, Origin
    from model.statistics import education_group

    sc = county("xx-2011")
    on, team = sc.reshuffle_date, list(sc.cadres)
    ages = [c.age(on) for c in team]
    got = figures(team, on).model_dump()
    want = {
        "members": len(team), "women": sum(c.gender == Gender.female for c in team),
        "minority": sum(c.is_minority for c in team),
        "college_graduate_officials": sum(c.origin == Origin.college_graduate_village_official for c in team),
        "age_35_under": sum(a <= 35 for a in ages), "age_36_45": sum(35 < a <= 45 for a in ages),
        "age_46_59": sum(45 < a <= 59 for a in ages), "age_60_over": sum(a > 59 for a in ages),
        "age_30_under": sum(a <= 30 for a in ages), "age_35_50": sum(35 <= a <= 50 for a in ages),
        "age_50_over": sum(a >= 50 for a in ages),
    }
    for group in ("education_university", "education_college", "education_senior_high",
                  "education_junior_high"):
        want[group] = sum(education_group(c.education) == group for c in team)
    assert got == want
