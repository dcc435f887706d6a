"""The LP side's Python time, before and after a change: one solve per process,
the trees taken in turn on the same instance (so other jobs on the machine weigh
on both alike), each LP-side function's cumulative seconds and the solve's total.

    python -m benchmarks.lp_overhead --before /tmp/base-tree \
        benchmarks/instances/c20-1000:3 benchmarks/instances/c40-2000:3 \
        benchmarks/instances/.cache/c100-5000:2

`--before` is a checkout of the code to compare with (git archive of a commit);
this tree is the after. Nested calls are counted in each (first_columns holds
best_per_group). Medians, and after/before ratios, into benchmarks/results/lp_overhead.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WRAPPED = {"solver.relaxation": ["relaxation_rows", "first_columns", "load_master", "reduced_costs",
                                 "lagrangian", "best_per_group"],
           "solver.townships": ["township_bound", "split", "rounded", "block_best"]}

ONE = "WRAPPED = " + repr(WRAPPED) + """
import json, os, sys, time
sys.path.insert(0, os.getcwd())
import solver.relaxation as R, solver.townships as T, solver.search as S, solver.warm as W
seen = {}
def wrap(owner, name):
    f = getattr(owner, name)
    def timed(*a, **k):
        t = time.perf_counter()
        try:
            return f(*a, **k)
        finally:
            seen[name] = seen.get(name, 0.0) + time.perf_counter() - t
    return timed
for mod, names in WRAPPED.items():
    m = sys.modules[mod]
    for n in names:
        f, w = getattr(m, n), wrap(m, n)
        for o in (R, T, S, W):
            if getattr(o, n, None) is f:
                setattr(o, n, w)
R.Master.add = wrap(R.Master, "add")
seen.pop("add", None)
from model.io import load_scenario
sc = load_scenario(sys.argv[1])
t = time.perf_counter()
res = S.solve(sc, time_limit=60, workers=2, max_memory_mb=None)
seen["total"] = time.perf_counter() - t
seen["objective"] = res.solves[0].objective
print(json.dumps(seen))
"""


def run(tree: Path, folder: Path) -> dict[str, float]:
    """One solve of `folder` with the code of `tree`, in a fresh process."""
    out = subprocess.run([sys.executable, "-c", ONE, str(folder.resolve())], cwd=tree, check=True,
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(tree)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--before", type=Path, required=True)
    p.add_argument("instances", nargs="+", help="FOLDER:REPEATS")
    a = p.parse_args()
    trees = {"before": a.before, "after": HERE.parent}
    report = {}
    for spec in a.instances:
        folder, _, reps = spec.partition(":")
        got: dict[str, list[dict[str, float]]] = {k: [] for k in trees}
        for _ in range(int(reps or 3)):
            for k, tree in trees.items():
                got[k].append(run(tree, Path(folder)))
        names = sorted({n for k in got for r in got[k] for n in r if n != "objective"})
        rows = {n: {k: statistics.median(r.get(n, 0.0) for r in got[k]) for k in trees} for n in names}
        report[Path(folder).name] = rows
        print(Path(folder).name, f"(medians of {reps or 3})")
        for n, v in rows.items():
            ratio = v["after"] / v["before"] if v["before"] else float("nan")
            print(f"  {n:16s} {v['before']:7.3f} -> {v['after']:7.3f} s  x{ratio:.2f}")
    out = HERE / "results" / "lp_overhead.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
