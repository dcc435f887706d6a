"""A real `huanjie serve` (uvicorn on a free loopback port, tests/server.py) driven with httpx, the way
another system calls it: a key from `huanjie keys create`, a scenario folder uploaded, jobs submitted,
polled, stopped and rerun; the server stopped (SIGTERM) and crashed (SIGKILL) with a job in flight and
started again, on SQLite and on PostgreSQL; a worker process killed mid-job; a bad database refused at
start; and no name or birth date of the pool anywhere in the server's output or log."""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from model.generator import generate_county
from service.store import Store
from service.store.views import JobState
from tests.dbs import fresh_database
from tests.server import Server, free_port
from tests.service.api.conftest import DEMO

BIN = Path(sys.executable).parent / "huanjie"
HUANJIE = [str(BIN)] if BIN.exists() else [sys.executable, "-m", "service.cli"]
ENDED = ("completed", "stopped", "failed")
FOLDER_FILES = ("scenario.yaml", "townships.csv", "cadres.csv")
IN_FLIGHT = {"top": 30, "time_limit": 2, "workers": 1}
"""A job that is still running a second after it starts and ends by itself (its time limit) soon after."""


def huanjie(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI, with only the HUANJIE_* variables given (none of the developer's)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HUANJIE_")}
    return subprocess.run([*HUANJIE, *args], env={**clean, **env}, capture_output=True, text=True,
                          timeout=60)


def new_key(env: dict[str, str], role: str = "planner") -> str:
    out = huanjie(env, "keys", "create", f"test-{role}", "--role", role)
    assert out.returncode == 0, out.stderr
    return re.search(r"^secret: (\S+)$", out.stdout, re.M).group(1)


@dataclass
class Api:
    """One server, one key, and the calls the tests make."""

    server: Server
    secret: str

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.server.url, timeout=30.0,
                            headers={"Authorization": f"Bearer {self.secret}"})

    def call(self, method: str, path: str, **kw: Any) -> httpx.Response:
        with self.client() as c:
            return c.request(method, path, **kw)

    def upload(self, files: dict[str, bytes] | None = None) -> httpx.Response:
        """A scenario folder's three files as a multipart upload (the demo county's by default)."""
        files = files or {name: (DEMO / name).read_bytes() for name in FOLDER_FILES}
        return self.call("POST", "/v1/scenarios", files=[("files", (n, files[n])) for n in FOLDER_FILES])

    def demo(self) -> str:
        r = self.upload()
        assert r.status_code == 201, r.text
        return r.json()["scenario_id"]

    def submit(self, scenario: str, **settings: Any) -> dict:
        r = self.call("POST", "/v1/jobs", json={"scenario_id": scenario, "settings": settings})
        assert r.status_code == 202, r.text
        return r.json()

    def job(self, job_id: str) -> dict:
        r = self.call("GET", f"/v1/jobs/{job_id}")
        assert r.status_code == 200, r.text
        return r.json()

    def events(self, job_id: str) -> list[dict]:
        return self.call("GET", f"/v1/jobs/{job_id}/events").json()

    def result(self, job_id: str) -> dict:
        r = self.call("GET", f"/v1/jobs/{job_id}/result")
        assert r.status_code == 200, r.text
        return r.json()

    def until(self, job_id: str, done: Callable[[dict], bool], timeout: float = 60.0) -> dict:
        """Poll the job until `done(job)`; the job's record then."""
        end = time.monotonic() + timeout
        while True:
            job = self.job(job_id)
            if done(job):
                return job
            assert time.monotonic() < end, f"job {job_id} not there within {timeout} s: {job}"
            time.sleep(0.05)

    def ended(self, job_id: str, timeout: float = 60.0) -> dict:
        return self.until(job_id, lambda j: j["state"] in ENDED, timeout)


def serve(data: Path, env: dict[str, str] | None = None) -> Server:
    """One job worker: the tests find it among the server's children."""
    return Server([*HUANJIE, "serve", "--port", "{port}", "--workers", "1"],
                  {"HUANJIE_DATA": str(data), **(env or {})}, logs=data / "server")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One server on SQLite for the tests that do not restart it."""
    data = tmp_path_factory.mktemp("served")
    secret = new_key({"HUANJIE_DATA": str(data)})
    with serve(data) as server:
        yield Api(server, secret)


# ---------------------------------------------------------------------- /proc, no psutil

def stat_of(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, process group) of a live process, None if gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) "
    return fields[0], int(fields[1]), int(fields[2])


def processes() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def workers_of(server_pid: int) -> list[int]:
    """The job worker processes of a server: its children started by multiprocessing's spawn."""
    found = []
    for pid in processes():
        st = stat_of(pid)
        if st is None or st[1] != server_pid or st[0] == "Z":
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in cmdline:
            found.append(pid)
    return found


def alive_in_group(pgid: int) -> list[int]:
    """Processes of a process group that still run (a zombie has ended; only its parent's wait is due)."""
    out = []
    for pid in processes():
        st = stat_of(pid)
        if st is not None and st[2] == pgid and st[0] != "Z":
            out.append(pid)
    return out


def group_ends(pgid: int, timeout: float = 10.0) -> list[int]:
    """Wait for a process group to have no live process; what still runs after `timeout`."""
    end = time.monotonic() + timeout
    while (left := alive_in_group(pgid)) and time.monotonic() < end:
        time.sleep(0.05)
    return left


# ---------------------------------------------------------------------- submit, poll, stop, rerun

def test_a_job_is_submitted_polled_and_read(api: Api) -> None:
    """The demo county's three files uploaded, a job submitted (202 at once, queued), polled to its end
    (completed, with bound and gap), and its result read: the slates asked for."""
    demo = api.demo()
    job = api.submit(demo, top=2, time_limit=30, workers=1)
    assert job["state"] == "queued"
    done = api.ended(job["id"])
    assert (done["state"], done["status"]) == ("completed", "OPTIMAL")
    assert [p["slate"] for p in done["progress"]] == [1, 2] and done["progress"][0]["gap"] == 0.0
    result = api.result(job["id"])
    assert result["status"] == "OPTIMAL" and len(result["slates"]) == 2
    assert result["slates"][0]["score"]["objective"] == done["progress"][0]["objective"]


def test_a_long_job_stops_with_the_best_found(api: Api) -> None:
    """A job asking for 30 slates, stopped once it found one, ends `stopped` with the slates found."""
    demo = api.demo()
    job = api.submit(demo, top=30, time_limit=120, workers=1)
    api.until(job["id"], lambda j: bool(j["progress"]))
    r = api.call("POST", f"/v1/jobs/{job['id']}/stop")
    assert r.status_code == 202 and r.json()["stop_requested"]
    done = api.ended(job["id"])
    assert done["state"] == "stopped" and "stopped on request" in done["reason"]
    result = api.result(job["id"])
    assert 1 <= len(result["slates"]) < 30 and result["status"] in ("OPTIMAL", "FEASIBLE")


def test_a_deterministic_rerun_gives_the_same_slates(api: Api) -> None:
    """A rerun of a deterministic job runs the same version and settings and gives the same slates."""
    r = api.call("POST", "/v1/scenarios", content=generate_county(3, 80, 1).model_dump_json(),
                 headers={"content-type": "application/json"})
    assert r.status_code == 201, r.text
    first = api.submit(r.json()["scenario_id"], top=2, time_limit=20, workers=1, deterministic=True, seed=7)
    assert api.ended(first["id"])["state"] == "completed"
    r = api.call("POST", f"/v1/jobs/{first['id']}/rerun")
    assert r.status_code == 202, r.text
    again = api.ended(r.json()["id"])
    assert again["state"] == "completed" and again["rerun_of"] == first["id"]
    assert (again["scenario"], again["settings"]) == (first["scenario"], first["settings"])
    slates = [[s["assignments"] for s in api.result(j)["slates"]] for j in (first["id"], again["id"])]
    assert len(slates[0]) == 2 and slates[0] == slates[1]


def test_a_worker_that_dies_fails_its_job_and_the_next_runs(api: Api) -> None:
    """A job's worker process killed mid-solve: the job fails saying so, the server keeps serving, and
    the next job runs to its end on a fresh worker."""
    demo = api.demo()
    job = api.submit(demo, top=30, time_limit=60, workers=1)
    api.until(job["id"], lambda j: j["state"] == "running")
    pid = api.server.proc.pid
    before = workers_of(pid)
    assert len(before) == 1, before
    os.kill(before[0], signal.SIGKILL)
    failed = api.ended(job["id"])
    assert failed["state"] == "failed" and "the worker process ended (exit code -9)" in failed["reason"]
    assert api.call("GET", "/readyz").status_code == 200
    after = api.ended(api.submit(demo, top=1, time_limit=30, workers=1)["id"])
    assert after["state"] == "completed"
    assert workers_of(pid) and before[0] not in workers_of(pid)


# ---------------------------------------------------------------------- restarts

def stored_job(url: str, job_id: str) -> tuple[JobState, str | None]:
    """The job as the database holds it while no server runs."""
    store = Store.open(url, upgrade=False)
    try:
        job = store.jobs.get(job_id)
        return job.state, job.reason
    finally:
        store.close()


def in_flight(api: Api, scenario: str) -> tuple[dict, int]:
    """A job running on its worker; with the server's pid."""
    job = api.submit(scenario, **IN_FLIGHT)
    api.until(job["id"], lambda j: j["state"] == "running")
    return job, api.server.proc.pid


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_job_in_flight_survives_a_restart(kind: str, tmp_path: Path) -> None:
    """Stopped (SIGTERM) with a job running, the server queues it again as it shuts down; crashed
    (SIGKILL), the restarted server finds the job by its dead owner's pid and queues it again. Either
    way no process of the old server is left, and the job then runs to its end with a `recovered`
    event giving the reason."""
    with fresh_database(kind, tmp_path / "db") as url:
        env = {"HUANJIE_DATA": str(tmp_path), "HUANJIE_DB": url}
        api = Api(serve(tmp_path, {"HUANJIE_DB": url}), new_key(env))
        with api.server:
            demo = api.demo()

            job, pid = in_flight(api, demo)  # the operator's stop: SIGTERM to the server
            os.kill(pid, signal.SIGTERM)
            assert api.server.proc.wait(30) == -signal.SIGTERM
            assert group_ends(pid) == [], "a process of the stopped server still runs"
            assert stored_job(url, job["id"]) == (
                JobState.queued, "the server stopped while it ran; queued again (attempt 2)")
            api.server.start()
            done = api.ended(job["id"])
            assert done["state"] == "completed" and done["attempts"] == 2
            recovered = [e["data"] for e in api.events(job["id"]) if e["kind"] == "recovered"]
            assert recovered == [{"state": "queued",
                                  "reason": "the server stopped while it ran; queued again (attempt 2)"}]

            job, pid = in_flight(api, demo)  # a crash: SIGKILL to the server alone
            os.kill(pid, signal.SIGKILL)
            api.server.proc.wait(10)
            assert group_ends(pid) == [], "a worker of the crashed server still runs"
            assert stored_job(url, job["id"])[0] == JobState.running  # nobody said otherwise
            api.server.start()
            done = api.ended(job["id"])
            assert done["state"] == "completed" and done["attempts"] == 2
            recovered = [e["data"] for e in api.events(job["id"]) if e["kind"] == "recovered"]
            assert len(recovered) == 1 and recovered[0]["state"] == "queued"
            assert f"its server (pid {pid}) ended while it ran" in recovered[0]["reason"]


def test_ctrl_c_queues_the_job_again(tmp_path: Path) -> None:
    """Ctrl-C in a terminal signals the whole process group, workers too: the server still stops
    cleanly (exit 0, no traceback), its job in flight queued again, not failed by a worker's death."""
    url = f"sqlite:///{tmp_path / 'huanjie.db'}"
    env = {"HUANJIE_DATA": str(tmp_path), "HUANJIE_DB": url}
    api = Api(serve(tmp_path, {"HUANJIE_DB": url}), new_key(env))
    with api.server:
        job, pid = in_flight(api, api.demo())
        os.killpg(pid, signal.SIGINT)
        assert api.server.proc.wait(30) == 0
        assert group_ends(pid) == [], "a process of the stopped server still runs"
        assert stored_job(url, job["id"]) == (
            JobState.queued, "the server stopped while it ran; queued again (attempt 2)")
        assert "Traceback" not in api.server.stderr, api.server.stderr


# ---------------------------------------------------------------------- start-up

@pytest.mark.parametrize("db", ["postgresql+psycopg://nobody:hunter2@127.0.0.1:{port}/none", "nonsense:///x"])
def test_a_bad_database_stops_the_start(db: str, tmp_path: Path) -> None:
    """`huanjie serve` on a database it cannot open exits non-zero at once, naming HUANJIE_DB, with
    no traceback (and no password)."""
    out = huanjie({"HUANJIE_DATA": str(tmp_path), "HUANJIE_DB": db.format(port=free_port())},
                  "serve", "--port", str(free_port()))
    assert out.returncode == 2, out.stderr
    assert "HUANJIE_DB" in out.stderr and "cannot open the database" in out.stderr
    assert "Traceback" not in out.stderr and "hunter2" not in out.stderr


# ---------------------------------------------------------------------- personal data

def pool_of(folder: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((folder / "cadres.csv").read_text(encoding="utf-8-sig"))))


def personal(rows: list[dict[str, str]]) -> set[str]:
    """Every name and birth date of a pool: as written, in ISO form, and as a URL would carry them."""
    out: set[str] = set()
    for row in rows:
        born = row["出生日期"]
        out |= {row["姓名"], born, date.fromisoformat(born.replace("/", "-")).isoformat()}
    return out | {quote(v) for v in out}


def test_no_personal_data_in_the_logs(api: Api) -> None:
    """A whole job (upload, solve, the result, the pool read back), a bad upload whose error value is a
    cadre's name, why-not (answered, and refused for a name given as the id), and names in a query and
    a path: no name or birth date of the pool appears in the server's stderr, stdout or huanjie.log."""
    rows = pool_of(DEMO)
    demo = api.demo()
    job = api.submit(demo, top=1, time_limit=30, workers=1)
    assert api.ended(job["id"])["state"] == "completed"
    assert api.result(job["id"])["slates"]
    pool = api.call("GET", f"/v1/scenarios/{demo}/versions/1").text
    assert rows[0]["姓名"] in pool  # the pool went through the server

    name = rows[1]["姓名"]
    files = {n: (DEMO / n).read_bytes() for n in FOLDER_FILES}
    text = files["cadres.csv"].decode("utf-8-sig")
    files["cadres.csv"] = text.replace(f",{rows[0]['性别']},{rows[0]['出生日期']},",
                                       f",{name},{rows[0]['出生日期']},", 1).encode()
    bad = api.upload(files)
    assert bad.status_code == 422 and name in [e["value"] for e in bad.json()["errors"]], bad.text

    why = {"scenario_id": demo, "cadre": rows[1]["编号"], "township": "t12", "seat": "head",
           "time_limit": 20, "workers": 1}
    assert api.call("POST", "/v1/why-not", json=why).status_code == 200
    refused = api.call("POST", "/v1/why-not", json={**why, "cadre": name})
    assert refused.status_code == 422 and name in refused.text
    assert api.call("GET", "/v1/jobs", params={"scenario_id": name}).status_code == 200
    assert api.call("GET", f"/v1/scenarios/{name}").status_code == 404

    time.sleep(0.2)  # the server's last lines written
    data = Path(api.server.logs).parent
    logs = {"stderr": api.server.stderr,
            "stdout": (api.server.logs / f"stdout-{api.server.starts}.log").read_text(encoding="utf-8"),
            "huanjie.log": (data / "huanjie.log").read_text(encoding="utf-8")}
    assert "job " + job["id"] in logs["huanjie.log"]  # the log is the one written
    leaks = {where: sorted(v for v in personal(rows) if v in text) for where, text in logs.items()}
    assert leaks == {where: [] for where in logs}
