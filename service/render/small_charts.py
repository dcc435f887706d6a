"""The county view's small charts (the web page's 结构统计), as inline SVG drawn with the HTML report's
primitives (service/render/charts.py): a row per township and one for the county, so twelve teams fit
in a chart a third of a screen wide.

Two sources, never a second count: the structure statistics the referee put on the slate
(`Slate.statistics`: age brackets and education, the new team beside the sitting one) and the rule
report's count instances (`RuleInstance.have/need/total`: one chart per count rule and part, the
team's share against the rule's target as a red tick, a broken instance's bar red). County-wide count
rules (D1-K*) share one chart, a row an instance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from model.scenario import Scenario
from model.slate import RuleInstance, Slate
from service.render.catalog import CATALOG
from service.render.charts import NEW, TARGET, bar, legend, line, svg, text
from service.render.rules import filter_text, pct, target_text, who_text
from service.render.words import Names

COUNTY = "全县"
ROW, LABEL, WIDTH = 15, 52, 290
BROKEN = "#c0392b"
"""A broken instance's bar: the target's red, so the eye goes from the tick to the bar."""

BANDS = {
    "age": ("年龄结构", (("≤35岁", "age_35_under"), ("36-45岁", "age_36_45"), ("46-59岁", "age_46_59"),
                        ("≥60岁", "age_60_over")), ("#27916b", "#2f6db5", "#8e6bb5", "#b35a00")),
    "education": ("学历结构", (("大学以上", "education_university"), ("大专", "education_college"),
                              ("高中中专", "education_senior_high"), ("初中", "education_junior_high")),
                  ("#1f5fa8", "#5b8fd1", "#9dbbe3", "#d6e2f2")),
}
"""The structure statistics drawn as stacked bars: (title, (label, TeamFigures field)…, colours)."""


@dataclass(frozen=True)
class SmallChart:
    """One chart: `key` names it for the page and tests (age, education, D1-C2, D3-C1.young, county)."""

    key: str
    group: str
    title: str
    svg: str


def clipped(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def chart_id(key: str) -> str:
    return "small-" + key.replace(".", "-").replace("@", "-").lower()


@dataclass(frozen=True)
class Frame:
    """A chart's geometry: its width and the label column's; the rows' shares run from 0 to 100% between
    the labels and a column for `have/total` at the right."""

    width: int = WIDTH
    label: int = LABEL
    head: int = 34

    def x(self, share: float) -> float:
        return self.label + 1 + (self.width - self.label - 40) * max(0.0, min(1.0, share))

    def y(self, i: int) -> float:
        return self.head + i * ROW

    def svg(self, key: str, rows: int, title: str, body: list[str]) -> str:
        """The chart's svg around its rows, with the 0-100% axis ticks below them."""
        bottom = self.y(rows)
        axis = [line(self.label, self.head - 4, self.label, bottom, "#888", 0.6)]
        for k in (0, 50, 100):
            x = self.x(k / 100)
            axis += [line(x, bottom, x, bottom + 3, "#888", 0.6), text(x, bottom + 13, f"{k}%", "middle", 9)]
        return svg(chart_id(key), self.width, int(bottom + 18), [*body, *axis], title)


def heading(title: str, note: str, width: int) -> list[str]:
    """The title (clipped to the chart; the svg's own <title> has it whole) and a line under it."""
    return [text(4, 12, clipped(title, width // 11), size=11), text(4, 26, clipped(note, width // 9), size=9)]


# --- the structure statistics: stacked bars, new team over the sitting one -----------------------


def band_chart(sc: Scenario, slate: Slate, key: str) -> SmallChart:
    title, bands, colours = BANDS[key]
    stats = {s.township: s for s in slate.statistics}
    places = [(t.id, t.name) for t in sc.county.townships if t.id in stats] + [(None, COUNTY)]
    f = Frame(width=2 * WIDTH - 10, head=48)
    body = [text(4, 12, title, size=11),
            *legend(f.label, 28, [(label, c) for (label, _), c in zip(bands, colours, strict=True)]),
            text(f.width - 40, 28, "细条:原班子", "end", 9)]
    for i, (tid, name) in enumerate(places):
        y, s = f.y(i), stats[tid]
        body.append(text(f.label - 4, y + 10, name, "end", 10, "county" if tid is None else ""))
        for team, figs, top, high in (("new", s.new, 1, 8), ("old", s.sitting, 10, 3)):
            x = f.x(0)
            who = "新班子" if team == "new" else "原班子"
            for (label, field), colour in zip(bands, colours, strict=True):
                n = getattr(figs, field)
                w = f.x(n / figs.members) - f.x(0) if figs.members else 0.0
                body.append(bar(x, y + top, w, high, colour, f"{team} {field}",
                                f"{name} {who}{label}:{n}/{figs.members}人"))
                x += w
    return SmallChart(key, "班子结构", title, f.svg(key, len(places), title, body))


# --- the count rules: a team's share against the rule's target ---------------------------------


def part_of(r: RuleInstance) -> str:
    """The instance's part of its rule (D3-C1@t01/young: young), '' for a rule of one target."""
    where = r.key.split("@", 1)[1] if "@" in r.key else ""
    return where.split("/", 1)[1] if "/" in where else ""


def row_bars(f: Frame, i: int, label: str, have: int, total: int, need: int | None, holds: bool, tip: str,
             cls: str = "") -> list[str]:
    """One row: the label, the share's bar (red when broken), the target's tick, `have/total` at the end."""
    y, share = f.y(i), have / total if total else 0.0
    out = [text(f.label - 4, y + 10, label, "end", 10, cls),
           bar(f.x(0), y + 2, f.x(share) - f.x(0), ROW - 5, NEW if holds else BROKEN,
               "share" if holds else "share broken", tip)]
    if need is not None and total:
        x = f.x(need / total)
        out.append(line(x, y, x, y + ROW - 1, TARGET, 2.5, "target", f"{label} 目标 至少{need}/{total}"))
    out.append(text(f.width - 36, y + 10, f"{have}/{total}", "start", 9))
    return out


def rule_title(first: RuleInstance) -> str:
    a = first.reason.args
    seats = filter_text(a["posts"], a["principal"]) if a["posts"] or a["principal"] else ""
    return f"{first.rule} {seats}{who_text(a['who'])}干部:{target_text(a)}"


def count_chart(sc: Scenario, items: list[RuleInstance], key: str) -> SmallChart:
    by = {r.township: r for r in items}
    towns = [t for t in sc.county.townships if t.id in by]
    title, f = rule_title(items[0]), Frame()
    body = heading(title, CATALOG.get(items[0].rule, ""), f.width)
    have = need = total = 0
    for i, t in enumerate(towns):
        r = by[t.id]
        h, n, tot = r.have or 0, r.need or 0, r.total or 0
        have, need, total = have + h, need + n, total + tot
        tip = f"{t.name}:{h}/{tot}名({pct(h / tot if tot else 0)}),至少{n}名" + ("" if r.holds else ",未满足")
        body += row_bars(f, i, t.name, h, tot, n, r.holds, tip)
    body += row_bars(f, len(towns), COUNTY, have, total, need, all(r.holds for r in items),
                     f"全县合计:{have}/{total}名,各乡镇合计至少{need}名", "county")
    return SmallChart(key, "乡镇班子规则要求", title, f.svg(key, len(towns) + 1, title, body))


def county_chart(items: list[RuleInstance], names: Names) -> SmallChart:
    """The county-wide count rules, a row an instance (D1-K1 by post, D1-K2 by part)."""
    title, f = "全县规则要求", Frame(width=2 * WIDTH - 10, label=230)
    body = heading(title, "每行一条全县规则的一处要求;红线为目标,红条为未满足", f.width)
    for i, r in enumerate(items):
        a = r.reason.args
        seats = names.post(a["post"]) if a["post"] else filter_text(a["posts"], a["principal"])
        what = f"{seats}{who_text(a['who'])}"
        label = clipped(f"{r.rule} {what}", 22)
        tip = f"{r.rule} {what}:{r.have}/{r.total}名,要求至少{r.need}名" + ("" if r.holds else ",未满足")
        body += row_bars(f, i, label, r.have or 0, r.total or 0, r.need, r.holds, tip)
    return SmallChart("county", "全县规则要求", title, f.svg("county", len(items), title, body))


def small_charts(sc: Scenario, slate: Slate) -> list[SmallChart]:
    """Every small chart of a slate: the structure's two, then one per township count rule and part,
    then the county's rules."""
    out = [band_chart(sc, slate, k) for k in BANDS] if slate.statistics else []
    townships: dict[str, list[RuleInstance]] = defaultdict(list)
    county: list[RuleInstance] = []
    for r in slate.report:
        if r.reason.code != "count" or r.have is None or r.total is None:
            continue
        if r.township is None:
            county.append(r)
        else:
            part = part_of(r)
            townships[r.rule + (f".{part}" if part else "")].append(r)
    out += [count_chart(sc, items, key) for key, items in townships.items()]
    if county:
        out.append(county_chart(county, Names.of(sc)))
    return out

