"""The election lists of every township (D1-V1 差额人选, D5-V1 second names): the scoring of every
cadre off the slate in every township's seats, and the county-wide exact assignment
(model/assignment.py) on top, on the demo county and c20-1000.

    python -m benchmarks.elections              # this tree; writes benchmarks/results/elections.json
    python -m benchmarks.elections --root DIR   # another checkout (e.g. a `git archive` of main,
                                                # whose lists were built township by township)

The slate is the best of one solve (30 s, 2 workers), cached under benchmarks/instances/.cache.
Each figure is the minimum over `--runs` runs, wall and CPU (a shared machine: compare trees
measured back to back)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CACHE = HERE / "instances" / ".cache"
INSTANCES = {"demo-county": HERE.parent / "scenarios" / "demo-county",
             "c20-1000": HERE / "instances" / "c20-1000"}


def slate_of(name: str, folder: Path) -> list[Any]:
    """The best slate of one solve, solved once and kept."""
    from model.io import load_scenario
    from model.slate import SolveResult

    path = CACHE / f"elections-{name}.json"
    if not path.exists():
        from solver import solve

        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_text(solve(load_scenario(folder), time_limit=30, workers=2).model_dump_json())
    return list(SolveResult.model_validate_json(path.read_text()).slates[0].assignments)


def timed(fn: Any) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(name: str, folder: Path, runs: int) -> dict[str, Any]:
    import model.election as election
    from model.io import load_scenario
    from model.referee import make_view

    sc = load_scenario(folder)
    slate = slate_of(name, folder)
    view = make_view(sc, [])
    spent = [0.0]
    if hasattr(election, "committee_lists"):  # this tree: one county-wide assignment
        inner = election.assign

        def counted(*args: Any, **kw: Any) -> Any:
            t = time.perf_counter()
            out = inner(*args, **kw)
            spent[0] += time.perf_counter() - t
            return out

        election.assign = counted

        def lists() -> None:
            election.committee_lists(sc, slate, view)
            election.promotion_lists(sc, slate, view)
    else:  # before: township by township
        def lists() -> None:
            for t in sc.townships:
                election.committee_list(sc, slate, t, view)
                election.promotion_list(sc, slate, t, view)
    best = (float("inf"), float("inf"))
    assignment = float("inf")
    for _ in range(runs):
        spent[0] = 0.0
        wall, cpu = timed(lists)
        best = (min(best[0], wall), min(best[1], cpu))
        assignment = min(assignment, spent[0])
    return {"instance": name, "cadres": len(sc.cadres), "townships": len(sc.townships),
            "lists_wall_s": round(best[0], 3), "lists_cpu_s": round(best[1], 3),
            "assignment_s": round(assignment, 4) if spent[0] else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", type=Path, help="measure this checkout instead of the current tree")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if args.root is not None:
        sys.path.insert(0, str(args.root.resolve()))
    rows = [measure(name, folder, args.runs) for name, folder in INSTANCES.items()]
    for r in rows:
        extra = f", of which the assignment {r['assignment_s'] * 1000:.0f} ms" if r["assignment_s"] else ""
        print(f"{r['instance']} ({r['cadres']} cadres, {r['townships']} townships): every township's lists "
              f"{r['lists_wall_s']:.2f} s wall, {r['lists_cpu_s']:.2f} s CPU{extra}")
    if args.root is None:
        (HERE / "results" / "elections.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
