"""One running service for the API tests: the FastAPI app under TestClient (its lifespan
runs: database migrated, job workers started), a key of each role, and a small stored
county (3 townships, solved in about 0.1 s) and the demo county."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from model.generator import generate_county
from model.io import load_scenario
from model.scenario import Scenario
from service.api.app import create_app
from service.settings import Limits, Settings
from service.store import Store
from service.store.views import Role

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "scenarios" / "demo-county"


@dataclass
class Service:
    client: TestClient
    keys: dict[Role, str]
    small: str
    """The id of the stored small county."""
    data: Path

    def headers(self, role: Role = Role.planner) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}

    def get(self, path: str, role: Role = Role.viewer, **kw: Any) -> httpx.Response:
        return self.client.get(path, headers={**self.headers(role), **kw.pop("headers", {})}, **kw)

    def post(self, path: str, role: Role = Role.planner, **kw: Any) -> httpx.Response:
        return self.client.post(path, headers={**self.headers(role), **kw.pop("headers", {})}, **kw)

    def store(self) -> Store:
        return self.client.app.state.store

    def wait(self, job_id: str, timeout: float = 60.0) -> dict:
        """Poll a job until it ends; its record."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            job = self.get(f"/v1/jobs/{job_id}").json()
            if job["state"] in ("completed", "stopped", "failed"):
                return job
            time.sleep(0.05)
        raise AssertionError(f"job {job_id} did not end within {timeout} s: {job}")


def small_county() -> Scenario:
    return generate_county(3, 80, 1)


def open_service(data: Path, limits: Limits | None = None, workers: int = 1) -> Iterator[Service]:
    settings = Settings(data=data, workers=workers, limits=limits or Limits())
    with TestClient(create_app(settings)) as client:
        store = client.app.state.store
        keys = {role: store.keys.create(f"test-{role.value}", role).secret for role in Role}
        small = store.scenarios.create(small_county()).scenario_id
        yield Service(client, keys, small, data)


@pytest.fixture(scope="package")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    yield from open_service(tmp_path_factory.mktemp("service"), workers=2)


@pytest.fixture(scope="package")
def demo_id(service: Service) -> str:
    return service.store().scenarios.create(load_scenario(DEMO)).scenario_id
