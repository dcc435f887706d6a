"""The command's start-up: a verb loads only what it uses (OR-Tools, numpy, the other verbs' code)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOLVER_ONLY = ("ortools", "numpy", "pandas")
"""What solving needs and nothing else does: the slow part of the start-up."""


def loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code` (its prints sent away)."""
    probe = (
        "import contextlib, io, json, sys\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        + "".join(f"    {line}\n" for line in code.splitlines())
        + "print(json.dumps(sorted(sys.modules)))\n"
    )
    p = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    return set(json.loads(p.stdout.splitlines()[-1]))


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in SOLVER_ONLY)


def test_importing_the_cli_loads_no_solver() -> None:
    """`import service.cli` loads neither OR-Tools nor numpy nor any renderer or solver module."""
    mods = loaded_after("import service.cli")
    assert heavy(mods) == []
    assert sorted(m for m in mods if m.startswith(("solver", "service.render"))) == []


def run_main(argv: list[str], code: int) -> str:
    """Probe code: the CLI's main on `argv`, checked to end with exit `code`."""
    return (f"from service.cli import main\ntry:\n    code = main({argv!r})\nexcept SystemExit as e:\n"
            f"    code = e.code\nassert code == {code}, code")


@pytest.mark.parametrize(("argv", "code"), [(["--help"], 0), (["rules"], 0), (["schema"], 0)],
                         ids=["help", "rules", "schema"])
def test_verbs_that_do_not_solve_load_no_solver(argv: list[str], code: int) -> None:
    """--help, rules and schema run without loading OR-Tools or numpy."""
    assert heavy(loaded_after(run_main(argv, code))) == []


def test_validate_judges_a_slate_without_the_solver(tmp_path: Path) -> None:
    """validate runs the whole referee on a slate (one breaking rules: exit 1) without OR-Tools or numpy."""
    slate = tmp_path / "slate.json"
    one = [{"township": "t01", "seat": "secretary", "cadre": "g0318"}]
    slate.write_text(json.dumps(one), encoding="utf-8")
    assert heavy(loaded_after(run_main(["validate", "scenarios/demo-county", str(slate)], 1))) == []


def test_solve_loads_no_other_verb(tmp_path: Path) -> None:
    """`solve` loads the search and its renderers, not recommend/why-not's or diff's code."""
    argv = ["solve", "scenarios/demo-county", "--time-limit", "20", "--json", str(tmp_path / "r.json")]
    mods = loaded_after(run_main(argv, 0))
    assert "solver.search" in mods and "ortools" in mods
    assert sorted(mods & {"solver.forced", "solver.compare", "service.render.diff"}) == []
