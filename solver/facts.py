"""The pool and the seats as numpy arrays, and vectorized rule predicates.

This is the solver's own reading of the rules, written independently of the
referee's per-cadre checks in `model/rules/`: eligibility of every cadre for a
seat is computed at once, before any CP-SAT variable exists. The facts the
domain defines once (who sits, merit points) are read from it, not re-derived.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.enums import Gender, Origin, Post
from model.people import full_years
from model.rules.base import Who
from model.ruleset import Seat
from model.scenario import Scenario
from solver.budget import Checkpoint

POSTS = list(Post)
ORIGINS = list(Origin)


@dataclass(frozen=True)
class Pool:
    """One entry per cadre, in scenario order."""

    ids: list[str]
    names: list[str]
    age: np.ndarray
    female: np.ndarray
    education: np.ndarray
    rank: np.ndarray
    township: np.ndarray  # index into scenario townships, -1 outside any
    post: np.ndarray  # index into POSTS, -1 without a post
    tenure: np.ndarray
    township_years: np.ndarray
    leadership_years: np.ndarray
    ethnicity: np.ndarray
    minority: np.ndarray
    outstanding: np.ndarray
    kept: np.ndarray
    reserve: np.ndarray
    recommendation: np.ndarray  # NaN where not given
    incompetent: np.ndarray  # NaN where not given
    origin: np.ndarray
    merit: np.ndarray
    renomination_override: np.ndarray
    expertise: list[frozenset[str]]
    sitting: np.ndarray  # Cadre.is_sitting
    rank_years: np.ndarray  # full years at the rank (N-3), -1 where rank_since is not given
    work_years: np.ndarray  # full years of work (N-8), -1 where not given
    party_years: np.ndarray  # full years of party membership (N-8), -1 where not given
    hometown: np.ndarray  # 成长地 as written (N-5), None where not given

    @property
    def size(self) -> int:
        return len(self.ids)

    def who(self, w: Who, township: int | None = None) -> np.ndarray:
        """Mask of cadres matching a count rule's filter, for seats of `township`
        (None: each cadre's own township, as when counting the outgoing teams)."""
        m = self.matching(w)
        if w.local is not None:
            here = self.township >= 0 if township is None else self.township == township
            m &= here == w.local
        return m

    def matching(self, w: Who) -> np.ndarray:
        """Mask of cadres meeting every condition of the filter but `local` (the one
        that depends on the seat's township)."""
        m = np.ones(self.size, dtype=bool)
        if w.max_age is not None:
            m &= self.age <= w.max_age
        if w.min_age is not None:
            m &= self.age >= w.min_age
        if w.gender is not None:
            m &= self.female == (w.gender == Gender.female)
        if w.min_township_years is not None:
            m &= self.township_years >= w.min_township_years
        if w.minority is not None:
            m &= self.minority == w.minority
        if w.origins is not None:
            m &= np.isin(self.origin, [ORIGINS.index(o) for o in w.origins])
        return m


def build_pool(sc: Scenario, check: Checkpoint | None = None) -> Pool:
    """The pool's columns; `check` is asked after each (a 100,000-cadre pool
    takes over a second in all)."""
    on = sc.reshuffle_date
    tix = {t.id: i for i, t in enumerate(sc.county.townships)}
    cs = sc.cadres

    def arr(values: list, dtype: object = np.int64) -> np.ndarray:
        if check is not None:
            check.check()
        return np.array(values, dtype=dtype)

    return Pool(
        ids=[c.id for c in cs],
        names=[c.name for c in cs],
        age=arr([full_years(c.birth_date, on) for c in cs]),
        female=arr([c.gender == Gender.female for c in cs], bool),
        education=arr([c.education.level for c in cs]),
        rank=arr([c.rank.level for c in cs]),
        township=arr([tix.get(c.current_township, -1) if c.current_township else -1 for c in cs]),
        post=arr([POSTS.index(c.current_post) if c.current_post else -1 for c in cs]),
        tenure=arr(
            [full_years(c.post_since, on) if c.current_post and c.post_since else 0 for c in cs]
        ),
        township_years=arr([c.township_years for c in cs]),
        leadership_years=arr([c.leadership_years for c in cs]),
        ethnicity=arr([c.ethnicity for c in cs], object),
        minority=arr([c.is_minority for c in cs], bool),
        outstanding=arr([c.outstanding for c in cs], bool),
        kept=arr([c.kept_for_work for c in cs], bool),
        reserve=arr([c.reserve for c in cs], bool),
        recommendation=arr(
            [np.nan if c.recommendation_share is None else c.recommendation_share for c in cs],
            float,
        ),
        incompetent=arr(
            [np.nan if c.incompetent_share is None else c.incompetent_share for c in cs], float
        ),
        origin=arr([ORIGINS.index(c.origin) for c in cs]),
        merit=arr([c.merit for c in cs]),
        renomination_override=arr([c.id in sc.renomination_overrides for c in cs], bool),
        expertise=[frozenset(c.expertise) for c in cs],
        sitting=arr([c.is_sitting for c in cs], bool),
        rank_years=arr([-1 if c.rank_since is None else full_years(c.rank_since, on) for c in cs]),
        work_years=arr([-1 if c.work_since is None else full_years(c.work_since, on) for c in cs]),
        party_years=arr([-1 if c.party_since is None else full_years(c.party_since, on) for c in cs]),
        hometown=arr([None if c.hometown is None else c.hometown.strip() for c in cs], object),
    )


@dataclass(frozen=True)
class SeatGroup:
    """Identical seats of one township (e.g. its two deputy heads) as one group
    with a capacity: the solver picks a set of cadres for the group, so there
    is no symmetry between the seats to break. A one-seat kind is a group of 1."""

    index: int
    seats: tuple[Seat, ...]
    township: int

    @property
    def seat(self) -> Seat:
        return self.seats[0]

    @property
    def count(self) -> int:
        return len(self.seats)

    @property
    def rank(self) -> int:
        return self.seat.rank.level

    @property
    def main_post_index(self) -> int:
        return POSTS.index(self.seat.main_post)


def build_groups(sc: Scenario) -> list[SeatGroup]:
    tix = {t.id: i for i, t in enumerate(sc.county.townships)}
    by_kind: dict[tuple[str, str], list[Seat]] = {}
    for s in sc.seats:
        by_kind.setdefault((s.township, s.template.id), []).append(s)
    return [
        SeatGroup(index=g, seats=tuple(seats), township=tix[town])
        for g, ((town, _), seats) in enumerate(by_kind.items())
    ]


