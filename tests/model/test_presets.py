"""Every preset end to end: a generated county solves; each slate passes the referee, fills the template."""

from __future__ import annotations

from collections import Counter

import pytest
from pydantic import ValidationError

from model.generator import generate_county
from model.referee import referee
from model.ruleset import RuleSpec, load_preset, preset_ids
from solver import solve

PRESETS = ("xx-2011", "qiong-2011", "county-2017")


def test_presets_are_the_known_ones() -> None:
    """The presets tested here are exactly the presets shipped in model/presets."""
    assert sorted(PRESETS) == preset_ids()


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("preset", PRESETS)
def test_preset_solves_and_referee_agrees(preset: str, seed: int) -> None:
    """generate_county(4, 160) under the preset gives 2 slates that pass the referee and fill every seat."""
    sc = generate_county(4, 160, seed, ruleset=preset)
    assert sc.ruleset == preset
    result = solve(sc, time_limit=60, workers=2, top=2)
    assert result.status in ("OPTIMAL", "FEASIBLE"), result.reasons
    assert result.ruleset == preset
    assert len(result.slates) == 2
    assert [s.rank for s in result.slates] == [1, 2]

    rs = load_preset(preset)
    def team(t):
        return rs.team_for(t.township_class, t.residents, t.party_members)

    expected = Counter({t.id: sum(tpl.count for tpl in team(t).seats)
                        for t in sc.county.townships})
    seat_keys = {(s.township, s.id) for s in sc.seats}
    assert sum(expected.values()) == len(sc.seats)
    for slate in result.slates:
        assert len(slate.assignments) == len(sc.seats)
        assert {(a.township, a.seat) for a in slate.assignments} == seat_keys
        assert len({a.cadre for a in slate.assignments}) == len(slate.assignments)
        assert Counter(a.township for a in slate.assignments) == expected
        verdict = referee(sc, slate.assignments)
        assert verdict.passes, (verdict.problems, [r.key for r in verdict.report if not r.holds])
        assert verdict.score == slate.score
    first, second = (s.score.objective for s in result.slates)
    assert first >= second
    assert result.slates[0].by_seat() != result.slates[1].by_seat()


@pytest.mark.parametrize("rule_id", ["D1-C1", "D5-K12", "N-1", "N-12", "QH2011-3-2", "art7"])
def test_rule_ids_of_other_documents_fit(rule_id: str) -> None:
    """National rows (N-1) and other documents' ids fit: letters and digits in dash-separated parts."""
    assert RuleSpec(id=rule_id, kind="team_min_count", strength="must").id == rule_id


@pytest.mark.parametrize("rule_id", ["D1@C1", "D1/C1", "D1-C1#2", "D1 C1", " N-1", "", "-1", "N-", "N--1",
                                     "pin", "ban"])
def test_rule_ids_refuse_key_separators(rule_id: str) -> None:
    """An id holding a key separator (@ / #), a space or an empty part, or named pin/ban, is refused."""
    with pytest.raises(ValidationError):
        RuleSpec(id=rule_id, kind="team_min_count", strength="must")
