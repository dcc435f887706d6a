"""The solver's side of the score terms that read careers: continuity (连任 and the
usual steps) and the cost of a sitting member left out, a bonus on each of the
cadre's pairs plus a constant. Every solve also checks the solver against the
referee (`check_agreement`); these tests pin the exact points and the choices."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import numpy as np

from model.enums import Change
from model.leavers import kept_members
from model.referee import judge
from model.scenario import Scenario
from solver import solve
from solver.build import Builder
from solver.objective import continuing, pair_points
from tests.factory import cadre, scenario, township
from tests.solver.test_solver_exact import TINY

SINCE = date(2023, 9, 1)
GOOD = ("excellent", "excellent", "excellent")


def tiny(people: list[Any], towns: int = 2, **kw: Any) -> Scenario:
    """Class-2 townships of the tiny ruleset (a secretary and a deputy head each), every cadre 30."""
    return scenario([township(f"t{k + 1}", township_class=2) for k in range(towns)], people,
                    ruleset="tiny", ruleset_definition=TINY, **kw)


def secretaries(towns: int = 2) -> list[Any]:
    """A woman of 正科 from a county organ for each secretary seat (D1-C2)."""
    return [cadre(f"s{k + 1}", age=30, gender="female", rank="full_section") for k in range(towns)]


def deputy(cid: str, town: str | None, **kw: Any) -> Any:
    """A 副科 cadre of 30 without the education of a principal (D1-E4), so they stay deputies."""
    kw = {"age": 30, "education": "senior_high", **kw}
    if town is None:
        return cadre(cid, **kw)
    return cadre(cid, current_township=town, current_post="deputy_head", post_since=SINCE, **kw)


def test_sitting_member_is_reseated_rather_than_dropped() -> None:
    """A newcomer 3 merit points better does not take the place of a sitting member: b moves (交流)."""
    sc = tiny([*secretaries(), deputy("a", "t1"), deputy("b", "t1"), deputy("n", None, grades=GOOD)])
    slate = solve(sc, time_limit=20).slates[0]
    words = {a.cadre: a.change for a in slate.assignments}
    assert sorted(words.get(x) for x in "ab") == [Change.continues, Change.exchanged]
    assert "n" not in words and slate.leavers == ()
    assert "left_out" not in slate.score.by_term()


def test_without_the_left_out_cost_the_better_newcomer_comes_in() -> None:
    """With weights.left_out 0 the newcomer takes the seat and a sitting member is not selected."""
    sc = tiny([*secretaries(), deputy("a", "t1"), deputy("b", "t1"), deputy("n", None, grades=GOOD)],
              weights={"left_out": 0})
    slate = solve(sc, time_limit=20).slates[0]
    assert "n" in {a.cadre for a in slate.assignments}
    assert [[r.code for r in x.reasons] for x in slate.leavers] == [["leaver_not_selected"]]
    assert slate.leavers[0].cadre in ("a", "b")


def test_a_leaver_forced_by_the_seats_costs_exactly_its_weight() -> None:
    """Three sitting deputy heads for two seats: one is left out, at -6, solver and referee alike."""
    sc = tiny([*secretaries(), deputy("a", "t1"), deputy("b", "t1"), deputy("c", "t2")])
    result = solve(sc, time_limit=20)
    slate = result.slates[0]
    assert slate.score.by_term()["left_out"] == -6
    assert len(slate.leavers) == 1 and not slate.leavers[0].removed
    assert result.solves[0].objective == slate.score.objective


def test_objective_holds_the_constant_and_the_pair_bonus() -> None:
    """The left-out term is w on each pair of a member no rule removes, and -w each as a constant."""
    people = [*secretaries(), deputy("a", "t1"), deputy("b", "t1", age=55), deputy("c", None)]
    sc = tiny(people)
    b = Builder(sc).build()
    kept = {c.id for c in kept_members(sc, b.view)}
    assert kept == {"a"}
    assert b.objective.const == -6
    off = Builder(sc.with_changes(weights={"left_out": 0})).build()
    bonus = pair_points(b) - pair_points(off)
    is_a = np.array([b.pool.ids[c] == "a" for c in b.pair_cadre])
    assert (bonus[is_a] == 6).all() and (bonus[~is_a] == 0).all()


def test_solver_continuity_pairs_match_the_referee() -> None:
    """Continuity pairs: the head on its township's secretary seat and the 连任 pairs, nothing else."""
    head = cadre("h", age=30, gender="female", rank="full_section", current_township="t1",
                 current_post="township_head", post_since=SINCE)
    people = [head, secretaries(1)[0], deputy("a", "t1"), deputy("o", "t2")]
    sc = tiny(people)
    b = Builder(sc).build()
    on = continuing(b)
    got = sorted((b.pool.ids[c], b.groups[g].seat.township, b.groups[g].seat.id)
                 for c, g in zip(b.pair_cadre[on], b.pair_group[on], strict=True))
    assert got == [("a", "t1", "deputy_head"), ("h", "t1", "secretary"), ("o", "t2", "deputy_head")]
    slate = solve(sc, time_limit=20).slates[0]
    _, v = judge(sc, slate.assignments)
    assert Counter(t.term for t in v.score.terms)["continuity"] == 3
