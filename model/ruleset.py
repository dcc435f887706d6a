"""Rulesets: the team template per township class, and the rules in force."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, cached_property
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from model.enums import Post, Rank, Strength
from model.structured import decode, parse_yaml

PRESETS = "presets"
"""The folder of preset YAML files inside the `model` package (package data, so a wheel ships them)."""

BUNDLED_POSTS = (Post.deputy_secretary, Post.committee_member)
"""Posts held with a seat's own post (兼任): a seat is not known by them (`main_post`), and
holding them is not holding "the same post" of D1-R1 (model/rules/seated.py)."""

RESERVED_RULE_IDS = frozenset({"pin", "ban"})
"""Names the solver and referee give pins and bans in rule-instance keys (`pin@c1`)."""


class SeatTemplate(BaseModel):
    """A kind of seat: the bundle of posts one person holds (兼任).

    `count` > 1 makes identical seats (e.g. two deputy heads); they are expanded
    to `deputy_head#1`, `deputy_head#2` and are interchangeable.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z_]+$")
    label: str
    posts: tuple[Annotated[Post, BeforeValidator(Post.parse)], ...] = Field(min_length=1)
    rank: Annotated[Rank, BeforeValidator(Rank.parse)]
    principal: bool = False
    count: int = Field(default=1, ge=1, le=5)
    optional_posts: tuple[Annotated[Post, BeforeValidator(Post.parse)], ...] = ()
    """Posts a seat may also hold, decided with the slate (D1-S7: 1-2 deputy heads
    may be committee members). They count in team-shape post counts."""

    @cached_property
    def main_post(self) -> Post:
        """The post a seat is known by: its first post that is not a deputy
        secretaryship or committee membership held with it (head, not deputy
        secretary). A sitting cadre's `current_post` is their seat's main post.
        Cached (the model is frozen): a solve asks it over a thousand times."""
        return next((p for p in self.posts if p not in BUNDLED_POSTS), self.posts[0])


class Seat(BaseModel):
    """One concrete seat of one township's team."""

    model_config = ConfigDict(frozen=True)

    township: str
    id: str
    template: SeatTemplate

    @property
    def posts(self) -> tuple[Post, ...]:
        return self.template.posts

    @property
    def rank(self) -> Rank:
        return self.template.rank

    @property
    def principal(self) -> bool:
        return self.template.principal

    @cached_property
    def main_post(self) -> Post:
        return self.template.main_post

    @property
    def label(self) -> str:
        return self.template.label


def principal_posts(seats: Iterable[Seat]) -> frozenset[Post]:
    """The posts the principal seats (党政正职, `SeatTemplate.principal`) are known
    by: a sitting member whose current post is one of them held a principal seat."""
    return frozenset(s.main_post for s in seats if s.principal)


def seat_kind(seat: str) -> str:
    """The kind of a seat id: identical seats `deputy_head#1`, `deputy_head#2` (as
    `TeamTemplate.expand` names them) are one kind, `deputy_head`. Rule-instance keys
    that end in a seat id read the same way."""
    return seat.split("#")[0]


class TeamTemplate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    seats: tuple[SeatTemplate, ...] = Field(min_length=1)

    def expand(self, township: str) -> list[Seat]:
        out: list[Seat] = []
        for tpl in self.seats:
            for k in range(tpl.count):
                sid = tpl.id if tpl.count == 1 else f"{tpl.id}#{k + 1}"
                out.append(Seat(township=township, id=sid, template=tpl))
        return out

    def post_count(self, post: Post) -> int:
        return sum(t.count for t in self.seats if post in t.posts)


class LargeTownship(BaseModel):
    """A township counts as large (规模较大) when it meets every threshold given;
    it then has its own team template (D1-S1, D1-S7, D3-S2)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_residents: int | None = Field(default=None, ge=0)
    min_party_members: int | None = Field(default=None, ge=0)
    team: TeamTemplate
    note: str = ""

    def seat_kinds(self) -> frozenset[str]:
        return frozenset(s.id for s in self.team.seats)

    def describe(self) -> str:
        """The thresholds in words, for an error: '30000 residents or more'."""
        parts = [f"{n} {what} or more" for n, what in ((self.min_residents, "residents"),
                                                        (self.min_party_members, "party members"))
                 if n is not None]
        return " and ".join(parts) or "every township"

    def holds(self, residents: int, party_members: int) -> bool:
        return (self.min_residents is None or residents >= self.min_residents) and (
            self.min_party_members is None or party_members >= self.min_party_members
        )


class ScoreWeights(BaseModel):
    """Weights of the score terms that are not rules (see README, "The score").

    - merit: per seated cadre, evaluation grade points plus recommendation votes;
    - continuity: per seat that continues a sitting member's career in the same
      township: the same main post (连任) or a usual step (乡镇长 -> 党委书记,
      党委副书记 -> 乡镇长), `model/score.py`;
    - succession: on top of continuity, per seat that is the usual step up (接任:
      乡镇长 -> 党委书记, 党委副书记 -> 乡镇长), so the natural successor beats standing
      still while an outsider takes the post;
    - reserve: per seat given to a reserve cadre (后备干部);
    - left_out: the cost of a sitting member whom no rule removes and who has no
      seat in any team (`model/leavers.py`), so that every 退出 is a decision.
    A preset gives them in its `weights:` section, each with its reason; a
    scenario's `weights:` sets only the ones it names (the merge rule). The
    defaults here are for a ruleset without the section. Preferences that are
    rules (D1-E2, D1-R2, D3-C1, ...) carry their own weight in the ruleset.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    merit: int = Field(default=1, ge=0, le=10_000)
    continuity: int = Field(default=2, ge=0, le=10_000)
    succession: int = Field(default=1, ge=0, le=10_000)
    reserve: int = Field(default=3, ge=0, le=10_000)
    left_out: int = Field(default=6, ge=0, le=10_000)


class WeightSpec(BaseModel):
    """One score weight of a ruleset and the reason for its value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    weight: int = Field(ge=0, le=10_000)
    note: str = ""


class RuleSpec(BaseModel):
    """One rule in force: a directive id, the kind that encodes it, and its settings."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
    """A row of the documents: D1-C1, N-1, ... Letters and digits in dash-separated parts,
    because a rule-instance key joins the id to its place with `@`, `/` and `#`."""
    kind: str
    strength: Annotated[Strength, BeforeValidator(Strength.parse)]
    weight: int = Field(default=1, ge=0, le=1_000_000)
    params: dict[str, Any] = Field(default_factory=dict)
    note: str = ""

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_RULE_IDS:
            raise ValueError(f"'{value}' names pins and bans; a rule needs another id")
        return value


class Ruleset(BaseModel):
    """A preset: team templates by township class and the rules in force.

    `omitted` names catalog rows deliberately left out, each with its reason.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    documents: tuple[str, ...] = ()
    teams: dict[int, TeamTemplate]
    large: LargeTownship | None = None
    rules: tuple[RuleSpec, ...]
    representatives: tuple[RuleSpec, ...] = ()
    """Section P's rules (party-congress representatives, model/representatives.py): a problem of its
    own, so the slate's solver and referee never see them."""
    omitted: dict[str, str] = Field(default_factory=dict)
    weights: dict[str, WeightSpec] = Field(default_factory=dict)
    """The score weights by term (`ScoreWeights`' fields), each with its reason."""

    @field_validator("weights")
    @classmethod
    def _known_terms(cls, value: dict[str, WeightSpec]) -> dict[str, WeightSpec]:
        unknown = sorted(set(value) - set(ScoreWeights.model_fields))
        if unknown:
            raise ValueError(f"unknown score terms {unknown}; use some of {list(ScoreWeights.model_fields)}")
        return value

    @property
    def score_weights(self) -> ScoreWeights:
        """The weights this ruleset gives; a term it leaves out keeps `ScoreWeights`' default."""
        return ScoreWeights(**{term: w.weight for term, w in self.weights.items()})

    @model_validator(mode="after")
    def _every_class_has_a_team(self) -> Ruleset:
        missing = [c for c in (1, 2, 3) if c not in self.teams]
        if missing:
            raise ValueError(f"team template missing for township class {missing}")
        ids = [r.id for r in self.rules]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"rule ids appear twice: {dup}")
        return self

    def seat_kinds(self) -> frozenset[str]:
        """Every seat kind of every team template, the large-township one included."""
        teams = [*self.teams.values(), *([self.large.team] if self.large is not None else [])]
        return frozenset(s.id for team in teams for s in team.seats)

    def is_large(self, residents: int, party_members: int) -> bool:
        return self.large is not None and self.large.holds(residents, party_members)

    def team_for(self, township_class: int, residents: int, party_members: int) -> TeamTemplate:
        """The large-township template where it applies, else the class's template."""
        if self.large is not None and self.large.holds(residents, party_members):
            return self.large.team
        return self.teams[township_class]

    def rule(self, rule_id: str) -> RuleSpec | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def _preset_dir() -> Traversable:
    return resources.files("model").joinpath(PRESETS)


@cache
def _preset_ids() -> tuple[str, ...]:
    folder = _preset_dir()
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name.removesuffix(".yaml") for p in folder.iterdir()
                        if p.is_file() and p.name.endswith(".yaml")))


def preset_ids() -> list[str]:
    return list(_preset_ids())


@cache
def load_preset(ruleset_id: str) -> Ruleset:
    """A preset by id, parsed once per process (rulesets are immutable values)."""
    if ruleset_id not in _preset_ids():
        raise KeyError(ruleset_id)
    name = f"{ruleset_id}.yaml"
    data = _preset_dir().joinpath(name).read_bytes()
    return Ruleset.model_validate(parse_yaml(decode(data, name), name))
