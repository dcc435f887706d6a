"""Team shape (D1-S*, D3-S1, D5-S1): seat counts and posts held together.

The shape is mostly fixed by the ruleset's team template (by township class,
or the large-township template): a preset whose template breaks its own shape
rule is caught here (and by a test). Where a seat has optional posts (a deputy
head may sit on the party committee), the slate chooses them and the counts
include the choice.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, Field, field_validator

from model.enums import Post
from model.reasons import Reason, reason
from model.rules.base import Params, RuleKind, View, register
from model.ruleset import RuleSpec, Seat
from model.slate import RuleInstance

PostKey = Annotated[Post, BeforeValidator(Post.parse)]


@cache
def combo(key: str) -> tuple[Post, ...]:
    """'deputy_head+committee_member' -> the posts a seat must all hold to count."""
    posts = tuple(Post.parse(k) for k in key.split("+"))
    bad = [k for k, p in zip(key.split("+"), posts, strict=True) if not isinstance(p, Post)]
    if bad:
        raise ValueError(f"unknown post {bad} in '{key}'")
    return posts


class ShapeParams(Params):
    """`seats`: seats per team (by township class if a mapping); `posts`: how many
    seats hold a post, or all posts of a 'a+b' key, as [min, max], optional posts
    chosen in the slate included; `large_extra`: a large township may have this
    many more (D1-S1); `together`: a seat holding the first post also holds the
    second (兼任); `apart`: no seat holds both (单设). `together` and `apart` read
    the template's fixed posts. `applies`: all townships, or only large or normal ones."""

    seats: int | dict[int, int] | None = None
    posts: dict[str, tuple[int, int]] = Field(default_factory=dict)
    large_extra: dict[str, int] = Field(default_factory=dict)
    together: tuple[tuple[PostKey, PostKey], ...] = ()
    apart: tuple[tuple[PostKey, PostKey], ...] = ()
    applies: Literal["all", "large", "normal"] = "all"

    @field_validator("posts", "large_extra")
    @classmethod
    def _known_posts(cls, value: dict) -> dict:
        for key in value:
            combo(key)
        return value

    def applies_to(self, large: bool) -> bool:
        return self.applies == "all" or (self.applies == "large") == large

    def ranges(self, large: bool) -> list[tuple[tuple[Post, ...], int, int]]:
        return [
            (combo(k), lo, hi + (self.large_extra.get(k, 0) if large else 0))
            for k, (lo, hi) in self.posts.items()
        ]


def seat_count(p: ShapeParams, township_class: int) -> int | None:
    """The seats a team should have under the rule (None: the rule does not say)."""
    return p.seats.get(township_class) if isinstance(p.seats, dict) else p.seats


def post_count_problem(posts: tuple[Post, ...], n: int, lo: int, hi: int) -> Reason:
    """`n` seats hold all of `posts`, outside [lo, hi]."""
    return reason("shape_posts", posts=[p.value for p in posts], have=n, lo=lo, hi=hi)


def shape_problems(
    p: ShapeParams, team: list[tuple[Seat, tuple[Post, ...]]], township_class: int, large: bool
) -> list[Reason]:
    """What a team lacks against the shape. `team` pairs each seat with the
    optional posts the slate gives it."""
    out: list[Reason] = []
    want = seat_count(p, township_class)
    if want is not None and len(team) != want:
        out.append(reason("shape_seats", have=len(team), want=want))
    for posts, lo, hi in p.ranges(large):
        n = sum(1 for s, extra in team if set(posts) <= set(s.posts) | set(extra))
        if not lo <= n <= hi:
            out.append(post_count_problem(posts, n, lo, hi))
    for a, b in p.together:
        if any(a in s.posts and b not in s.posts for s, _ in team):
            out.append(reason("shape_together", post=a.value, other=b.value))
    for a, b in p.apart:
        if any(a in s.posts and b in s.posts for s, _ in team):
            out.append(reason("shape_apart", post=a.value, other=b.value))
    return out


@register
class TeamShape(RuleKind):
    kind = "team_shape"
    params = ShapeParams
    scope: ClassVar[str] = "township"

    def check(self, spec: RuleSpec, view: View) -> list[RuleInstance]:
        p: ShapeParams = self.parse(spec)
        out: list[RuleInstance] = []
        for tid, town in view.townships.items():
            large = view.large.get(tid, False)
            if not p.applies_to(large):
                continue
            team = [(s, view.extras.get((s.township, s.id), ())) for s in view.seats_by_township.get(tid, ())]
            problems = shape_problems(p, team, town.township_class, large)
            why = reason("team_shape", township=tid, problems=[r.model_dump() for r in problems])
            out.append(self.instance(spec, tid, not problems, why, township=tid,
                                     have=len(team), need=seat_count(p, town.township_class)))
        return out

    def max_penalty(self, spec: RuleSpec, view: View) -> int:
        return spec.weight * len(view.townships)
