"""The layout on disk is the architecture: layers, no import cycles, the README's picture."""

from __future__ import annotations

from pathlib import Path

from tests.layout import PACKAGES, ROOT, cycles, external, graph, readme_block


def test_each_layer_imports_only_the_layers_below() -> None:
    """model/ imports no solver or service, solver/ no service."""
    rank = {p: i for i, p in enumerate(PACKAGES)}
    wrong = [f"{m} imports {d}" for m, deps in graph().items() for d in sorted(deps)
             if rank[d.split(".")[0]] > rank[m.split(".")[0]]]
    assert wrong == []


def test_model_knows_nothing_of_the_solver_and_the_solver_nothing_of_http() -> None:
    """No CP-SAT in model/, no HTTP framework in model/ or solver/."""
    solvers = {m: d for m, d in external(["ortools", "highspy"]).items() if m.startswith("model")}
    http = {m: d for m, d in external(["fastapi", "starlette", "uvicorn", "httpx"]).items()
            if not m.startswith("service")}
    assert solvers == {}
    assert http == {}


def test_no_import_cycles() -> None:
    """No two modules need each other, even through function-level imports."""
    assert cycles(graph()) == []


def test_readme_picture_is_current() -> None:
    """The dependency picture in the README is the one the code has today."""
    text = Path(ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_block() in text, "run: python -m tests.layout --write"


def test_every_test_says_what_it_shows() -> None:
    """Each test function has a docstring (its one line says what it shows)."""
    import ast

    bare = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bare += [f"{path.relative_to(ROOT)}::{node.name}" for node in ast.walk(tree)
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                 and node.name.startswith("test_") and not ast.get_docstring(node)]
    assert bare == []


def test_tests_mirror_the_packages() -> None:
    """Tests of model/, solver/ and service/ live in tests/model/, tests/solver/, tests/service/."""
    top = sorted(p.name for p in (ROOT / "tests").glob("test_*.py"))
    assert top == ["test_layout.py", "test_packaging.py", "test_readme.py"]
    for pkg in PACKAGES:
        assert any((ROOT / "tests" / pkg).glob("test_*.py")), pkg
