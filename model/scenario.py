"""A scenario: one reshuffle question put to the solver.

It names the county, the pool, the ruleset and what staff change about it
(rule overrides, pins, bans, score weights). Everything is checked here, at the
boundary; the solver and the referee trust what they get.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from model.errors import InputError, InputErrors
from model.overrides import RuleOverride, merge_params
from model.people import Cadre, County, Township
from model.rules import REGISTRY
from model.ruleset import Ruleset, RuleSpec, Seat, load_preset, preset_ids


def memo(fn: Callable[[Scenario], Any]) -> Any:
    """A property computed once per scenario object. Unlike functools.cached_property
    it lives in a private store that `model_copy` resets, so a what-if copy never
    sees its parent's seats or rules."""
    name = fn.__name__

    @wraps(fn)
    def get(self: Scenario) -> Any:
        if name not in self._memo:
            self._memo[name] = fn(self)
        return self._memo[name]

    return property(get)


class Pin(BaseModel):
    """Cadre must take this seat kind (any instance of it) in this township."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cadre: str
    township: str
    seat: str


class Ban(BaseModel):
    """Cadre may not sit in this township (or only not in this seat kind of it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cadre: str
    township: str
    seat: str | None = None


class ScoreWeights(BaseModel):
    """Weights of the score terms that are not rules (see README, "The score").

    - merit: per seated cadre, evaluation grade points plus recommendation votes;
    - continuity: per seat kept by a sitting member of the same township (留任);
    - reserve: per seat given to a reserve cadre (后备干部).
    Preferences that are rules (D1-E2, D1-R2, D3-C1, ...) carry their own weight
    in the ruleset, overridable under `rules:`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    merit: int = Field(default=1, ge=0, le=10_000)
    continuity: int = Field(default=2, ge=0, le=10_000)
    reserve: int = Field(default=3, ge=0, le=10_000)


class Scenario(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    reshuffle_date: date
    county: County
    cadres: tuple[Cadre, ...]
    ruleset: str
    ruleset_definition: Ruleset | None = Field(
        default=None,
        description="a county's own ruleset, used instead of the preset named by `ruleset`",
    )
    rules: dict[str, RuleOverride] = Field(default_factory=dict)
    renomination_overrides: dict[str, str] = Field(
        default_factory=dict,
        description="cadre id -> the organization's reason to lift D1-E6/D5-E1 for them",
    )
    pins: tuple[Pin, ...] = ()
    bans: tuple[Ban, ...] = ()
    remove: tuple[str, ...] = Field(default=(), description="cadre ids taken out of the pool (what-if)")
    weights: ScoreWeights = ScoreWeights()
    _memo: dict[str, Any] = PrivateAttr(default_factory=dict)

    def __eq__(self, other: object) -> bool:
        """Equal when the fields are; the memo of computed properties does not count."""
        return type(other) is type(self) and self.__dict__ == other.__dict__

    __hash__ = BaseModel.__hash__

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Scenario:
        """A copy with its own (empty) memo; prefer `with_changes` for what-ifs."""
        copy = super().model_copy(update=update, deep=deep)
        copy._memo = {}
        return copy

    def with_changes(self, **changes: Any) -> Scenario:
        """A validated copy with some fields replaced (a what-if)."""
        data = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self).model_validate({**data, **changes})

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        errors = self.cross_check()
        if errors:
            raise InputErrors(errors)
        return self

    def cross_check(self) -> list[InputError]:
        """Every reference between parts of the scenario, each as a located error."""
        errors: list[InputError] = []

        def err(section: str, key: str, fld: str, value: object, message: str) -> None:
            errors.append(InputError(message, fld, str(value), section=section, key=key))

        known_ruleset = self.ruleset_definition is not None or self.ruleset in preset_ids()
        if not known_ruleset:
            err("scenario", "", "ruleset", self.ruleset, f"unknown preset; use one of {preset_ids()}")
        tids = [t.id for t in self.county.townships]
        cids = [c.id for c in self.cadres]
        for i in _dups(tids):
            err("townships", i, "id", i, "duplicate township id; each id must be unique")
        for i in _dups(cids):
            err("cadres", i, "id", i, "duplicate cadre id; each id must be unique")
        known_t, known_c = set(tids), set(cids)
        for c in self.cadres:
            if c.current_township is not None and c.current_township not in known_t:
                err("cadres", c.id, "current_township", c.current_township,
                    "no township has this id; use a township id or leave it empty")
            if c.birth_date >= self.reshuffle_date:
                err("cadres", c.id, "birth_date", c.birth_date,
                    f"birth date is not before the reshuffle date {self.reshuffle_date}")
            if c.post_since is not None and c.post_since > self.reshuffle_date:
                err("cadres", c.id, "post_since", c.post_since,
                    f"post taken after the reshuffle date {self.reshuffle_date}")
            if c.current_post is not None and c.post_since is None:
                err("cadres", c.id, "post_since", "",
                    "a cadre with a current post needs the date it was taken")
        if not known_ruleset:
            return errors
        base = self.base_ruleset
        for rid in self.rules:
            if base.rule(rid) is None:
                err("rules", rid, "id", rid, f"not a rule of preset '{self.ruleset}'")
        errors += self.check_rule_params()
        seat_kinds = {s.id for team in base.teams.values() for s in team.seats}
        for what, items in (("pins", self.pins), ("bans", self.bans)):
            for p in items:
                if p.cadre not in known_c:
                    err(what, p.cadre, "cadre", p.cadre, "unknown cadre id")
                if p.township not in known_t:
                    err(what, p.cadre, "township", p.township, "unknown township id")
                if p.seat is not None and p.seat not in seat_kinds:
                    err(what, p.cadre, "seat", p.seat, f"unknown seat; use one of {sorted(seat_kinds)}")
        for cid in self.renomination_overrides:
            if cid not in known_c:
                err("renomination_overrides", cid, "cadre", cid, "unknown cadre id")
        for cid in self.remove:
            if cid not in known_c:
                err("remove", cid, "cadre", cid, "unknown cadre id")
        for pin in self.pins:
            if pin.cadre in self.remove:
                err("pins", pin.cadre, "cadre", pin.cadre, "this cadre is also removed from the pool")
        for cid in _dups([p.cadre for p in self.pins]):
            err("pins", cid, "cadre", cid, "this cadre is pinned to more than one seat; pin each cadre once")
        return errors

    def check_rule_params(self) -> list[InputError]:
        """Each rule in force names a known kind and has parameters that kind accepts."""
        errors: list[InputError] = []
        for spec in self.ruleset_in_force.rules:
            kind = REGISTRY.get(spec.kind)
            if kind is None:
                errors.append(InputError(f"unknown rule kind; use one of {sorted(REGISTRY)}",
                                         "kind", spec.kind, section="rules", key=spec.id))
                continue
            try:
                kind.parse(spec)
            except ValidationError as e:
                for item in e.errors():
                    loc = ".".join(str(x) for x in item["loc"])
                    errors.append(InputError(item["msg"], f"params.{loc}", str(item.get("input", "")),
                                             section="rules", key=spec.id))
        return errors

    @property
    def base_ruleset(self) -> Ruleset:
        return self.ruleset_definition or load_preset(self.ruleset)

    @memo
    def ruleset_in_force(self) -> Ruleset:
        """The preset with this scenario's overrides applied; rules turned off are gone."""
        base = self.base_ruleset
        rules: list[RuleSpec] = []
        for spec in base.rules:
            ov = self.rules.get(spec.id)
            if ov is None:
                rules.append(spec)
                continue
            if ov.off:
                continue
            rules.append(
                spec.model_copy(
                    update={
                        "strength": ov.strength or spec.strength,
                        "weight": spec.weight if ov.weight is None else ov.weight,
                        "params": merge_params(spec.params, ov.params),
                    }
                )
            )
        return base.model_copy(update={"rules": tuple(rules)})

    @memo
    def townships(self) -> dict[str, Township]:
        return {t.id: t for t in self.county.townships}

    @memo
    def cadre_by_id(self) -> dict[str, Cadre]:
        return {c.id: c for c in self.cadres}

    @memo
    def seats(self) -> list[Seat]:
        """Every seat of every township, in township order then template order."""
        rs = self.ruleset_in_force
        out: list[Seat] = []
        for t in self.county.townships:
            out += rs.team_for(t.township_class, t.residents, t.party_members).expand(t.id)
        return out

    def seats_of(self, township: str) -> list[Seat]:
        return [s for s in self.seats if s.township == township]

    @memo
    def sitting(self) -> dict[str, list[Cadre]]:
        """Township id -> its outgoing team (`Cadre.is_sitting`), in pool order."""
        out: dict[str, list[Cadre]] = {t: [] for t in self.townships}
        for c in self.cadres:
            if c.is_sitting and c.current_township is not None:
                out[c.current_township].append(c)
        return out

    def is_sitting_member(self, cadre: Cadre) -> bool:
        return cadre.is_sitting


def _dups(values: list[str]) -> list[str]:
    seen: set[str] = set()
    dup: list[str] = []
    for v in values:
        if v in seen and v not in dup:
            dup.append(v)
        seen.add(v)
    return dup
