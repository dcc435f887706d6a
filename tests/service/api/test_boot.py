"""The worker ready handshake: a worker is given jobs only once it said it is ready, so a
worker still booting never blocks the supervisor on a scenario bigger than the pipe's buffer."""

from __future__ import annotations

import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from model.generator import generate_county
from service.jobs import supervisor
from service.jobs.worker import serve
from tests.service.api.conftest import open_service
from tests.service.api.test_jobs import submit

LONG = {"top": 30, "time_limit": 60, "workers": 1}


def serve_slowly(jobs: Connection, control: Connection) -> None:
    """A worker whose boot takes 40 s (a loaded machine's imports, exaggerated)."""
    time.sleep(40)
    serve(jobs, control)


class OneSlowWorker(supervisor.Supervisor):
    """A pool whose second worker boots slowly."""

    spawned = 0

    def _spawn(self) -> supervisor.Slot:
        self.spawned += 1
        if self.spawned != 2:
            return super()._spawn()
        with pytest.MonkeyPatch.context() as m:
            m.setattr(supervisor, "serve", serve_slowly)
            return super()._spawn()


def test_a_booting_worker_does_not_hold_up_a_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With one worker still booting and two big jobs submitted, the ready worker runs the first
    and its stop goes through; the second waits for a ready worker (the same one, once free)."""
    monkeypatch.setattr("service.api.app.Supervisor", OneSlowWorker)
    for service in open_service(tmp_path, workers=2):
        big = service.store().scenarios.create(generate_county(20, 800, 1)).scenario_id  # ~470 kB
        first, second = submit(service, big, settings=LONG), submit(service, big, settings=LONG)
        end = time.monotonic() + 20
        while service.get(f"/v1/jobs/{first['id']}").json()["state"] == "queued" and time.monotonic() < end:
            time.sleep(0.05)
        service.post(f"/v1/jobs/{first['id']}/stop")
        done = service.wait(first["id"], timeout=20)
        assert done["state"] == "stopped"
        service.post(f"/v1/jobs/{second['id']}/stop")
        assert service.wait(second["id"], timeout=20)["state"] == "stopped"
