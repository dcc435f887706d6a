"""The score of a judged slate taken apart (the `explain` verb), as data: points
by term, by township and by rule, and every contribution with its reason, so a
chart or a client needs no sentence. service/render/report.py words it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from model.enums import Strength
from model.slate import RuleInstance, Score, ScoreTerm, Slate


class TownshipPoints(BaseModel):
    """The points won in one township (`township` None: county-wide terms)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    township: str | None
    points: int


class Analysis(BaseModel):
    """`by_term` and `by_township` add up `score.points`; `broken` are the unmet
    `generally` and `prefer` instances, and `by_rule` what each rule costs the
    objective (a prefer rule its penalties, a generally rule big_m per broken
    instance); `terms` are the itemized contributions, in the referee's order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    score: Score
    by_term: dict[str, int] = Field(default_factory=dict)
    by_township: list[TownshipPoints] = Field(default_factory=list)
    by_rule: dict[str, int] = Field(default_factory=dict)
    broken: list[RuleInstance] = Field(default_factory=list)
    terms: list[ScoreTerm] = Field(default_factory=list)


def analysis_of(slate: Slate) -> Analysis | None:
    """The analysis of a slate the referee has scored (None for an unscored one)."""
    s = slate.score
    if s is None:
        return None
    towns: dict[str | None, int] = {}
    for t in s.terms:
        towns[t.township] = towns.get(t.township, 0) + t.points
    broken = [r for r in slate.report if not r.holds and r.strength != Strength.must]
    by_rule: dict[str, int] = {}
    for r in broken:
        by_rule[r.rule] = by_rule.get(r.rule, 0) - (r.penalty if r.penalty else s.big_m)
    return Analysis(score=s, by_term=s.by_term(),
                    by_township=[TownshipPoints(township=t, points=p) for t, p in towns.items()],
                    by_rule=by_rule, broken=broken, terms=list(s.terms))
