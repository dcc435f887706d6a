"""The HTTP service under load: a real `huanjie serve` on a free loopback port and 50 clients
at once, each submitting small solves (3 townships, 80 cadres) and polling each to its end.

    python -m benchmarks.load            # 50 clients x 5 jobs, after one client alone (10 jobs)
    python -m benchmarks.load --quick    # 50 clients x 1 job, one client alone 3 jobs

It stops by itself: a fixed number of jobs and a hard deadline (a job not ended by then is
an error). The server gets a fresh HUANJIE_DATA (a temporary folder, SQLite), one planner key
per client (a client is another system; the limits per key stay the defaults) and the county,
stored through POST /v1/scenarios. Each client is an httpx.AsyncClient of its own, in one
asyncio loop of this process; per job it POSTs /v1/jobs (top 1, 1 CP-SAT worker, 10 s), GETs
/v1/jobs/{id} every `--poll` seconds until the job ends, then GETs its result.

Measured per job: submit (the POST's round trip), time to result (from before the POST until
the result is read, polling included, so up to one poll interval of it is the client's own
waiting), and from the job's record the server's own times: queued (submitted -> started) and
run (started -> finished). Errors: any answer not 2xx, a transport error, a job that did not
complete, or a result without slates. First one client alone runs its jobs one after another,
then the 50; "x alone" is each figure under load over the same figure alone, in the same run.
CPU seconds of the server, its job workers and this process are read from /proc.

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


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def command() -> list[str]:
    """The installed `huanjie` script beside this Python, else `python -m service.cli`."""
    script = Path(sys.executable).with_name("huanjie")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "service.cli"]


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

    def __init__(self, url: str, secret: str, scenario_id: str, poll: float) -> None:
        self.http = httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {secret}"},
                                      timeout=30.0)
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


async def phase(url: str, secrets: list[str], scenario_id: str, jobs: int, poll: float,
                deadline: float) -> dict[str, Any]:
    """Every client runs `jobs` jobs at once with the others; stopped at `deadline` seconds."""
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

    with tempfile.TemporaryDirectory(prefix="huanjie-load-") as tmp:
        data = Path(tmp) / "data"
        secrets = prepare(data, args.clients)
        argv = [*command(), "serve", "--port", "{port}"]
        if args.workers:
            argv += ["--workers", str(args.workers)]
        with Server(argv, {"HUANJIE_DATA": str(data)}, cwd=ROOT, logs=Path(tmp) / "logs") as srv:
            assert srv.proc is not None
            pid = srv.proc.pid
            scenario_id = store_county(srv.url, secrets[0])
            workers = sum(b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes() for c in children(pid))
            say(f"server {srv.url} (pid {pid}, {workers} job workers); one client alone, {args.alone} jobs")
            alone = asyncio.run(phase(srv.url, secrets[:1], scenario_id, args.alone, args.poll,
                                      args.deadline))
            say(f"{args.clients} clients x {args.jobs} jobs (deadline {args.deadline:g} s)")
            before, load0 = cpu_of(pid), os.getloadavg()[0]
            spy = profiler(pid, args.profile)
            crowd = asyncio.run(phase(srv.url, secrets, scenario_id, args.jobs, args.poll, args.deadline))
            after, load1 = cpu_of(pid), os.getloadavg()[0]
            if spy is not None:
                spy.send_signal(signal.SIGINT)
                spy.wait(30)
        crowd["cpu"] = {k: after[k] - before[k] for k in after}
    ratios = {f"{m}_{q}": crowd[m][q] / alone[m][q]
              for m in ("submit", "result", "run") for q in ("p50", "p95")
              if crowd[m][q] is not None and alone[m][q]}
    return {"quick": args.quick, "cores": os.cpu_count(), "townships": TOWNSHIPS, "cadres": CADRES,
            "job_settings": JOB_SETTINGS, "poll": args.poll, "server_workers": args.workers or "default",
            "worker_processes": workers, "deadline": args.deadline, "alone": alone, "load": crowd,
            "x_alone": ratios, "load_average": [load0, load1], "targets": targets(crowd)}


def targets(m: dict[str, Any]) -> dict[str, dict[str, Any]]:
    got = {"errors": m["errors"], "submit_p50": m["submit"]["p50"], "result_p50": m["result"]["p50"]}
    return {k: {"target": TARGETS[k], "value": v,
                "met": v is not None and (v == 0 if k == "errors" else v < TARGETS[k])}
            for k, v in got.items()}


def ms(x: float | None) -> str:
    return "-" if x is None else f"{1000 * x:.0f}"


def table(res: dict[str, Any]) -> str:
    load = res["load"]
    lines = [f"{load['clients']} clients x {load['jobs_each']} jobs of {res['townships']} townships "
             f"x {res['cadres']} cadres ({', '.join(f'{k} {v}' for k, v in res['job_settings'].items())}); "
             f"poll every {res['poll']:g} s; {res['cores']} cores; server workers {res['server_workers']} "
             f"({res['worker_processes']} worker processes)", "",
             f"{'phase':<12} {'jobs':>5} {'errors':>6} {'jobs/s':>7}   {'submit ms p50/p95/max':>22}   "
             f"{'to result ms p50/p95/max':>25}   {'queued ms p50/p95':>18}   {'run ms p50/p95':>15}"]
    for name in ("alone", "load"):
        m = res[name]
        lines.append(f"{name:<12} {m['jobs']:>5} {m['errors']:>6} {m['jobs_per_second']:>7.1f}   "
                     f"{'/'.join(ms(m['submit'][q]) for q in ('p50', 'p95', 'max')):>22}   "
                     f"{'/'.join(ms(m['result'][q]) for q in ('p50', 'p95', 'max')):>25}   "
                     f"{'/'.join(ms(m['queued'][q]) for q in ('p50', 'p95')):>18}   "
                     f"{'/'.join(ms(m['run'][q]) for q in ('p50', 'p95')):>15}")
    x, cpu = res["x_alone"], load["cpu"]
    lines += ["", "under load / alone: " + ", ".join(f"{k.replace('_', ' ')} {v:.1f}x" for k, v in x.items()),
              f"CPU seconds under load ({load['seconds']:.1f} s wall): server {cpu['server']:.1f}, "
              f"job workers {cpu['workers']:.1f}, this process {cpu['bench']:.1f}; "
              f"load average {res['load_average'][0]:.1f} -> {res['load_average'][1]:.1f}",
              f"per job: server {ms(cpu['server'] / load['jobs'])} ms CPU, "
              f"workers {ms(cpu['workers'] / load['jobs'])} ms CPU; "
              f"{load['requests'] / load['jobs']:.1f} requests, server "
              f"{ms(cpu['server'] / max(1, load['requests']))} ms CPU per request"]
    if load["error_kinds"]:
        lines += ["errors: " + "; ".join(load["error_kinds"])]
    for k, t in res["targets"].items():
        v = t["value"]
        shown = f"{v}" if k == "errors" else f"{ms(v)} ms"
        want = "0" if k == "errors" else f"< {ms(t['target'])} ms"
        lines.append(f"target {k}: {want}: {'met' if t['met'] else 'MISSED'} ({shown})")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1 job per client, 3 alone")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--jobs", type=int, help="jobs per client (default 5, 1 with --quick)")
    ap.add_argument("--alone", type=int, help="jobs of the one client alone (default 10, 3 with --quick)")
    ap.add_argument("--poll", type=float, default=0.25,
                    help="seconds between a client's polls (default 0.25)")
    ap.add_argument("--workers", type=int, help="`huanjie serve --workers` (default: the server's)")
    ap.add_argument("--deadline", type=float, default=300.0, help="seconds a phase may take (default 300)")
    ap.add_argument("--tag", help="write load-TAG.json")
    ap.add_argument("--profile", type=Path, help="py-spy's samples of the server under load, to this file")
    args = ap.parse_args()
    args.jobs = args.jobs or (1 if args.quick else 5)
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
