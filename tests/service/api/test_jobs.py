"""Jobs in Timefold's shape: 202 at once, progress with bound and gap, the result, stop
(keeping the best found), list filters, a callback once at the end, rerun (the same
slates in deterministic mode), and the limits of a key."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from model.generator import generate_county
from model.io import load_scenario
from model.slate import SolveResult
from service.settings import Limits
from service.store.views import Role
from tests.service.api.conftest import DEMO, Service, open_service

FAST = {"top": 1, "time_limit": 20, "workers": 1}


def submit(service: Service, scenario: str, role: Role = Role.planner, **body: object) -> dict:
    r = service.post("/v1/jobs", role, json={"scenario_id": scenario, "settings": FAST, **body})
    assert r.status_code == 202, r.text
    assert r.headers["location"] == f"/v1/jobs/{r.json()['id']}"
    return r.json()


def test_a_job_runs_and_keeps_its_record(service: Service) -> None:
    """Submit answers queued at once; the job ends completed with the solver's result, its
    events, and the record of what ran (version, hash, ruleset, settings, version, key)."""
    job = submit(service, service.small)
    assert job["state"] == "queued" and not job["has_result"]
    done = service.wait(job["id"])
    assert (done["state"], done["status"]) == ("completed", "OPTIMAL")
    assert done["progress"] and done["progress"][-1]["gap"] == 0.0
    result = SolveResult.model_validate(service.get(f"/v1/jobs/{job['id']}/result").json())
    assert result.status == "OPTIMAL" and len(result.slates) == 1
    assert done["progress"][0]["objective"] == result.slates[0].score.objective
    kinds = [e["kind"] for e in service.get(f"/v1/jobs/{job['id']}/events").json()]
    assert kinds[0] == "started" and "better_slate" in kinds and "slate_judged" in kinds
    later = service.get(f"/v1/jobs/{job['id']}/events", params={"after": 1}).json()
    assert [e["seq"] for e in later] == list(range(2, len(kinds) + 1))
    head = service.get(f"/v1/scenarios/{service.small}").json()["versions"][-1]
    assert done["scenario"] == {"scenario_id": service.small, "version": head["version"]}
    assert done["content_hash"] == head["content_hash"] and done["ruleset"] == "xx-2011"
    assert done["settings"]["time_limit"] == 20 and done["software_version"]
    assert done["submitted_by"].startswith("k") and done["started_at"] and done["finished_at"]


def test_stop_keeps_the_best_found(service: Service, demo_id: str) -> None:
    """A running job told to stop ends `stopped` with the slates found so far and an honest status."""
    job = submit(service, demo_id, settings={"top": 30, "time_limit": 120, "workers": 1})
    end = time.monotonic() + 60
    while time.monotonic() < end:
        events = service.get(f"/v1/jobs/{job['id']}/events").json()
        if any(e["kind"] == "slate_judged" for e in events):
            break
        time.sleep(0.05)
    r = service.post(f"/v1/jobs/{job['id']}/stop")
    assert r.status_code == 202 and r.json()["stop_requested"]
    done = service.wait(job["id"])
    assert done["state"] == "stopped" and "stopped on request" in done["reason"]
    result = SolveResult.model_validate(service.get(f"/v1/jobs/{job['id']}/result").json())
    assert 1 <= len(result.slates) < 30
    assert result.status in ("OPTIMAL", "FEASIBLE")


def test_a_queued_job_stops_before_it_starts(tmp_path: Path) -> None:
    """With its one worker busy, a queued job stopped ends at once, nothing run, no result."""
    for service in open_service(tmp_path, workers=1):
        demo = service.store().scenarios.create(load_scenario(DEMO)).scenario_id
        busy = submit(service, demo, settings={"top": 30, "time_limit": 60, "workers": 1})
        waiting = submit(service, service.small)
        stopped = service.post(f"/v1/jobs/{waiting['id']}/stop").json()
        assert (stopped["state"], stopped["reason"]) == ("stopped", "stopped before it started")
        assert service.get(f"/v1/jobs/{waiting['id']}/result").status_code == 404
        service.post(f"/v1/jobs/{busy['id']}/stop")
        assert service.wait(busy["id"])["state"] == "stopped"


def test_result_before_the_end_is_a_409(service: Service, demo_id: str) -> None:
    """Asking a running job for its result says it has not ended."""
    job = submit(service, demo_id, settings={"top": 30, "time_limit": 60, "workers": 1})
    r = service.get(f"/v1/jobs/{job['id']}/result")
    assert r.status_code == 409 and "its result comes when it ends" in r.json()["error"]
    service.post(f"/v1/jobs/{job['id']}/stop")
    service.wait(job["id"])


def test_list_filters(service: Service) -> None:
    """Jobs filter by state, scenario and key; the total counts all that match."""
    a = submit(service, service.small)
    service.wait(a["id"])
    keys = service.get("/v1/keys", Role.admin).json()
    planner = next(k["id"] for k in keys if k["name"] == "test-planner")
    mine = service.get("/v1/jobs", params={"submitted_by": planner, "state": "completed",
                                           "scenario_id": service.small}).json()
    assert a["id"] in {j["id"] for j in mine["items"]} and mine["total"] == len(mine["items"])
    assert all(j["state"] == "completed" and j["scenario"]["scenario_id"] == service.small
               for j in mine["items"])
    none = service.get("/v1/jobs", params={"state": "failed", "scenario_id": service.small}).json()
    assert none == {"total": 0, "items": []}
    assert service.get("/v1/jobs", params={"state": "nope"}).status_code == 422


class Hook(BaseHTTPRequestHandler):
    calls: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        Hook.calls.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_a: object) -> None:
        pass


def test_the_callback_is_called_once_at_the_end(service: Service) -> None:
    """A job's callback_url gets one POST of the ended job's record; the outcome is kept."""
    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/done"
        job = submit(service, service.small, callback_url=url)
        service.wait(job["id"])
        end = time.monotonic() + 10
        while time.monotonic() < end and not service.get(f"/v1/jobs/{job['id']}").json()["callback_outcome"]:
            time.sleep(0.05)
        assert service.get(f"/v1/jobs/{job['id']}").json()["callback_outcome"] == "HTTP 204"
        time.sleep(0.3)
        assert [c["id"] for c in Hook.calls] == [job["id"]] and Hook.calls[0]["state"] == "completed"
    finally:
        server.shutdown()


def test_rerun_in_deterministic_mode_gives_the_same_slates(service: Service) -> None:
    """A rerun uses the same version, settings and seed; deterministic runs give equal slates."""
    settings = {"top": 2, "time_limit": 20, "workers": 1, "seed": 7, "deterministic": True}
    first = submit(service, service.small, settings=settings)
    service.wait(first["id"])
    r = service.post(f"/v1/jobs/{first['id']}/rerun")
    assert r.status_code == 202
    second = r.json()
    assert second["rerun_of"] == first["id"] and second["settings"] == service.get(
        f"/v1/jobs/{first['id']}").json()["settings"]
    service.wait(second["id"])
    a, b = (SolveResult.model_validate(service.get(f"/v1/jobs/{j['id']}/result").json())
            for j in (first, second))
    assert [s.assignments for s in a.slates] == [s.assignments for s in b.slates]
    assert second["content_hash"] == first["content_hash"]


def test_missing_and_bad_jobs(service: Service) -> None:
    """Unknown ids are 404; a bad body is a 422 naming the field; a planner stops only its own jobs."""
    assert service.get("/v1/jobs/j-none").status_code == 404
    assert service.post("/v1/jobs", json={"scenario_id": "s-none"}).status_code == 404
    r = service.post("/v1/jobs", json={"scenario_id": service.small, "settings": {"top": 0}})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "settings.top"
    job = submit(service, service.small, Role.admin)
    assert service.post(f"/v1/jobs/{job['id']}/stop", Role.planner).status_code == 403
    service.wait(job["id"])


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    limits = Limits(max_cadres=50, max_time_limit=30, queued_per_key=2, sync_max_cadres=10,
                    sync_max_seconds=5, max_request_bytes=200_000)
    yield from open_service(tmp_path_factory.mktemp("tight"), limits=limits)


def test_limits_answer_413_and_429_naming_the_bound(tight: Service) -> None:
    """Over a configured bound the answer names it: pool, time limit, jobs per key, body size."""
    r = tight.post("/v1/jobs", json={"scenario_id": tight.small})
    assert r.status_code == 413 and r.json()["limit"] == "max_cadres" and r.json()["max"] == 50
    r = tight.post("/v1/solve", json={"scenario_id": tight.small, "time_limit": 60})
    assert r.status_code == 413 and r.json()["limit"] == "sync_max_seconds"
    r = tight.post("/v1/solve", json={"scenario_id": tight.small, "time_limit": 5})
    assert r.status_code == 413 and r.json()["limit"] == "sync_max_cadres"
    r = tight.post("/v1/scenarios", content=b"x" * 300_000, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["limit"] == "max_request_bytes"
    tiny = tight.store().scenarios.create(generate_county(2, 40, 1)).scenario_id
    slow = {"top": 30, "time_limit": 30, "workers": 1}
    first = [tight.post("/v1/jobs", json={"scenario_id": tiny, "settings": slow}) for _ in range(2)]
    assert [r.status_code for r in first] == [202, 202]
    r = tight.post("/v1/jobs", json={"scenario_id": tiny, "settings": slow})
    assert r.status_code == 429 and r.json()["limit"] == "queued_per_key" and r.json()["max"] == 2
    assert tight.post("/v1/jobs", Role.admin, json={"scenario_id": tiny, "settings": FAST}).status_code == 202
    for j in first:
        tight.post(f"/v1/jobs/{j.json()['id']}/stop")


def test_a_runaway_worker_is_killed_and_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A job running past its time limit plus the grace has its worker killed: the job fails
    with the reason, and the next job runs on a fresh worker."""
    from service.jobs import supervisor

    monkeypatch.setattr(supervisor, "GRACE", -59.0)  # a 60 s job is a runaway after 1 s
    for service in open_service(tmp_path, workers=1):
        demo = service.store().scenarios.create(load_scenario(DEMO)).scenario_id
        job = submit(service, demo, settings={"top": 30, "time_limit": 60, "workers": 1})
        done = service.wait(job["id"])
        assert done["state"] == "failed" and "past its time limit of 60" in done["reason"]
        assert "worker was killed" in done["reason"]
        monkeypatch.setattr(supervisor, "GRACE", 10.0)
        after = service.wait(submit(service, service.small)["id"])
        assert (after["state"], after["status"]) == ("completed", "OPTIMAL")


def test_the_slates_found_show_before_the_job_ends(service: Service, demo_id: str) -> None:
    """While a job still searches for later slates, its record already holds the seats of the
    ones judged, with objective, bound and gap; the result's slates are those seats."""
    job = submit(service, demo_id, settings={"top": 30, "time_limit": 60, "workers": 1})
    end = time.monotonic() + 60
    seen: dict = {}
    while time.monotonic() < end:
        seen = service.get(f"/v1/jobs/{job['id']}").json()
        shown = bool(seen["progress"]) and seen["progress"][0]["assignments"] is not None
        if shown or seen["state"] not in ("queued", "running"):
            break
        time.sleep(0.05)
    assert seen["state"] == "running", "the job ended before a slate was shown"
    first = seen["progress"][0]
    assert first["slate"] == 1 and len(first["assignments"]) == 90 and first["objective"] is not None
    service.post(f"/v1/jobs/{job['id']}/stop")
    service.wait(job["id"])
    result = SolveResult.model_validate(service.get(f"/v1/jobs/{job['id']}/result").json())
    seats = {(a["township"], a["seat"], a["cadre"]) for a in first["assignments"]}
    assert any({(a.township, a.seat, a.cadre) for a in s.assignments} == seats for s in result.slates)
    listed = service.get("/v1/jobs", params={"scenario_id": demo_id}).json()["items"]
    assert all(p["assignments"] is None for j in listed for p in j["progress"])  # a list stays light
    assert next(p for j in listed if j["id"] == job["id"] for p in j["progress"])["judged"]
