"""Party-congress representatives (section P) over HTTP. A stored scenario carries a membership: its
electoral units, nominee rolls and congress.yaml, uploaded as files and read by the CLI's readers
(model/membership.py), so a bad file gets the same located errors as `huanjie representatives`
gives; a township's plan (seats, apportionment, candidate lists) is then asked of it, as the
`RepPlan` the CLI's `--json` writes or as its Excel workbook (`--xlsx`)."""

from __future__ import annotations

from pathlib import Path as FolderPath
from typing import Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from model.errors import InputError, InputErrors
from model.membership import (
    CONGRESS_FILE,
    NOMINEES_FILE,
    TABLE_SUFFIXES,
    UNITS_FILE,
    Membership,
    load_membership,
    load_membership_folder,
    scenario_townships,
    table_file,
)
from model.overrides import RuleOverride
from model.representatives import rep_rules
from model.scenario import Scenario
from service.api.auth import Planner, Viewer
from service.api.errors import ANSWERS, OverLimit, Problem
from service.api.limits import at_most
from service.api.reports import FILE, MEDIA, file_answer
from service.api.verbs import run, sync_seconds
from service.calls import TimeLimit, Workers, request_config, township_id
from service.store.views import MAX_INT, KeyInfo, MembershipInfo, VersionInfo
from solver.representatives import TIME_LIMIT, WORKERS, RepPlan, plan_representatives

router = APIRouter(prefix="/v1/scenarios", tags=["representatives"], responses={
    **ANSWERS, 404: {"model": Problem, "description": "no such scenario or version, or no membership"}})

TABLES = {stem: tuple(f"{stem}{s}" for s in TABLE_SUFFIXES) for stem in (UNITS_FILE, NOMINEES_FILE)}
"""The upload's tables: each once, as CSV or as an Excel workbook."""
FILES_FIELD = "files"
UPLOAD = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": [FILES_FIELD],
    "properties": {FILES_FIELD: {
        "type": "array", "items": {"type": "string", "format": "binary"},
        "description": "units.csv or units.xlsx, nominees.csv or nominees.xlsx, and optionally "
                       "congress.yaml: the files `huanjie nominees generate` writes"}}}}}}}


# --------------------------------------------------------------------------- the membership


def from_upload(files: list[tuple[str, bytes]], sc: Scenario) -> Membership:
    """The uploaded files read as a folder's, checked against the scenario; every error at once."""
    names = {n.rsplit("/", 1)[-1]: data for n, data in files}
    picked = {stem: [n for n in names if n in allowed] for stem, allowed in TABLES.items()}
    extra = sorted(set(names) - {n for ns in TABLES.values() for n in ns} - {CONGRESS_FILE})
    if any(len(p) != 1 for p in picked.values()) or extra:
        raise InputErrors([InputError(
            "upload units.csv (or .xlsx), nominees.csv (or .xlsx) and optionally congress.yaml, each once "
            f"(given: {', '.join(sorted(names)) or '-'}; not expected: {', '.join(extra) or '-'})",
            FILES_FIELD)])
    m = read_files(names, picked[UNITS_FILE][0], picked[NOMINEES_FILE][0], sc)
    rules_errors(sc, m.settings.rules, "rules", CONGRESS_FILE)
    return m


def read_files(files: dict[str, bytes], units: str, nominees: str, sc: Scenario) -> Membership:
    """The membership in `files` (name -> bytes; congress.yaml when there), as the folder reader reads it."""
    congress = (files[CONGRESS_FILE], CONGRESS_FILE) if CONGRESS_FILE in files else None
    return load_membership((files[units], units), (files[nominees], nominees), congress,
                           scenario_townships(sc), sc.reshuffle_date)


def rules_errors(sc: Scenario, overrides: dict[str, RuleOverride], field: str, file: str = "") -> None:
    """Overrides that name no P rule of the scenario's preset, or give one bad parameters: 422, each
    located at its rule id."""
    errors: list[InputError] = []
    for rid, ov in overrides.items():
        try:
            rep_rules(sc.base_ruleset.representatives, {rid: ov})
        except KeyError as e:
            errors.append(InputError(str(e.args[0]), f"{field}.{rid}", rid, file=file))
        except ValidationError as e:
            errors += [InputError(f"bad parameters: {x['msg']}",
                                  ".".join([field, rid, "params", *map(str, x["loc"])]), file=file)
                       for x in e.errors()]
    if errors:
        raise InputErrors(errors)


async def uploaded(request: Request) -> list[tuple[str, bytes]]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "multipart/form-data":
        raise InputErrors([InputError("send the membership files as multipart/form-data, each in the "
                                      f"field '{FILES_FIELD}'", "body")])
    form = await request.form()
    return [(f.filename or "", await f.read()) for f in form.getlist(FILES_FIELD) if hasattr(f, "read")]


@router.put("/{scenario_id}/membership", response_model=MembershipInfo, openapi_extra=UPLOAD,
            responses={413: {"model": OverLimit, "description": "the body or the nominee rolls are over "
                                                                "their bound"}},
            summary="store a scenario's party membership: electoral units, nominee rolls, congress.yaml")
async def put_membership(request: Request, scenario_id: str, by: Planner,
                         version: int | None = Query(None, ge=1, le=MAX_INT,
                                                     description="check against this version "
                                                                 "(default: the latest)")
                         ) -> MembershipInfo:
    store = request.app.state.store
    info, sc = await run_in_threadpool(store.scenarios.resolve, scenario_id, version)  # 404 before the body
    m = await run_in_threadpool(from_upload, await uploaded(request), sc)
    at_most(len(m.nominees), request.app.state.settings.limits.max_cadres, "max_cadres",
            "the nominee rolls' size")
    return await run_in_threadpool(store.memberships.put, scenario_id, info.version, m, by.id)


@router.get("/{scenario_id}/membership", response_model=MembershipInfo,
            summary="a scenario's membership: units, members and nominees per township (no names)")
def read_membership(request: Request, scenario_id: str, _: Viewer) -> MembershipInfo:
    return request.app.state.store.memberships.get(scenario_id)


async def attach_folder(request: Request, info: VersionInfo, folder: FolderPath, sc: Scenario,
                        by: KeyInfo) -> VersionInfo:
    """A new stored scenario's membership from its folder, when the folder has one (the demo county's)."""
    if table_file(folder, UNITS_FILE) is not None:
        m = await run_in_threadpool(load_membership_folder, folder, scenario_townships(sc), sc.reshuffle_date)
        await run_in_threadpool(request.app.state.store.memberships.put, info.scenario_id, info.version, m,
                                by.id)
    return info


# --------------------------------------------------------------------------- a township's plan


class RepresentativesRequest(BaseModel):
    """A township's representatives (`huanjie representatives --township`): the seat count, the seats
    per electoral unit and the candidate lists under the quotas, with the CLI's defaults."""

    model_config = request_config({"township": "t01", "time_limit": 5, "workers": 2},
                                  {"township": "t02", "rules": {"D1-P3": {"strength": "must"}},
                                   "time_limit": 5, "workers": 2})

    township: str = Field(min_length=1, max_length=100, description="the township, by id or name")
    version: int | None = Field(None, ge=1, le=MAX_INT, description="default: the latest version")
    rules: dict[str, RuleOverride] = Field(
        default_factory=dict, max_length=100,
        description="overrides of the P rules by id, laid over congress.yaml's `rules:`")
    time_limit: TimeLimit = TIME_LIMIT
    workers: Workers = WORKERS


def stored(request: Request, scenario_id: str, version: int | None) -> tuple[Scenario, Membership]:
    """The scenario version and its membership, read back through the readers and checked against it."""
    store = request.app.state.store
    _, sc = store.scenarios.resolve(scenario_id, version)
    _, files = store.memberships.files(scenario_id)
    return sc, read_files(files, f"{UNITS_FILE}.csv", f"{NOMINEES_FILE}.csv", sc)


def plan_call(sc: Scenario, m: Membership, body: RepresentativesRequest, seconds: float) -> RepPlan:
    rules_errors(sc, body.rules, "rules")  # congress.yaml's were checked when it was stored
    try:
        return plan_representatives(sc, m, body.township, body.rules, time_limit=seconds,
                                    workers=body.workers)
    except KeyError as e:  # the preset has no seat rule
        raise InputErrors([InputError(str(e.args[0]), "rules")]) from None


@router.post("/{scenario_id}/representatives", response_model=RepPlan,
             responses={200: {"description": "the plan; with format=xlsx the Excel workbook",
                              "content": {MEDIA["xlsx"]: FILE}},
                        413: {"model": OverLimit, "description": "the time limit or the township's nominees "
                                                                "are over their bound"}},
             summary="a township's party-congress representatives: seats, apportionment, candidate lists")
async def representatives(request: Request, body: RepresentativesRequest, _: Planner,
                          scenario_id: str = Path(), format: Literal["json", "xlsx"] = Query(
                              "json", description="json: the plan; xlsx: the Excel workbook `--xlsx` writes")
                          ) -> Any:
    from service.render.representatives import plan_stem, plan_workbook

    limits = request.app.state.settings.limits
    seconds = sync_seconds(request, body, body.time_limit)
    sc, m = await run_in_threadpool(stored, request, scenario_id, body.version)
    body = body.model_copy(update={"township": township_id(sc, body.township)})  # by id or name
    at_most(len(m.nominees_of(body.township)), limits.sync_max_cadres, "sync_max_cadres",
            "the township's nominees")
    plan = await run(plan_call, sc, m, body, seconds)
    if format == "json":
        return plan
    name = sc.townships[body.township].name
    data = await run_in_threadpool(plan_workbook, plan, m, name)
    return file_answer(data, "xlsx", plan_stem(name, scenario_id))
