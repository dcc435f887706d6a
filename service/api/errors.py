"""Error answers, as data: every 4xx body is one of these models, so a client reads
the same fields whatever went wrong. A 5xx is a bug; its body says only that, with
an id to find it in the log."""

from __future__ import annotations

import logging
import uuid
from typing import Any, get_args

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from model.errors import InputError, InputErrors
from service.calls import message_of
from service.store import NotFound
from solver.memory import MemoryBoundExceeded

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
    async def _validation(r: Request, e: RequestValidationError) -> JSONResponse:
        body = body_model(r)
        items = [not_json(x) if x.get("type") == "json_invalid" else
                 Located(message=worded(x, body), field=field_path(tuple(x.get("loc", ()))),
                         value=_short(x.get("input"))) for x in e.errors()]
        return JSONResponse(BadInput(errors=items).model_dump(), status_code=422)

    @app.exception_handler(NotFound)
    async def _missing(_r: Request, e: NotFound) -> JSONResponse:
        return JSONResponse(Problem(error=str(e)).model_dump(exclude_none=True), status_code=404)

    @app.exception_handler(LimitExceeded)
    async def _limit(_r: Request, e: LimitExceeded) -> JSONResponse:
        return JSONResponse(e.body.model_dump(), status_code=e.status)

    @app.exception_handler(MemoryBoundExceeded)
    async def _memory(_r: Request, e: MemoryBoundExceeded) -> JSONResponse:
        mb = round(e.estimate.megabytes)
        return JSONResponse(OverLimit(
            error=f"the solve needs about {mb} MB, above the bound of {e.bound_mb:g} MB (max_memory_mb); "
                  "solve fewer townships per run, use a smaller pool, or raise max_memory_mb",
            limit="max_memory_mb", value=mb, max=e.bound_mb).model_dump(), status_code=413)

    @app.exception_handler(HTTPException)  # Starlette's (404 and 405 of no route, too), FastAPI's subclass
    async def _http(_r: Request, e: HTTPException) -> JSONResponse:
        if e.status_code == 400:  # a body FastAPI or Starlette could not parse (not UTF-8, a broken form)
            bad = BadInput(errors=[Located(message=f"{e.detail}: send JSON (UTF-8), YAML or a multipart "
                                                   "form as the operation's body says", field="body")])
            return JSONResponse(bad.model_dump(), status_code=422)
        return JSONResponse(Problem(error=str(e.detail)).model_dump(exclude_none=True),
                            status_code=e.status_code, headers=e.headers)

    @app.exception_handler(Exception)
    async def _bug(r: Request, e: Exception) -> JSONResponse:
        incident = uuid.uuid4().hex[:12]
        log.error("incident %s: %s %s raised %s", incident, r.method, r.url.path, type(e).__name__,
                  exc_info=(type(e), e, e.__traceback__))
        return JSONResponse(Problem(error="internal error (a bug); see the server log", incident=incident)
                            .model_dump(), status_code=500)


def not_json(err: Any) -> Located:
    """A body that is not JSON: located at the character (pydantic's loc), not at a field."""
    at = err.get("loc", ())[-1]
    return Located(message=f"not JSON: {(err.get('ctx') or {}).get('error', 'cannot be read')} "
                           f"(at character {at})", field="body")


def body_model(request: Request) -> type[BaseModel] | None:
    """The pydantic model of the route's JSON body, if it has one."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    params = dependant.body_params if dependant is not None else []
    kind = params[0].field_info.annotation if len(params) == 1 else None
    return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None


def worded(err: Any, body: type[BaseModel] | None) -> str:
    """A request-model error in the CLI's words (service.calls.message_of), read in the innermost
    model on its path, so `settings.top: 0` says what `huanjie solve --top 0` says. Errors of the
    query, the path or a body without a model get the same words without a model's bounds."""
    loc = tuple(err.get("loc", ()))
    model, inner = (inside(body, loc[1:]) if body is not None and loc[:1] == ("body",)
                    else (BaseModel, loc[1:] if loc[:1] in (("query",), ("path",), ("header",)) else loc))
    return message_of({**err, "loc": inner}, model)


def inside(model: type[BaseModel], loc: tuple) -> tuple[type[BaseModel], tuple]:
    """The innermost model on `loc` (through Optional, lists and tuples) and the path within it."""
    while len(loc) > 1 and isinstance(loc[0], str) and loc[0] in model.model_fields:
        rest = loc[1:]
        while rest and isinstance(rest[0], int):  # an item of a list
            rest = rest[1:]
        models = models_in(model.model_fields[loc[0]].annotation)
        if not rest or len(models) != 1:
            break
        model, loc = models[0], rest
    return model, loc


def models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in models_in(arg)]


def _short(value: object) -> str:
    """A rejected value as text, cut short (a request may paste a whole county)."""
    if value is None or isinstance(value, dict | list):
        return ""
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "..."
