"""A rule as a form: its parameters' JSON schema (as the rule writes them, with Chinese titles), the
values in force, its strength, weight and clause, so that a client builds the form from the schema
alone and sends back a what-if `rules` override (merged key by key onto the values in force), never a
form hand-written per rule. For a preset's rule, and for the rules of a stored scenario version (its
overrides applied, a rule turned off included)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from model.enums import Strength
from model.rules import kind_of
from model.ruleset import Ruleset, RuleSpec
from model.scenario import Scenario, rules_in_force
from service.api.auth import Viewer
from service.api.errors import ANSWERS, Problem
from service.api.meta import _preset
from service.render.catalog import CATALOG
from service.render.params import labelled_schema, strengths
from service.store.views import MAX_INT

router = APIRouter(tags=["rules"], responses=ANSWERS)
NO_RULE = {404: {"model": Problem, "description": "no such preset, scenario, version or rule"}}


class RuleSummary(BaseModel):
    """One rule of a ruleset as a list shows it: id, clause, how binding, whether turned off."""

    id: str
    kind: str
    clause: str = Field(description="the directive's sentence (Chinese)")
    strength: Strength
    weight: int
    off: bool = Field(False, description="turned off by the scenario's overrides")


class RuleForm(RuleSummary):
    """A rule's parameters as a form: `params_schema` describes `params` (titles in Chinese, enums with
    `x-labels`); a change is sent as a what-if's `rules: {id: {params: {...changed keys}}}`, or
    `strength`, `weight`, `off`."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "D1-C1", "kind": "team_min_count", "clause": "党政领导班子中30岁以下的干部至少要有1名",
        "strength": "must", "weight": 1, "off": False, "strengths": {"must": "必须", "generally": "一般",
                                                                       "prefer": "优先"},
        "params": {"who": {"max_age": 30}, "min_count": 1}, "params_schema": {"type": "object"}}]})

    strengths: dict[str, str] = Field(description="strength code -> its Chinese word, strongest first")
    params: dict[str, Any]
    params_schema: dict[str, Any]


def summary(spec: RuleSpec, off: bool = False) -> RuleSummary:
    return RuleSummary(id=spec.id, kind=spec.kind, clause=CATALOG.get(spec.id, spec.note),
                       strength=spec.strength, weight=spec.weight, off=off)


def form(spec: RuleSpec, off: bool = False) -> RuleForm:
    kind = kind_of(spec)
    return RuleForm(**summary(spec, off).model_dump(), strengths=strengths(), params=kind.params_values(spec),
                    params_schema=labelled_schema(kind.params_schema(spec)))


def scenario_rules(sc: Scenario) -> list[tuple[RuleSpec, bool]]:
    """Every rule of the scenario's ruleset in force, a rule turned off as it would be if turned on."""
    on = {r.id: r for r in sc.ruleset_in_force.rules}
    back = {rid: ov.model_copy(update={"off": False}) for rid, ov in sc.rules.items() if ov.off}
    revived = {r.id: r for r in rules_in_force(sc.base_ruleset, {**sc.rules, **back}).rules} if back else {}
    return [(on[r.id], False) if r.id in on else (revived[r.id], True) for r in sc.base_ruleset.rules]


def _rule(rules: list[tuple[RuleSpec, bool]], rule_id: str, where: str) -> tuple[RuleSpec, bool]:
    found = next((x for x in rules if x[0].id == rule_id), None)
    if found is None:
        raise HTTPException(404, f"no rule '{rule_id}' in {where}; use one of {[r.id for r, _ in rules]}")
    return found


def _preset_rules(rs: Ruleset) -> list[tuple[RuleSpec, bool]]:
    return [(r, False) for r in rs.rules]


@router.get("/v1/rulesets/{ruleset_id}/rules/{rule_id}", response_model=RuleForm, responses=NO_RULE,
            summary="a preset's rule as a form: its parameters' JSON schema, values, strength, clause")
def preset_rule(ruleset_id: str, rule_id: str, _: Viewer) -> RuleForm:
    return form(*_rule(_preset_rules(_preset(ruleset_id)), rule_id, f"preset {ruleset_id}"))


async def _scenario_rules(request: Request, scenario_id: str, version: int) -> list[tuple[RuleSpec, bool]]:
    _, sc = await run_in_threadpool(request.app.state.store.scenarios.resolve, scenario_id, version)
    return scenario_rules(sc)


@router.get("/v1/scenarios/{scenario_id}/versions/{version}/rules", response_model=list[RuleSummary],
            responses=NO_RULE, tags=["scenarios"],
            summary="the rules of a version (its overrides applied): id, clause, strength, off")
async def version_rules(request: Request, scenario_id: str, _: Viewer,
                        version: int = Path(ge=1, le=MAX_INT)) -> list[RuleSummary]:
    return [summary(*x) for x in await _scenario_rules(request, scenario_id, version)]


@router.get("/v1/scenarios/{scenario_id}/versions/{version}/rules/{rule_id}", response_model=RuleForm,
            responses=NO_RULE, tags=["scenarios"],
            summary="a version's rule as a form: its parameters' JSON schema and values in force")
async def version_rule(request: Request, scenario_id: str, rule_id: str, _: Viewer,
                       version: int = Path(ge=1, le=MAX_INT)) -> RuleForm:
    return form(*_rule(await _scenario_rules(request, scenario_id, version), rule_id,
                       f"scenario {scenario_id} version {version}"))

