"""Representative candidates chosen from nominees by CP-SAT (section P; model/representatives.py).

Per nominee three literals, nested: on the initial list (初步人选), on the final list (预备人选),
expected to be elected (拟当选). Per unit the expected ones fill its seats exactly; the lists are
as long as D1-P4 asks (shorter only when D1-P4 is not a must and its instance is let go).

Each rule instance has a literal that is true exactly when the instance holds (both directions are
encoded, so the solver's verdicts are exact whatever the search reached and can be compared with
the plain-Python check). A `must` instance is fixed true; a `generally` one that breaks costs more
than every preference together (a selection that breaks one is worse than any that breaks none);
a `prefer` one costs its weight; among the rest the objective takes the most recommendation votes.

When the must rules cannot all hold: the cheap checks with their numbers (`prechecks`), then the
smallest relaxation: each must count may fall short by a slack, CP-SAT minimizes the total, and
each slack used is a `Relaxation` (rule, parameter, before, after, and the congress.yaml override).
Disqualifications (D2-P3) are never relaxed, and the explanation says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from ortools.sat.python import cp_model
from pydantic import BaseModel, ConfigDict, Field

from model.congress import apportion, seat_count
from model.enums import Strength
from model.membership import Membership
from model.overrides import RuleOverride, overlay_rules
from model.reasons import Reason, reason
from model.representatives import (
    DifferentialParams,
    EligibilityParams,
    RepProblem,
    RepSelection,
    StructureParams,
    UnitLists,
    check_selection,
    disqualified,
    frac,
    problem_of,
    rep_rules,
)
from model.scenario import Scenario
from model.slate import Relaxation, RuleInstance, SolveStatus
from solver.run import make_solver, status_of

TIME_LIMIT = 10.0
WORKERS = 2


class RepResult(BaseModel):
    """A township's selection, the verdict of each rule instance as the solver sees it (key ->
    holds), and, when none exists, the reasons and the cheapest relaxations."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    township: str
    status: SolveStatus
    selection: RepSelection | None = None
    verdicts: dict[str, bool] = Field(default_factory=dict)
    objective: float | None = None
    reasons: list[Reason] = Field(default_factory=list)
    relaxations: list[Relaxation] = Field(default_factory=list)


def list_sizes(seats: int, d: DifferentialParams | None, last: float | None) -> tuple[int, int]:
    """(initial, final) list lengths: the least n with (n - seats) / seats at or above (or, strict,
    above) the margin, and for the final one not below the last congress's ratio when asked."""
    if d is None:
        return seats, seats

    def least(margin: Fraction, strict: bool) -> int:
        m = margin * seats
        n = seats + math.ceil(m)
        return n + 1 if strict and n - seats == m else n

    final = least(frac(d.final), d.final_strict)
    if d.not_below_last and last is not None:
        final = max(final, least(frac(last), False))
    return least(frac(d.initial), False), final


@dataclass
class _Model:
    """The CP-SAT model and the literals of one township."""

    p: RepProblem
    relax: bool = False
    m: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    init: dict[str, cp_model.IntVar] = field(default_factory=dict)
    fin: dict[str, cp_model.IntVar] = field(default_factory=dict)
    el: dict[str, cp_model.IntVar] = field(default_factory=dict)
    holds: dict[str, cp_model.IntVar] = field(default_factory=dict)
    strength: dict[str, Strength] = field(default_factory=dict)
    weight: dict[str, int] = field(default_factory=dict)
    slack: dict[str, tuple[cp_model.IntVar, str, str, object, str]] = field(default_factory=dict)
    """Relaxation only: key -> (slack, rule, parameter, before, kind of change)."""

    def instance(self, key: str, strength: Strength, weight: int, fixed: bool = False) -> cp_model.IntVar:
        """The literal of a rule instance; a must one holds. In a relaxation a must instance may
        be let go at a cost of 1 (its rule then becomes `generally`), unless `fixed`: what a
        relaxation never changes (a disqualification)."""
        lit = self.m.NewBoolVar(key)
        self.holds[key], self.strength[key], self.weight[key] = lit, strength, weight
        if strength == Strength.must:
            if not self.relax or fixed:
                self.m.Add(lit == 1)
            else:
                let_go = self.m.NewBoolVar(f"let go {key}")
                self.m.Add(lit == 1).OnlyEnforceIf(let_go.Not())
                self.slack[key] = (let_go, key.split("@")[0], "strength", Strength.must.value, "strength")
        return lit

    def count(self, key: str, spec_strength: Strength, weight: int, expr: cp_model.LinearExprT,
              lo: int | None, hi: int | None, slack_of: tuple[str, str, object, str] | None = None) -> None:
        """The instance `key` holds exactly when lo <= expr <= hi (one side given). In a
        relaxation a must instance may miss by a slack instead."""
        if self.relax and spec_strength == Strength.must and slack_of is not None:
            s = self.m.NewIntVar(0, 10_000, f"slack {key}")
            self.slack[key] = (s, *slack_of)
            if lo is not None:
                self.m.Add(expr + s >= lo)
            if hi is not None:
                self.m.Add(expr - s <= hi)
            return
        lit = self.instance(key, spec_strength, weight)
        if lo is not None:
            self.m.Add(expr >= lo).OnlyEnforceIf(lit)
            self.m.Add(expr <= lo - 1).OnlyEnforceIf(lit.Not())
        else:
            assert hi is not None
            self.m.Add(expr <= hi).OnlyEnforceIf(lit)
            self.m.Add(expr >= hi + 1).OnlyEnforceIf(lit.Not())


def _build(p: RepProblem, relax: bool = False) -> _Model:
    mm = _Model(p, relax)
    m = mm.m
    for n in p.nominees:
        mm.init[n.id], mm.fin[n.id], mm.el[n.id] = (m.NewBoolVar(f"{w} {n.id}")
                                                     for w in ("init", "fin", "el"))
        m.AddImplication(mm.el[n.id], mm.fin[n.id])
        m.AddImplication(mm.fin[n.id], mm.init[n.id])
    diff = p.specs("rep_differential")
    for u in p.units:
        ids = [n.id for n in p.of_unit(u.id)]
        s = p.seats.get(u.id, 0)
        m.Add(sum(mm.el[i] for i in ids) == s)
        if not diff:
            m.Add(sum(mm.fin[i] for i in ids) == s)
            m.Add(sum(mm.init[i] for i in ids) == s)
        for spec in diff:
            d = DifferentialParams.model_validate(spec.params)
            sizes = list_sizes(s, d, p.facts.last_differential)
            for which, lits, size in (("initial", mm.init, sizes[0]), ("final", mm.fin, sizes[1])):
                expr = sum(lits[i] for i in ids)
                m.Add(expr <= size)
                before = d.initial if which == "initial" else d.final
                mm.count(f"{spec.id}@{p.township}/{u.id}#{which}", spec.strength, spec.weight, expr, size,
                         None, (spec.id, which, before, "list"))
    for spec in p.specs("rep_eligibility"):
        years = EligibilityParams.model_validate(spec.params).years
        for n in p.nominees:
            if disqualified(n, p.on, years):
                lit = mm.instance(f"{spec.id}@{p.township}/{n.id}", spec.strength, spec.weight, fixed=True)
                m.Add(mm.init[n.id] == 0).OnlyEnforceIf(lit)
                m.Add(mm.init[n.id] == 1).OnlyEnforceIf(lit.Not())
    for spec in p.specs("rep_no_overlap"):
        for n in p.nominees:
            if n.peoples_congress:
                lit = mm.instance(f"{spec.id}@{p.township}/{n.id}", spec.strength, spec.weight)
                m.Add(mm.el[n.id] == 0).OnlyEnforceIf(lit)
                m.Add(mm.el[n.id] == 1).OnlyEnforceIf(lit.Not())
    total = p.total
    for spec in p.specs("rep_structure"):
        for name, q in StructureParams.model_validate(spec.params).quotas.items():
            have = sum(mm.el[n.id] for n in p.nominees if q.who.matches(n, p.on))
            key = f"{spec.id}@{p.township}#{name}"
            # cross-multiplied: have / total against a / b
            if q.above_last:
                if p.facts.last_front_line is None:
                    continue
                f = frac(p.facts.last_front_line)
                mm.count(key, spec.strength, spec.weight, f.denominator * have, f.numerator * total + 1, None,
                         (spec.id, f"quotas.{name}.above_last", p.facts.last_front_line, "above_last"))
            elif q.at_most is not None:
                f = frac(q.at_most)
                mm.count(key, spec.strength, spec.weight, f.denominator * have, None, f.numerator * total,
                         (spec.id, f"quotas.{name}.at_most", q.at_most, "at_most"))
            else:
                if q.at_least is not None:
                    a, b = frac(q.at_least).numerator, frac(q.at_least).denominator
                else:
                    a, b = p.group(q.membership or ""), max(p.members, 1)
                mm.count(key, spec.strength, spec.weight, b * have, a * total, None,
                         (spec.id, f"quotas.{name}", q.at_least if q.at_least is not None
                          else f"membership:{q.membership}", "at_least"))
    return mm


def _objective(mm: _Model) -> None:
    p = mm.p
    votes = sum(n.votes for n in p.nominees)
    prefer = sum(w for k, w in mm.weight.items() if mm.strength[k] == Strength.prefer)
    big = 3 * votes + prefer + 1
    terms = [n.votes * (mm.el[n.id] + mm.fin[n.id] + mm.init[n.id]) for n in p.nominees if n.votes]
    for k, lit in mm.holds.items():
        if mm.strength[k] == Strength.generally:
            terms.append(big * lit)
        elif mm.strength[k] == Strength.prefer:
            terms.append(mm.weight[k] * lit)
    mm.m.Maximize(sum(terms))


def _selection(mm: _Model, solver: cp_model.CpSolver) -> RepSelection:
    p = mm.p
    units = []
    for u in p.units:
        ids = [n.id for n in p.of_unit(u.id)]
        units.append(UnitLists(unit=u.id, seats=p.seats.get(u.id, 0),
                               initial=tuple(i for i in ids if solver.Value(mm.init[i])),
                               final=tuple(i for i in ids if solver.Value(mm.fin[i])),
                               elected=tuple(i for i in ids if solver.Value(mm.el[i]))))
    return RepSelection(township=p.township, units=tuple(units))


def prechecks(p: RepProblem) -> list[Reason]:
    """Must rules the nominees cannot meet, with the numbers, before any search."""
    out: list[Reason] = []
    eligible = list(p.nominees)
    for spec in p.specs("rep_eligibility"):
        if spec.strength == Strength.must:
            years = EligibilityParams.model_validate(spec.params).years
            eligible = [n for n in eligible if not disqualified(n, p.on, years)]
    for u in p.units:
        have = sum(n.unit == u.id for n in eligible)
        s = p.seats.get(u.id, 0)
        need = s
        rule = "seats"
        for spec in p.specs("rep_differential"):
            if spec.strength == Strength.must:
                d = DifferentialParams.model_validate(spec.params)
                need = max(list_sizes(s, d, p.facts.last_differential))
                rule = spec.id
        if have < need:
            out.append(reason("rep_unit_short", rule=rule, township=p.township, unit=u.id, have=have,
                              need=need, seats=s))
    total = p.total
    for spec in p.specs("rep_structure"):
        if spec.strength != Strength.must:
            continue
        for name, q in StructureParams.model_validate(spec.params).quotas.items():
            matching = sum(q.who.matches(n, p.on) for n in eligible)
            if q.at_least is not None and matching < math.ceil(frac(q.at_least) * total):
                out.append(reason("rep_quota_short", rule=spec.id, township=p.township, quota=name,
                                  have=matching, need=math.ceil(frac(q.at_least) * total), total=total))
    return out


def kept_disqualifications(p: RepProblem) -> list[Reason]:
    """A must disqualification (D2-P3) is never relaxed: the explanation says how many nominees it
    keeps off the lists, so a relaxation that cannot reach them is not read as overlooking them."""
    out = []
    for spec in p.specs("rep_eligibility"):
        if spec.strength != Strength.must:
            continue
        years = EligibilityParams.model_validate(spec.params).years
        n = sum(bool(disqualified(x, p.on, years)) for x in p.nominees)
        if n:
            out.append(reason("rep_not_relaxed", rule=spec.id, township=p.township, nominees=n))
    return out


def select_representatives(p: RepProblem, time_limit: float = TIME_LIMIT, workers: int = WORKERS,
                           seed: int = 0) -> RepResult:
    """The best selection for one township, or why there is none and the cheapest change."""
    mm = _build(p)
    _objective(mm)
    solver = make_solver(time_limit, workers, seed)
    status = status_of(solver.Solve(mm.m))
    if status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        verdicts = {k: bool(solver.Value(lit)) for k, lit in mm.holds.items()}
        return RepResult(township=p.township, status=status, selection=_selection(mm, solver),
                         verdicts=verdicts, objective=solver.ObjectiveValue())
    reasons = prechecks(p)
    relaxations = relax(p, time_limit, workers, seed) if status == SolveStatus.INFEASIBLE else []
    if not reasons and status == SolveStatus.INFEASIBLE:
        reasons.append(reason("rep_infeasible", township=p.township))
    if status == SolveStatus.INFEASIBLE:
        reasons += kept_disqualifications(p)
    return RepResult(township=p.township, status=status, reasons=reasons, relaxations=relaxations)


def relax(p: RepProblem, time_limit: float = TIME_LIMIT, workers: int = WORKERS,
          seed: int = 0) -> list[Relaxation]:
    """The least total slack on the must counts (quotas, list lengths) that lets a selection
    exist, as changes to the rules' parameters: the share or the margin the relaxed selection
    reaches, to put in congress.yaml's `rules:`. A must "higher than last time" (D1-P3) that
    cannot hold becomes `at_least` the share reached; a must instance with no count (D1-P5 made
    must) is let go by making its rule `generally`; a disqualification (D2-P3) is never relaxed
    (`kept_disqualifications` says so)."""
    mm = _build(p, relax=True)
    mm.m.Minimize(sum(s for s, *_ in mm.slack.values()))
    solver = make_solver(time_limit, workers, seed)
    status = status_of(solver.Solve(mm.m))
    if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return []
    sel = _selection(mm, solver)
    total = max(p.total, 1)
    lowest: dict[tuple[str, str], Relaxation] = {}
    for key, (s, rule, parameter, before, kind) in mm.slack.items():
        if not solver.Value(s):
            continue
        if kind == "strength":
            after: object = Strength.generally.value
            params: dict[str, object] = {}
        elif kind == "list":
            unit = key.split("/")[1].split("#")[0]
            lists = next(u for u in sel.units if u.unit == unit)
            n = len(lists.initial if parameter == "initial" else lists.final)
            after = math.floor(1000 * (n - lists.seats) / max(lists.seats, 1)) / 1000
            params = {parameter: after}
            if parameter == "final":
                params["final_strict"] = False
        else:
            elected = sel.elected()
            name = parameter.split(".")[1]
            q = StructureParams.model_validate(next(r for r in p.rules if r.id == rule).params).quotas[name]
            have = sum(q.who.matches(n, p.on) for n in p.nominees if n.id in elected)
            if kind == "at_most":
                after = math.ceil(1000 * have / total) / 1000
                params = {"quotas": {name: {"at_most": after}}}
            elif kind == "above_last":  # higher than the last share cannot be had: the share reached
                after = math.floor(1000 * have / total) / 1000
                params = {"quotas": {name: {"above_last": False, "at_least": after}}}
            else:
                after = math.floor(1000 * have / total) / 1000
                params = {"quotas": {name: {"at_least": after, "membership": None}}}
        old = lowest.get((rule, parameter))
        if old is not None and (kind == "strength" or (after >= old.after if kind != "at_most"
                                                       else after <= old.after)):
            continue  # a unit's list or a quota relaxed further elsewhere: the furthest is the change
        override = {"strength": after} if kind == "strength" else {"params": params}
        lowest[(rule, parameter)] = Relaxation(rule=rule, parameter=parameter, before=before, after=after,
                                               override=override)
    return list(lowest.values())


class UnitSeats(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: str
    name: str
    members: int
    seats: int


class RepPlan(BaseModel):
    """A township's representatives end to end: the seat count and its reasons (D1-P1, D2-P1 or
    D5-P1), the apportionment and its method, the selection and every rule instance on it (the
    plain-Python check, model/representatives.py), or why there is none."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    township: str
    seat_rule: str
    seats: int
    seat_reasons: list[Reason]
    method: str
    units: list[UnitSeats]
    apportion_reasons: list[Reason]
    result: RepResult
    instances: list[RuleInstance] = Field(default_factory=list)


def plan_representatives(sc: Scenario, m: Membership, township: str,
                         overrides: dict[str, RuleOverride] | None = None, time_limit: float = TIME_LIMIT,
                         workers: int = WORKERS, seed: int = 0) -> RepPlan:
    """Seats, apportionment and selection for one township of the scenario."""
    # a request's overrides are laid over congress.yaml's by the one merge rule (model/overrides.py)
    rules = rep_rules(sc.base_ruleset.representatives, overlay_rules(m.settings.rules, overrides or {}))
    seat_spec = next((r for r in rules if r.kind == "rep_seats"), None)
    if seat_spec is None:
        raise KeyError(f"preset {sc.base_ruleset.id} has no seat rule for representatives (kind rep_seats)")
    t = sc.townships[township]
    units = m.units_of(township)
    count = seat_count(seat_spec, t, m.facts(township), len(units) or None)
    split = apportion(units, count.seats, seat_spec.id)
    p = problem_of(m, township, sc.reshuffle_date, split.seats, rules)
    result = select_representatives(p, time_limit, workers, seed)
    return RepPlan(township=township, seat_rule=seat_spec.id, seats=count.seats, seat_reasons=count.reasons,
                   method=split.method, apportion_reasons=split.reasons,
                   units=[UnitSeats(unit=u.id, name=u.name, members=u.members, seats=split.seats[u.id])
                          for u in units],
                   result=result, instances=check_selection(p, result.selection) if result.selection else [])
