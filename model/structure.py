"""The structure statistics of a slate (model/statistics.py), read from the scenario: the
new teams from the slate's assignments, the sitting ones from the cadres' current posts.
Apart from model/statistics.py because a scenario imports the rules, which import the slate."""

from __future__ import annotations

from collections.abc import Iterable

from model.enums import Change
from model.people import Cadre
from model.ruleset import Seat
from model.scenario import Scenario
from model.slate import Assignment
from model.statistics import TeamFigures, TeamStatistics, figures


def team_statistics(sc: Scenario, assignments: Iterable[Assignment]) -> tuple[TeamStatistics, ...]:
    """One entry per township in the county's order, then the county (`township` None).
    Assignments to unknown cadres or seats are skipped (the referee reports them)."""
    seats = seat_index(sc)
    cadres = sc.cadre_by_id
    valid = [a for a in assignments if a.cadre in cadres and (a.township, a.seat) in seats]
    mine: dict[str, list[Assignment]] = {}
    for a in valid:  # one pass, not one per township
        mine.setdefault(a.township, []).append(a)
    on = sc.reshuffle_date
    sitting = sitting_figures(sc)
    out: list[TeamStatistics] = []
    for t in sc.county.townships:
        team = mine.get(t.id, [])
        principal = [a for a in team if seats[(a.township, a.seat)].principal]
        out.append(TeamStatistics(
            township=t.id,
            new=figures((cadres[a.cadre] for a in team), on),
            sitting=sitting[t.id],
            principals=len(principal),
            principals_continuing=sum(1 for a in principal if a.change == Change.continues),
        ))
    out.append(TeamStatistics(
        new=figures((cadres[a.cadre] for a in valid), on),
        sitting=sitting[None],
        principals=sum(s.principals for s in out),
        principals_continuing=sum(s.principals_continuing for s in out),
    ))
    return tuple(out)


def seat_index(sc: Scenario) -> dict[tuple[str, str], Seat]:
    """(township, seat id) -> the seat, once per scenario."""
    return sc.computed("seat_index", lambda sc: {(s.township, s.id): s for s in sc.seats})


def sitting_figures(sc: Scenario) -> dict[str | None, TeamFigures]:
    """The sitting teams' figures by township id, the county's under None: they depend on the
    scenario alone, so they are counted once per scenario, not once per slate judged."""
    def count(sc: Scenario) -> dict[str | None, TeamFigures]:
        on = sc.reshuffle_date
        teams: dict[str, list[Cadre]] = {t.id: [] for t in sc.county.townships}
        for c in sc.cadres:  # pool order, as the sitting members' figures were always read
            if c.is_sitting and c.current_township in teams:
                teams[c.current_township].append(c)
        out: dict[str | None, TeamFigures] = {tid: figures(team, on) for tid, team in teams.items()}
        out[None] = figures((c for c in sc.cadres if c.is_sitting and c.current_township in teams), on)
        return out
    return sc.computed("sitting_figures", count)
