"""Exactness of the solver's reductions: dropping ineligible pairs before any
variable exists, and the presolve settings, never cut off an optimal slate."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from solver.build import Builder
from solver.search import make_solver
from tests.factory import scenario, township
from tests.test_solver_exact import cadres


def optimum(b: Builder, tuned: bool) -> tuple[int, float | None]:
    if tuned:
        s = make_solver(20, 2, 0)
    else:
        s = cp_model.CpSolver()
        s.parameters.num_workers = 2
        s.parameters.max_time_in_seconds = 20
    status = s.solve(b.model)
    return status, (s.objective_value if status == cp_model.OPTIMAL else None)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_prefilter_and_presolve_keep_the_optimum(data: st.DataObject) -> None:
    """On random small counties the optimum with pairs dropped and tuned presolve equals the
    optimum with every pair a variable under CP-SAT's defaults (or both are infeasible)."""
    towns = data.draw(st.sampled_from([["t1"], ["t1", "t2"]]))
    sc = scenario([township(t) for t in towns], data.draw(cadres(data.draw(st.integers(8, 20)), towns)))
    reduced = Builder(sc).build()
    plain = Builder(sc, prefilter=False).build()
    assert sum(len(x) for x in reduced.xs) <= sum(len(x) for x in plain.xs)
    (s1, v1), (s2, v2) = optimum(reduced, True), optimum(plain, False)
    if reduced.reasons:  # the prechecks prove infeasibility before any search
        assert s2 == cp_model.INFEASIBLE
        return
    assert s1 == s2 and v1 == v2


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_warm_start_keeps_the_optimum(data: st.DataObject) -> None:
    """The restricted warm start is only a hint: forced on for small counties, the best
    objective is the same as without it."""
    import solver.search as search

    towns = data.draw(st.sampled_from([["t1"], ["t1", "t2"]]))
    sc = scenario([township(t) for t in towns], data.draw(cadres(data.draw(st.integers(8, 20)), towns)))
    plain = search.solve(sc, time_limit=20)
    old = search.WARM_START_PAIRS
    search.WARM_START_PAIRS = 0
    try:
        warm = search.solve(sc, time_limit=20)
    finally:
        search.WARM_START_PAIRS = old
    assert warm.status == plain.status
    assert [s.score.objective for s in warm.slates] == [s.score.objective for s in plain.slates]
