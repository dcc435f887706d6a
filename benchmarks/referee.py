"""The referee's time on the slate the solver returns: every solve judges its slates
(model/referee.py `judge`), so this is on each solve's critical path.

    python -m benchmarks.referee                       # c05-250, c20-1000, 5,000 cadres
    python -m benchmarks.referee c05-250 --profile     # and cProfile's top of one judge

Each county is solved once (60 s, 2 workers; `solve` its wall time). `in_solve` is the
solve's own judgement of its best slate, the first on the scenario (what every solve
pays: the referee's facts of the scenario are found then); `again` the median of five
more judgements of that slate on the same scenario (what a repeated check, top-k or a
what-if on it pays). `--profile` profiles one judgement on a fresh copy of the scenario.
Prints a table and writes benchmarks/results/referee.json.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
from pathlib import Path
from time import perf_counter
from typing import Any

from benchmarks.growth import folder_for
from benchmarks.instances import COUNTIES, ensure

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT = ("c05-250", "c20-1000", "c100-5000")
TARGETS = {"c05-250": 0.007, "c100-5000": 0.2}
"""Seconds for the solve's judgement of its slate (issue 12)."""


def folder(name: str) -> Path:
    """A stored county by name, or the generated 5,000-cadre one (benchmarks/growth.py)."""
    stored = {i.name: i for i in COUNTIES}
    if name in stored:
        return ensure(stored[name])[0]
    return folder_for(int(name.rsplit("-", 1)[1]))


def measure(name: str, profile: bool = False) -> dict[str, Any]:
    """Solve the county, timing the solve's own `judge` of its slate, then `judge` it again."""
    import solver.search
    from model.io import load_scenario
    from model.referee import judge
    from solver.search import solve

    inside: list[float] = []

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = perf_counter()
        out = judge(*args, **kwargs)
        inside.append(perf_counter() - t0)
        return out

    sc = load_scenario(folder(name))
    solver.search.judge = timed  # the name the search calls
    t0 = perf_counter()
    try:
        res = solve(sc, time_limit=60, workers=2)
        solved = perf_counter() - t0
    finally:
        solver.search.judge = judge
    assignments = list(res.slates[0].assignments)
    again = []
    for _ in range(5):
        t0 = perf_counter()
        _, verdict = judge(sc, assignments)
        again.append(perf_counter() - t0)
    if profile:
        prof = cProfile.Profile()
        prof.runcall(judge, sc.model_copy(), assignments)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(20)
    return {"county": name, "cadres": len(sc.cadres), "seats": len(assignments),
            "instances": len(verdict.report), "solve": solved, "in_solve": inside[0],
            "again": statistics.median(again),
            "target": TARGETS.get(name)}


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| county | cadres | seats | rule instances | solve s | judge in the solve s | again s "
             "| target s |",
             "|---" * 8 + "|"]
    for r in rows:
        target = "—" if r["target"] is None else f"{r['target']:.3f}"
        lines.append(f"| {r['county']} | {r['cadres']} | {r['seats']} | {r['instances']} "
                     f"| {r['solve']:.2f} | {r['in_solve']:.4f} | {r['again']:.4f} | {target} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("counties", nargs="*", default=list(DEFAULT))
    ap.add_argument("--profile", action="store_true", help="print cProfile's top of one judge per county")
    ap.add_argument("--out", type=Path, default=RESULTS / "referee.json")
    args = ap.parse_args(argv)
    rows = [measure(name, args.profile) for name in args.counties]
    print(table(rows))
    args.out.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
