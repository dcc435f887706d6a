"""Long-poll: `GET /v1/jobs/{id}?wait=S` answers when the job ends or after S seconds, and
its waiters park on the event loop, not on threadpool threads."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from model.io import load_scenario
from tests.service.api.conftest import DEMO, Service, open_service
from tests.service.api.test_jobs import submit

LONG = {"top": 30, "time_limit": 60, "workers": 1}


def test_a_wait_answers_when_the_job_ends(service: Service) -> None:
    """A wait of 30 s on a small job answers with its end, long before the 30 s."""
    job = submit(service, service.small)
    t0 = time.monotonic()
    r = service.get(f"/v1/jobs/{job['id']}", params={"wait": 30})
    assert r.status_code == 200 and r.json()["state"] == "completed"
    assert time.monotonic() - t0 < 20


def test_a_wait_answers_after_its_seconds_when_the_job_runs_on(service: Service, demo_id: str) -> None:
    """A wait of 1 s on a long job answers after that second with the job still going."""
    job = submit(service, demo_id, settings=LONG)
    t0 = time.monotonic()
    r = service.get(f"/v1/jobs/{job['id']}", params={"wait": 1})
    assert r.status_code == 200 and r.json()["state"] in ("queued", "running")
    assert time.monotonic() - t0 >= 1
    service.post(f"/v1/jobs/{job['id']}/stop")
    assert service.get(f"/v1/jobs/{job['id']}", params={"wait": 30}).json()["state"] == "stopped"


def test_a_wait_until_slate_answers_when_a_slate_is_judged(service: Service, demo_id: str) -> None:
    """With `until=slate`, a wait on a long job answers once its first slate is judged, the job
    still running and that slate's seats in its record."""
    job = submit(service, demo_id, settings=LONG)
    seen = service.get(f"/v1/jobs/{job['id']}", params={"wait": 30, "until": "slate"}).json()
    assert seen["state"] == "running"
    assert seen["progress"][0]["judged"] and seen["progress"][0]["assignments"]
    service.post(f"/v1/jobs/{job['id']}/stop")
    service.wait(job["id"])


def test_the_wait_is_bounded(service: Service) -> None:
    """A wait below 0 or above 30 s is a 422 naming the parameter."""
    for bad in (-1, 31):
        r = service.get(f"/v1/jobs/{service.small}", params={"wait": bad})
        assert r.status_code == 422 and r.json()["errors"][0]["field"].endswith("wait")


def test_fifty_waits_hold_no_threads(tmp_path: Path) -> None:
    """50 requests waiting on a queued job at once (more than the threadpool's 40 threads) all
    park; a plain read still answers meanwhile; a stop of the queued job wakes them all."""
    for service in open_service(tmp_path, workers=1):
        demo = service.store().scenarios.create(load_scenario(DEMO)).scenario_id
        busy = submit(service, demo, settings=LONG)
        queued = submit(service, service.small)
        states: list[str] = []

        def wait(service: Service, job_id: str, states: list[str]) -> None:
            states.append(service.get(f"/v1/jobs/{job_id}", params={"wait": 30}).json()["state"])

        threads = [threading.Thread(target=wait, args=(service, queued["id"], states)) for _ in range(50)]
        for t in threads:
            t.start()
        waits = service.client.app.state.waits
        end = time.monotonic() + 20
        while len(waits) < 50 and time.monotonic() < end:
            time.sleep(0.05)
        assert len(waits) == 50, f"only {len(waits)} of 50 waits parked"
        assert service.get(f"/v1/jobs/{busy['id']}").json()["state"] in ("queued", "running")
        assert not states
        service.post(f"/v1/jobs/{queued['id']}/stop")
        for t in threads:
            t.join(timeout=20)
        assert states == ["stopped"] * 50 and len(waits) == 0
        service.post(f"/v1/jobs/{busy['id']}/stop")
        service.wait(busy["id"])
