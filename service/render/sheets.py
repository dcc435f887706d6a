"""The report of one slate as tables of Chinese text, laid out once for the Excel workbook
(service/render/xlsx.py) and the HTML report (service/render/html.py), so both show the same
cells: per township the 人事安排方案 in the usual layout, the 退出名单, the county's 进退留转,
the structure statistics and the rule report with the rule ids and clauses. The words come
from the text report's helpers (service/render/report.py); the data from the result."""

from __future__ import annotations

from dataclasses import dataclass, field

from model.enums import Change
from model.people import Township
from model.scenario import Scenario
from model.slate import Slate, SolveResult
from model.statistics import TeamStatistics
from service.render.career import note_rows
from service.render.labels import STATUS_ZH
from service.render.report import (
    LEAVER_HEADER,
    RULE_HEADER,
    broken_instances,
    broken_tag,
    change_counts,
    leaver_rows,
    month,
    now_text,
    rule_rows,
    score_summary,
)
from service.render.rules import instance_text
from service.render.statistics import COLUMNS, figure_row
from service.render.titles import seat_title
from service.render.words import Names, say

Cell = str | int

TEAM_HEADER = ["拟任职务", "姓名", "性别", "民族", "出生年月", "学历", "现任职务", "任现职时间", "变动",
               "备注"]
"""The columns of a 人事安排方案 as organization departments lay it out."""

STATISTICS_HEADER = ["乡镇", "班子", "连任正职", *(h for h, _ in COLUMNS)]
COUNTY = "全县"


@dataclass(frozen=True)
class Table:
    """A titled grid of cells; `wrap` are the columns of long text (wrapped, not widened)."""

    title: str
    header: list[str]
    rows: list[list[Cell]]
    wrap: frozenset[int] = field(default_factory=frozenset)
    key: str = ""
    """What the table is, for the renderers' ids and classes: team, leavers, changes, ..."""


@dataclass(frozen=True)
class TownshipPart:
    township: Township
    team: Table
    leavers: Table
    statistics: Table | None


@dataclass(frozen=True)
class Report:
    """Everything both renderers lay out, in their order."""

    title: str
    facts: list[tuple[str, str]]
    townships: list[TownshipPart]
    leavers: Table
    changes: Table
    statistics: Table
    rules: Table
    details: Table


def seat_notes(slate: Slate, township: str, seat: str, names: Names) -> str:
    """备注: what the rule report says about this seat's holder: each broken rule and each
    exception, by rule id, in a few words (the holder's name and post go unsaid)."""
    here = names.at(township)
    return ";".join(f"{r.rule}:{say(r.reason, here)}" for r in slate.report
                    if r.township == township and r.seat == seat and r.cadre is not None
                    and (not r.holds or r.reason.code == "exception"))


def team_table(sc: Scenario, slate: Slate, t: Township, names: Names) -> Table:
    """The 人事安排方案 of one township: one row a seat, in the slate's order."""
    seats = {(s.township, s.id): s for s in sc.seats}
    rows: list[list[Cell]] = []
    for a in slate.assignments:
        seat = seats.get((a.township, a.seat))
        c = sc.cadre_by_id.get(a.cadre)
        if a.township != t.id or seat is None or c is None:
            continue
        rows.append([seat_title(seat, t, a.extra_posts), c.name, c.gender.zh, c.ethnicity,
                     f"{month(c.birth_date)}({c.age(sc.reshuffle_date)}岁)", c.education.zh, now_text(sc, c),
                     month(c.post_since) if c.is_sitting else "", a.change.zh if a.change else "",
                     seat_notes(slate, a.township, a.seat, names)])
    return Table(f"{t.name}领导班子人事安排方案", TEAM_HEADER, rows, frozenset({6, 9}), "team")


def statistics_rows(label: str, s: TeamStatistics) -> list[list[Cell]]:
    """Two rows, 新班子 and 原班子, cells as numbers; 连任正职 as held/principal seats."""
    new, old = figure_row("新班子", s.new), figure_row("原班子", s.sitting)
    return [[label, new[0], f"{s.principals_continuing}/{s.principals}", *map(int, new[1:])],
            [label, old[0], "—", *map(int, old[1:])]]


def leavers_table(sc: Scenario, slate: Slate, names: Names, township: str | None = None) -> Table:
    """The 退出名单 of a township, or of the county with the township first."""
    mine = [x for x in slate.leavers if township in (None, x.township)]
    rows: list[list[Cell]] = []
    for leaver, row in zip(mine, leaver_rows(sc, mine, names, False), strict=True):
        rows.append(row if township else [names.township(leaver.township), *row])
    header = LEAVER_HEADER if township else ["乡镇", *LEAVER_HEADER]
    reason = header.index("原因")
    return Table("退出名单", header, rows, frozenset({reason}), "leavers")


def changes_table(sc: Scenario, slate: Slate) -> Table:
    """进退留转: a row per township and the county's total, a column per 变动 word."""
    words = list(Change)
    rows: list[list[Cell]] = []
    for tid, label in [*((t.id, t.name) for t in sc.county.townships), (None, COUNTY)]:
        counts = change_counts(slate, tid)
        rows.append([label, *(counts[w] for w in words), sum(counts.values())])
    return Table("进退留转汇总", ["乡镇", *(w.zh for w in words), "合计"], rows, key="changes")


def statistics_table(sc: Scenario, slate: Slate) -> Table:
    """The structure statistics: per township and for the county, the new team above the sitting one."""
    by = {s.township: s for s in slate.statistics}
    rows: list[list[Cell]] = []
    for tid, label in [*((t.id, t.name) for t in sc.county.townships), (None, COUNTY)]:
        if tid in by:
            rows += statistics_rows(label, by[tid])
    return Table("班子结构统计(新班子/原班子)", STATISTICS_HEADER, rows, key="statistics")


def details_table(slate: Slate, names: Names) -> Table:
    """The rule report's instances that need a reader: each broken one (where, what, the
    points it costs), then the exceptions and the rules left unchecked for want of data."""
    rows: list[list[Cell]] = [
        [r.rule, broken_tag(r), names.township(r.township) if r.township else COUNTY,
         instance_text(r, names), r.penalty or ""] for r in broken_instances(slate.report)]
    rows += [[rule, heading, "", text, ""] for heading, rule, text in note_rows(slate.report, names)]
    header = ["规则", "情况", "乡镇", "内容", "扣分"]
    return Table("未满足的规则与说明", header, rows, frozenset({3}), "details")


def report_of(sc: Scenario, result: SolveResult, index: int = 0) -> Report:
    """The report of slate number `index` (0 = best) of the result."""
    slate = result.slates[index]
    names = Names.of(sc)
    by = {s.township: s for s in slate.statistics}
    parts = [TownshipPart(t, team_table(sc, slate, t, names), leavers_table(sc, slate, names, t.id),
                          Table("班子结构(新班子/原班子)", STATISTICS_HEADER[1:],
                                [row[1:] for row in statistics_rows(t.name, by[t.id])], key="statistics")
                          if t.id in by else None)
             for t in sc.county.townships]
    facts = [("情景", sc.name or "(未命名)"), ("规则集", result.ruleset),
             ("换届日期", str(sc.reshuffle_date)),
             ("方案", f"方案{slate.rank or index + 1}(共{len(result.slates)}个)"),
             ("得分", score_summary(slate.score)), ("求解状态", STATUS_ZH[result.status])]
    return Report(title=f"{sc.county.name}乡镇领导班子换届人事安排方案", facts=facts, townships=parts,
                  leavers=leavers_table(sc, slate, names), changes=changes_table(sc, slate),
                  statistics=statistics_table(sc, slate),
                  rules=Table("规则检查(复核独立核验)", RULE_HEADER, [*rule_rows(slate.report)],
                              frozenset({3}), "rules"),
                  details=details_table(slate, names))



FORMAT_ZH = {"xlsx": "Excel工作簿", "html": "网页报告", "pdf": "PDF"}


def written_line(kind: str, path: str) -> str:
    """What `huanjie report` says for each file it wrote."""
    return f"已写出{FORMAT_ZH.get(kind, kind)}:{path}"
