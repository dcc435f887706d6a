"""Solve a scenario: the K best distinct slates, each checked by the referee.

CP-SAT is run with explicit workers, seed and time limit; its status,
objective, bound and gap are reported as they are. A slate on which the solver
and the referee disagree is an error (`RefereeDisagreement`), never hidden.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter

import numpy as np
from ortools.sat.python import cp_model

from model.enums import Strength
from model.referee import Verdict, judge
from model.scenario import Scenario
from model.slate import Assignment, Slate, SolveResult, SolverSettings, SolveStats
from solver.build import Builder
from solver.cpsat import CpView
from solver.linear import INF, Lin, value
from solver.relaxation import Bound as RelaxBound
from solver.relaxation import best_per_group, lp_bound

FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)


class RefereeDisagreement(RuntimeError):
    """The solver's own account of a slate differs from the referee's: a bug."""


SMALL_PORTFOLIO = ("max_lp", "default_lp")
"""With 1-2 workers CP-SAT's default portfolio lacks the full-LP worker, and on a
county it then finds the optimum but cannot prove it within a minute; the LP
with every constraint linearized (max_lp) closes the demo at the root."""

PRESOLVE = {"cp_model_probing_level": 0, "max_presolve_iterations": 1}
"""Measured on the demo county (90 seats, 25,733 pairs, 2 workers): presolve took
8.5 of 12 s, mostly probing, and found nothing the LP needs. Without probing and
with one presolve round a solve takes 2.4 s, with the same proven optimum."""


def make_solver(
    time_limit: float, workers: int, seed: int, deterministic: bool = False, optimize: bool = True
) -> cp_model.CpSolver:
    """CP-SAT with explicit workers, seed and time limit. `deterministic` interleaves
    the workers' search in one thread, so the same input, seed and settings give
    the same slates (at the cost of parallel speed). `optimize` false (a
    feasibility check) keeps CP-SAT's default worker, faster there than max_lp."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = max(time_limit, 0.01)
    solver.parameters.random_seed = seed
    solver.parameters.interleave_search = deterministic
    if optimize and workers <= len(SMALL_PORTFOLIO):
        solver.parameters.subsolvers.extend(SMALL_PORTFOLIO[:workers])
    for name, v in PRESOLVE.items():
        setattr(solver.parameters, name, v)
    return solver


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


def check_agreement(b: Builder, vals: np.ndarray, slate: Slate, verdict: Verdict) -> None:
    """Compare, instance by instance, the solver's view with the referee's."""
    problems = list(verdict.problems)
    problems += [f"must rule broken: {r.key} {r.detail}" for r in verdict.report
                 if r.strength == Strength.must and not r.holds]
    ours: dict[str, tuple[bool, int]] = {}
    for r in b.recorded:
        amount = value(r.amount, vals)
        penalty = r.spec.weight * amount if r.spec.strength == Strength.prefer else 0
        ours[r.key] = (amount == 0, penalty)
    theirs: dict[str, tuple[bool, int]] = {}
    for r in verdict.report:
        if r.strength != Strength.must:
            # Identical seats are one group to the solver: add up deputy_head#1, #2.
            key = r.key.split("#")[0]
            holds, penalty = theirs.get(key, (True, 0))
            theirs[key] = (holds and r.holds, penalty + r.penalty)
    for key in sorted(set(ours) | set(theirs)):
        if ours.get(key) != theirs.get(key):
            problems.append(f"{key}: solver says {ours.get(key)}, referee says {theirs.get(key)}")
    objective = value(b.objective, vals)
    assert slate.score is not None
    if objective != slate.score.objective:
        problems.append(f"objective: solver {objective}, referee {slate.score.objective}")
    if problems:
        raise RefereeDisagreement("solver and referee disagree:\n  " + "\n  ".join(problems))


FIX_PAIRS = 3_000
"""From this many pairs on, the LP relaxation's reduced costs drop pairs before
CP-SAT sees the model (solver/relaxation.py). Below it CP-SAT alone is as fast."""


@dataclass
class Found:
    status: str
    vals: np.ndarray | None
    stats: SolveStats


class Search:
    """CP-SAT over the pairs a score target keeps, the target lowered until the
    best slate of the kept pairs reaches it, which proves it best of all.

    With the relaxation bound B and a target T, the pairs kept are those that
    can be in a slate scoring T or more. If CP-SAT proves the kept pairs' best
    slate scores z >= T, no slate using a dropped pair (each scores < T) can beat
    it. If z < T, T becomes z and the search runs again with the pairs that
    brings back; the slate found is a hint, so the next run starts from it. If
    the kept pairs admit no slate, T steps down, by doubling steps. Without a
    relaxation every pair is kept and the search is plain CP-SAT."""

    def __init__(self, b: Builder, bound: RelaxBound | None, settings: SolverSettings,
                 scale: int) -> None:
        self.b, self.bound, self.settings, self.scale = b, bound, settings, scale
        self.target = INF if bound is None else math.floor(bound.value + 1e-6)
        self.view: CpView | None = None
        self.keep: np.ndarray | None = None
        self.pairs_used: list[int] = []
        self.used = np.zeros(b.n_pairs, dtype=bool)  # pairs of the slates found so far

    def kept(self) -> np.ndarray | None:
        if self.bound is None or self.target == INF:
            return None
        return self.bound.keep(self.b.n_pairs, self.b.model.n_cols, self.target)

    def current_view(self) -> CpView:
        keep = self.kept()
        if self.view is None or not same(keep, self.keep):
            self.view, self.keep = CpView(self.b.model, keep), keep
        return self.view

    def best(self, deadline: float, scaled: bool, cap: int) -> Found:
        """The best slate under the model's current rows and objective; `cap`
        bounds the objective's closeness part (kept pairs of a slate leaned to)."""
        b, step = self.b, 1
        scale = self.scale if scaled else 1
        if self.bound is not None:
            quick = self.from_support(deadline, scale, cap)
            if quick is not None:
                return quick
        while True:
            view = self.current_view()
            self.pairs_used.append(int(view.keep[: b.n_pairs].sum()))
            st = self.settings
            solver = make_solver(deadline - perf_counter(), st.workers, st.seed, st.deterministic)
            status = solver.solve(view.model)
            vals = view.values(solver) if status in FOUND else None
            dropped = self.bound.dropped_best(view.keep) if self.bound is not None else -INF
            stats = stats_of(solver, status, b, vals, scale, dropped)
            if dropped == -INF:  # every pair was kept: CP-SAT's word is final
                return Found(stats.status, vals, stats)
            if status == cp_model.OPTIMAL and stats.objective is not None \
                    and stats.objective >= self.target:
                return Found("OPTIMAL", vals, stats)
            if perf_counter() < deadline and status == cp_model.OPTIMAL and vals is not None:
                self.target = stats.objective
                self.hint(vals)
            elif perf_counter() < deadline and status == cp_model.INFEASIBLE:
                self.target -= step
                step *= 2
            else:  # out of time: the slate found, if any, is not proven best
                return Found("FEASIBLE" if vals is not None else "UNKNOWN", vals, stats)

    def from_support(self, deadline: float, scale: int, cap: int) -> Found | None:
        """A slate from few pairs: those the relaxation's solution uses, each
        group's two with the least loss, and those of the slates found so far.
        B bounds every slate's score, so a slate scoring floor(B) whose closeness
        part is at its cap is best of all, with no search over the other pairs.
        Otherwise it is only a hint for the search that follows."""
        assert self.bound is not None
        b, bd = self.b, self.bound
        ceiling = math.floor(bd.value + 1e-6)
        keep = self.kept()
        if keep is None:
            return None
        pairs = keep[: b.n_pairs]
        few = (bd.primal[: b.n_pairs] > 1e-6) | self.used
        few[best_per_group(-bd.loss, b.pair_group, pairs, 2)] = True
        small = keep.copy()
        small[: b.n_pairs] = pairs & few
        view = CpView(b.model, small)
        st = self.settings
        left = deadline - perf_counter()
        solver = make_solver(min(1.0, left / 4), st.workers, st.seed, st.deterministic)
        status = solver.solve(view.model)
        if status not in FOUND:
            return None
        vals = view.values(solver)
        score = value(b.objective, vals)
        if value(b.model.objective, vals) >= scale * ceiling + cap:
            self.pairs_used.append(int(small[: b.n_pairs].sum()))
            stats = SolveStats(status="OPTIMAL", objective=score, bound=score, gap=0.0,
                               wall_time=solver.wall_time)
            return Found("OPTIMAL", vals, stats)
        self.hint(vals)
        return None

    def hint(self, vals: np.ndarray) -> None:
        self.b.model.hints = dict(enumerate(vals.tolist()))
        if self.view is not None:
            self.view.apply_hints(vals)

    def add_cut(self, vals: np.ndarray, diversity: int) -> None:
        """The next slate keeps at most n - D of this one's (cadre, seat) pairs."""
        chosen = np.flatnonzero(vals[: self.b.n_pairs] == 1)
        row = self.b.model.add(Lin(chosen, np.ones(len(chosen), np.int64)) <= self.b.n_seats - diversity)
        self.used[chosen] = True
        if self.view is not None:
            self.view.add_row(row)
        self.hint(vals)

    def set_objective(self, e: Lin) -> None:
        self.b.model.maximize(e)
        if self.view is not None:
            self.view.set_objective()


def same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return bool(np.array_equal(a, b))


def stats_of(solver: cp_model.CpSolver, status: int, b: Builder, vals: np.ndarray | None,
             scale: int, dropped: float) -> SolveStats:
    """Status, objective, bound and gap in score units (a what-if's closeness
    tie-break, scaled below one point, is taken out of the bound). The bound
    covers the dropped pairs too: no slate using one scores above `dropped`."""
    name = solver.status_name(status)
    if vals is None:
        return SolveStats(status=name, wall_time=solver.wall_time)
    obj = float(value(b.objective, vals))
    bound = float(solver.best_objective_bound // scale)
    if dropped > -INF:
        bound = max(bound, math.floor(dropped + 1e-6))
    gap = abs(bound - obj) / max(1.0, abs(obj))
    return SolveStats(status=name, objective=obj, bound=bound, gap=gap, wall_time=solver.wall_time)


def solve(
    sc: Scenario,
    time_limit: float = 30.0,
    workers: int = 2,
    top: int = 1,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
    diversity: int = 1,
    deterministic: bool = False,
    near: Slate | None = None,
    fixing: bool = True,
) -> SolveResult:
    """The `top` best slates, best first, any two differing in at least `diversity`
    seats (a seat differs when another cadre holds it); `time_limit` is the whole
    budget. Each next slate is the best of those far enough from all before it,
    so slates come out in order of score; equal scores keep the order found.
    With `near` (a what-if's base slate), the best slate is, among those of the
    best score, one that keeps as many of `near`'s (cadre, seat) pairs as it can,
    so a what-if shows only the changes it forces. Without `near`, the slates
    after the first lean the same way toward the first: an alternative changes
    only what it must. `fixing` false (for tests and benchmarks) gives CP-SAT
    every pair instead of those the LP relaxation keeps."""
    say = progress or (lambda _msg: None)
    settings = SolverSettings(time_limit=time_limit, workers=workers, top=top, seed=seed,
                              diversity=diversity, deterministic=deterministic)
    t0 = perf_counter()
    deadline = t0 + time_limit
    b = Builder(sc).build()
    pairs = b.n_pairs
    bound = None
    if fixing and pairs >= FIX_PAIRS and not b.reasons:
        bound = lp_bound(b.model, b.n_pairs, b.pair_group, time_limit / 4)
        say(f"线性松弛:上界{bound.value:.1f},{bound.columns}列,{bound.rounds}轮,用时{bound.seconds:.2f}秒")
    build_time = perf_counter() - t0
    common = dict(
        scenario=sc.name, ruleset=sc.ruleset, settings=settings, build_time=build_time,
        candidate_pairs=pairs, dropped_pairs=b.allowed.size - pairs,
    )
    scale = b.n_seats + 1  # one point of score outweighs every kept pair
    search = Search(b, bound, settings, scale)

    def lean_toward(slate: Slate) -> None:
        search.set_objective(scale * b.objective + sum(b.pair_vars(slate.assignments)))

    say(f"模型已建立:{b.n_seats}个职位,{pairs}个候选配对,用时{build_time:.2f}秒")
    near_pairs = b.pair_vars(near.assignments) if near is not None else []
    if near is not None:
        lean_toward(near)
    if b.reasons:
        return infeasible(sc, time_limit, common)
    slates: list[tuple[Slate, int]] = []
    stats: list[SolveStats] = []
    for k in range(top):
        if perf_counter() >= deadline:
            break
        leaning = near is not None or k > 0
        cap = len(near_pairs) if near is not None else (b.n_seats - diversity if k > 0 else 0)
        found = search.best(deadline, scaled=leaning, cap=cap)
        stats.append(found.stats.model_copy(update={"status": found.status,
                                                    "pairs": search.pairs_used[-1]}))
        if found.vals is None:
            break
        slate, verdict = judge(sc, read_assignments(b, found.vals), rank=k + 1)
        check_agreement(b, found.vals, slate, verdict)
        slates.append((slate, k))
        if k == 0 and near is None:
            lean_toward(slate)
        say(f"方案{k + 1}:{found.status},目标值{found.stats.objective:.0f},"
            f"求解配对{search.pairs_used[-1]}个")
        if k + 1 < top:
            search.add_cut(found.vals, diversity)
    # Ties and time-limited solves: rank by objective, then by the order found.
    slates.sort(key=lambda sk: (-(sk[0].score.objective if sk[0].score else 0), sk[1]))
    ranked = tuple(s.model_copy(update={"rank": i + 1}) for i, (s, _) in enumerate(slates))
    status = stats[0].status if stats else "UNKNOWN"
    if status != "INFEASIBLE":
        return SolveResult(status=status, slates=ranked, solves=tuple(stats), **common)
    return infeasible(sc, time_limit, {**common, "solves": tuple(stats)})


def infeasible(sc: Scenario, time_limit: float, common: dict) -> SolveResult:
    """An INFEASIBLE result with its reasons and the cheapest relaxation."""
    from solver.explain import explain_infeasible

    why = explain_infeasible(sc, max(1.0, time_limit / 2))
    return SolveResult(status="INFEASIBLE", reasons=tuple(why.reasons),
                       relaxations=tuple(why.relaxations), **common)
