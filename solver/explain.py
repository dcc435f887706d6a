"""Why a scenario is infeasible, and the cheapest change that makes it feasible.

Three steps, cheapest first:
1. the builder's checks with numbers (a seat no cadre may take, a count rule the
   pool cannot meet, a pin a rule forbids);
2. a minimal conflict: the `must` count rules and pins are put behind assumption
   literals, CP-SAT returns a core (one worker, as assumptions require), and the
   core is shrunk by deletion until every member is needed;
3. the cheapest relaxation, in the manner of sortition-algorithms' quota
   relaxation: each `must` count rule may fall short by a slack shared by all its
   instances, pins may be dropped, and CP-SAT minimizes the total slack. The
   result is data: rule, parameter, before, after, and the override applying it.

Steps 2 and 3 share one budget (`stop`): the conflict gets half of what is left,
the relaxation the rest.
"""

from __future__ import annotations

from fractions import Fraction
from time import perf_counter
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from model.reasons import Reason, reason
from model.rules import kind_of
from model.scenario import Scenario
from model.slate import Relaxation, SolveStatus
from solver.budget import Checkpoint, CutShort
from solver.build import Builder
from solver.cpsat import CpView
from solver.events import ConflictFound, OnEvent, RelaxationFound, ignore
from solver.run import FOUND, Workers, run_cpsat
from solver.stop import Stop, budget, share

DEFAULT_TIME_LIMIT = 10.0
"""Seconds for an explanation asked for on its own, without a budget."""

ONE_WORKER = Workers(workers=1, seed=0)
"""Assumption cores need a single worker; the relaxation's small model does not gain from more."""


class Infeasibility(BaseModel):
    """Why a scenario has no slate: `reasons` as data (the pre-checks' findings,
    or a `conflict` head and one reason per member), `conflict` the keys of the
    must rule instances and pins that cannot hold together, `relaxations` the
    cheapest set of changes that makes it feasible."""

    model_config = ConfigDict(extra="forbid")

    reasons: list[Reason] = Field(default_factory=list)
    conflict: list[str] = Field(default_factory=list)
    minimal: bool = False
    relaxations: list[Relaxation] = Field(default_factory=list)


def explain_infeasible(sc: Scenario, time_limit: float | None = None, stop: Stop | None = None,
                       on_event: OnEvent | None = None) -> Infeasibility:
    """The reasons and the cheapest relaxation, within `stop` (or `time_limit`
    seconds, 10 without either)."""
    stop = budget(stop, time_limit, DEFAULT_TIME_LIMIT)
    emit = on_event or ignore
    t0 = perf_counter()
    out = Infeasibility()
    try:
        b = Builder(sc, explain=True, check=Checkpoint(stop)).build()
    except CutShort as cut:  # a huge pool: no time left to explain
        out.reasons = [cut.reason()]
        return out
    if b.reasons:
        out.reasons = list(b.reasons)
    else:
        out.conflict, out.minimal = minimal_conflict(b, share(stop, 0.5))
        emit(ConflictFound(size=len(out.conflict), minimal=out.minimal, seconds=perf_counter() - t0))
        if out.conflict:
            members = [b.describe_key(k) for k in out.conflict]
            out.reasons = [reason("conflict", minimal=out.minimal), *members]
        else:
            out.reasons = [reason("cannot_fill")]
    out.relaxations = cheapest_relaxation(sc, stop)
    emit(RelaxationFound(changes=len(out.relaxations), seconds=perf_counter() - t0))
    return out


def minimal_conflict(b: Builder, stop: Stop) -> tuple[list[str], bool]:
    """Keys of a minimal set of must count-rule instances and pins that cannot all
    hold, and whether it was shrunk to minimal before `stop`."""
    view = CpView(b.model)
    lits = {key: view.var(lit.col) for key, lit in b.assumptions.items()}

    def status_with(keys: list[str]) -> SolveStatus:
        view.model.clear_assumptions()
        view.model.add_assumptions([lits[k] for k in keys])
        return run_cpsat(view.model, stop, ONE_WORKER, optimize=False).status

    view.model.add_assumptions(list(lits.values()))
    # counting proofs need the LP
    first = run_cpsat(view.model, stop, ONE_WORKER, optimize=False, params={"linearization_level": 2})
    if first.status != SolveStatus.INFEASIBLE or first.solver is None:
        return [], False
    by_index = {lit.index: key for key, lit in lits.items()}
    core = sorted(by_index[i] for i in first.solver.sufficient_assumptions_for_infeasibility()
                  if i in by_index)
    for key in list(core):
        status = status_with([k for k in core if k != key])
        if status == SolveStatus.INFEASIBLE:
            core.remove(key)
        elif status not in FOUND:
            return core, False
    return core, True


def cheapest_relaxation(sc: Scenario, stop: Stop) -> list[Relaxation]:
    """The smallest total lowering of must count rules (and dropped pins) that
    lets every seat be filled; empty if no such lowering helps (or no time)."""
    try:
        b = Builder(sc, relax=True, check=Checkpoint(stop)).build()
    except CutShort:
        return []
    view = CpView(b.model)
    run = run_cpsat(view.model, stop, ONE_WORKER)
    if run.status not in FOUND or run.solver is None:
        return []
    vals = view.values(run.solver)
    out: list[Relaxation] = []
    for (rule_id, part), var in sorted(b.slack.items()):
        amount = int(vals[var.col])
        if amount == 0:
            continue
        if rule_id == "pin":
            pin = next(p for p in sc.pins if p.cadre == part)
            out.append(Relaxation(rule="pin", parameter=part, before=pin.spot,
                                  after=None))
        else:
            out.append(relax_count(sc, b, rule_id, part, amount))
    return out


def relax_count(sc: Scenario, b: Builder, rule_id: str, part: str, amount: int) -> Relaxation:
    """Lower a count rule's target by `amount` members in every instance."""
    spec = next(r for r in sc.ruleset_in_force.rules if r.id == rule_id)
    p = kind_of(spec).parse(spec)
    target = p.parts[part]
    path = f"parts.{part}." if part else ""
    if target.min_count is not None:
        name, before, after = "min_count", target.min_count, max(0, target.min_count - amount)
    elif target.min_share is not None:
        # The largest share whose need is at most (old need - amount) in every instance.
        sizes = [n for n in instance_sizes(b, spec, p) if n]
        after_share = min(Fraction(max(0, target.needed(n) - amount), n) for n in sizes)
        name, before, after = "min_share", target.min_share, float(after_share)
    else:
        return Relaxation(rule=rule_id, parameter="strength", before="must", after="generally",
                          override={"strength": "generally"})
    return Relaxation(rule=rule_id, parameter=path + name, before=before, after=after,
                      override={"params": patched(spec.params, part, name, after)})


def instance_sizes(b: Builder, spec: Any, p: Any) -> list[int]:
    return [sum(b.groups[g].count for g in idx) for _, idx in b.count_groups(spec, p)]


def patched(params: dict[str, Any], part: str, name: str, value: Any) -> dict[str, Any]:
    """The rule's params with one target's number changed (whole `parts` replaced)."""
    if not part:
        return {name: value}
    parts = {k: dict(v) for k, v in params["parts"].items()}
    parts[part][name] = value
    return {"parts": parts}


def apply_relaxations(sc: Scenario, relaxations: list[Relaxation]) -> Scenario:
    """The scenario with the relaxations applied as a what-if delta (and their pins dropped).

    Each relaxation's override is laid over the scenario's by the one merge rule
    (model/overrides.py), the same a what-if file's `rules:` follow."""
    from model.overrides import RuleOverride, overlay_rules
    from model.whatif import ScenarioDelta, apply_delta

    rules: dict[str, RuleOverride] = {}
    for r in relaxations:
        if r.rule != "pin":
            rules = overlay_rules(rules, {r.rule: RuleOverride.model_validate(r.override)})
    dropped = {r.parameter for r in relaxations if r.rule == "pin"}
    unpinned = sc.model_copy(update={"pins": tuple(p for p in sc.pins if p.cadre not in dropped)})
    return apply_delta(unpinned, ScenarioDelta(rules=rules))
