"""A province through `huanjie batch`: counties per minute on this machine's 2 cores,
against one `huanjie solve` process per county, and on a Dask LocalCluster of 1 and 2
workers (the scaling ratio).

    python -m benchmarks.province            # 100 counties of 20 townships x 1,000 cadres
    python -m benchmarks.province --quick    # 8 counties, a baseline of 2

The counties are benchmarks/batch.py's (generated once into its cache, fixed seeds; the
generation is reported apart and counted nowhere). In one run, one after another:

  (a) `huanjie batch` as a command, 2 processes x 1 CP-SAT worker, into a fresh folder
      (its wall time counts the command's start-up, the pool's and every file it writes);
  (b) the baseline: `huanjie solve --json` per county (2 workers), as a shell loop runs them,
      on a sample spread over the counties, extrapolated (the sample is said in the table);
  (c) `huanjie batch --cluster` on a LocalCluster of 1 worker, then of 2 (processes, 1 thread
      each, CP-SAT 1 worker per county); the clusters are started before the clock starts.

The objectives of the counties each mode proved optimal are compared (they must agree).
Writes benchmarks/results/province.json (quick-province.json with --quick, not committed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Any

from benchmarks.batch import (
    CADRES,
    TIME_LIMIT,
    TOWNSHIPS,
    closing_lines,
    command,
    counties,
    mode_lines,
    publish,
    say,
    sizes,
    spread,
)

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def link_province(folders: list[Path], root: Path) -> Path:
    """A province folder of links to the cached counties: the batch's PATH."""
    province = root / "province"
    province.mkdir()
    for f in folders:
        (province / f.name).symlink_to(f)
    return province


def batch(province: Path, out: Path, extra: list[str]) -> dict[str, Any]:
    """`huanjie batch` as a command: its wall time, and the summary it wrote."""
    t = perf_counter()
    run = subprocess.run([*command(), "batch", str(province), "--out", str(out), "--time-limit",
                          str(TIME_LIMIT), *extra], capture_output=True, text=True)
    wall = perf_counter() - t
    if not (out / "summary.json").is_file():
        raise SystemExit(f"huanjie batch failed ({run.returncode}):\n{run.stderr[-2000:]}")
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return mode(wall, s["counties"], {r["county"]: (r["status"], r["objective"]) for r in s["rows"]})


def one_by_one(folders: list[Path], sample: int, root: Path) -> dict[str, Any]:
    """(b): `huanjie solve` per county of the sample, each a process of its own."""
    rows, wall = {}, 0.0
    for k in spread(len(folders), sample):
        out = root / f"solve-{k}.json"
        t = perf_counter()
        subprocess.run([*command(), "solve", str(folders[k]), "--time-limit", str(TIME_LIMIT),
                        "--workers", "2", "--json", str(out)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall += perf_counter() - t
        res = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
        first = (res.get("slates") or [{}])[0].get("score") or {}
        rows[folders[k].name] = (res.get("status", "ERROR"), first.get("objective"))
    return {**mode(wall, len(rows), rows), "sample": len(rows),
            "extrapolated_seconds": wall / len(rows) * len(folders)}


def on_cluster(province: Path, root: Path, workers: int) -> dict[str, Any]:
    """(c): a LocalCluster of `workers` processes, started (and warmed) before the clock."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        with Client(c) as client:  # each worker imports the solver once, as a long-lived cluster has
            client.run(lambda: __import__("service.batch") and None)
        res = batch(province, root / f"cluster-{workers}",
                    ["--cluster", c.scheduler_address, "--workers", "1"])
    return {**res, "cluster_workers": workers}


def mode(wall: float, n: int, rows: dict[str, Any]) -> dict[str, Any]:
    return {"counties": n, "seconds": wall, "per_county": wall / n, "per_minute": 60 * n / wall,
            "optimal": sum(s == "OPTIMAL" for s, _ in rows.values()), "rows": rows}


def agreement(*modes: dict[str, Any]) -> dict[str, int]:
    common = set.intersection(*(set(m["rows"]) for m in modes))
    proven = [c for c in common if all(m["rows"][c][0] == "OPTIMAL" for m in modes)]
    same = [c for c in proven if len({m["rows"][c][1] for m in modes}) == 1]
    return {"compared": len(proven), "same_objective": len(same)}


def table(res: dict[str, Any]) -> str:
    gen = res["generation"]
    lines = [f"{res['counties']} counties of {TOWNSHIPS} townships x {CADRES} cadres, {res['cores']} cores, "
             f"{TIME_LIMIT:.0f} s per county; generation {gen['seconds']:.1f} s (not counted)", "",
             *mode_lines(res, {"batch": "(a) huanjie batch, 2 processes x 1 worker",
                               "one_by_one": "(b) one `huanjie solve` per county, 2 workers",
                               "cluster_1": "(c) huanjie batch --cluster, LocalCluster 1 worker",
                               "cluster_2": "(c) huanjie batch --cluster, LocalCluster 2 workers"},
                         "one_by_one", "(b)", 52)]
    b, r = res["one_by_one"], res["ratios"]
    lines += ["", f"* a sample of {b['sample']} spread over the {res['counties']}, extrapolated: "
              f"{b['extrapolated_seconds']:.0f} s for all",
              f"batch vs one by one: {r['batch_vs_one_by_one']:.2f}x; "
              f"LocalCluster 2 workers vs 1: {r['cluster_2_vs_1']:.2f}x",
              *closing_lines(res, "each mode")]
    return "\n".join(lines)


def main() -> None:
    args, n, sample = sizes(__doc__, (8, 2))
    say(f"generating {n} counties (cached)")
    folders, generation = counties(n)
    load, res = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        province = link_province(folders, root)
        for key, label, run in (
                ("batch", "(a) huanjie batch", lambda: batch(province, root / "batch",
                                                             ["--processes", "2", "--workers", "1"])),
                ("one_by_one", f"(b) one by one, {sample} counties",
                 lambda: one_by_one(folders, sample, root)),
                ("cluster_1", "(c) LocalCluster of 1", lambda: on_cluster(province, root, 1)),
                ("cluster_2", "(c) LocalCluster of 2", lambda: on_cluster(province, root, 2))):
            load.append(os.getloadavg()[0])
            say(label)
            res[key] = run()
    load.append(os.getloadavg()[0])
    res |= {"quick": args.quick, "counties": n, "townships": TOWNSHIPS, "cadres": CADRES,
            "time_limit": TIME_LIMIT, "cores": os.cpu_count(), "generation": generation, "load_average": load,
            "agreement": agreement(res["batch"], res["one_by_one"], res["cluster_1"], res["cluster_2"]),
            "ratios": {"batch_vs_one_by_one": res["batch"]["per_minute"] / res["one_by_one"]["per_minute"],
                       "cluster_2_vs_1": res["cluster_2"]["per_minute"] / res["cluster_1"]["per_minute"],
                       "cluster_2_vs_batch": res["cluster_2"]["per_minute"] / res["batch"]["per_minute"]}}
    publish(res, "province", args.quick, table)


if __name__ == "__main__":
    sys.exit(main())
