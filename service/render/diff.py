"""A what-if against its base, in words: seat by seat, score by term, and the
rule instances that break or mend (model/diff.py holds the data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from model.diff import SlateDiff
from model.scenario import Scenario
from service.render.infeasible import reason_lines
from service.render.labels import term_zh
from service.render.rules import instance_text
from service.render.words import Names

if TYPE_CHECKING:
    from solver.compare import Comparison


def diff_text(sc_base: Scenario, sc_other: Scenario, d: SlateDiff) -> str:
    base, other = Names.of(sc_base), Names.of(sc_other)

    def who(n: Names, cid: str | None) -> str:
        return f"{n.cadres[cid]}({cid})" if cid and cid in n.cadres else "—"

    lines = [f"目标值变化 {d.objective:+d}"]
    lines += [f"  {term_zh(k)} {v:+d}" for k, v in d.terms.items()]
    lines.append(f"职位变化 {len(d.seats)} 处:")
    for ch in d.seats:
        lines.append(f"  {other.township(ch.township)} {other.seat(ch.township, ch.seat)}:"
                     f"{who(base, ch.before)} → {who(other, ch.after)}")
    if d.newly_broken:
        lines.append("新增未满足的规则:")
        lines += [f"  - {r.rule} {instance_text(r, other)}" for r in d.newly_broken]
    if d.mended:
        lines.append("不再违反的规则:")
        lines += [f"  - {r.rule} {instance_text(r, base)}" for r in d.mended]
    return "\n".join(lines)


def comparison_text(base: Scenario, other: Scenario, c: Comparison) -> str:
    """`huanjie diff`: the two names and the diff, or each side's status and reasons
    when either has no slate."""
    if c.diff is None:
        lines: list[str] = []
        for sc, res in ((base, c.base), (other, c.other)):
            lines.append(f"{sc.name}:{res.status}")
            why = reason_lines(res.reasons, res.relaxations, Names.of(sc))
            lines.append("\n".join(f"  {r}" for r in why))
        return "\n".join(lines)
    return f"{base.name} → {other.name}\n" + diff_text(base, other, c.diff)
