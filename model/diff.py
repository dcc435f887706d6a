"""What changes between two slates (a base and a what-if): seat by seat, score
by term, and rule instances that break or mend."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from model.labels import TERM_ZH
from model.scenario import Scenario
from model.slate import Slate


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
    newly_broken: list[str] = Field(default_factory=list)
    mended: list[str] = Field(default_factory=list)


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
    out.newly_broken = [f"{r.rule} {r.detail}" for k, r in broken_b.items() if k not in broken_a]
    out.mended = [f"{r.rule} {r.detail}" for k, r in broken_a.items() if k not in broken_b]
    return out


def diff_text(sc_base: Scenario, sc_other: Scenario, d: SlateDiff) -> str:
    def who(sc: Scenario, cid: str | None) -> str:
        return f"{sc.cadre_by_id[cid].name}({cid})" if cid and cid in sc.cadre_by_id else "—"

    lines = [f"目标值变化 {d.objective:+d}"]
    lines += [f"  {TERM_ZH.get(k, k)} {v:+d}" for k, v in d.terms.items()]
    lines.append(f"职位变化 {len(d.seats)} 处:")
    town_seats = {(s.township, s.id): s for s in sc_other.seats}
    for ch in d.seats:
        seat = town_seats.get((ch.township, ch.seat))
        label = seat.label if seat else ch.seat
        town = sc_other.townships[ch.township].name if ch.township in sc_other.townships else ch.township
        lines.append(f"  {town} {label}:{who(sc_base, ch.before)} → {who(sc_other, ch.after)}")
    if d.newly_broken:
        lines.append("新增未满足的规则:")
        lines += [f"  - {x}" for x in d.newly_broken]
    if d.mended:
        lines.append("不再违反的规则:")
        lines += [f"  - {x}" for x in d.mended]
    return "\n".join(lines)
