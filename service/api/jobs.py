"""/v1/jobs, in Timefold's shape: submit answers 202 with the job at once; the job's
record shows its state and the best found so far (objective, bound, gap per slate);
events, result, stop (the best found is kept) and rerun (the same version, settings
and seed; in deterministic mode the same slates)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from model.slate import SolveResult
from service.api.auth import Planner, Viewer
from service.api.errors import ANSWERS, OverLimit, Problem
from service.api.limits import at_most, pool, time_limit
from service.api.verbs import EXAMPLE_SCENARIO
from service.calls import SolveOptions
from service.settings import software_version
from service.store.views import MAX_INT, JobEvent, JobInfo, JobState, KeyInfo, Role

router = APIRouter(prefix="/v1/jobs", tags=["jobs"], responses=ANSWERS)
MISSING = {404: {"model": Problem, "description": "no such job"}}
LIMITS = {413: {"model": OverLimit, "description": "the pool or the time limit is over its bound"},
          429: {"model": OverLimit, "description": "the key has as many jobs waiting as it may"}}


WAIT_MAX = 30.0
"""Longest `?wait=` of a status read (seconds): a proxy's idle timeout is often 60 s."""
RECHECK = 2.0
"""Seconds between a waiting read's looks at the database: a job that another server on the same
database ran ends without this server's supervisor telling its waiters."""


class JobRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"scenario_id": EXAMPLE_SCENARIO, "settings": {"top": 3, "time_limit": 5, "seed": 0}}]})

    scenario_id: str
    version: int | None = Field(None, ge=1, le=MAX_INT, description="default: the latest version")
    settings: SolveOptions = SolveOptions()
    callback_url: AnyHttpUrl | None = Field(None, description="POSTed the job's record once, when it ends")


class JobList(BaseModel):
    total: int
    items: list[JobInfo]


def submit_job(request: Request, by: KeyInfo, scenario_id: str, version: int | None, settings: dict,
               callback_url: str | None, rerun_of: str | None = None) -> JobInfo:
    app = request.app.state
    limits = app.settings.limits
    info, sc = app.store.scenarios.resolve(scenario_id, version)
    pool(info.cadres, limits.max_cadres)
    time_limit(settings.get("time_limit", 60.0), limits.max_time_limit)
    counts = app.store.jobs.active_of(by.id)
    at_most(sum(counts.values()) + 1, limits.queued_per_key, "queued_per_key",
            "the key's jobs waiting or running, with this one", status=429)
    job = app.store.jobs.submit(info, ruleset=sc.base_ruleset.id,
                                overrides={k: v.model_dump(mode="json", exclude_defaults=True)
                                           for k, v in sc.rules.items()},
                                settings=settings, software_version=software_version(), by=by.id,
                                callback_url=callback_url, rerun_of=rerun_of)
    app.supervisor.wake()
    return job


def accepted(response: Response, job: JobInfo) -> JobInfo:
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    return job


@router.post("", status_code=202, response_model=JobInfo, responses={**LIMITS, **MISSING},
             summary="submit a solve; answers at once with the queued job")
def submit(request: Request, response: Response, body: JobRequest, by: Planner) -> JobInfo:
    job = submit_job(request, by, body.scenario_id, body.version, body.settings.model_dump(mode="json"),
                     body.callback_url and str(body.callback_url))
    return accepted(response, job)


@router.get("", response_model=JobList, summary="jobs, newest first, by state, scenario or key")
def list_jobs(request: Request, _: Viewer, state: JobState | None = None, scenario_id: str | None = None,
              submitted_by: str | None = Query(None, description="a key id"),
              limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_INT)) -> JobList:
    total, items = request.app.state.store.jobs.list(state=state, by=submitted_by, scenario_id=scenario_id,
                                                     limit=limit, offset=offset)
    return JobList(total=total, items=items)


@router.get("/{job_id}", response_model=JobInfo, responses=MISSING,
            summary="the job's state, and the best found so far with bound and gap")
async def status(request: Request, job_id: str, _: Viewer,
                 wait: float = Query(0.0, ge=0, le=WAIT_MAX, description=(
                     "long-poll: answer as soon as the job has ended, or after this many seconds "
                     "(then with its record as it is); 0 answers at once. One waiting request in place "
                     "of a poll every fraction of a second; a waiting request holds no server thread.")),
                 until: Literal["ended", "slate"] = Query("ended", description=(
                     "with `wait`: `slate` answers also when a slate is judged (its seats then show in "
                     "`progress`) after the request came"))) -> JobInfo:
    app = request.app.state
    jobs, deadline = app.store.jobs, time.monotonic() + wait
    # watched before the first read: an end between the read and the wait is not missed
    with app.waits.watch(job_id, slate=until == "slate") as ended:
        job = await run_in_threadpool(jobs.get, job_id)
        while not job.state.ended and not ended.done() and (left := deadline - time.monotonic()) > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(ended), min(left, RECHECK))
            job = await run_in_threadpool(jobs.get, job_id)
    return job


@router.get("/{job_id}/events", response_model=list[JobEvent], responses=MISSING,
            summary="the progress events (after a seq)")
def events(request: Request, _: Viewer, job_id: str,
           after: int = Query(0, ge=0, le=MAX_INT, description="events after this seq")) -> list[JobEvent]:
    return request.app.state.store.jobs.events(job_id, after)


@router.get("/{job_id}/result", response_model=SolveResult,
            responses={**MISSING, 409: {"model": Problem, "description": "the job has not ended"}},
            summary="the ended job's result: the ranked slates (what `huanjie solve --json` writes)")
async def result(request: Request, job_id: str, _: Viewer) -> Response:
    _, text = await ended_text(request, job_id, "its result comes")
    return Response(content=text, media_type="application/json")


async def ended_text(request: Request, job_id: str, what: str) -> tuple[JobInfo, str]:
    """An ended job and its result's JSON: 409 before its end (`what` comes when it ends), 404 when
    it ended without a result. Every route that reads a result (it, /report, /view) asks here."""
    jobs = request.app.state.store.jobs
    job = await run_in_threadpool(jobs.get, job_id)
    if not job.state.ended:
        raise HTTPException(409, f"job {job_id} is {job.state.value}; {what} when it ends")
    text = await run_in_threadpool(jobs.result, job_id)
    if text is None:
        raise HTTPException(404, f"job {job_id} {job.state.value} without a result: {job.reason}")
    return job, text


def _own(job: JobInfo, by: KeyInfo) -> None:
    if job.submitted_by != by.id and not by.role.allows(Role.admin):
        raise HTTPException(403, "a planner may stop only the jobs of its own key")


@router.post("/{job_id}/stop", status_code=202, response_model=JobInfo, responses=MISSING,
             summary="stop early; the job ends stopped with the best slates found")
def stop(request: Request, job_id: str, by: Planner) -> JobInfo:
    store = request.app.state.store
    _own(store.jobs.get(job_id), by)
    job = store.jobs.request_stop(job_id)
    if job.state.ended:  # a queued job ends here, not in the supervisor
        request.app.state.waits.ended(job_id)
    request.app.state.supervisor.wake()
    return job


@router.post("/{job_id}/rerun", status_code=202, response_model=JobInfo, responses={**LIMITS, **MISSING},
             summary="run a job again: the same scenario version, settings and seed")
def rerun(request: Request, response: Response, job_id: str, by: Planner) -> JobInfo:
    old = request.app.state.store.jobs.get(job_id)
    job = submit_job(request, by, old.scenario.scenario_id, old.scenario.version, old.settings,
                     old.callback_url, rerun_of=old.id)
    if job.content_hash != old.content_hash:  # a stored version never changes; this would be a bug
        raise RuntimeError(f"scenario {old.scenario} reads differently than when job {job_id} ran")
    return accepted(response, job)
