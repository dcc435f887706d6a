"""Start-up of the `huanjie` command: what `import service.cli` costs and
imports, and whole commands timed as a user runs them.

    python -m benchmarks.startup              # this tree, 10 runs per command
    python -m benchmarks.startup --root DIR   # another checkout (e.g. a `git archive` of main)

Each command runs N times as `python -m service.cli ...` from the tree's root;
the table gives the minimum and the median wall time (the machine is shared, so
the minimum is the steadier figure). The import time is CPython's own
`-X importtime` total for `service.cli`, its median over the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path
from time import perf_counter
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / "instances" / ".cache"
"""Generated files, not committed (.gitignore)."""
SLATE = CACHE / "startup-slate.json"
HEAVY = ("ortools", "numpy", "pandas", "pydantic", "yaml")
"""Third-party packages whose import is most of the start-up."""


def commands(root: Path) -> dict[str, list[str]]:
    county = str(root / "benchmarks" / "instances" / "c20-1000")
    return {
        "--help": ["--help"],
        "rules": ["rules"],
        "schema": ["schema"],
        "validate": ["validate", str(root / "scenarios" / "demo-county"), str(SLATE)],
        "solve c20-1000": ["solve", county, "--time-limit", "60"],
    }


def environment(root: Path) -> dict[str, str]:
    """The child's environment: the tree's root first on the path, nothing cached between trees."""
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="")
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def import_profile(root: Path, runs: int) -> dict[str, Any]:
    """`-X importtime` of `import service.cli`: total microseconds (median) and which heavy
    packages it loads."""
    totals = []
    probe = f"import service.cli, sys; print([m for m in {HEAVY!r} if m in sys.modules])"
    loaded: list[str] = []
    for _ in range(runs):
        p = subprocess.run([sys.executable, "-X", "importtime", "-c", probe], cwd=root, env=environment(root),
                           capture_output=True, text=True, check=True)
        last = [ln for ln in p.stderr.splitlines() if re.search(r"\|\s*service\.cli$", ln)]
        totals.append(int(last[-1].split("|")[1]))
        loaded = json.loads(p.stdout.strip().replace("'", '"'))
    return {"import_ms": statistics.median(totals) / 1000, "loads": loaded}


def timed(root: Path, argv: list[str], runs: int) -> dict[str, Any]:
    """Wall seconds of `python -m service.cli ARGV`, `runs` times."""
    times, codes = [], set()
    for _ in range(runs):
        t0 = perf_counter()
        p = subprocess.run([sys.executable, "-m", "service.cli", *argv], cwd=root, env=environment(root),
                           capture_output=True, text=True)
        times.append(perf_counter() - t0)
        codes.add(p.returncode)
    return {"min": min(times), "median": statistics.median(times), "exit": sorted(codes)}


def write_slate() -> None:
    """The result `validate` judges: the demo county's, solved once (not timed)."""
    path = SLATE
    if path.is_file():
        return
    from model.io import load_scenario
    from solver.search import solve

    sc = load_scenario(ROOT / "scenarios" / "demo-county")
    res = solve(sc, time_limit=30, workers=2, deterministic=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text(res.model_dump_json(), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", type=Path, default=ROOT, help="the source tree to time (default: this one)")
    ap.add_argument("-n", "--runs", type=int, default=10)
    ap.add_argument("--solve-runs", type=int, default=5, help="runs of the solve (default 5)")
    args = ap.parse_args()
    root = args.root.resolve()
    write_slate()
    prof = import_profile(root, args.runs)
    print(f"{root}: import service.cli {prof['import_ms']:.0f} ms (median of {args.runs}), "
          f"loads {', '.join(prof['loads']) or 'none of ' + ', '.join(HEAVY)}")
    print(f"{'command':<16} {'min s':>7} {'median s':>9}  exit")
    for name, argv in commands(root).items():
        runs = args.solve_runs if name.startswith("solve") else args.runs
        t = timed(root, argv, runs)
        print(f"{name:<16} {t['min']:>7.3f} {t['median']:>9.3f}  {t['exit']}", flush=True)


if __name__ == "__main__":
    main()
