"""The constraints, one short function per family, in the order `Builder.build`
calls them (`CONSTRAINTS`). Reading this file reads the model; the rules'
own encodings are in `solver/encoders.py`, one per rule kind.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from model.enums import Strength
from solver.encoders import ENCODERS
from solver.linear import INF, unit_sum
from solver.prechecks import empty_seat_reason
from solver.state import BuildState


def fill_every_seat(b: BuildState) -> None:
    """Each seat group gets exactly as many cadres as it has seats; a group with
    too few candidates is infeasible, with the reason why."""
    for g, cands in enumerate(b.cands):
        count = b.groups[g].count
        if len(cands) < count:
            b.reasons.append(empty_seat_reason(b, g))
            b.model.fail()
        else:
            b.model.add_unit(b.pairs_of(g), count, count, "exactly_one" if count == 1 else "linear")


def sit_once(b: BuildState) -> None:
    """A cadre takes at most one seat in the county (so cadres may move between
    townships, 交流); a cadre with one candidate pair needs no row."""
    for c in np.flatnonzero(np.bincount(b.pair_cadre, minlength=b.pool.size) > 1).tolist():
        b.model.add_unit(b.vars.cadre_columns(c), -INF, 1, "at_most_one")


def pin(b: BuildState) -> None:
    """A pinned cadre takes one of the pinned seats (the others are dropped
    already); in relax mode the pin may be dropped, at a cost of one."""
    for p in b.sc.pins:
        terms = unit_sum(b.vars.cadre_columns(b.cadre_index[p.cadre]))
        if b.relax:
            dropped = b.slack[("pin", p.cadre)] = b.model.new_bool_var(f"drop_{p.cadre}")
            b.model.add(terms + dropped == 1)
        else:
            b.require(f"pin@{p.cadre}", terms == 1)


def rules(b: BuildState) -> None:
    """Every rule in force, by its kind's encoder. Explaining infeasibility and
    relaxing look at feasibility only: must rules alone."""
    for spec in b.sc.ruleset_in_force.rules:
        if spec.strength == Strength.must or not (b.explain or b.relax):
            ENCODERS[spec.kind](b, spec)


CONSTRAINTS: tuple[Callable[[BuildState], None], ...] = (fill_every_seat, sit_once, pin, rules)
"""The constraint families, in the order they are added."""
