"""Generated variants of the hard classes: is every one proven, and how fast?

    python -m benchmarks.variants                          # seeds 1..10, 1,000 cadres
    python -m benchmarks.variants --seeds 1 2 --cadres 2000 --highs

The stored instances (benchmarks/instances.py) are one seed of each class; this
sweeps many. Per seed, seven counties of `cadres` cadres (townships = cadres /
50): the three presets as generated, county-2017 with cadres / 40 and cadres / 25
women (D5-K2 cannot be met), and xx-2011 and qiong-2011 with the ladder D1-K4
made `generally`. Each is solved in a fresh process (2 workers, the time limit,
build and relaxation included); `--highs` also runs HiGHS on the same model
(benchmarks/milp.py), for the ratio. Prints a table and how many were proven,
and writes benchmarks/results/variants.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
from pathlib import Path
from time import perf_counter
from typing import Any

from benchmarks.instances import HERE, Instance, variant

RESULTS = HERE / "results"
PRESETS = ("xx-2011", "county-2017", "qiong-2011")


def classes(seed: int, cadres: int) -> list[Instance]:
    """The seven variants of one seed."""
    t = cadres // 50
    return [
        *(Instance(f"{rs}-s{seed}", t, cadres, seed, ruleset=rs) for rs in PRESETS),
        Instance(f"w{cadres // 40}-s{seed}", t, cadres, seed, ruleset="county-2017", women=cadres // 40),
        Instance(f"w{cadres // 25}-s{seed}", t, cadres, seed, ruleset="county-2017", women=cadres // 25),
        Instance(f"xk4-s{seed}", t, cadres, seed, generally=("D1-K4",)),
        Instance(f"qk4-s{seed}", t, cadres, seed, ruleset="qiong-2011", generally=("D1-K4",)),
    ]


def measure(inst: Instance, method: str, time_limit: float) -> dict[str, Any]:
    """One run in this process: huanjie's solve, or HiGHS on the model huanjie builds."""
    from benchmarks.run import highs
    from model.generator import generate_county
    from solver.build import Builder
    from solver.cpsat import CpView
    from solver.search import solve

    sc = variant(inst, generate_county(inst.townships, inst.cadres, inst.seed, ruleset=inst.ruleset))
    t0 = perf_counter()  # the imports and the county's making are not timed
    if method == "huanjie":
        res = solve(sc, time_limit=time_limit, workers=2)
        first = res.solves[0] if res.solves else None
        return {"status": str(res.status), "seconds": perf_counter() - t0,
                "objective": first.objective if first else None, "bound": first.bound if first else None}
    return highs(CpView(Builder(sc).build().model).model, time_limit, t0)


def isolated(inst: Instance, method: str, time_limit: float) -> dict[str, Any]:
    with mp.get_context("spawn").Pool(1, maxtasksperchild=1) as pool:
        return pool.apply(measure, (inst, method, time_limit))


def table(rows: list[dict[str, Any]], highs: bool) -> str:
    head = "| county | status | objective | bound | s |"
    head += " HiGHS status | HiGHS s | × huanjie |" if highs else ""
    lines = [head, "|---" * (8 if highs else 5) + "|"]
    for r in rows:
        h = r["huanjie"]
        line = f"| {r['name']} | {h['status']} | {h['objective']} | {h['bound']} | {h['seconds']:.2f} |"
        if highs:
            g = r["highs"]
            line += f" {g['status']} | {g['seconds']:.2f} | {g['seconds'] / h['seconds']:.1f} |"
        lines.append(line)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=list(range(1, 11)))
    ap.add_argument("--cadres", type=int, default=1000)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--highs", action="store_true", help="also HiGHS on each model, for the ratio")
    ap.add_argument("--out", type=Path, default=RESULTS / "variants.json")
    args = ap.parse_args(argv)
    rows = []
    for seed in args.seeds:
        for inst in classes(seed, args.cadres):
            row: dict[str, Any] = {"name": inst.name, "huanjie": isolated(inst, "huanjie", args.time_limit)}
            if args.highs:
                row["highs"] = isolated(inst, "highs", args.time_limit)
            rows.append(row)
            print(f"{inst.name}: {row['huanjie']['status']} in {row['huanjie']['seconds']:.2f} s", flush=True)
    print(table(rows, args.highs))
    times = [r["huanjie"]["seconds"] for r in rows]
    proven = sum(r["huanjie"]["status"] == "OPTIMAL" for r in rows)
    print(f"proven optimal: {proven} of {len(rows)}; seconds median {statistics.median(times):.2f}, "
          f"slowest {max(times):.2f}")
    if args.highs:
        ratios = [r["highs"]["seconds"] / r["huanjie"]["seconds"] for r in rows]
        print(f"× huanjie against HiGHS: least {min(ratios):.1f}, median {statistics.median(ratios):.1f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"cadres": args.cadres, "time_limit": args.time_limit, "rows": rows,
                                    "proven": proven}, indent=2) + "\n")


if __name__ == "__main__":
    main()
