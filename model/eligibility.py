"""Who may take a seat at all, and what a seat asks of a cadre under the lesser rules: the
seated rules of the ruleset checked on one cadre in one seat, as the referee checks them
(the same `SeatedKind.fails`, exceptions of the scenario lifting a break). Used by why-not
(solver/forced.py) and by the election lists (model/election.py), which pick names outside
the slate and must not pick one the rules in force keep out."""

from __future__ import annotations

from dataclasses import dataclass

from model.enums import Strength
from model.reasons import Reason, reason
from model.referee import make_view
from model.rules import kind_of
from model.rules.base import View
from model.rules.seated import SeatedKind
from model.ruleset import Seat
from model.scenario import Scenario


@dataclass(frozen=True)
class Broken:
    """One seated rule the cadre breaks in the seat: its id, strength, the points it costs
    (a prefer rule's weight) and the referee's reason with the numbers."""

    rule: str
    strength: Strength
    penalty: int
    why: Reason


def seated_breaks(sc: Scenario, cadre: str, target: Seat, view: View | None = None) -> list[Broken]:
    """Every seated rule in force that the cadre breaks in `target`, any strength."""
    c = sc.cadre_by_id[cadre]
    view = view if view is not None else make_view(sc, [])
    out: list[Broken] = []
    for spec in sc.ruleset_in_force.rules:
        kind = kind_of(spec)
        if not isinstance(kind, SeatedKind):
            continue
        p = kind.parse(spec)
        if p.applies(target):
            why = kind.fails(p, c, target, sc.townships[target.township], view)
            if why is not None:
                penalty = spec.weight if spec.strength == Strength.prefer else 0
                out.append(Broken(spec.id, spec.strength, penalty, why))
    return out


def exclusions(sc: Scenario, cadre: str, township: str, seat: str, view: View | None = None) -> list[Reason]:
    """Why the cadre may not take the seat at all: must seated rules (with the
    referee's own finding and numbers), bans, removal from the pool."""
    out: list[Reason] = []
    if cadre in sc.remove:
        out.append(reason("removed"))
    for ban in sc.bans:
        if ban.cadre == cadre and ban.township == township and ban.seat in (None, seat):
            out.append(reason("banned", township=township, seat=seat if ban.seat else None))
    target = next(s for s in sc.seats_of(township) if s.template.id == seat)
    out += [reason("rule_forbids", rule=b.rule, why=b.why.model_dump())
            for b in seated_breaks(sc, cadre, target, view) if b.strength == Strength.must]
    return out
