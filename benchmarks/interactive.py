"""The interactive verbs on stored instances: a full candidate ranking for a seat
(`recommend`), `why-not` and a one-pin what-if `diff`, timed as whole commands
in three ways: a command of its own (a fresh process: imports, reading the files,
the base solve), the same command through a running daemon (service/daemon.py,
after a first command made it solve and keep the base), and as library calls on
a prepared base (solver/warm.py: what a web page holding the base pays per click).
Prints a table and writes benchmarks/results/interactive.json.

    python -m benchmarks.interactive                 # c20-1000
    python -m benchmarks.interactive c20-1000 c40-2000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Any

from benchmarks import instances
from benchmarks.daemons import own_daemon
from benchmarks.instances import COUNTIES, COUNTY, Instance, ensure
from service.daemon_link import SWITCH

RESULTS = Path(__file__).resolve().parent / "results"
SEAT = ("t01", "secretary")
LIMIT = 10
TARGETS = {"recommend": 2.0, "why_not": 0.5, "diff": 1.0}
"""Seconds on c20-1000 (issue 12), whole command and library call alike."""


def known() -> dict[str, Instance]:
    """The instances by name: the counties and, when the list exists, the hard ones."""
    return {i.name: i for i in [*COUNTIES, *getattr(instances, "HARD", [])]}


CLI = [sys.executable, "-m", "service.cli"]


def command(argv: list[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of one whole `huanjie` command in a fresh process: on its own, or with
    `env`, a daemon's (benchmarks/daemons.py)."""
    env = env if env is not None else {**os.environ, SWITCH: "off"}
    t0 = perf_counter()
    done = subprocess.run([*CLI, *argv], capture_output=True, text=True, env=env)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"huanjie {' '.join(argv)} exited {done.returncode}: {done.stderr[-500:]}")
    return perf_counter() - t0


def through_daemon(argvs: dict[str, list[str]]) -> dict[str, float]:
    """The same commands through a daemon of their own: its start, its first command (which
    solves the base and keeps it), then each verb again; checked to have run in it."""
    with own_daemon(CLI) as d:
        times = {"start": d.start, "first": command(argvs["why_not"], d.env)}
        times |= {verb: command(argv, d.env) for verb, argv in argvs.items()}
        d.served(len(argvs) + 1)
    return times


def timed(fn: Any) -> tuple[Any, float]:
    t0 = perf_counter()
    out = fn()
    return out, perf_counter() - t0


def measure(inst: Instance) -> dict[str, Any]:
    """Library calls first (they pick the cadre of why-not and diff: the best one not holding
    the seat), then the same questions as whole commands."""
    from model.io import load_scenario
    from model.scenario import Pin
    from solver.compare import compare
    from solver.forced import recommend, why_not
    from solver.stop import budget
    from solver.warm import prepare

    folder = ensure(inst)[0]
    sc = load_scenario(folder)
    township, seat = SEAT
    p, t_prepare = timed(lambda: prepare(sc, budget(None, 60)))
    rec, t_rec = timed(lambda: recommend(sc, township, seat, limit=LIMIT, time_limit=60, prepared=p))
    cadre = next(f.cadre for f in rec.tried if (f.possible and f.delta != 0) or f is rec.tried[-1])
    f, t_why = timed(lambda: why_not(sc, cadre, township, seat, time_limit=60, prepared=p))
    other = sc.with_changes(pins=(*sc.pins, Pin(cadre=cadre, township=township, seat=seat)))
    c, t_diff = timed(lambda: compare(sc, other, time_limit=60, prepared=p))
    _, t_why_cold = timed(lambda: why_not(sc, cadre, township, seat, time_limit=60))
    with tempfile.TemporaryDirectory() as tmp:
        whatif = Path(tmp) / "pin.yaml"
        whatif.write_text(f"base: {folder}\nname: pin {cadre}\npins:\n"
                          f"  - {{cadre: {cadre}, township: {township}, seat: {seat}}}\n", encoding="utf-8")
        where = f"{township}/{seat}"
        argvs = {"recommend": ["recommend", str(folder), where, "--limit", str(LIMIT)],
                 "why_not": ["why-not", str(folder), cadre, where],
                 "diff": ["diff", str(folder), str(whatif)],
                 "solve": ["solve", str(folder)]}
        cmd = {verb: command(argv) for verb, argv in argvs.items()}
        daemon = through_daemon(argvs)
    return {
        "instance": inst.name, "seat": f"{township}/{seat}", "cadre": cadre, "limit": LIMIT,
        "eligible": rec.eligible, "exact": len(rec.tried), "bounded": len(rec.bounded),
        "outside_top": sum(1 for b in rec.bounded if b.outside_top), "proven": rec.proven,
        "why_not_delta": f.delta, "diff_objective": c.diff.objective if c.diff else None,
        "library": {"prepare": t_prepare, "recommend": t_rec, "why_not": t_why, "diff": t_diff,
                    "why_not_with_base_solve": t_why_cold},
        "command": cmd, "daemon": daemon,
    }


def table(rows: list[dict[str, Any]]) -> str:
    head = (f"{'instance':<14}{'verb':<11}{'command s':>10}{'daemon s':>10}{'library s':>10}{'target s':>9}"
            "  note")
    lines = [head, "-" * len(head)]
    for r in rows:
        lib, cmd, dmn = r["library"], r["command"], r["daemon"]
        notes = {"recommend": f"{r['exact']} exact, {r['bounded']} bounded ({r['outside_top']} proven out)",
                 "why_not": f"{r['cadre']} delta {r['why_not_delta']}",
                 "diff": f"objective {r['diff_objective']:+d}" if r["diff_objective"] is not None else ""}
        for verb in ("recommend", "why_not", "diff"):
            lines.append(f"{r['instance']:<14}{verb:<11}{cmd[verb]:>10.2f}{dmn[verb]:>10.2f}{lib[verb]:>10.2f}"
                         f"{TARGETS[verb]:>9.1f}  {notes[verb]}")
        lines.append(f"{r['instance']:<14}{'solve':<11}{cmd['solve']:>10.2f}{dmn['solve']:>10.2f}"
                     f"{lib['prepare']:>10.2f}{'':>9}  the base alone (library: prepare)")
        lines.append(f"{r['instance']:<14}{'daemon':<11}{'':>10}{dmn['first']:>10.2f}{'':>19}  its first "
                     f"command (why-not: the base solved and kept); start {dmn['start']:.2f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("instances", nargs="*", default=[COUNTY], help=f"instance names (default {COUNTY})")
    args = ap.parse_args(argv)
    names = known()
    unknown = [n for n in args.instances if n not in names]
    if unknown:
        ap.error(f"unknown instances {unknown}; use some of {sorted(names)}")
    rows = [measure(names[n]) for n in args.instances]
    print(table(rows))
    RESULTS.mkdir(exist_ok=True)
    out = {"workers": 2, "targets": TARGETS, "runs": rows}
    (RESULTS / "interactive.json").write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
