"""The solver package's public names, loaded on first use (solver/__init__.py)."""

from __future__ import annotations

import subprocess
import sys
from importlib import import_module
from pathlib import Path

import solver

REPO = Path(__file__).resolve().parents[2]


def test_the_package_names_are_its_modules_own() -> None:
    """Each name of solver/__init__ is the object its module defines."""
    assert sorted(solver.HOMES) == sorted(solver.__all__)
    for name, home in solver.HOMES.items():
        assert getattr(solver, name) is getattr(import_module(f"solver.{home}"), name), name


def test_compare_stays_the_function_after_its_module_loads() -> None:
    """`from solver import compare` is the function even when the module solver.compare was imported first."""
    code = ("import solver.compare\nfrom solver import compare\n"
            "assert compare.__module__ == 'solver.compare' and compare.__name__ == 'compare'\n")
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


def test_a_submodule_loads_without_the_rest() -> None:
    """Importing solver.stop or solver.memory loads no OR-Tools (the CLI's boundary needs only those)."""
    code = "import sys, solver.stop, solver.memory\nassert 'ortools' not in sys.modules\n"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
