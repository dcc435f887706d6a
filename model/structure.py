"""The structure statistics of a slate (model/statistics.py), read from the scenario: the
new teams from the slate's assignments, the sitting ones from the cadres' current posts.
Apart from model/statistics.py because a scenario imports the rules, which import the slate."""

from __future__ import annotations

from collections.abc import Iterable

from model.enums import Change
from model.scenario import Scenario
from model.slate import Assignment
from model.statistics import TeamStatistics, figures


def team_statistics(sc: Scenario, assignments: Iterable[Assignment]) -> tuple[TeamStatistics, ...]:
    """One entry per township in the county's order, then the county (`township` None).
    Assignments to unknown cadres or seats are skipped (the referee reports them)."""
    seats = {(s.township, s.id): s for s in sc.seats}
    cadres = sc.cadre_by_id
    valid = [a for a in assignments if a.cadre in cadres and (a.township, a.seat) in seats]
    on = sc.reshuffle_date
    out: list[TeamStatistics] = []
    for t in sc.county.townships:
        mine = [a for a in valid if a.township == t.id]
        principal = [a for a in mine if seats[(a.township, a.seat)].principal]
        out.append(TeamStatistics(
            township=t.id,
            new=figures((cadres[a.cadre] for a in mine), on),
            sitting=figures((c for c in sc.cadres if c.sits_in(t.id)), on),
            principals=len(principal),
            principals_continuing=sum(1 for a in principal if a.change == Change.continues),
        ))
    here = {t.id for t in sc.county.townships}
    out.append(TeamStatistics(
        new=figures((cadres[a.cadre] for a in valid), on),
        sitting=figures((c for c in sc.cadres if c.is_sitting and c.current_township in here), on),
        principals=sum(s.principals for s in out),
        principals_continuing=sum(s.principals_continuing for s in out),
    ))
    return tuple(out)
