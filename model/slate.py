"""Slates (who sits where) and what a solve returns."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from model.enums import Change, Destination, Post, Strength
from model.reasons import Reason
from model.statistics import TeamStatistics


class Assignment(BaseModel):
    """One seat of one township given to one cadre."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    township: str
    seat: str
    cadre: str
    change: Annotated[Change | None, BeforeValidator(Change.parse)] = None
    extra_posts: tuple[Annotated[Post, BeforeValidator(Post.parse)], ...] = ()
    """Optional posts of the seat that this slate gives it (e.g. 党委委员)."""


class Leaver(BaseModel):
    """A sitting member of a township's team with no seat in any team of the slate (退出).

    `reasons` say why, as data (model/leavers.py): 到龄 (`leaver_age`), 测评/推荐未过
    (`leaver_votes`), 任职满10年须交流 with no seat elsewhere (`leaver_rotation`), taken
    out of the pool by the scenario (`leaver_removed`), or none of these: not selected
    (`leaver_not_selected`). `removed`: a rule or the scenario takes the cadre out of
    every team, so leaving costs nothing; otherwise the slate chose it, at the cost of
    `weights.left_out`. `destination` (去向) is for staff to fill in.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    cadre: str
    township: str
    post: Annotated[Post, BeforeValidator(Post.parse)]
    reasons: tuple[Reason, ...]
    removed: bool = False
    destination: Annotated[Destination | None, BeforeValidator(Destination.parse)] = None


class RuleInstance(BaseModel):
    """One rule checked at one place (a seat, a township, the county).

    `key` is stable across solver and referee: `D1-C1@t01`, `D1-E1@t01/secretary`,
    `D1-K1@party_secretary`. `penalty` is the score lost for a `prefer` rule.

    `reason` is the fact behind the verdict as data (a code and its numbers;
    service/render/ words it). For a seated rule it is the finding on the cadre
    (`seat_ok` when it holds), the place being the instance's township, seat and
    cadre. The numbers are fields too, so a chart or a client never reads the
    reason at all: a count rule (and an expertise mix) gives `have` of
    `total` seats against `need`, `short` = max(0, need - have); a seated rule
    gives the cadre's `value` and the `limit` it was checked against (years,
    age, points, a share, an education or an ethnicity; `value` None where the
    rule does not measure this cadre, e.g. D1-R3 on a cadre who stays).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    rule: str
    strength: Strength
    holds: bool
    penalty: int = 0
    township: str | None = None
    seat: str | None = None
    cadre: str | None = None
    reason: Reason
    have: int | None = None
    need: int | None = None
    short: int | None = None
    total: int | None = None
    value: int | float | str | None = None
    limit: int | float | str | None = None


class ScoreTerm(BaseModel):
    """Points won or lost: a bonus term (merit, continuity, reserve) for the
    cadre in a seat, the cost of a sitting member left out (`left_out`, no seat:
    the township is the one they sit in now), or a `prefer` rule instance's
    penalty (`term` is the rule id, `reason` the instance's). `seat` and `cadre`
    name the seat a term is for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    term: str
    township: str | None = None
    seat: str | None = None
    cadre: str | None = None
    points: int
    reason: Reason


class Score(BaseModel):
    """How a slate ranks: fewer broken `generally` rules first, then more points.

    `objective` = points - big_m * violations, the single number CP-SAT maximizes;
    big_m exceeds the widest possible spread of points, so one broken `generally`
    rule outweighs every preference together.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    violations: int
    points: int
    big_m: int
    objective: int
    terms: tuple[ScoreTerm, ...] = ()

    def by_term(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for t in self.terms:
            out[t.term] = out.get(t.term, 0) + t.points
        return out


class Slate(BaseModel):
    """Who sits where; once judged (model/referee.py), each seat's 变动, the score, the
    rule report, the sitting members who have no seat (`leavers`, 退出名单) and the structure
    statistics of the new teams beside the sitting ones (`statistics`, model/statistics.py)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    assignments: tuple[Assignment, ...]
    rank: int | None = None
    score: Score | None = None
    report: tuple[RuleInstance, ...] = ()
    leavers: tuple[Leaver, ...] = ()
    statistics: tuple[TeamStatistics, ...] = ()

    def by_seat(self) -> dict[tuple[str, str], str]:
        return {(a.township, a.seat): a.cadre for a in self.assignments}

    def broken(self, strength: Strength | None = None) -> list[RuleInstance]:
        return [
            r for r in self.report if not r.holds and (strength is None or r.strength == strength)
        ]


class SolveStatus(StrEnum):
    """How a solve ended, CP-SAT's five statuses exactly. FEASIBLE: a slate, not
    proven best (time ran out or the run was stopped); UNKNOWN: no slate and no
    proof; MODEL_INVALID: CP-SAT refused the model or its parameters (a bug)."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"
    MODEL_INVALID = "MODEL_INVALID"


class Alternatives(StrEnum):
    """How the slates after the first must differ from every slate before them.

    `principal`: in at least one principal seat (党委书记 or 乡镇长, the seats whose
    template is `principal`) somewhere in the county: an alternative an officer
    can tell apart at a glance. `seats`: in at least `diversity` seats of any
    kind (identical seats compared as a set), the rule before issue 11."""

    principal = "principal"
    seats = "seats"


class SolverSettings(BaseModel):
    """The settings of a run; `time_limit` is the budget it had when it started
    (0 when it was stopped before it began). `alternatives` and `diversity` say
    how far apart the slates are (`Alternatives`); `diversity` counts seats in
    either mode (with `principal`, 1 adds nothing to the principal rule)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    time_limit: float = Field(ge=0)
    workers: int = Field(ge=1)
    top: int = Field(ge=1)
    seed: int = 0
    diversity: int = Field(default=1, ge=1)
    alternatives: Alternatives = Alternatives.principal
    deterministic: bool = False
    max_memory_mb: float | None = Field(default=None, gt=0)  # the refusal bound (solver/memory.py)


class SolveStats(BaseModel):
    """CP-SAT's own account of one solve, reported as it is."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: SolveStatus
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    wall_time: float = 0.0
    pairs: int | None = None  # (cadre, seat) pairs CP-SAT was given, after reduced-cost fixing


class Relaxation(BaseModel):
    """One change that, with the others of its set, makes an infeasible scenario
    feasible: `rule` and `parameter` say what, `before` and `after` the values.
    `override` is the scenario's `rules:` entry that applies it; for a pin
    (rule 'pin', parameter the cadre id, before 'township/seat') the pin is
    dropped. The renderer words it from these fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    parameter: str
    before: Any
    after: Any
    override: dict[str, Any] = Field(default_factory=dict)


class SolveResult(BaseModel):
    """What `huanjie solve` returns: the ranked slates and how they were found.

    `status` is the status of the first (best) solve. `reasons` explain an
    infeasible result, as data (codes and numbers), and `relaxations` are the
    cheapest changes that would make it feasible.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    scenario: str
    ruleset: str
    status: SolveStatus
    slates: tuple[Slate, ...] = ()
    solves: tuple[SolveStats, ...] = ()
    reasons: tuple[Reason, ...] = ()
    relaxations: tuple[Relaxation, ...] = ()
    cut_short: Reason | None = None  # the budget ended before a slate: in which step (solver/budget.py)
    settings: SolverSettings
    build_time: float = 0.0
    candidate_pairs: int = 0
    dropped_pairs: int = 0
