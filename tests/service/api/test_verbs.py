"""The verbs over HTTP give the same answers as service/calls.py (which the CLI's --json
writes), read the stored scenario, and refuse what they cannot answer with located errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from model.scenario import Scenario
from model.slate import SolveResult
from model.whatif import ScenarioDelta, apply_delta
from service import calls
from service.store.views import Role
from tests.service.api.conftest import Service, open_service, small_county

CLOCK = ("wall_time", "build_time", "seconds", "lp_seconds", "time", "solve_time", "elapsed")


def timeless(value: object) -> object:
    """An answer without its clock fields (two runs of one solve differ only there)."""
    if isinstance(value, dict):
        return {k: timeless(v) for k, v in value.items() if not any(c in k for c in CLOCK)}
    if isinstance(value, list):
        return [timeless(v) for v in value]
    return value


def same(api: dict, direct: object) -> None:
    assert timeless(api) == timeless(json.loads(direct.model_dump_json()))


@pytest.fixture(scope="module")
def small(service: Service) -> Scenario:
    """The stored small county, as the service reads it."""
    return small_county()


def test_solve_is_the_calls_answer(service: Service, small: Scenario) -> None:
    """POST /v1/solve answers what solve_call gives for the same options (deterministic)."""
    opts = {"top": 2, "time_limit": 10, "workers": 1, "seed": 3, "deterministic": True}
    r = service.post("/v1/solve", json={"scenario_id": service.small, **opts})
    assert r.status_code == 200, r.text
    same(r.json(), calls.solve_call(small, calls.SolveOptions(**opts)))
    assert SolveResult.model_validate(r.json()).status == "OPTIMAL"


def test_validate_explain_why_not_recommend(service: Service, small: Scenario) -> None:
    """Each verb's answer equals its call's, the referee's verdict and the forced solves included."""
    best = calls.solve_call(small, calls.SolveOptions(time_limit=10, workers=1)).slates[0]
    slate = [{"township": a.township, "seat": a.seat, "cadre": a.cadre} for a in best.assignments]
    r = service.post("/v1/validate", Role.viewer, json={"scenario_id": service.small, "assignments": slate})
    same(r.json(), calls.validate_call(small, calls.ValidateRequest(assignments=slate)))
    assert r.json()["passes"] is True
    r = service.post("/v1/explain", json={"scenario_id": service.small, "assignments": slate})
    same(r.json(), calls.explain_call(small, calls.ExplainRequest(assignments=slate)))
    seated = {a.cadre for a in best.assignments}
    other = next(c.id for c in small.cadres if c.id not in seated)
    ask = {"cadre": other, "township": "t01", "seat": "secretary", "time_limit": 10, "workers": 1}
    r = service.post("/v1/why-not", json={"scenario_id": service.small, **ask})
    assert r.status_code == 200, r.text
    direct = calls.why_not_call(small, calls.WhyNotRequest(**ask))
    assert (r.json()["possible"], r.json()["delta"]) == (direct.possible, direct.delta)
    ask = {"township": "t01", "seat": "secretary", "limit": 2, "time_limit": 10, "workers": 1}
    r = service.post("/v1/recommend", json={"scenario_id": service.small, **ask})
    direct = calls.recommend_call(small, calls.RecommendRequest(**ask))
    assert [(t["cadre"], t["delta"]) for t in r.json()["tried"]] == [(t.cadre, t.delta) for t in direct.tried]


def test_diff_of_a_stored_what_if(service: Service, small: Scenario) -> None:
    """A what-if stored as version 2 of a scenario, diffed against version 1 over HTTP."""
    sid = service.post("/v1/scenarios", json=json.loads(small.model_dump_json())).json()["scenario_id"]
    best = calls.solve_call(small, calls.SolveOptions(time_limit=10, workers=1)).slates[0]
    secretary = best.by_seat()[("t01", "secretary")]
    change = {"bans": [{"cadre": secretary, "township": "t01", "seat": "secretary"}]}
    service.post(f"/v1/scenarios/{sid}/versions", json={"base": {"scenario_id": sid, "version": 1}, **change})
    r = service.post("/v1/diff", json={"base": {"scenario_id": sid, "version": 1},
                                       "other": {"scenario_id": sid, "version": 2},
                                       "time_limit": 10, "workers": 1})
    assert r.status_code == 200, r.text
    other = apply_delta(small, ScenarioDelta(**change))
    direct = calls.diff_call(small, other, calls.DiffRequest(time_limit=10, workers=1))
    assert r.json()["diff"] is not None
    assert timeless(r.json()["diff"]) == timeless(json.loads(direct.diff.model_dump_json()))


def test_bad_asks_are_located(service: Service) -> None:
    """An unknown cadre, township or seat is a 422 naming the field and value, as the CLI says it."""
    r = service.post("/v1/why-not", json={"scenario_id": service.small, "cadre": "nobody",
                                          "township": "t99", "seat": "secretary"})
    assert r.status_code == 422
    fields = {(e["field"], e["value"]) for e in r.json()["errors"]}
    assert {("cadre", "nobody"), ("township", "t99")} <= fields
    r = service.post("/v1/recommend", json={"scenario_id": service.small, "township": "t01", "seat": "pope"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "seat"
    nobody = [{"township": "t01", "seat": "secretary", "cadre": "nobody"}]
    r = service.post("/v1/validate", Role.viewer, json={"scenario_id": service.small, "assignments": nobody})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "assignments[0].cadre"
    r = service.post("/v1/why-not", json={"scenario_id": service.small, "cadre": "x", "township": "t01",
                                          "seat": "secretary", "time_limit": 10_000})
    assert r.status_code == 413 and r.json()["limit"] == "verb_max_seconds"
    assert service.post("/v1/solve", json={"scenario_id": "s-none"}).status_code == 404
    default = service.post("/v1/solve", json={"scenario_id": service.small})  # the 60 s default, capped
    assert default.status_code == 200 and 9 < default.json()["settings"]["time_limit"] <= 10


def test_clicks_on_one_county_reuse_its_solved_base(tmp_path: Path) -> None:
    """Why-not and recommend on one stored version solve its base once; their answers equal the cold
    calls'; another version gets a base of its own."""
    for service in open_service(tmp_path):
        small = small_county()
        bases = service.client.app.state.bases
        best = calls.solve_call(small, calls.SolveOptions(time_limit=10, workers=1)).slates[0]
        seated = {a.cadre for a in best.assignments}
        others = [c.id for c in small.cadres if c.id not in seated][:2]
        for cadre in others:
            ask = {"cadre": cadre, "township": "t01", "seat": "secretary", "time_limit": 10, "workers": 1}
            r = service.post("/v1/why-not", json={"scenario_id": service.small, **ask})
            cold = calls.why_not_call(small, calls.WhyNotRequest(**ask))
            assert (r.json()["possible"], r.json()["delta"]) == (cold.possible, cold.delta)
        ask = {"township": "t01", "seat": "secretary", "limit": 2, "time_limit": 10, "workers": 1}
        r = service.post("/v1/recommend", json={"scenario_id": service.small, **ask})
        cold = calls.recommend_call(small, calls.RecommendRequest(**ask))
        ranked = [(t["cadre"], t["delta"]) for t in r.json()["tried"]]
        assert ranked == [(t.cadre, t.delta) for t in cold.tried]
        assert bases.built == 1
        change = {"base": {"scenario_id": service.small, "version": 1}, "remove": [others[0]]}
        service.post(f"/v1/scenarios/{service.small}/versions", json=change)
        service.post("/v1/recommend", json={"scenario_id": service.small, **ask})
        assert bases.built == 2
