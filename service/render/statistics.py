"""The structure statistics (model/statistics.py) as one compact table: the new team beside
the sitting one (原班子), a column per figure, D4-T's rows first, then the presets' bands."""

from __future__ import annotations

from model.statistics import TeamFigures, TeamStatistics
from service.render.text import table

COLUMNS = (
    ("人数", "members"), ("女", "women"), ("≤35岁", "age_35_under"), ("36-45岁", "age_36_45"),
    ("46-59岁", "age_46_59"), ("≥60岁", "age_60_over"), ("大学以上", "education_university"),
    ("大专", "education_college"), ("高中中专", "education_senior_high"), ("初中", "education_junior_high"),
    ("大学生村官", "college_graduate_officials"), ("≤30岁", "age_30_under"), ("35-50岁", "age_35_50"),
    ("50岁以上", "age_50_over"), ("少数民族", "minority"),
)
"""(header, field of TeamFigures), in the order of the table."""


def figure_row(label: str, f: TeamFigures) -> list[str]:
    return [label, *(str(getattr(f, name)) for _, name in COLUMNS)]


def statistics_table(s: TeamStatistics) -> str:
    """Two rows, 新班子 and 原班子; 连任正职 as held/principal seats on the new team's row."""
    header = ["", "连任正职", *(h for h, _ in COLUMNS)]
    new = figure_row("新班子", s.new)
    old = figure_row("原班子", s.sitting)
    rows = [[new[0], f"{s.principals_continuing}/{s.principals}", *new[1:]], [old[0], "—", *old[1:]]]
    return table(header, rows)
