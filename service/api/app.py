"""The HTTP service: `create_app(settings)` is the FastAPI application `huanjie serve`
runs. Thin: every answer comes from the store (service/store/), the job pool
(service/jobs/) or the verbs the CLI calls (service/calls.py).

At start it migrates the database, recovers jobs a stopped server left running, and
starts the worker pool; at stop it queues its jobs in flight again."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.openapi.utils import get_openapi
from pydantic.json_schema import models_json_schema
from starlette.concurrency import run_in_threadpool

from model.scenario import Scenario
from service.api import (
    county,
    elections,
    errors,
    forms,
    jobs,
    meta,
    pages,
    reports,
    representatives,
    scenarios,
    verbs,
)
from service.api.bodies import WhatIfBody, example_scenario
from service.api.limits import BodySize
from service.api.waits import Waits
from service.bases import Bases
from service.jobs import Supervisor
from service.settings import Settings, software_version
from service.store import Store

log = logging.getLogger("huanjie.api")
access = logging.getLogger("huanjie.access")

QUIET = ("/healthz", "/readyz", "/metrics", "/docs", "/openapi.json", "/redoc")
"""Routes the audit log leaves out (no key, no personal data)."""
AUDITED_READS = ("/result", "/versions/", "/report")
"""GETs the audit log keeps: those that hand out personal data (a pool, a slate)."""


ROUTERS = (scenarios.router, pages.router, representatives.router, jobs.router, reports.router, county.router,
           verbs.router, elections.router, forms.router, meta.router, meta.keys, meta.health)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store.open(settings.database)
        waits = Waits()
        waits.bind(asyncio.get_running_loop())
        supervisor = Supervisor(store, settings.workers, settings.limits.running_per_key,
                                on_end=waits.ended, on_judged=waits.judged)
        supervisor.start()
        app.state.store, app.state.supervisor, app.state.waits = store, supervisor, waits
        log.info("huanjie %s serving; database %s; %d job workers", software_version(),
                 store.engine.url.render_as_string(hide_password=True), settings.workers)
        try:
            yield
        finally:
            supervisor.close()
            store.close()

    app = FastAPI(title="huanjie", version=software_version(), lifespan=lifespan,
                  summary="乡镇领导班子换届方案: scenarios, solve jobs and the verbs of the CLI, over HTTP")
    app.state.settings, app.state.bases = settings, Bases()
    app.add_middleware(BodySize, limits=settings.limits)
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    pages.install(app)

    @app.middleware("http")
    async def audit(request: Request, call_next: Any) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        path = request.url.path
        if path.startswith(QUIET):
            return response
        key = getattr(request.state, "key", None)
        access.info("%s %s %d %.0f ms key %s", request.method, logged_path(request, response.status_code),
                    response.status_code, 1000 * (time.perf_counter() - started), key.id if key else "-")
        denied = response.status_code in (401, 403)
        if request.method != "GET" or denied or any(p in path for p in AUDITED_READS):
            action = f"{request.method} {route_of(request)}"
            await run_in_threadpool(app.state.store.audit.record, key, action, target_of(request),
                                    response.status_code)
        return response

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            _, defs = models_json_schema([(Scenario, "validation"), (WhatIfBody, "validation")],
                                         ref_template="#/components/schemas/{model}")
            defs["$defs"]["Scenario"]["examples"] = [example_scenario()]
            doc.setdefault("components", {}).setdefault("schemas", {}).update(defs["$defs"])
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def logged_path(request: Request, status: int) -> str:
    """The path as the access log shows it: never the query string, and the path itself only when
    the answer says its ids named stored things (below 400); else the route's template, or "-" for
    no route, since a caller may put anything (a name) in a path. `huanjie serve` turns uvicorn's
    own access log off for this one."""
    route = request.scope.get("route")
    if route is None:
        return "-"
    return request.url.path if status < 400 else getattr(route, "path", "-")


def route_of(request: Request) -> str:
    """The route's template (/v1/jobs/{job_id}), not the path: ids go in `target`."""
    route = request.scope.get("route")
    return getattr(route, "path", request.url.path)


def target_of(request: Request) -> str | None:
    params = request.path_params
    return "/".join(str(v) for v in params.values()) or None
