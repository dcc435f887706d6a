"""A province of counties solved in batch (solver/batch.py) against one
`huanjie solve` process per county: counties per minute on this machine.

    python -m benchmarks.batch            # 100 counties of 20 townships x 1,000 cadres
    python -m benchmarks.batch --quick    # 10 counties, 3 processes for the baseline

The counties are generated once (model.generator, fixed seeds) into
benchmarks/instances/.cache/batch/ (not committed); the generation time is
reported apart and counted nowhere. Then, one after another:

  (a) one process solves every county in turn, CP-SAT with 2 workers;
  (b) a pool of 2 processes, each solving many counties with 1 worker, so the
      2 cores are used once over;
  (c) the baseline: one `huanjie solve` process per county (2 workers), on a
      sample of the counties, extrapolated;
  (d) the same commands through the daemon (`huanjie daemon start`, its start
      counted once), on the same sample, extrapolated.

Every wall time counts the start-up of the processes it uses: (a) and (b) start
fresh ("spawn") processes, once each; (c) starts one per county, as a shell loop
would. The objectives of the three are compared county by county (each proven
optimal, so they must agree). Writes benchmarks/results/batch.json
(quick-batch.json with --quick, not committed).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from time import perf_counter, process_time
from typing import Any

from benchmarks.daemons import own_daemon
from service.daemon_link import SWITCH

HERE = Path(__file__).resolve().parent
CACHE = HERE / "instances" / ".cache" / "batch"
RESULTS = HERE / "results"
TOWNSHIPS, CADRES, FIRST_SEED = 20, 1000, 5000
TIME_LIMIT = 60.0
"""Seconds per county, as `huanjie solve`'s default."""


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def counties(n: int) -> tuple[list[Path], dict[str, Any]]:
    """The first `n` counties, generated into the cache if missing; and the time that took."""
    from model.generator import generate_county
    from model.io import save_scenario

    folders = [CACHE / f"c{TOWNSHIPS}-{CADRES}-s{FIRST_SEED + k}" for k in range(n)]
    made, t0 = 0, perf_counter()
    for k, folder in enumerate(folders):
        if not (folder / "scenario.yaml").is_file():
            save_scenario(generate_county(TOWNSHIPS, CADRES, FIRST_SEED + k), folder, overwrite=True)
            made += 1
    return folders, {"generated": made, "cached": n - made, "seconds": perf_counter() - t0}


def row(o: Any) -> dict[str, Any]:
    """What the table needs of one outcome (solver/batch.py's Outcome)."""
    r = o.result
    first = r.slates[0].score if r is not None and r.slates else None
    return {"index": o.index, "status": r.status if r is not None else "ERROR", "error": o.error,
            "objective": first.objective if first is not None else None,
            "load": o.load_seconds, "solve": o.solve_seconds, "process": o.process}


def one_process(folders: list[str], workers: int) -> list[dict[str, Any]]:
    """(a), run inside a fresh process: every county in turn."""
    from solver.batch import Settings, solve_each

    return [row(o) for o in solve_each(folders, Settings(time_limit=TIME_LIMIT, workers=workers))]


def run_one_process(folders: list[Path], workers: int = 2) -> dict[str, Any]:
    t0 = perf_counter()
    with mp.get_context("spawn").Pool(1) as pool:
        rows = pool.apply(one_process, ([str(f) for f in folders], workers))
    return summary(rows, perf_counter() - t0, len(folders))


def run_pool(folders: list[Path], processes: int = 2) -> dict[str, Any]:
    from solver.batch import Settings, solve_pool, workers_each

    settings = Settings(time_limit=TIME_LIMIT, workers=workers_each(processes))
    t0, rows = perf_counter(), []
    for o in solve_pool(folders, settings, processes=processes):
        rows.append(row(o))
        if len(rows) % 10 == 0:
            say(f"  pool: {len(rows)}/{len(folders)}")
    return {**summary(sorted(rows, key=lambda r: r["index"]), perf_counter() - t0, len(folders)),
            "processes": processes, "workers_each": settings.workers}


def command() -> list[str]:
    """The installed `huanjie` script beside this Python, else `python -m service.cli`."""
    script = Path(sys.executable).with_name("huanjie")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "service.cli"]


def spread(n: int, sample: int) -> list[int]:
    """`sample` county indices spread evenly over `n`: counties differ in difficulty."""
    return sorted({k * n // sample for k in range(sample)})


def solve_command(folder: Path, out: Path, workers: int, env: dict[str, str]) -> dict[str, Any]:
    """One `huanjie solve` of a county as a process of its own: its status, objective, wall and CPU."""
    t = perf_counter()
    p = subprocess.Popen([*command(), "solve", str(folder), "--time-limit", str(TIME_LIMIT),
                          "--workers", str(workers), "--json", str(out)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    wall = perf_counter() - t
    res = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    slates = res.get("slates") or [{}]
    return {"status": res.get("status", f"exit {os.waitstatus_to_exitcode(status)}"),
            "objective": (slates[0].get("score") or {}).get("objective"), "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime}


def run_processes(folders: list[Path], sample: int, workers: int = 2) -> dict[str, Any]:
    """(c): one `huanjie solve` per county of the sample; the rate extrapolated to all the
    counties. Each county is solved again at once in this (warm) process, so the two are
    paired under the same load and their difference is the start-up of one process."""
    from solver.batch import Settings, solve_source

    settings = Settings(time_limit=TIME_LIMIT, workers=workers)
    solve_source(0, folders[0], settings)  # this process's own first solve (warm-up), not counted
    rows, wall = [], 0.0
    env = {**os.environ, SWITCH: "off"}  # a process of its own, even when a daemon runs
    with tempfile.TemporaryDirectory() as tmp:
        for k in spread(len(folders), sample):
            row = {"index": k, **solve_command(folders[k], Path(tmp) / f"{k}.json", workers, env)}
            wall += row["wall"]
            t, cpu = perf_counter(), process_time()
            solve_source(k, folders[k], settings)
            rows.append({**row, "inside": perf_counter() - t, "inside_cpu": process_time() - cpu})
    return {**summary(rows, wall, len(rows)), "extrapolated_seconds": wall / len(rows) * len(folders)}


def run_daemon(folders: list[Path], sample: int, workers: int = 2) -> dict[str, Any]:
    """(d): (c)'s commands, county by county, through a daemon (service/daemon.py) started
    first: the commands' rate, and the extrapolation to all the counties with the start
    counted once."""
    with own_daemon(command()) as d:
        rows = [{"index": k, **solve_command(folders[k], d.folder / f"{k}.json", workers, d.env)}
                for k in spread(len(folders), sample)]
        d.served(len(rows))
    start = d.start
    wall = sum(r["wall"] for r in rows)
    return {**summary(rows, wall, len(rows)), "start": start,
            "extrapolated_seconds": start + wall / len(rows) * len(folders)}


def start_up(c: dict[str, Any]) -> dict[str, float]:
    """(c)'s counties, each as a process of its own and solved again at once in a warm
    process: seconds per county of each, and their difference, which is what one more
    process costs (its start-up: Python, the imports, the first solve's one-time costs).
    In wall seconds and in CPU seconds; on a shared machine the CPU figure is the steadier."""
    out: dict[str, float] = {}
    for unit, own_key, inside_key in (("wall", "wall", "inside"), ("cpu", "cpu", "inside_cpu")):
        deltas = [r[own_key] - r[inside_key] for r in c["rows"]]
        out |= {f"{unit}_own_process": statistics.mean(r[own_key] for r in c["rows"]),
                f"{unit}_in_one_process": statistics.mean(r[inside_key] for r in c["rows"]),
                f"{unit}_start_up": statistics.mean(deltas),
                f"{unit}_start_up_median": statistics.median(deltas)}
    return out


def summary(rows: list[dict[str, Any]], wall: float, n: int) -> dict[str, Any]:
    solved = [r for r in rows if "solve" in r]
    return {"counties": n, "seconds": wall, "per_county": wall / n, "per_minute": 60 * n / wall,
            "optimal": sum(r["status"] == "OPTIMAL" for r in rows),
            "mean_solve": statistics.mean(r["solve"] for r in solved) if solved else None,
            "mean_load": statistics.mean(r["load"] for r in solved) if solved else None,
            "processes_used": len({r["process"] for r in solved}) if solved else n,
            "rows": rows}


def agreement(*modes: dict[str, Any]) -> dict[str, int]:
    """Counties every mode solved to optimality, and how many of them have one objective in all."""
    by = [{r["index"]: r for r in m["rows"]} for m in modes]
    common = set.intersection(*(set(b) for b in by))
    proven = [i for i in common if all(b[i]["status"] == "OPTIMAL" for b in by)]
    same = [i for i in proven if len({b[i]["objective"] for b in by}) == 1]
    return {"compared": len(proven), "same_objective": len(same)}


def table(res: dict[str, Any]) -> str:
    gen = res["generation"]
    lines = [f"{res['counties']} counties of {TOWNSHIPS} townships x {CADRES} cadres, {res['cores']} cores, "
             f"{TIME_LIMIT:.0f} s per county; generation {gen['seconds']:.1f} s "
             f"({gen['generated']} generated, {gen['cached']} cached; not counted)",
             "",
             *mode_lines(res, {"one_process": "(a) one process, 2 workers",
                               "pool": f"(b) pool of {res['pool']['processes']}, "
                                       f"{res['pool']['workers_each']} worker each",
                               "processes": "(c) one `huanjie solve` per county",
                               "daemon": "(d) the same through the daemon"}, "processes", "(c)", 44)]
    c, same, d = res["processes"], res["start_up"], res["daemon"]
    a = res["one_process"]
    lines += ["", f"* a sample of {c['counties']} spread over the {res['counties']}, extrapolated: "
              f"{c['extrapolated_seconds']:.0f} s for all; (d) the same sample, its daemon started in "
              f"{d['start']:.2f} s (counted): {d['extrapolated_seconds']:.0f} s for all",
              f"(a) per county: load {a['mean_load']:.3f} s + solve {a['mean_solve']:.3f} s",
              *(f"the sample's counties, paired ({unit}): {same[unit + '_own_process']:.3f} s each as a "
                f"process of its own, {same[unit + '_in_one_process']:.3f} s solved again at once in a warm "
                f"process: {same[unit + '_start_up']:.3f} s of start-up per process (median "
                f"{same[unit + '_start_up_median']:.3f})" for unit in ("wall", "cpu")),
              *closing_lines(res, "(a), (b), (c), (d)")]
    return "\n".join(lines)


def mode_lines(res: dict[str, Any], names: dict[str, str], baseline: str, ref: str, width: int) -> list[str]:
    """A row per mode: counties, wall, per county, per minute, proven optimal, and the ratio to the
    `baseline` mode (a sample, starred)."""
    base = res[baseline]["per_minute"]
    out = [f"{'mode':<{width}} {'counties':>8} {'wall s':>8} {'s/county':>9} {'per min':>8} {'optimal':>8} "
           f"{'vs ' + ref:>7}"]
    for key, name in names.items():
        m = res[key]
        n = f"{m['counties']}" + ("*" if key == baseline else "")
        out.append(f"{name:<{width}} {n:>8} {m['seconds']:>8.1f} {m['per_county']:>9.3f} "
                   f"{m['per_minute']:>8.1f} {m['optimal']:>4}/{m['counties']:<3} "
                   f"{m['per_minute'] / base:>6.2f}x")
    return out


def closing_lines(res: dict[str, Any], modes: str) -> list[str]:
    """The load average and the agreement of the modes' objectives (this table's and province's)."""
    return ["load average (1 min) before " + modes + " and at the end: "
            + ", ".join(f"{x:.1f}" for x in res["load_average"]),
            f"objectives: {res['agreement']['same_objective']} of {res['agreement']['compared']} counties "
            "proven optimal in every mode agree"]


def sizes(description: str | None, quick: tuple[int, int]) -> tuple[argparse.Namespace, int, int]:
    """The command line of a province benchmark: its arguments, the counties and the baseline's sample."""
    ap = argparse.ArgumentParser(description=description,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help=f"{quick[0]} counties, a baseline of {quick[1]}")
    ap.add_argument("--counties", type=int, help=f"how many counties (default 100, {quick[0]} with --quick)")
    ap.add_argument("--sample", type=int,
                    help=f"counties of the baseline (default 10, {quick[1]} with --quick)")
    args = ap.parse_args()
    n = args.counties or (quick[0] if args.quick else 100)
    return args, n, min(n, args.sample or (quick[1] if args.quick else 10))


def main() -> None:
    args, n, sample = sizes(__doc__, (10, 3))
    say(f"generating {n} counties (cached in {CACHE})")
    folders, generation = counties(n)
    load = [os.getloadavg()[0]]
    say(f"(a) one process, {n} counties")
    a = run_one_process(folders)
    load.append(os.getloadavg()[0])
    say(f"(b) pool of 2, {n} counties")
    b = run_pool(folders)
    load.append(os.getloadavg()[0])
    say(f"(c) one process per county, {sample} counties")
    c = run_processes(folders, sample)
    load.append(os.getloadavg()[0])
    say(f"(d) one command per county through the daemon, {sample} counties")
    d = run_daemon(folders, sample)
    load.append(os.getloadavg()[0])
    res = {"quick": args.quick, "counties": n, "townships": TOWNSHIPS, "cadres": CADRES,
           "time_limit": TIME_LIMIT, "cores": os.cpu_count(), "generation": generation,
           "one_process": a, "pool": b, "processes": c, "daemon": d, "agreement": agreement(a, b, c, d),
           "start_up": start_up(c), "load_average": load,
           "ratios": {"one_process_vs_processes": a["per_minute"] / c["per_minute"],
                      "pool_vs_processes": b["per_minute"] / c["per_minute"],
                      "pool_vs_one_process": b["per_minute"] / a["per_minute"],
                      "daemon_vs_processes": d["per_minute"] / c["per_minute"]}}
    publish(res, "batch", args.quick, table)


def publish(res: dict[str, Any], name: str, quick: bool, table: Callable[[dict[str, Any]], str]) -> None:
    """Write a run's JSON under benchmarks/results/ and print its table."""
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / (f"quick-{name}.json" if quick else f"{name}.json")
    out.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(res))
    print(f"\nwrote {out.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
