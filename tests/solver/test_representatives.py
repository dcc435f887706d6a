"""Section P's CP-SAT model: its verdicts agree with the plain-Python check on random rolls, and a
selection whose must quotas conflict yields its reasons and the cheapest relaxation."""

from __future__ import annotations

import random
from datetime import date

from model.enums import Gender, Occupation
from model.membership import CongressFacts, ElectoralUnit, Nominee
from model.overrides import RuleOverride
from model.representatives import RepProblem, check_selection, rep_rules, structure_problems
from model.ruleset import load_preset
from model.slate import SolveStatus
from solver.representatives import select_representatives

ON = date(2026, 9, 1)


def roll(rng: random.Random, units: int, preset: str) -> RepProblem:
    us = tuple(
        ElectoralUnit(
            township="t",
            id=f"u{k}",
            name=f"u{k}",
            members=rng.randint(5, 40),
            women=rng.randint(0, 5),
            two_new=rng.randint(0, 3),
        )
        for k in range(units)
    )
    seats = {u.id: rng.randint(1, 3) for u in us}
    ns = [
        Nominee(
            id=f"u{k}n{i}",
            name="x",
            township="t",
            unit=u.id,
            age=rng.randint(25, 60),
            gender=rng.choice(list(Gender)),
            occupation=rng.choice(list(Occupation)),
            ethnicity=rng.choice(["汉族", "苗族"]),
            two_new=rng.random() < 0.2,
            votes=rng.randint(0, 9),
            under_investigation=rng.random() < 0.05,
            peoples_congress=rng.random() < 0.15,
        )
        for k, u in enumerate(us)
        for i in range(rng.randint(seats[u.id], seats[u.id] + 3))
    ]
    ov = (
        {"D2-P3": RuleOverride(strength="generally"), "D1-P4": RuleOverride(strength="generally")}
        if preset == "xx-2011"
        else {"D1-P4": RuleOverride(strength="generally"), "D5-P2": RuleOverride(strength="generally")}
    )
    rules = rep_rules(load_preset(preset).representatives, ov)
    return RepProblem(
        "t", ON, us, seats, tuple(ns), CongressFacts(last_front_line=0.5, last_differential=0.2), rules
    )


def test_solver_agrees_with_check_on_random_rolls() -> None:
    """On 12 random rolls the solver's verdict of every rule instance is the plain-Python check's."""
    rng = random.Random(7)
    for k in range(12):
        p = roll(rng, rng.randint(1, 4), "xx-2011" if k % 2 else "county-2017")
        r = select_representatives(p, time_limit=5)
        assert r.selection is not None, r
        assert structure_problems(p, r.selection) == []
        assert {i.key: i.holds for i in check_selection(p, r.selection)} == r.verdicts


def test_conflicting_quotas_explained_and_relaxed() -> None:
    """County-2017: D5-P2 wants 60% workers/farmers, but only 1 of 5 eligible nominees is one: no
    selection, the shortfall in numbers, and the relaxation lowers the share to what can be had (1 of 3)."""
    u = ElectoralUnit(township="t", id="u", name="u", members=50)
    ns = [
        Nominee(
            id=f"n{i}",
            name="x",
            township="t",
            unit="u",
            gender=Gender.male,
            age=40,
            occupation=Occupation.farmer_herder if i == 0 else Occupation.organ_cadre,
        )
        for i in range(5)
    ]
    p = RepProblem(
        "t",
        ON,
        (u,),
        {"u": 3},
        tuple(ns),
        CongressFacts(),
        rep_rules(load_preset("county-2017").representatives, {}),
    )
    r = select_representatives(p, time_limit=5)
    assert r.status == SolveStatus.INFEASIBLE and r.selection is None
    short = next(x for x in r.reasons if x.code == "rep_quota_short")
    assert {k: short.args[k] for k in ("rule", "have", "need", "total")} == {
        "rule": "D5-P2",
        "have": 1,
        "need": 2,
        "total": 3,
    }
    relax = [x for x in r.relaxations if x.rule == "D5-P2"]
    assert len(relax) == 1 and relax[0].before == 0.6 and relax[0].after == 0.333
    ov = {"D5-P2": RuleOverride.model_validate(relax[0].override)}
    again = select_representatives(
        RepProblem(
            "t",
            ON,
            (u,),
            {"u": 3},
            tuple(ns),
            CongressFacts(),
            rep_rules(load_preset("county-2017").representatives, ov),
        ),
        time_limit=5,
    )
    assert again.selection is not None
