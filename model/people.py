"""Cadres (干部), townships (乡镇) and the county that holds them."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from model.enums import GRADE_POINTS, Education, Gender, Grade, Kinship, Origin, Post, Rank
from model.ethnicity import HAN, ethnic_group

Share = Annotated[float, Field(ge=0.0, le=1.0)]
"""A share between 0 and 1 inclusive (votes, quotas)."""

MERIT_VOTE_POINTS = 4
"""A full recommendation vote share is worth this many merit points."""


def _labeled(enum: type) -> BeforeValidator:
    return BeforeValidator(enum.parse)


def normalize_ethnicity(value: object) -> object:
    """One of the 56 groups by its GB 3304 name ('苗', '苗族' and '苗 族' are 苗族; D1-E5
    compares names): a misspelt group would count as a minority of its own."""
    if isinstance(value, int | float):  # bool is an int
        raise ValueError("expected the name of an ethnic group, e.g. 汉族 or 苗族")
    if not isinstance(value, str):
        return value
    return ethnic_group(value)


def bounded(low: int, high: int, why: str, default: int = 0) -> Any:
    """An int field between `low` and `high`, with the reason for the bounds that an input
    error gives (model/records.py reads `why`)."""
    return Field(default=default, ge=low, le=high, json_schema_extra={"why": why})


AGE_RANGE = (18, 65)
"""Ages (周岁) a cadre may have on the reshuffle date: 18 is the age to hold public office
(Civil Servant Law art. 13), 65 is above every retirement age and every age cap (D3-E2)."""


class Frozen(BaseModel):
    """Domain records are values: checked once at the boundary, never mutated."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def full_years(start: date, end: date) -> int:
    """Full years (周岁 / 满N年) from start to end; negative if end is before start."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


RELATIVE_FORM = re.compile(r"^\s*([^:：()（）\s]+)\s*(?:[:：]\s*|[(（]\s*)([^()（）]+?)\s*[)）]?\s*$")
"""'g0012:夫妻', 'g0012：夫妻' or 'g0012(夫妻)': the cadre id, then the kind."""


class Relative(Frozen):
    """One relation of a cadre to another cadre of the pool (亲属关系, N-6). A relation
    given on one side counts for both."""

    cadre: str = Field(min_length=1)
    kind: Annotated[Kinship, _labeled(Kinship)]

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        """A spreadsheet cell item such as 'g0012:夫妻' (written back the same way)."""
        if isinstance(value, str):
            m = RELATIVE_FORM.match(value)
            if m is None:
                raise ValueError("expected a cadre id and the kind, like g0012:夫妻")
            return {"cadre": m[1], "kind": m[2]}
        return value

    def __str__(self) -> str:
        return f"{self.cadre}:{self.kind.zh}"


class Cadre(Frozen):
    """One person in the pool.

    `current_township` is None for a cadre outside any township (a county organ,
    named in `current_unit`). `current_post` is the main post held now, with the
    date it was taken (`post_since`): tenure in post counts from it (D1-R1/R2).
    `recommendation_share` and `incompetent_share` exist for sitting team
    members only (D1-E6, D5-E1).
    """

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    gender: Annotated[Gender, _labeled(Gender)]
    birth_date: date
    ethnicity: str = HAN
    education: Annotated[Education, _labeled(Education)]
    rank: Annotated[Rank, _labeled(Rank)] = Rank.none
    rank_since: date | None = None
    current_township: str | None = None
    current_unit: str | None = None
    current_post: Annotated[Post | None, _labeled(Post)] = None
    post_since: date | None = None
    township_years: int = Field(default=0, ge=0, le=60)
    leadership_years: int = Field(default=0, ge=0, le=60)
    origin: Annotated[Origin, _labeled(Origin)] = Origin.township_civil_servant
    grades: tuple[Annotated[Grade, _labeled(Grade)], ...] = Field(default=(), max_length=3)
    recommendation_share: Share | None = None
    incompetent_share: Share | None = None
    outstanding: bool = False
    kept_for_work: bool = False
    reserve: bool = False
    expertise: tuple[str, ...] = ()
    hometown: str | None = None
    """成长地: the township (id or name) where the cadre grew up, or a place outside the
    county; N-5 keeps a principal out of it. None: not given, and N-5 checks nothing."""
    work_since: date | None = None
    """参加工作时间 (N-8's years of work)."""
    party_since: date | None = None
    """入党时间 (N-8's party years for party posts)."""
    relatives: tuple[Relative, ...] = ()
    """Relations to other cadres of the pool (N-6)."""

    @field_validator("current_township", "current_unit", "hometown", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("ethnicity", mode="before")
    @classmethod
    def _ethnicity(cls, value: object) -> object:
        return normalize_ethnicity(value)

    @property
    def is_minority(self) -> bool:
        return self.ethnicity != HAN

    @property
    def is_sitting(self) -> bool:
        """A member of a township's outgoing team (在任班子成员): a post held in a
        township. The one definition: continuity, change, more-than-sitting
        counts and the solver's pool all read it."""
        return self.current_township is not None and self.current_post is not None

    def sits_in(self, township: str) -> bool:
        """A member of this township's outgoing team."""
        return self.is_sitting and self.current_township == township

    @property
    def merit(self) -> int:
        """Merit points (考核推荐积分): evaluation grades (优秀 3, 称职 2, 基本称职 1,
        不称职 0, last three years) plus round(4 x recommendation share) for sitting
        members, 0..13. A fact of the cadre that the score (merit term) and D1-E3 read."""
        votes = round(MERIT_VOTE_POINTS * self.recommendation_share) if self.recommendation_share else 0
        return sum(GRADE_POINTS[g] for g in self.grades) + votes

    def age(self, on: date) -> int:
        return full_years(self.birth_date, on)

    def tenure(self, on: date) -> int:
        """Full years in the current post on the given date (0 without a post)."""
        if self.current_post is None or self.post_since is None:
            return 0
        return full_years(self.post_since, on)


class Township(Frozen):
    """A township and the facts the rules read about it.

    `ethnic_minority` is set for an ethnic township (民族乡) to the minority it
    was set up for (D1-E5). `minority_concentrated` marks 少数民族聚居 (D1-C3).
    The sitting team is not stored here: it is read off the pool (each cadre's
    current township and post), so the two can never disagree.
    """

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    township_class: int = Field(default=2, ge=1, le=3)
    residents: int = bounded(0, 2_000_000, "the largest towns of China have about a million residents")
    party_members: int = bounded(0, 200_000, "a tenth of the largest town's residents at the most; "
                                 "the county-wide share of party members is about 7%")
    party_branches: int = bounded(0, 10_000, "a branch has at least 3 members, Party Constitution art. 30")
    minority_concentrated: bool = False
    ethnic_minority: str | None = None

    @field_validator("ethnic_minority", mode="before")
    @classmethod
    def _minority(cls, value: object) -> object:
        if value in ("", None):
            return None
        group = normalize_ethnicity(value)
        if group == HAN:
            raise ValueError("an ethnic township (民族乡) is set up for a minority; leave the cell "
                             "empty for a township that is not one")
        return group


class County(Frozen):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    townships: tuple[Township, ...]
