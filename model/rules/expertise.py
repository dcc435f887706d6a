"""A mix of expertise in a team (D1-C4, D5-C3) and between its principals (D1-C5).

Expertise is read from each cadre's tags (专长). A group of tags is covered when
some counted member has one of them; the rule wants `min_groups` groups covered
(all of them if not given), and a `prefer` rule costs its weight per group short.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from model.reasons import reason
from model.rules.base import RuleKind, SeatFilter, View, register
from model.ruleset import RuleSpec
from model.slate import RuleInstance


class ExpertiseParams(SeatFilter):
    groups: dict[str, tuple[str, ...]] = Field(min_length=1)
    min_groups: int | None = Field(default=None, ge=1)

    def needed(self) -> int:
        return min(self.min_groups or len(self.groups), len(self.groups))


@register
class ExpertiseCover(RuleKind):
    kind = "expertise_cover"
    params = ExpertiseParams
    scope: ClassVar[str] = "township"

    def check(self, spec: RuleSpec, view: View) -> list[RuleInstance]:
        p: ExpertiseParams = self.parse(spec)
        out: list[RuleInstance] = []
        for tid in view.townships:
            tags = {t for s, c in view.team(tid) if p.applies(s) for t in c.expertise}
            covered = [g for g, members in p.groups.items() if tags & set(members)]
            short = max(0, p.needed() - len(covered))
            missing = [g for g in p.groups if g not in covered]
            why = reason("expertise", township=tid, **p.facts(), covered=len(covered), need=p.needed(),
                         missing=missing)
            out.append(self.instance(spec, tid, short == 0, why, amount=short, township=tid,
                                     have=len(covered), need=p.needed(), short=short, total=len(p.groups)))
        return out

    def max_penalty(self, spec: RuleSpec, view: View) -> int:
        p: ExpertiseParams = self.parse(spec)
        return spec.weight * p.needed() * len(view.townships)
