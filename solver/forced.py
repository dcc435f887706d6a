"""Who else, and why not: forcing one cadre into one seat and measuring the cost.

`why_not` answers "why is she not secretary of 东山镇?": either a must rule (or a
ban, or her removal) forbids it, named with the numbers, or the forced solve's
score falls by so much, under these terms. `recommend` ranks every eligible
candidate for a seat by that score: exactly (a forced solve) for the best
`limit`, and for the others by the base relaxation's bound, which no slate
seating them can beat.

Forced solves run on the base solve's own model and bound (solver/warm.py), not
on a model built and relaxed again; pass `prepared` to reuse a base across calls.

Each verb has one budget (`stop`, or `time_limit` seconds for the whole run):
why_not gives the base solve half of it and the forced solve the rest;
recommend gives the base solve 1 / (limit + 1) of it and shares the rest evenly
among the forced solves, each solve's unused time going to those after it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from time import perf_counter

from pydantic import BaseModel, ConfigDict, Field

from model.collector import collections_paused
from model.eligibility import exclusions
from model.reasons import Reason, reason
from model.scenario import Pin, Scenario
from model.slate import Relaxation, RuleInstance, Slate, SolveResult, SolveStatus
from solver.build import Builder
from solver.events import CandidateTried, OnEvent, ignore
from solver.run import Workers
from solver.stop import Stop, budget, share
from solver.warm import (
    Candidate,
    Prepared,
    candidates,
    holders,
    pinned,
    prepare,
    relax_pin,
    seat_columns,
)

DEFAULT_TIME_LIMIT = 30.0


class Forced(BaseModel):
    """The outcome of forcing `cadre` into a seat of `township`. `delta` is the
    forced best objective minus the base best (None when impossible). `status`
    is the forced solve's (None when no solve was needed); `scenario_status` is
    set when the scenario itself has no slate, so nothing could be compared.
    `reasons` say why it is impossible (or why it costs nothing), as data;
    `relaxations` are those of an infeasible solve (the scenario's or the forced
    one); `newly_broken` the rule instances the forced slate breaks and the best
    one does not. `exact`: `objective` is proven the forced best (false when the
    forced solve ran out of time: its slate stands, unproven). `bound`: the base
    relaxation's bound on the forced objective, when one is known."""

    model_config = ConfigDict(extra="forbid")

    cadre: str
    name: str
    township: str
    seat: str
    possible: bool
    delta: int | None = None
    objective: int | None = None
    reasons: list[Reason] = Field(default_factory=list)
    relaxations: list[Relaxation] = Field(default_factory=list)
    terms: dict[str, int] = Field(default_factory=dict)
    newly_broken: list[RuleInstance] = Field(default_factory=list)
    status: SolveStatus | None = None
    scenario_status: SolveStatus | None = None
    exact: bool = True
    bound: int | None = None


class Bounded(BaseModel):
    """An eligible cadre not force-solved: no slate seating them scores above
    `bound` (the base relaxation's B - loss of the pair; None: no bound known),
    `delta_bound` is that minus the base best. `outside_top`: the bound is at most
    the objective of the `limit`-th exact candidate, so they are proven not
    above any of the best `limit` (at best a tie, which goes to the one solved)."""

    model_config = ConfigDict(extra="forbid")

    cadre: str
    name: str
    bound: int | None = None
    delta_bound: int | None = None
    outside_top: bool = False


class Recommendation(BaseModel):
    """Every candidate for one seat: how many are eligible under the must rules;
    those force-solved (`tried`, best score change first; each `exact` unless its
    solve ran out of time), and the rest by their bound (`bounded`, best first).
    `limit` is how many best were asked for exactly; `proven`: the best `limit`
    (and every candidate tied with the last of them) are all in `tried` and exact,
    so the order of the top is proven."""

    model_config = ConfigDict(extra="forbid")

    township: str
    seat: str
    eligible: int
    tried: list[Forced] = Field(default_factory=list)
    bounded: list[Bounded] = Field(default_factory=list)
    limit: int = 0
    proven: bool = False


@collections_paused()
def why_not(sc: Scenario, cadre: str, township: str, seat: str, base: SolveResult | None = None,
            time_limit: float | None = None, workers: int = 2, stop: Stop | None = None,
            on_event: OnEvent | None = None, prepared: Prepared | None = None) -> Forced:
    """Force the cadre into the seat and compare with the best slate: that of
    `prepared` (a kept base, solver/warm.py), of `base` (a result alone: the
    forced solve is a full one), or solved here with half the budget."""
    stop = budget(stop, time_limit, DEFAULT_TIME_LIMIT)
    c = sc.cadre_by_id[cadre]
    out = Forced(cadre=cadre, name=c.name, township=township, seat=seat, possible=False)
    out.reasons = exclusions(sc, cadre, township, seat)
    if out.reasons:
        return out
    if prepared is None:
        prepared = (Prepared(sc, base, Workers(workers)) if base is not None
                    else prepare(sc, share(stop, 0.5), workers, on_event))
    return forced(prepared, out, stop, on_event)


def forced(p: Prepared, out: Forced, stop: Stop, on_event: OnEvent | None = None,
           bound: int | None = None, lean: bool = True) -> Forced:
    """Fill `out` (a cadre no rule keeps out of the seat) from its forced solve on
    `p`; `lean`: its slate brought nearer the base slate (solver/warm.py `closer`),
    so its terms and broken rules are those the force brings."""
    return forcing(p, out, stop, on_event, bound, lean).finish()


@dataclass
class Forcing:
    """A forced solve whose search is done: its objective as the model scores it
    (None: no slate) and whether it is proven, known at once for a ranking to go
    on; `finish` fills the `Forced` from the referee's judgement of the slate,
    which checks that objective (solver/warm.py `Searched`)."""

    objective: int | None
    exact: bool
    finish: Callable[[], Forced]


def forcing(p: Prepared, out: Forced, stop: Stop, on_event: OnEvent | None = None,
            bound: int | None = None, lean: bool = True) -> Forcing:
    """`forced`, its referee left to `finish`."""
    base, sc = p.result, p.sc
    if not base.slates:
        out.scenario_status = base.status
        out.reasons, out.relaxations = list(base.reasons), list(base.relaxations)
        return Forcing(None, True, lambda: out)
    best = base.slates[0]
    cadre, township, seat = out.cadre, out.township, out.seat
    if cadre in holders(p, township, seat):
        out.possible, out.delta = True, 0
        out.objective = best.score.objective if best.score else None
        out.reasons = [reason("already_there")]
        return Forcing(out.objective, True, lambda: out)
    out.bound = bound
    pin = Pin(cadre=cadre, township=township, seat=seat)
    if any(q.cadre == cadre for q in sc.pins):  # pinned elsewhere: that pin gives way, not a restriction
        p = Prepared(sc, base, p.how)
    searched = pinned(p, (pin,), (), stop, whatif=lambda: sc.with_changes(
        pins=(*(q for q in sc.pins if q.cadre != cadre), pin)), on_event=on_event, lean=lean)
    exact = searched.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE)
    return Forcing(searched.objective, exact, lambda: filled(out, searched.finish(), best))


def filled(out: Forced, forced: SolveResult, best: Slate) -> Forced:
    """`out` from the judged forced solve, against the base's best slate."""
    out.status = forced.status
    out.exact = forced.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE)
    new, old = (forced.slates[0].score if forced.slates else None), best.score
    if new is None or old is None:
        out.reasons = list(forced.reasons) or [reason("forced_status", status=forced.status.value)]
        out.relaxations = list(forced.relaxations)
        return out
    out.possible = True
    out.objective = new.objective
    out.delta = new.objective - old.objective
    old_terms, new_terms = old.by_term(), new.by_term()
    out.terms = {k: new_terms.get(k, 0) - old_terms.get(k, 0)
                 for k in sorted(set(old_terms) | set(new_terms))
                 if new_terms.get(k, 0) != old_terms.get(k, 0)}
    before = {r.key for r in best.broken()}
    out.newly_broken = [r for r in forced.slates[0].broken() if r.key not in before]
    return out


@collections_paused()
def recommend(sc: Scenario, township: str, seat: str, limit: int = 10, time_limit: float | None = None,
              workers: int = 2, stop: Stop | None = None, on_event: OnEvent | None = None,
              prepared: Prepared | None = None) -> Recommendation:
    """Every eligible cadre for a seat, ranked by the objective of the best slate
    that seats them. Each pair's relaxation bound caps that objective, so the
    candidates are force-solved best bound first, until `limit` are solved and
    the next bound is at most the `limit`-th objective solved: no cadre left can
    rank above it, so the top `limit` are exact (a cadre whose forced score ties
    the base has a bound at or above it, so it is solved before any below). A
    cadre left is then proven outside the top (`Bounded.outside_top`; one whose
    bound equals the `limit`-th objective could at best tie it, and the tie goes
    to the one solved); the rest, when the budget ran out, are ranked by bound. Whoever holds the seat
    in the best slate counts with delta 0 and needs no solve. One budget for all:
    the base solve (unless `prepared`) gets 1 / (limit + 1) of it, each forced
    solve an even share of what is left for those still to come."""
    stop = budget(stop, time_limit, DEFAULT_TIME_LIMIT)
    emit = on_event or ignore
    t0 = perf_counter()
    n = max(limit, 1)
    p = prepared or prepare(sc, share(stop, 1 / (n + 1)), workers)
    if not p.warm or p.b is None:
        return unranked(p, township, seat, n, stop)
    cands = candidates(p, township, seat)
    seat_columns(p, township, seat, stop)
    base_objective = p.best.score.objective if p.best is not None and p.best.score else 0
    tried: list[Forcing] = []
    left = list(cands)
    seen = len(p.duals)
    relaxed: set[str] = set()
    held = holders(p, township, seat)

    def tighten(left: list[Candidate]) -> list[Candidate]:
        """Those left, bounded by every relaxation's duals so far, best bound first."""
        tighter = {k.cadre: k.bound for k in candidates(p, township, seat)}
        return sorted((replace(k, bound=tighter[k.cadre]) for k in left),
                      key=lambda k: (-(k.bound if k.bound is not None else 10**15), k.cadre))

    # The referee judges each forced slate on a thread of its own while the next candidate is
    # relaxed and searched (CP-SAT lets go of the interpreter): the ranking goes on from the
    # model's objective, which the referee checks before the ranking is returned.
    with ThreadPoolExecutor(1, thread_name_prefix="referee") as pool:
        judged: list[Future[Forced]] = []
        while left and not stop.should_stop():
            k = left[0]
            if len(tried) >= n and k.bound is not None and k.bound <= nth(tried, n):
                break  # no cadre left can rank above the n-th solved one
            if k.cadre not in relaxed and k.cadre not in held:
                # The relaxation of their own pin first: it may prove them below the line for a
                # fraction of a forced solve (no CP-SAT, no referee), and a forced solve starts from it.
                relaxed.add(k.cadre)
                relax_pin(p, township, seat, k.cadre, stop)
                seen = len(p.duals)
                left = tighten(left)
                continue
            left.pop(0)
            start = Forced(cadre=k.cadre, name=sc.cadre_by_id[k.cadre].name, township=township, seat=seat,
                           possible=False)
            f = forcing(p, start, share(stop, 1 / max(1, n - len(tried), min(len(left) + 1, 2))),
                        bound=k.bound, lean=False)
            tried.append(f)
            judged.append(pool.submit(f.finish))
            if len(p.duals) > seen:  # its relaxation's duals bound the others too: re-rank those left
                seen = len(p.duals)
                left = tighten(left)
            emit(CandidateTried(index=len(tried), of=max(n, len(tried)), cadre=k.cadre,
                                possible=f.objective is not None,
                                delta=None if f.objective is None else f.objective - base_objective,
                                seconds=perf_counter() - t0))
        line = nth(tried, n)
        out = [x.result() for x in judged]
    out.sort(key=lambda f: (-(f.delta if f.delta is not None else -10**12), f.cadre))
    bounded = [bounded_of(sc, k, base_objective, line) for k in left]
    proven = all(f.exact for f in out) and all(b.outside_top for b in bounded)
    return Recommendation(township=township, seat=seat, eligible=len(cands), tried=out, bounded=bounded,
                          limit=n, proven=proven)


def nth(tried: list[Forcing], n: int) -> float:
    """The n-th best forced objective so far (-inf while fewer than n are possible)."""
    scores = sorted((f.objective for f in tried if f.objective is not None), reverse=True)
    return scores[n - 1] if len(scores) >= n else -math.inf


def bounded_of(sc: Scenario, k: Candidate, base: int, line: float) -> Bounded:
    return Bounded(cadre=k.cadre, name=sc.cadre_by_id[k.cadre].name, bound=k.bound,
                   delta_bound=None if k.bound is None else k.bound - base,
                   outside_top=k.bound is not None and k.bound <= line)


def unranked(p: Prepared, township: str, seat: str, n: int, stop: Stop) -> Recommendation:
    """A base without a slate (its status and reasons, once), or without a bound
    to rank by: then the `n` most promising by their own points in the seat
    (merit, reserve) are force-solved, cold, as before the warm start."""
    b = Builder(p.sc)
    b.drop_forbidden_pairs()  # the eligible are all this needs of the model
    g = next(g for g in b.groups if g.seat.township == township and g.seat.template.id == seat)
    eligible = [b.pool.ids[c] for c in range(b.pool.size) if b.allowed[c, g.index]]
    if not p.result.slates:
        out = Forced(cadre="", name="", township=township, seat=seat, possible=False)
        return Recommendation(township=township, seat=seat, eligible=len(eligible),
                              tried=[forced(p, out, stop)], limit=n)
    own = {cid: (int(b.pool.merit[i]), int(b.pool.reserve[i])) for i, cid in enumerate(b.pool.ids)}
    ranked = sorted(eligible, key=lambda cid: (-own[cid][0], -own[cid][1], cid))[:n]
    cold = Prepared(p.sc, p.result, p.how)
    tried = []
    for i, cid in enumerate(ranked):
        if stop.should_stop():
            break
        out = Forced(cadre=cid, name=p.sc.cadre_by_id[cid].name, township=township, seat=seat,
                     possible=False)
        tried.append(forced(cold, out, share(stop, 1 / (len(ranked) - i))))
    tried.sort(key=lambda f: (-(f.delta if f.delta is not None else -10**12), f.cadre))
    return Recommendation(township=township, seat=seat, eligible=len(eligible), tried=tried, limit=n)
