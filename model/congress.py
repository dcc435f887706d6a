"""How many representatives a township's party congress has (D1-P1, D2-P1, D5-P1), and how the
seats are shared among its electoral units (D2-P1: each unit generally has one).

The seat rule is the preset's `representatives:` rule of kind `rep_seats`; its params say which
formula (`share`: D1-P1, `branches`: D2-P1, `range`: D5-P1). Every step of the count is a reason
(code and numbers, citing the rule id); service/render/representatives.py words them.

The apportionment is Sainte-Laguë (the divisor method of odd numbers 1, 3, 5, ...) started from
one seat per unit: seats go one at a time to the unit with the highest members / (2s + 1), s its
seats so far. A method that hands out seats one at a time is house-monotone by construction (one
more seat for the township never takes one from a unit): no Alabama paradox, which the largest
remainder method suffers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

from pydantic import Field

from model.enums import Strength
from model.membership import CongressFacts, ElectoralUnit
from model.people import Township
from model.reasons import Reason, reason
from model.rules.base import Params, frac
from model.ruleset import RuleSpec

APPORTIONMENT = "sainte_lague_min1"
"""The method's name as results give it: Sainte-Laguë from one seat per unit."""


class Tier(Params):
    """D2-P1: with `max_branches` or fewer branches (None: any number), one more seat per `per` members."""

    max_branches: int | None = Field(default=None, ge=0)
    per: int = Field(ge=1, le=10_000)


class SeatParams(Params):
    """The seat formula. `share`: `share` of the members below `threshold` members (rounded half
    up), from `threshold` on within `low`..`high` (D1-P1); `branches`: `base` plus one per `per`
    members of the branch count's tier, within `low`..`high` (D2-P1); `range`: the proposed count
    (else `share` of the members) within `low`..`high` (D5-P1). `cap` is the must bound (300);
    `not_above_last` the 原则上不超上一届 of D2-P1."""

    formula: Literal["share", "branches", "range"]
    share: float = Field(default=0.2, gt=0, le=1)
    threshold: int = Field(default=500, ge=1)
    base: int = Field(default=40, ge=0)
    tiers: tuple[Tier, ...] = ()
    low: int = Field(default=40, ge=1)
    high: int = Field(default=200, ge=1)
    cap: int | None = Field(default=None, ge=1)
    not_above_last: bool = False


@dataclass
class SeatCount:
    """The seats, the rule that gave them, and why; `broken` are the generally/must bounds that
    could not hold (with their reasons among `reasons`)."""

    township: str
    rule: str
    seats: int
    reasons: list[Reason] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)


def _round_half_up(x: Fraction) -> int:
    return int((Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def seat_count(spec: RuleSpec, t: Township, facts: CongressFacts, branches: int | None = None) -> SeatCount:
    """The seats of township `t` by the seat rule `spec`; `branches` overrides the township's
    branch count (the units read from its membership)."""
    p = SeatParams.model_validate(spec.params)
    rid, members = spec.id, t.party_members
    nb = t.party_branches if branches is None else branches
    out = SeatCount(t.id, rid, 0)
    share = frac(p.share)
    if p.formula == "share":
        if members < p.threshold:
            n = _round_half_up(share * members)
            out.reasons.append(reason("rep_seats_share", rule=rid, members=members, threshold=p.threshold,
                                      share=p.share, seats=n))
            out.seats = n
            return _cap(out, p, spec, members)
        n = facts.proposed_seats if facts.proposed_seats is not None else _round_half_up(share * members)
        out.reasons.append(reason("rep_seats_large", rule=rid, members=members, threshold=p.threshold,
                                  proposed=facts.proposed_seats, seats=n))
    elif p.formula == "branches":
        tier = next((x for x in p.tiers if x.max_branches is None or nb <= x.max_branches), None)
        if tier is None:
            raise ValueError(f"{rid}: no tier for {nb} branches")
        n = p.base + members // tier.per
        out.reasons.append(reason("rep_seats_branches", rule=rid, base=p.base, branches=nb, per=tier.per,
                                  members=members, seats=n))
    else:
        n = facts.proposed_seats if facts.proposed_seats is not None else _round_half_up(share * members)
        out.reasons.append(reason("rep_seats_proposed", rule=rid, members=members, share=p.share,
                                  proposed=facts.proposed_seats, seats=n))
    out.seats = n
    _clamp(out, p)
    if p.not_above_last and facts.last_seats is not None and out.seats > facts.last_seats:
        out.reasons.append(reason("rep_seats_last", rule=rid, before=out.seats, last=facts.last_seats))
        out.seats = facts.last_seats
        if out.seats < p.low:
            out.broken.append(rid)
            out.reasons.append(reason("rep_seats_conflict", rule=rid, low=p.low, last=facts.last_seats))
    return _cap(out, p, spec, members)


def _clamp(out: SeatCount, p: SeatParams) -> None:
    """Within low..high: the count (a proposal too) is moved there, with the reason saying from what."""
    n = out.seats
    if n < p.low or n > p.high:
        to = min(max(n, p.low), p.high)
        out.reasons.append(reason("rep_seats_clamped", rule=out.rule, before=n, low=p.low, high=p.high,
                                  seats=to))
        out.seats = to


def _cap(out: SeatCount, p: SeatParams, spec: RuleSpec, members: int) -> SeatCount:
    if p.cap is not None and out.seats > p.cap:
        out.reasons.append(reason("rep_seats_cap", rule=out.rule, before=out.seats, cap=p.cap))
        out.seats = p.cap
    if out.seats > members:  # never more representatives than members
        out.reasons.append(reason("rep_seats_members", rule=out.rule, before=out.seats, members=members))
        out.seats = members
    if spec.strength == Strength.must and out.broken:
        out.reasons.append(reason("rep_seats_must", rule=out.rule))
    return out


# --------------------------------------------------------------------------- apportionment


@dataclass
class Apportionment:
    """Seats per unit (unit id -> seats), the method, and whether each unit got one (D2-P1)."""

    seats: dict[str, int]
    method: str = APPORTIONMENT
    each_has_one: bool = True
    reasons: list[Reason] = field(default_factory=list)


def apportion(units: list[ElectoralUnit], seats: int, rule: str = "D2-P1") -> Apportionment:
    """Sainte-Laguë from one seat per unit, seat by seat: a unit without a seat comes first (the
    larger first), then the largest members / (2s + 1). With fewer seats than units the largest
    units get one each and the each-unit-one of `rule` is reported broken. One sequence for every
    house size is what keeps it house-monotone across that boundary too (3 seats of [3, 3, 3, 9]
    once gave the 9 two seats, which it lost at 4)."""
    if seats < 0:
        raise ValueError("seats must be 0 or more")
    if not units:
        return Apportionment({}, reasons=[reason("rep_no_units")])
    floor = 1 if seats >= len(units) else 0
    have = {u.id: 0 for u in units}
    order = {u.id: i for i, u in enumerate(units)}
    for _ in range(seats):
        best = max(units, key=lambda u: (have[u.id] == 0, Fraction(u.members, 2 * have[u.id] + 1), u.members,
                                         -order[u.id]))
        have[best.id] += 1
    out = Apportionment(have, each_has_one=bool(floor) or not units)
    out.reasons.append(reason("rep_apportioned", method=APPORTIONMENT, seats=seats, units=len(units)))
    if not floor:
        out.reasons.append(reason("rep_unit_without_seat", rule=rule, seats=seats, units=len(units)))
    return out
