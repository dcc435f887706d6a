"""The rule framework on the domain side: kinds, their parameters and their checks.

A rule kind is a family of rules with one shape (e.g. "at least N team members
who ..."). Each kind here holds its parameters (validated with pydantic) and its check
in plain Python, which states its findings as data (model/reasons.py; the
sentences are written in service/render/); the matching CP-SAT encoding
lives in `solver/encoders.py` under the same kind name (the two registries are
checked against each other when the solver is imported). The referee runs these
checks; it shares no code with the encoding beyond the definitions both read:
the seat filter (`SeatFilter`), the places of a count rule (`CountKind.places`),
who sits (`Cadre.is_sitting`) and which seats are principal (the templates).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from model.enums import Exemption, Gender, Origin, Post, Strength
from model.memo import by_identity
from model.people import Cadre, Township
from model.reasons import Reason
from model.ruleset import RuleSpec, Seat, principal_posts
from model.slate import RuleInstance

PostList = tuple[Annotated[Post, BeforeValidator(Post.parse)], ...]


class Params(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CadreException(Params):
    """A per-cadre decision of the organization (破格, 降任, 越级, 因工作需要), written in the
    scenario with its reason: it lifts, for that cadre only, the rules whose `lifted_by`
    names its kind. A lifted instance holds and says so, never a silent break."""

    kind: Annotated[Exemption, BeforeValidator(Exemption.parse)]
    reason: str = Field(min_length=1)

    @field_validator("reason")
    @classmethod
    def _stated(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("give the organization's reason for the exception")
        return value.strip()


class Liftable(Params):
    """Which per-cadre exceptions lift the rule (N-1: demotion, ...); none by default."""

    lifted_by: tuple[Annotated[Exemption, BeforeValidator(Exemption.parse)], ...] = ()


class SeatFilter(Params):
    """Which seats a rule looks at: the principal seats (党政正职) when `principal`
    is set, and the seats holding any of `posts`; every seat when neither is
    given. The one definition for seated, count and expertise rules alike
    (service/render/ words it)."""

    posts: PostList = ()
    principal: bool = False

    def applies(self, seat: Seat) -> bool:
        if not (self.principal or self.posts):
            return True
        return (self.principal and seat.principal) or any(p in seat.posts for p in self.posts)

    def held(self, post: Post, principal: frozenset[Post]) -> bool:
        """Whether a sitting member's current post was one of these seats, given
        the posts principal seats are known by (`View.principal_posts`)."""
        if not (self.principal or self.posts):
            return True
        return (self.principal and post in principal) or post in self.posts

    def facts(self) -> dict[str, Any]:
        """The filter as reason args: `posts` (post values) and `principal`."""
        return {"posts": [p.value for p in self.posts], "principal": self.principal}


class Who(Params):
    """Which cadres a count rule counts. Bounds include the number (以下/以上)."""

    max_age: int | None = Field(default=None, ge=16, le=80)
    min_age: int | None = Field(default=None, ge=16, le=80)
    gender: Annotated[Gender | None, BeforeValidator(Gender.parse)] = None
    min_township_years: int | None = Field(default=None, ge=0, le=60)
    minority: bool | None = None
    origins: tuple[Annotated[Origin, BeforeValidator(Origin.parse)], ...] | None = None
    local: bool | None = None
    """True: works in the seat's township now (本地干部); False: comes from elsewhere (交流)."""

    def matches(self, cadre: Cadre, on: date, township: str | None = None) -> bool:
        age = cadre.age(on)
        return (
            (self.local is None or (cadre.current_township == township) == self.local)
            and
            (self.max_age is None or age <= self.max_age)
            and (self.min_age is None or age >= self.min_age)
            and (self.gender is None or cadre.gender == self.gender)
            and (self.min_township_years is None or cadre.township_years >= self.min_township_years)
            and (self.minority is None or cadre.is_minority == self.minority)
            and (self.origins is None or cadre.origin in self.origins)
        )

    def facts(self) -> dict[str, Any]:
        """The filter as a reason arg: its dict, unset bounds left out."""
        return self.model_dump(mode="json", exclude_none=True)


def frac(x: float) -> Fraction:
    """A share as an exact fraction (to 1/1000), so both sides compare integers: the count rules',
    the representatives' seat formula and quotas (model/congress.py, model/representatives.py)."""
    return Fraction(x).limit_denominator(1000)


class CountTarget(Params):
    """At least `min_count` members, at least `min_share` of them (a fraction), or
    more than sat in the same seats before the reshuffle (`more_than_sitting`)."""

    who: Who
    min_count: int | None = Field(default=None, ge=0, le=1000)
    min_share: float | None = Field(default=None, ge=0.0, le=1.0)
    more_than_sitting: bool = False

    @model_validator(mode="after")
    def _one_target(self) -> CountTarget:
        given = (self.min_count is not None) + (self.min_share is not None) + self.more_than_sitting
        if given != 1:
            raise ValueError("give exactly one of min_count, min_share and more_than_sitting")
        return self

    @property
    def share(self) -> Fraction:
        """The share as an exact fraction, so both sides compare integers."""
        return frac(self.min_share or 0)

    def needed(self, total: int, sitting: int = 0) -> int:
        """How many of `total` members must match: min_count, ceil(share * total),
        or one more than the `sitting` members who matched before."""
        if self.min_count is not None:
            return self.min_count
        if self.more_than_sitting:
            return sitting + 1
        s = self.share
        return -((-s.numerator * total) // s.denominator)


@dataclass(frozen=True)
class View:
    """What a check sees: the scenario's facts and the slate as seat -> cadre."""

    on: date
    townships: Mapping[str, Township]
    seats: list[Seat]
    cadres: Mapping[str, Cadre]
    seated: Mapping[tuple[str, str], Cadre]
    renomination_overrides: Mapping[str, str]
    extras: Mapping[tuple[str, str], tuple[Post, ...]] = field(default_factory=dict)
    large: Mapping[str, bool] = field(default_factory=dict)
    exceptions: Mapping[str, CadreException] = field(default_factory=dict)
    """Cadre id -> the scenario's exception for them (N rules)."""
    rules: tuple[RuleSpec, ...] = ()
    """The rules in force, for a rule that asks what the others allow (N-4)."""
    removed: frozenset[str] = frozenset()
    pins: tuple[Any, ...] = ()
    bans: tuple[Any, ...] = ()
    """The scenario's removals, pins and bans (model/scenario.py's Pin and Ban)."""
    memo: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)
    """Facts that do not depend on the slate (`seated`, `extras`), kept once per scenario: the
    referee judges every slate of a solve on views of one scenario (model/referee.py `make_view`
    hands them its scenario's store), so each rule's places and seats are found once."""

    def fact(self, key: Hashable, fn: Callable[[], Any]) -> Any:
        """fn(), computed once per store: a fact of the scenario, never of the slate."""
        if key not in self.memo:
            self.memo[key] = fn()
        return self.memo[key]

    def of_rule(self, spec: RuleSpec, name: str, fn: Callable[[], Any]) -> Any:
        """`fact` of one rule: keyed by the spec object itself (kept with the fact, so a spec made
        for one call never finds the fact of another with the same id)."""
        return by_identity(self.memo, (name, id(spec)), spec, fn)

    @property
    def seats_by_township(self) -> dict[str, list[Seat]]:
        """Township id -> its seats in scenario order, one pass over the seats."""
        def group() -> dict[str, list[Seat]]:
            out: dict[str, list[Seat]] = {}
            for s in self.seats:
                out.setdefault(s.township, []).append(s)
            return out
        return self.fact("seats_by_township", group)

    def seat_known_by(self, township: str | None, post: Post | None) -> Seat | None:
        """The first seat of the township's team whose main post is `post` (the seat a sitting
        member holds now)."""
        def index() -> dict[tuple[str, Post], Seat]:
            out: dict[tuple[str, Post], Seat] = {}
            for s in self.seats:
                out.setdefault((s.township, s.main_post), s)
            return out
        if township is None or post is None:
            return None
        return self.fact("seat_known_by", index).get((township, post))

    def lifting(self, cadre: str, p: Any) -> CadreException | None:
        """The cadre's exception if it lifts a rule of these params (`Liftable.lifted_by`)."""
        ex = self.exceptions.get(cadre)
        return ex if ex is not None and ex.kind in getattr(p, "lifted_by", ()) else None

    def team(self, township: str) -> list[tuple[Seat, Cadre]]:
        seated = self.seated
        return [
            (s, seated[(s.township, s.id)])
            for s in self.seats_by_township.get(township, ())
            if (s.township, s.id) in seated
        ]

    def team_size(self, township: str) -> int:
        return len(self.seats_by_township.get(township, ()))

    @cached_property
    def principal_posts(self) -> frozenset[Post]:
        """Read from the seat templates (`SeatTemplate.principal`), never listed by hand."""
        return principal_posts(self.seats)


class RuleKind:
    """A family of rules. Subclasses set `kind`, `params` and implement `check`."""

    kind: ClassVar[str]
    params: ClassVar[type[Params]]
    scope: ClassVar[str]

    def parse(self, spec: RuleSpec) -> Any:
        """The spec's params, validated once per spec object (`PARSED`): a spec is frozen, and
        parsing was most of a check's time."""
        if len(PARSED) >= PARSED_KEPT:
            PARSED.clear()
        return by_identity(PARSED, (id(spec), self.kind), spec,
                           lambda: self.params.model_validate(spec.params))

    def params_schema(self, spec: RuleSpec) -> dict[str, Any]:
        """The JSON schema of the parameters as `spec` writes them: what an override of its
        `params` is merged onto key by key (model/overrides.py), so a form built from it yields
        an override that merges. Most kinds write their Params class as it is."""
        return self.params.model_json_schema()

    def params_values(self, spec: RuleSpec) -> dict[str, Any]:
        """The parameters in force, every field filled (defaults included), in the shape of
        `params_schema`."""
        return self.parse(spec).model_dump(mode="json")

    def check(self, spec: RuleSpec, view: View) -> list[RuleInstance]:
        raise NotImplementedError

    def max_penalty(self, spec: RuleSpec, view: View) -> int:
        """An upper bound on the penalty this rule can cost (for `prefer` rules)."""
        raise NotImplementedError

    def instance(
        self,
        spec: RuleSpec,
        where: str,
        holds: bool,
        why: Reason,
        amount: int = 1,
        **at: Any,
    ) -> RuleInstance:
        """One checked place; a broken `prefer` rule costs weight * amount. `why`
        is the fact as data; `at` names the place (township, seat, cadre) and
        gives the numbers (have, need, short, total; value, limit)."""
        penalty = spec.weight * amount if (not holds and spec.strength == Strength.prefer) else 0
        return RuleInstance(
            key=f"{spec.id}@{where}",
            rule=spec.id,
            strength=spec.strength,
            holds=holds,
            penalty=penalty,
            reason=why,
            **at,
        )


PARSED: dict[Hashable, tuple[Any, Any]] = {}
"""(id(spec), kind) -> (spec, its params). The spec is kept, so its id is not reused while cached."""
PARSED_KEPT = 4096
"""Specs cached before the cache starts again: far more than the rules of any scenario's what-ifs."""

REGISTRY: dict[str, RuleKind] = {}


def register(cls: type[RuleKind]) -> type[RuleKind]:
    """Register a kind under its name; a name taken twice is a programming error."""
    if cls.kind in REGISTRY:
        raise TypeError(f"rule kind '{cls.kind}' registered twice")
    REGISTRY[cls.kind] = cls()
    return cls


def kind_of(spec: RuleSpec) -> RuleKind:
    return REGISTRY[spec.kind]
