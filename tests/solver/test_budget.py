"""The budget is the budget: one deadline for a whole run, every CP-SAT call and the LP relaxation
given only what is left of it. Time here is a fake clock that each call uses up completely (the
worst case), so the checks do not depend on how fast the machine is."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from ortools.sat.python import cp_model

import solver.search as search
from model.generator import generate_county
from model.scenario import Pin, Scenario
from solver import compare, explain_infeasible, recommend, solve, why_not
from tests.fakes import FakeClock
from tests.solver.test_whatif import two_pins

BUDGET = 8.0


@dataclass
class Ledger:
    """Each time-limited call: the seconds it was given and what the run had left then."""

    clock: FakeClock
    calls: list[tuple[str, float, float]] = field(default_factory=list)

    def spend(self, what: str, seconds: float) -> None:
        self.calls.append((what, seconds, self.clock.remaining()))
        self.clock.advance(seconds)

    def check(self) -> None:
        assert self.calls, "no time-limited call was made"
        for what, given, left in self.calls:
            assert given <= left + 1e-9, (what, given, left)
        assert sum(given for _, given, _ in self.calls) <= BUDGET + 1e-9


@pytest.fixture
def ledger(monkeypatch: pytest.MonkeyPatch) -> Iterator[Ledger]:
    """CP-SAT and GLOP calls spend their whole limit on the fake clock (after running for real)."""
    book = Ledger(FakeClock(BUDGET))
    real_solve = cp_model.CpSolver.solve
    real_lp = search.lp_bound

    def cpsat(self: cp_model.CpSolver, model: cp_model.CpModel, *args: object) -> int:
        given = self.parameters.max_time_in_seconds
        status = real_solve(self, model, *args)
        book.spend("cp-sat", given)
        return status

    def lp(*args: object, **kw: object):
        time_limit = args[3] if len(args) > 3 else kw["time_limit"]
        out = real_lp(*args, **kw)
        book.spend("glop", float(time_limit))
        return out

    monkeypatch.setattr(cp_model.CpSolver, "solve", cpsat)
    monkeypatch.setattr(search, "lp_bound", lp)
    yield book


@pytest.fixture(scope="module")
def county() -> Scenario:
    return generate_county(2, 60, 3)


def test_infeasible_solve_explains_within_its_budget(ledger: Ledger) -> None:
    """An infeasible solve and its explanation together stay within one budget (the explanation
    used to get another half of the time limit)."""
    res = solve(two_pins(), stop=ledger.clock)
    assert res.status == "INFEASIBLE"
    ledger.check()


def test_explain_infeasible_within_its_budget(ledger: Ledger) -> None:
    """The conflict and the relaxation share one budget."""
    explain_infeasible(two_pins(), stop=ledger.clock)
    ledger.check()


@pytest.mark.parametrize("fix", [False, True])
def test_top_k_within_its_budget(ledger: Ledger, county: Scenario, monkeypatch: pytest.MonkeyPatch,
                                 fix: bool) -> None:
    """K slates, with and without the LP relaxation, share one budget."""
    if fix:
        monkeypatch.setattr(search, "FIX_PAIRS", 0)
    solve(county, top=3, stop=ledger.clock)
    ledger.check()
    if fix:
        assert ledger.calls[0][0] == "glop"


def test_recommend_within_its_budget(ledger: Ledger, county: Scenario) -> None:
    """recommend's base solve and all its forced solves share one budget (it used to be limit + 1
    full time limits)."""
    recommend(county, "t01", "secretary", limit=3, stop=ledger.clock)
    ledger.check()


@pytest.fixture(scope="module")
def not_holder(county: Scenario) -> str:
    """A cadre who may be secretary of t01 but is not in the best slate (a forced solve is needed)."""
    base = solve(county, time_limit=30)
    holder = base.slates[0].by_seat()[("t01", "secretary")]
    return next(c.id for c in county.cadres if c.id != holder and why_not(
        county, c.id, "t01", "secretary", base=base, time_limit=30).possible)


def test_why_not_within_its_budget(ledger: Ledger, county: Scenario, not_holder: str) -> None:
    """why_not's base solve and forced solve share one budget."""
    f = why_not(county, not_holder, "t01", "secretary", stop=ledger.clock)
    assert f.status is not None  # a forced solve was made
    ledger.check()


def test_compare_within_its_budget(ledger: Ledger, county: Scenario) -> None:
    """compare's two solves share one budget (each used to get a full time limit)."""
    whatif = county.with_changes(pins=[Pin(cadre=county.cadres[0].id, township="t01", seat="head")])
    compare(county, whatif, stop=ledger.clock)
    ledger.check()


def fair(run: Callable[[FakeClock], object]) -> list[float]:
    """The seconds each CP-SAT call of `run` is given when no call uses any time."""
    given: list[float] = []
    real = cp_model.CpSolver.solve

    def spy(self: cp_model.CpSolver, model: cp_model.CpModel, *args: object) -> int:
        given.append(self.parameters.max_time_in_seconds)
        return real(self, model, *args)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cp_model.CpSolver, "solve", spy)
        run(FakeClock(BUDGET))
    return given


def test_recommend_shares_the_budget_evenly(county: Scenario) -> None:
    """With limit 3 the base solve gets a quarter of the budget, less the referee's part
    (a multiple of the real build time, solver/budget.py `Plan`); time not used goes to the next."""
    given = fair(lambda clock: recommend(county, "t01", "secretary", limit=3, stop=clock))
    assert 0.8 * BUDGET / 4 <= given[0] <= BUDGET / 4 + 1e-9
    assert max(given) <= BUDGET + 1e-9
