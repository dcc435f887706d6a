"""The words of `huanjie batch` for staff: a line per county as it finishes, the
progress of the counties under way, and the summary as text and as an Excel workbook
(service/batch.py's `BatchSummary`)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from model.slate import SolveStatus
from service.render.labels import STATUS_ZH
from service.render.limits import limit_text
from service.render.text import table, width

if TYPE_CHECKING:
    from service.batch import BatchSummary, CountyRow, Plan

FAILED_ZH = "未能求解"
HEADER = ["县", "状态", "方案数", "目标值", "上界", "差距", "用时(秒)", "说明"]
XLSX_HEADER = ["县", "来源", "状态", "方案数", "目标值", "上界", "差距", "违反一般规则数", "读取用时(秒)",
               "求解用时(秒)", "说明"]
PHASE_ZH = {"begun": "读取中", "model_built": "建模完成,求解中", "lp_bound": "线性松弛完成",
            "slate_judged": "已得方案", "better_slate": "找到更好方案"}


def status_zh(status: str) -> str:
    return STATUS_ZH[SolveStatus(status)] if status in SolveStatus.__members__ else FAILED_ZH


def gap_text(gap: float | None) -> str:
    return "—" if gap is None else f"{gap:.2%}"


def note(row: CountyRow) -> str:
    """Why a county has no slate: its located input errors, or the memory bound's refusal."""
    if row.refusal is not None:
        return limit_text(row.refusal)
    if row.errors:
        return ";".join(str(e) for e in row.errors)
    return row.error or ""


def seconds(row: CountyRow) -> float:
    return row.load_seconds + row.solve_seconds


def county_line(row: CountyRow, done: int, total: int) -> str:
    """One finished county, as the plain progress shows it."""
    head = f"[{done}/{total}] {row.county}:{status_zh(row.status)}"
    if row.status == "FAILED":
        return f"{head}({note(row)})"
    objective = "" if row.objective is None else f",目标值{row.objective},差距{gap_text(row.gap)}"
    return f"{head}{objective},用时{seconds(row):.1f}秒"


def phase_zh(kind: str) -> str:
    return PHASE_ZH.get(kind, "求解中")


def running_line(running: dict[str, float], done: int, total: int) -> str:
    """The counties under way and for how long: a long run's plain progress."""
    now = "、".join(f"{name}({s:.0f}秒)" for name, s in running.items()) or "无"
    return f"进行中:{now};已完成 {done}/{total}"


def plan_lines(p: Plan, total: int) -> list[str]:
    """What a re-run keeps and what it solves again."""
    lines = []
    if p.kept:
        lines.append(f"续算:{len(p.kept)}个县已完成,跳过;{len(p.todo)}个县待算(共{total}个)")
    if p.half_written:
        lines.append(f"{len(p.half_written)}个县上次未写完,重新求解:" + "、".join(p.half_written))
    if p.changed_inputs:
        lines.append(f"{len(p.changed_inputs)}个县的输入已改动,重新求解:" + "、".join(p.changed_inputs))
    return lines


def interrupted_text(done: int, total: int, out: str) -> str:
    return f"已中断:已完成的{done}个县(共{total}个)保存在{out},再次运行同一命令即可续算"


def counts_rows(s: BatchSummary) -> list[list[str]]:
    rows = [["县总数", str(s.counties)], ["已完成", str(s.finished)],
            [STATUS_ZH[SolveStatus.OPTIMAL], str(s.optimal)],
            [STATUS_ZH[SolveStatus.FEASIBLE], str(s.feasible)],
            [STATUS_ZH[SolveStatus.INFEASIBLE], str(s.infeasible)],
            [STATUS_ZH[SolveStatus.UNKNOWN], str(s.no_answer)], [FAILED_ZH, str(s.failed)]]
    if s.finished < s.counties:
        rows.append(["未完成", str(s.counties - s.finished)])
    return rows


def summary_rows(s: BatchSummary) -> list[list[str]]:
    return [[r.county, status_zh(r.status), str(r.slates), "" if r.objective is None else str(r.objective),
             "" if r.bound is None else f"{r.bound:g}", gap_text(r.gap), f"{seconds(r):.1f}", note(r)]
            for r in s.rows]


def summary_text(s: BatchSummary) -> str:
    """The summary as printed: the counts, then a row per county."""
    head = f"批量求解汇总:共{s.counties}个县,已完成{s.finished}个"
    if s.skipped:
        head += f"(其中{s.skipped}个为此前已完成)"
    head += f",本次用时{s.seconds:.1f}秒"
    counts = ",".join(f"{k} {v}个" for k, v in counts_rows(s)[2:])
    return "\n".join([head, counts, "", table(HEADER, summary_rows(s))])


def summary_workbook(s: BatchSummary) -> bytes:
    """The summary as an Excel workbook: a row per county (frozen header, widths that fit
    Chinese text), and the counts on a sheet of their own."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    counties = wb.active
    counties.title = "各县结果"
    counties.append(XLSX_HEADER)
    for r in s.rows:
        counties.append([r.county, r.source, status_zh(r.status), r.slates, r.objective, r.bound,
                         r.gap, r.violations, round(r.load_seconds, 2), round(r.solve_seconds, 2), note(r)])
    for row in counties.iter_rows(min_row=2, min_col=7, max_col=7):
        for cell in row:
            cell.number_format = "0.00%"
    counts = wb.create_sheet("汇总")
    counts.append(["项目", "数量"])
    for label, n in counts_rows(s):
        counts.append([label, int(n)])
    for sheet in (counties, counts):
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for k, column in enumerate(sheet.iter_cols(values_only=True), start=1):
            fit = max(width(str(v)) for v in column if v is not None)
            sheet.column_dimensions[get_column_letter(k)].width = min(60, fit + 2)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
