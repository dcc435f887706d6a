"""The report as an Excel workbook (openpyxl), the way staff hand tables to their superiors:
概况, a 人事安排方案 sheet per township, then the 退出名单, the county's 进退留转, the
structure statistics and the rule report (规则检查, 规则明细). Each sheet: its title in row 1,
the header in row 2, frozen below it and repeated on every printed page, columns as wide
as their Chinese text (a CJK character counts 2), the print area set, landscape where wide."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from service.render.sheets import Report, Table
from service.render.text import width

SHEET_NAME_MAX = 31
"""Excel's limit on a sheet's name; it refuses []:*?/\\ in one too."""

MAX_WIDTH, MAX_WRAPPED = 40, 60
"""Column widths in characters: a column of short values fits its longest; one of long
text (wrapped) stops here and its rows grow instead."""

PORTRAIT_WIDTH = 95
"""About the characters an A4 page holds across in portrait: wider sheets print landscape."""

TITLE_ROW, HEADER_ROW = 1, 2

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A legal, unused sheet name close to `wanted`."""
    base = re.sub(r"[\[\]:*?/\\]", "_", wanted)[:SHEET_NAME_MAX]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"({n})"
        name, n = base[:SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def column_widths(table: Table) -> list[float]:
    """Each column as wide as its widest cell (header too), CJK counted 2, plus a margin."""
    out = []
    for i, head in enumerate(table.header):
        widest = max([width(head), *(width(str(row[i])) for row in table.rows)])
        out.append(min(widest + 2, MAX_WRAPPED if i in table.wrap else MAX_WIDTH))
    return out


def add_table(ws: Worksheet, table: Table) -> None:
    """The table on a fresh sheet, titled, framed and set up for print."""
    ncols = len(table.header)
    last = get_column_letter(ncols)
    ws.cell(TITLE_ROW, 1, table.title).font = Font(bold=True, size=14)
    ws.cell(TITLE_ROW, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 24
    for j, head in enumerate(table.header, 1):
        c = ws.cell(HEADER_ROW, j, head)
        c.font, c.fill, c.border = Font(bold=True), HEADER_FILL, BORDER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, row in enumerate(table.rows, HEADER_ROW + 1):
        for j, value in enumerate(row, 1):
            c = ws.cell(i, j, value)
            c.border = BORDER
            c.alignment = Alignment(vertical="center", wrap_text=(j - 1) in table.wrap)
    widths = column_widths(table)
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1).coordinate
    ws.print_area = f"A1:{last}{HEADER_ROW + max(1, len(table.rows))}"
    ws.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(widths) > PORTRAIT_WIDTH else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # one page across, as many down as need be
    ws.print_options.horizontalCentered = True


def facts_table(report: Report) -> Table:
    return Table(report.title, ["项目", "内容"], [list(f) for f in report.facts], frozenset({1}), "facts")


def workbook(report: Report) -> bytes:
    """The workbook's bytes (an .xlsx file)."""
    sheets: list[tuple[str, Table]] = [("概况", facts_table(report))]
    sheets += [(f"{p.township.name}人事安排方案", p.team) for p in report.townships]
    sheets += [("退出名单", report.leavers), ("进退留转", report.changes), ("班子结构", report.statistics),
               ("规则检查", report.rules), ("规则明细", report.details)]
    return tables_workbook(sheets)


def tables_workbook(sheets: list[tuple[str, Table]]) -> bytes:
    """A workbook of these tables, a sheet each (named, laid out by `add_table`), as bytes."""
    wb = Workbook()
    taken: set[str] = set()
    for i, (name, table) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = sheet_name(name, taken)
        add_table(ws, table)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
