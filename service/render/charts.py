"""The HTML report's charts as inline SVG, drawn here in Python (no JavaScript, no network):
the county's age pyramid (the sitting teams and the new, men left and women right), each
township's shares of women, of cadres 35 and under and of 30 and under against their
targets, and the county's 进退留转 by word.

Each chart is an `<svg class="chart" id=...>`; its bars are `<rect class="bar ...">` and its
targets `<line class="target">`, so a test (or a stylesheet) can find them."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from model.enums import Change, Gender
from model.scenario import Scenario
from model.slate import RuleInstance, Slate
from model.statistics import TeamFigures
from service.render.report import change_counts
from service.render.rules import pct

FONT = ('"Noto Sans CJK SC","WenQuanYi Zen Hei","Source Han Sans SC","Microsoft YaHei","PingFang SC",'
        "sans-serif")
NEW, OLD, TARGET = "#2f6db5", "#a9c1e0", "#c0392b"

AGE_BANDS = ((None, 30), (31, 35), (36, 40), (41, 45), (46, 50), (51, 55), (56, None))
"""The pyramid's bands (both ends included): ≤30 is D1-C1's, ≤35 D3-C1's young, 50+ D1-K2's."""


@dataclass(frozen=True)
class Share:
    """A share a township's team is held to: its label, the TeamFigures field counting it,
    and the filter (`who`) of the count rules that set its target."""

    label: str
    field: str
    who: dict


SHARES = (Share("女干部", "women", {"gender": "female"}), Share("35岁以下", "age_35_under", {"max_age": 35}),
          Share("30岁以下", "age_30_under", {"max_age": 30}))


def band_label(lo: int | None, hi: int | None) -> str:
    return f"{hi}岁以下" if lo is None else f"{lo}岁以上" if hi is None else f"{lo}-{hi}岁"


def in_band(age: int, lo: int | None, hi: int | None) -> bool:
    return (lo is None or age >= lo) and (hi is None or age <= hi)


def svg(chart_id: str, w: int, h: int, body: list[str], title: str) -> str:
    return (f'<svg class="chart" id="{chart_id}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
            f'width="{w}" height="{h}" role="img" aria-label="{escape(title)}" '
            f"font-family='{FONT}' font-size=\"12\"><title>{escape(title)}</title>"
            + "".join(body) + "</svg>")


def text(x: float, y: float, s: str, anchor: str = "start", size: int = 12, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{c}>'
            f"{escape(s)}</text>")


def bar(x: float, y: float, w: float, h: float, fill: str, cls: str, tip: str) -> str:
    return (f'<rect class="bar {cls}" x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" '
            f'fill="{fill}"><title>{escape(tip)}</title></rect>')


def line(x1: float, y1: float, x2: float, y2: float, stroke: str, w: float, cls: str = "",
         tip: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    inner = f"<title>{escape(tip)}</title>" if tip else ""
    return (f'<line{c} x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}" '
            f'stroke-width="{w}">{inner}</line>')


def legend(x: float, y: float, items: list[tuple[str, str]]) -> list[str]:
    out = []
    for label, color in items:
        out += [f'<rect class="legend" x="{x:.1f}" y="{y - 9:.1f}" width="12" height="12" fill="{color}"/>',
                text(x + 16, y + 1, label)]
        x += 28 + 13 * len(label)
    return out


# --- the age pyramid ----------------------------------------------------------------


def pyramid_counts(sc: Scenario, slate: Slate) -> list[tuple[str, dict[tuple[str, str], int]]]:
    """Per age band: (team, gender) -> members, team 'new' (the slate's) or 'old' (the sitting
    teams of the county's townships), ages on the reshuffle date."""
    here = {t.id for t in sc.county.townships}
    new = [sc.cadre_by_id[a.cadre] for a in slate.assignments if a.cadre in sc.cadre_by_id]
    old = [c for c in sc.cadres if c.is_sitting and c.current_township in here]
    out = []
    for lo, hi in AGE_BANDS:
        n: dict[tuple[str, str], int] = {}
        for team, people in (("new", new), ("old", old)):
            for g in Gender:
                n[(team, g.value)] = sum(1 for c in people
                                         if c.gender == g and in_band(c.age(sc.reshuffle_date), lo, hi))
        out.append((band_label(lo, hi), n))
    return out


def age_pyramid(sc: Scenario, slate: Slate) -> str:
    """Men to the left, women to the right; in each band the new teams' bar above the sitting's."""
    data = pyramid_counts(sc, slate)
    w, top, row, half = 900, 46, 34, 340
    mid = w / 2
    h = top + row * len(data) + 30
    most = max([1, *(v for _, n in data for v in n.values())])
    scale = (half - 20) / most
    body = [text(mid - half / 2, 18, "男", "middle", 14), text(mid + half / 2, 18, "女", "middle", 14),
            *legend(20, 36, [("新班子", NEW), ("原班子", OLD)])]
    for i, (label, n) in enumerate(reversed(data)):  # the oldest band on top
        y = top + i * row
        body.append(text(mid, y + 19, label, "middle"))
        for j, (team, color) in enumerate((("new", NEW), ("old", OLD))):
            by = y + 3 + j * 14
            for g, side in ((Gender.male.value, -1), (Gender.female.value, 1)):
                k = n[(team, g)]
                length = k * scale
                x0 = mid + 36 if side > 0 else mid - 36 - length
                tip = f"{'新班子' if team == 'new' else '原班子'} {Gender(g).zh} {label}:{k}人"
                body.append(bar(x0, by, length, 12, color, f"{team} {g}", tip))
                if k:
                    tx = x0 + length + 4 if side > 0 else x0 - 4
                    body.append(text(tx, by + 10, str(k), "start" if side > 0 else "end", 10))
    body.append(line(mid, top - 4, mid, h - 26, "#888", 0.5))
    return svg("chart-age", w, h, body, "全县班子年龄结构(新班子与原班子,男女)")


# --- shares against their targets -----------------------------------------------------


def target_share(report: tuple[RuleInstance, ...], township: str | None, who: dict) -> float | None:
    """The share the rule report holds this township's team to for this filter: the highest
    need/total of the count rules with exactly this filter there, else county-wide over every
    member (e.g. D5-K1's fifth of young cadres); None where no rule sets one."""
    def best(place: str | None) -> float | None:
        shares = [r.need / r.total for r in report
                  if r.reason.code == "count" and r.township == place and r.need is not None and r.total
                  and r.reason.args.get("who") == who and not r.reason.args.get("posts")
                  and not r.reason.args.get("principal")]
        return max(shares, default=None)

    here = best(township)
    return here if here is not None or township is None else best(None)


def share_chart(sc: Scenario, slate: Slate) -> str:
    """Per township, one group of bars (women, ≤35, ≤30: the new team's shares) with a red tick
    at each target, and the sitting team's share as a light bar behind."""
    stats = {s.township: s for s in slate.statistics}
    towns = [t for t in sc.county.townships if t.id in stats]
    w, left, top, plot_h = 900, 46, 40, 220
    group = (w - left - 10) / max(1, len(towns))
    bw = min(30.0, group / (len(SHARES) + 1))
    h = top + plot_h + 46
    colors = ("#c2477a", "#2f6db5", "#27916b")
    body = legend(left, 18, [*((s.label, c) for s, c in zip(SHARES, colors, strict=True)), ("目标", TARGET)])
    for k in range(0, 101, 25):
        y = top + plot_h * (1 - k / 100)
        body += [line(left, y, w - 10, y, "#ddd", 0.6),
                 text(left - 4, y + 4, f"{k}%", "end", 10)]

    def share(f: TeamFigures, field: str) -> float:
        return getattr(f, field) / f.members if f.members else 0.0

    for i, t in enumerate(towns):
        s = stats[t.id]
        x0 = left + i * group + (group - bw * len(SHARES)) / 2
        for j, (sh, color) in enumerate(zip(SHARES, colors, strict=True)):
            x = x0 + j * bw
            old, new = share(s.sitting, sh.field), share(s.new, sh.field)
            have = f"{getattr(s.new, sh.field)}/{s.new.members}"
            body.append(bar(x + 2, top + plot_h * (1 - old), bw - 4, plot_h * old, "#e3e3e3",
                            f"old {sh.field}", f"{t.name} 原班子{sh.label} {pct(old)}"))
            body.append(bar(x + 5, top + plot_h * (1 - new), bw - 10, plot_h * new, color,
                            f"new {sh.field}", f"{t.name} 新班子{sh.label} {have}({pct(new)})"))
            goal = target_share(slate.report, t.id, sh.who)
            if goal is not None:
                y = top + plot_h * (1 - goal)
                body.append(line(x + 1, y, x + bw - 1, y, TARGET, 2.5, f"target {sh.field}",
                                 f"{t.name} {sh.label} 目标 {pct(goal)}"))
        body.append(text(left + i * group + group / 2, top + plot_h + 16, t.name, "middle", 11))
    body.append(text(left, h - 8, "深色:新班子;浅灰:原班子;红线:规则要求的比例(至少人数/职数)", size=11))
    return svg("chart-shares", w, h, body, "各乡镇女干部、35岁以下、30岁以下干部比例与目标")


# --- 进退留转 by word ---------------------------------------------------------------


def change_chart(slate: Slate) -> str:
    """A bar a 变动 word, the county's count on it."""
    counts = change_counts(slate)
    words = list(Change)
    w, left, row, top = 900, 90, 26, 10
    h = top + row * len(words) + 10
    most = max([1, *counts.values()])
    scale = (w - left - 60) / most
    body = []
    for i, word in enumerate(words):
        y = top + i * row
        k = counts[word]
        body += [text(left - 8, y + 16, word.zh, "end"),
                 bar(left, y + 4, k * scale, row - 8, TARGET if word == Change.leaves else NEW,
                     f"change {word.value}", f"{word.zh}:{k}人"),
                 text(left + k * scale + 6, y + 16, str(k))]
    return svg("chart-changes", w, h, body, "全县进退留转")
