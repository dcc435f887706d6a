"""The HTTP service under load: a real `huanjie serve` on a free loopback port and 50 clients
at once, each submitting small solves (3 townships, 80 cadres) and waiting for each to end.

    python -m benchmarks.load              # one client alone (10 jobs), the burst, 50 clients x 5 jobs
    python -m benchmarks.load --quick      # one client alone (3 jobs), the burst
    python -m benchmarks.load --poll 0.25  # the same, clients polling every 0.25 s (no long-poll)
    python -m benchmarks.load --server-root /tmp/main --poll 0.25   # another checkout's server

Three phases, one after another on the same server: one client alone runs its jobs one after
another; the burst: 50 clients each submit 1 job at the same moment and wait for it (the issue's
"50 concurrent clients submitting small solves and polling them"); the closed loop: 50 clients
each run 5 jobs, one after another, all clients at once.

It stops by itself: a fixed number of jobs and a hard deadline (a job not ended by then is
an error). The server gets a fresh HUANJIE_DATA (a temporary folder, SQLite), one planner key
per client (a client is another system; the limits per key stay the defaults) and the county,
stored through POST /v1/scenarios. Each client is an httpx.AsyncClient of its own, in one
asyncio loop of this process; per job it POSTs /v1/jobs (top 1, 1 CP-SAT worker, 10 s), waits
with GET /v1/jobs/{id}?wait=30 (the long-poll; again if it answers before the end), or with
`--poll S` GETs /v1/jobs/{id} every S seconds until the job ends, then GETs its result.

Measured per job: submit (the POST's round trip), time to result (from before the POST until
the result is read, polling included, so up to one poll interval of it is the client's own
waiting), and from the job's record the server's own times: queued (submitted -> started) and
run (started -> finished). Errors: any answer not 2xx, a transport error, a job that did not
complete, or a result without slates. "x alone" is each figure of a phase under load over the
same figure alone, in the same run. CPU seconds of the server, its job workers and this process
are read from /proc, per phase, and the load average of the machine (shared) beside them.
`--server-root DIR` runs the server from another checkout (`git archive main | tar -x -C DIR`),
with this Python: a before/after pair on the same machine, back to back.

Writes benchmarks/results/load.json (quick-load.json with --quick, not committed; `--tag NAME`
writes load-NAME.json, for a before/after pair).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
TOWNSHIPS, CADRES, SEED = 3, 80, 1
JOB_SETTINGS = {"top": 1, "workers": 1, "time_limit": 10}
TARGETS = {"errors": 0, "submit_p50": 0.050, "result_p50": 1.0}
"""No errors; submit p50 under 50 ms; time to result p50 under 1 s (50 clients, 2 cores)."""
ENDED = ("completed", "stopped", "failed")
WAIT = 30
"""The long-poll's `?wait=` (seconds): the most the server allows."""


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def command(module: bool = False) -> list[str]:
    """The installed `huanjie` script beside this Python, else (or with `module`, for a server from
    another checkout on PYTHONPATH) `python -m service.cli`."""
    script = Path(sys.executable).with_name("huanjie")
    return [str(script)] if script.is_file() and not module else [sys.executable, "-m", "service.cli"]


# ---------------------------------------------------------------------- CPU from /proc

def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one live process (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rpartition(")")[2].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


def cpu_of(server_pid: int) -> dict[str, float]:
    """CPU seconds so far: the server process, its children (the job workers; a worker that was
    replaced is not counted) and this process."""
    return {"server": cpu_seconds(server_pid), "workers": sum(cpu_seconds(p) for p in children(server_pid)),
            "bench": time.process_time()}


# ---------------------------------------------------------------------- one client

class Client:
    """One caller with its own key and connection; `rows` holds one record per job."""

    def __init__(self, url: str, secret: str, scenario_id: str, poll: float | None) -> None:
        """`poll` None: wait with the long-poll; else GET the job every `poll` seconds."""
        self.http = httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {secret}"},
                                      timeout=WAIT + 30.0)
        self.scenario_id, self.poll = scenario_id, poll
        self.rows: list[dict[str, Any]] = []

    async def job(self, seed: int) -> None:
        row: dict[str, Any] = {"error": None}
        self.rows.append(row)
        t0 = time.perf_counter()
        try:
            r = await self.http.post("/v1/jobs", json={"scenario_id": self.scenario_id,
                                                       "settings": {**JOB_SETTINGS, "seed": seed}})
            row["submit"] = time.perf_counter() - t0
            if r.status_code != 202:
                row["error"] = f"submit {r.status_code}: {r.text[:200]}"
                return
            job_id, polls = r.json()["id"], 0
            while True:
                if self.poll is None:
                    r = await self.http.get(f"/v1/jobs/{job_id}", params={"wait": WAIT})
                else:
                    await asyncio.sleep(self.poll)
                    r = await self.http.get(f"/v1/jobs/{job_id}")
                polls += 1
                if r.status_code != 200:
                    row["error"] = f"status {r.status_code}: {r.text[:200]}"
                    return
                job = r.json()
                if job["state"] in ENDED:
                    break
            r = await self.http.get(f"/v1/jobs/{job_id}/result")
            row["result"] = time.perf_counter() - t0
            row["polls"] = polls
            row.update(server_times(job))
            if job["state"] != "completed":
                row["error"] = f"job {job['state']}: {job.get('reason')}"
            elif r.status_code != 200 or not r.json().get("slates"):
                row["error"] = f"result {r.status_code}: {r.text[:200]}"
        except httpx.HTTPError as e:
            row["error"] = f"{type(e).__name__}: {e}"

    async def run(self, jobs: int, first_seed: int) -> None:
        try:
            for k in range(jobs):
                await self.job(first_seed + k)
        finally:
            await self.http.aclose()


def server_times(job: dict[str, Any]) -> dict[str, float]:
    """Queued and run seconds from the job's record (the server's clock, no polling in them)."""
    at = {k: datetime.fromisoformat(job[k]) for k in ("submitted_at", "started_at", "finished_at")
          if job.get(k)}
    out = {}
    if "started_at" in at:
        out["queued"] = (at["started_at"] - at["submitted_at"]).total_seconds()
        if "finished_at" in at:
            out["run"] = (at["finished_at"] - at["started_at"]).total_seconds()
    return out


async def phase(url: str, secrets: list[str], scenario_id: str, jobs: int, poll: float | None,
                deadline: float) -> dict[str, Any]:
    """Every client runs `jobs` jobs at once with the others (with 1 job each: the burst, every
    client's POST sent in the same moment); stopped at `deadline` seconds."""
    clients = [Client(url, s, scenario_id, poll) for s in secrets]
    t0 = time.perf_counter()
    tasks = [asyncio.ensure_future(c.run(jobs, 1000 * i)) for i, c in enumerate(clients)]
    _, late = await asyncio.wait(tasks, timeout=deadline)
    for t in late:
        t.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    wall = time.perf_counter() - t0
    rows = [r for c in clients for r in c.rows]
    for r in rows:
        if r["error"] is None and "result" not in r:
            r["error"] = f"not ended within the deadline of {deadline:g} s"
    missing = len(clients) * jobs - len(rows)
    return summary(rows, wall, len(clients), jobs, missing)


def quantiles(xs: list[float]) -> dict[str, float | None]:
    if not xs:
        return {"p50": None, "p95": None, "max": None, "mean": None}
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]
    return {"p50": statistics.median(xs), "p95": p95, "max": xs[-1], "mean": statistics.mean(xs)}


def summary(rows: list[dict[str, Any]], wall: float, clients: int, jobs: int, missing: int) -> dict[str, Any]:
    errors = [r["error"] for r in rows if r["error"]]
    done = [r for r in rows if "result" in r]
    return {"clients": clients, "jobs_each": jobs, "jobs": len(rows), "seconds": wall,
            "jobs_per_second": len(done) / wall if wall else None,
            "errors": len(errors) + missing, "error_kinds": sorted(set(errors))[:10],
            "submit": quantiles([r["submit"] for r in rows if "submit" in r]),
            "result": quantiles([r["result"] for r in done]),
            "queued": quantiles([r["queued"] for r in done if "queued" in r]),
            "run": quantiles([r["run"] for r in done if "run" in r]),
            "polls": quantiles([r["polls"] for r in done]),
            "requests": sum(r.get("polls", 0) + ("submit" in r) + ("result" in r) for r in rows)}


# ---------------------------------------------------------------------- the server

def profiler(pid: int, out: Path | None) -> subprocess.Popen[bytes] | None:
    """py-spy (if installed: `pip install py-spy`) sampling the server and its workers during the
    load, written as collapsed stacks to `out` (flamegraph.pl or speedscope read them)."""
    if out is None:
        return None
    spy = Path(sys.executable).with_name("py-spy")
    return subprocess.Popen([str(spy), "record", "--pid", str(pid), "--subprocesses", "--threads",
                             "--format", "raw", "-r", "50", "-o", str(out)], stdout=subprocess.DEVNULL)


def prepare(data: Path, clients: int) -> list[str]:
    """One planner key per client, made in the server's database before it starts (the same call
    `huanjie keys create NAME --role planner` makes; 50 commands would take a minute)."""
    from service.settings import Settings
    from service.store import Store
    from service.store.views import Role

    store = Store.open(Settings(data=data).database)
    try:
        return [store.keys.create(f"load-{i}", Role.planner).secret for i in range(clients)]
    finally:
        store.close()


def store_county(url: str, secret: str) -> str:
    from model.generator import generate_county

    body = generate_county(TOWNSHIPS, CADRES, SEED).model_dump_json()
    r = httpx.post(f"{url}/v1/scenarios", content=body, timeout=30.0,
                   headers={"Authorization": f"Bearer {secret}", "content-type": "application/json"})
    r.raise_for_status()
    return r.json()["scenario_id"]


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from tests.server import Server

    root = args.server_root or ROOT
    env = {} if args.server_root is None else {"PYTHONPATH": str(root)}
    with tempfile.TemporaryDirectory(prefix="huanjie-load-") as tmp:
        data = Path(tmp) / "data"
        secrets = prepare(data, args.clients)
        argv = [*command(args.server_root is not None), "serve", "--port", "{port}"]
        if args.workers:
            argv += ["--workers", str(args.workers)]
        with Server(argv, {"HUANJIE_DATA": str(data), **env}, cwd=root, logs=Path(tmp) / "logs") as srv:
            assert srv.proc is not None
            pid = srv.proc.pid
            scenario_id = store_county(srv.url, secrets[0])
            workers = sum(b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes() for c in children(pid))
            say(f"server {srv.url} from {root} (pid {pid}, {workers} job workers)")
            plan = [("alone", secrets[:1], args.alone), ("burst", secrets, 1)]
            if args.jobs:
                plan.append(("load", secrets, args.jobs))
            phases: dict[str, dict[str, Any]] = {}
            for name, keys, jobs in plan:
                say(f"{name}: {len(keys)} clients x {jobs} jobs (deadline {args.deadline:g} s)")
                before, load0 = cpu_of(pid), os.getloadavg()[0]
                spy = profiler(pid, args.profile) if name == "load" else None
                m = asyncio.run(phase(srv.url, keys, scenario_id, jobs, args.poll, args.deadline))
                after, load1 = cpu_of(pid), os.getloadavg()[0]
                if spy is not None:
                    spy.send_signal(signal.SIGINT)
                    spy.wait(30)
                m["cpu"] = {k: after[k] - before[k] for k in after}
                m["load_average"] = [load0, load1]
                phases[name] = m
    alone = phases["alone"]
    ratios = {f"{name}_{m}_{q}": phases[name][m][q] / alone[m][q]
              for name in phases if name != "alone"
              for m in ("submit", "result", "run") for q in ("p50", "p95")
              if phases[name][m][q] is not None and alone[m][q]}
    return {"quick": args.quick, "cores": os.cpu_count(), "townships": TOWNSHIPS, "cadres": CADRES,
            "job_settings": JOB_SETTINGS, "wait": "poll" if args.poll else f"long-poll ?wait={WAIT}",
            "poll": args.poll, "server_root": str(root), "server_workers": args.workers or "default",
            "worker_processes": workers, "deadline": args.deadline, **phases, "x_alone": ratios,
            "targets": {name: targets(phases[name]) for name in phases if name != "alone"}}


def targets(m: dict[str, Any]) -> dict[str, dict[str, Any]]:
    got = {"errors": m["errors"], "submit_p50": m["submit"]["p50"], "result_p50": m["result"]["p50"]}
    return {k: {"target": TARGETS[k], "value": v,
                "met": v is not None and (v == 0 if k == "errors" else v < TARGETS[k])}
            for k, v in got.items()}


def ms(x: float | None) -> str:
    return "-" if x is None else f"{1000 * x:.0f}"


PHASES = {"alone": "alone", "burst": "burst", "load": "closed loop"}


def row(name: str, m: dict[str, Any]) -> str:
    """One phase's line of the table."""
    jobs, cpu = max(1, m["jobs"]), m["cpu"]
    spread = {k: "/".join(ms(m[k][q]) for q in ("p50", "p95", "max")) for k in ("submit", "result")}
    short = {k: "/".join(ms(m[k][q]) for q in ("p50", "p95")) for k in ("queued", "run")}
    per_job = f"{ms(cpu['server'] / jobs)}/{ms(cpu['workers'] / jobs)}"
    load = "{:.1f}-{:.1f}".format(*m["load_average"])
    return (f"{PHASES[name]:<12} {m['clients']:>7} {m['jobs']:>5} {m['errors']:>6}"
            f" {m['jobs_per_second']:>7.1f}   {spread['submit']:>22}   {spread['result']:>25}"
            f"   {short['queued']:>18}   {short['run']:>15}"
            f"   {m['requests'] / jobs:>7.1f}   {per_job:>18}   {load:>10}")


def table(res: dict[str, Any]) -> str:
    names = [n for n in PHASES if n in res]
    settings = ", ".join(f"{k} {v}" for k, v in res["job_settings"].items())
    waiting = res["wait"] if not res["poll"] else f"a poll every {res['poll']:g} s"
    lines = [f"jobs of {res['townships']} townships x {res['cadres']} cadres ({settings}); waiting by "
             f"{waiting}; {res['cores']} cores; server workers {res['server_workers']} "
             f"({res['worker_processes']} worker processes); server from {res['server_root']}", "",
             f"{'phase':<12} {'clients':>7} {'jobs':>5} {'errors':>6} {'jobs/s':>7}"
             f"   {'submit ms p50/p95/max':>22}   {'to result ms p50/p95/max':>25}"
             f"   {'queued ms p50/p95':>18}   {'run ms p50/p95':>15}   {'req/job':>7}"
             f"   {'CPU ms/job srv/wrk':>18}   {'load avg':>10}"]
    lines += [row(name, res[name]) for name in names]
    lines += ["", "under load / alone: " + ", ".join(f"{k.replace('_', ' ')} {v:.1f}x"
                                                      for k, v in res["x_alone"].items())]
    for name in names:
        if res[name]["error_kinds"]:
            lines += [f"errors ({PHASES[name]}): " + "; ".join(res[name]["error_kinds"])]
    for name, ts in res["targets"].items():
        for k, t in ts.items():
            v = t["value"]
            shown = f"{v}" if k == "errors" else f"{ms(v)} ms"
            want = "0" if k == "errors" else f"< {ms(t['target'])} ms"
            lines.append(f"target {k} ({PHASES[name]}): {want}: {'met' if t['met'] else 'MISSED'} ({shown})")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="the burst only (no closed loop), 3 alone")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--jobs", type=int, help="jobs per client in the closed loop (default 5; 0 skips it)")
    ap.add_argument("--alone", type=int, help="jobs of the one client alone (default 10, 3 with --quick)")
    ap.add_argument("--poll", type=float, metavar="S",
                    help="poll every S seconds (the old way) instead of the long-poll ?wait=30")
    ap.add_argument("--server-root", type=Path, metavar="DIR",
                    help="run the server from this checkout (PYTHONPATH=DIR, this Python)")
    ap.add_argument("--workers", type=int, help="`huanjie serve --workers` (default: the server's)")
    ap.add_argument("--deadline", type=float, default=300.0, help="seconds a phase may take (default 300)")
    ap.add_argument("--tag", help="write load-TAG.json")
    ap.add_argument("--profile", type=Path, help="py-spy's samples of the server under load, to this file")
    args = ap.parse_args()
    args.jobs = (0 if args.quick else 5) if args.jobs is None else args.jobs
    args.alone = args.alone or (3 if args.quick else 10)
    res = measure(args)
    RESULTS.mkdir(exist_ok=True)
    name = f"load-{args.tag}" if args.tag else "load"
    out = RESULTS / (f"quick-{name}.json" if args.quick else f"{name}.json")
    out.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(res))
    print(f"\nwrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
