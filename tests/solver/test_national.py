"""The national rules (N-1 ... N-8) on the solver's side: each encoded exactly at every strength
(the referee agreement check of every solve compares them instance by instance), the pairs the
must rules forbid, and the exceptions that lift them."""

from __future__ import annotations

from datetime import date

import pytest

from model.scenario import Scenario
from solver import solve
from tests.factory import cadre, scenario, township
from tests.model.test_rules import best, reasons_of, team

SINCE = date(2025, 9, 1)


def county(**kw: object) -> Scenario:
    """Two townships with default teams, and the cadres each N rule has something to say about:
    a 正科 secretary of t1 of one year (N-1, N-4), spouses of top merit (N-6), a 副科 of one year
    and a 无 of top merit (N-2, N-3), a principal of t2 grown up there (N-5), a ten-year member of
    t2 (N-7) and one with little work (N-8)."""
    top = ("excellent",) * 3
    pool = [*team(), *team("t2"),
            cadre("s1", gender="female", rank="full_section", current_township="t1",
                  current_post="party_secretary", post_since=SINCE, grades=top),
            cadre("w1", grades=top, relatives=("w2:夫妻",)), cadre("w2", grades=top),
            cadre("p1", rank="deputy_section", rank_since=date(2025, 3, 1), grades=top),
            cadre("p0", rank="none", grades=top),
            cadre("h1", rank="full_section", grades=top, hometown="t2", current_township="t2",
                  current_post="township_head", post_since=date(2020, 9, 1)),
            cadre("r1", grades=top, current_township="t2", current_post="deputy_head",
                  post_since=date(2015, 9, 1)),
            cadre("k1", grades=top, work_since=date(2025, 1, 1), party_since=date(2026, 1, 1))]
    return scenario([township("t1"), township("t2")], pool, "xx-2011", **kw)


STRENGTHS = [("must", None), ("generally", None), ("prefer", 3)]


@pytest.mark.parametrize("rule", ["N-1", "N-2", "N-3", "N-4", "N-5", "N-6", "N-7", "N-8"])
@pytest.mark.parametrize(("strength", "weight"), STRENGTHS)
def test_each_national_rule_is_encoded_exactly(rule: str, strength: str, weight: int | None) -> None:
    """Each N rule at each strength: the solve ends proven optimal and the referee agrees with the
    solver on every instance and on the objective (a disagreement raises)."""
    change: dict[str, object] = {"strength": strength}
    if weight is not None:
        change["weight"] = weight
    res = solve(county(rules={rule: change}), time_limit=20, workers=2)
    assert res.status == "OPTIMAL", (res.status, reasons_of(res))
    rep = best(res)
    assert any(k.startswith(f"{rule}@") for k in rep)
    if strength == "must":
        assert all(r.holds for r in rep.values() if r.rule == rule)


def test_the_must_rules_keep_their_cadres_out() -> None:
    """Under the presets' strengths: no spouses on one team, the secretary of one year not demoted,
    p0 (无) not in a 正科 seat, h1 not head of t2, r1 not on t2's team."""
    res = solve(county(), time_limit=20, workers=2)
    assert res.status == "OPTIMAL", reasons_of(res)
    where = {a.cadre: (a.township, a.seat) for a in res.slates[0].assignments}
    assert not ("w1" in where and "w2" in where and where["w1"][0] == where["w2"][0])
    assert where.get("s1", ("t1", "secretary"))[1] in ("secretary", "head", "congress_chair")
    assert where.get("p0", ("", "deputy_head"))[1] not in ("secretary", "head", "congress_chair")
    assert where.get("h1") != ("t2", "head") and where.get("r1", ("t1", ""))[0] != "t2"


@pytest.mark.parametrize(("cadre_id", "seat", "kind", "rule"), [
    ("s1", "deputy_head", "降职", "N-1"), ("p0", "head", "越级", "N-2"),
    ("r1", "deputy_secretary", "因工作需要", "N-7"),  # 人武部长、副镇长 holds 副乡镇长: D1-R1 too
])
def test_a_pin_against_a_must_rule_needs_the_exception(cadre_id: str, seat: str, kind: str, rule: str
                                                       ) -> None:
    """Pinned into a seat a must N rule forbids, the scenario is INFEASIBLE citing the rule; with the
    decision recorded it solves, and the instance holds naming the decision."""
    town = "t2" if cadre_id == "r1" else "t1"
    pins = [{"cadre": cadre_id, "township": town, "seat": seat}]
    res = solve(county(pins=pins), time_limit=20, workers=2)
    assert res.status == "INFEASIBLE" and any(rule in r for r in reasons_of(res)), reasons_of(res)
    lifted = county(pins=pins, exceptions={cadre_id: {"kind": kind, "reason": "研究决定"}})
    res = solve(lifted, time_limit=20, workers=2)
    assert res.status == "OPTIMAL", reasons_of(res)
    [r] = [r for r in res.slates[0].report if r.rule == rule and r.cadre == cadre_id]
    assert r.holds and r.reason.code == "exception"
