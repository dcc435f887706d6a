"""The wordings of why a scenario has no slate: the pre-checks' findings, the
minimal conflict, and the cheapest relaxation (worded from its fields)."""

from __future__ import annotations

from collections.abc import Sequence

from model.enums import Post
from model.reasons import Reason
from model.slate import Relaxation
from service.render.catalog import CATALOG
from service.render.rules import place_text, sub_reasons, who_text
from service.render.words import Names, fixed, say, words


def relaxation_text(r: Relaxation, names: Names) -> str:
    """One change of the cheapest relaxation: a pin dropped, a rule made `generally`, a number lowered."""
    if r.rule == "pin":
        verb = "任" if "/" in (r.before or "") else "进"  # a township-wide pin names the township alone
        return f"取消指定{names.cadre(r.parameter)}({r.parameter}){verb}{r.before}"
    if r.parameter == "strength":
        return f"{r.rule} 由必须改为一般规则"
    return f"{r.rule} {r.parameter} 由 {r.before} 调整为 {r.after:g}"


def reason_lines(reasons: Sequence[Reason], relaxations: Sequence[Relaxation], names: Names) -> list[str]:
    """The reasons, one a line, then the cheapest relaxation under its heading (indented)."""
    lines = [say(r, names) for r in reasons]
    if relaxations:
        lines.append("最小放宽方案:")
        lines += [f"  {relaxation_text(r, names)}" for r in relaxations]
    return lines


@words("pool_too_small")
def _pool_too_small(a: dict, n: Names) -> str:
    return f"全县共{a['seats']}个职位,但只有{a['usable']}名干部可任任一职位"


@words("too_few_candidates")
def _too_few_candidates(a: dict, n: Names) -> str:
    why = ",".join(f"{rid}排除{k}人" for rid, k in a["excluded"].items())
    need = f"需要{a['count']}人,只有{a['have']}人" if a["count"] > 1 else "没有"
    t = a["township"]
    return f"{n.township(t)}{n.seat(t, a['seat'])}:候选池中{need}符合必须条件的人选({why or '无人可选'})"


@words("count_short")
def _count_short(a: dict, n: Names) -> str:
    place = place_text(a["township"], a["post"], n)
    return (f"{a['rule']} {place}需要至少{a['need']}名{who_text(a['who'])}干部,"
            f"候选池中可任这些职务的只有{a['available']}人")


@words("count_short_total")
def _count_short_total(a: dict, n: Names) -> str:
    return (f"{a['rule']} {a['places']}处合计需要{a['need']}名{who_text(a['who'])}干部,"
            f"候选池中可任这些职务的只有{a['available']}人")


@words("pin_impossible")
def _pin_impossible(a: dict, n: Names) -> str:
    why = [f"{rid} {CATALOG.get(rid, '')}" for rid in a["rules"]]
    if a["banned"]:
        why.append("同一情景中又排除了该人选")
    spot = f"任{a['township']}/{a['seat']}" if a["seat"] else f"进{a['township']}班子"
    pin = f"指定{n.cadre(a['cadre'])}({a['cadre']}){spot}"
    return pin + "无法满足:" + (";".join(why) or "无此职位")


@words("shape_impossible")
def _shape_impossible(a: dict, n: Names) -> str:
    problems = ";".join(sub_reasons(a["problems"], n))
    return f"{a['rule']} {n.township(a['township'])}班子职数设置不符合:" + problems


@words("conflict")
def _conflict(a: dict, n: Names) -> str:
    return "以下必须规则不能同时满足" + ("(最小冲突集)" if a["minimal"] else "(未能在时限内化简)") + ":"


@words("conflict_pin")
def _conflict_pin(a: dict, n: Names) -> str:
    t = a["township"]
    spot = f"任{n.township(t)}{n.seat(t, a['seat'])}" if a["seat"] else f"进{n.township(t)}班子"
    return f"指定{n.cadre(a['cadre'])}({a['cadre']}){spot}"


@words("conflict_rule")
def _conflict_rule(a: dict, n: Names) -> str:
    where = a["place"]
    posts = {p.value: p.zh for p in Post}
    place = n.townships.get(where) or posts.get(where, "全县" if where == "county" else where)
    return f"{a['rule']} {CATALOG.get(a['rule'], '')}({place})"


fixed("cannot_fill", "候选池无法在必须的任职条件下填满全部职位(每名干部只能任一职)")
