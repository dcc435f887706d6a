"""The solver against brute force on tiny counties, and against the referee on
random small ones (hypothesis)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.generator import generate_county
from model.people import Cadre
from model.referee import referee
from model.ruleset import Ruleset
from model.scenario import Pin, Scenario
from model.slate import Assignment, Slate
from solver import solve
from tests.factory import cadre, scenario, township

TINY = Ruleset.model_validate(
    {
        "id": "tiny",
        "title": "a small ruleset for exhaustive checks",
        "teams": {
            k: {
                "seats": [
                    {"id": "secretary", "label": "党委书记", "posts": ["party_secretary", "committee_member"],
                     "rank": "full_section", "principal": True},
                    {"id": "deputy_head", "label": "副乡镇长", "posts": ["deputy_head"],
                     "rank": "deputy_section", "count": 2 if k == 1 else 1},
                ]
            }
            for k in (1, 2, 3)
        },
        "rules": [
            {"id": "D1-C2", "kind": "team_min_count", "strength": "must",
             "params": {"who": {"gender": "female"}, "min_count": 1}},
            {"id": "D1-E1", "kind": "experience", "strength": "generally",
             "params": {"posts": ["party_secretary"], "field": "township_years", "min_years": 1}},
            {"id": "D1-E4", "kind": "min_education", "strength": "generally",
             "params": {"principal": True, "minimum": "college"}},
            {"id": "D1-E2", "kind": "experience", "strength": "prefer", "weight": 5,
             "params": {"posts": ["party_secretary"], "field": "leadership_years", "min_years": 1}},
            {"id": "D3-C1", "kind": "team_min_count", "strength": "prefer", "weight": 3,
             "params": {"who": {"max_age": 35}, "min_count": 2}},
            {"id": "D3-E2", "kind": "age_cap", "strength": "must", "params": {}},
            {"id": "D1-E6", "kind": "renomination", "strength": "must", "params": {}},
            {"id": "D1-R1", "kind": "same_post_tenure", "strength": "must", "params": {"years": 10}},
            {"id": "D1-R2", "kind": "same_post_tenure", "strength": "prefer", "weight": 4,
             "params": {"years": 5}},
            {"id": "D5-K1", "kind": "county_min_count", "strength": "generally",
             "params": {"who": {"max_age": 30}, "min_share": 0.25}},
        ],
    }
)

GRADES = ["excellent", "competent", "basically_competent", "incompetent"]


@st.composite
def cadres(draw: st.DrawFn, n: int, towns: list[str]) -> list[Cadre]:
    """A random pool: ages, genders, ranks, sitting posts, tenures, grades, votes."""
    out = []
    for i in range(n):
        sitting = draw(st.sampled_from([None, *towns]))
        post = draw(st.sampled_from(["party_secretary", "township_head", "deputy_head"])) if sitting else None
        tenure = draw(st.integers(0, 12))
        rank_years = draw(st.integers(0, 4))
        out.append(
            cadre(
                f"c{i}",
                age=draw(st.integers(24, 50)),
                gender=draw(st.sampled_from(["female", "male"])),
                education=draw(st.sampled_from(["senior_high", "college", "bachelor"])),
                rank=draw(st.sampled_from(["none", "deputy_section", "full_section"])),
                township_years=draw(st.integers(0, 3)),
                leadership_years=draw(st.integers(0, 2)),
                current_township=sitting,
                current_post=post,
                post_since=date(2026 - tenure, 3, 1) if sitting else None,
                rank_since=date(2026 - rank_years, 3, 1),
                outstanding=draw(st.booleans()),
                kept_for_work=draw(st.booleans()),
                reserve=draw(st.booleans()),
                grades=tuple(draw(st.lists(st.sampled_from(GRADES), min_size=0, max_size=3))),
                recommendation_share=draw(st.sampled_from([0.8, 0.5, 0.9, 0.7])) if sitting else None,
                incompetent_share=draw(st.sampled_from([0.0, 0.4, 0.1, 0.2])) if sitting else None,
            )
        )
    return out


def tiny(towns: list[str], pool: list[Cadre]) -> Scenario:
    """One township of 3 seats (class 1: secretary and two deputy heads), or two of
    2 seats (class 2), so exhaustive search stays under a few thousand slates."""
    klass = 1 if len(towns) == 1 else 2
    return scenario([township(t, township_class=klass) for t in towns], pool,
                    ruleset="tiny", ruleset_definition=TINY)


def brute_force(sc: Scenario) -> int | None:
    """The best objective over every assignment of distinct cadres to seats, by the referee."""
    seats = sc.seats
    best: int | None = None
    for combo in itertools.permutations(sc.cadres, len(seats)):
        assignments = [Assignment(township=s.township, seat=s.id, cadre=c.id)
                       for s, c in zip(seats, combo, strict=True)]
        verdict = referee(sc, assignments)
        if verdict.passes and (best is None or verdict.score.objective > best):
            best = verdict.score.objective
    return best


def assert_every_sitting_member_placed(sc: Scenario, slate: Slate) -> None:
    """Every sitting member is in a seat or on the 退出名单 with a reason, never both; each
    left out whom nothing removes costs weights.left_out."""
    seated = {a.cadre for a in slate.assignments}
    gone = {x.cadre: x for x in slate.leavers}
    for c in sc.cadres:
        if c.is_sitting:
            assert (c.id in seated) != (c.id in gone), c.id
    assert all(x.reasons for x in slate.leavers)
    costs = sum(t.points for t in slate.score.terms if t.term == "left_out")
    assert costs == -sc.weights_in_force.left_out * sum(not x.removed for x in slate.leavers)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_solver_best_equals_brute_force(data: st.DataObject) -> None:
    """On tiny counties the solver's best equals exhaustive search, and it says
    infeasible exactly when no assignment passes every must rule."""
    towns = data.draw(st.sampled_from([["t1"], ["t1", "t2"]]))
    n = data.draw(st.integers(5, 7))
    sc = tiny(towns, data.draw(cadres(n, towns)))
    expected = brute_force(sc)
    result = solve(sc, time_limit=20, workers=2)
    if expected is None:
        assert result.status == "INFEASIBLE" and not result.slates
        assert result.reasons
    else:
        assert result.status == "OPTIMAL"
        assert result.slates[0].score.objective == expected


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_township_pin_best_equals_brute_force(data: st.DataObject) -> None:
    """A township-wide pin (any seat of t2's team) on two tiny townships: the solver's best equals
    exhaustive search judged by the referee, infeasible exactly when no slate keeps the pin."""
    towns = ["t1", "t2"]
    pool = data.draw(cadres(data.draw(st.integers(5, 6)), towns))
    who = data.draw(st.sampled_from([c.id for c in pool]))
    sc = tiny(towns, pool).with_changes(pins=[Pin(cadre=who, township="t2")])
    expected = brute_force(sc)
    result = solve(sc, time_limit=20, workers=2)
    if expected is None:
        assert result.status == "INFEASIBLE" and not result.slates
    else:
        assert result.status == "OPTIMAL"
        assert result.slates[0].score.objective == expected
        assert any(a.cadre == who and a.township == "t2" for a in result.slates[0].assignments)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_county_slates_pass_referee(data: st.DataObject) -> None:
    """On random small counties under xx-2011 every returned slate passes the
    referee and breaks no must rule (solve raises if solver and referee disagree)."""
    towns = data.draw(st.sampled_from([["t1"], ["t1", "t2"]]))
    pool = data.draw(cadres(data.draw(st.integers(7, 22)), towns))
    sc = scenario([township(t) for t in towns], pool)
    result = solve(sc, time_limit=20, workers=2, top=2)
    for slate in result.slates:
        verdict = referee(sc, slate.assignments)
        assert verdict.passes
        assert verdict.score == slate.score
        assert_every_sitting_member_placed(sc, slate)
    if not result.slates:
        assert result.status == "INFEASIBLE" and result.reasons


@pytest.mark.parametrize("preset", ["qiong-2011", "xx-2011", "county-2017"])
@pytest.mark.parametrize("seed", [1, 2])
def test_generated_counties_place_every_sitting_member(preset: str, seed: int) -> None:
    """On generated counties of each preset every sitting member is seated or listed with a
    reason, and the solver and the referee agree on every slate (solve raises otherwise)."""
    sc = generate_county(3, 80, seed, ruleset=preset)
    result = solve(sc, time_limit=20, workers=2, top=2)
    assert result.slates
    for slate in result.slates:
        assert_every_sitting_member_placed(sc, slate)
