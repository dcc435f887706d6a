"""The README's pictures of `huanjie report`, made from a solve result by headless Chromium:

    python docs/pictures.py SCENARIO RESULT.json    # writes docs/report.png and docs/sheet.png

report.png is the top of the HTML report. sheet.png is the first township's 人事安排方案 sheet
of the Excel workbook, read back from the .xlsx with openpyxl and drawn as the grid a
spreadsheet shows (column letters, row numbers, the sheet's own column widths, the merged
title, the frozen header), then screenshotted: there is no office suite here to render it."""

from __future__ import annotations

import io
import sys
from html import escape
from pathlib import Path

import openpyxl

from model.io import load_scenario
from model.slate import SolveResult
from service.render.html import html_report
from service.render.pdf import screenshot
from service.render.sheets import report_of
from service.render.xlsx import workbook

HERE = Path(__file__).parent
PX_PER_CHAR = 7.5  # Excel's default font: a width unit is about one digit


def sheet_page(data: bytes, name: str) -> tuple[str, int, int]:
    """The sheet as an HTML grid, and the pixel size it needs."""
    ws = openpyxl.load_workbook(io.BytesIO(data))[name]
    cols = [ws.cell(2, j).column_letter for j in range(1, ws.max_column + 1)]
    widths = [round((ws.column_dimensions[c].width or 8.43) * PX_PER_CHAR) for c in cols]
    head = '<tr><th class="corner"></th>' + "".join(f'<th style="width:{w}px">{c}</th>'
                                                   for c, w in zip(cols, widths, strict=True)) + "</tr>"
    rows = []
    for i, row in enumerate(ws.iter_rows(values_only=True), 1):
        if i == 1:
            cells = f'<td colspan="{len(cols)}" class="title">{escape(str(row[0] or ""))}</td>'
        else:
            cls = ' class="head"' if i == 2 else ""
            cells = "".join(f'<td{cls}>{escape("" if v is None else str(v))}</td>' for v in row)
        rows.append(f'<tr class="r{i}"><th>{i}</th>{cells}</tr>')
    tabs = "".join(f'<span class="{"on" if n == name else ""}">{escape(n)}</span>'
                   for n in openpyxl.load_workbook(io.BytesIO(data)).sheetnames[:6])
    css = """
body { margin: 0; font: 13px "WenQuanYi Zen Hei", "Noto Sans CJK SC", sans-serif; background: #fff; }
table { border-collapse: collapse; table-layout: fixed; }
th, td { border: 1px solid #d4d4d4; height: 22px; padding: 0 4px; white-space: nowrap; overflow: hidden; }
th { background: #f3f3f3; color: #555; font-weight: normal; width: 34px; }
td.title { text-align: center; font-size: 17px; font-weight: bold; height: 30px; }
td.head { background: #dde4ee; font-weight: bold; text-align: center; }
tr.r2 { border-bottom: 2px solid #888; }
.tabs { padding: 6px; background: #f3f3f3; border-top: 1px solid #ccc; }
.tabs span { padding: 4px 10px; margin-right: 4px; color: #444; }
.tabs span.on { background: #fff; border-bottom: 2px solid #217346; color: #217346; font-weight: bold; }
"""
    page = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{css}</style></head><body>'
            f"<table>{head}{''.join(rows)}</table><div class='tabs'>{tabs} …</div></body></html>")
    return page, sum(widths) + 60, 24 * (ws.max_row + 1) + 60


def main(scenario: str, result_path: str) -> None:
    sc = load_scenario(scenario)
    result = SolveResult.model_validate_json(Path(result_path).read_text(encoding="utf-8"))
    (HERE / "report.png").write_bytes(screenshot(html_report(sc, result), 1280, 1700))
    data = workbook(report_of(sc, result))
    name = f"{sc.county.townships[0].name}人事安排方案"
    page, w, h = sheet_page(data, name)
    (HERE / "sheet.png").write_bytes(screenshot(page, w, h))


if __name__ == "__main__":
    main(*sys.argv[1:3])
