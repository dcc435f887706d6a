"""Who else, and why not: forcing one cadre into one seat and measuring the cost.

`why_not` answers "why is she not secretary of 东山镇?": either a must rule (or a
ban, or her removal) forbids it, named with the numbers, or the forced solve's
score falls by so much, under these terms. `recommend` ranks candidates for a
seat by that score change.

Each verb has one budget (`stop`, or `time_limit` seconds for the whole run):
why_not gives the base solve half of it and the forced solve the rest;
recommend shares it evenly among the base solve and the forced solves, each
solve's unused time going to those after it.
"""

from __future__ import annotations

from time import perf_counter

from pydantic import BaseModel, ConfigDict, Field

from model.enums import Strength
from model.reasons import Reason, reason
from model.referee import make_view
from model.rules import kind_of
from model.rules.seated import SeatedKind
from model.ruleset import seat_kind
from model.scenario import Pin, Scenario
from model.slate import Relaxation, RuleInstance, SolveResult, SolveStatus
from solver.build import Builder
from solver.events import CandidateTried, OnEvent, ignore
from solver.search import solve
from solver.stop import Stop, budget, share

DEFAULT_TIME_LIMIT = 30.0


class Forced(BaseModel):
    """The outcome of forcing `cadre` into a seat of `township`. `delta` is the
    forced best objective minus the base best (None when impossible). `status`
    is the forced solve's (None when no solve was needed); `scenario_status` is
    set when the scenario itself has no slate, so nothing could be compared.
    `reasons` say why it is impossible (or why it costs nothing), as data;
    `relaxations` are those of an infeasible solve (the scenario's or the forced
    one); `newly_broken` the rule instances the forced slate breaks and the best
    one does not."""

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


class Recommendation(BaseModel):
    """Candidates for one seat: how many are eligible under the must rules, and
    those force-solved, best score change first."""

    model_config = ConfigDict(extra="forbid")

    township: str
    seat: str
    eligible: int
    tried: list[Forced] = Field(default_factory=list)


def exclusions(sc: Scenario, cadre: str, township: str, seat: str) -> list[Reason]:
    """Why the cadre may not take the seat at all: must seated rules (with the
    referee's own finding and numbers), bans, removal from the pool."""
    c = sc.cadre_by_id[cadre]
    out: list[Reason] = []
    if cadre in sc.remove:
        out.append(reason("removed"))
    for ban in sc.bans:
        if ban.cadre == cadre and ban.township == township and ban.seat in (None, seat):
            out.append(reason("banned", township=township, seat=seat if ban.seat else None))
    target = next(s for s in sc.seats_of(township) if s.template.id == seat)
    view = make_view(sc, [])
    for spec in sc.ruleset_in_force.rules:
        kind = kind_of(spec)
        if spec.strength != Strength.must or not isinstance(kind, SeatedKind):
            continue
        p = kind.parse(spec)
        if p.applies(target):
            why = kind.fails(p, c, target, sc.townships[township], view)
            if why is not None:
                out.append(reason("rule_forbids", rule=spec.id, why=why.model_dump()))
    return out


def why_not(sc: Scenario, cadre: str, township: str, seat: str, base: SolveResult | None = None,
            time_limit: float | None = None, workers: int = 2, stop: Stop | None = None,
            on_event: OnEvent | None = None) -> Forced:
    """Force the cadre into the seat and compare with the best slate (`base`, or
    solved here with half the budget)."""
    stop = budget(stop, time_limit, DEFAULT_TIME_LIMIT)
    c = sc.cadre_by_id[cadre]
    out = Forced(cadre=cadre, name=c.name, township=township, seat=seat, possible=False)
    out.reasons = exclusions(sc, cadre, township, seat)
    if out.reasons:
        return out
    if base is None:
        base = solve(sc, workers=workers, stop=share(stop, 0.5), on_event=on_event)
    if not base.slates:
        out.scenario_status = base.status
        out.reasons, out.relaxations = list(base.reasons), list(base.relaxations)
        return out
    best = base.slates[0]
    if any(a.cadre == cadre and a.township == township and seat_kind(a.seat) == seat
           for a in best.assignments):
        out.possible, out.delta = True, 0
        out.objective = best.score.objective if best.score else None
        out.reasons = [reason("already_there")]
        return out
    others = tuple(p for p in sc.pins if p.cadre != cadre)
    forced = solve(sc.with_changes(pins=(*others, Pin(cadre=cadre, township=township, seat=seat))),
                   workers=workers, near=best, stop=stop, on_event=on_event)
    out.status = forced.status
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


def recommend(sc: Scenario, township: str, seat: str, limit: int = 5, time_limit: float | None = None,
              workers: int = 2, stop: Stop | None = None, on_event: OnEvent | None = None) -> Recommendation:
    """The eligible cadres for a seat, ranked by the score change of forcing each
    in. Forced solves are costly, so the `limit` most promising by their own
    points in that seat (merit, continuity, reserve) are solved, plus whoever
    holds the seat in the best slate. One budget for all: the base solve and
    each forced solve get an even share of what is left when they start."""
    stop = budget(stop, time_limit, DEFAULT_TIME_LIMIT)
    emit = on_event or ignore
    t0 = perf_counter()
    n = max(limit, 1)
    base = solve(sc, workers=workers, stop=share(stop, 1 / (n + 1)))
    b = Builder(sc)
    b.drop_forbidden_pairs()  # the eligible are all recommend needs of the model
    g = next(g for g in b.groups if g.seat.township == township and g.seat.template.id == seat)
    eligible = [b.pool.ids[c] for c in range(b.pool.size) if b.allowed[c, g.index]]
    holders = {a.cadre for a in base.slates[0].assignments
               if a.township == township and seat_kind(a.seat) == seat} if base.slates else set()
    own = {cid: (int(b.pool.merit[i]), int(b.pool.reserve[i]), cid) for i, cid in enumerate(b.pool.ids)}
    ranked = sorted(eligible, key=lambda cid: (cid not in holders, -own[cid][0], -own[cid][1], cid))[:n]
    tried: list[Forced] = []
    for i, cid in enumerate(ranked):
        if stop.should_stop():
            break
        f = why_not(sc, cid, township, seat, base, workers=workers, stop=share(stop, 1 / (len(ranked) - i)))
        tried.append(f)
        emit(CandidateTried(index=i + 1, of=len(ranked), cadre=cid, possible=f.possible, delta=f.delta,
                            seconds=perf_counter() - t0))
    tried.sort(key=lambda f: (-(f.delta if f.delta is not None else -10**12), f.cadre))
    return Recommendation(township=township, seat=seat, eligible=len(eligible), tried=tried)
