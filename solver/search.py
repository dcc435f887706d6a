"""Solve a scenario: the K best distinct slates, each checked by the referee.

CP-SAT is run with explicit workers, seed and time limit; its status,
objective, bound and gap are reported as they are. A slate on which the solver
and the referee disagree is an error (`RefereeDisagreement`), never hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter

from ortools.sat.python import cp_model

from model.enums import Strength
from model.referee import Verdict, judge
from model.scenario import Scenario
from model.slate import Assignment, Slate, SolveResult, SolverSettings, SolveStats
from solver.build import Builder

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
    for name, value in PRESOLVE.items():
        setattr(solver.parameters, name, value)
    return solver


def stats_of(solver: cp_model.CpSolver, status: int, b: Builder, scale: int = 1) -> SolveStats:
    """Status, objective, bound and gap in score units (a what-if's closeness
    tie-break, scaled below one point, is taken out of the bound)."""
    name = solver.status_name(status)
    if status not in FOUND:
        return SolveStats(status=name, wall_time=solver.wall_time)
    obj = float(solver.value(b.objective))
    bound = float(solver.best_objective_bound // scale)
    gap = abs(bound - obj) / max(1.0, abs(obj))
    return SolveStats(status=name, objective=obj, bound=bound, gap=gap, wall_time=solver.wall_time)


def read_assignments(b: Builder, solver: cp_model.CpSolver) -> list[Assignment]:
    """Each group's cadres fill its seats in pool order (deputy_head#1 gets the
    first), so one set of people is always written the same way."""
    out: list[Assignment] = []
    for g, cands, xs in zip(b.groups, b.cands, b.xs, strict=True):
        chosen = [int(c) for c, x in zip(cands, xs, strict=True) if solver.boolean_value(x)]
        takes = {post: solver.value(var) for (gi, post), var in b.optional.items() if gi == g.index}
        for k, (seat, c) in enumerate(zip(g.seats, sorted(chosen), strict=True)):
            extra = tuple(post for post, n in takes.items() if k < n)
            out.append(Assignment(township=seat.township, seat=seat.id, cadre=b.pool.ids[c],
                                  extra_posts=extra))
    return out


def check_agreement(b: Builder, solver: cp_model.CpSolver, slate: Slate, verdict: Verdict) -> None:
    """Compare, instance by instance, the solver's view with the referee's."""
    problems = list(verdict.problems)
    problems += [f"must rule broken: {r.key} {r.detail}" for r in verdict.report
                 if r.strength == Strength.must and not r.holds]
    ours: dict[str, tuple[bool, int]] = {}
    for r in b.recorded:
        amount = r.amount if isinstance(r.amount, int) else int(solver.value(r.amount))
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
    objective = round(solver.value(b.objective))
    assert slate.score is not None
    if objective != slate.score.objective:
        problems.append(f"objective: solver {objective}, referee {slate.score.objective}")
    if problems:
        raise RefereeDisagreement("solver and referee disagree:\n  " + "\n  ".join(problems))


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
) -> SolveResult:
    """The `top` best slates, best first, any two differing in at least `diversity`
    seats (a seat differs when another cadre holds it); `time_limit` is the whole
    budget. Each next slate is the best of those far enough from all before it,
    so slates come out in order of score; equal scores keep the order found.
    With `near` (a what-if's base slate), the best slate is, among those of the
    best score, one that keeps as many of `near`'s (cadre, seat) pairs as it can,
    so a what-if shows only the changes it forces. Without `near`, the slates
    after the first lean the same way toward the first: an alternative changes
    only what it must."""
    say = progress or (lambda _msg: None)
    settings = SolverSettings(time_limit=time_limit, workers=workers, top=top, seed=seed,
                              diversity=diversity, deterministic=deterministic)
    t0 = perf_counter()
    b = Builder(sc).build()
    build_time = perf_counter() - t0
    pairs = sum(len(x) for x in b.xs)
    common = dict(
        scenario=sc.name, ruleset=sc.ruleset, settings=settings, build_time=build_time,
        candidate_pairs=pairs, dropped_pairs=b.allowed.size - pairs,
    )
    scale = b.n_seats + 1  # one point of score outweighs every kept pair

    def lean_toward(slate: Slate) -> None:
        b.model.maximize(scale * b.objective + sum(b.pair_vars(slate.assignments)))

    say(f"模型已建立:{b.n_seats}个职位,{pairs}个候选配对,用时{build_time:.2f}秒")
    if near is not None:
        lean_toward(near)
    elif pairs > WARM_START_PAIRS and not b.reasons:
        warm_start(sc, b, min(WARM_START_SECONDS, time_limit / 4), workers, seed, deterministic, say)
    if b.reasons:
        return infeasible(sc, time_limit, common)
    slates: list[tuple[Slate, int]] = []
    stats: list[SolveStats] = []
    for k in range(top):
        remaining = time_limit - (perf_counter() - t0)
        if remaining <= 0:
            break
        solver = make_solver(remaining, workers, seed, deterministic)
        status = solver.solve(b.model)
        stats.append(stats_of(solver, status, b, scale if (near or k) else 1))
        if status not in FOUND:
            break
        slate, verdict = judge(sc, read_assignments(b, solver), rank=k + 1)
        check_agreement(b, solver, slate, verdict)
        slates.append((slate, k))
        if k == 0 and near is None:
            lean_toward(slate)
        say(f"方案{k + 1}:{solver.status_name(status)},目标值{solver.value(b.objective)}")
        # The next slate keeps at most n - D of this one's (cadre, seat) pairs.
        values = [(x, solver.boolean_value(x)) for xs in b.xs for x in xs]
        chosen = [x for x, v in values if v]
        b.model.add(sum(chosen) <= b.n_seats - diversity)
        b.model.clear_hints()
        for x, v in values:
            b.model.add_hint(x, v)
    # Ties and time-limited solves: rank by objective, then by the order found.
    slates.sort(key=lambda sk: (-(sk[0].score.objective if sk[0].score else 0), sk[1]))
    ranked = tuple(s.model_copy(update={"rank": i + 1}) for i, (s, _) in enumerate(slates))
    status = stats[0].status if stats else "UNKNOWN"
    if status != "INFEASIBLE":
        return SolveResult(status=status, slates=ranked, solves=tuple(stats), **common)
    return infeasible(sc, time_limit, {**common, "solves": tuple(stats)})


WARM_START_PAIRS = 50_000
WARM_START_SECONDS = 10.0
"""Above this many pairs the full model's first solutions are poor (20 townships,
1,000 cadres: 1,797 after 117 s). A restricted model (80 candidates a seat plus
the township's own) solves in about 4 s to 1,826, and seeds the full model as a
hint. A hint never cuts off a slate, so the optimum is untouched."""


def warm_start(sc: Scenario, b: Builder, time_limit: float, workers: int, seed: int,
               deterministic: bool, say: Callable[[str], None]) -> None:
    small = Builder(sc)
    small.restrict = 80
    small.build()
    solver = make_solver(time_limit, workers, seed, deterministic)
    if small.reasons or solver.solve(small.model) not in FOUND:
        return
    chosen = {(int(c), g) for g, (cands, xs) in enumerate(zip(small.cands, small.xs, strict=True))
              for c, x in zip(cands, xs, strict=True) if solver.boolean_value(x)}
    for g, (cands, xs) in enumerate(zip(b.cands, b.xs, strict=True)):
        for c, x in zip(cands, xs, strict=True):
            b.model.add_hint(x, (int(c), g) in chosen)
    say(f"预热:候选受限模型得到目标值{solver.value(small.objective)},作为完整模型的起点")


def infeasible(sc: Scenario, time_limit: float, common: dict) -> SolveResult:
    """An INFEASIBLE result with its reasons and the cheapest relaxation."""
    from solver.explain import explain_infeasible

    why = explain_infeasible(sc, max(1.0, time_limit / 2))
    return SolveResult(status="INFEASIBLE", reasons=tuple(why.reasons),
                       relaxations=tuple(why.relaxations), **common)
