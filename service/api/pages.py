"""The web page's ground: the static files at `/` (service/web/), and the three documented calls the page
needs beyond the rest of /v1, each as usable by another system: store the bundled demo county, the
renderers' label tables, and a job's slate laid out as the staff's tables with the ids behind each row."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from model.readers import load_scenario_folder
from model.reasons import Reason
from service.api.auth import Planner, Viewer
from service.api.errors import ANSWERS, Problem
from service.api.reports import SLATE, ended_result
from service.api.representatives import attach_folder
from service.render.web import Labels, SlateView, Worded, labels, slate_view, worded
from service.store.views import MAX_INT, VersionInfo

router = APIRouter(responses=ANSWERS)
WEB = Path(str(files("service.web")))
DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo-county"
"""The demo county of the source tree (an editable install, a checkout); a wheel does not carry it."""


def install(app: FastAPI) -> None:
    """The page at `/`, its scripts and styles under `/web/`."""
    app.mount("/web", StaticFiles(directory=WEB), name="web")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB / "index.html", media_type="text/html; charset=utf-8")


@router.post("/v1/scenarios/demo", status_code=201, response_model=VersionInfo, tags=["scenarios"],
             responses={404: {"model": Problem, "description": "this install has no demo county"}},
             summary="store the bundled demo county as a new scenario")
async def store_demo(request: Request, by: Planner) -> VersionInfo:
    if not (DEMO / "scenario.yaml").is_file():
        raise HTTPException(404, f"no demo county at {DEMO} (it comes with the source tree, not the wheel)")
    sc = await run_in_threadpool(load_scenario_folder, DEMO)
    return await attach_folder(request, await run_in_threadpool(request.app.state.store.scenarios.create, sc,
                                                                by=by.id), DEMO, sc, by)  # and its membership


@router.get("/v1/labels", response_model=Labels, tags=["rules"],
            summary="the Chinese words of the codes: 变动, score terms, solve statuses")
def label_tables(_: Viewer) -> Labels:
    return labels()


@router.get("/v1/jobs/{job_id}/view", response_model=SlateView, tags=["jobs"], responses=SLATE,
            summary="an ended job's slate as the staff's tables: each team (with ids) and 退出名单")
async def view(request: Request, job_id: str, _: Viewer,
               slate: int = Query(1, ge=1, le=1000, description="1 = the best")) -> SlateView:
    sc, result = await ended_result(request, job_id, slate - 1, "its tables come")
    return await run_in_threadpool(slate_view, sc, result, slate - 1)


class WordsRequest(BaseModel):
    """Reasons of an answer (why-not's, recommend's) to be worded for the scenario they are about."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"scenario_id": "s000000000000", "reasons": [{"code": "removed", "args": {}}]}]})

    scenario_id: str
    version: int | None = Field(None, ge=1, le=MAX_INT)
    reasons: list[Reason] = Field(max_length=1000)


@router.post("/v1/words", response_model=Worded, tags=["rules"],
             responses={404: {"model": Problem, "description": "no such scenario or version"}},
             summary="reasons worded as the staff read them (the CLI's sentences), for a page")
async def words(request: Request, body: WordsRequest, _: Viewer) -> Worded:
    _, sc = await run_in_threadpool(request.app.state.store.scenarios.resolve, body.scenario_id, body.version)
    return worded(sc, body.reasons)
