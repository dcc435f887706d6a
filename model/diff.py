"""What changes between two slates (a base and a what-if): seat by seat, score
by term, and rule instances that break or mend. Data; service/render/diff.py words it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from model.ruleset import seat_kind
from model.slate import RuleInstance, Slate


class SeatChange(BaseModel):
    """One seat whose holder differs: cadre ids before and after (None: empty).
    `seat` is the seat kind (`deputy_head`, not `deputy_head#2`): identical seats
    are compared as a set, so the record names the kind, not one of its seats."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    township: str
    seat: str
    before: str | None
    after: str | None


class SlateDiff(BaseModel):
    """Seat changes, the objective's change and each score term's, and the rule
    instances broken only in the other slate (`newly_broken`) or only in the base
    (`mended`)."""

    model_config = ConfigDict(extra="forbid")

    seats: list[SeatChange] = Field(default_factory=list)
    objective: int = 0
    terms: dict[str, int] = Field(default_factory=dict)
    newly_broken: list[RuleInstance] = Field(default_factory=list)
    mended: list[RuleInstance] = Field(default_factory=list)


def holders(slate: Slate) -> dict[tuple[str, str], list[str]]:
    """Per (township, seat kind), the cadres holding its seats, in seat order."""
    out: dict[tuple[str, str], list[str]] = {}
    for a in sorted(slate.assignments, key=lambda a: (a.township, a.seat)):
        out.setdefault((a.township, seat_kind(a.seat)), []).append(a.cadre)
    return out


def seat_changes(base: Slate, other: Slate) -> list[SeatChange]:
    """Per seat kind, the cadres who leave it against those who come in: two
    副镇长 trading deputy_head#1 and #2 is no change. The k-th leaver (in seat
    order) is paired with the k-th newcomer; a kind with more seats on one side
    (a township whose team template differs) pairs the rest with None."""
    a, b = holders(base), holders(other)
    out: list[SeatChange] = []
    for key in sorted(set(a) | set(b)):
        before, after = a.get(key, []), b.get(key, [])
        gone = [c for c in before if c not in after]
        came = [c for c in after if c not in before]
        for k in range(max(len(gone), len(came))):
            out.append(SeatChange(township=key[0], seat=key[1], before=gone[k] if k < len(gone) else None,
                                  after=came[k] if k < len(came) else None))
    return out


def diff_slates(base: Slate, other: Slate) -> SlateDiff:
    """Seats whose holder differs (township, seat kind, before, after; identical
    seats compared as a set); deltas of the objective and of each score term;
    rule instances broken only in one."""
    out = SlateDiff(seats=seat_changes(base, other))
    if base.score and other.score:
        out.objective = other.score.objective - base.score.objective
        ta, tb = base.score.by_term(), other.score.by_term()
        out.terms = {k: tb.get(k, 0) - ta.get(k, 0) for k in sorted(set(ta) | set(tb))
                     if tb.get(k, 0) != ta.get(k, 0)}
    broken_a = {r.key: r for r in base.broken()}
    broken_b = {r.key: r for r in other.broken()}
    out.newly_broken = [r for k, r in broken_b.items() if k not in broken_a]
    out.mended = [r for k, r in broken_a.items() if k not in broken_b]
    return out
