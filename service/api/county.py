"""The county view's parts beyond the teams (/view), each a documented call another system can make
too: an ended job's small charts (the structure statistics and the count rules against their targets),
its rule report with what binds each rule, and, for a job that ended without a slate, the minimal
conflict and the cheapest relaxation with the what-if that applies it."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from model.slate import SolveResult
from model.whatif import ScenarioDelta, relaxed
from service.api.auth import Viewer
from service.api.bodies import WhatIfBody
from service.api.errors import ANSWERS, Problem
from service.api.jobs import ended_text
from service.api.reports import SLATE, ended_result
from service.render.county_view import (
    NOT_APPLICABLE,
    Charts,
    Conflict,
    RuleReport,
    charts_of,
    conflict_of,
    relaxed_name,
    rule_report,
)
from service.store.views import VersionKind, VersionRef


class ConflictAnswer(Conflict):
    apply: WhatIfBody | None = None


router = APIRouter(prefix="/v1/jobs", tags=["jobs"], responses=ANSWERS)
SLATE_NUMBER = Query(1, ge=1, le=1000, description="1 = the best (as /view)")


@router.get("/{job_id}/charts", response_model=Charts, responses=SLATE,
            summary="an ended job's slate as small SVG charts: structure, each count rule against its target")
async def charts(request: Request, job_id: str, _: Viewer, slate: int = SLATE_NUMBER) -> Charts:
    sc, result = await ended_result(request, job_id, slate - 1, "its charts come")
    return await run_in_threadpool(charts_of, sc, result.slates[slate - 1])


@router.get("/{job_id}/rules", response_model=RuleReport, responses=SLATE,
            summary="an ended job's rule report: each rule's row and what binds it (broken, tight, nearest)")
async def rules(request: Request, job_id: str, _: Viewer, slate: int = SLATE_NUMBER) -> RuleReport:
    sc, result = await ended_result(request, job_id, slate - 1, "its rule report comes")
    return await run_in_threadpool(rule_report, sc, result.slates[slate - 1])


@router.get("/{job_id}/conflict", response_model=ConflictAnswer,
            responses={404: {"model": Problem, "description": "no such job or result"},
                       409: {"model": Problem, "description": "the job has not ended, or it has a slate"}},
            summary="why an ended job has no slate: the minimal conflict, the cheapest relaxation, "
                    "and the what-if applying it")
async def conflict(request: Request, job_id: str, _: Viewer) -> ConflictAnswer:
    store = request.app.state.store.scenarios
    job, text = await ended_text(request, job_id, "its explanation comes")
    result = SolveResult.model_validate_json(text)
    if result.slates:
        raise HTTPException(409, f"job {job_id} has {len(result.slates)} slate(s): nothing to explain")
    ref = job.scenario
    info, sc = await run_in_threadpool(store.resolve, ref.scenario_id, ref.version)
    out = ConflictAnswer(**dict(conflict_of(sc, result)))
    if not result.relaxations:
        return out
    if info.kind == VersionKind.what_if and info.base is not None:
        _, content = await run_in_threadpool(store.version, ref.scenario_id, ref.version)
        base, change = info.base, ScenarioDelta.model_validate_json(content)
    else:  # a stored scenario: the relaxation as a what-if on it
        base, change = VersionRef(scenario_id=ref.scenario_id, version=ref.version), ScenarioDelta()
    new = relaxed(change, result.relaxations)
    if new is None:
        out.apply_note = NOT_APPLICABLE
        return out
    body = WhatIfBody(base=base, **dict(new.model_copy(update={"name": relaxed_name(sc.name)})))
    return out.model_copy(update={"apply": body})
