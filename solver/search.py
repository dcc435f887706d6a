"""Solve a scenario: the K best distinct slates, each checked by the referee.

CP-SAT is run with explicit workers, seed and time limit; its status,
objective, bound and gap are reported as they are. A slate on which the solver
and the referee disagree is an error (`RefereeDisagreement`), never hidden.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from time import perf_counter
from typing import Any

import numpy as np

from model.collector import collections_paused
from model.enums import Strength
from model.referee import Verdict, judge
from model.ruleset import seat_kind
from model.scenario import Scenario
from model.slate import Alternatives, Assignment, Slate, SolveResult, SolverSettings, SolveStats, SolveStatus
from solver.budget import Checkpoint, CutShort, Plan
from solver.build import Builder
from solver.cpsat import CpView
from solver.events import BetterSlate, LpBound, ModelBuilt, OnEvent, SlateJudged, ignore
from solver.explain import explain_infeasible
from solver.fallback import Missing, few_pairs
from solver.lexicographic import BreakCap
from solver.linear import INF, Lin, value, values
from solver.memory import MAX_MEMORY_MB, give_back
from solver.relaxation import Bound as RelaxBound
from solver.relaxation import best_per_group, lp_bound
from solver.run import FOUND, Run, Workers, portfolio_for, run_cpsat
from solver.stop import Stop, budget
from solver.townships import township_bound

WALK_FLOOR = 0.25
"""Seconds the township walk (solver/townships.py) gets at least."""
WALK_PER_PAIR = 1e-6
"""And per allowed pair: one second a million pairs."""


class RefereeDisagreement(RuntimeError):
    """The solver's own account of a slate differs from the referee's: a bug."""


def read_assignments(b: Builder, vals: np.ndarray) -> list[Assignment]:
    """Each group's cadres fill its seats in pool order (deputy_head#1 gets the
    first), so one set of people is always written the same way."""
    out: list[Assignment] = []
    for g, cands in zip(b.groups, b.cands, strict=True):
        chosen = cands[vals[b.pairs_of(g.index)] == 1].tolist()
        takes = {post: int(vals[var.col]) for (gi, post), var in b.optional.items() if gi == g.index}
        for k, (seat, c) in enumerate(zip(g.seats, sorted(chosen), strict=True)):
            extra = tuple(post for post, n in takes.items() if k < n)
            out.append(Assignment(township=seat.township, seat=seat.id, cadre=b.pool.ids[c],
                                  extra_posts=extra))
    return out


Account = tuple[dict[str, tuple[bool, int]], int]
"""The solver's own account of a slate: per recorded rule instance (holds,
penalty), and the objective."""


def account(b: Builder, vals: np.ndarray) -> Account:
    """The solver's view of a slate, read off the model as it is now (a forced
    solve changes the model's objective for its run: read it before that is undone)."""
    ours: dict[str, tuple[bool, int]] = {}
    for r, amount in zip(b.recorded, values([r.amount for r in b.recorded], vals), strict=True):
        penalty = r.spec.weight * amount if r.spec.strength == Strength.prefer else 0
        ours[r.key] = (amount == 0, penalty)
    return ours, int(value(b.objective, vals))


def check_agreement(b: Builder, vals: np.ndarray, slate: Slate, verdict: Verdict) -> None:
    """Compare, instance by instance, the solver's view with the referee's."""
    agree(account(b, vals), slate, verdict)


def agree(solver: Account, slate: Slate, verdict: Verdict) -> None:
    """`check_agreement` on an account taken before (`account`): it reads nothing of
    the model, so it may run on another thread while the model is solved again."""
    ours, objective = solver
    problems = [f"{p.code} {p.args}" for p in verdict.problems]
    problems += [f"must rule broken: {r.key} {r.reason.code} {r.reason.args}" for r in verdict.report
                 if r.strength == Strength.must and not r.holds]
    theirs: dict[str, tuple[bool, int]] = {}
    for r in verdict.report:
        if r.strength != Strength.must:
            # Identical seats are one group to the solver: add up deputy_head#1, #2.
            key = seat_kind(r.key)
            holds, penalty = theirs.get(key, (True, 0))
            theirs[key] = (holds and r.holds, penalty + r.penalty)
    for key in sorted(set(ours) | set(theirs)):
        if ours.get(key) != theirs.get(key):
            problems.append(f"{key}: solver says {ours.get(key)}, referee says {theirs.get(key)}")
    if slate.score is None:
        problems.append("the referee gave the slate no score")
    elif objective != slate.score.objective:
        problems.append(f"objective: solver {objective}, referee {slate.score.objective}")
    if problems:
        raise RefereeDisagreement("solver and referee disagree:\n  " + "\n  ".join(problems))


FIX_PAIRS = 3_000
"""From this many pairs on, the LP relaxation's reduced costs drop pairs before
CP-SAT sees the model (solver/relaxation.py). Below it CP-SAT alone is as fast."""

SUPPORT_SECONDS = 1.0
"""At most this long (and a quarter of what is left) for the slate from the
relaxation's support; it is a shortcut, not the search."""


SUPPORT_PER_GROUP = 2
"""Pairs per seat group (the least loss first) in the support's first model,
beside the relaxation's own; it widens threefold while that helps
(`Search.from_support`): two, then six, then eighteen per group proves every
stored instance, the hard ones included, where a fixed four cost c20-1000 0.2 s
more and a fixed two missed xx-2011 with D1-K4 `generally` (4.8 s)."""

PRINCIPAL_SUPPORT = 8
"""Pairs per principal seat group (the least loss first) in the support's model:
an alternative that must change a 书记 or 乡镇长 finds its replacement among them
(c40-2000, top 3: 2.8 s a slate with two, 0.1 s with eight)."""


JUMP_SHARE = 0.6
"""A stepped target keeping this share of z + 1's pairs or more is skipped for z + 1
(`Search.jumped`); county-2017 with 40 women steps on, as `next_target` says, from
-3,433 (34,920 pairs, 43% of -3,435's 80,664) to prove -3,434."""

SMALL_PAIRS = 2_000
"""A CP-SAT model of at most this many pairs (a support's, a forced solve's ring)
runs on one worker: a second one costs more in start-up than it brings there
(c20-1000, the nine forced solves of a ranking: 0.55 s on one, 0.77-0.9 s on two)."""


SMALL = {"add_cg_cuts": False, "add_zero_half_cuts": False, "add_mir_cuts": False}
"""CP-SAT's parameters for a small model: no cuts. Its LP bound is not what proves
a slate there (the relaxation's is: solver/relaxation.py), and the cuts cost more
than they save (c20-1000, the nine forced solves of a ranking: 0.32-0.35 s of CPU
without, 0.47-0.58 s with)."""


@dataclass
class Found:
    """The best slate of one search (vals None: none), with its honest status."""

    status: SolveStatus
    vals: np.ndarray | None
    stats: SolveStats


def score_bound(cp_bound: float, scale: int, dropped: float) -> float:
    """CP-SAT's bound in score units (a what-if's closeness tie-break, scaled
    below one point, taken out); it covers the dropped pairs too: no slate using
    one scores above `dropped`."""
    bound = float(cp_bound // scale)
    return max(bound, math.floor(dropped + 1e-6)) if dropped > -INF else bound


class Search:
    """CP-SAT over the pairs a score target keeps, the target lowered until the
    best slate of the kept pairs reaches it, which proves it best of all.

    With the relaxation bound B and a target T, the pairs kept are those that
    can be in a slate scoring T or more. If CP-SAT proves the kept pairs' best
    slate scores z >= T, no slate using a dropped pair (each scores < T) can beat
    it; nor can one beat z = T - 1 (scores are whole numbers: a dropped pair's
    slate scores T - 1 at most), unless the objective leans. If z is lower still,
    T steps down, by doubling steps but never below z + 1, and the search runs
    again with the pairs that brings back; the slate found is a hint, so the next
    run starts from it. If the kept pairs admit no slate, T steps down, by
    doubling steps. Without a relaxation every pair is kept and the search is
    plain CP-SAT.

    A search stopped early returns the best slate it has found, as FEASIBLE.
    `on_better(score, bound)` hears each improving CP-SAT solution. Each slate
    found is cut off for the next search (`add_cut`) by `alternatives` and
    `diversity` (model/slate.py `Alternatives`)."""

    def __init__(self, b: Builder, bound: RelaxBound | None, how: Workers, scale: int,
                 check: Checkpoint | None = None, diversity: int = 1,
                 alternatives: Alternatives = Alternatives.seats) -> None:
        self.b, self.bound, self.how, self.scale = b, bound, how, scale
        self.diversity, self.alternatives = diversity, alternatives
        self.check = check if check is not None else Checkpoint(None)
        self.target = INF if bound is None else math.floor(bound.value + 1e-6)
        self.view: CpView | None = None
        self.keep: np.ndarray | None = None
        self.used = np.zeros(b.n_pairs, dtype=bool)  # pairs of the slates found so far
        self.principal = principal_pairs(b)
        self.on_better: Callable[[float, float], None] | None = None
        self.wall = 0.0
        self.township = INF  # the township bound, once found (solver/townships.py)

    def rebound(self, bound: RelaxBound | None) -> None:
        """A new relaxation bound (the model's rows changed): the search starts over from it."""
        self.bound = bound
        self.target = INF if bound is None else math.floor(bound.value + 1e-6)
        self.view, self.keep = None, None
        self.township = INF

    def kept(self) -> np.ndarray | None:
        if self.bound is None or self.target == INF:
            return None
        return self.bound.keep(self.b.n_pairs, self.b.model.n_cols, self.target)

    def current_view(self) -> CpView:
        """The kept pairs, and those every slate reaching the target uses fixed to 1
        (`Bound.fixed`: c100-5000 has 177 such pairs at its bound)."""
        keep = self.kept()
        ones = self.bound.fixed(self.target) if self.bound is not None and keep is not None else None
        if self.view is None or not same(keep, self.keep) or not same(ones, self.view.ones):
            self.view, self.keep = self.cp_view(keep, ones), keep
        return self.view

    def cp_view(self, keep: np.ndarray | None, ones: np.ndarray | None = None) -> CpView:
        """The CP-SAT model of the kept columns, written within the run's budget."""
        self.check.enter("cpsat_model")
        view = CpView(self.b.model, keep, self.check, ones)
        self.check.enter("search")
        return view

    def run(self, view: CpView, stop: Stop, scale: int, dropped: float, limit: float = math.inf,
            proving: bool = False) -> tuple[Run, np.ndarray | None, SolveStats]:
        """One CP-SAT call over a view: its run, the solution's columns, its stats.
        `proving`: the wide model after the supports (solver/run.py `portfolio_for`)."""
        heard = None
        if self.on_better is not None:
            tell = self.on_better

            def heard(objective: float, cp_bound: float) -> None:
                tell(float(round(objective) // scale), self.proven(score_bound(cp_bound, scale, dropped)))

        pairs = int(view.keep[: self.b.n_pairs].sum())
        small = pairs <= SMALL_PAIRS
        how = replace(self.how, workers=min(self.how.workers, 1)) if small else self.how
        run = run_cpsat(view.model, stop, how, limit=limit, on_solution=heard,
                        params=SMALL if small else None,
                        portfolio=portfolio_for(pairs, proving))
        self.wall += run.wall_time
        if run.status not in FOUND or run.solver is None:
            return run, None, SolveStats(status=run.status, wall_time=self.wall, pairs=pairs)
        vals = view.values(run.solver)
        obj = float(value(self.b.objective, vals))
        bound = self.proven(score_bound(run.solver.best_objective_bound, scale, dropped))
        gap = abs(bound - obj) / max(1.0, abs(obj))
        return run, vals, SolveStats(status=run.status, objective=obj, bound=bound, gap=gap,
                                     wall_time=self.wall, pairs=pairs)

    def jumped(self, target: float, z: float, scale: int) -> float:
        """z + 1 in place of the stepped `target` when that keeps nearly as many
        pairs: the run at z + 1 settles z either way (a better slate, proven, or
        none), and a run at a target above it costs about as much and may settle
        nothing. xk4-s8 (1,000 cadres): -3,540 kept 43,700 pairs and took 19 s to
        find the support's -3,542 again, before -3,541 (60,831 pairs) proved it."""
        if scale != 1 or self.bound is None or target <= z + 1:
            return target
        kept = [int(self.bound.kept_pairs(t).sum()) for t in (target, z + 1)]
        return z + 1 if kept[0] >= JUMP_SHARE * kept[1] else target

    def proven(self, bound: float) -> float:
        """The lowest of CP-SAT's bound, the relaxation's and the township bound: each
        holds for every slate."""
        if self.bound is None:
            return bound
        return min(bound, float(math.floor(self.bound.value + 1e-6)), self.township)

    def best(self, stop: Stop, scaled: bool, cap: int) -> Found:
        """The best slate under the model's current rows and objective; `cap`
        bounds the objective's closeness part (kept pairs of a slate leaned to)."""
        step = 1
        scale = self.scale if scaled else 1
        self.wall = 0.0
        fallback: Found | None = None  # the best slate found so far, not proven best
        if self.bound is not None:
            fallback = self.from_support(stop, scale, cap)
            if fallback is not None and fallback.status == SolveStatus.OPTIMAL:
                return fallback
        stats = SolveStats(status=SolveStatus.UNKNOWN)
        while not stop.should_stop():
            try:
                view = self.current_view()
            except CutShort:
                if fallback is None:
                    raise
                return fallback  # no time for the whole model: the support's slate, unproven
            dropped = self.bound.dropped_best(view.keep, view.ones) if self.bound is not None else -INF
            run, vals, stats = self.run(view, stop, scale, dropped, proving=True)
            if run.status == SolveStatus.MODEL_INVALID:
                return Found(run.status, None, stats)
            if dropped == -INF:  # every pair was kept: CP-SAT's word is final
                if vals is None and fallback is not None:
                    return fallback  # stopped before this run found the support slate again
                return Found(run.status, vals, stats)
            if run.status == SolveStatus.OPTIMAL and vals is not None and stats.objective is not None:
                if proves(stats, self.target, scale):
                    return Found(SolveStatus.OPTIMAL, vals, stats)
                fallback = unproven(vals, stats)
                self.target = self.jumped(next_target(stats.objective, self.target, step, scale),
                                          stats.objective, scale)
                step *= 2
                self.hint(vals)
            elif run.status == SolveStatus.INFEASIBLE:
                self.target -= step
                step *= 2
            elif vals is not None:  # out of time: the slate found is not proven best
                return unproven(vals, stats)
            else:
                break
        if fallback is not None:
            return fallback
        # Kept pairs without a slate, or no time to look: that proves nothing.
        return Found(SolveStatus.UNKNOWN, None, stats.model_copy(update={"status": SolveStatus.UNKNOWN}))

    def by_township(self, found: Found, stop: Stop, scale: int, cap: int) -> Found | None:
        """The support's slate proven best by the township bound (solver/townships.py)
        when that bound is below its score plus one (None: not proven; the bound
        found still caps the bound reported and the supports after it). The walk
        stops once the bound is a point below B: a first support a point lower
        still is left to the wider ones. A slate leaned to is proven only with
        its closeness part at `cap`."""
        z = found.stats.objective
        if self.bound is None or found.vals is None or z is None or z >= self.target or self.used.any():
            return None  # the first slate only: the slates after it are left to the search
        if value(self.b.model.objective, found.vals) < scale * z + cap:
            return None
        # The walk's budget grows with the pairs, as does the wide CP-SAT model it spares: c40-2000's
        # optimum is floor(B), where no walk can prove it and a wider support does in 0.4 s; on
        # 5,000 cadres (2 million pairs) the first block proves it in about 1.3 s.
        limit = max(WALK_FLOOR, min(stop.remaining() / 4, self.b.n_pairs * WALK_PER_PAIR))
        got = township_bound(self.b, self.bound, self.target, stop, self.how, limit)  # one point below B
        give_back()
        if got is None:
            return None
        self.township = min(self.township, math.floor(got.value + 1e-6))
        if self.township > z:
            return None
        return Found(SolveStatus.OPTIMAL, found.vals, found.stats.model_copy(update={
            "status": SolveStatus.OPTIMAL, "bound": z, "gap": 0.0}))

    def from_support(self, stop: Stop, scale: int, cap: int, widen: bool = True) -> Found | None:
        """A slate from few pairs: those the relaxation's solution uses, each
        group's few with the least loss, and those of the slates found so far.
        B bounds every slate's score, so a slate scoring floor(B) whose closeness
        part is at its cap is best of all, with no search over the other pairs.
        Otherwise the support widens (three times the pairs per group, twice the
        time) while that improves the slate and stays well inside the kept pairs:
        CP-SAT finds in a few thousand pairs what it misses in forty thousand
        (c40-2000: 3,540 in 3 s over 2,283 pairs; 3,539 after 60 s over 40,599).
        The last slate is a hint for the search that follows (and its answer if
        the run is stopped first), FEASIBLE. `widen` false: the first support only
        (a forced solve's bound from the base's duals is often a point loose, and
        no support proves it; its own relaxation comes next, solver/warm.py)."""
        if self.bound is None or self.kept() is None:
            return None
        per, limit = SUPPORT_PER_GROUP, SUPPORT_SECONDS
        best: Found | None = None
        while not stop.should_stop():
            found, share = self.rung(stop, scale, cap, per, limit)
            if found is None or found.status == SolveStatus.OPTIMAL:
                return found or best
            if best is None and widen:  # the first support's slate: is the LP's last point a township's?
                proven = self.by_township(found, stop, scale, cap)
                if proven is not None:
                    return proven
            assert found.vals is not None
            self.hint(found.vals)
            objective = self.b.model.objective
            if best is not None and value(objective, found.vals) <= value(objective, best.vals):
                return best  # a wider support found nothing better: the search takes over
            best = found
            if not widen or share >= 0.5:
                return best  # the support is half the kept pairs already
            per, limit = 3 * per, 2 * limit
        return best

    def rung(self, stop: Stop, scale: int, cap: int, per: int, limit: float) -> tuple[Found | None, float]:
        """One support model: the relaxation's solution, the slates found so far and
        each group's `per` kept pairs of least loss, solved for at most `limit`
        seconds. Its slate (None: none found) is OPTIMAL when it reaches floor(B)
        with the closeness part at `cap`, else FEASIBLE; and the share of the kept
        pairs the model had."""
        keep = self.kept()
        assert self.bound is not None and keep is not None
        b, bd = self.b, self.bound
        pairs = keep[: b.n_pairs]
        few = (bd.primal[: b.n_pairs] > 1e-6) | self.used
        few[best_per_group(-bd.loss, b.pair_group, pairs, per)] = True
        if self.alternatives == Alternatives.principal and self.used.any():
            # This slate must change a principal seat: give it more of those seats' candidates.
            few[best_per_group(-bd.loss, b.pair_group, pairs & self.principal,
                               max(per, PRINCIPAL_SUPPORT))] = True
        small = keep.copy()
        small[: b.n_pairs] = pairs & few
        run, vals, stats = self.run(self.cp_view(small), stop, scale, bd.dropped_best(small),
                                    limit=min(limit, stop.remaining() / 4))
        share = float(few[pairs].sum()) / max(1, int(pairs.sum()))
        if vals is None or run.solver is None:
            return None, share
        if value(b.model.objective, vals) >= scale * min(math.floor(bd.value + 1e-6), self.township) + cap:
            return Found(SolveStatus.OPTIMAL, vals, stats.model_copy(update={
                "status": SolveStatus.OPTIMAL, "bound": stats.objective, "gap": 0.0})), share
        return unproven(vals, stats), share

    def hint(self, vals: np.ndarray) -> None:
        self.b.model.set_hints(np.arange(len(vals)), vals)
        if self.view is not None:
            self.view.apply_hints(vals)

    def add_cut(self, vals: np.ndarray) -> None:
        """Cut this slate off. `seats`: the next slate keeps at most n - D of its
        (cadre, seat) pairs. `principal`: at most n_p - 1 of its n_p principal
        pairs (it changes a 书记 or 乡镇长 somewhere), and with D > 1 the seats
        cut too (D = 1 adds nothing to it). Both are rows over pair columns with
        unit coefficients: no slate is scored higher for them, so the
        relaxation's bound B and the pairs it drops stay valid (cp_only: the
        relaxation, solved once before any cut, never reads them)."""
        b = self.b
        chosen = np.flatnonzero(vals[: b.n_pairs] == 1)
        cuts: list[tuple[np.ndarray, int]] = []
        if self.alternatives == Alternatives.principal:
            principal = chosen[self.principal[chosen]]
            cuts.append((principal, len(principal) - 1))
        if self.alternatives == Alternatives.seats or self.diversity > 1:
            cuts.append((chosen, b.n_seats - self.diversity))
        for cols, most in cuts:
            row = b.model.add(Lin(cols, np.ones(len(cols), np.int64)) <= most)
            row.cp_only = True
            if self.view is not None:
                self.view.add_row(row)
        self.used[chosen] = True
        self.hint(vals)

    def set_objective(self, e: Lin) -> None:
        self.b.model.maximize(e)
        if self.view is not None:
            self.view.set_objective()


def principal_pairs(b: Builder) -> np.ndarray:
    """Per pair column: is its seat principal (党委书记, 乡镇长: `SeatTemplate.principal`)."""
    return np.array([g.seat.principal for g in b.groups], dtype=bool)[b.pair_group]


def resolve_alternatives(sc: Scenario, diversity: int | None,
                         alternatives: Alternatives | str | None) -> tuple[int, Alternatives]:
    """The rule the alternatives follow. Neither given: `principal` (measured in
    the README's "Diversity": slates 2 and 3 then change whole teams' leadership,
    at a score gap of a few points). `diversity` alone keeps its meaning of
    before: `seats`, D seats apart. A county without principal seats falls back
    to `seats` (there is no principal post to change)."""
    if alternatives is None:
        alternatives = Alternatives.seats if diversity is not None else Alternatives.principal
    mode = Alternatives(alternatives)
    if mode == Alternatives.principal and not any(s.principal for s in sc.seats):
        mode = Alternatives.seats
    return (1 if diversity is None else diversity), mode


def proves(stats: SolveStats, target: float, scale: int) -> bool:
    """Whether the kept pairs' best slate (CP-SAT OPTIMAL over them) is best of all. A
    slate using a dropped pair scores below the target, so a whole number at most
    target - 1: the kept best z proves itself from z = target - 1 on (the bound, CP-SAT's
    and the dropped pairs' together, is z). A leaning objective (`scale` > 1: the score,
    then closeness to a slate) needs z >= target: a dropped pair's slate may tie z's
    score and lean closer."""
    assert stats.objective is not None
    if scale != 1:
        return stats.objective >= target
    return stats.objective >= target or (stats.bound is not None and stats.bound <= stats.objective)


def next_target(z: float, target: float, step: int, scale: int) -> float:
    """The target after the kept pairs' best z fell below `target`: `step` lower (the
    steps double, as when the kept pairs admit no slate), but never below z + 1, whose
    pairs prove z by `proves`. Each point lower keeps more pairs, and the support's z
    may be points below the best slate: on a 1,000-cadre county-2017 with 40 women the
    target went from -3,430 straight to the support's -3,436 (80,664 of 115,888 pairs
    kept, 35 s to prove), where the best is -3,434; stepping, -3,431 and then -3,433
    (34,920 pairs, 15 s). A leaning objective takes z."""
    if scale != 1:
        return z
    return max(z + 1, target - step)


def unproven(vals: np.ndarray, stats: SolveStats) -> Found:
    return Found(SolveStatus.FEASIBLE, vals, stats.model_copy(update={"status": SolveStatus.FEASIBLE}))


def same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return bool(np.array_equal(a, b))


@collections_paused()
def solve(
    sc: Scenario,
    time_limit: float | None = None,
    workers: int = 2,
    top: int = 1,
    seed: int = 0,
    on_event: OnEvent | None = None,
    diversity: int | None = None,
    deterministic: bool = False,
    near: Slate | None = None,
    fixing: bool = True,
    stop: Stop | None = None,
    max_memory_mb: float | None = MAX_MEMORY_MB,
    alternatives: Alternatives | str | None = None,
    on_built: Callable[[Builder, RelaxBound | None, BreakCap | None], None] | None = None,
) -> SolveResult:
    """The `top` best slates, best first, each differing from every slate before
    it as `alternatives` says (`Alternatives`; `resolve_alternatives` gives the
    default): in a principal seat, or in at least `diversity` seats (a seat
    differs when another cadre holds it; identical seats compare as a set). `stop` (or `time_limit`
    seconds, 30 without either) bounds the whole run, the explanation of an
    infeasible scenario included; stopped early, the run returns the slates it
    has, the last one FEASIBLE unless proven best. Each next slate is the best of
    those far enough from all before it, so slates come out in order of score;
    equal scores keep the order found. With `near` (a what-if's base slate), the
    best slate is, among those of the best score, one that keeps as many of
    `near`'s (cadre, seat) pairs as it can, so a what-if shows only the changes it
    forces. Without `near`, the slates after the first lean the same way toward
    the first: an alternative changes only what it must. `fixing` false (for tests
    and benchmarks) gives CP-SAT every pair instead of those the LP relaxation
    keeps. `on_event` hears the run's progress (solver/events.py).

    The budget holds between the build steps and inside them (solver/budget.py):
    a run whose time is up before its first slate is UNKNOWN with the reason
    `cut_short` (the step it was in). Before anything large is built, a run whose
    estimated peak memory is above `max_memory_mb` (None: no bound) is refused
    with MemoryBoundExceeded (solver/memory.py). `on_built` is handed the built
    model, its relaxation bound and the break cap, to keep them for forced solves (solver/warm.py)."""
    stop = budget(stop, time_limit)
    emit = on_event or ignore
    diversity, mode = resolve_alternatives(sc, diversity, alternatives)
    settings = SolverSettings(time_limit=stop.remaining(), workers=workers, top=top, seed=seed,
                              diversity=diversity, alternatives=mode, deterministic=deterministic,
                              max_memory_mb=max_memory_mb)
    t0 = perf_counter()
    check = Checkpoint(stop, time_limit=settings.time_limit)
    try:
        b = Builder(sc, check=check, max_memory_mb=max_memory_mb).build()
        give_back(b.allowed.size)  # the build's temporaries, before the relaxation's rows are written
        pairs = b.n_pairs
        plan = Plan.of(stop, perf_counter() - t0, top)  # budget: the referee's part set aside
        check = check.on(plan.search)
        bound, cut, cap = None, None, None
        if fixing and pairs >= FIX_PAIRS and not b.reasons and not stop.should_stop():
            cap = BreakCap(b)

            def heard(found: RelaxBound) -> None:
                emit(LpBound(bound=found.value, columns=found.columns, rounds=found.rounds,
                             lp_seconds=found.seconds, simplex_seconds=found.simplex_seconds,
                             seconds=perf_counter() - t0))

            bound, cut = relax(b, plan, check, cap, heard)
    except CutShort as e:
        return cut_short(sc, settings, e, perf_counter() - t0)
    build_time = perf_counter() - t0
    if on_built is not None:
        on_built(b, bound, cap)
    common: dict[str, Any] = dict(
        scenario=sc.name, ruleset=sc.ruleset, settings=settings, build_time=build_time,
        candidate_pairs=pairs, dropped_pairs=b.allowed.size - pairs,
    )
    scale = b.n_seats + 1  # one point of score outweighs every kept pair
    how = Workers(workers, seed, deterministic)
    search = Search(b, bound if cut is None else None, how, scale, check, diversity, mode)

    def lean_toward(slate: Slate) -> None:
        search.set_objective(scale * b.objective + sum(b.pair_vars(slate.assignments)))

    emit(ModelBuilt(seats=b.n_seats, pairs=pairs, build_seconds=build_time, seconds=perf_counter() - t0))
    near_pairs = b.pair_vars(near.assignments) if near is not None else []
    if near is not None:
        lean_toward(near)
    if b.reasons:
        return infeasible(sc, stop, common, on_event)
    slates: list[tuple[Slate, int]] = []
    stats: list[SolveStats] = []
    last: np.ndarray | None = None  # the last slate's columns
    for k in range(top):
        if stop.should_stop():
            break
        if on_event is not None:
            def better(objective: float, bound: float, k: int = k) -> None:
                emit(BetterSlate(slate=k + 1, objective=objective, bound=bound, seconds=perf_counter() - t0))

            search.on_better = better
        leaning = near is not None or k > 0
        closeness = len(near_pairs) if near is not None else (b.n_seats - diversity if k > 0 else 0)
        try:
            if last is not None:  # cut off the slate before (a row written to the model asks the budget)
                search.add_cut(last)
            if cut is not None and k == 0:  # budget: the LP had no time; a slate from few pairs
                found = Found(*few_pairs(b, cut, plan.search, how, check, leaning))
            else:
                found = search.best(plan.search, scaled=leaning, cap=closeness)
            while found.status == SolveStatus.INFEASIBLE and cap is not None and cap.capped:
                cap.raise_cap()  # no slate breaks K generally rules or fewer: try K + 1
                again, _ = relax(b, Plan.of(stop, build_time, top), check, cap, heard)
                search.rebound(again)
                found = search.best(plan.search, scaled=leaning, cap=closeness)
        except CutShort as e:
            if slates:
                break  # the slates found stand; the next one had no time
            return cut_short(sc, settings, e, build_time, common)
        stats.append(found.stats)
        if found.vals is None:
            break
        slate, verdict = judge(sc, read_assignments(b, found.vals), rank=k + 1)
        check_agreement(b, found.vals, slate, verdict)
        slates.append((slate, k))
        if k == 0 and near is None and top > 1:  # the slates after it lean toward it; none follows
            lean_toward(slate)
        emit(SlateJudged(index=k + 1, status=found.status, objective=found.stats.objective,
                         pairs=found.stats.pairs or 0, seconds=perf_counter() - t0,
                         assignments=slate.assignments))
        last = found.vals
    # Ties and time-limited solves: rank by objective, then by the order found.
    slates.sort(key=lambda sk: (-(sk[0].score.objective if sk[0].score else 0), sk[1]))
    ranked = tuple(s.model_copy(update={"rank": i + 1}) for i, (s, _) in enumerate(slates))
    status = stats[0].status if stats else SolveStatus.UNKNOWN
    if status == SolveStatus.UNKNOWN and not ranked:  # no slate, no proof: the time ran out
        why = CutShort(check.step, perf_counter() - t0, settings.time_limit).reason()
        return SolveResult(status=status, solves=tuple(stats), cut_short=why, **common)
    if status != SolveStatus.INFEASIBLE:
        return SolveResult(status=status, slates=ranked, solves=tuple(stats), **common)
    return infeasible(sc, stop, {**common, "solves": tuple(stats)}, on_event)


def relax(b: Builder, plan: Plan, check: Checkpoint, cap: BreakCap,
          heard: Callable[[RelaxBound], None]) -> tuple[RelaxBound | None, RelaxBound | None]:
    """The LP relaxation of the score under the break cap, within its part of the
    budget (solver/budget.py `Plan`), the cap raised while the LP proves it empty:
    (bound, None) when it ended in time, (None, what it had) when it was cut short
    (no bound, or one from duals before the last round, with which a slate from
    few pairs may still be proven best). The LP reads the score, not a slate
    leaned to (a what-if's closeness)."""
    leaning = b.model.objective
    b.model.maximize(b.objective)
    try:
        while True:
            bound, cut = relax_once(b, plan, check)
            if bound is None:
                return bound, cut
            heard(bound)
            if not cap.empty(bound):
                return bound, None
            cap.raise_cap()
            plan = Plan.of(plan.search, 0.0)
    finally:
        b.model.maximize(leaning)


def relax_once(b: Builder, plan: Plan, check: Checkpoint) -> tuple[RelaxBound | None, RelaxBound | None]:
    """One LP relaxation within the plan's part: as `relax` says."""
    if plan.lp_seconds <= 0:
        return None, Missing
    check.enter("lp_relaxation")
    try:
        bound = lp_bound(b.model, b.n_pairs, b.pair_group, plan.lp_seconds, check=check.on(plan.lp_stop))
    except CutShort:
        if plan.search.should_stop():
            raise
        return None, Missing
    if bound.lp_value is None:
        return None, Missing
    return (bound, None) if not plan.lp_stop.should_stop() else (None, bound)


def cut_short(sc: Scenario, settings: SolverSettings, e: CutShort, build_time: float,
              common: dict[str, Any] | None = None) -> SolveResult:
    """An UNKNOWN result: the budget ended in step `e.step`, before any slate."""
    common = common or dict(scenario=sc.name, ruleset=sc.ruleset, settings=settings, build_time=build_time)
    return SolveResult(status=SolveStatus.UNKNOWN, cut_short=e.reason(), **common)


def infeasible(sc: Scenario, stop: Stop, common: dict[str, Any], on_event: OnEvent | None) -> SolveResult:
    """An INFEASIBLE result with its reasons and the cheapest relaxation, found in
    what is left of the run's budget."""
    why = explain_infeasible(sc, stop=stop, on_event=on_event)
    return SolveResult(status=SolveStatus.INFEASIBLE, reasons=tuple(why.reasons),
                       relaxations=tuple(why.relaxations), **common)
