"""The report as one self-contained HTML file: inline CSS and inline SVG charts
(service/render/charts.py), no script and nothing fetched, so it opens from a folder or a
mail attachment with no server. On paper (@media print, A4 landscape) the overview comes
first, then a page per township, with table headers repeated on every page; headless
Chromium prints the PDF from it (service/render/pdf.py)."""

from __future__ import annotations

from html import escape

from model.scenario import Scenario
from model.slate import SolveResult
from service.render.charts import age_pyramid, change_chart, share_chart
from service.render.sheets import Report, Table, report_of

CSS = """
:root { --line: #b8c2cf; --head: #dde4ee; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC", "Microsoft YaHei",
       "PingFang SC", sans-serif; font-size: 13px; color: #1c2430; margin: 0 auto; max-width: 1240px;
       padding: 16px 24px; }
h1 { font-size: 22px; margin: 8px 0 12px; text-align: center; }
h2 { font-size: 17px; margin: 22px 0 8px; border-bottom: 2px solid #2f6db5; padding-bottom: 3px; }
h3 { font-size: 14px; margin: 14px 0 6px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 8px; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; }
th, td { border: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: middle; }
th { background: var(--head); white-space: nowrap; }
td.num, th.num { text-align: right; }
tbody tr:nth-child(even) td { background: #f6f8fb; }
td.wrap { white-space: normal; }
td:not(.wrap) { white-space: nowrap; }
p.none { color: #666; margin: 4px 0 10px; }
figure { margin: 8px 0 16px; }
figcaption { font-weight: bold; margin-bottom: 4px; }
svg.chart { max-width: 100%; height: auto; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5px; }
  h2 { margin-top: 0; }
  section { break-before: page; }
  header + section { break-before: auto; }
  section.township { break-inside: avoid; }
  figure { break-inside: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  tbody tr:nth-child(even) td { background: none; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def cell_html(value: str | int, wrap: bool) -> str:
    cls = "num" if isinstance(value, int) else "wrap" if wrap else ""
    return f'<td class="{cls}">{escape(str(value))}</td>' if cls else f"<td>{escape(str(value))}</td>"


def table_html(table: Table, attrs: str = "", caption: bool = True) -> str:
    """A table with a thead (repeated on each printed page) and a tbody."""
    head = "".join(f"<th>{escape(h)}</th>" for h in table.header)
    body = "".join("<tr>" + "".join(cell_html(v, j in table.wrap) for j, v in enumerate(row)) + "</tr>"
                   for row in table.rows)
    title = f"<h3>{escape(table.title)}</h3>" if caption else ""
    return (f'{title}<table class="{table.key}"{attrs}><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def figure(caption: str, chart: str) -> str:
    return f"<figure><figcaption>{escape(caption)}</figcaption>{chart}</figure>"


def document(report: Report, charts: list[str]) -> str:
    """The whole page from the report's tables and the charts (SVG strings)."""
    facts = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in report.facts)
    parts = [f'<header><h1>{escape(report.title)}</h1><dl class="facts">{facts}</dl></header>',
             '<section class="overview" id="overview"><h2>全县概览</h2>', *charts,
             table_html(report.changes), table_html(report.statistics), "</section>"]
    for p in report.townships:
        t = p.township
        parts += [f'<section class="township" id="township-{escape(t.id)}" data-township="{escape(t.id)}">',
                  f"<h2>{escape(p.team.title)}({escape(str(t.township_class))}类)</h2>",
                  table_html(p.team, f' data-township="{escape(t.id)}"', caption=False)]
        parts.append(table_html(p.leavers) if p.leavers.rows
                     else f'<h3>{escape(p.leavers.title)}</h3><p class="none">无</p>')
        if p.statistics is not None:
            parts.append(table_html(p.statistics))
        parts.append("</section>")
    parts += ['<section class="leavers" id="leavers"><h2>退出名单(全县)</h2>',
              table_html(report.leavers, caption=False) if report.leavers.rows else '<p class="none">无</p>',
              "</section>",
              f'<section class="rules" id="rules"><h2>{escape(report.rules.title)}</h2>',
              table_html(report.rules, caption=False),
              table_html(report.details) if report.details.rows else "<p>全部规则均满足。</p>", "</section>"]
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(report.title)}</title><style>{CSS}</style></head><body>"
            + "\n".join(parts) + "</body></html>\n")


def html_report(sc: Scenario, result: SolveResult, index: int = 0) -> str:
    """The HTML report of slate number `index` of the result."""
    slate = result.slates[index]
    charts = [figure("年龄结构(全县,新班子与原班子)", age_pyramid(sc, slate)),
              figure("女干部、年轻干部比例(各乡镇新班子,对照规则要求)", share_chart(sc, slate)),
              figure("进退留转(全县)", change_chart(slate))]
    return document(report_of(sc, result, index), charts)
