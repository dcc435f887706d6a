"""Cheap checks before any search, each with its numbers (the style of
sortition-algorithms): a seat nobody may take, a pool too small for the seats,
a pin that a must rule forbids, a count rule the allowed pairs cannot meet.
They read the same places and fail masks as the encoders, and state what they
find as reasons (model/reasons.py), worded in service/render/.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from model.enums import Strength
from model.reasons import Reason, reason
from model.rules import kind_of
from model.rules.counts import CountKind
from model.ruleset import RuleSpec
from solver.encoders import SEATED, seated_fail_masks
from solver.state import BuildState


def empty_seat_reason(b: BuildState, g: int) -> Reason:
    """A seat group with fewer candidates than seats: how many it needs and has,
    and how many cadres each must rule excluded."""
    group = b.groups[g]
    s = group.seat
    return reason("too_few_candidates", township=s.township, seat=s.id, count=group.count,
                  have=len(b.cands[g]), excluded=dict(b.excluded[g]))


def precheck(b: BuildState) -> None:
    """Pigeonhole, pin and count checks with numbers, before any search."""
    precheck_pins(b)
    usable = b.allowed.any(axis=1)
    if usable.sum() < b.n_seats:
        b.reasons.append(reason("pool_too_small", seats=b.n_seats, usable=int(usable.sum())))
    for spec in b.sc.ruleset_in_force.rules:
        if spec.strength != Strength.must or not isinstance(kind_of(spec), CountKind):
            continue
        p = kind_of(spec).parse(spec)
        places = b.count_groups(spec, p)
        precheck_total(b, spec, p, places)
        for place, idx in places:
            seats = sum(b.groups[g].count for g in idx)
            for target in p.parts.values():
                if target.more_than_sitting:
                    continue
                need = target.needed(seats)
                avail = available(b, target, idx)
                if avail < need:
                    b.reasons.append(reason("count_short", rule=spec.id, **place.facts(), need=need,
                                            who=target.who.facts(), available=avail))


def available(b: BuildState, target: Any, groups: list[int]) -> int:
    """Cadres who match the target and may take a seat of one of these groups."""
    by_town: dict[int, list[int]] = {}
    for g in groups:
        by_town.setdefault(b.groups[g].township, []).append(g)
    out = np.zeros(b.pool.size, dtype=bool)
    for town, gs in by_town.items():
        out |= b.pool.who(target.who, town) & b.allowed[:, gs].any(axis=1)
    return int(out.sum())


def precheck_total(b: BuildState, spec: RuleSpec, p: Any, places: list) -> None:
    """All instances of a count rule together (its `places`, from `b.count_groups`): a cadre
    sits once, so the matching cadres who can take any counted seat must cover the sum of needs."""
    if len(places) < 2:
        return
    for target in p.parts.values():
        if target.more_than_sitting:
            continue
        need = sum(target.needed(sum(b.groups[g].count for g in idx)) for _, idx in places)
        avail = available(b, target, [g for _, idx in places for g in idx])
        if avail < need:
            b.reasons.append(reason("count_short_total", rule=spec.id, places=len(places), need=need,
                                    who=target.who.facts(), available=avail))


def precheck_pins(b: BuildState) -> None:
    """A pin to a seat that a must rule or a ban forbids: name the rule."""
    for pin in b.sc.pins:
        c = b.cadre_index[pin.cadre]
        groups = [g for g in b.groups if pin.takes(g.seat.township, g.seat.template.id)]
        if any(b.allowed[c, g.index] for g in groups):
            continue
        rules: list[str] = []
        for spec in b.sc.ruleset_in_force.rules:
            if spec.kind in SEATED and spec.strength == Strength.must:
                masks = seated_fail_masks(b, spec)
                if any(masks[g.index][c] for g in groups if g.index in masks):
                    rules.append(spec.id)
        banned = any(ban.cadre == pin.cadre and ban.township == pin.township
                     and ban.seat in (None, pin.seat) for ban in b.sc.bans)
        b.reasons.append(reason("pin_impossible", cadre=pin.cadre, township=pin.township, seat=pin.seat,
                                rules=rules, banned=banned))
