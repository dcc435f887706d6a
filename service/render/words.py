"""Reason codes -> Chinese sentences. Each code is worded once, by a function
registered under it; `say` looks it up. A code nobody registered is a bug and
fails loudly, so a new reason cannot reach staff as a bare code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from model.enums import Post
from model.people import Township
from model.reasons import Reason
from model.ruleset import seat_kind
from model.scenario import Scenario
from service.render.titles import post_title, seat_title

Wording = Callable[[dict, "Names"], str]
WORDINGS: dict[str, Wording] = {}


def words(code: str) -> Callable[[Wording], Wording]:
    """Register the wording of one reason code."""

    def deco(fn: Wording) -> Wording:
        if code in WORDINGS:
            raise ValueError(f"reason code {code!r} is worded twice")
        WORDINGS[code] = fn
        return fn

    return deco


def fixed(code: str, text: str) -> Wording:
    """Register a code whose sentence has no numbers."""
    return words(code)(lambda _args, _names: text)


@dataclass(frozen=True)
class Names:
    """What a sentence needs besides the reason: the names behind the ids."""

    cadres: dict[str, str] = field(default_factory=dict)
    townships: dict[str, str] = field(default_factory=dict)
    seats: dict[tuple[str, str], str] = field(default_factory=dict)
    """(township, seat id or seat kind) -> the seat's title in that township."""
    places: dict[str, Township] = field(default_factory=dict)
    """Township id -> the township, to title posts in it (镇长 in a 镇, 副乡长 in a 乡)."""
    here: str | None = None
    """The township a sentence is about (`at`), for findings whose reason names a post but no township."""

    @classmethod
    def of(cls, sc: Scenario) -> Names:
        """Seats titled from their township and posts (`seat_title`), not from the preset's label,
        so every sentence names a seat as the report's tables do (乡长 in a 乡, 人大主席)."""
        seats: dict[tuple[str, str], str] = {}
        for s in sc.seats:
            title = seat_title(s, sc.townships[s.township])
            seats[(s.township, s.id)] = title
            seats.setdefault((s.township, s.template.id), title)
        return cls(cadres={c.id: c.name for c in sc.cadres},
                   townships={t.id: t.name for t in sc.county.townships}, seats=seats,
                   places=dict(sc.townships))

    def at(self, township: str | None) -> Names:
        """These names for a sentence about one township, so its posts are titled there."""
        return replace(self, here=township) if township is not None else self

    def cadre(self, cid: str) -> str:
        return self.cadres.get(cid, cid)

    def township(self, tid: str) -> str:
        return self.townships.get(tid, tid)

    def post(self, post: str | Post, township: str | None = None) -> str:
        """A post's title in `township` (or `here`): 镇长, 副乡长; the generic 乡镇长 where none is known."""
        p = Post(post)
        place = self.places.get(township or self.here or "")
        return post_title(p, place) if place is not None else p.zh

    def seat(self, township: str, seat: str) -> str:
        return self.seats.get((township, seat), self.seats.get((township, seat_kind(seat)), seat))


WORDED_IN = ("career", "elections", "infeasible", "leavers", "limits", "report", "representatives", "rules",
             "verbs")
"""The renderer modules that word reason codes: each registers its codes when imported."""


def wordings() -> dict[str, Wording]:
    """Every wording, whichever renderers the caller happened to import."""
    from importlib import import_module

    for m in WORDED_IN:
        import_module(f"service.render.{m}")
    return WORDINGS


def say(r: Reason, names: Names) -> str:
    """The reason in Chinese."""
    wording = WORDINGS.get(r.code) or wordings().get(r.code)
    if wording is None:
        raise KeyError(f"no wording for reason code {r.code!r}; register one in service/render/")
    return wording(r.args, names)
