"""Excel workbooks for the roster tests (model/roster.py): built cell by cell with openpyxl."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from openpyxl import Workbook

TOWNS = ["东山镇", "西山乡", "马林镇"]

SETTINGS = [["项目", "值"], ["方案名称", "东县2026年换届"], ["换届日期", datetime(2026, 9, 1)],
            ["county.id", "c1"], ["county.name", "东县"], ["ruleset", "xx-2011"]]
TOWNSHIPS = [["东县乡镇一览"], ["编号", "名称", "类别"], ["t1", "东山镇", 1], ["t2", "西山乡", 2],
             ["t3", "马林镇", 2]]
STAFF_HEADER = ["序号", "姓名", "性别", "民族", "籍贯", "出生年月", "入党时间", "参加工作时间", "全日制教育",
                "在职教育", "现任职务", "任现职时间", "任同级职务时间", "职级", "备注"]


def workbook(sheets: dict[str, list[list[Any]]], formats: dict[tuple[str, str], str] | None = None) -> bytes:
    """A workbook of these sheets (rows of cells), some cells given a number format."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    for (sheet, ref), fmt in (formats or {}).items():
        wb[sheet][ref].number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
