"""Careers over random generated counties of each preset (issue 11): no 降任, 越级提拔 or 提拔 under a
year at 副科 without the scenario's named decision, every sitting member either seated or on the
退出名单 with a reason, and a demotion decision that is the only way a 正科 member takes a 副科 seat."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model.enums import Change, Exemption, Rank
from model.generator import generate_county
from model.people import full_years
from model.ruleset import preset_ids
from solver import solve

PRESETS = sorted(preset_ids())
SETTINGS = settings(max_examples=4, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
GRANTS = {Change.demoted: Exemption.demotion, Change.promoted_two_ranks: Exemption.two_step_promotion}


@pytest.mark.parametrize("preset", PRESETS)
@SETTINGS
@given(seed=st.integers(0, 10_000))
def test_careers_move_by_the_national_rules(preset: str, seed: int) -> None:
    """No 降任 or 越级提拔 without the decision named in `exceptions`, no 副科 -> 正科 under one year,
    and each sitting member is in exactly one of: a seat, the 退出名单 (with at least one reason)."""
    sc = generate_county(2, 70, seed, ruleset=preset)
    res = solve(sc, time_limit=10, workers=2, deterministic=True)
    assert res.status in ("OPTIMAL", "FEASIBLE"), res.reasons
    slate = res.slates[0]
    seats = {(s.township, s.id): s for s in sc.seats}
    for a in slate.assignments:
        c = sc.cadre_by_id[a.cadre]
        if a.change in GRANTS:
            granted = sc.exceptions.get(c.id)
            assert granted is not None and granted.kind == GRANTS[a.change], (a, c.rank)
        if c.rank == Rank.deputy_section and seats[(a.township, a.seat)].rank == Rank.full_section:
            assert c.rank_since is None or full_years(c.rank_since, sc.reshuffle_date) >= 1, a
    seated = {a.cadre for a in slate.assignments}
    leaving = {lv.cadre for lv in slate.leavers}
    sitting = {c.id for c in sc.cadres if c.is_sitting}
    assert not seated & leaving
    assert sitting <= seated | leaving and leaving <= sitting
    assert all(lv.reasons for lv in slate.leavers)


@pytest.mark.parametrize("preset", PRESETS)
@SETTINGS
@given(seed=st.integers(0, 10_000), pick=st.integers(0, 1_000))
def test_a_demotion_needs_its_decision(preset: str, seed: int, pick: int) -> None:
    """A 正科 sitting member pinned to a 副科 seat of their township: infeasible without a decision,
    seated with one, and N-1's instance on them then holds naming the decision."""
    sc = generate_county(2, 70, seed, ruleset=preset)
    full = [c for c in sc.cadres if c.is_sitting and c.rank == Rank.full_section]
    assume(full)
    c = full[pick % len(full)]
    deputy = [s for s in sc.seats_of(c.current_township or "") if s.rank == Rank.deputy_section]
    assume(deputy)
    seat = deputy[pick % len(deputy)]
    pin = [{"cadre": c.id, "township": seat.township, "seat": seat.template.id}]
    decided = sc.with_changes(pins=pin, exceptions={c.id: {"kind": "降职", "reason": "考核不适宜担任现职"}})
    res = solve(decided, time_limit=10, workers=2, deterministic=True)
    assume(res.status in ("OPTIMAL", "FEASIBLE"))  # another must rule may keep them out (D1-R1, age)
    a = next(a for a in res.slates[0].assignments if a.cadre == c.id)
    assert a.township == seat.township and a.seat.split("#")[0] == seat.template.id
    assert a.change == Change.demoted
    n1 = [r for r in res.slates[0].report if r.rule == "N-1" and r.cadre == c.id]
    assert n1 and all(r.holds for r in n1)
    assert any(r.reason.code == "exception" and r.reason.args.get("kind") == "demotion" for r in n1), n1
    undecided = solve(sc.with_changes(pins=pin), time_limit=10, workers=2, deterministic=True)
    assert undecided.status == "INFEASIBLE"
