"""/v1/scenarios: stored and versioned scenarios. Each change is a new version; a
what-if version names its base version and holds only its change."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from model.scenario import Scenario
from service.api import bodies
from service.api.auth import Planner, Viewer
from service.api.errors import ANSWERS, OverLimit, Problem
from service.api.limits import pool
from service.store.views import MAX_INT, KeyInfo, ScenarioInfo, VersionInfo

router = APIRouter(prefix="/v1/scenarios", tags=["scenarios"], responses=ANSWERS)
MISSING = {404: {"model": Problem, "description": "no such scenario or version"}}
STORING = {404: {"model": Problem, "description": "no such scenario, or no such base of a what-if"},
           413: {"model": OverLimit, "description": "the body or the pool is over its bound"}}


class ScenarioList(BaseModel):
    total: int
    items: list[ScenarioInfo]


class ScenarioDetail(BaseModel):
    scenario: ScenarioInfo
    versions: list[VersionInfo]


class StoredVersion(BaseModel):
    """A version as stored (`content`: the scenario, or a what-if's change), or with `resolved`
    the scenario a solve reads."""

    version: VersionInfo
    content: dict[str, Any]


async def _store(request: Request, by: KeyInfo, scenario_id: str | None) -> VersionInfo:
    content, base = await bodies.read(request)
    if isinstance(content, Scenario):
        pool(len(content.cadres), request.app.state.settings.limits.max_cadres)
    scenarios = request.app.state.store.scenarios
    if scenario_id is None:
        return await run_in_threadpool(scenarios.create, content, base=base, by=by.id)
    return await run_in_threadpool(scenarios.add_version, scenario_id, content, base=base, by=by.id)


@router.post("", status_code=201, response_model=VersionInfo, responses=STORING,
             openapi_extra=bodies.openapi_body(multipart=True),
             summary="store a new scenario (JSON or YAML; a what-if; or a folder's files)")
async def create(request: Request, by: Planner) -> VersionInfo:
    return await _store(request, by, None)


@router.get("", response_model=ScenarioList, summary="the stored scenarios, newest first")
def list_scenarios(request: Request, _: Viewer, limit: int = Query(100, ge=1, le=1000),
                   offset: int = Query(0, ge=0, le=MAX_INT)) -> ScenarioList:
    total, items = request.app.state.store.scenarios.list(limit, offset)
    return ScenarioList(total=total, items=items)


@router.get("/{scenario_id}", response_model=ScenarioDetail, responses=MISSING,
            summary="a scenario and its versions")
def read(request: Request, scenario_id: str, _: Viewer) -> ScenarioDetail:
    store = request.app.state.store.scenarios
    return ScenarioDetail(scenario=store.get(scenario_id), versions=store.versions(scenario_id))


@router.post("/{scenario_id}/versions", status_code=201, response_model=VersionInfo, responses=STORING,
             openapi_extra=bodies.openapi_body(multipart=True), summary="store the next version")
async def new_version(request: Request, scenario_id: str, by: Planner) -> VersionInfo:
    request.app.state.store.scenarios.get(scenario_id)  # 404 before reading a large body
    return await _store(request, by, scenario_id)


@router.get("/{scenario_id}/versions/{version}", response_model=StoredVersion, responses=MISSING,
            summary="a version as stored, or (resolved) as a solve reads it")
def read_version(request: Request, _: Viewer, scenario_id: str,
                 version: int = Path(ge=1, le=MAX_INT),
                 resolved: bool = Query(False, description="the scenario a solve reads (a what-if applied)")
                 ) -> StoredVersion:
    store = request.app.state.store.scenarios
    if resolved:
        info, sc = store.resolve(scenario_id, version)
        return StoredVersion(version=info, content=json.loads(sc.model_dump_json()))
    info, content = store.version(scenario_id, version)
    return StoredVersion(version=info, content=json.loads(content))
