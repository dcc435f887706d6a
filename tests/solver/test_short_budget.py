"""Short budgets: the LP relaxation takes what the run can spare (not a fixed quarter), the
referee's part is set aside, a relaxation cut short still leaves a slate (from few pairs), and
that slate's status is honest. Time is a fake clock (tests/fakes.py) or a stubbed relaxation,
never a timed assertion."""

from __future__ import annotations

import numpy as np
import pytest
from ortools.sat.python import cp_model

import solver.search as search
from model.generator import generate_county
from model.scenario import Scenario
from model.slate import SolveStatus
from solver import solve
from solver.budget import EVERY, FALLBACK_PER_BUILD, REFEREE_PER_BUILD, Checkpoint, CutShort, Plan
from solver.build import Builder
from solver.cpsat import CpView
from solver.fallback import Missing, few_pairs, few_pairs_slate, top_pairs
from solver.linear import Lin, LinearModel
from solver.run import Workers
from solver.stop import MaxRuntime
from tests.fakes import FakeClock


@pytest.fixture(scope="module")
def county() -> Scenario:
    """Three townships and 300 cadres: enough pairs for the LP relaxation path."""
    return generate_county(3, 300, 1)


@pytest.fixture(scope="module")
def best(county: Scenario) -> float:
    """The county's proven best score."""
    res = solve(county, time_limit=60)
    assert res.status == SolveStatus.OPTIMAL
    return res.slates[0].score.objective


def test_the_plan_sets_the_referee_and_a_fallback_aside() -> None:
    """The search ends before the run by the referee's part; the LP gets the rest but what a slate
    from few pairs needs, half of it when more slates are asked, none when that leaves too little."""
    clock = FakeClock(10.0)
    plan = Plan.of(clock, 1.0)
    assert plan.search.remaining() == pytest.approx(10.0 - REFEREE_PER_BUILD)
    assert plan.lp_seconds == pytest.approx(10.0 - REFEREE_PER_BUILD - FALLBACK_PER_BUILD)
    assert Plan.of(clock, 1.0, top=3).lp_seconds == pytest.approx(plan.lp_seconds / 2)
    clock.advance(plan.lp_seconds)
    assert plan.lp_stop.should_stop() and not plan.search.should_stop()
    assert Plan.of(FakeClock(2.0), 1.0).lp_seconds == 0.0


def test_a_tiny_referee_part_is_not_set_aside() -> None:
    """A few milliseconds for the referee are within any limit's tenth: the search keeps them."""
    clock = FakeClock(5.0)
    assert Plan.of(clock, 0.001).search.remaining() == 5.0


def test_the_lp_gets_what_the_run_can_spare(county: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    """The relaxation is given most of the budget, not a quarter of it (a 1 s run on c20-1000 cut
    the LP at 0.25 s and found no slate, where the whole solve takes 0.45 s)."""
    given: list[float] = []
    real = search.lp_bound

    def spy(*args: object, **kw: object):
        given.append(float(args[3]))  # type: ignore[arg-type]
        return real(*args, **kw)

    monkeypatch.setattr(search, "lp_bound", spy)
    monkeypatch.setattr(search, "FIX_PAIRS", 0)
    res = solve(county, stop=FakeClock(8.0))
    assert res.slates
    assert given and given[0] > 8.0 / 2


def cut_lp(*args: object, **kw: object):
    """A relaxation whose part of the budget ends in its setup."""
    raise CutShort("lp_relaxation", 1.0, 1.0)


def test_a_relaxation_cut_short_still_gives_a_slate(county: Scenario, best: float,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """With no time for the LP the run still returns a slate (it used to be UNKNOWN, cut short),
    FEASIBLE with a proven bound, or OPTIMAL only when it is the best."""
    monkeypatch.setattr(search, "lp_bound", cut_lp)
    monkeypatch.setattr(search, "FIX_PAIRS", 0)
    res = solve(county, time_limit=30)
    assert res.slates and res.cut_short is None
    assert res.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    stats = res.solves[0]
    assert stats.bound is not None and stats.bound >= best >= stats.objective
    if res.status == SolveStatus.OPTIMAL:
        assert stats.objective == best


def test_a_first_round_cut_short_is_no_bound(county: Scenario, best: float,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A relaxation without duals (its first round cut) fixes nothing: the slate comes from few
    pairs, and the bound it carries is still one (every column at its better bound)."""
    real = search.lp_bound

    def no_duals(*args: object, **kw: object):
        out = real(*args, **kw)
        out.lp_value = None
        return out

    monkeypatch.setattr(search, "lp_bound", no_duals)
    monkeypatch.setattr(search, "FIX_PAIRS", 0)
    res = solve(county, time_limit=30)
    assert res.slates and res.solves[0].bound is not None
    assert res.solves[0].bound >= best >= res.slates[0].score.objective


def test_a_relaxation_cut_short_with_duals_can_prove_the_slate(county: Scenario, best: float,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A relaxation stopped after a round still bounds every slate: a slate from few pairs that
    reaches its bound is OPTIMAL, with the true best score."""
    b = Builder(county).build()
    had = search.lp_bound(b.model, b.n_pairs, b.pair_group, 30.0)
    status, vals, stats = few_pairs(b, had, MaxRuntime(30), Workers(2), Checkpoint(None), leaning=False)
    assert vals is not None and stats.bound is not None and stats.objective is not None
    if status == SolveStatus.OPTIMAL:
        assert stats.objective == best
    else:
        assert stats.objective < stats.bound


def test_few_pairs_are_optimal_only_with_every_pair(county: Scenario, best: float) -> None:
    """CP-SAT over some pairs proves nothing about the others: without a bound its slate is FEASIBLE
    unless it had every pair; with every pair kept its OPTIMAL is the model's own."""
    b = Builder(county).build()
    _, vals, pairs, every = few_pairs_slate(b.model, b.pair_group, b.pair_cadre, MaxRuntime(30), Workers(2))
    assert vals is not None and pairs <= b.n_pairs and every == (pairs == b.n_pairs)
    status, _, stats = few_pairs(b, Missing, MaxRuntime(30), Workers(2), Checkpoint(None), False)
    if stats.pairs is not None and stats.pairs < b.n_pairs:
        assert status == SolveStatus.FEASIBLE
    assert stats.objective is not None and stats.bound is not None
    assert stats.objective <= best <= stats.bound


def test_top_pairs_spread_ties_over_cadres(county: Scenario) -> None:
    """Pairs of equal points are not picked by index: every group's few would be the same first
    cadres, and the rules then admit no slate among them."""
    b = Builder(county).build()
    keep = top_pairs(b.model, b.pair_group, b.pair_cadre, 10, 2)[: b.n_pairs]
    cadres = np.unique(b.pair_cadre[keep])
    assert len(cadres) >= 0.9 * len(np.unique(b.pair_cadre))  # each cadre's best pairs are there


def test_the_objective_written_at_once_is_what_maximize_writes(county: Scenario) -> None:
    """The view writes the objective straight to the model; it is the one cp_model's maximize
    would write term by term (the same variables, coefficients, offset and scaling)."""
    b = Builder(county).build()
    keep = np.ones(b.model.n_cols, dtype=bool)
    keep[: b.n_pairs : 3] = False
    view = CpView(b.model, keep)
    ours = view.model.model_proto.objective
    theirs = cp_model.CpModel()
    xs = [theirs.new_bool_var("") for _ in range(len(view.cols))]  # variable i is kept column i
    e = b.model.objective
    k = keep[e.idx]
    terms = [xs[i] for i in view.index[e.idx[k]].tolist()]
    theirs.maximize(cp_model.LinearExpr.weighted_sum(terms, e.coef[k].tolist()) + e.const)
    want = theirs.model_proto.objective
    pairs = sorted(zip(ours.vars, ours.coeffs, strict=True))
    assert pairs == sorted(zip(want.vars, want.coeffs, strict=True))
    assert ours.offset == want.offset and ours.scaling_factor == want.scaling_factor


def test_hints_written_at_once_skip_dropped_columns(county: Scenario) -> None:
    """Hints go to kept columns' variables only, with their values, as add_hint would write them."""
    b = Builder(county).build()
    keep = np.ones(b.model.n_cols, dtype=bool)
    keep[:10] = False
    view = CpView(b.model, keep)
    vals = np.arange(b.model.n_cols) % 2
    view.apply_hints(vals)
    hint = view.model.model_proto.solution_hint
    assert list(hint.vars) == list(range(len(view.cols)))
    assert list(hint.values) == vals[view.cols].tolist()


def test_a_long_row_is_not_begun_after_the_deadline() -> None:
    """The view looks at the clock before a long row, by its length: a row of many entries after
    the run's end is not written (it used to count as one column, after it was written)."""
    lm = LinearModel()
    first = lm.new_block(EVERY - 100)
    lm.add(Lin(np.arange(first, first + EVERY - 100), np.ones(EVERY - 100, np.int64)) <= 10)
    with pytest.raises(CutShort):
        CpView(lm, check=Checkpoint(FakeClock(0), step="cpsat_model"))


def test_best_of_each_picks_what_best_per_group_picks() -> None:
    """The per-cadre pick by two stable argsorts keeps the same entries as the sort of the relaxation's
    best_per_group, ties included (random owners, not in blocks)."""
    from solver.fallback import best_of_each
    from solver.relaxation import best_per_group

    rng = np.random.default_rng(3)
    for _ in range(300):
        n = int(rng.integers(1, 80))
        owner = rng.integers(0, 7, n)
        score = rng.integers(-3, 3, n).astype(float)
        k = int(rng.integers(1, 4))
        want = best_per_group(score, owner, np.ones(n, dtype=bool), k)
        assert sorted(best_of_each(score, owner, k).tolist()) == sorted(want.tolist())
