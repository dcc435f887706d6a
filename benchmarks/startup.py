"""Start-up of the `huanjie` command: what `import service.cli` costs and
imports, and whole commands timed as a user runs them.

    python -m benchmarks.startup              # this tree, 10 runs per command
    python -m benchmarks.startup --root DIR   # another checkout (e.g. a `git archive` of main)

Each command runs N times as `python -m service.cli ...` from the tree's root;
the table gives the minimum and the median wall time and the minimum CPU time
(user + system, every thread): on a shared machine the CPU time is the steadier
figure, as it does not count waiting for a core. The imports are timed in a fresh
interpreter too: `import service.cli` (what every command pays, `--help`
included) and the modules `solve` loads on top of it, in CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import os
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
    """The child's environment: the tree's root first on the path, nothing cached between trees,
    each command a process of its own even when a daemon runs."""
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="", HUANJIE_DAEMON="off")
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


SOLVE_IMPORTS = "solver.search, service.render.report, service.render.limits, model.io"
"""What `huanjie solve` imports on top of service.cli (service/cli.py's cmd_solve)."""


def import_profile(root: Path, runs: int) -> dict[str, Any]:
    """CPU seconds (minimum over `runs`) of `import service.cli` and of the solve's imports after
    it, and which heavy packages `import service.cli` loads."""
    probe = ("import json, sys, time\n"
             "t = time.process_time()\nimport service.cli\ncli = time.process_time() - t\n"
             f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
             f"t = time.process_time()\nimport {SOLVE_IMPORTS}\nsolve = time.process_time() - t\n"
             "print(json.dumps([cli, solve, heavy]))")
    cli, solve, loaded = [], [], []
    for _ in range(runs):
        p = subprocess.run([sys.executable, "-c", probe], cwd=root, env=environment(root),
                           capture_output=True, text=True, check=True)
        a, b, loaded = json.loads(p.stdout)
        cli.append(a)
        solve.append(b)
    return {"cli": min(cli), "solve": min(solve), "loads": loaded}


def timed(root: Path, argv: list[str], runs: int) -> dict[str, Any]:
    """Wall and CPU seconds of `python -m service.cli ARGV`, `runs` times."""
    walls, cpus, codes = [], [], set()
    for _ in range(runs):
        t0 = perf_counter()
        p = subprocess.Popen([sys.executable, "-m", "service.cli", *argv], cwd=root, env=environment(root),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        walls.append(perf_counter() - t0)
        cpus.append(usage.ru_utime + usage.ru_stime)
        codes.add(os.waitstatus_to_exitcode(status))
    return {"min": min(walls), "median": statistics.median(walls), "cpu": min(cpus), "exit": sorted(codes)}


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
    print(f"{root}\nimport service.cli: {prof['cli']:.3f} s CPU, loads "
          f"{', '.join(prof['loads']) or 'none of ' + ', '.join(HEAVY)}; then solve's imports: "
          f"{prof['solve']:.3f} s CPU (minimum of {args.runs})")
    print(f"{'command':<16} {'wall min':>9} {'wall median':>12} {'CPU min':>8}  exit")
    for name, argv in commands(root).items():
        runs = args.solve_runs if name.startswith("solve") else args.runs
        t = timed(root, argv, runs)
        print(f"{name:<16} {t['min']:>9.3f} {t['median']:>12.3f} {t['cpu']:>8.3f}  {t['exit']}", flush=True)


if __name__ == "__main__":
    main()
