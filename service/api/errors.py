"""Error answers, as data: every 4xx body is one of these models, so a client reads
the same fields whatever went wrong. A 5xx is a bug; its body says only that, with
an id to find it in the log."""

from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from model.errors import InputError, InputErrors
from service.store import NotFound

log = logging.getLogger("huanjie.api")


class Located(BaseModel):
    """One input error, located as the CLI locates it: file, row, field path and value."""

    model_config = ConfigDict(extra="forbid")

    message: str
    field: str = ""
    value: str = ""
    file: str = ""
    row: int | None = None


class BadInput(BaseModel):
    """422: every error of the request found in one pass; nothing was stored or run."""

    error: str = "bad input"
    errors: list[Located]


class OverLimit(BaseModel):
    """413 or 429: a configured bound (`limit`, a field of the service's Limits) was passed."""

    error: str
    limit: str
    value: float
    max: float


class Problem(BaseModel):
    """Any other 4xx (401, 403, 404, 409), or a 500 with the `incident` id of its log entry."""

    error: str
    incident: str | None = Field(None, description="on a 500 only: the id of the log entry")


class LimitExceeded(Exception):
    def __init__(self, status: int, message: str, limit: str, value: float, most: float) -> None:
        super().__init__(message)
        self.status, self.body = status, OverLimit(error=message, limit=limit, value=value, max=most)


def located(errors: list[InputError]) -> BadInput:
    return BadInput(errors=[Located(message=e.message, field=e.field, value=e.value, file=e.file, row=e.row)
                            for e in errors])


def field_path(loc: tuple) -> str:
    """('body', 'settings', 'top') -> 'settings.top'; list indices as [i]."""
    out = ""
    for part in loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


ANSWERS = {
    401: {"model": Problem, "description": "no key, or a key that is unknown or revoked"},
    403: {"model": Problem, "description": "the key's role may not do this"},
    422: {"model": BadInput, "description": "bad input, every error located"},
}


def install(app: FastAPI) -> None:
    @app.exception_handler(InputErrors)
    async def _input(_r: Request, e: InputErrors) -> JSONResponse:
        return JSONResponse(located(e.errors).model_dump(), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _validation(_r: Request, e: RequestValidationError) -> JSONResponse:
        items = [Located(message=x.get("msg", "invalid"), field=field_path(tuple(x.get("loc", ()))),
                         value=_short(x.get("input"))) for x in e.errors()]
        return JSONResponse(BadInput(errors=items).model_dump(), status_code=422)

    @app.exception_handler(NotFound)
    async def _missing(_r: Request, e: NotFound) -> JSONResponse:
        return JSONResponse(Problem(error=str(e)).model_dump(exclude_none=True), status_code=404)

    @app.exception_handler(LimitExceeded)
    async def _limit(_r: Request, e: LimitExceeded) -> JSONResponse:
        return JSONResponse(e.body.model_dump(), status_code=e.status)

    @app.exception_handler(HTTPException)
    async def _http(_r: Request, e: HTTPException) -> JSONResponse:
        return JSONResponse(Problem(error=str(e.detail)).model_dump(exclude_none=True),
                            status_code=e.status_code, headers=e.headers)

    @app.exception_handler(Exception)
    async def _bug(r: Request, e: Exception) -> JSONResponse:
        incident = uuid.uuid4().hex[:12]
        log.error("incident %s: %s %s raised %s", incident, r.method, r.url.path, type(e).__name__,
                  exc_info=(type(e), e, e.__traceback__))
        return JSONResponse(Problem(error="internal error (a bug); see the server log", incident=incident)
                            .model_dump(), status_code=500)


def _short(value: object) -> str:
    """A rejected value as text, cut short (a request may paste a whole county)."""
    if value is None or isinstance(value, dict | list):
        return ""
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "..."
