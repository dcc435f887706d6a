"""What the web page (service/web/) shows, as data: each township's team in the staff's columns with the
ids behind every row (so a click on a seat can ask the API about it), its 退出名单, and the label
tables (变动 words, score terms, statuses). The cells are the report's own (service/render/sheets.py),
so the page writes no Chinese of the data itself."""

from __future__ import annotations

from pydantic import BaseModel, Field

from model.enums import Change
from model.reasons import Reason
from model.scenario import Scenario
from model.slate import SolveResult
from service.render.county_view import rule_report
from service.render.labels import STATUS_ZH, TERM_ZH, term_zh
from service.render.sheets import Table, leavers_table, team_table
from service.render.words import Names

TEAM_COLUMNS = ("拟任职务", "姓名", "性别", "出生年月", "学历", "现任职务", "变动")
"""The team table's columns the page shows (the report's 人事安排方案 has more): 出生年月 carries the age."""

Cell = str | int


class SeatRow(BaseModel):
    """One seat of a team: its ids (seat, seat kind, cadre, 变动 code) and its cells."""

    seat: str
    kind: str = Field(description="the seat kind: what recommend and a pin name")
    cadre: str
    change: Change | None = None
    cells: list[Cell]


class TeamTable(BaseModel):
    title: str
    header: list[str]
    rows: list[SeatRow]


class PlainTable(BaseModel):
    title: str
    header: list[str]
    rows: list[list[Cell]]


class TownshipView(BaseModel):
    township: str
    name: str
    team: TeamTable
    leavers: PlainTable


class TermTotal(BaseModel):
    """A score term's points over the slate (a prefer rule's penalties under its rule id)."""

    term: str
    term_zh: str
    points: int


class RuleTally(BaseModel):
    """A rule's line of the report in numbers, what a diff compares: instances held, broken, and the
    points its broken prefer instances cost."""

    rule: str
    strength_zh: str
    held: str
    broken: int
    penalty: int


class SlateView(BaseModel):
    """One slate of a result as the page lays it out, with the score by term and each rule's tally
    so that two views give the score and rule deltas of a what-if."""

    slate: int = Field(description="1 = the best")
    slates: int
    status: str
    status_zh: str
    objective: int | None
    violations: int | None = Field(None, description="broken `generally` instances")
    terms: list[TermTotal] = Field(default_factory=list)
    rules: list[RuleTally] = Field(default_factory=list)
    townships: list[TownshipView]


class Labels(BaseModel):
    """The renderers' label tables: 变动 words, score terms and solve statuses by code."""

    changes: dict[str, str]
    terms: dict[str, str]
    statuses: dict[str, str]


def labels() -> Labels:
    return Labels(changes={c.value: c.zh for c in Change}, terms=dict(TERM_ZH),
                  statuses={s.value: zh for s, zh in STATUS_ZH.items()})


def plain(table: Table) -> PlainTable:
    return PlainTable(title=table.title, header=table.header, rows=table.rows)


def slate_view(sc: Scenario, result: SolveResult, index: int = 0) -> SlateView:
    """Slate `index` (0 = best): per township the team table's rows in the page's columns, each with
    its ids (the rows are team_table's, one per seat held in the slate's order), and the 退出名单."""
    slate = result.slates[index]
    names = Names.of(sc)
    seats = {(s.township, s.id): s for s in sc.seats}
    parts = []
    for t in sc.county.townships:
        table = team_table(sc, slate, t, names)
        keep = [table.header.index(h) for h in TEAM_COLUMNS]
        held = [a for a in slate.assignments if a.township == t.id and (a.township, a.seat) in seats
                and a.cadre in sc.cadre_by_id]
        rows = [SeatRow(seat=a.seat, kind=seats[(a.township, a.seat)].template.id, cadre=a.cadre,
                        change=a.change, cells=[cells[i] for i in keep])
                for a, cells in zip(held, table.rows, strict=True)]
        parts.append(TownshipView(township=t.id, name=t.name,
                                  team=TeamTable(title=table.title, header=list(TEAM_COLUMNS), rows=rows),
                                  leavers=plain(leavers_table(sc, slate, names, t.id))))
    totals = slate.score.by_term() if slate.score else {}
    rules = [RuleTally(rule=r.rule, strength_zh=r.strength_zh, held=r.held, broken=r.broken,
                       penalty=r.penalty) for r in rule_report(sc, slate).rows]
    return SlateView(slate=index + 1, slates=len(result.slates), status=result.status.value,
                     status_zh=STATUS_ZH[result.status],
                     objective=slate.score.objective if slate.score else None,
                     violations=slate.score.violations if slate.score else None,
                     terms=[TermTotal(term=t, term_zh=term_zh(t), points=v) for t, v in totals.items()],
                     rules=rules, townships=parts)


class Worded(BaseModel):
    """Reasons as the staff's sentences, in the order asked (the CLI's wording of each code)."""

    lines: list[str]


def worded(sc: Scenario, reasons: list[Reason]) -> Worded:
    """Each reason in the CLI's words; a code no renderer words, or args its wording cannot
    read (a client's own reasons), is an input error located at its index."""
    from model.errors import InputError, InputErrors
    from service.render.words import Names, say

    names, lines, errors = Names.of(sc), [], []
    for i, r in enumerate(reasons):
        try:
            lines.append(say(r, names))
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
            errors.append(InputError(f"cannot word this reason ({type(e).__name__}); send a reason as an "
                                     "answer gave it", f"reasons[{i}]", r.code))
    if errors:
        raise InputErrors(errors)
    return Worded(lines=lines)
