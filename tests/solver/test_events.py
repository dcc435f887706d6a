"""Progress as structured events (solver/events.py), streaming the best so far and stopping early."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import TypeAdapter

import solver.search as search
from model.generator import generate_county
from model.scenario import Scenario
from model.slate import SolveStatus
from service.render.verbs import progress_line
from solver import Cancel, explain_infeasible, solve
from solver.events import BetterSlate, ConflictFound, Event, LpBound, ModelBuilt, RelaxationFound, SlateJudged
from tests.solver.test_whatif import two_pins

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo-county"


@pytest.fixture(scope="module")
def county() -> Scenario:
    return generate_county(2, 60, 3)


def test_events_of_a_solve_in_order(county: Scenario) -> None:
    """A solve reports the model built, better slates while searching, then each slate judged."""
    heard: list[Event] = []
    res = solve(county, time_limit=30, top=2, on_event=heard.append)
    kinds = [type(e) for e in heard]
    assert kinds[0] is ModelBuilt
    judged = [e for e in heard if isinstance(e, SlateJudged)]
    assert [e.index for e in judged] == [1, 2]
    assert [e.status for e in judged] == [s.status for s in res.solves]
    assert {e.objective for e in judged} == {s.score.objective for s in res.slates}
    assert {e.assignments for e in judged} == {s.assignments for s in res.slates}  # before the run ends
    first_judged = kinds.index(SlateJudged)
    better = [e for e in heard[:first_judged] if isinstance(e, BetterSlate)]
    assert better and all(e.slate == 1 for e in better)
    assert better[-1].objective == judged[0].objective
    assert all(e.objective <= e.bound for e in better)


def test_fixing_path_reports_the_lp_bound(county: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    """With reduced-cost fixing the LP relaxation's bound comes first, and caps the slate found."""
    monkeypatch.setattr(search, "FIX_PAIRS", 0)
    heard: list[Event] = []
    res = solve(county, time_limit=30, on_event=heard.append)
    assert isinstance(heard[0], LpBound) and isinstance(heard[1], ModelBuilt)
    assert res.slates[0].score.objective <= heard[0].bound + 1e-6


def test_events_are_data_with_a_schema(county: Scenario) -> None:
    """Every event dumps to JSON and reads back as the same event (a job can stream them)."""
    heard: list[Event] = []
    solve(county, time_limit=30, on_event=heard.append)
    adapter = TypeAdapter(Event)
    for e in heard:
        assert adapter.validate_json(adapter.dump_json(e)) == e


@pytest.mark.parametrize("fix", [False, True])
def test_cancel_at_the_first_better_slate_returns_it(county: Scenario, monkeypatch: pytest.MonkeyPatch,
                                                     fix: bool) -> None:
    """A Cancel set from the event callback at the first better slate stops the run with that slate,
    FEASIBLE (OPTIMAL only when proven before the stop), and no further slate is searched."""
    if fix:
        monkeypatch.setattr(search, "FIX_PAIRS", 0)
    cancel = Cancel()
    heard: list[Event] = []

    def listen(e: Event) -> None:
        heard.append(e)
        if isinstance(e, BetterSlate):
            cancel.cancel()

    res = solve(county, top=3, time_limit=60, stop=cancel, on_event=listen)
    assert cancel.should_stop()
    assert len(res.slates) == 1 and len(res.solves) == 1
    assert res.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
    if res.status == SolveStatus.OPTIMAL:
        assert res.solves[0].bound == res.solves[0].objective
    assert res.slates[0].score.objective == res.solves[0].objective
    assert all(not isinstance(e, BetterSlate) or e.slate == 1 for e in heard)


def test_a_cancelled_run_solves_nothing(county: Scenario) -> None:
    """A run cancelled before it starts builds nothing (it is cut short in its first step), calls
    no CP-SAT, and says UNKNOWN."""
    cancel = Cancel()
    cancel.cancel()
    heard: list[Event] = []
    res = solve(county, top=2, stop=cancel, on_event=heard.append)
    assert res.status == SolveStatus.UNKNOWN and not res.slates and not res.solves
    assert heard == []
    assert res.cut_short is not None and res.cut_short.args["step"] == "pool"
    assert res.settings.time_limit == 0


def test_explain_reports_its_steps() -> None:
    """explain_infeasible reports the conflict it found and the relaxation."""
    heard: list[Event] = []
    why = explain_infeasible(two_pins(), time_limit=20, on_event=heard.append)
    conflict = next(e for e in heard if isinstance(e, ConflictFound))
    assert conflict.size == len(why.conflict) == 2 and conflict.minimal
    assert next(e for e in heard if isinstance(e, RelaxationFound)).changes == len(why.relaxations) == 1


def test_cli_lines_are_today_s_progress_lines() -> None:
    """The CLI turns events into the Chinese progress lines the README shows; other events print nothing."""
    assert progress_line(LpBound(bound=1081, columns=1963, rounds=5, lp_seconds=0.14, seconds=0.2)) \
        == "线性松弛:上界1081.0,1963列,5轮,用时0.14秒"
    assert progress_line(ModelBuilt(seats=90, pairs=25733, build_seconds=0.19, seconds=0.2)) \
        == "模型已建立:90个职位,25733个候选配对,用时0.19秒"
    assert progress_line(SlateJudged(index=1, status=SolveStatus.OPTIMAL, objective=1081, pairs=235,
                                     seconds=1)) == "方案1:OPTIMAL,目标值1081,求解配对235个"
    assert progress_line(BetterSlate(slate=1, objective=1, bound=2, seconds=0.1)) is None
