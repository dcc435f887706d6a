"""A what-if as data: the change it makes to a scenario, and the one function that applies it.

A what-if file (model/readers.py) is read into a base scenario and a
`ScenarioDelta`; a relaxation (solver/explain.py) is a delta too. `apply_delta`
holds no file handling, so an HTTP job or a test applies a change the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from model.overrides import RuleOverride, overlay, overlay_rules
from model.rules.base import CadreException
from model.ruleset import ScoreWeights
from model.scenario import Ban, Pin, Scenario
from model.slate import Relaxation


class ScenarioDelta(BaseModel):
    """What a what-if changes. `pins`, `bans` and `remove` add to the base's; `rules`,
    `renomination_overrides`, `exceptions` and `weights` are laid over the base's by the merge rule
    (model/overrides.py): what the delta sets replaces, a rule's `params` merge key by
    key; `name` replaces. A field left unset changes nothing."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str | None = None
    rules: dict[str, RuleOverride] = Field(default_factory=dict)
    renomination_overrides: dict[str, str] = Field(
        default_factory=dict, description="cadre id -> reason; replaces the base's reason for that cadre")
    exceptions: dict[str, CadreException | None] = Field(
        default_factory=dict,
        description="cadre id -> exception; replaces the base's for that cadre, null withdraws it")
    pins: tuple[Pin, ...] = ()
    bans: tuple[Ban, ...] = ()
    remove: tuple[str, ...] = ()
    weights: ScoreWeights | None = Field(
        default=None, description="only the weights given change (merit: 5 keeps the base's continuity)")


def apply_delta(sc: Scenario, delta: ScenarioDelta) -> Scenario:
    """`sc` with `delta` applied, validated (cross-checks raise `InputErrors`, unlocated by file)."""
    changes = {
        "rules": overlay_rules(sc.rules, delta.rules),
        "renomination_overrides": {**sc.renomination_overrides, **delta.renomination_overrides},
        "exceptions": {cid: ex for cid, ex in {**sc.exceptions, **delta.exceptions}.items()
                       if ex is not None},
        "pins": (*sc.pins, *delta.pins),
        "bans": (*sc.bans, *delta.bans),
        "remove": (*sc.remove, *delta.remove),
    }
    if delta.name is not None:
        changes["name"] = delta.name
    if delta.weights is not None:
        changes["weights"] = overlay(sc.weights, delta.weights)
    return sc.with_changes(**changes)


def relaxed(delta: ScenarioDelta, relaxations: Sequence[Relaxation]) -> ScenarioDelta | None:
    """The what-if's change with a relaxation applied (solver/explain.py finds it): each rule's override
    laid over the change's own by the merge rule, each dropped pin taken out of its pins. None when a
    dropped pin is not one of the change's own (a change can add pins, not take a base's away)."""
    dropped = {(r.parameter, r.before) for r in relaxations if r.rule == "pin"}
    own = {(p.cadre, f"{p.township}/{p.seat}") for p in delta.pins}
    if not dropped <= own:
        return None
    rules = overlay_rules(delta.rules, {r.rule: RuleOverride.model_validate(r.override)
                                        for r in relaxations if r.rule != "pin"})
    pins = tuple(p for p in delta.pins if (p.cadre, f"{p.township}/{p.seat}") not in dropped)
    return delta.model_copy(update={"rules": rules, "pins": pins})
