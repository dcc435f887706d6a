"""The OpenAPI document's contract: every request body has an example and every 2xx answer a
schema; every example, posted, is answered 2xx within its schema; and a request model's 422
says what the CLI says."""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
import pytest

from service.api.verbs import EXAMPLE_SCENARIO
from service.store.views import Role
from tests.service.api.conftest import DEMO, Service
from tests.service.test_cli import run_cli

Operation = tuple[str, str, dict[str, Any]]
"""(method, path, the operation's object in the document)."""


@pytest.fixture(scope="module")
def doc(service: Service) -> dict[str, Any]:
    return service.client.get("/openapi.json").json()


def operations(doc: dict[str, Any]) -> list[Operation]:
    return [(method.upper(), path, op) for path, ops in doc["paths"].items() for method, op in ops.items()]


def resolved(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A schema with its $ref followed (the components of the document)."""
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def examples_of(doc: dict[str, Any], media: dict[str, Any]) -> list[Any]:
    """A body's examples: the media type's own, or its schema's (each branch of a oneOf)."""
    if "example" in media:
        return [media["example"]]
    if "examples" in media:
        return [e["value"] for e in media["examples"].values()]
    schema = resolved(doc, media.get("schema", {}))
    if "oneOf" in schema:
        branches = [examples_of(doc, {"schema": s}) for s in schema["oneOf"]]
        return [e for b in branches for e in b] if all(branches) else []
    return list(schema.get("examples", []))


def test_every_body_has_an_example_and_every_answer_a_schema(doc: dict[str, Any]) -> None:
    """No operation's JSON request body lacks an example, no 2xx answer lacks a schema, and every
    JSON answer, 2xx or error, is a pydantic model's (by $ref, or a list of one)."""
    missing = []
    for method, path, op in operations(doc):
        json_body = op.get("requestBody", {}).get("content", {}).get("application/json")
        if json_body is not None and not examples_of(doc, json_body):
            missing.append(f"{method} {path}: a request body without an example")
        if not any(code.startswith("2") for code in op["responses"]):
            missing.append(f"{method} {path}: no 2xx answer")
        for code, answer in op["responses"].items():
            if code.startswith("2") and not answer.get("content"):
                missing.append(f"{method} {path} {code}: an answer without content")
            for kind, media in answer.get("content", {}).items():
                schema = media.get("schema") or {}
                if kind == "application/json" and "$ref" not in schema.get("items", schema):
                    missing.append(f"{method} {path} {code}: an answer that is not a model")
                elif not schema:
                    missing.append(f"{method} {path} {code} {kind}: an answer without a schema")
    assert not missing, "\n".join(missing)


def test_the_document_and_its_page_need_no_key(service: Service) -> None:
    """/openapi.json and the page that shows it (/docs) answer without a key."""
    assert service.client.get("/openapi.json").json()["info"]["title"] == "huanjie"
    page = service.client.get("/docs")
    assert page.status_code == 200 and "swagger" in page.text.lower()


def with_id(value: Any, scenario_id: str) -> Any:
    """An example with the placeholder scenario id replaced by a stored one."""
    return json.loads(json.dumps(value).replace(EXAMPLE_SCENARIO, scenario_id))


def answer_schema(doc: dict[str, Any], op: dict[str, Any], status: int) -> dict[str, Any]:
    answer = op["responses"][str(status)]
    return {**answer["content"]["application/json"]["schema"], "components": doc["components"]}


QUICK = 2.0
"""Seconds a posted example may solve: the examples' own limits are for people (the demo county
solves in about 3 s); tests/service/test_calls.py runs them as they are."""


def quick(example: Any) -> Any:
    """An example with its time limits cut to QUICK seconds (a job's in its settings too)."""
    if not isinstance(example, dict):
        return example
    out = {k: quick(v) for k, v in example.items()}
    if isinstance(out.get("time_limit"), int | float):
        out["time_limit"] = min(out["time_limit"], QUICK)
    return out


def order(post: tuple[str, str, dict[str, Any], Any]) -> int:
    """The what-if example on the demo county first (its version 2, which diff compares with 1);
    the verbs next, alone on the CPU; then a job, a key, new scenarios, and a whole new scenario
    as the demo's next version last (the verbs read the latest version)."""
    _, path, _, example = post
    if path.endswith("/versions"):
        return 0 if "base" in example else 3
    return 1 if path.removeprefix("/v1/") in VERBS else 2


VERBS = ("solve", "validate", "explain", "why-not", "recommend", "diff")


def test_every_example_is_answered_within_its_schema(service: Service, doc: dict[str, Any]) -> None:
    """Each example of the document, posted with the id of a stored demo county (its what-if
    version 2 stored first, for diff), answers 2xx with a body its answer schema accepts."""
    demo = service.post("/v1/scenarios/demo").json()["scenario_id"]  # with its membership (representatives)
    posts = [(method, path, op, example) for method, path, op in operations(doc)
             for example in examples_of(doc, op.get("requestBody", {}).get("content", {})
                                        .get("application/json", {"schema": {}}))]
    posts.sort(key=order)
    assert len({(m, p) for m, p, _, _ in posts}) >= 10
    answered = []
    for method, path, op, example in posts:
        url = path.replace("{scenario_id}", demo)
        r = service.client.request(method, url, json=quick(with_id(example, demo)),
                                   headers=service.headers(Role.admin))
        assert 200 <= r.status_code < 300, (method, path, example, r.text)
        errors = [str(e) for e in jsonschema_rs.Draft202012Validator(
            answer_schema(doc, op, r.status_code)).iter_errors(r.json())]
        assert not errors, (method, path, errors[:3])
        answered.append((method, path, r.status_code))
        if path == "/v1/jobs":  # no need to let it run on
            assert service.post(f"/v1/jobs/{r.json()['id']}/stop", Role.admin).status_code == 202
    versions = service.get(f"/v1/scenarios/{demo}").json()["versions"]
    assert versions[1]["kind"] == "what_if" and versions[1]["version"] == 2
    assert ("POST", "/v1/diff", 200) in answered


def test_a_request_models_errors_are_the_clis(service: Service, capsys: pytest.CaptureFixture[str]) -> None:
    """POST /v1/jobs with settings.top = 0 answers 422 in the words of `huanjie solve --top 0`."""
    r = service.post("/v1/jobs", json={"scenario_id": service.small, "settings": {"top": 0, "time_limit": 0}})
    assert r.status_code == 422, r.text
    errors = {e["field"]: e for e in r.json()["errors"]}
    assert set(errors) == {"settings.top", "settings.time_limit"}
    assert errors["settings.top"]["value"] == "0"
    cli = run_cli(["solve", str(DEMO), "--top", "0", "--time-limit", "0"])
    assert f"--top {errors['settings.top']['message']}" in cli.err
    assert f"--time-limit {errors['settings.time_limit']['message']}" in cli.err
    assert errors["settings.top"]["message"] == "must be at least 1"


def test_query_and_shape_errors_are_worded_too(service: Service) -> None:
    """A query bound, a missing field and an unknown field are worded as the CLI words them."""
    r = service.get("/v1/jobs", params={"limit": 0})
    assert r.json()["errors"] == [{"message": "must be at least 1", "field": "limit", "value": "0",
                                   "file": "", "row": None}]
    r = service.post("/v1/why-not", json={"scenario_id": service.small, "cadre": "g0001", "seat": "secretary",
                                          "township": "t01", "speed": 3})
    assert r.status_code == 422
    (unknown,) = r.json()["errors"]
    assert unknown["field"] == "speed" and unknown["message"].startswith("unknown field; known fields: ")
    r = service.post("/v1/validate", json={"scenario_id": service.small,
                                           "assignments": [{"seat": "secretary"}]})
    fields = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert fields == {"assignments[0].township": "required field is missing",
                      "assignments[0].cadre": "required field is missing"}
