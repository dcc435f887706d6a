"""Builds and solves the CP-SAT model of a scenario. Knows nothing of HTTP.

Every verb takes `stop=` (solver/stop.py: a deadline, a cancel flag, or both)
for its whole run, and `on_event=` (solver/events.py) to hear its progress."""

from solver.compare import Comparison, compare
from solver.explain import Infeasibility, apply_relaxations, explain_infeasible
from solver.forced import Forced, Recommendation, recommend, why_not
from solver.search import RefereeDisagreement, solve
from solver.stop import AnyOf, Cancel, MaxRuntime, MultipleCriteria, Stop

__all__ = [
    "AnyOf", "Cancel", "Comparison", "Forced", "Infeasibility", "MaxRuntime", "MultipleCriteria",
    "Recommendation", "RefereeDisagreement", "Stop", "apply_relaxations", "compare", "explain_infeasible",
    "recommend", "solve", "why_not",
]
