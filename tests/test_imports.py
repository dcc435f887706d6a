"""The import graph of the packages, lazy imports in functions included: no cycles through the
solver's run, search, explain and verbs, nor through the reports."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("model", "solver", "service")
ACYCLIC = {
    "model.diff", "model.labels", "model.report", "model.slate", "service.cli", "solver",
    "solver.compare", "solver.events", "solver.explain", "solver.forced", "solver.run",
    "solver.search", "solver.stop",
    # the rule kinds, the referee and the model build
    "model.people", "model.referee", "model.rules", "model.rules.base", "model.rules.counts",
    "model.rules.expertise", "model.rules.seated", "model.rules.shape", "model.ruleset",
    "model.scenario", "model.score", "solver.build", "solver.constraints", "solver.cpsat",
    "solver.encoders", "solver.facts", "solver.linear", "solver.objective", "solver.prechecks",
    "solver.relaxation", "solver.state", "solver.variables",
}
"""Modules that must be on no cycle (once every cycle of issue 9 is gone: all of them)."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def graph() -> dict[str, set[str]]:
    """Each project module and the project modules it imports anywhere in its text."""
    files = {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    edges: dict[str, set[str]] = {m: set() for m in files}
    for mod, path in files.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            edges[mod] |= {n for n in names if n in files and n != mod}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_cycle_finder_finds_a_cycle() -> None:
    """The finder reports a two-module cycle and nothing for a chain."""
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [{"a", "b"}]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_cycle_through_the_solver_verbs_and_reports() -> None:
    """solver.explain no longer imports solver.search, nor model.diff model.report: none of these
    modules is on an import cycle."""
    edges = graph()
    assert "solver.search" not in edges["solver.explain"]
    assert "model.report" not in edges["model.diff"]
    bad = [sorted(c) for c in cycles(edges) if c & ACYCLIC]
    assert bad == []


def test_no_cycle_through_the_rules_and_the_model_build() -> None:
    """solver.encoders no longer imports solver.build (not even for types), and model.rules no
    longer reaches model.scenario through model.score: the rule kinds and the build are on no cycle."""
    edges = graph()
    assert "solver.build" not in edges["solver.encoders"]
    assert "model.score" not in edges["model.rules.seated"]
    assert "model.scenario" not in {n for m in edges if m.startswith("model.rules") for n in edges[m]}
