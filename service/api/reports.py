"""`GET /v1/jobs/{job_id}/report`: an ended job's slate as the file `huanjie report` writes (the
Excel workbook, the HTML page, the PDF Chromium prints), made by the same renderers
(service/report_cli.py `render`), so the page's download and the command line's file are one thing."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from model.scenario import Scenario
from model.slate import SolveResult
from service.api.auth import Viewer
from service.api.errors import ANSWERS, Problem
from service.api.jobs import ended_text
from service.output import OutputError

router = APIRouter(prefix="/v1/jobs", tags=["jobs"], responses=ANSWERS)

MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "html": "text/html; charset=utf-8",
         "pdf": "application/pdf"}
FILE = {"schema": {"type": "string", "format": "binary"}}


SLATE = {404: {"model": Problem, "description": "no such job, result or slate"},
         409: {"model": Problem, "description": "the job has not ended"}}
"""What `ended_result` answers besides the slate."""


async def ended_result(request: Request, job_id: str, index: int, what: str) -> tuple[Scenario, SolveResult]:
    """The scenario and result of an ended job that holds slate `index` (0-based): 409 before its end,
    404 without a result or that slate. `what` names what comes at the end (the 409's message)."""
    store = request.app.state.store
    job, text = await ended_text(request, job_id, what)
    result = SolveResult.model_validate_json(text)
    if index >= len(result.slates):
        raise HTTPException(404, f"job {job_id} has {len(result.slates)} slate(s), not number {index + 1}")
    _, sc = await run_in_threadpool(store.scenarios.resolve, job.scenario.scenario_id, job.scenario.version)
    return sc, result


def disposition(stem: str, ext: str) -> str:
    """`attachment` with the name in both forms: an ASCII `filename` for old clients (every other
    character, and the quote and slashes, as `_`) and RFC 5987's UTF-8 `filename*` for the rest."""
    ascii_stem = re.sub(r"_+", "_", re.sub(r'[^A-Za-z0-9 ._()-]', "_", stem)).strip(" _.") or "report"
    return f"attachment; filename=\"{ascii_stem}.{ext}\"; filename*=UTF-8''{quote(f'{stem}.{ext}', safe='')}"


def file_answer(body: bytes | str, ext: str, stem: str) -> Response:
    """A file to download: its media type by `ext` and its name (`stem.ext`) in Content-Disposition."""
    return Response(body if isinstance(body, bytes) else body.encode(), media_type=MEDIA[ext],
                    headers={"Content-Disposition": disposition(stem, ext)})


@router.get("/{job_id}/report", response_class=Response,
            responses={200: {"description": "the report file", "content": {m: FILE for m in MEDIA.values()}},
                       **SLATE,
                       503: {"model": Problem, "description": "pdf: no Chromium to print with"}},
            summary="an ended job's slate as the report `huanjie report` writes: Excel, HTML or PDF")
async def report(request: Request, job_id: str, _: Viewer,
                 format: Literal["xlsx", "html", "pdf"] = Query("xlsx", description="the file's kind"),
                 slate: int = Query(1, ge=1, le=1000,
                                    description="which slate, 1 = the best (as /view)"),
                 ) -> Response:
    from service.report_cli import render

    if format == "pdf":
        from service.render.pdf import ChromiumMissing, chromium

        try:
            chromium()
        except ChromiumMissing as e:
            raise HTTPException(503, f"cannot print a PDF: {e}") from None
    sc, result = await ended_result(request, job_id, slate - 1, "its report comes")
    try:
        body = await run_in_threadpool(render, format, sc, result, slate - 1)
    except OutputError as e:  # Chromium ran and failed
        raise HTTPException(503, f"Chromium could not print the report: {e}") from None
    stem = f"{sc.name or sc.county.name}-{job_id}" + (f"-{slate}" if slate > 1 else "")
    return file_answer(body, format, stem)
