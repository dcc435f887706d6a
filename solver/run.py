"""Every CP-SAT call of the project goes through `run_cpsat`: explicit workers,
seed and a time limit taken from what the run's `Stop` has left; a cancelled
run halts CP-SAT at once; CP-SAT's status mapped exactly to `SolveStatus`."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from model.slate import SolveStatus
from solver.stop import Stop

STATUS: dict[int, SolveStatus] = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
    cp_model.MODEL_INVALID: SolveStatus.MODEL_INVALID,
}
"""CP-SAT's five statuses, one to one."""

FOUND = (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)

SMALL_PORTFOLIO = ("max_lp", "default_lp")
"""With 1-2 workers CP-SAT's default portfolio lacks the full-LP worker, and on a
county it then finds the optimum but cannot prove it within a minute; the LP
with every constraint linearized (max_lp) closes the demo at the root."""

PROVING_PORTFOLIO = ("lb_tree_search", "default_lp")
"""For a wide model of more than PROVING_PAIRS pairs that must prove a slate after
the supports could not: the LP-guided tree search in place of max_lp, whose root
LP there does not finish (xk4-s8, 43,990 variables: max_lp's first LP ran 13.6 s
and its bound stayed 250 points loose after 60 s; lb_tree_search proves it in 19 s)."""

PROVING_PAIRS = 30_000
"""Below this max_lp is the faster prover: on two generated qiong-2011 counties
(16,513 and 22,282 pairs) it proves in 0.5 and 1.9 s, lb_tree_search in 5.3 and 4.9 s."""



def portfolio_for(pairs: int, proving: bool) -> tuple[str, ...]:
    """The workers' portfolio for a model of `pairs` pairs; `proving`: the wide model
    that must prove a slate after the supports could not."""
    return PROVING_PORTFOLIO if proving and pairs > PROVING_PAIRS else SMALL_PORTFOLIO


PRESOLVE = {"cp_model_probing_level": 0, "max_presolve_iterations": 1}
"""Measured on the demo county (90 seats, 25,733 pairs, 2 workers): presolve took
8.5 of 12 s, mostly probing, and found nothing the LP needs. Without probing and
with one presolve round a solve takes 2.4 s, with the same proven optimum."""

MIN_SECONDS = 0.01
"""With less time left than this a CP-SAT call is not started (it could not load the model)."""

RESTOP_SECONDS = 0.01
"""After a cancel, how often the search is told again to stop until it returns
(a cancel that lands while CP-SAT is starting up would otherwise be missed)."""


def status_of(code: int) -> SolveStatus:
    try:
        return STATUS[code]
    except KeyError:
        raise ValueError(f"CP-SAT returned status {code}, which is none of its five") from None


def make_solver(
    time_limit: float, workers: int, seed: int, deterministic: bool = False, optimize: bool = True,
    portfolio: tuple[str, ...] = SMALL_PORTFOLIO,
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
    # CP-SAT's own SIGINT handler lives in the solving thread and aborts the process when the signal
    # reaches another thread; Ctrl-C is the caller's (service/boundary.py cancels through `Stop`)
    solver.parameters.catch_sigint_signal = False
    if optimize and workers <= len(portfolio):
        solver.parameters.subsolvers.extend(portfolio[:workers])
    for name, v in PRESOLVE.items():
        setattr(solver.parameters, name, v)
    return solver


@dataclass(frozen=True)
class Workers:
    """How CP-SAT runs: workers, seed, and deterministic (interleaved) search."""

    workers: int
    seed: int = 0
    deterministic: bool = False


@dataclass
class Run:
    """One CP-SAT call: its status and the solver holding the solution (None
    when the run had no time left and CP-SAT was not started)."""

    status: SolveStatus
    solver: cp_model.CpSolver | None

    @property
    def wall_time(self) -> float:
        return self.solver.wall_time if self.solver is not None else 0.0


class _OnSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self, listener: Callable[[float, float], None]) -> None:
        super().__init__()
        self.listener = listener

    def on_solution_callback(self) -> None:
        self.listener(self.objective_value, self.best_objective_bound)


def run_cpsat(model: cp_model.CpModel, stop: Stop, how: Workers, *, limit: float = math.inf,
              optimize: bool = True, params: dict[str, Any] | None = None,
              on_solution: Callable[[float, float], None] | None = None,
              portfolio: tuple[str, ...] = SMALL_PORTFOLIO) -> Run:
    """Solve `model` for at most `limit` seconds and never past what `stop` has
    left. `on_solution(objective, bound)` is called (from a CP-SAT thread) at each
    improving solution; without it no callback is attached."""
    left = min(limit, stop.remaining())
    if stop.should_stop() or left < MIN_SECONDS:
        return Run(SolveStatus.UNKNOWN, None)
    solver = make_solver(left, how.workers, how.seed, how.deterministic, optimize, portfolio)
    for name, v in (params or {}).items():
        setattr(solver.parameters, name, v)
    done = threading.Event()

    def keep_stopping() -> None:
        solver.stop_search()
        while not done.wait(RESTOP_SECONDS):
            solver.stop_search()

    def halt() -> None:  # may run in a CP-SAT thread (an event listener cancelled): do not block it
        threading.Thread(target=keep_stopping, daemon=True).start()

    remove = stop.on_stop(halt)
    try:
        if stop.should_stop():
            return Run(SolveStatus.UNKNOWN, None)
        callback = _OnSolution(on_solution) if on_solution is not None else None
        code = solver.solve(model, callback)
    finally:
        done.set()
        remove()
    return Run(status_of(code), solver)
