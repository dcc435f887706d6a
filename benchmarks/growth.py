"""How solve time and peak memory grow with the pool: one county per size,
townships = cadres / 50, each solved in a fresh process so its peak is its own.

    python -m benchmarks.growth                    # 250, 500, 1000, 2000, 5000 cadres
    python -m benchmarks.growth --sizes 1000 5000 --time-limit 60

The stored instances (benchmarks/instances/c05-250 .. c40-2000) are read as
they are; a size without one (5,000: 100 townships, seed 105) is generated
once with a fixed seed into benchmarks/instances/.cache/ (not committed).
Columns: build (the model, LP excluded), LP (the relaxation) and of it GLOP's
simplex, CP-SAT (the CP-SAT model and the search, the referee's check included),
total (solve(), reading the files excluded), pairs, peak MB; then the fitted
exponent k of time = a * cadres^k over all sizes and over each neighbouring pair,
and a second table of k per part (the pairs, build, the LP without GLOP, GLOP,
CP-SAT, total), over all sizes and from 1,000 cadres up.
JSON into benchmarks/results/growth.json.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import resource
from pathlib import Path
from time import perf_counter
from typing import Any

from benchmarks.instances import COUNTIES, HERE, Instance, ensure

RESULTS = HERE / "results"
CACHE = HERE / "instances" / ".cache"
SIZES = (250, 500, 1000, 2000, 5000)
SEEDS = {5000: 105}
TARGET_EXPONENT = 1.2
TARGET_PEAK_MB = 1024.0


def folder_for(cadres: int) -> Path:
    """The stored instance of this size, or one generated into the cache."""
    stored = [i for i in COUNTIES if i.cadres == cadres]
    if stored:
        return ensure(stored[0])[0]
    inst = Instance(f"c{cadres // 50:02d}-{cadres}", cadres // 50, cadres, SEEDS.get(cadres, 100 + cadres))
    folder = CACHE / inst.name
    if not (folder / "scenario.yaml").is_file():
        from model.generator import generate_county
        from model.io import save_scenario

        save_scenario(generate_county(inst.townships, inst.cadres, inst.seed), folder, overwrite=True)
    return folder


def measure(folder: str, time_limit: float) -> dict[str, Any]:
    """One solve in this process: its phases from the run's events, and its peak."""
    from model.io import load_scenario
    from solver.events import LpBound, ModelBuilt
    from solver.search import solve

    sc = load_scenario(folder)
    seen: dict[str, float] = {}

    def hear(e: object) -> None:
        if isinstance(e, LpBound):
            seen["lp"], seen["simplex"] = e.lp_seconds, e.simplex_seconds
        elif isinstance(e, ModelBuilt):
            seen["built"] = e.build_seconds

    t0 = perf_counter()
    res = solve(sc, time_limit=time_limit, workers=2, on_event=hear, max_memory_mb=None)
    total = perf_counter() - t0
    lp = seen.get("lp", 0.0)
    built = seen.get("built", res.build_time)
    first = res.solves[0] if res.solves else None
    return {"cadres": len(sc.cadres), "townships": len(sc.county.townships), "status": str(res.status),
            "objective": first.objective if first else None, "pairs": res.candidate_pairs,
            "solved_pairs": first.pairs if first else None, "build": built - lp, "lp": lp,
            "simplex": seen.get("simplex", 0.0),
            "cpsat": total - built, "total": total,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def fresh(folder: str, time_limit: float) -> dict[str, Any]:
    with mp.get_context("spawn").Pool(1, maxtasksperchild=1) as pool:
        return pool.apply(measure, (folder, time_limit))


def exponent(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log time on log cadres."""
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx


PARTS = {"pairs": "pairs", "build": "build", "lp_own": "LP without GLOP", "simplex": "GLOP",
         "cpsat": "CP-SAT", "total": "total"}
"""What the exponents are fitted for: the pairs themselves, and each part of the time
(the LP split into GLOP's simplex and the rest of it), so a miss says where it is."""


def part(r: dict[str, Any], name: str) -> float:
    return r["lp"] - r.get("simplex", 0.0) if name == "lp_own" else r.get(name, 0.0)


def exponents(rows: list[dict[str, Any]], least: int = 0) -> dict[str, float | None]:
    """Per part, the exponent k of part = a * cadres^k over the sizes from `least` cadres."""
    on = [r for r in rows if r["cadres"] >= least]
    return {name: exponent([(r["cadres"], max(part(r, name), 1e-6)) for r in on]) for name in PARTS}


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| cadres | townships | status | pairs | solved pairs | build s | LP s | of it GLOP s "
             "| CP-SAT s | total s | peak MB | k to here |", "|---" * 12 + "|"]
    for i, r in enumerate(rows):
        k = exponent([(p["cadres"], p["total"]) for p in rows[i - 1:i + 1]]) if i else None
        lines.append(f"| {r['cadres']} | {r['townships']} | {r['status']} | {r['pairs']} "
                     f"| {r['solved_pairs']} | {r['build']:.2f} | {r['lp']:.2f} "
                     f"| {r.get('simplex', 0.0):.2f} | {r['cpsat']:.2f} | {r['total']:.2f} "
                     f"| {r['peak_mb']:.0f} | {'—' if k is None else f'{k:.2f}'} |")
    return "\n".join(lines)


def parts_table(fits: dict[str, dict[str, float | None]]) -> str:
    """One row per span of sizes, one column per part: where the growth is."""
    lines = ["| sizes | " + " | ".join(PARTS.values()) + " |", "|---" * (len(PARTS) + 1) + "|"]
    for span, ks in fits.items():
        cells = ["—" if ks[name] is None else f"{ks[name]:.2f}" for name in PARTS]
        lines.append(f"| {span} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--out", type=Path, default=RESULTS / "growth.json")
    args = ap.parse_args(argv)
    rows = []
    for n in args.sizes:
        folder = str(folder_for(n))
        print(f"{n} cadres: {folder}", flush=True)
        rows.append(fresh(folder, args.time_limit))
    k_all = exponent([(r["cadres"], r["total"]) for r in rows])
    big = [r for r in rows if r["cadres"] >= 1000]
    k_big = exponent([(r["cadres"], r["total"]) for r in big])
    peak = max(r["peak_mb"] for r in rows)
    fits = {"all": exponents(rows), "from 1,000": exponents(rows, 1000)}
    print(table(rows))
    print(parts_table(fits))
    if k_all is not None:
        print(f"time ∝ cadres^{k_all:.2f} over all sizes"
              + (f", cadres^{k_big:.2f} from 1,000 up" if k_big is not None else "")
              + f" (target ≤ {TARGET_EXPONENT}); largest peak {peak:.0f} MB (target ≤ {TARGET_PEAK_MB:.0f})")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"time_limit": args.time_limit, "rows": rows, "exponent": k_all,
                                    "exponent_from_1000": k_big, "exponents": fits, "peak_mb": peak},
                                   indent=2) + "\n")


if __name__ == "__main__":
    main()
