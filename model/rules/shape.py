"""Team shape (D1-S*, D3-S1, D5-S1): seat counts and posts held together.

The shape is fixed by the ruleset's team template, so the check reads the
template of each township's class: a preset whose template breaks its own
shape rule is caught here (and by a test), never silently solved.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import BeforeValidator, Field

from model.enums import Post
from model.rules.base import Params, RuleKind, View, register
from model.ruleset import RuleSpec, Seat
from model.slate import RuleInstance

PostKey = Annotated[Post, BeforeValidator(Post.parse)]


class ShapeParams(Params):
    """`seats`: seats per team (by township class if a mapping); `posts`: how many
    seats hold each post, as [min, max]; `together`: a seat holding the first post
    also holds the second (兼任); `apart`: no seat holds both (单设)."""

    seats: int | dict[int, int] | None = None
    posts: dict[PostKey, tuple[int, int]] = Field(default_factory=dict)
    together: tuple[tuple[PostKey, PostKey], ...] = ()
    apart: tuple[tuple[PostKey, PostKey], ...] = ()


def shape_problems(p: ShapeParams, seats: list[Seat], township_class: int) -> list[str]:
    """What a team of these seats lacks against the shape, in Chinese."""
    out: list[str] = []
    want = p.seats.get(township_class) if isinstance(p.seats, dict) else p.seats
    if want is not None and len(seats) != want:
        out.append(f"职数{len(seats)}名,应为{want}名")
    for post, (lo, hi) in p.posts.items():
        n = sum(1 for s in seats if post in s.posts)
        if not lo <= n <= hi:
            want_n = f"{lo}名" if lo == hi else f"{lo}至{hi}名"
            out.append(f"{post.zh}{n}名,应为{want_n}")
    for a, b in p.together:
        if any(a in s.posts and b not in s.posts for s in seats):
            out.append(f"{a.zh}未兼任{b.zh}")
    for a, b in p.apart:
        if any(a in s.posts and b in s.posts for s in seats):
            out.append(f"{a.zh}与{b.zh}应分设")
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
            seats = [s for s in view.seats if s.township == tid]
            problems = shape_problems(p, seats, town.township_class)
            detail = f"{town.name}:" + (";".join(problems) if problems else "职数与兼任符合")
            out.append(self.instance(spec, tid, not problems, detail, township=tid))
        return out

    def max_penalty(self, spec: RuleSpec, view: View) -> int:
        return spec.weight * len(view.townships)
