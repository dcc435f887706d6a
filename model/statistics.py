"""Structure statistics of the teams (班子结构统计), the new team beside the sitting one, per
township and for the county: the rows of D4-T (连任 principals, women, age brackets
≤35 / 36–45 / 46–59 / ≥60, education levels, college-graduate village officials) and the
presets' own age bands (≤30 of D1-C1, 35–50 and 50 and over of D1-K2) and minorities.

Data, not text: the judged slate carries them (`Slate.statistics`), so the text report, the
service and the spreadsheets to come show the same numbers. The models and the counting
live here, below `model.slate`; model/structure.py reads a scenario and a slate into them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, ConfigDict

from model.enums import Education, Gender, Origin
from model.people import Cadre


class TeamFigures(BaseModel):
    """Counts over one team (or all teams of the county). Ages are full years on the
    reshuffle date; the bands overlap where the rules' own bands do (≤30 inside ≤35)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    members: int = 0
    women: int = 0
    minority: int = 0
    college_graduate_officials: int = 0
    """大学生村官 by origin (D4-T3)."""
    age_35_under: int = 0
    age_36_45: int = 0
    age_46_59: int = 0
    age_60_over: int = 0
    age_30_under: int = 0
    """D1-C1's band: 30 and under."""
    age_35_50: int = 0
    """D1-K2's main band: 35 to 50, both included."""
    age_50_over: int = 0
    """D1-K2's experienced band: 50 and over."""
    education_university: int = 0
    """本科 and above (D4-T4's 大学以上)."""
    education_college: int = 0
    education_senior_high: int = 0
    """高中 and 中专."""
    education_junior_high: int = 0


class TeamStatistics(BaseModel):
    """One township's team (`township` its id) or the county's (`township` None): the new team
    (`new`) and the sitting one (`sitting`, 原班子); `principals` are the new team's principal
    seats (党委书记, 乡镇长) and `principals_continuing` those whose holder keeps the post (连任)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    township: str | None = None
    new: TeamFigures
    sitting: TeamFigures
    principals: int = 0
    principals_continuing: int = 0


def figures(cadres: Iterable[Cadre], on: date) -> TeamFigures:
    """The counts over these cadres, ages on `on`. Counted in local names and made into the
    model once: the referee counts every team of every slate it judges."""
    members = women = minority = graduates = 0
    young = middle = senior = old = under_30 = main_band = over_50 = 0
    levels = {"education_university": 0, "education_college": 0, "education_senior_high": 0,
              "education_junior_high": 0}
    for c in cadres:
        age = c.age(on)
        members += 1
        women += c.gender == Gender.female
        minority += c.is_minority
        graduates += c.origin == Origin.college_graduate_village_official
        if age <= 35:
            young += 1
        elif age <= 45:
            middle += 1
        elif age <= 59:
            senior += 1
        else:
            old += 1
        under_30 += age <= 30
        main_band += 35 <= age <= 50
        over_50 += age >= 50
        levels[education_group(c.education)] += 1
    return TeamFigures(members=members, women=women, minority=minority, college_graduate_officials=graduates,
                       age_35_under=young, age_36_45=middle, age_46_59=senior, age_60_over=old,
                       age_30_under=under_30, age_35_50=main_band, age_50_over=over_50, **levels)


def education_group(e: Education) -> str:
    """D4-T4's four levels: 大学以上 (本科, 研究生), 大专, 高中 (with 中专), 初中."""
    if e.level >= Education.bachelor.level:
        return "education_university"
    if e == Education.college:
        return "education_college"
    if e == Education.junior_high:
        return "education_junior_high"
    return "education_senior_high"
