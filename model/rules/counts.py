"""Rules that count team members: per township (D1-C*, D3-C1, D5-C*, D1-R5)
and county-wide (D1-K*, D5-K*).

A rule has one target or several named `parts` (D3-C1: experienced cadres of
40 and over, and young ones of 35 or under); each part of each place is one
instance. A `prefer` part costs its weight for each member short of its target.
The places of a rule (`CountKind.places`) are defined once here; the solver's
encoders and pre-checks read the same places and map their seats to its groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import Field, model_validator

from model.enums import Post
from model.reasons import reason
from model.rules.base import CountTarget, RuleKind, SeatFilter, View, register
from model.ruleset import RuleSpec, Seat
from model.slate import RuleInstance

TARGET_KEYS = ("who", "min_count", "min_share", "more_than_sitting")


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


@dataclass(frozen=True)
class Place:
    """One place a count rule is checked at: a township's team, or seats county-wide.

    `key` names the place in instance keys (`t01`, `county`, `party_secretary`);
    `township` is None county-wide, and `post` the one post of a county rule
    checked post by post (D1-K1). `filter`
    is the seat filter at this place (narrowed to `post`), `seats` the seats it
    counts, in scenario order."""

    key: str
    township: str | None
    post: Post | None
    filter: Counted
    seats: tuple[Seat, ...]

    def facts(self) -> dict[str, Any]:
        """The place as reason args: `township` (None county-wide) and `post`."""
        return {"township": self.township, "post": self.post.value if self.post is not None else None}


def sitting_matches(view: View, target: CountTarget, place: Place) -> int:
    """Members of the outgoing teams (of the place's township, or all) who held
    one of the place's seats and whom the target counts."""
    return sum(
        1
        for c in view.cadres.values()
        if c.is_sitting and c.current_post is not None
        and (place.township is None or c.current_township == place.township)
        and place.filter.held(c.current_post, view.principal_posts)
        and target.who.matches(c, view.on, c.current_township)
    )


def needed(view: View, target: CountTarget, place: Place) -> int:
    """How many members the target needs at this place."""
    sitting = sitting_matches(view, target, place) if target.more_than_sitting else 0
    return target.needed(len(place.seats), sitting)


class CountKind(RuleKind):
    """A rule counting the members who match, at each of its places."""

    def params_schema(self, spec: RuleSpec) -> dict[str, Any]:
        """A rule written in the short form {who, min_count} (one target) keeps its target's keys at
        the top: `parts` would not merge onto it (model/scenario.py refuses it)."""
        schema = super().params_schema(spec)
        if "parts" in spec.params:
            return schema
        target = schema["$defs"]["CountTarget"]
        props = {k: v for k, v in schema["properties"].items() if k != "parts"}
        schema["properties"] = {**props, **target["properties"]}
        required = [r for r in schema.get("required", []) if r != "parts"]
        schema["required"] = [*required, *target.get("required", [])]
        return schema

    def params_values(self, spec: RuleSpec) -> dict[str, Any]:
        values = super().params_values(spec)
        if "parts" in spec.params:
            return values
        return {**{k: v for k, v in values.items() if k != "parts"}, **values["parts"][""]}

    def places(self, p: Any, view: View) -> list[Place]:
        raise NotImplementedError

    def check(self, spec: RuleSpec, view: View) -> list[RuleInstance]:
        """One instance per place and part: how many of the place's holders match, against the need."""
        out: list[RuleInstance] = []
        seated, on = view.seated, view.on
        known: dict[tuple[str, int], RuleInstance] = view.of_rule(spec, "counts", dict)  # by place and have
        for place, keys, parts in view.of_rule(spec, "counted", lambda: self.counted(spec, view)):
            holders = [(key[0], seated[key]) for key in keys if key in seated]
            for where, target, need, facts in parts:
                have = sum(1 for township, c in holders if target.who.matches(c, on, township))
                if (where, have) not in known:
                    short = max(0, need - have)
                    why = reason("count", **facts, have=have, need=need)
                    known[(where, have)] = self.instance(spec, where, short == 0, why, amount=short,
                                                         township=place.township, have=have, need=need,
                                                         short=short, total=len(keys))
                out.append(known[(where, have)])
        return out

    def counted(self, spec: RuleSpec, view: View) -> list[tuple[Place, list[tuple[str, str]], list[tuple]]]:
        """What `check` reads that no slate changes, once per scenario: each place with its seats'
        keys in `View.seated` and, per part, the instance's place in keys, the target, the need
        and the reason's args up to `have` (the sitting members a `more_than_sitting` part beats
        are counted here, over the whole pool)."""
        out = []
        for place in self.places(self.parse(spec), view):
            total = len(place.seats)
            parts = []
            for label, target in place.filter.parts.items():
                sitting = sitting_matches(view, target, place) if target.more_than_sitting else 0
                facts = dict(**place.facts(), **place.filter.facts(), total=total, who=target.who.facts(),
                             min_count=target.min_count, min_share=target.min_share,
                             more_than_sitting=target.more_than_sitting,
                             sitting=sitting if target.more_than_sitting else None)
                parts.append((part_key(place.key, label), target, target.needed(total, sitting), facts))
            out.append((place, [(s.township, s.id) for s in place.seats], parts))
        return out

    def max_penalty(self, spec: RuleSpec, view: View) -> int:
        p = self.parse(spec)
        return spec.weight * sum(
            needed(view, t, place) for place in self.places(p, view) for t in place.filter.parts.values()
        )


class TeamCounted(Counted):
    """`only_minority_concentrated`: the rule applies to 少数民族聚居 townships only (D1-C3)."""

    only_minority_concentrated: bool = False


@register
class TeamMinCount(CountKind):
    """Each township's team has at least N (or a share of) members who match."""

    kind = "team_min_count"
    params = TeamCounted
    scope: ClassVar[str] = "township"

    def places(self, p: TeamCounted, view: View) -> list[Place]:
        seats: dict[str, list[Seat]] = {}
        for s in view.seats:  # one pass, not one per township
            if p.applies(s):
                seats.setdefault(s.township, []).append(s)
        return [
            Place(tid, tid, None, p, tuple(seats.get(tid, ())))
            for tid, town in view.townships.items()
            if town.minority_concentrated or not p.only_minority_concentrated
        ]


class CountyCounted(Counted):
    """With `each_post`, one place per post (D1-K1: a woman secretary and a woman head)."""

    each_post: bool = False


@register
class CountyMinCount(CountKind):
    """County-wide: at least N (or a share) of the members in some seats match."""

    kind = "county_min_count"
    params = CountyCounted
    scope: ClassVar[str] = "county"

    def places(self, p: CountyCounted, view: View) -> list[Place]:
        narrowed = [(post.value, post, p.model_copy(update={"posts": (post,)})) for post in p.posts] \
            if p.each_post else [("county", None, p)]
        return [
            Place(key, None, post, q, tuple(s for s in view.seats if q.applies(s)))
            for key, post, q in narrowed
        ]
