"""Scenario bodies read the way the CLI reads files (model/readers.py), so a bad
scenario posted over HTTP gets the same located errors as the same file given to
`huanjie validate`: a JSON or YAML scenario, a what-if (`base` a stored version and
the change), or a scenario folder's three files as a multipart upload."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from fastapi import Request
from pydantic import ConfigDict, ValidationError
from starlette.concurrency import run_in_threadpool

from model.errors import InputError, InputErrors
from model.io import (
    CADRES_FILE,
    SCENARIO_FILE,
    TOWNSHIPS_FILE,
    load_change,
    load_scenario,
    load_scenario_parts,
)
from model.readers import ROSTER, Input
from model.scenario import Scenario
from model.whatif import ScenarioDelta
from service.api.errors import field_path
from service.api.verbs import EXAMPLE_SCENARIO
from service.store.views import VersionRef

Content = tuple[Scenario | ScenarioDelta, VersionRef | None]
"""A scenario (no base), or a what-if's change and the version it applies to."""

BODY = "request"
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml")
FOLDER_FILES = (SCENARIO_FILE, TOWNSHIPS_FILE, CADRES_FILE)


class WhatIfBody(ScenarioDelta):
    """A what-if: the stored version it changes, and the change (the fields of a what-if file)."""

    model_config = ConfigDict(json_schema_extra={"examples": [  # scenarios/what-if/pin-secretary.yaml
        {"base": {"scenario_id": EXAMPLE_SCENARIO, "version": 1}, "name": "石阳县换届:叶敏萍任马林镇党委书记",
         "pins": [{"cadre": "g0376", "township": "t02", "seat": "secretary"}]}]})

    base: VersionRef


@cache
def example_scenario() -> dict[str, Any]:
    """The Scenario schema's example: a generated county of one township and twelve cadres, the
    smallest pool the rules allow (the demo county is 400 cadres: too long for the document)."""
    from model.generator import generate_county

    return json.loads(generate_county(1, 12, 1).model_dump_json(exclude_defaults=True))


def openapi_body(*, multipart: bool = False) -> dict[str, Any]:
    """The request body of a scenario route, for the OpenAPI document (read by `read`, not by
    FastAPI, so that errors are located as the CLI's)."""
    content: dict[str, Any] = {
        "application/json": {"schema": {"oneOf": [{"$ref": "#/components/schemas/Scenario"},
                                                  {"$ref": "#/components/schemas/WhatIfBody"}]}},
        "application/yaml": {"schema": {"type": "string"}},
    }
    if multipart:
        content["multipart/form-data"] = {"schema": {
            "type": "object", "required": ["files"],
            "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"},
                                     "description": f"{', '.join(FOLDER_FILES)}; or one .json/.yaml "
                                                    "file or .xlsx roster"}}}}
    return {"requestBody": {"required": True, "content": content}}


async def read(request: Request) -> Content:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        form = await request.form()
        files = [(f.filename or "", await f.read()) for f in form.getlist("files") if hasattr(f, "read")]
        return await run_in_threadpool(from_files, files)
    body = await request.body()
    name = f"{BODY}.yaml" if kind in YAML_TYPES else f"{BODY}.json"
    return await run_in_threadpool(from_bytes, body, name)


def from_bytes(body: bytes, name: str) -> Content:
    if name.lower().endswith(ROSTER):  # an Excel roster (its settings on its 设置 sheet)
        return load_scenario(body, name=name), None
    data = Input.of(body, name).structured()
    if isinstance(data, dict) and "base" in data:
        return what_if(data, name)
    return load_scenario(body, name=name), None


def what_if(data: dict[str, Any], name: str) -> Content:
    errors: list[InputError] = []
    base = change = None
    try:
        base = VersionRef.model_validate(data["base"])
    except ValidationError as e:
        errors += [InputError("expected the stored version to change: {scenario_id, version}",
                              field_path(("base", *x["loc"])), "", file=name) for x in e.errors()]
    try:
        change = load_change(data, name)
    except InputErrors as e:
        errors += e.errors
    if errors:
        raise InputErrors(errors)
    return change, base


def from_files(files: list[tuple[str, bytes]]) -> Content:
    names = {n.rsplit("/", 1)[-1]: data for n, data in files}
    if len(names) == 1:
        (name, data), = names.items()
        return from_bytes(data, name)
    missing = [f for f in FOLDER_FILES if f not in names]
    extra = sorted(set(names) - set(FOLDER_FILES))
    if missing or extra or not names:
        raise InputErrors([InputError(
            f"upload the scenario folder's files {', '.join(FOLDER_FILES)} "
            f"(missing: {', '.join(missing) or '-'}; not expected: {', '.join(extra) or '-'}), "
            "or one .json/.yaml scenario file or .xlsx roster", "files")])
    return load_scenario_parts(*(Input.of(names[f], f) for f in FOLDER_FILES)), None
