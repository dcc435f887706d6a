"""Rules that count team members: per township (D1-C*, D3-C1, D5-C1) and
county-wide (D1-K1, D5-K1).

A `prefer` count rule costs its weight for each member short of the target.
"""

from __future__ import annotations

from typing import ClassVar

from model.rules.base import CountTarget, RuleKind, View, register
from model.rules.seated import PostList
from model.ruleset import RuleSpec
from model.slate import RuleInstance


@register
class TeamMinCount(RuleKind):
    """Each township's team has at least N (or a share of) members who match."""

    kind = "team_min_count"
    params = CountTarget
    scope: ClassVar[str] = "township"

    def check(self, spec: RuleSpec, view: View) -> list[RuleInstance]:
        p: CountTarget = self.parse(spec)
        out: list[RuleInstance] = []
        for tid, town in view.townships.items():
            team = view.team(tid)
            have = sum(1 for _, c in team if p.who.matches(c, view.on))
            need = p.needed(view.team_size(tid))
            short = max(0, need - have)
            detail = f"{town.name}班子{p.who.zh()}干部{have}名,要求{p.target_zh()}(至少{need}名)"
            out.append(self.instance(spec, tid, short == 0, detail, amount=short, township=tid))
        return out

    def max_penalty(self, spec: RuleSpec, view: View) -> int:
        p: CountTarget = self.parse(spec)
        return spec.weight * sum(p.needed(view.team_size(t)) for t in view.townships)


class CountyTarget(CountTarget):
    """Counted over the seats holding any of `posts` (all seats if empty); with
    `each_post`, one instance per post (D1-K1: a woman secretary and a woman head)."""

    posts: PostList = ()
    each_post: bool = False


@register
class CountyMinCount(RuleKind):
    """County-wide: at least N (or a share) of the members in some seats match."""

    kind = "county_min_count"
    params = CountyTarget
    scope: ClassVar[str] = "county"

    def groups(self, p: CountyTarget) -> list[tuple[str, PostList]]:
        if p.each_post:
            return [(post.value, (post,)) for post in p.posts]
        return [("county", p.posts)]

    def check(self, spec: RuleSpec, view: View) -> list[RuleInstance]:
        p: CountyTarget = self.parse(spec)
        out: list[RuleInstance] = []
        for where, posts in self.groups(p):
            seats = [s for s in view.seats if not posts or any(x in s.posts for x in posts)]
            members = [view.seated[(s.township, s.id)] for s in seats if (s.township, s.id) in view.seated]
            have = sum(1 for c in members if p.who.matches(c, view.on))
            need = p.needed(len(seats))
            short = max(0, need - have)
            label = "、".join(x.zh for x in posts) if posts else "乡镇领导班子成员"
            detail = (
                f"全县{label}{len(seats)}个职位中{p.who.zh()}干部{have}名,"
                f"要求{p.target_zh()}(至少{need}名)"
            )
            out.append(self.instance(spec, where, short == 0, detail, amount=short))
        return out

    def max_penalty(self, spec: RuleSpec, view: View) -> int:
        p: CountyTarget = self.parse(spec)
        total = 0
        for _, posts in self.groups(p):
            seats = [s for s in view.seats if not posts or any(x in s.posts for x in posts)]
            total += p.needed(len(seats))
        return spec.weight * total
