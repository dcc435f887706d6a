"""What changes between two slates (a base and a what-if): seat by seat, score
by term, and rule instances that break or mend. Data; service/render/diff.py words it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from model.slate import RuleInstance, Slate


class SeatChange(BaseModel):
    """One seat whose holder differs: cadre ids before and after (None: empty)."""

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


def diff_slates(base: Slate, other: Slate) -> SlateDiff:
    """Seats whose holder differs (township, seat, before, after); deltas of the
    objective and of each score term; rule instances broken only in one."""
    a, b = base.by_seat(), other.by_seat()
    out = SlateDiff()
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            out.seats.append(SeatChange(township=key[0], seat=key[1], before=a.get(key), after=b.get(key)))
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
