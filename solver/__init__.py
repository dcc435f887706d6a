"""Builds and solves the CP-SAT model of a scenario. Knows nothing of HTTP.

Every verb takes `stop=` (solver/stop.py: a deadline, a cancel flag, or both)
for its whole run, and `on_event=` (solver/events.py) to hear its progress.

The names below are loaded on first use (PEP 562), not when the package is: a
submodule's import (`solver.stop`, `solver.memory`) must not pull in OR-Tools,
numpy and every verb, so `huanjie --help` or `validate` start without them."""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the same names, for type checkers and tests/layout.py's import graph
    from solver.compare import Comparison, compare
    from solver.explain import Infeasibility, apply_relaxations, explain_infeasible
    from solver.forced import Forced, Recommendation, recommend, why_not
    from solver.search import RefereeDisagreement, solve
    from solver.stop import AnyOf, Cancel, MaxRuntime, MultipleCriteria, Stop

HOMES = {
    "Comparison": "compare", "compare": "compare",
    "Infeasibility": "explain", "apply_relaxations": "explain", "explain_infeasible": "explain",
    "Forced": "forced", "Recommendation": "forced", "recommend": "forced", "why_not": "forced",
    "RefereeDisagreement": "search", "solve": "search",
    "AnyOf": "stop", "Cancel": "stop", "MaxRuntime": "stop", "MultipleCriteria": "stop", "Stop": "stop",
}
"""Each public name -> the submodule that defines it."""

__all__ = [
    "AnyOf", "Cancel", "Comparison", "Forced", "Infeasibility", "MaxRuntime", "MultipleCriteria",
    "Recommendation", "RefereeDisagreement", "Stop", "apply_relaxations", "compare", "explain_infeasible",
    "recommend", "solve", "why_not",
]


def __getattr__(name: str) -> Any:
    home = HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'solver' has no attribute '{name}'")
    value = getattr(import_module(f"solver.{home}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *HOMES})


class Package(ModuleType):
    """The package object, which keeps a name that is also a submodule's (`compare`) the
    function: importing the submodule `solver.compare` sets the package's attribute
    `compare` to that module, and would hide the function from `from solver import compare`."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, ModuleType) and HOMES.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = Package
