"""The what-ifs the web page's ask panel makes (service/web/ask.js), as the job worker solves them on the
demo county: a rule change (D1-C1 min_count 1 -> 2), a township-wide pin and a one-seat pin, each with
and without `near` (the base's best slate, which every what-if job leans toward so that its diff shows
only the changes it forces). Timed back to back in one process, so the ratios compare; writes
benchmarks/results/web_whatif.json. The browser's click -> diff adds the HTTP calls, the version and the
job's queue to these.

    python -m benchmarks.web_whatif            # 3 rounds
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from statistics import median
from time import perf_counter

from model.io import load_scenario
from model.overrides import RuleOverride
from model.scenario import Pin
from service.calls import SolveOptions, solve_call

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    rounds = ap.parse_args().rounds
    sc = load_scenario(ROOT / "scenarios" / "demo-county")
    opts = SolveOptions(top=1, time_limit=30, workers=2)
    base = solve_call(sc, opts).slates[0]
    mover = next(a.cadre for a in base.assignments if a.township == "t03")
    whatifs = {
        "rule D1-C1 min_count 2": sc.with_changes(rules={"D1-C1": RuleOverride(params={"min_count": 2})}),
        "township pin": sc.with_changes(pins=[Pin(cadre=mover, township="t02")]),
        "seat pin": sc.with_changes(pins=[Pin(cadre=mover, township="t02", seat="secretary")]),
    }
    times: dict[str, dict[str, list[float]]] = {k: {"near": [], "no near": []} for k in whatifs}
    for _ in range(rounds):
        for name, w in whatifs.items():
            for how, near in (("near", base), ("no near", None)):
                t0 = perf_counter()
                solve_call(w, opts, near=near)
                times[name][how].append(perf_counter() - t0)
    out = {name: {how: round(median(ts), 3) for how, ts in by.items()} for name, by in times.items()}
    print(f"{'what-if':24} {'near (s)':>9} {'no near (s)':>12}")
    for name, by in out.items():
        print(f"{name:24} {by['near']:9.2f} {by['no near']:12.2f}")
    RESULTS.mkdir(exist_ok=True)
    found = {"rounds": rounds, "median_seconds": out}
    (RESULTS / "web_whatif.json").write_text(json.dumps(found, indent=2) + "\n")


if __name__ == "__main__":
    main()
