"""Exactness of the solver's reductions: dropping ineligible pairs before any
variable exists, the presolve settings, and reduced-cost fixing from the LP
relaxation never cut off an optimal slate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

import solver.run as run
import solver.search as search
from model.enums import Strength
from model.generator import generate_county
from model.io import load_scenario
from model.overrides import RuleOverride
from model.slate import SolveStats, SolveStatus
from solver.build import Builder
from solver.cpsat import CpView
from solver.relaxation import lagrangian, lp_bound, reduced_costs, relaxation_rows
from solver.run import make_solver
from tests.factory import scenario, township
from tests.solver.test_solver_exact import brute_force, cadres, tiny
from tests.solver.test_whatif import check_principal_alternatives

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo-county"


def optimum(b: Builder, tuned: bool) -> tuple[int, float | None]:
    if tuned:
        s = make_solver(20, 2, 0)
    else:
        s = cp_model.CpSolver()
        s.parameters.num_workers = 2
        s.parameters.max_time_in_seconds = 20
    status = s.solve(CpView(b.model).model)
    return status, (s.objective_value if status == cp_model.OPTIMAL else None)


@pytest.fixture
def always_fix() -> Iterator[None]:
    """Reduced-cost fixing on however small the county (it starts at FIX_PAIRS)."""
    old = search.FIX_PAIRS
    search.FIX_PAIRS = 0
    yield
    search.FIX_PAIRS = old


def random_county(data: st.DataObject):
    towns = data.draw(st.sampled_from([["t1"], ["t1", "t2"]]))
    return scenario([township(t) for t in towns], data.draw(cadres(data.draw(st.integers(8, 20)), towns)))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_prefilter_and_presolve_keep_the_optimum(data: st.DataObject) -> None:
    """On random small counties the optimum with pairs dropped and tuned presolve equals the
    optimum with every pair a variable under CP-SAT's defaults (or both are infeasible)."""
    sc = random_county(data)
    reduced = Builder(sc).build()
    plain = Builder(sc, prefilter=False).build()
    assert reduced.n_pairs <= plain.n_pairs
    (s1, v1), (s2, v2) = optimum(reduced, True), optimum(plain, False)
    if reduced.reasons:  # the prechecks prove infeasibility before any search
        assert s2 == cp_model.INFEASIBLE
        return
    assert s1 == s2 and v1 == v2


@pytest.mark.parametrize("apart", [{"diversity": 2}, {}], ids=["seats", "principal"])
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fixing_keeps_the_top_slates(always_fix: None, apart: dict, data: st.DataObject) -> None:
    """With reduced-cost fixing forced on, the best three diverse slates (D seats apart,
    or a principal seat apart) score what they score with every pair given to CP-SAT,
    and the status is the same."""
    sc = random_county(data)
    fixed = search.solve(sc, time_limit=20, top=3, **apart)
    plain = search.solve(sc, time_limit=20, top=3, fixing=False, **apart)
    assert fixed.status == plain.status
    assert [s.score.objective for s in fixed.slates] == [s.score.objective for s in plain.slates]
    for a, b in zip(fixed.solves, plain.solves, strict=True):
        assert (a.status, a.objective, a.bound) == (b.status, b.objective, b.bound)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fixing_equals_brute_force(always_fix: None, data: st.DataObject) -> None:
    """On tiny counties, fixing on, the best slate equals exhaustive search."""
    towns = data.draw(st.sampled_from([["t1"], ["t1", "t2"]]))
    sc = tiny(towns, data.draw(cadres(data.draw(st.integers(5, 7)), towns)))
    expected = brute_force(sc)
    result = search.solve(sc, time_limit=20)
    if expected is None:
        assert result.status == "INFEASIBLE"
    else:
        assert result.status == "OPTIMAL"
        assert result.slates[0].score.objective == expected


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fixing_with_the_principal_cut_equals_brute_force(always_fix: None, data: st.DataObject) -> None:
    """On tiny counties, fixing on, each of the top 3 slates is the exhaustive best of
    those whose 书记 differ from every slate before it (the principal cut loses none)."""
    towns = data.draw(st.sampled_from([["t1"], ["t1", "t2"]]))
    sc = tiny(towns, data.draw(cadres(data.draw(st.integers(5, 7)), towns)))
    result = search.solve(sc, time_limit=20, top=3)
    assume(result.status != "INFEASIBLE")  # no slate: nothing to cut
    assert result.settings.alternatives == "principal"
    check_principal_alternatives(sc, result)


@settings(max_examples=10, deadline=None,
          # the national rules make many random draws infeasible; those bound nothing
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_any_duals_bound_the_optimum(data: st.DataObject, seed: int) -> None:
    """The Lagrangian bound holds for any duals, not only GLOP's: random duals
    never bound a county below its CP-SAT optimum."""
    sc = random_county(data)
    b = Builder(sc).build()
    _status, best = optimum(b, True)
    assume(best is not None)  # an infeasible draw bounds nothing
    rows = relaxation_rows(b.model)
    lb, ub = (a.astype(float) for a in b.model.bounds())
    cost = np.zeros(b.model.n_cols)
    np.add.at(cost, b.model.objective.idx, b.model.objective.coef.astype(float))
    y = np.random.default_rng(seed).normal(0, 5, len(rows.lo))
    assert lagrangian(rows, y, reduced_costs(cost, rows, y), lb, ub) >= best - 1e-6
    bound = lp_bound(b.model, b.n_pairs, b.pair_group, 10)
    assert bound.value >= best - 1e-6


def test_fixing_drops_most_pairs_on_the_demo() -> None:
    """The demo county: the relaxation's bound is the optimum, and CP-SAT proves it
    with a small share of the pairs."""
    sc = load_scenario(DEMO)
    b = Builder(sc).build()
    bound = lp_bound(b.model, b.n_pairs, b.pair_group, 30)
    keep = bound.keep(b.n_pairs, b.model.n_cols, np.floor(bound.value + 1e-6))
    result = search.solve(sc, time_limit=60)
    assert result.status == "OPTIMAL"
    assert result.solves[0].objective == np.floor(bound.value + 1e-6)
    assert keep[: b.n_pairs].sum() < b.n_pairs / 5


@pytest.mark.parametrize("name", ["c20-1000", "c40-2000"])
def test_pairs_fixed_to_one_are_in_every_best_slate(name: str) -> None:
    """The other side of reduced-cost fixing (`Bound.fixed`): the pairs fixed to 1 at the
    optimum's score are all in the best slate; far below the bound nothing is fixed."""
    sc = load_scenario(DEMO.parents[1] / "benchmarks" / "instances" / name)
    b = Builder(sc).build()
    bound = lp_bound(b.model, b.n_pairs, b.pair_group, 60)
    result = search.solve(sc, time_limit=60)
    assert result.status == "OPTIMAL"
    best = result.slates[0].score.objective
    ones = bound.fixed(best)
    assert ones is not None and ones.sum() > 0
    chosen = {v.col for v in b.pair_vars(result.slates[0].assignments)}
    assert set(np.flatnonzero(ones).tolist()) <= chosen
    assert bound.fixed(best - 10**6) is None


@pytest.mark.parametrize(("townships", "cadres_", "seed", "ruleset"),
                         [(2, 60, 9, "qiong-2011"), (3, 100, 19, "qiong-2011"), (3, 100, 23, "xx-2011")])
def test_the_target_steps_down_and_a_best_one_below_it_is_proven(
        always_fix: None, townships: int, cadres_: int, seed: int, ruleset: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Counties whose kept pairs' best falls points below the target (D1-K4 made `generally`):
    the target steps down by doubling steps, never below z + 1, and the best slate of the
    kept pairs is proven from z = target - 1 on; the slate is the best over every pair."""
    sc = generate_county(townships, cadres_, seed, ruleset=ruleset).with_changes(
        rules={"D1-K4": RuleOverride(strength=Strength.generally)})
    steps: list[tuple[float, float, int]] = []
    stepped = search.next_target
    monkeypatch.setattr(search, "next_target", lambda z, t, step, scale: steps.append((z, t, step))
                        or stepped(z, t, step, scale))
    result = search.solve(sc, time_limit=30)
    assert result.status == "OPTIMAL"
    assert any(t - z > 1 for z, t, _ in steps)  # the case at stake: a best points below the target
    assert [step for _, _, step in steps] == [2 ** k for k in range(len(steps))]
    status, best = optimum(Builder(sc).build(), tuned=True)
    assert status == cp_model.OPTIMAL
    assert result.slates[0].score.objective == best == result.solves[0].bound


@pytest.mark.parametrize(("z", "target", "bound", "scale", "proven"), [
    (9.0, 10, 9.0, 1, True),  # target - 1: the dropped pairs' slates score 9 at most
    (10.0, 10, 10.0, 1, True),
    (8.0, 10, 9.0, 1, False),  # a dropped pair may still reach 9
    (9.0, 10, 9.0, 3, False),  # leaning: a dropped pair's slate may tie 9 and lean closer
    (10.0, 10, 10.0, 3, True),
])
def test_a_kept_best_is_proven_at_the_target_or_one_below_it(z: float, target: int, bound: float, scale: int,
                                                              proven: bool) -> None:
    """`proves` with the bound CP-SAT and the dropped pairs give: z >= target, or z = target - 1
    with the bound at z; never target - 1 when the objective leans."""
    stats = SolveStats(status=SolveStatus.OPTIMAL, objective=z, bound=bound)
    assert search.proves(stats, target, scale) is proven


def test_the_next_target_is_a_doubling_step_down_but_never_below_z_plus_one() -> None:
    """`next_target`: the step given, floored at z + 1 (whose pairs prove z); z itself when leaning."""
    assert search.next_target(-20.0, -10, 1, 1) == -11
    assert search.next_target(-20.0, -11, 2, 1) == -13
    assert search.next_target(-12.0, -10, 4, 1) == -11  # z + 1 proves z: no lower
    assert search.next_target(-20.0, -10, 1, 3) == -20.0  # leaning: z itself


def test_a_stepped_target_keeping_most_of_z_plus_ones_pairs_jumps_to_z_plus_one() -> None:
    """`Search.jumped`: the stepped target is kept while it keeps under JUMP_SHARE of the
    pairs z + 1 keeps, and replaced by z + 1 from that share on; a leaning objective and
    a target at z + 1 already are left alone."""
    from solver.relaxation import Bound

    # B = 10: a pair of loss L is kept at target t when 10 - L >= t
    loss = np.array([0.0, 1.0, 2.0, 3.0, 3.2, 3.3, 3.6, 3.7, 3.9, 5.5])
    s = object.__new__(search.Search)
    s.bound = Bound(10.0, loss, None, np.zeros(len(loss)), 0, 0, 0.0)
    # z = 4: z + 1 = 5 keeps the nine pairs of loss <= 5
    assert search.JUMP_SHARE == 0.6
    assert s.jumped(8, 4.0, 1) == 8  # loss <= 2: 3 of 9
    assert s.jumped(7, 4.0, 1) == 7  # loss <= 3: 4 of 9
    assert s.jumped(6.5, 4.0, 1) == 5  # loss <= 3.5: 6 of 9, over 0.6
    assert s.jumped(6, 4.0, 1) == 5  # loss <= 4: 9 of 9
    assert s.jumped(7, 4.0, 3) == 7  # leaning: as stepped
    assert s.jumped(5, 4.0, 1) == 5


def test_wide_models_prove_with_the_tree_search_and_still_give_the_best_slate(
        always_fix: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over PROVING_PAIRS pairs the wide model runs PROVING_PORTFOLIO (here every wide
    model: the threshold is set to 0); the supports keep the small portfolio, and the
    slate is still the best over every pair."""
    sc = generate_county(3, 100, 23, ruleset="xx-2011").with_changes(
        rules={"D1-K4": RuleOverride(strength=Strength.generally)})
    monkeypatch.setattr(run, "PROVING_PAIRS", 0)
    seen: list[tuple[str, ...]] = []
    real = search.run_cpsat

    def spy(*args: object, **kw: object) -> object:
        seen.append(kw["portfolio"])  # type: ignore[arg-type]
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(search, "run_cpsat", spy)
    result = search.solve(sc, time_limit=30)
    assert result.status == "OPTIMAL"
    assert run.PROVING_PORTFOLIO in seen and run.SMALL_PORTFOLIO in seen
    status, best = optimum(Builder(sc).build(), tuned=True)
    assert status == cp_model.OPTIMAL
    assert result.slates[0].score.objective == best
