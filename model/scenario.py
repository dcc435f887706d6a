"""A scenario: one reshuffle question put to the solver.

It names the county, the pool, the ruleset and what staff change about it
(rule overrides, pins, bans, score weights). Everything is checked here, at the
boundary; the solver and the referee trust what they get.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from model.errors import InputError, InputErrors
from model.overrides import RuleOverride, merge_params, overlay
from model.people import AGE_RANGE, Cadre, County, Township, full_years
from model.rules import REGISTRY
from model.rules.base import CadreException
from model.rules.counts import TARGET_KEYS
from model.ruleset import Ruleset, RuleSpec, ScoreWeights, Seat, load_preset, preset_ids

RESHUFFLE_YEARS = (2000, 2100)
"""Reshuffle dates this tool plans for: the directives it encodes date from 2006 on, and a
date far off is a typing slip (3000 for 2030) that would make every cadre too young or old."""


def _in_window(day: date) -> date:
    low, high = RESHUFFLE_YEARS
    if not low <= day.year <= high:
        raise ValueError(f"a reshuffle date must be in the years {low} to {high}; "
                         "the rules encoded here date from 2006 on")
    return day


def memo(fn: Callable[[Scenario], Any]) -> Any:
    """A property computed once per scenario object. Unlike functools.cached_property
    it lives in a private store that `model_copy` resets, so a what-if copy never
    sees its parent's seats or rules."""
    name = fn.__name__

    @wraps(fn)
    def get(self: Scenario) -> Any:
        return self.computed(name, fn)

    return property(get)


class Pin(BaseModel):
    """Cadre must take this seat kind (any instance of it) in this township; with no seat, any
    seat of the township's team (the township-wide pin: "she goes to 东山镇")."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cadre: str
    township: str
    seat: str | None = None

    def takes(self, township: str, kind: str) -> bool:
        """Whether a seat of this kind in this township keeps the pin."""
        return township == self.township and self.seat in (None, kind)

    @property
    def spot(self) -> str:
        """`township/seat`, or the township alone for a township-wide pin (keys, messages)."""
        return self.township + (f"/{self.seat}" if self.seat else "")


class Ban(BaseModel):
    """Cadre may not sit in this township (or only not in this seat kind of it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cadre: str
    township: str
    seat: str | None = None

    def covers(self, township: str, kind: str) -> bool:
        """Whether the ban keeps its cadre out of a seat of this kind in this township."""
        return township == self.township and self.seat in (None, kind)


class Scenario(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    reshuffle_date: Annotated[date, AfterValidator(_in_window)]
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
    exceptions: dict[str, CadreException] = Field(
        default_factory=dict,
        description="cadre id -> the organization's decision (kind: demotion, exceptional_promotion, "
                    "two_step_promotion or kept_for_work, or their Chinese labels) and its reason; it lifts "
                    "for that cadre the rules whose lifted_by names the kind (N-1, N-2, N-3, N-4, N-7, N-8)",
    )
    pins: tuple[Pin, ...] = ()
    bans: tuple[Ban, ...] = ()
    remove: tuple[str, ...] = Field(default=(), description="cadre ids taken out of the pool (what-if)")
    weights: ScoreWeights = Field(
        default=ScoreWeights(),
        description="score weights that differ from the ruleset's; only the weights given count",
    )
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

    def computed(self, name: str, fn: Callable[[Scenario], Any]) -> Any:
        """fn(self), computed once per scenario object, in the memo `model_copy` resets:
        for facts of another module (the referee's big_m, asked once per slate judged)."""
        store = self.__pydantic_private__["_memo"]  # `self._memo` goes through pydantic's __getattr__
        if name not in store:
            store[name] = fn(self)
        return store[name]

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
        return check_parts(Parts.of(self))

    def seat_problem(self, township: str, seat: str) -> str | None:
        """Why `seat` names no seat kind of `township`'s team (None if it does); for a pin, a
        ban, why-not and recommend alike."""
        return seat_problem(self.base_ruleset, self.townships[township], seat)

    @property
    def base_ruleset(self) -> Ruleset:
        return self.ruleset_definition or load_preset(self.ruleset)

    @memo
    def ruleset_in_force(self) -> Ruleset:
        """The preset with this scenario's overrides applied; rules turned off are gone."""
        return rules_in_force(self.base_ruleset, self.rules)

    @memo
    def weights_in_force(self) -> ScoreWeights:
        """The ruleset's score weights with the ones this scenario gives laid over them."""
        return overlay(self.base_ruleset.score_weights, self.weights)

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

    @property
    def pool_size(self) -> int:
        """Cadres a slate may seat: the pool without those a what-if removed (the bound of a pool's size)."""
        return len(self.cadres) - len(set(self.remove))

    def township_named(self, township: str) -> str | None:
        """The township's id, named by id or by its name (staff name townships, systems use ids)."""
        if township in self.townships:
            return township
        return next((t.id for t in self.county.townships if t.name == township), None)

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


def rules_in_force(base: Ruleset, overrides: Mapping[str, RuleOverride]) -> Ruleset:
    """`base` with the overrides applied (the merge rule of model/overrides.py for params);
    rules turned off are gone."""
    return base.model_copy(update={"rules": specs_in_force(base.rules, overrides)})


def specs_in_force(specs: Sequence[RuleSpec], overrides: Mapping[str, RuleOverride]) -> tuple[RuleSpec, ...]:
    """`specs` with the overrides applied, those turned off gone: the one way an override changes a
    rule, for the slate's rules and for the representatives' (model/representatives.py) alike."""
    rules: list[RuleSpec] = []
    for spec in specs:
        ov = overrides.get(spec.id)
        if ov is None:
            rules.append(spec)
            continue
        if ov.off:
            continue
        rules.append(spec.model_copy(update={
            "strength": ov.strength or spec.strength,
            "weight": spec.weight if ov.weight is None else ov.weight,
            "params": merge_params(spec.params, ov.params),
        }))
    return tuple(rules)


@dataclass(frozen=True)
class Parts:
    """A scenario's parts as far as they loaded, for the cross-checks (`check_parts`).

    A part that could not be read is None (or, for the ruleset, `ruleset_failed`): the checks
    that need it are skipped, since every reference into it would look wrong. The lists hold
    the items that are valid on their own. A Scenario gives all its parts (`Parts.of`); a
    reader gives what it could read, so the cross-checks run beside the field errors.
    """

    reshuffle_date: date | None = None
    townships: Sequence[Township] | None = ()
    cadres: Sequence[Cadre] | None = ()
    ruleset: str | None = None
    ruleset_definition: Ruleset | None = None
    ruleset_failed: bool = False
    """The ruleset (or its definition) is given but invalid: already an error of its own."""
    rules: Mapping[str, RuleOverride] | None = None
    renomination_overrides: Mapping[str, str] | None = None
    exceptions: Mapping[str, CadreException] | None = None
    pins: Sequence[Pin] = ()
    bans: Sequence[Ban] = ()
    remove: Sequence[str] = ()

    @classmethod
    def of(cls, sc: Scenario) -> Parts:
        return cls(reshuffle_date=sc.reshuffle_date, townships=sc.county.townships, cadres=sc.cadres,
                   ruleset=sc.ruleset, ruleset_definition=sc.ruleset_definition, rules=sc.rules,
                   renomination_overrides=sc.renomination_overrides, exceptions=sc.exceptions,
                   pins=sc.pins, bans=sc.bans, remove=sc.remove)

    def base_ruleset(self) -> Ruleset | None:
        """The ruleset the scenario names, or None if it is unknown or invalid."""
        if self.ruleset_failed:
            return None
        if self.ruleset_definition is not None:
            return self.ruleset_definition
        return load_preset(self.ruleset) if self.ruleset in preset_ids() else None


class _Found:
    """The errors found so far, added as the cross-checks name them (section and key)."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def add(self, section: str, key: str, fld: str, value: object, message: str) -> None:
        self.errors.append(InputError(message, fld, "" if value is None else str(value),
                                      section=section, key=key))


def check_parts(p: Parts) -> list[InputError]:
    """Every reference between the parts and every plausibility bound that takes two fields
    (an age on the reshuffle date, a date before birth), each as an error located by section
    and key; `assemble_scenario` (model/records.py) gives them their file, row and field."""
    found = _Found()
    if p.ruleset is not None and not p.ruleset_failed and p.ruleset_definition is None \
            and p.ruleset not in preset_ids():
        found.add("scenario", "", "ruleset", p.ruleset, f"unknown preset; use one of {preset_ids()}")
    if p.townships is not None:
        _check_townships(p.townships, found)
    if p.cadres is not None:
        _check_cadres(p, found)
    base = p.base_ruleset()
    if base is not None and p.rules is not None:
        for rid in p.rules:
            if base.rule(rid) is None:
                found.add("rules", rid, "id", rid, f"not a rule of preset '{base.id}'")
        found.errors += check_rule_params(base, p.rules)
    _check_references(p, base, found)
    _check_exceptions(p, base, found)
    return found.errors


def lifting_rules(base: Ruleset, overrides: Mapping[str, RuleOverride]) -> dict[str, list[str]]:
    """Exception kind -> the ids of the rules it lifts (`lifted_by`), in the base ruleset or in
    force after the overrides; a rule whose params do not parse lifts nothing (its own error)."""
    out: dict[str, list[str]] = {}
    for spec in (*base.rules, *rules_in_force(base, overrides).rules):
        kind = REGISTRY.get(spec.kind)
        try:
            lifted_by = getattr(kind.parse(spec), "lifted_by", ()) if kind is not None else ()
        except ValidationError:
            continue
        for k in lifted_by:
            if spec.id not in out.setdefault(k.value, []):
                out[k.value].append(spec.id)
    return out


def _check_exceptions(p: Parts, base: Ruleset | None, found: _Found) -> None:
    """Each exception names a cadre of the pool and a kind that some rule of the ruleset takes
    (the reason is checked non-empty where it is read, `CadreException`)."""
    if not p.exceptions:
        return
    cadres = {c.id for c in p.cadres} if p.cadres else None
    lifts = lifting_rules(base, p.rules or {}) if base is not None else None
    for cid, ex in p.exceptions.items():
        if cadres is not None and cid not in cadres:
            found.add("exceptions", cid, "cadre", cid, "unknown cadre id")
        if lifts is not None and ex.kind.value not in lifts:
            takes = "; ".join(f"{k} lifts {', '.join(ids)}" for k, ids in sorted(lifts.items())) or "none"
            found.add("exceptions", cid, "kind", ex.kind.value,
                      f"no rule of the ruleset is lifted by a {ex.kind.value} exception (rules that take "
                      f"exceptions: {takes})")


def _check_townships(townships: Sequence[Township], found: _Found) -> None:
    if not townships:
        found.add("townships", "", "", "", "the county has no townships; add one row per township")
    for i in _dups([t.id for t in townships]):
        found.add("townships", i, "id", i, "duplicate township id; each id must be unique")
    for t in townships:
        if t.residents and t.party_members > t.residents:
            found.add("townships", t.id, "party_members", t.party_members,
                      f"more party members than the {t.residents} residents; check both cells")
        if t.party_members and 3 * t.party_branches > t.party_members:
            found.add("townships", t.id, "party_branches", t.party_branches,
                      f"more branches than a third of the {t.party_members} party members; "
                      "a branch has at least 3 members, Party Constitution art. 30")


def _check_cadres(p: Parts, found: _Found) -> None:
    cadres = p.cadres or ()
    if not cadres:
        found.add("cadres", "", "", "", "the pool is empty; add one row per cadre")
    for i in _dups([c.id for c in cadres]):
        found.add("cadres", i, "id", i, "duplicate cadre id; each id must be unique")
    known_t = {t.id for t in p.townships} if p.townships else None  # none: that is the error
    low, high = AGE_RANGE
    on = p.reshuffle_date
    known_c = {c.id for c in cadres}
    for c in cadres:
        if known_t is not None and c.current_township is not None and c.current_township not in known_t:
            found.add("cadres", c.id, "current_township", c.current_township,
                      "no township has this id; use a township id or leave it empty")
        if c.current_post is not None and c.post_since is None:
            found.add("cadres", c.id, "post_since", "",
                      "a cadre with a current post needs the date it was taken")
        birth_ok = True
        if on is not None:
            age = full_years(c.birth_date, on)
            birth_ok = c.birth_date < on and low <= age <= high
            if c.birth_date >= on:
                found.add("cadres", c.id, "birth_date", c.birth_date,
                          f"birth date is not before the reshuffle date {on}")
            elif not birth_ok:
                found.add("cadres", c.id, "birth_date", c.birth_date,
                          f"aged {age} on the reshuffle date {on}; a cadre is {low} to {high} "
                          f"({low}: the age to hold public office; {high}: above every retirement "
                          "age and age cap)")
        for fld in ("post_since", "rank_since", "work_since", "party_since"):
            day = getattr(c, fld)
            if birth_ok and day is not None and day < c.birth_date:  # else the birth date is the error
                found.add("cadres", c.id, fld, day, f"before the cadre's birth date {c.birth_date}")
        for rel in c.relatives:
            if rel.cadre == c.id:
                found.add("cadres", c.id, "relatives", str(rel), "a cadre is no relative of themselves")
            elif rel.cadre not in known_c:
                found.add("cadres", c.id, "relatives", str(rel),
                          "no cadre of the pool has this id; name a relative by their cadre id")
        if on is None:
            continue
        for fld, what in (("post_since", "post"), ("rank_since", "rank"), ("work_since", "work"),
                          ("party_since", "party membership")):
            day = getattr(c, fld)
            if day is not None and day > on:
                found.add("cadres", c.id, fld, day, f"{what} taken after the reshuffle date {on}")


def _check_references(p: Parts, base: Ruleset | None, found: _Found) -> None:
    """Pins, bans, renomination overrides and removals name cadres, townships and seats that exist."""
    # an unread or empty list is not referred to: every reference would look wrong
    cadres = {c.id for c in p.cadres} if p.cadres else None
    townships = {t.id: t for t in p.townships} if p.townships else None
    for what, items in (("pins", p.pins), ("bans", p.bans)):
        for item in items:
            if cadres is not None and item.cadre not in cadres:
                found.add(what, item.cadre, "cadre", item.cadre, "unknown cadre id")
            if townships is not None and item.township not in townships:
                found.add(what, item.cadre, "township", item.township, "unknown township id")
            if item.seat is None or base is None:
                continue
            if townships is not None and item.township in townships:
                problem = seat_problem(base, townships[item.township], item.seat)
            elif item.seat not in base.seat_kinds():
                problem = f"unknown seat; use one of {sorted(base.seat_kinds())}"
            else:
                problem = None
            if problem is not None:
                found.add(what, item.cadre, "seat", item.seat, problem)
    pinned: dict[str, Pin] = {}
    for pin in p.pins:
        first = pinned.setdefault(pin.cadre, pin)
        if first is not pin:
            found.add("pins", pin.cadre, "seat", pin.seat,  # located at the second pin's seat
                      f"{pin.cadre} is pinned to more than one seat (also to {first.spot}); "
                      "pin each cadre once")
    if cadres is not None:
        for cid in p.renomination_overrides or {}:
            if cid not in cadres:
                found.add("renomination_overrides", cid, "cadre", cid, "unknown cadre id")
        for cid in p.remove:
            if cid not in cadres:
                found.add("remove", cid, "cadre", cid, "unknown cadre id")
    removed = set(p.remove)
    for pin in p.pins:
        if pin.cadre in removed:
            found.add("pins", pin.cadre, "cadre", pin.cadre, "this cadre is also removed from the pool")


def seat_problem(ruleset: Ruleset, township: Township, seat: str) -> str | None:
    """Why `seat` is no seat kind of the township's team under `ruleset`, or None if it is one.

    The team is the township's own template: the large-township one where the township is
    large (D1-S1, D3-S2), else its class's; a seat kind of another template is named as such."""
    team = ruleset.team_for(township.township_class, township.residents, township.party_members)
    kinds = sorted({s.id for s in team.seats})
    if seat in kinds:
        return None
    if seat not in ruleset.seat_kinds():
        return f"unknown seat; use one of {kinds}"
    if ruleset.large is not None and seat in ruleset.large.seat_kinds():
        return (f"a seat of large townships only ({ruleset.large.describe()}); {township.id} has "
                f"{township.residents} residents and {township.party_members} party members, "
                f"so its seats are {kinds}")
    return f"not a seat of a class-{township.township_class} township's team; use one of {kinds}"


def check_rule_params(base: Ruleset, overrides: Mapping[str, RuleOverride]) -> list[InputError]:
    """Each rule in force names a known kind and has parameters that kind accepts.

    A target written short (`min_count: 3`) on a rule that counts in parts (D3-C1) would be
    refused as an unknown key; the error says how to write it for the rule's real parts."""
    errors: list[InputError] = []
    for spec in rules_in_force(base, overrides).rules:
        kind = REGISTRY.get(spec.kind)
        if kind is None:
            errors.append(InputError(f"unknown rule kind; use one of {sorted(REGISTRY)}",
                                     "kind", spec.kind, section="rules", key=spec.id))
            continue
        short = _short_targets(base.rule(spec.id), overrides.get(spec.id))
        if short:
            errors += short
            continue
        try:
            kind.parse(spec)
        except ValidationError as e:
            for item in e.errors():
                loc = ".".join(str(x) for x in item["loc"])
                value = item.get("input", "")
                errors.append(InputError(item["msg"], f"params.{loc}",
                                         "" if isinstance(value, dict | list) else str(value),
                                         section="rules", key=spec.id))
    return errors


def _short_targets(spec: RuleSpec | None, override: RuleOverride | None) -> list[InputError]:
    """A target key given at the top of `params` for a rule whose preset counts in `parts`, or
    `parts` given for a rule of one target (the kind would drop them without a word)."""
    if spec is None or override is None:
        return []
    if "parts" in override.params and "who" in spec.params and "parts" not in spec.params:
        return [InputError(f"{spec.id} has one target, not parts; set its numbers directly, "
                           "e.g. params: {min_count: 2}", "params.parts", section="rules", key=spec.id)]
    if not isinstance(spec.params.get("parts"), Mapping):
        return []
    labels = list(spec.params["parts"])
    out: list[InputError] = []
    for key in TARGET_KEYS:
        if key in override.params:
            value = override.params[key]
            out.append(InputError(
                f"{spec.id} counts in parts ({', '.join(labels)}); a target is set per part: "
                f"params: {{parts: {{{labels[0]}: {{{key}: {value}}}}}}}",
                f"params.{key}", "" if isinstance(value, dict | list) else str(value),
                section="rules", key=spec.id))
    return out


def _dups(values: list[str]) -> list[str]:
    seen: set[str] = set()
    dup: list[str] = []
    for v in values:
        if v in seen and v not in dup:
            dup.append(v)
        seen.add(v)
    return dup
