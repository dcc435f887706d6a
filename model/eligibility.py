"""Who may take a seat at all, and what a seat asks of a cadre under the lesser rules: the
seated rules of the ruleset checked on one cadre in one seat, as the referee checks them
(the same `SeatedKind.fails`, exceptions of the scenario lifting a break). Used by why-not
(solver/forced.py) and by the election lists (model/election.py), which pick names outside
the slate and must not pick one the rules in force keep out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from model.enums import Strength
from model.reasons import Reason, reason
from model.referee import make_view
from model.rules import kind_of
from model.rules.base import View
from model.rules.seated import SeatedKind
from model.ruleset import RuleSpec, Seat
from model.scenario import Scenario


@dataclass(frozen=True)
class Broken:
    """One seated rule the cadre breaks in the seat: its id, strength, the points it costs
    (a prefer rule's weight) and the referee's reason with the numbers."""

    rule: str
    strength: Strength
    penalty: int
    why: Reason


@dataclass(frozen=True)
class Parsed:
    """A seated rule in force with its parameters read once (parsing is most of a check's time)."""

    spec: RuleSpec
    kind: SeatedKind
    params: Any


def seated_rules(sc: Scenario) -> tuple[Parsed, ...]:
    """The seated rules in force, parsed: for callers that check many cadres in many seats."""
    out = []
    for spec in sc.ruleset_in_force.rules:
        kind = kind_of(spec)
        if isinstance(kind, SeatedKind):
            out.append(Parsed(spec, kind, kind.parse(spec)))
    return tuple(out)


def seated_breaks(sc: Scenario, cadre: str, target: Seat, view: View | None = None,
                  rules: tuple[Parsed, ...] | None = None) -> list[Broken]:
    """Every seated rule in force that the cadre breaks in `target`, any strength (`rules`: those
    of `seated_rules(sc)`, or a part of them known to hold every rule applying to `target`)."""
    c = sc.cadre_by_id[cadre]
    view = view if view is not None else make_view(sc, [])
    township = sc.townships[target.township]
    out: list[Broken] = []
    for rule in rules if rules is not None else seated_rules(sc):
        spec, kind, p = rule.spec, rule.kind, rule.params
        if p.applies(target):
            why = kind.fails(p, c, target, township, view)
            if why is not None:
                penalty = spec.weight if spec.strength == Strength.prefer else 0
                out.append(Broken(spec.id, spec.strength, penalty, why))
    return out


def barred(sc: Scenario, cadre: str, township: str, seat: str) -> list[Reason]:
    """What the scenario itself says against the cadre in the seat, before any rule: removal from
    the pool, bans."""
    out: list[Reason] = []
    if cadre in sc.remove:
        out.append(reason("removed"))
    out += [reason("banned", township=township, seat=seat if ban.seat else None)
            for ban in sc.bans if ban.cadre == cadre and ban.covers(township, seat)]
    return out


def exclusions(sc: Scenario, cadre: str, township: str, seat: str, view: View | None = None) -> list[Reason]:
    """Why the cadre may not take the seat at all: must seated rules (with the
    referee's own finding and numbers), bans, removal from the pool."""
    out = barred(sc, cadre, township, seat)
    target = next(s for s in sc.seats_of(township) if s.template.id == seat)
    out += [reason("rule_forbids", rule=b.rule, why=b.why.model_dump())
            for b in seated_breaks(sc, cadre, target, view) if b.strength == Strength.must]
    return out
