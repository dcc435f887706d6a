"""Rule overrides and the one rule by which a change is laid over what it changes.

The rule: the fields a change sets replace the base's; a dict (a rule's `params`)
merges key by key, recursively, so a change names only the numbers it changes;
any other value (a number, a list, a string) replaces. Scenario overrides on a
preset's rules, a what-if on its base and a relaxation on a scenario all use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from model.enums import Strength
from model.structured import as_bool

M = TypeVar("M", bound=BaseModel)


class RuleOverride(BaseModel):
    """A change to one rule of the ruleset for this scenario (what-if)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    off: Annotated[bool, BeforeValidator(as_bool)] = False
    strength: Annotated[Strength | None, BeforeValidator(Strength.parse)] = None
    weight: int | None = Field(default=None, ge=0, le=1_000_000)
    params: dict[str, Any] = Field(default_factory=dict)


def merge_params(base: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `change` laid over it: dicts merge key by key, recursively; other values replace."""
    out = dict(base)
    for key, value in change.items():
        old = out.get(key)
        out[key] = merge_params(old, value) if isinstance(old, Mapping) and isinstance(value, Mapping) \
            else value
    return out


def overlay(base: M, change: M) -> M:
    """`base` with the fields `change` sets (`model_fields_set`) laid over it by `merge_params`.

    The result sets every field either sets, so overlays compose: overlay(overlay(a, b), c).
    """
    data = {f: getattr(base, f) for f in base.model_fields_set}
    merged = merge_params(data, {f: getattr(change, f) for f in change.model_fields_set})
    return type(base).model_validate(merged)


def overlay_rules(base: Mapping[str, RuleOverride], changes: Mapping[str, RuleOverride]
                  ) -> dict[str, RuleOverride]:
    """Rule id -> override, with each change laid over the base's override of that rule (if any)."""
    out = dict(base)
    for rule_id, change in changes.items():
        out[rule_id] = overlay(out[rule_id], change) if rule_id in out else change
    return out
