"""The referee: checks any slate, solved or hand-made, against every rule.

Plain Python, no CP-SAT. It is how we know the solver is right: every slate the
solver returns goes through here, and the two must agree on every rule
instance and on the score.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from model.collector import collections_paused
from model.enums import Strength
from model.leavers import kept_members, leavers_of
from model.reasons import Reason, reason
from model.rules import REGISTRY, View, kind_of
from model.ruleset import seat_kind
from model.scenario import Scenario
from model.score import bonus_terms, change_of, max_bonus
from model.slate import Assignment, Leaver, RuleInstance, Score, ScoreTerm, Slate
from model.structure import seat_index, team_statistics


@dataclass(frozen=True)
class Verdict:
    """`problems` are structural faults (a seat empty, a cadre twice, an unknown
    id), as reasons; `report` has one entry per rule instance, pins and bans included;
    `leavers` are the sitting members with no seat (退出), with their reasons."""

    problems: list[Reason]
    report: list[RuleInstance]
    score: Score
    leavers: tuple[Leaver, ...] = ()

    @property
    def passes(self) -> bool:
        return not self.problems and not any(
            not r.holds and r.strength == Strength.must for r in self.report
        )


def make_view(sc: Scenario, assignments: Iterable[Assignment]) -> View:
    """The rules' view of the slate; every view of one scenario shares its store of facts
    (`View.memo`), so what does not depend on the slate is found once per scenario."""
    assignments = list(assignments)
    cadres = sc.cadre_by_id
    seated = {(a.township, a.seat): cadres[a.cadre] for a in assignments}
    rs = sc.ruleset_in_force
    return View(
        on=sc.reshuffle_date,
        townships=sc.townships,
        seats=sc.seats,
        cadres=cadres,
        seated=seated,
        renomination_overrides=sc.renomination_overrides,
        extras={(a.township, a.seat): a.extra_posts for a in assignments if a.extra_posts},
        large=sc.computed("large_townships", lambda sc: {
            t.id: rs.is_large(t.residents, t.party_members) for t in sc.county.townships}),
        exceptions=sc.exceptions, rules=rs.rules,
        removed=sc.computed("removed", lambda sc: frozenset(sc.remove)), pins=sc.pins, bans=sc.bans,
        memo=sc.computed("view_memo", lambda sc: {}),
    )


def big_m(sc: Scenario) -> int:
    """More than the widest spread of preference points any slate can have: the seats'
    bonuses, the prefer rules' penalties and the cost of every sitting member left out
    (once per scenario)."""
    return sc.computed("big_m", spread_bound)


def spread_bound(sc: Scenario) -> int:
    view = make_view(sc, [])
    penalties = sum(
        kind_of(r).max_penalty(r, view)
        for r in sc.ruleset_in_force.rules
        if r.strength == Strength.prefer
    )
    left_out = sc.weights_in_force.left_out * len(kept_members(sc, view))
    return 1 + len(sc.seats) * max_bonus(sc) + penalties + left_out


def structure_problems(sc: Scenario, assignments: list[Assignment]) -> list[Reason]:
    problems: list[Reason] = []
    seats = seat_index(sc)
    cadres = sc.cadre_by_id
    for a in assignments:
        if a.cadre not in cadres:
            problems.append(reason("unknown_cadre", township=a.township, seat=a.seat, cadre=a.cadre))
        seat = seats.get((a.township, a.seat))
        if seat is None:
            problems.append(reason("no_such_seat", township=a.township, seat=a.seat, ruleset=sc.ruleset))
        elif not set(a.extra_posts) <= set(seat.template.optional_posts):
            problems.append(reason("posts_not_optional", township=a.township, seat=a.seat,
                                   posts=[p.value for p in a.extra_posts]))
    per_seat = Counter((a.township, a.seat) for a in assignments)
    problems += [reason("seat_given_twice", township=t, seat=s, times=n)
                 for (t, s), n in per_seat.items() if n > 1]
    problems += [reason("seat_left_empty", township=t, seat=s)
                 for (t, s) in sorted(seats.keys() - per_seat.keys())]
    gone = set(sc.remove)
    problems += [reason("cadre_removed", township=a.township, seat=a.seat, cadre=a.cadre)
                 for a in assignments if a.cadre in gone]
    per_cadre = Counter(a.cadre for a in assignments)
    problems += [reason("cadre_seated_twice", cadre=c, seats=n) for c, n in per_cadre.items() if n > 1]
    return problems


def check_pins_and_bans(sc: Scenario, view: View) -> list[RuleInstance]:
    """Scenario pins and bans are `must` constraints of the what-if; one instance each."""
    out: list[RuleInstance] = []
    where = {c.id: (t, s) for (t, s), c in view.seated.items()}
    for pin in sc.pins:
        t, s = where.get(pin.cadre, (None, None))
        ok = t is not None and s is not None and pin.takes(t, seat_kind(s))
        out.append(
            RuleInstance(
                key=f"pin@{pin.cadre}", rule="pin", strength=Strength.must, holds=ok,
                township=pin.township, seat=pin.seat, cadre=pin.cadre,
                reason=reason("pin", cadre=pin.cadre, township=pin.township, seat=pin.seat, holds=ok),
            )
        )
    for ban in sc.bans:
        t, s = where.get(ban.cadre, (None, None))
        hit = t == ban.township and (ban.seat is None or seat_kind(s or "") == ban.seat)
        spot = ban.township + (f"/{ban.seat}" if ban.seat else "")
        out.append(
            RuleInstance(
                key=f"ban@{ban.cadre}/{spot}", rule="ban", strength=Strength.must, holds=not hit,
                township=ban.township, seat=ban.seat, cadre=ban.cadre,
                reason=reason("ban", cadre=ban.cadre, township=ban.township, seat=ban.seat, holds=not hit),
            )
        )
    return out


def score_of(sc: Scenario, view: View, report: list[RuleInstance],
             leavers: tuple[Leaver, ...] = ()) -> Score:
    """The bonus terms of every seat, the cost of each sitting member left out whom
    nothing removes, and the prefer rules' penalties."""
    terms: list[ScoreTerm] = []
    for seat in sc.seats:
        cadre = view.seated.get((seat.township, seat.id))
        if cadre is None:
            continue
        for term, (pts, why) in bonus_terms(sc, cadre, seat).items():
            terms.append(ScoreTerm(term=term, township=seat.township, seat=seat.id, cadre=cadre.id,
                                   points=pts, reason=why))
    cost = sc.weights_in_force.left_out
    for gone in leavers:
        if cost and not gone.removed:
            terms.append(ScoreTerm(term="left_out", township=gone.township, cadre=gone.cadre, points=-cost,
                                   reason=reason("left_out", cadre=gone.cadre, township=gone.township,
                                                 post=gone.post.value)))
    for r in report:
        if r.penalty:
            terms.append(ScoreTerm(term=r.rule, township=r.township, seat=r.seat, cadre=r.cadre,
                                   points=-r.penalty, reason=r.reason))
    violations = sum(1 for r in report if not r.holds and r.strength == Strength.generally)
    points = sum(t.points for t in terms)
    m = big_m(sc)
    return Score(violations=violations, points=points, big_m=m, objective=points - m * violations,
                 terms=tuple(terms))


def referee(sc: Scenario, assignments: Iterable[Assignment]) -> Verdict:
    """Evaluate every rule instance and every score term for these assignments."""
    with collections_paused():
        return verdict_of(sc, list(assignments))


def verdict_of(sc: Scenario, assignments: list[Assignment]) -> Verdict:
    """`referee`'s verdict, made."""
    problems = structure_problems(sc, assignments)
    valid = [a for a in assignments if a.cadre in sc.cadre_by_id]
    view = make_view(sc, valid)
    report: list[RuleInstance] = []
    for spec in sc.ruleset_in_force.rules:
        report += REGISTRY[spec.kind].check(spec, view)
    report += check_pins_and_bans(sc, view)
    leavers = leavers_of(sc, view, (a.cadre for a in valid))
    return Verdict(problems=problems, report=report, score=score_of(sc, view, report, leavers),
                   leavers=leavers)


def judge(
    sc: Scenario, assignments: Iterable[Assignment], rank: int | None = None
) -> tuple[Slate, Verdict]:
    """A slate with its changes, score and rule report filled in, and the verdict."""
    with collections_paused():
        return judged_slate(sc, assignments, rank)


def judged_slate(sc: Scenario, assignments: Iterable[Assignment], rank: int | None) -> tuple[Slate, Verdict]:
    """`judge`'s slate and verdict, made."""
    seats = seat_index(sc)
    filled = tuple(
        a.model_copy(update={"change": change_of(sc, sc.cadre_by_id[a.cadre], seats[(a.township, a.seat)])})
        if a.cadre in sc.cadre_by_id and (a.township, a.seat) in seats
        else a
        for a in assignments
    )
    verdict = referee(sc, filled)
    slate = Slate(assignments=filled, rank=rank, score=verdict.score, report=tuple(verdict.report),
                  leavers=verdict.leavers, statistics=team_statistics(sc, filled))
    return slate, verdict
