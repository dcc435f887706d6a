"""Builds and solves the CP-SAT model of a scenario. Knows nothing of HTTP."""

from solver.explain import apply_relaxations, explain_infeasible
from solver.search import RefereeDisagreement, solve

__all__ = ["RefereeDisagreement", "apply_relaxations", "explain_infeasible", "solve"]
