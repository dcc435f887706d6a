"""What the web page's county view shows beside the teams, as data with the renderers' Chinese: the small
charts (service/render/small_charts.py), the rule report (the report's rows, service/render/report.py)
with what binds each rule, and why an infeasible job has no slate (the minimal conflict and the
cheapest relaxation, service/render/infeasible.py).

"What binds a rule" is read off the referee's instances, nothing re-counted: the broken ones (with
their penalty), then those that hold with no room left (a count rule at exactly its need, a seated rule
at exactly its limit), then the nearest to their bound. The margin is have - need for a count, and the
distance of the cadre's value to the limit for a seated rule (negative when broken)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from model.enums import Strength
from model.reasons import Reason
from model.scenario import Scenario
from model.slate import Relaxation, RuleInstance, Slate, SolveResult
from service.render.catalog import CATALOG
from service.render.infeasible import relaxation_text
from service.render.labels import STATUS_ZH
from service.render.report import applies, rule_rows
from service.render.rules import instance_text, pct
from service.render.small_charts import small_charts
from service.render.words import Names, say

BINDING_SHOWN = 12
"""Instances listed under a rule's row: the broken and the tight first; the rest are counted."""


class ChartView(BaseModel):
    key: str = Field(description="age, education, a count rule's id (and .part), county")
    group: str
    title: str
    svg: str = Field(description="an inline <svg class=\"chart\">: bars `rect.bar`, targets `line.target`")


class Charts(BaseModel):
    """The slate's structure statistics and the count rules' shares against their targets."""

    charts: list[ChartView]


def charts_of(sc: Scenario, slate: Slate) -> Charts:
    return Charts(charts=[ChartView(key=c.key, group=c.group, title=c.title, svg=c.svg)
                          for c in small_charts(sc, slate)])


class Binding(BaseModel):
    """One instance of a rule, where it is and how close to its bound."""

    key: str
    township: str | None
    place: str = Field(description="the township's name, or 全县")
    seat: str | None
    seat_title: str | None
    cadre: str | None
    name: str | None
    holds: bool
    tight: bool = Field(description="holds with no room left: one step more and it breaks")
    margin: float | None = Field(description="have - need, or the value's distance to the limit; < 0 broken")
    margin_text: str
    penalty: int
    text: str


class RuleRow(BaseModel):
    """A row of the rule report (规则, 强度, 符合, 内容) and what binds the rule."""

    rule: str
    strength: Strength
    strength_zh: str
    held: str = Field(description="instances that hold / those that check something, or 不适用")
    clause: str
    broken: int
    tight: int
    penalty: int = Field(description="the points its broken prefer instances cost")
    binding: list[Binding]
    more: int = Field(description="instances that check something and are not listed")


class RuleReport(BaseModel):
    rows: list[RuleRow]


def margin_of(r: RuleInstance) -> float | None:
    if r.have is not None and r.need is not None:
        return r.have - r.need
    if isinstance(r.value, int | float) and isinstance(r.limit, int | float):
        gap = abs(r.value - r.limit)
        return gap if r.holds else -gap
    return None


def margin_text(r: RuleInstance, m: float | None) -> str:
    if m is None:
        return "符合" if r.holds else "不符合"
    share = isinstance(r.value, float) and abs(r.value) <= 1
    size = pct(abs(m)) if share else f"{abs(m):g}"
    if r.have is not None:
        return f"多{size}名" if m > 0 else "恰好达到要求" if m == 0 else f"差{size}名"
    if not r.holds:
        return f"超出界限{size}" if m else "达到界限即不符合"
    return f"距界限{size}" if m else "恰在界限"


def binding_of(r: RuleInstance, names: Names) -> Binding:
    m = margin_of(r)
    return Binding(key=r.key, township=r.township, place=names.township(r.township) if r.township else "全县",
                   seat=r.seat, seat_title=names.seat(r.township, r.seat) if r.township and r.seat else None,
                   cadre=r.cadre, name=names.cadre(r.cadre) if r.cadre else None, holds=r.holds,
                   tight=r.holds and m == 0, margin=m, margin_text=margin_text(r, m), penalty=r.penalty,
                   text=instance_text(r, names))


def rule_report(sc: Scenario, slate: Slate) -> RuleReport:
    """The report's rule rows in its order, each with its binding instances."""
    names = Names.of(sc)
    rows = []
    for rid, strength, held, clause in rule_rows(slate.report):
        live = [r for r in slate.report if r.rule == rid and applies(r)]
        ranked = sorted(live, key=lambda r: (r.holds, -r.penalty, margin_of(r) is None, margin_of(r) or 0))
        broken = sum(1 for r in live if not r.holds)
        tight = sum(1 for r in live if r.holds and margin_of(r) == 0)
        near = ranked[:max(broken + tight, min(3, len(ranked)))][:BINDING_SHOWN]
        first = next(r for r in slate.report if r.rule == rid)
        rows.append(RuleRow(rule=rid, strength=first.strength, strength_zh=strength, held=held, clause=clause,
                            broken=broken, tight=tight, penalty=sum(r.penalty for r in live),
                            binding=[binding_of(r, names) for r in near], more=len(live) - len(near)))
    return RuleReport(rows=rows)


# --- an infeasible job: the conflict and the cheapest relaxation -------------------------------------


class RuleRef(BaseModel):
    id: str
    clause: str


class ConflictLine(BaseModel):
    """One reason of the explanation: its code, its sentence, the rules it names."""

    code: str
    text: str
    rules: list[RuleRef]


class RelaxationLine(BaseModel):
    """One change of the cheapest relaxation, with its sentence."""

    change: Relaxation
    text: str
    clause: str | None


class Conflict(BaseModel):
    """Why an ended job has no slate, in the staff's words; `apply` the what-if that applies the
    cheapest relaxation (POST it to /v1/scenarios/{id}/versions), or none (`apply_note` says why)."""

    status: str
    status_zh: str
    minimal: bool = Field(description="the conflict was shrunk until every member is needed")
    reasons: list[ConflictLine]
    relaxations: list[RelaxationLine]
    apply: dict | None = Field(None, description="a WhatIfBody: the job's version with the relaxation")
    apply_note: str | None = None


def named_rules(r: Reason) -> list[str]:
    """The rule ids a reason names (a conflict's member, a count short, a pin a rule forbids)."""
    a = r.args
    ids = [a["rule"]] if isinstance(a.get("rule"), str) else []
    return ids + [x for x in a.get("rules", []) if isinstance(x, str)]


def conflict_of(sc: Scenario, result: SolveResult) -> Conflict:
    names = Names.of(sc)
    head = next((r for r in result.reasons if r.code == "conflict"), None)
    lines = [ConflictLine(code=r.code, text=say(r, names),
                          rules=[RuleRef(id=i, clause=CATALOG.get(i, "")) for i in named_rules(r)])
             for r in result.reasons]
    if result.cut_short is not None:
        lines.append(ConflictLine(code=result.cut_short.code, text=say(result.cut_short, names), rules=[]))
    return Conflict(status=result.status.value, status_zh=STATUS_ZH[result.status],
                    minimal=bool(head and head.args.get("minimal")), reasons=lines,
                    relaxations=[RelaxationLine(change=x, text=relaxation_text(x, names),
                                                clause=CATALOG.get(x.rule)) for x in result.relaxations])


def relaxed_name(name: str | None) -> str:
    """The name of the what-if that applies a relaxation."""
    return f"{name or '推演'}(按最小放宽方案)"


NOT_APPLICABLE = ("取消的指定不在本版本的推演中(而在其所依据的情景里),无法用推演版本取消;"
                  "请另存一个不含该指定的情景版本。")
"""Why a relaxation has no what-if: it drops a pin this version did not add."""
