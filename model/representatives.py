"""The rules on party-congress representatives (section P) and their plain-Python check.

A township's problem (`RepProblem`): its units with the seats apportioned to them, its nominees,
its membership shares and its last congress. A selection (`RepSelection`) puts, per unit, an
initial list (初步人选), a final list (预备人选) within it, and within that the nominees the plan
expects to be elected (拟当选, one per seat); the structure quotas are on the expected
representatives. The CP-SAT model is `solver/representatives.py`; `check_selection` here shares
with it only the definitions both read (`RepWho.matches`, `disqualified`, the params).

Rule kinds (a preset's `representatives:` rules; a congress.yaml's `rules:` overrides them):
- `rep_seats`: the seat count (D1-P1, D2-P1, D5-P1; model/congress.py);
- `rep_structure`: shares of the expected representatives (D1-P2, D1-P3, D2-P2, D5-P2);
- `rep_differential`: list lengths per unit (D1-P4);
- `rep_eligibility`: who may not be a candidate (D2-P3);
- `rep_no_overlap`: no people's-congress representatives (D1-P5).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from model.enums import Gender, Occupation, Strength
from model.membership import CongressFacts, ElectoralUnit, Membership, Nominee
from model.overrides import RuleOverride
from model.people import full_years
from model.reasons import Reason, reason
from model.rules.base import Params, frac
from model.ruleset import RuleSpec
from model.scenario import specs_in_force
from model.slate import RuleInstance

KINDS = ("rep_seats", "rep_structure", "rep_differential", "rep_eligibility", "rep_no_overlap")


class RepWho(Params):
    """Which expected representatives a quota counts; unset fields match everyone."""

    gender: Annotated[Gender | None, BeforeValidator(Gender.parse)] = None
    minority: bool | None = None
    max_age: int | None = Field(default=None, ge=18, le=100)
    occupations: tuple[Annotated[Occupation, BeforeValidator(Occupation.parse)], ...] | None = None
    not_occupations: tuple[Annotated[Occupation, BeforeValidator(Occupation.parse)], ...] = ()
    two_new: bool | None = None

    def matches(self, n: Nominee, on: date) -> bool:
        return ((self.gender is None or n.gender == self.gender)
                and (self.minority is None or n.is_minority == self.minority)
                and (self.max_age is None or n.age_on(on) <= self.max_age)
                and (self.occupations is None or n.occupation in self.occupations)
                and n.occupation not in self.not_occupations
                and (self.two_new is None or n.two_new == self.two_new))


class Quota(Params):
    """One share of the expected representatives: `at_least` / `at_most` a fixed share, at least
    the membership share of a group (`membership`: women, minorities, two_new), or higher than
    the last congress's front-line share (`above_last`, D1-P3). Bounds include the number."""

    who: RepWho
    at_least: float | None = Field(default=None, ge=0, le=1)
    at_most: float | None = Field(default=None, ge=0, le=1)
    membership: Literal["women", "minorities", "two_new"] | None = None
    above_last: bool = False

    @model_validator(mode="after")
    def _one_bound(self) -> Quota:
        given = (self.at_least is not None) + (self.at_most is not None) + (self.membership is not None) \
            + self.above_last
        if given != 1:
            raise ValueError("give exactly one of at_least, at_most, membership and above_last")
        return self


class StructureParams(Params):
    quotas: dict[str, Quota] = Field(min_length=1)


class DifferentialParams(Params):
    """D1-P4: the initial list at least `initial` more than the seats, the final list `final` more
    (strictly more when `final_strict`, D1's 多于), and not below the last congress's ratio when
    `not_below_last` (D1 二(一)3(2))."""

    initial: float = Field(default=0.3, ge=0, le=2)
    final: float = Field(default=0.2, ge=0, le=2)
    final_strict: bool = False
    not_below_last: bool = False


class EligibilityParams(Params):
    years: int = Field(default=5, ge=1, le=20)
    """D2-P3's 近五年."""


class NoParams(Params):
    pass


PARAMS: dict[str, type[Params]] = {"rep_structure": StructureParams, "rep_differential": DifferentialParams,
                                   "rep_eligibility": EligibilityParams, "rep_no_overlap": NoParams}


def disqualified(n: Nominee, on: date, years: int) -> list[str]:
    """D2-P3's grounds that hold for the nominee: sanction, criminal, investigation, petition,
    unqualified, incapacity (the five kinds; 涉黑涉恶 is read with the criminal penalty)."""
    def recent(d: date | None) -> bool:
        return d is not None and full_years(d, on) < years

    out = []
    if recent(n.serious_sanction):
        out.append("serious_sanction")
    if recent(n.criminal_penalty):
        out.append("criminal_penalty")
    if n.under_investigation:
        out.append("under_investigation")
    if n.petition_or_cult:
        out.append("petition_or_cult")
    if n.unqualified_year is not None and on.year - n.unqualified_year <= years:
        out.append("unqualified")
    if n.incapacitated:
        out.append("incapacitated")
    return out


def rep_rules(base: tuple[RuleSpec, ...], overrides: Mapping[str, RuleOverride]) -> tuple[RuleSpec, ...]:
    """The P rules in force: the preset's with congress.yaml's overrides laid over (the merge rule
    of model/overrides.py); a rule turned off is gone. An override naming no P rule is a KeyError."""
    known = {r.id for r in base}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise KeyError(f"not a representatives rule of the preset: {unknown}; use some of {sorted(known)}")
    out = specs_in_force(base, overrides)
    for spec in out:
        if spec.kind not in KINDS:
            raise ValueError(f"{spec.id}: unknown representatives rule kind {spec.kind!r}; "
                             f"use one of {KINDS}")
        if spec.kind in PARAMS:
            PARAMS[spec.kind].model_validate(spec.params)
    return out


@dataclass(frozen=True)
class RepProblem:
    """One township's selection problem: what the solver and the check both read."""

    township: str
    on: date
    units: tuple[ElectoralUnit, ...]
    seats: Mapping[str, int]
    nominees: tuple[Nominee, ...]
    facts: CongressFacts = field(default_factory=CongressFacts)
    rules: tuple[RuleSpec, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.seats.values())

    @property
    def members(self) -> int:
        return sum(u.members for u in self.units)

    def group(self, name: str) -> int:
        return sum(getattr(u, name) for u in self.units)

    def of_unit(self, unit: str) -> list[Nominee]:
        return [n for n in self.nominees if n.unit == unit]

    def specs(self, kind: str) -> list[RuleSpec]:
        return [r for r in self.rules if r.kind == kind]


def problem_of(m: Membership, township: str, on: date, seats: Mapping[str, int],
               rules: tuple[RuleSpec, ...]) -> RepProblem:
    return RepProblem(township, on, tuple(m.units_of(township)), dict(seats), tuple(m.nominees_of(township)),
                      m.facts(township), rules)


class UnitLists(BaseModel):
    """One unit's lists, nominee ids in roll order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: str
    seats: int
    initial: tuple[str, ...]
    final: tuple[str, ...]
    elected: tuple[str, ...]


class RepSelection(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    township: str
    units: tuple[UnitLists, ...]

    def elected(self) -> set[str]:
        return {i for u in self.units for i in u.elected}

    def on_lists(self) -> set[str]:
        return {i for u in self.units for i in (*u.initial, *u.final, *u.elected)}


# --------------------------------------------------------------------------- the check


@dataclass
class _Out:
    items: list[RuleInstance] = field(default_factory=list)

    def add(self, spec: RuleSpec, where: str, holds: bool, why: Reason, amount: int = 1,
            **at: object) -> None:
        penalty = spec.weight * amount if (not holds and spec.strength == Strength.prefer) else 0
        self.items.append(RuleInstance(key=f"{spec.id}@{where}", rule=spec.id, strength=spec.strength,
                                       holds=holds, penalty=penalty, reason=why, **at))  # type: ignore[arg-type]


def check_selection(p: RepProblem, sel: RepSelection) -> list[RuleInstance]:
    """Every P rule of `p.rules` on the selection, one instance per place, in plain Python."""
    out = _Out()
    by_id = {n.id: n for n in p.nominees}
    elected = [by_id[i] for i in sel.elected()]
    total = len(elected)
    t = p.township
    for spec in p.specs("rep_structure"):
        for name, q in StructureParams.model_validate(spec.params).quotas.items():
            have = sum(q.who.matches(n, p.on) for n in elected)
            share = Fraction(have, total) if total else Fraction(0)
            if q.above_last:
                if p.facts.last_front_line is None:
                    continue  # nothing to compare with: the result says so (rep_no_last)
                bound, holds = frac(p.facts.last_front_line), share > frac(p.facts.last_front_line)
            elif q.at_most is not None:
                bound = frac(q.at_most)
                holds = share <= bound
            else:
                bound = frac(q.at_least) if q.at_least is not None else (
                    Fraction(p.group(q.membership or ""), p.members) if p.members else Fraction(0))
                holds = share >= bound
            out.add(spec, f"{t}#{name}", holds,
                    reason("rep_quota", quota=name, have=have, total=total, bound=float(bound),
                           side="at_most" if q.at_most is not None else
                           "above" if q.above_last else "at_least"),
                    township=t, have=have, total=total)
    for spec in p.specs("rep_differential"):
        d = DifferentialParams.model_validate(spec.params)
        for u in sel.units:
            s = u.seats
            for which, n, margin, strict in (("initial", len(u.initial), d.initial, False),
                                             ("final", len(u.final), d.final, d.final_strict)):
                extra = Fraction(n - s, s) if s else Fraction(0)
                holds = extra > frac(margin) if strict else extra >= frac(margin)
                if which == "final" and d.not_below_last and p.facts.last_differential is not None:
                    holds = holds and extra >= frac(p.facts.last_differential)
                out.add(spec, f"{t}/{u.unit}#{which}", holds,
                        reason("rep_list", unit=u.unit, list=which, have=n, seats=s, margin=margin,
                               strict=strict),
                        township=t, have=n, total=s)
    listed = sel.on_lists()
    for spec in p.specs("rep_eligibility"):
        years = EligibilityParams.model_validate(spec.params).years
        for n in p.nominees:
            grounds = disqualified(n, p.on, years)
            if grounds:
                out.add(spec, f"{t}/{n.id}", n.id not in listed,
                        reason("rep_disqualified", nominee=n.id, grounds=grounds, listed=n.id in listed),
                        township=t, cadre=n.id)
    chosen = sel.elected()
    for spec in p.specs("rep_no_overlap"):
        for n in p.nominees:
            if n.peoples_congress:
                out.add(spec, f"{t}/{n.id}", n.id not in chosen,
                        reason("rep_overlap", nominee=n.id, elected=n.id in chosen), township=t, cadre=n.id)
    return out.items


def structure_problems(p: RepProblem, sel: RepSelection) -> list[str]:
    """What makes a selection malformed whatever the rules: lists not nested, a wrong seat count,
    a nominee of another unit or listed twice. Empty when it is well formed."""
    out = []
    units = {n.id: n.unit for n in p.nominees}
    for u in sel.units:
        if not set(u.elected) <= set(u.final) <= set(u.initial):
            out.append(f"{u.unit}: lists are not nested")
        if len(u.elected) != p.seats.get(u.unit, 0):
            out.append(f"{u.unit}: {len(u.elected)} expected representatives for {p.seats.get(u.unit)} seats")
        for i in u.initial:
            if units.get(i) != u.unit:
                out.append(f"{u.unit}: {i} is no nominee of this unit")
        if len(set(u.initial)) != len(u.initial):
            out.append(f"{u.unit}: a nominee is listed twice")
    return out
