"""A prepared base for the interactive verbs: the base solve's model, its LP
bound and its best slate, kept so that a forced solve or a what-if of pins and
bans re-solves on them instead of building and relaxing the county again.

The relaxation's bound (solver/relaxation.py `Bound`) is a Lagrangian one: for
its duals y, with reduced costs d, every slate scores at most B, and a slate
that uses pair j at most B - loss_j (loss = max(0, -d)). That holds for any y,
so it holds with the column bounds of a change that only restricts the slates
(pins, bans): a closed pair no longer adds its gain max(0, d), a pinned pair
costs its loss (`restricted_bound`). `Search` runs on that bound as a base
solve does, and a slate of few pairs reaching floor(bound) is proven best at
once. When it is not, the relaxation's own LP, kept from the base solve
(`Master`), is re-solved under the change from its last basis, and the search
runs on that tighter bound. A forced solve is OPTIMAL only when proven so.

A change is applied to the kept model as column bounds CP-SAT reads (closed
pairs are left out of its view) and rows the relaxation never reads
(`cp_only`: the pinned pair is taken), and taken off again afterwards.

One case is not a plain restriction: N-4 (`recent_principal_kept`) asks a
recent principal to keep the post unless a pin, ban or must rule closes every
seat of it, so a pin elsewhere takes that rule instance out of the scenario
(`freed`): its cost leaves the objective for that solve and the bound rises by
it (`principal_cost`). A must N-4 rule, a ban on a recent principal and any
change beyond pins and bans are solved in full.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from time import perf_counter

import numpy as np

import solver.search as searching
from model.collector import collections_paused
from model.enums import Strength
from model.referee import judge, referee
from model.rules import kind_of
from model.rules.career import recent_principals
from model.ruleset import seat_kind
from model.scenario import Ban, Pin, Scenario
from model.slate import Alternatives, Slate, SolveResult, SolveStatus
from solver.budget import Checkpoint, CutShort
from solver.build import Builder, Recorded
from solver.events import OnEvent
from solver.lexicographic import BreakCap
from solver.linear import INF, Lin, Row, Var, lin_sum, value
from solver.relaxation import Bound, best_per_group
from solver.run import Workers
from solver.search import SUPPORT_SECONDS, Found, Search, account, agree, read_assignments, solve
from solver.stop import Stop

N4 = "recent_principal_kept"


@dataclass
class Prepared:
    """A solved base and what its forced solves reuse: the built model `b` (its
    objective plain again) and the relaxation `bound` (None when the base has no
    slate, or its bound is of no use)."""

    sc: Scenario
    result: SolveResult
    how: Workers
    b: Builder | None = None
    bound: Bound | None = None
    principals: dict[str, list[tuple[set[int], float]]] | None = None
    duals: list[Bound] = field(default_factory=list)
    relaxed: dict[tuple[tuple[int, ...], bytes], Bound] = field(default_factory=dict)
    """Those relaxations by their restriction (`pin_key`): a forced solve whose
    pin was relaxed for a ranking starts from that bound, not a second re-solve."""
    """The restricted relaxations of the forced solves so far: their duals bound
    every other pin too (Lagrangian, valid for any duals), so a ranking tightens
    as it goes (`candidates`)."""

    def recent_principals(self) -> dict[str, list[tuple[set[int], float]]]:
        """`recent_principal_seats` of the kept model, made once."""
        if self.principals is None:
            self.principals = recent_principal_seats(self.b) if self.b is not None else {}
        return self.principals

    @property
    def best(self) -> Slate | None:
        return self.result.slates[0] if self.result.slates else None

    @property
    def warm(self) -> bool:
        return self.b is not None and self.bound is not None and self.best is not None


@collections_paused()
def prepare(sc: Scenario, stop: Stop, workers: int = 2, on_event: OnEvent | None = None) -> Prepared:
    """Solve the base and keep its model and bound. A county small enough that
    the base solve needs no relaxation gets one here (it is cheap there): the
    ranking of a seat's candidates reads it. The base solve's cap on `generally`
    breaks (solver/lexicographic.py) is lifted and the relaxation solved again
    without it: forcing a cadre in may take more breaks, and the bounds must
    hold for every slate."""
    kept: dict[str, object] = {}

    def keep(b: Builder, bound: Bound | None, cap: BreakCap | None) -> None:
        kept["b"], kept["bound"], kept["cap"] = b, bound, cap

    result = solve(sc, workers=workers, stop=stop, on_event=on_event, on_built=keep)
    p = Prepared(sc, result, Workers(workers))
    b = kept.get("b")
    if not result.slates or not isinstance(b, Builder) or b.reasons:
        return p
    b.model.maximize(b.objective)  # solve() leaned it toward its slate
    b.model.clear_hints()
    bound, cap = kept.get("bound"), kept.get("cap")
    if isinstance(cap, BreakCap) and cap.capped and cap.row is not None:
        # The base bound holds for slates of at most K breaks; a forced slate may need more.
        # The row's lower side stays: no slate breaks fewer than K, a pinned one neither.
        cap.row.hi = INF
        bound = None
    if bound is None:
        try:
            bound = searching.lp_bound(b.model, b.n_pairs, b.pair_group, stop.remaining() / 4,
                                       check=Checkpoint(stop, "lp_relaxation"))
        except CutShort:
            return p
    assert isinstance(bound, Bound)
    if math.isfinite(bound.value):
        p.b, p.bound = b, bound
    return p


def group_of(b: Builder, township: str, seat: str) -> int | None:
    """The seat group of a seat kind in a township (identical seats are one group)."""
    return next((g.index for g in b.groups if g.seat.township == township and g.seat.template.id == seat),
                None)


@dataclass(frozen=True)
class Restriction:
    """Pins and bans on a prepared model: the pair columns they close and the
    pair columns pins take."""

    off: np.ndarray
    take: tuple[int, ...]


def restriction(b: Builder, pins: tuple[Pin, ...] | list[Pin], bans: tuple[Ban, ...] | list[Ban] = ()
                ) -> Restriction | None:
    """The pins and bans as a `Restriction`; None when the base model already
    closes a pinned pair or two of them clash (the cold solve says why)."""
    off = np.zeros(b.n_pairs, dtype=bool)
    take: list[int] = []
    for pin in pins:
        g, c = group_of(b, pin.township, pin.seat), b.cadre_index.get(pin.cadre)
        col = None if g is None or c is None else b.vars.column(g, c)
        if col is None:
            return None
        take.append(col)
        off |= (b.pair_cadre == c) & (b.pair_group != g)
        if b.groups[g].count == 1:
            off |= (b.pair_group == g) & (b.pair_cadre != c)
    for ban in bans:
        c = b.cadre_index.get(ban.cadre)
        for g in b.groups:
            if c is not None and ban.covers(g.seat.township, g.seat.template.id):
                col = b.vars.column(g.index, c)
                if col is not None:
                    off[col] = True
    if off[take].any():
        return None
    return Restriction(off, tuple(take))


def recent_principal_seats(b: Builder) -> dict[str, list[tuple[set[int], float]]]:
    """Per recent principal of an N-4 rule in force: their own seat groups and
    what the rule's instance costs a slate that moves them (must: unbounded)."""
    out: dict[str, list[tuple[set[int], float]]] = {}
    for spec in b.sc.ruleset_in_force.rules:
        if spec.kind != N4:
            continue
        cost = INF if spec.strength == Strength.must else (
            float(b.big_m) if spec.strength == Strength.generally else float(spec.weight))
        for c in recent_principals(kind_of(spec).parse(spec), b.view):
            own = {x.index for x in b.groups
                   if x.seat.township == c.current_township and x.seat.main_post == c.current_post}
            out.setdefault(c.id, []).append((own, cost))
    return out


def principal_cost(seats: dict[str, list[tuple[set[int], float]]], cadre: str, g: int | None) -> float:
    """How much more than the base model says a slate may score once `cadre` is
    pinned to group g (None: banned from some seat of theirs): the N-4 instances
    of a recent principal that a pin elsewhere takes out (`recent_principal_seats`).
    0: the change is a plain restriction."""
    return sum(cost for own, cost in seats.get(cadre, ()) if g not in own)


def restricted_bound(bd: Bound, r: Restriction, shift: float = 0.0) -> Bound:
    """The base duals' Lagrangian bound with r's column bounds: a closed pair no
    longer adds its gain max(0, d), a taken pair costs its loss; every other pair
    keeps its loss. Valid for every slate under r (as B is for every slate)."""
    gain = bd.gain if bd.gain is not None else np.zeros(len(bd.loss))
    take = list(r.take)
    value = bd.value - float(gain[r.off].sum()) - float(bd.loss[take].sum()) + shift
    loss = bd.loss.copy()
    loss[r.off] = INF
    loss[take] = 0.0
    return Bound(value, loss, bd.lp_value, bd.primal, bd.columns, bd.rounds, bd.seconds)


@dataclass
class Searched:
    """A forced solve or what-if whose search is done and whose referee is still to
    come: its status, the objective of its slate as the model scores it (None: no
    slate; the referee checks that number) and `finish`, the referee's part, which
    reads nothing of the kept model, so it may run on another thread while the next
    search runs (a ranking: solver/forced.py)."""

    status: SolveStatus
    objective: int | None
    finish: Callable[[], SolveResult]


def done(result: SolveResult) -> Searched:
    """A result judged already, as a `Searched`."""
    first = result.slates[0].score if result.slates else None
    return Searched(result.status, first.objective if first else None, lambda: result)


def solve_restricted(p: Prepared, r: Restriction, stop: Stop, judged: Scenario | None = None,
                     lean: bool = True, freed: tuple[Recorded, ...] = ()) -> SolveResult:
    """`searched_restricted` with its referee at once."""
    return searched_restricted(p, r, stop, judged, lean, freed).finish()


def searched_restricted(p: Prepared, r: Restriction, stop: Stop, judged: Scenario | None = None,
                        lean: bool = True, freed: tuple[Recorded, ...] = ()) -> Searched:
    """The best slate of the prepared model under r, kept as near the base slate
    as its score allows (`lean`), judged by the referee on `judged` (the base
    scenario when None: pins and bans add no score; the slate is then judged
    without its team statistics and changes, which a forced solve does not show).
    Its status is the search's: OPTIMAL only when proven. `freed`: the N-4
    instances r's pins take out of the scenario (`freed`); their cost is taken
    out of the objective for this solve. The model is given back as it was."""
    assert p.b is not None and p.best is not None
    b, t0 = p.b, perf_counter()
    near = np.array([v.col for v in b.pair_vars(p.best.assignments) if v.col < b.n_pairs], dtype=np.int64)
    rows = [Row(Lin(np.array([c]), np.ones(1, np.int64)), 1, INF, cp_only=True) for c in r.take]
    b.model.rows += rows
    hint = np.zeros(b.n_pairs, dtype=bool)
    hint[near[~r.off[near]]] = True
    hint[list(r.take)] = True
    on = np.flatnonzero(hint)
    b.model.set_hints(on, np.ones(len(on), np.int64))
    saved = b.objective, b.recorded
    if freed:  # N-4 instances the pins take out: their cost leaves the objective, the referee agrees
        b.objective = (b.objective + lin_sum([freed_cost(b, x) * x.amount for x in freed])).merged()
        gone = {x.key for x in freed}
        b.recorded = [Recorded(x.spec, x.key, 0) if x.key in gone else x for x in b.recorded]
        b.model.maximize(b.objective)
    try:
        return judged_result(p, r, stop, judged, lean, near, sum(freed_cost(b, x) for x in freed), t0)
    finally:
        del b.model.rows[len(b.model.rows) - len(rows):]
        b.objective, b.recorded = saved
        b.model.maximize(b.objective)
        b.model.clear_hints()


def freed_cost(b: Builder, x: Recorded) -> int:
    """What a recorded instance costs the objective when broken (solver/objective.py)."""
    return b.big_m if x.spec.strength == Strength.generally else x.spec.weight


def judged_result(p: Prepared, r: Restriction, stop: Stop, judged: Scenario | None, lean: bool,
                  near: np.ndarray, shift: float, t0: float) -> Searched:
    """The search under r (its bounds raised by `shift`) and the solver's account of
    its slate, now; the referee's judgement and check of it, in `finish`."""
    b = p.b
    assert b is not None
    try:
        found: Found | None
        found, bound = search_restricted(p, r, stop, shift)
        if lean and found.vals is not None and found.stats.objective is not None:
            found = closer(p, bound, found, near, stop)
    except CutShort:
        found = None
    settings = p.result.settings.model_copy(update={"time_limit": stop.remaining() + perf_counter() - t0})
    common = dict(scenario=(judged or p.sc).name, ruleset=p.sc.ruleset, settings=settings, build_time=0.0,
                  candidate_pairs=int(b.n_pairs - r.off.sum()), dropped_pairs=p.result.dropped_pairs)
    if found is None:
        return done(SolveResult(status=SolveStatus.UNKNOWN, **common))
    if found.vals is None:
        return done(SolveResult(status=found.status, solves=(found.stats,), **common))
    assignments = read_assignments(b, found.vals)
    ours = account(b, found.vals)
    stats = found.stats.model_copy(update={"wall_time": perf_counter() - t0})
    status, sc = found.status, p.sc

    def finish() -> SolveResult:
        if judged is not None:
            slate, verdict = judge(judged, assignments, rank=1)
        else:
            verdict = referee(sc, assignments)
            slate = Slate(assignments=tuple(assignments), rank=1, score=verdict.score,
                          report=tuple(verdict.report), leavers=verdict.leavers)
        agree(ours, slate, verdict)
        return SolveResult(status=status, slates=(slate,), solves=(stats,), **common)

    return Searched(status, ours[1], finish)


RINGS = (2, 8, 32)
"""Pairs per seat group (the least loss first) of the wider small models tried, in
turn, before the search over every pair the bound keeps: on c20-1000 a forced
slate that two per group miss is found among eight (1,000 pairs, 0.1-0.4 s),
where the search over the 9,000 pairs the bound keeps took 3-7 s."""


def wider(search: Search, per_group: int, stop: Stop) -> Found | None:
    """One support model of the search over a wider set (`Search.rung`): the
    relaxation's solution and each group's `per_group` best of the pairs the target
    keeps. A slate reaching floor(bound) is proven best (the score alone: a forced
    solve's first step)."""
    if search.bound is None or search.kept() is None:
        return None
    return search.rung(stop, 1, 0, per_group, SUPPORT_SECONDS)[0]


LP_SHARE = 0.25
"""Of what a forced solve has left, at most this for re-solving the relaxation under its pins."""


def search_restricted(p: Prepared, r: Restriction, stop: Stop, shift: float = 0.0) -> tuple[Found, Bound]:
    """The best score under r, and the bound that proves it. First the base bound
    alone: a slate of few pairs that reaches floor(bound) is proven best at once.
    Otherwise the relaxation is re-solved under r from the base's basis
    (`Master.restricted`, a few GLOP rounds, not a new relaxation), and the
    search runs on that bound (unless the base's is lower by a point), with the
    support's slate as its hint. `shift`: what the objective gains on every
    slate under r over the base's (`freed`)."""
    assert p.b is not None and p.bound is not None
    b, check = p.b, Checkpoint(stop, "search")
    scale = b.n_seats + 1
    cheap = restricted_bound(p.bound, r, shift)
    found: Found | None = None
    if pin_key(r) not in p.relaxed:  # relaxed already (a ranking's `relax_pin`): start from that
        first = Search(b, cheap, p.how, scale, check, 1, Alternatives.seats)
        found = first.from_support(stop, 1, 0, widen=False)
        if found is not None and found.status == SolveStatus.OPTIMAL:
            return found, cheap
    bound = cheap
    if p.bound.master is not None and not stop.should_stop():
        check.enter("lp_relaxation")
        tight = relaxed(p, r, stop, check)
        tight = replace(tight, value=tight.value + shift)
        if math.floor(tight.value + 1e-6) <= math.floor(cheap.value + 1e-6):
            bound = tight  # its own duals: their losses fix far more pairs than the base's
    search = Search(b, bound, p.how, scale, check, 1, Alternatives.seats)
    for k in RINGS:
        if found is not None and found.vals is not None:
            search.hint(found.vals)
        ring = wider(search, k, stop)
        if ring is not None and (found is None or ring.status == SolveStatus.OPTIMAL):
            found = ring
        if found is not None and found.status == SolveStatus.OPTIMAL:
            return found, bound
    if found is not None and found.vals is not None:
        search.hint(found.vals)
    out = search.best(stop, scaled=False, cap=0)
    if out.vals is None and found is not None and found.vals is not None:
        return found, bound  # stopped before the search found a slate: the support's stands, unproven
    return out, bound


NEIGHBOURS = 8
"""Pairs per seat group (the least loss first) besides the base slate's in the
neighbourhood a forced slate is brought nearer the base in."""

CLOSER_SECONDS = 0.5
"""At most this long (and half of what is left) to bring a forced slate nearer the base slate."""


def closer(p: Prepared, bound: Bound, found: Found, near: np.ndarray, stop: Stop) -> Found:
    """A slate of the same (proven) score that keeps as many of the base slate's
    pairs as CP-SAT finds among a neighbourhood: the base slate's pairs, the found
    slate's, the relaxation's solution and each group's `NEIGHBOURS` best, of
    those that can be in a slate of that score. The closeness is a tie-break, so it is not proven over every
    pair (that search takes seconds on a county); the score and its status are
    those of `found`."""
    assert p.b is not None and found.vals is not None and found.stats.objective is not None
    b, score = p.b, int(found.stats.objective)
    scale = b.n_seats + 1
    search = Search(b, bound, p.how, scale, Checkpoint(stop, "search"), 1, Alternatives.seats)
    search.target = score
    keep = search.kept()
    if keep is None:
        return found
    few = bound.primal[: b.n_pairs] > 1e-6
    few[near] = True
    few[found.vals[: b.n_pairs] == 1] = True
    few[best_per_group(-bound.loss, b.pair_group, keep[: b.n_pairs], NEIGHBOURS)] = True
    keep[: b.n_pairs] &= few
    b.model.maximize(scale * b.objective + lin_sum([Lin(near, np.ones(len(near), np.int64))]))
    search.hint(found.vals)
    limit = min(CLOSER_SECONDS, stop.remaining() / 2)
    vals = search.run(search.cp_view(keep), stop, scale, -INF, limit=limit)[1]
    if vals is None or value(b.model.objective, vals) <= value(b.model.objective, found.vals):
        return found  # (the leaning objective: a slate that scores less is never taken)
    return Found(found.status, vals, found.stats)


def solve_pinned(p: Prepared, pins: tuple[Pin, ...], bans: tuple[Ban, ...], stop: Stop,
                 whatif: Scenario | Callable[[], Scenario], on_event: OnEvent | None = None,
                 lean: bool = True) -> SolveResult:
    """`pinned` with its referee at once."""
    return pinned(p, pins, bans, stop, whatif, on_event, lean).finish()


def pinned(p: Prepared, pins: tuple[Pin, ...], bans: tuple[Ban, ...], stop: Stop,
           whatif: Scenario | Callable[[], Scenario], on_event: OnEvent | None = None,
           lean: bool = True) -> Searched:
    """The what-if (the base with these pins and bans added; a callable makes it
    only when needed) near the base slate: on the prepared model when that is
    exact, judged on the what-if when it is given, else on the base (pins and
    bans add no score); otherwise a full solve. An infeasible warm answer is
    solved again cold, for its reasons and relaxations."""
    r = restriction(p.b, pins, bans) if p.warm and p.b is not None else None
    gone = freed(p, pins, bans) if r is not None else None
    if r is not None and gone is not None:
        sc = whatif if isinstance(whatif, Scenario) else (whatif() if gone else None)
        out = searched_restricted(p, r, stop, sc, lean, gone)
        if out.status != SolveStatus.INFEASIBLE:
            return out
    sc = whatif if isinstance(whatif, Scenario) else whatif()
    return done(solve(sc, workers=p.how.workers, near=p.best, stop=stop, on_event=on_event))


def freed(p: Prepared, pins: tuple[Pin, ...], bans: tuple[Ban, ...]) -> tuple[Recorded, ...] | None:
    """The N-4 instances these pins take out (a recent principal pinned to a seat
    not of their post: module docstring); None when the change is not one the
    prepared model can take: a must N-4 rule (its row would have to go) or a ban
    on a recent principal."""
    assert p.b is not None
    b, seats = p.b, p.recent_principals()
    if any(principal_cost(seats, x.cadre, None) for x in bans):
        return None
    out: list[Recorded] = []
    for x in pins:
        cost = principal_cost(seats, x.cadre, group_of(b, x.township, x.seat))
        if not math.isfinite(cost):
            return None
        if cost:
            out += [rec for rec in b.recorded if rec.spec.kind == N4 and isinstance(rec.amount, Var)
                    and rec.key.rpartition("/")[2] == x.cadre]
    return tuple(out)


@dataclass(frozen=True)
class Candidate:
    """An eligible cadre for one seat group: the pair's column and the bound on the
    score of any slate that seats them there (None: no bound is known)."""

    cadre: str
    col: int
    bound: int | None


def pin_key(r: Restriction) -> tuple[tuple[int, ...], bytes]:
    """A restriction as a key: the pairs it takes and those it closes."""
    return tuple(r.take), np.flatnonzero(r.off).tobytes()


def relaxed(p: Prepared, r: Restriction, stop: Stop, check: Checkpoint | None = None) -> Bound:
    """The kept relaxation re-solved under r (`Master.restricted`), once per
    restriction: kept in `p.relaxed` for a later forced solve of the same pins,
    and its duals in `p.duals`, which bound every other pin too (`candidates`)."""
    assert p.bound is not None and p.bound.master is not None
    key = pin_key(r)
    if key not in p.relaxed:
        check = check if check is not None else Checkpoint(stop, "lp_relaxation")
        tight = p.relaxed[key] = p.bound.master.restricted(r.off, list(r.take), stop.remaining() * LP_SHARE,
                                                           check)
        if tight.open_value is not None and tight.open_loss is not None:
            p.duals.append(tight)
    return p.relaxed[key]


def relax_pin(p: Prepared, township: str, seat: str, cadre: str, stop: Stop) -> None:
    """`relaxed` for one pin, for its duals: a ranking asks it of each candidate
    before any forced solve, as the relaxation of their own pin is often tight and
    proves them below the line at once."""
    assert p.b is not None and p.bound is not None
    r = restriction(p.b, [Pin(cadre=cadre, township=township, seat=seat)])
    if p.bound.master is not None and r is not None:
        relaxed(p, r, stop)


def seat_columns(p: Prepared, township: str, seat: str, stop: Stop) -> None:
    """Every pair of the seat in the kept relaxation's LP (`Master.include`), before a
    ranking relaxes its candidates' pins one by one: GLOP loads the LP once, not
    once per pin whose pair it lacked."""
    assert p.b is not None
    g = group_of(p.b, township, seat)
    if p.bound is not None and p.bound.master is not None and g is not None:
        p.bound.master.include(p.b.pairs_of(g), stop.remaining() / 4)


def pin_values(b: Builder, g: int, value: float, gain: np.ndarray | None, loss: np.ndarray) -> np.ndarray:
    """`restricted_bound` of one duals' bound for each pin of a cadre to group g at
    once: the pin closes the cadre's other pairs and (a seat of one) the group's
    other cadres, and takes the pair."""
    cols, cands = b.pairs_of(g), b.cands[g]
    gain = gain if gain is not None else np.zeros(len(loss))
    per_cadre = np.bincount(b.pair_cadre, weights=gain, minlength=b.pool.size)
    closed = per_cadre[cands] - gain[cols]
    if b.groups[g].count == 1:
        closed += gain[cols].sum() - gain[cols]
    return value - closed - loss[cols]


def holders(p: Prepared, township: str, seat: str) -> set[str]:
    """Who holds the seat (of its kind: identical seats as one) in the base slate."""
    return {a.cadre for a in p.best.assignments
            if a.township == township and seat_kind(a.seat) == seat} if p.best is not None else set()


def candidates(p: Prepared, township: str, seat: str) -> list[Candidate]:
    """Every cadre the base model allows in the seat, with B - loss_j (raised by
    what an N-4 instance a pin takes out could give back): whoever holds the seat
    in the base slate first (they cost nothing), then best bound first."""
    assert p.b is not None
    b = p.b
    g = group_of(b, township, seat)
    if g is None:
        return []
    cols, cands = b.pairs_of(g), b.cands[g]
    tops: list[int | None] = [None] * len(cols)
    if p.bound is not None:
        bd = p.bound
        values = pin_values(b, g, bd.value, bd.gain, bd.loss)
        for seen in p.duals:  # each forced solve's duals bound these pins as well: the least holds
            assert seen.open_value is not None and seen.open_loss is not None
            values = np.minimum(values, pin_values(b, g, seen.open_value, seen.gain, seen.open_loss))
        seats = p.recent_principals()
        more = [v + principal_cost(seats, b.pool.ids[c], g) for v, c in zip(values.tolist(), cands.tolist(),
                                                                           strict=True)]
        tops = [math.floor(v + 1e-6) if math.isfinite(v) else None for v in more]
    out = [Candidate(b.pool.ids[c], col, top)
           for c, col, top in zip(cands.tolist(), cols.tolist(), tops, strict=True)]
    held = holders(p, township, seat)
    out.sort(key=lambda k: (k.cadre not in held, -(k.bound if k.bound is not None else 10**15), k.cadre))
    return out
