"""The run's limits: a budget that holds between and inside the build steps (solver/budget.py),
and a memory estimate that refuses a solve above its bound before anything large is built
(solver/memory.py). Time here is counted in looks at the clock, not in seconds, so nothing
depends on how fast the machine is."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

import service.render.limits  # noqa: F401  (registers the wording)
from model.generator import generate_county
from model.scenario import Scenario
from model.slate import SolveStatus
from service.cli import EXIT_BAD_INPUT, main
from service.render.words import Names, say
from solver import budget, solve
from solver.budget import EVERY, STEPS, Checkpoint, CutShort
from solver.build import Builder
from solver.cpsat import CpView
from solver.memory import BASE_MB, PER_CADRE_BYTES, PER_PAIR_BYTES, MemoryBoundExceeded, estimate
from solver.relaxation import lp_bound
from tests.fakes import FakeClock


class AfterChecks:
    """A stop that expires after `n` looks at it: a run of any speed is cut at the same place."""

    def __init__(self, n: int) -> None:
        self.left = n

    def should_stop(self) -> bool:
        self.left -= 1
        return self.left < 0

    def remaining(self) -> float:
        return 100.0 if self.left >= 0 else 0.0

    def on_stop(self, listener: Callable[[], None]) -> Callable[[], None]:
        return lambda: None


@pytest.fixture
def counted_looks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Looks at the stop by the counts only, none by the clock: a stop that counts looks
    (`AfterChecks`) then cuts a run at the same place however fast the machine is."""
    monkeypatch.setattr(budget, "LOOK_SECONDS", math.inf)


@pytest.fixture(scope="module")
def county() -> Scenario:
    """Three townships and 300 cadres: enough pairs for the LP relaxation path."""
    return generate_county(3, 300, 1)


def test_an_expired_stop_builds_nothing_and_says_where(county: Scenario) -> None:
    """A run whose budget is gone before it starts is UNKNOWN, cut short in its first step."""
    res = solve(county, stop=FakeClock(0))
    assert res.status == SolveStatus.UNKNOWN and not res.slates and not res.solves
    assert res.cut_short is not None
    assert res.cut_short.code == "cut_short" and res.cut_short.args["step"] == "pool"


@pytest.mark.usefixtures("counted_looks")
@pytest.mark.parametrize("n", [0, 1, 5, 20, 60, 200])
def test_a_stop_after_n_checks_is_cut_short_in_a_named_step(county: Scenario, n: int) -> None:
    """However early the budget ends, the run returns: a slate, or UNKNOWN naming the step it was in."""
    res = solve(county, stop=AfterChecks(n))
    if res.slates:
        return
    assert res.status == SolveStatus.UNKNOWN
    assert res.cut_short is not None and res.cut_short.args["step"] in STEPS


@pytest.mark.usefixtures("counted_looks")
def test_cuts_move_through_the_steps_in_order(county: Scenario) -> None:
    """A later expiry cuts the run in the same or a later step, and the build steps all show up."""
    steps = []
    for n in range(0, 80):  # the pairs step looks at the clock per must seated rule
        res = solve(county, stop=AfterChecks(n))
        if res.slates:
            break
        assert res.cut_short is not None
        steps.append(res.cut_short.args["step"])
    order = [STEPS.index(s) for s in steps]
    assert order == sorted(order)
    assert {"pool", "pairs", "variables", "constraints", "objective"} <= set(steps)


def test_the_model_build_looks_at_the_clock_inside_a_step(county: Scenario) -> None:
    """Writing rows asks the budget every EVERY rows, so one long step cannot outlive the run."""
    clock = FakeClock(1.0)
    check = Checkpoint(clock)
    b = Builder(county, check=check)
    b.model.add(b.model.new_bool_var() >= 0)
    clock.advance(1.0)  # the run's time is up while the rows are written
    with pytest.raises(CutShort):
        for _ in range(EVERY + 1):
            b.model.add(b.model.new_bool_var() >= 0)


@pytest.mark.parametrize("look_seconds, cut", [(0.0, True), (math.inf, False)])
def test_a_tick_looks_at_the_stop_once_its_time_since_the_last_look_is_up(
        look_seconds: float, cut: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tick far below EVERY still looks at the stop once LOOK_SECONDS have passed since the last
    look (a step whose counts understate its work), and not before."""
    monkeypatch.setattr(budget, "LOOK_SECONDS", look_seconds)
    clock = FakeClock(1.0)
    check = Checkpoint(clock)
    clock.advance(1.0)
    if cut:
        with pytest.raises(CutShort):
            check.tick()
    else:
        check.tick()


def test_a_kept_master_no_longer_asks_the_budget_of_the_run_that_built_it(
        county: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    """The relaxation kept for rankings and what-ifs adds a seat's columns long after its run's
    budget (and a restricted re-solve's) has ended: neither cuts those additions short."""
    monkeypatch.setattr(budget, "LOOK_SECONDS", 0.0)  # every tick looks
    b = Builder(county).build()
    clock = FakeClock(100.0)
    bound = lp_bound(b.model, b.n_pairs, b.pair_group, 10.0, check=Checkpoint(clock, step="lp_relaxation"))
    master = bound.master
    assert master is not None
    clock.advance(100.0)
    outside = np.flatnonzero(~master.inside[: b.n_pairs])
    master.include(outside[: len(outside) // 2], 5.0)
    off = np.zeros(b.n_pairs, dtype=bool)
    later = FakeClock(100.0)
    master.restricted(off, [], 5.0, check=Checkpoint(later, step="search"))
    later.advance(100.0)
    master.include(outside, 5.0)
    assert master.inside[: b.n_pairs].all()


def test_the_lp_is_cut_short_before_its_first_round(county: Scenario) -> None:
    """The LP relaxation's own setup honours the run's budget (GLOP's limit bounds only its rounds)."""
    b = Builder(county).build()
    with pytest.raises(CutShort):
        lp_bound(b.model, b.n_pairs, b.pair_group, 10.0, check=Checkpoint(FakeClock(0), step="lp_relaxation"))


def test_the_cpsat_model_is_cut_short() -> None:
    """Writing the CP-SAT model of many pairs honours the run's budget."""
    b = Builder(generate_county(3, 600, 1)).build()  # the N rules leave 300 cadres too few pairs
    assert b.model.n_cols > EVERY
    with pytest.raises(CutShort) as e:
        CpView(b.model, check=Checkpoint(FakeClock(0), step="cpsat_model"))
    assert e.value.step == "cpsat_model"


def test_the_cut_short_reason_is_worded(county: Scenario) -> None:
    """The reason names the step, the seconds and the time limit, and says to raise the limit."""
    r = CutShort("lp_relaxation", 2.04, 2.0).reason()
    assert r.args == {"step": "lp_relaxation", "seconds": 2.04, "time_limit": 2.0}
    text = say(r, Names())
    assert "线性松弛" in text and "2.04" in text and "--time-limit" in text


def test_the_estimate_formula_on_small_cases() -> None:
    """The estimate is the base plus a per-pair and a per-cadre part, in MB."""
    assert estimate(0, 0, 0).megabytes == BASE_MB
    one = estimate(1000, 10, 2**20)
    assert one.megabytes == pytest.approx(BASE_MB + PER_PAIR_BYTES + PER_CADRE_BYTES * 1000 / 2**20)
    assert estimate(1000, 10, 2 * 2**20).megabytes - one.megabytes == pytest.approx(PER_PAIR_BYTES)
    assert (one.cadres, one.groups, one.pairs) == (1000, 10, 2**20)


def test_a_solve_above_the_bound_is_refused_before_the_build(county: Scenario) -> None:
    """Above the bound the build stops once the pairs are known: no column exists, and the error
    carries the estimate, the bound and what to do."""
    b = Builder(county, max_memory_mb=1.0)
    with pytest.raises(MemoryBoundExceeded) as e:
        b.build()
    assert b.model.n_cols == 0
    err = e.value
    assert err.bound_mb == 1.0 and err.estimate.pairs == int(b.allowed.sum())
    assert err.estimate.megabytes > 1.0
    r = err.reason()
    assert r.code == "memory_bound" and r.args["bound_mb"] == 1
    assert set(r.args["advice"]) == {"fewer_townships", "smaller_pool", "higher_bound"}
    assert "超过上限1MB" in say(r, Names())
    with pytest.raises(MemoryBoundExceeded):
        solve(county, time_limit=10, max_memory_mb=1.0)


def test_a_solve_below_the_bound_runs(county: Scenario) -> None:
    """Below the bound nothing changes: the solve finds its slate and records the bound it had."""
    b = Builder(county, max_memory_mb=10_000.0).build()
    assert b.memory is not None and b.memory.megabytes < 10_000.0
    res = solve(county, time_limit=20, max_memory_mb=10_000.0)
    assert res.slates and res.settings.max_memory_mb == 10_000.0 and res.cut_short is None


def test_the_cli_refuses_above_max_memory(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    """`solve --max-memory 1` exits 2 with the estimate and the bound, and writes no file."""
    folder, out = tmp_path / "county", tmp_path / "out.json"
    assert main(["generate", str(folder), "--townships", "2", "--cadres", "60", "--seed", "3"]) == 0
    capsys.readouterr()
    assert main(["solve", str(folder), "--max-memory", "1", "--json", str(out)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "超过上限1MB" in err and "--max-memory" in err
    assert not out.exists()


def test_the_cli_says_a_run_was_cut_short(tmp_path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A solve whose budget ends before a slate prints the cut-short reason and exits 3."""
    import solver.search as search

    folder = tmp_path / "county"
    assert main(["generate", str(folder), "--townships", "2", "--cadres", "60", "--seed", "3"]) == 0
    real = search.budget
    monkeypatch.setattr(search, "budget", lambda stop, time_limit: real(FakeClock(0), None))
    capsys.readouterr()
    assert main(["solve", str(folder)]) == 3
    assert "请调高时限" in capsys.readouterr().out


def test_rows_share_a_long_expression_instead_of_copying_it() -> None:
    """Comparing an expression with a number keeps its arrays (a county-wide count row has millions
    of entries, and a generally rule writes two rows over it)."""
    from solver.linear import Lin

    e = Lin(np.arange(5), np.ones(5, np.int64))
    assert (e - 3).idx is e.idx and (e + Lin.of(2)).idx is e.idx
    assert (e >= 3).lin.idx is e.idx and (e - 3).const == -3


def test_merging_many_terms_counts_them_exactly() -> None:
    """The in-place count of duplicate columns gives what the sort-based merge gives."""
    from solver.linear import Lin

    rng = np.random.default_rng(0)
    idx = rng.integers(0, 50, 400)
    coef = rng.integers(-10**6, 10**6, 400)
    merged = Lin(idx, coef).merged()
    cols, inv = np.unique(idx, return_inverse=True)
    want = np.bincount(inv, weights=coef).astype(np.int64)
    assert merged.idx.tolist() == cols[want != 0].tolist()
    assert merged.coef.tolist() == want[want != 0].tolist()


def test_best_per_group_in_blocks_picks_what_a_full_sort_picks() -> None:
    """The per-block partition gives the same entries in the same order as a stable sort of all
    entries, ties included (the LP's columns, and so its duals, stay the same)."""
    from solver.relaxation import best_per_group

    def by_sorting(score: np.ndarray, groups: np.ndarray, allowed: np.ndarray, k: int) -> list[int]:
        idx = np.flatnonzero(allowed)
        order = idx[np.lexsort((-score[idx], groups[idx]))]
        g = groups[order]
        return order[np.arange(len(order)) - np.searchsorted(g, g) < k].tolist()

    rng = np.random.default_rng(1)
    for _ in range(500):
        n = int(rng.integers(1, 60))
        groups = np.sort(rng.integers(0, 5, n))
        score = rng.integers(-3, 3, n).astype(float)
        allowed = rng.random(n) < 0.7
        k = int(rng.integers(1, 5))
        assert best_per_group(score, groups, allowed, k).tolist() == by_sorting(score, groups, allowed, k)


def test_explaining_with_no_time_left_says_it_was_cut_short(county: Scenario) -> None:
    """explain_infeasible keeps to the run's budget too: with none left it builds nothing and
    its reason is the cut-short one (a huge infeasible pool does not overrun)."""
    from solver.explain import explain_infeasible

    out = explain_infeasible(county, stop=FakeClock(0))
    assert [r.code for r in out.reasons] == ["cut_short"] and out.relaxations == []
