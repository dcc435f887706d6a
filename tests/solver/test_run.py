"""The CP-SAT runner (solver/run.py): statuses mapped exactly, time from the run's budget, cancel at once."""

from __future__ import annotations

import random
import threading
from time import perf_counter

import pytest
from ortools.sat.python import cp_model

import solver.run as run_mod
import solver.search as search
from model.slate import SolveStatus
from solver import solve
from solver.run import STATUS, Workers, run_cpsat, status_of
from solver.stop import AnyOf, Cancel, MaxRuntime
from tests.fakes import FakeClock
from tests.solver.test_solver_exact import tiny
from tests.solver.test_whatif import pool

ONE = Workers(workers=1, seed=0)


def test_status_table_is_one_to_one() -> None:
    """Each of CP-SAT's five statuses maps to the SolveStatus of the same name, and only those."""
    names = {code: cp_model.CpSolver().status_name(code) for code in STATUS}
    assert {code: s.value for code, s in STATUS.items()} == names
    assert set(STATUS.values()) == set(SolveStatus)
    with pytest.raises(ValueError, match="none of its five"):
        status_of(99)


def small_max() -> cp_model.CpModel:
    m = cp_model.CpModel()
    x = m.new_int_var(0, 10, "")
    m.add(x <= 7)
    m.maximize(x)
    return m


def knapsack(n: int = 300, seed: int = 1) -> cp_model.CpModel:
    """A multi-constraint knapsack: many improving solutions before any proof."""
    r = random.Random(seed)
    m = cp_model.CpModel()
    xs = [m.new_bool_var("") for _ in range(n)]
    for _ in range(5):
        w = [r.randint(10, 1000) for _ in xs]
        m.add(cp_model.LinearExpr.weighted_sum(xs, w) <= sum(w) // 3)
    m.maximize(cp_model.LinearExpr.weighted_sum(xs, [r.randint(10, 1000) for _ in xs]))
    return m


def subset_sum(n: int = 60, seed: int = 2) -> cp_model.CpModel:
    """An exact subset sum with large weights: no solution and no proof in a fraction of a second."""
    r = random.Random(seed)
    m = cp_model.CpModel()
    xs = [m.new_bool_var("") for _ in range(n)]
    w = [r.randint(10**8, 10**9) for _ in xs]
    m.add(cp_model.LinearExpr.weighted_sum(xs, w) == sum(w) // 2)
    return m


def test_optimal() -> None:
    """A small model solved to the end is OPTIMAL."""
    assert run_cpsat(small_max(), MaxRuntime(10), ONE).status == SolveStatus.OPTIMAL


def test_infeasible() -> None:
    """Contradictory bounds are INFEASIBLE."""
    m = cp_model.CpModel()
    x = m.new_int_var(0, 10, "")
    m.add(x >= 5)
    m.add(x <= 3)
    assert run_cpsat(m, MaxRuntime(10), ONE).status == SolveStatus.INFEASIBLE


def test_feasible_when_cancelled_after_the_first_solution() -> None:
    """A cancel at the first improving solution stops CP-SAT at once with FEASIBLE, not OPTIMAL."""
    cancel = Cancel()
    t0 = perf_counter()
    run = run_cpsat(knapsack(), AnyOf(cancel, MaxRuntime(60)), ONE, on_solution=lambda o, b: cancel.cancel())
    assert run.status == SolveStatus.FEASIBLE
    assert run.solver is not None and run.solver.objective_value < run.solver.best_objective_bound
    assert perf_counter() - t0 < 30  # far from the 60 s deadline: the cancel stopped it


def test_unknown_when_time_runs_out_without_a_solution() -> None:
    """No solution and no proof within the time limit is UNKNOWN."""
    assert run_cpsat(subset_sum(), MaxRuntime(60), ONE, limit=0.1).status == SolveStatus.UNKNOWN


def test_model_invalid_from_a_bad_parameter() -> None:
    """A parameter CP-SAT refuses (negative workers) is MODEL_INVALID."""
    run = run_cpsat(small_max(), MaxRuntime(10), ONE, params={"num_workers": -1})
    assert run.status == SolveStatus.MODEL_INVALID


def test_cancel_from_another_thread_stops_a_running_search() -> None:
    """A Cancel set by another thread while CP-SAT runs halts it long before its deadline."""
    cancel = Cancel()
    timer = threading.Timer(0.2, cancel.cancel)
    timer.start()
    t0 = perf_counter()
    run = run_cpsat(subset_sum(), AnyOf(cancel, MaxRuntime(60)), ONE)
    timer.join()
    assert run.status == SolveStatus.UNKNOWN
    assert perf_counter() - t0 < 30


def test_time_limit_is_what_the_run_has_left() -> None:
    """CP-SAT's max_time is the least of the call's limit and what the budget has left."""
    clock = FakeClock(3)
    clock.advance(1)
    run = run_cpsat(small_max(), clock, ONE)
    assert run.solver is not None and run.solver.parameters.max_time_in_seconds == 2
    run = run_cpsat(small_max(), clock, ONE, limit=0.5)
    assert run.solver is not None and run.solver.parameters.max_time_in_seconds == 0.5


def test_no_call_without_time_left() -> None:
    """With (almost) nothing left, CP-SAT is not started and the answer is UNKNOWN."""
    clock = FakeClock(1)
    clock.advance(1 - run_mod.MIN_SECONDS / 2)
    run = run_cpsat(small_max(), clock, ONE)
    assert run.status == SolveStatus.UNKNOWN and run.solver is None


@pytest.mark.parametrize("fix", [True, False])
def test_model_invalid_stays_model_invalid_in_solve(monkeypatch: pytest.MonkeyPatch, fix: bool) -> None:
    """A MODEL_INVALID from CP-SAT is the result's status, on the fixing path too (it became UNKNOWN)."""
    if fix:
        monkeypatch.setattr(search, "FIX_PAIRS", 0)
    monkeypatch.setitem(run_mod.PRESOLVE, "num_workers", -1)
    res = solve(tiny(["t1", "t2"], pool(9)), time_limit=10)
    assert res.status == SolveStatus.MODEL_INVALID
    assert not res.slates
    assert res.solves[0].status == SolveStatus.MODEL_INVALID
