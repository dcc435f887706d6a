"""The lines of `huanjie import` and `huanjie export` (Excel rosters)."""

from __future__ import annotations

from model.scenario import Scenario


def imported_text(out: str, sc: Scenario) -> str:
    return f"已导入:{out}({len(sc.county.townships)}个乡镇,{len(sc.cadres)}名干部)"


def exported_text(out: str, sc: Scenario) -> str:
    return f"已导出干部名册:{out}({len(sc.county.townships)}个乡镇,{len(sc.cadres)}名干部)"
