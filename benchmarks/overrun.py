"""How far past its time limit a solve of a large generated pool runs, and its
peak memory beside the estimate that the memory bound uses (solver/memory.py).
Not a test: it takes minutes and gigabytes.

    python -m benchmarks.overrun                       # 12 x 20,000, 12 x 100,000; limits 2 and 10 s
    python -m benchmarks.overrun --sizes 40x100000 --limits 60

Each run is a fresh process (its peak memory is its own); the county is
generated in it before the clock starts, as the CLI loads files first.
Overrun = wall seconds of `solve()` minus the time limit.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
from time import perf_counter
from typing import Any


def one(townships: int, cadres: int, limit: float, seed: int) -> dict[str, Any]:
    """A solve of a generated county in this process: wall time, status, where it was cut, peak MB."""
    from model.generator import generate_county
    from solver.search import solve

    sc = generate_county(townships, cadres, seed)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = perf_counter()
    res = solve(sc, time_limit=limit, workers=2, max_memory_mb=None)
    wall = perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from solver.build import Builder
    from solver.memory import estimate

    b = Builder(sc)
    b.drop_forbidden_pairs()
    est = estimate(b.pool.size, len(b.groups), int(b.allowed.sum())).megabytes
    return {"size": f"{townships}x{cadres}", "limit": limit, "wall": wall, "overrun": wall - limit,
            "status": str(res.status), "step": res.cut_short.args["step"] if res.cut_short else "-",
            "slates": len(res.slates), "pairs": res.candidate_pairs, "peak_mb": peak,
            "before_mb": before, "estimate_mb": est}


def _child(queue: Any, *args: Any) -> None:
    queue.put(one(*args))


def fresh(*args: Any) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    p = ctx.Process(target=_child, args=(queue, *args))
    p.start()
    out = queue.get()
    p.join()
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", default=["12x20000", "12x100000"], help="TOWNSHIPSxCADRES")
    ap.add_argument("--limits", nargs="+", type=float, default=[2.0, 10.0])
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    head = (f"{'size':>10} {'limit':>6} {'wall':>7} {'overrun':>8} {'status':>8} {'cut in':>14} "
            f"{'slates':>6} {'pairs':>9} {'peak MB':>8} {'est. MB':>8} {'peak/est':>8}")
    print(head)
    for size in args.sizes:
        t, c = (int(x) for x in size.split("x"))
        for limit in args.limits:
            r = fresh(t, c, limit, args.seed)
            print(f"{r['size']:>10} {r['limit']:>6g} {r['wall']:>7.2f} {r['overrun']:>+8.2f} "
                  f"{r['status']:>8} {r['step']:>14} {r['slates']:>6} {r['pairs']:>9} "
                  f"{r['peak_mb']:>8.0f} {r['estimate_mb']:>8.0f} {r['peak_mb'] / r['estimate_mb']:>8.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
