"""Builds and solves the CP-SAT model of a scenario. Knows nothing of HTTP."""

from solver.search import RefereeDisagreement, explain_infeasible, solve

__all__ = ["RefereeDisagreement", "explain_infeasible", "solve"]
