"""Rules that count team members: per township (D1-C*, D3-C1, D5-C*, D1-R5)
and county-wide (D1-K*, D5-K*).

A rule has one target or several named `parts` (D3-C1: experienced cadres of
40 and over, and young ones of 35 or under); each part of each place is one
instance. A `prefer` part costs its weight for each member short of its target.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, model_validator

from model.rules.base import CountTarget, Params, RuleKind, View, register
from model.rules.seated import PostList
from model.ruleset import RuleSpec, Seat
from model.slate import RuleInstance

TARGET_KEYS = ("who", "min_count", "min_share", "more_than_sitting")


class SeatFilter(Params):
    """The seats a team rule looks at: principal seats, seats holding any of
    `posts`, or all seats when neither is given."""

    posts: PostList = ()
    principal: bool = False

    @model_validator(mode="after")
    def _one_filter(self) -> SeatFilter:
        if self.principal and self.posts:
            raise ValueError("give either principal or posts, not both")
        return self

    def counts(self, seat: Seat) -> bool:
        if self.principal:
            return seat.principal
        return not self.posts or any(p in seat.posts for p in self.posts)

    def label(self) -> str:
        if self.principal:
            return "党政正职"
        return "、".join(p.zh for p in self.posts) if self.posts else "乡镇领导班子成员"


class Counted(SeatFilter):
    """The targets, by part label ("" for a rule with one target)."""

    parts: dict[str, CountTarget] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _single_target(cls, data: Any) -> Any:
        """Accept the short form {who, min_count} for a rule with one target."""
        if isinstance(data, dict) and "who" in data:
            data = dict(data)
            data["parts"] = {"": {k: data.pop(k) for k in TARGET_KEYS if k in data}}
        return data


def part_key(where: str, label: str) -> str:
    return f"{where}/{label}" if label else where


def sitting_matches(view: View, target: CountTarget, p: Counted, township: str | None) -> int:
    """Members of the outgoing teams (in one township, or all) that the target counts."""
    return sum(
        1
        for c in view.cadres.values()
        if c.current_post is not None
        and c.current_township is not None
        and (township is None or c.current_township == township)
        and (p.principal is False or c.current_post.value in ("party_secretary", "township_head"))
        and (not p.posts or c.current_post in p.posts)
        and target.who.matches(c, view.on, c.current_township)
    )


def count_instances(
    kind: RuleKind, spec: RuleSpec, view: View, p: Counted, where: str, seats: list[Seat],
    township: str | None, place: str,
) -> list[RuleInstance]:
    """One instance per part: how many of these seats' holders match, against the need."""
    out: list[RuleInstance] = []
    holders = [(s, view.seated[(s.township, s.id)]) for s in seats if (s.township, s.id) in view.seated]
    for label, target in p.parts.items():
        have = sum(1 for s, c in holders if target.who.matches(c, view.on, s.township))
        sitting = sitting_matches(view, target, p, township) if target.more_than_sitting else 0
        need = target.needed(len(seats), sitting)
        short = max(0, need - have)
        before = f",上届{sitting}名" if target.more_than_sitting else ""
        detail = (
            f"{place}{p.label()}{len(seats)}个职位中{target.who.zh()}干部{have}名{before},"
            f"要求{target.target_zh()}(至少{need}名)"
        )
        out.append(kind.instance(spec, part_key(where, label), short == 0, detail, amount=short,
                                 township=township))
    return out


class TeamCounted(Counted):
    """`only_minority_concentrated`: the rule applies to 少数民族聚居 townships only (D1-C3)."""

    only_minority_concentrated: bool = False


@register
class TeamMinCount(RuleKind):
    """Each township's team has at least N (or a share of) members who match."""

    kind = "team_min_count"
    params = TeamCounted
    scope: ClassVar[str] = "township"

    def places(self, p: TeamCounted, view: View) -> list[tuple[str, list[Seat]]]:
        return [
            (tid, [s for s in view.seats if s.township == tid and p.counts(s)])
            for tid, town in view.townships.items()
            if town.minority_concentrated or not p.only_minority_concentrated
        ]

    def check(self, spec: RuleSpec, view: View) -> list[RuleInstance]:
        p: TeamCounted = self.parse(spec)
        out: list[RuleInstance] = []
        for tid, seats in self.places(p, view):
            out += count_instances(self, spec, view, p, tid, seats, tid, view.townships[tid].name)
        return out

    def max_penalty(self, spec: RuleSpec, view: View) -> int:
        p: TeamCounted = self.parse(spec)
        return spec.weight * sum(
            t.needed(len(seats), sitting_matches(view, t, p, tid))
            for tid, seats in self.places(p, view) for t in p.parts.values()
        )


class CountyCounted(Counted):
    """With `each_post`, one place per post (D1-K1: a woman secretary and a woman head)."""

    each_post: bool = False


@register
class CountyMinCount(RuleKind):
    """County-wide: at least N (or a share) of the members in some seats match."""

    kind = "county_min_count"
    params = CountyCounted
    scope: ClassVar[str] = "county"

    def places(self, p: CountyCounted, view: View) -> list[tuple[str, CountyCounted]]:
        if p.each_post:
            return [(post.value, p.model_copy(update={"posts": (post,)})) for post in p.posts]
        return [("county", p)]

    def check(self, spec: RuleSpec, view: View) -> list[RuleInstance]:
        p: CountyCounted = self.parse(spec)
        out: list[RuleInstance] = []
        for where, q in self.places(p, view):
            seats = [s for s in view.seats if q.counts(s)]
            out += count_instances(self, spec, view, q, where, seats, None, "全县")
        return out

    def max_penalty(self, spec: RuleSpec, view: View) -> int:
        p: CountyCounted = self.parse(spec)
        total = 0
        for _, q in self.places(p, view):
            n = sum(1 for s in view.seats if q.counts(s))
            total += sum(t.needed(n, sitting_matches(view, t, q, None)) for t in q.parts.values())
        return spec.weight * total
