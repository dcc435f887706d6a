"""A rule as a form (service/api/forms.py): the JSON schema of its parameters with Chinese titles, the
values in force, its strength and clause; for a preset's rule and a stored version's (overrides
applied). The values sent back as an override change nothing, and a changed key solves as a what-if."""

from __future__ import annotations

from typing import Any

import pytest

from model.overrides import RuleOverride
from model.rules import REGISTRY, kind_of
from model.ruleset import load_preset, preset_ids
from model.scenario import rules_in_force
from service.render.params import PARAM_ZH
from tests.service.api.conftest import Service, small_county


def properties(schema: Any) -> set[str]:
    """Every property name anywhere in a schema."""
    if isinstance(schema, list):
        return set().union(*map(properties, schema)) if schema else set()
    if not isinstance(schema, dict):
        return set()
    own = set(schema.get("properties") or {})
    return own.union(*map(properties, schema.values()))


def test_every_parameter_of_every_kind_has_a_chinese_name() -> None:
    """PARAM_ZH names every property of every rule kind's parameters (a form never shows an English key)."""
    names = set().union(*(properties(k.params.model_json_schema()) for k in REGISTRY.values()))
    assert names - set(PARAM_ZH) == set()


def test_a_preset_rule_as_a_form(service: Service) -> None:
    """D1-C1 of xx-2011: written short ({who, min_count}), so its form has the target's keys at the top,
    titled in Chinese, with its clause and the three strengths; enums carry their Chinese labels."""
    r = service.get("/v1/rulesets/xx-2011/rules/D1-C1")
    assert r.status_code == 200, r.text
    f = r.json()
    assert (f["id"], f["kind"], f["strength"], f["off"]) == ("D1-C1", "team_min_count", "must", False)
    assert f["clause"].startswith("党政领导班子中30岁以下")
    assert f["strengths"] == {"must": "必须", "generally": "一般", "prefer": "优先"}
    assert f["params"]["min_count"] == 1 and f["params"]["who"]["max_age"] == 30
    props = f["params_schema"]["properties"]
    assert "parts" not in props and props["min_count"]["title"] == "最少人数"
    assert f["params_schema"]["$defs"]["Post"]["x-labels"]["party_secretary"] == "党委书记"
    assert service.get("/v1/rulesets/xx-2011/rules/NOPE").status_code == 404
    assert service.get("/v1/rulesets/nope/rules/D1-C1").status_code == 404


@pytest.mark.parametrize("preset", preset_ids())
def test_the_form_values_sent_back_change_no_rule(preset: str) -> None:
    """For every rule of every preset: the form's values, sent back whole as an override's params, give
    the same parameters in force (the form's shape merges onto the rule as written)."""
    rs = load_preset(preset)
    for spec in rs.rules:
        kind = kind_of(spec)
        values = kind.params_values(spec)
        back = rules_in_force(rs, {spec.id: RuleOverride(params=values)})
        [again] = [r for r in back.rules if r.id == spec.id]
        assert kind.parse(again) == kind.parse(spec), spec.id
        assert set(values) <= set(kind.params_schema(spec)["properties"]), spec.id


def test_a_version_rule_has_its_overrides_and_a_change_solves(service: Service) -> None:
    """A what-if raising D1-C1 to two and turning N-6 off: the version's forms say so (N-6 off, with its
    parameters); a change built from a form's keys is a new version that solves."""
    sid = service.store().scenarios.create(small_county()).scenario_id  # its own: others solve small's latest
    base = {"scenario_id": sid, "version": 1}
    v = service.post(f"/v1/scenarios/{sid}/versions", json={
        "base": base, "rules": {"D1-C1": {"params": {"min_count": 2}, "strength": "generally"},
                                "N-6": {"off": True}}}).json()
    path = f"/v1/scenarios/{sid}/versions/{v['version']}/rules"
    listed = {r["id"]: r for r in service.get(path).json()}
    assert listed["N-6"]["off"] is True and listed["D1-C1"]["strength"] == "generally"
    f = service.get(f"{path}/D1-C1").json()
    assert f["params"]["min_count"] == 2 and f["strength"] == "generally"
    assert service.get(f"{path}/N-6").json()["off"] is True
    assert service.get(f"{path}/NOPE").status_code == 404
    assert service.get("/v1/scenarios/snosuch/versions/1/rules").status_code == 404
    w = service.post(f"/v1/scenarios/{sid}/versions", json={
        "base": base, "rules": {"D1-C1": {"params": {"who": {"max_age": 32}}}}})
    assert w.status_code == 201, w.text
    job = service.post("/v1/jobs", json={"scenario_id": sid, "version": w.json()["version"],
                                         "settings": {"top": 1}}).json()
    assert service.wait(job["id"])["state"] == "completed"
    form = service.get(f"/v1/scenarios/{sid}/versions/{w.json()['version']}/rules/D1-C1").json()
    assert form["params"]["who"]["max_age"] == 32 and form["params"]["min_count"] == 1
