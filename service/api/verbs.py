"""The CLI's verbs over HTTP: POST /v1/solve (synchronous, small pools only),
validate, explain, why-not, recommend and diff. Each body is the verb's request of
service/calls.py plus the stored scenario it reads; each answer is the same model
the CLI's `--json` writes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from model.scenario import Scenario
from model.slate import SolveResult
from service import calls
from service.api.auth import Planner, Viewer
from service.api.errors import ANSWERS, OverLimit, Problem
from service.api.limits import pool, time_limit
from service.bases import Bases
from service.store.views import MAX_INT, VersionRef
from solver.compare import Comparison
from solver.forced import Forced, Recommendation
from solver.stop import MaxRuntime

router = APIRouter(prefix="/v1", tags=["verbs"], responses={
    **ANSWERS, 404: {"model": Problem, "description": "no such scenario or version"},
    413: {"model": OverLimit, "description": "the pool, the time limit or the request's max_memory_mb "
                                            "is over its bound"}})

EXAMPLE_SCENARIO = "s000000000000"
"""The scenario id in the examples: the tests store the demo county and post each example with its id."""
M = TypeVar("M", bound=BaseModel)
RUNNING = threading.BoundedSemaphore(2)
"""Verbs solving at once in the server process (the rest wait): jobs are the way to run many."""


def on_scenario(request: type[M]) -> type[M]:
    """`request` with the stored scenario it reads (`scenario_id`, `version`) added."""
    examples = (request.model_config.get("json_schema_extra") or {}).get("examples", [{}])
    name = request.__name__.removesuffix("Request").removesuffix("Options") + "Body"
    namespace = {
        "__doc__": request.__doc__, "__module__": __name__,
        "__annotations__": {"scenario_id": str, "version": int | None},
        "scenario_id": Field(description="a stored scenario"),
        "version": Field(None, ge=1, le=MAX_INT, description="default: the latest version"),
        "model_config": ConfigDict(json_schema_extra={
            "examples": [{"scenario_id": EXAMPLE_SCENARIO, **e} for e in examples]}),
    }
    return type(name, (request,), namespace)


def fields_of(body: BaseModel, request: type[M]) -> M:
    return request.model_validate(body.model_dump(exclude={"scenario_id", "version"}))


def resolve(req: Request, scenario_id: str, version: int | None) -> Scenario:
    return req.app.state.store.scenarios.resolve(scenario_id, version)[1]


async def run(fn: Callable[..., Any], *args: Any) -> Any:
    def bounded() -> Any:
        with RUNNING:
            return fn(*args)

    return await run_in_threadpool(bounded)


SolveBody = on_scenario(calls.SolveOptions)
ValidateBody = on_scenario(calls.ValidateRequest)
ExplainBody = on_scenario(calls.ExplainRequest)
WhyNotBody = on_scenario(calls.WhyNotRequest)
RecommendBody = on_scenario(calls.RecommendRequest)


class DiffBody(calls.DiffRequest):
    """A what-if (`other`) against its base: both stored versions, both solved."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"base": {"scenario_id": EXAMPLE_SCENARIO, "version": 1},
         "other": {"scenario_id": EXAMPLE_SCENARIO, "version": 2}, "time_limit": 10, "workers": 2}]})

    base: VersionRef
    other: VersionRef


def sync_seconds(request: Request, body: BaseModel, seconds: float) -> float:
    """A call answered at once: a default time limit (the CLI's, meant for a job) capped at
    sync_max_seconds; one the body gives past it is a 413."""
    most = request.app.state.settings.limits.sync_max_seconds
    if "time_limit" not in body.model_fields_set:
        seconds = min(seconds, most)
    time_limit(seconds, most, "sync_max_seconds")
    return seconds


@router.post("/solve", response_model=SolveResult,
             summary="solve a small pool now (larger ones: POST /v1/jobs)")
async def solve(request: Request, body: SolveBody, _: Planner) -> SolveResult:
    limits = request.app.state.settings.limits
    opts = fields_of(body, calls.SolveOptions)
    opts = opts.model_copy(update={"time_limit": sync_seconds(request, body, opts.time_limit)})
    sc = await run_in_threadpool(resolve, request, body.scenario_id, body.version)
    pool(sc.pool_size, limits.sync_max_cadres, "sync_max_cadres")
    return await run(calls.solve_call, sc, opts)


@router.post("/validate", response_model=calls.JudgedSlate, summary="judge a slate against every rule")
async def validate(request: Request, body: ValidateBody, _: Viewer) -> calls.JudgedSlate:
    sc = await run_in_threadpool(resolve, request, body.scenario_id, body.version)
    return await run(calls.validate_call, sc, fields_of(body, calls.ValidateRequest))


def _budget(request: Request, seconds: float) -> None:
    time_limit(seconds, request.app.state.settings.limits.verb_max_seconds, "verb_max_seconds")


async def on_stored(request: Request, body: Any, model: type[M], call: Callable[..., Any],
                    warm: bool = False) -> Any:
    """A verb that solves: its time within the verbs' bound, on the stored scenario the body
    names; `warm`: on that scenario's base solved once and kept (service/bases.py)."""
    _budget(request, body.time_limit)
    scenarios = request.app.state.store.scenarios
    info, sc = await run_in_threadpool(scenarios.resolve, body.scenario_id, body.version)
    req = fields_of(body, model)
    if not warm:
        return await run(call, sc, req)
    return await run(on_base, request.app.state.bases, info.content_hash, sc, req, call)


def on_base(bases: Bases, key: str, sc: Scenario, req: Any, call: Callable[..., Any]) -> Any:
    with bases.hold(key, sc, req.workers, MaxRuntime(req.time_limit)) as prepared:
        return call(sc, req, prepared=prepared)


@router.post("/explain", response_model=calls.ExplainAnswer,
             summary="a slate's score by term, township and rule")
async def explain(request: Request, body: ExplainBody, _: Planner) -> calls.ExplainAnswer:
    return await on_stored(request, body, calls.ExplainRequest, calls.explain_call)


@router.post("/why-not", response_model=Forced, summary="why a cadre does not hold a seat")
async def why_not(request: Request, body: WhyNotBody, _: Planner) -> Forced:
    return await on_stored(request, body, calls.WhyNotRequest, calls.why_not_call, warm=True)


@router.post("/recommend", response_model=Recommendation, summary="a seat's candidates, ranked by their cost")
async def recommend(request: Request, body: RecommendBody, _: Planner) -> Recommendation:
    return await on_stored(request, body, calls.RecommendRequest, calls.recommend_call, warm=True)


@router.post("/diff", response_model=Comparison, summary="solve a base and a what-if and say what changes")
async def diff(request: Request, body: DiffBody, _: Planner) -> Comparison:
    _budget(request, body.time_limit)
    scenarios = request.app.state.store.scenarios
    info, base = await run_in_threadpool(scenarios.resolve, body.base.scenario_id, body.base.version)
    other = await run_in_threadpool(resolve, request, body.other.scenario_id, body.other.version)
    req = calls.DiffRequest(time_limit=body.time_limit, workers=body.workers)
    return await run(on_base, request.app.state.bases, info.content_hash, base, req,
                     lambda sc, r, prepared: calls.diff_call(sc, other, r, prepared=prepared))
