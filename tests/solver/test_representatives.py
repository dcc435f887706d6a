"""Section P's CP-SAT model: its verdicts agree with the plain-Python check on random rolls, and a
selection whose must quotas conflict yields its reasons and the cheapest relaxation."""

from __future__ import annotations

import random
from datetime import date

from model.enums import Gender, Occupation
from model.membership import CongressFacts, ElectoralUnit, Nominee
from model.overrides import RuleOverride
from model.representatives import (
    RepProblem,
    check_selection,
    rep_rules,
    structure_problems,
)
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


def _one_unit(ns: list[Nominee], seats: int, preset: str, ov: dict[str, RuleOverride],
              facts: CongressFacts | None = None) -> RepProblem:
    u = ElectoralUnit(township="t", id="u", name="u", members=50)
    return RepProblem("t", ON, (u,), {"u": seats}, tuple(ns), facts or CongressFacts(),
                      rep_rules(load_preset(preset).representatives, ov))


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
    r = select_representatives(_one_unit(ns, 3, "county-2017", {}), time_limit=5)
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
    again = select_representatives(_one_unit(ns, 3, "county-2017", ov), time_limit=5)
    assert again.selection is not None


def _nominee(i: int, **kw: object) -> Nominee:
    fields: dict[str, object] = {"gender": Gender.male, "age": 40, "occupation": Occupation.farmer_herder,
                                 **kw}
    return Nominee(id=f"n{i}", name="x", township="t", unit="u", **fields)  # type: ignore[arg-type]


def test_front_line_share_as_a_must_is_relaxed_not_dropped() -> None:
    """D1-P3 made must, higher than last time's 90% but only 2 of 5 nominees front-line, 3 seats: the
    relaxation names D1-P3 (was silently dropped) and turns it into at least the share reached (2/3)."""
    ns = [_nominee(i, occupation=Occupation.farmer_herder if i < 2 else Occupation.organ_cadre)
          for i in range(5)]
    ov = {"D1-P3": RuleOverride(strength="must"), "D1-P4": RuleOverride(off=True)}
    facts = CongressFacts(last_front_line=0.9)
    r = select_representatives(_one_unit(ns, 3, "qiong-2011", ov, facts), time_limit=5)
    assert r.status == SolveStatus.INFEASIBLE
    (x,) = [x for x in r.relaxations if x.rule == "D1-P3"]
    assert (x.parameter, x.before, x.after) == ("quotas.front_line.above_last", 0.9, 0.666)
    ov["D1-P3"] = RuleOverride(strength="must", params=x.override["params"])
    again = select_representatives(_one_unit(ns, 3, "qiong-2011", ov, facts), time_limit=5)
    assert again.selection is not None


def test_a_disqualification_is_never_relaxed_and_the_reason_says_so() -> None:
    """xx-2011: 2 nominees for 1 seat, one under investigation (D2-P3), D1-P4 wants 2 on the initial
    list: the relaxation shortens the list, never D2-P3, and a reason says D2-P3 keeps 1 nominee off."""
    ns = [_nominee(0), _nominee(1, under_investigation=True)]
    r = select_representatives(_one_unit(ns, 1, "xx-2011", {}), time_limit=5)
    assert r.status == SolveStatus.INFEASIBLE
    assert {x.rule for x in r.relaxations} == {"D1-P4"}
    kept = [x for x in r.reasons if x.code == "rep_not_relaxed"]
    assert [(k.args["rule"], k.args["nominees"]) for k in kept] == [("D2-P3", 1)]


def test_a_person_rule_made_must_is_let_go_by_its_strength() -> None:
    """D1-P5 made must while the unit's only nominee sits in the people's congress: the relaxation
    makes D1-P5 generally again (was silently dropped)."""
    ov = {"D1-P5": RuleOverride(strength="must"), "D1-P4": RuleOverride(off=True)}
    r = select_representatives(_one_unit([_nominee(0, peoples_congress=True)], 1, "qiong-2011", ov),
                               time_limit=5)
    assert r.status == SolveStatus.INFEASIBLE
    assert [(x.rule, x.parameter, x.before, x.after, x.override) for x in r.relaxations] == [
        ("D1-P5", "strength", "must", "generally", {"strength": "generally"})]


def test_a_requests_override_is_laid_over_congress_yaml() -> None:
    """A request's override of a rule that congress.yaml also overrides merges with it key by key
    (model/overrides.py's one rule): D1-P4's final margin from congress.yaml (0 here) stays when the request
    changes only the rule's strength (the two were once joined by replacing the whole override)."""
    from dataclasses import replace
    from pathlib import Path

    from model.io import load_scenario
    from model.membership import load_membership_folder, scenario_townships
    from solver.representatives import plan_representatives

    demo = Path(__file__).resolve().parents[2] / "scenarios" / "demo-county"
    sc = load_scenario(demo)
    m = load_membership_folder(demo, scenario_townships(sc), sc.reshuffle_date)
    short = replace(m, settings=m.settings.model_copy(update={"rules": {
        **m.settings.rules, "D1-P4": RuleOverride(params={"final": 0.0, "final_strict": False})}}))
    alone = plan_representatives(sc, short, "t03", time_limit=10)
    softer = {"D1-P4": RuleOverride(strength="generally")}
    both = plan_representatives(sc, short, "t03", softer, time_limit=10)
    assert alone.result.selection is not None and both.result.selection is not None
    sizes = [[len(u.final) for u in p.result.selection.units] for p in (alone, both)]  # type: ignore[union-attr]
    assert sizes[0] == sizes[1]
    default = plan_representatives(sc, m, "t03", time_limit=10)
    assert default.result.selection is not None
    assert sum(sizes[0]) < sum(len(u.final) for u in default.result.selection.units)  # 0 margin: shorter
