"""Rulesets and their rules (the same table as `huanjie rules`), health, readiness,
metrics, and the admin's keys and audit log."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from model.ruleset import Ruleset, load_preset, preset_ids
from service.api.auth import Admin, Viewer
from service.api.errors import ANSWERS, Problem
from service.render.rules_table import TableRow, table_rows
from service.store.views import AuditEntry, KeyInfo, NewKey, Role

router = APIRouter(tags=["rules"], responses=ANSWERS)
health = APIRouter(tags=["health"])
keys = APIRouter(prefix="/v1/keys", tags=["keys"], responses=ANSWERS)


class RulesetSummary(BaseModel):
    id: str
    title: str
    documents: list[str]
    rules: int


@router.get("/v1/rulesets", response_model=list[RulesetSummary], summary="the presets")
def rulesets(_: Viewer) -> list[RulesetSummary]:
    return [RulesetSummary(id=p, title=(rs := load_preset(p)).title, documents=list(rs.documents),
                           rules=len(rs.rules)) for p in preset_ids()]


def _preset(ruleset_id: str) -> Ruleset:
    if ruleset_id not in preset_ids():
        raise HTTPException(404, f"no ruleset '{ruleset_id}'; use one of {preset_ids()}")
    return load_preset(ruleset_id)


@router.get("/v1/rulesets/{ruleset_id}", response_model=Ruleset,
            responses={404: {"model": Problem, "description": "no such preset"}},
            summary="a preset whole: teams, rules with parameters, weights")
def ruleset(ruleset_id: str, _: Viewer) -> Ruleset:
    return _preset(ruleset_id)


@router.get("/v1/rules", response_model=list[TableRow],
            responses={404: {"model": Problem, "description": "no such preset"}},
            summary="the rules table: each catalog row and the rule in force in each preset")
def rules(_: Viewer, preset: str | None = Query(None, description="only this preset")) -> list[TableRow]:
    if preset is not None:
        _preset(preset)
    return table_rows([preset] if preset else preset_ids())


class Health(BaseModel):
    status: str


@health.get("/healthz", response_model=Health, summary="the process answers")
def healthz() -> Health:
    return Health(status="ok")


@health.get("/readyz", response_model=Health, summary="the database answers and the job pool runs",
            responses={503: {"model": Health}})
def readyz(request: Request) -> Health | JSONResponse:
    state = request.app.state
    if state.store.ready() and state.supervisor.alive():
        return Health(status="ready")
    return JSONResponse(Health(status="not ready").model_dump(), status_code=503)


@health.get("/metrics", response_class=PlainTextResponse, summary="Prometheus text format")
def metrics(request: Request) -> PlainTextResponse:
    from service.api.metrics import exposition

    return PlainTextResponse(exposition(request.app.state.store),
                             media_type="text/plain; version=0.0.4; charset=utf-8")


class KeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid",
                              json_schema_extra={"examples": [{"name": "ci", "role": "planner"}]})

    name: str = Field(min_length=1, max_length=200)
    role: Role


@keys.post("", status_code=201, response_model=NewKey, summary="create a key; its secret is shown once")
def create_key(request: Request, body: KeyRequest, _: Admin) -> NewKey:
    return request.app.state.store.keys.create(body.name, body.role)


@keys.get("", response_model=list[KeyInfo], summary="every key, revoked ones too (no secrets)")
def list_keys(request: Request, _: Admin) -> list[KeyInfo]:
    return request.app.state.store.keys.list()


@keys.delete("/{key_id}", response_model=KeyInfo, responses={404: {"model": Problem}},
             summary="revoke a key at once")
def revoke_key(request: Request, key_id: str, _: Admin) -> KeyInfo:
    return request.app.state.store.keys.revoke(key_id)


@router.get("/v1/audit", response_model=list[AuditEntry], summary="who did what, newest first")
def audit(request: Request, _: Admin, key_id: str | None = None,
          limit: int = Query(200, ge=1, le=10_000)) -> list[AuditEntry]:
    return request.app.state.store.audit.list(limit, key_id)
