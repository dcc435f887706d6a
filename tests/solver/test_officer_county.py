"""The hand-written county of tests/model/officer_county.py: its best slate is the one an officer
would sign, word for word, with the expectations written down before the first solve."""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from model.enums import Strength
from model.referee import judge
from model.slate import SolveResult
from solver import solve
from tests.model.officer_county import (
    EXPECTED_DEPUTY_HEADS,
    EXPECTED_HOLDERS,
    EXPECTED_LEAVERS,
    EXPECTED_OPEN_FILLERS,
    EXPECTED_SEAT_WORDS,
    EXPECTED_SITTING,
    OPEN_SEATS,
    officer_county,
)


@cache
def solved() -> SolveResult:
    res = solve(officer_county(), time_limit=30, workers=2, deterministic=True)
    assert res.status == "OPTIMAL", res.reasons
    return res


def template(seat: str) -> str:
    return seat.split("#")[0]


def test_the_county_has_the_sizes_of_the_story() -> None:
    """40 cadres, 23 sitting (7 + 7 + 9 seats: 青石镇 is a large town), every expectation covers them."""
    sc = officer_county()
    assert len(sc.cadres) == 40 and len(sc.seats) == 23
    assert {c.id for c in sc.cadres if c.is_sitting} == set(EXPECTED_SITTING)


def test_the_best_slate_gives_every_sitting_member_the_expected_word() -> None:
    """Each sitting member's word (连任, 改任, 交流, 提拔, or 退出) is the one written before solving."""
    slate = solved().slates[0]
    got = {a.cadre: a.change.zh for a in slate.assignments if a.change is not None}
    got.update({lv.cadre: "退出" for lv in slate.leavers})
    assert {c: got.get(c) for c in EXPECTED_SITTING} == EXPECTED_SITTING


def test_the_leavers_are_named_with_their_reasons() -> None:
    """The 退出名单 is b1 and c9 (到龄) and b5 (votes), each with that reason, none removed by choice."""
    slate = solved().slates[0]
    got = {lv.cadre: {r.code for r in lv.reasons} for lv in slate.leavers}
    assert got == EXPECTED_LEAVERS
    assert all(lv.removed for lv in slate.leavers)


def test_each_seat_has_the_expected_holder_and_word() -> None:
    """The certain holders sit where expected, the deputy heads keep their posts, and every seat's
    word matches; the open seats go to a1 (交流, outside t1) and the county's three reserve cadres."""
    slate = solved().slates[0]
    holder = slate.by_seat()
    assert {k: holder.get(k) for k in EXPECTED_HOLDERS} == EXPECTED_HOLDERS
    words: dict[tuple[str, str], list[str]] = defaultdict(list)
    heads: dict[str, set[str]] = defaultdict(set)
    open_fill: dict[str, str] = {}
    for a in slate.assignments:
        key = (a.township, template(a.seat))
        assert a.change is not None
        if key in OPEN_SEATS:
            open_fill[a.cadre] = a.change.zh
            if key[0] == "t1":
                words[key].append(a.change.zh)
            continue
        words[key].append(a.change.zh)
        if key[1] == "deputy_head":
            heads[a.township].add(a.cadre)
    assert {k: sorted(v) for k, v in words.items()} == EXPECTED_SEAT_WORDS
    assert dict(heads) == EXPECTED_DEPUTY_HEADS
    assert open_fill == EXPECTED_OPEN_FILLERS
    assert holder[("t1", "armed_forces_head")] != "a1"


def test_the_right_slate_breaks_no_must_or_generally_rule() -> None:
    """The best slate breaks no binding rule; its only costs are the county's D1-K3 and D1-K4, which no
    pool of this county can meet without a promotion N-3 forbids."""
    best = solved().slates[0]
    assert not best.broken(Strength.must) and not best.broken(Strength.generally)
    assert {r.rule for r in best.broken()} <= {"D1-K3", "D1-K4"}


def test_the_officers_step_scores_above_the_outsider_promoted_head() -> None:
    """Judged by the referee, the officer's t2 (b3 head, a1 交流 to the 副书记 seat) beats the same slate
    with a1 promoted head and b3 kept 副书记: the natural successor is not a tie-break."""
    sc = officer_county()
    best = solve(sc, time_limit=30, workers=2, deterministic=True).slates[0]
    officer = [a.model_copy(update={"change": None}) for a in best.assignments]  # with its optional posts
    assert {(a.township, a.seat): a.cadre for a in officer}[("t2", "head")] == "b3"
    swap = {("t2", "head"): "a1", ("t2", "deputy_secretary"): "b3"}
    other = [a.model_copy(update={"cadre": swap.get((a.township, a.seat), a.cadre)}) for a in officer]
    mine, _ = judge(sc, officer)
    theirs, _ = judge(sc, other)
    assert mine.score is not None and theirs.score is not None
    assert not mine.broken(Strength.must) and not mine.broken(Strength.generally)
    assert mine.score.objective > theirs.score.objective


def test_outside_the_tie_every_sitting_member_has_the_expected_word() -> None:
    """Beside a1 and b3 (the tie above), each sitting member's word is the officer's, and a1 leaves
    t1's team for a seat elsewhere (N-7) rather than the 退出名单."""
    slate = solved().slates[0]
    got = {a.cadre: a.change.zh for a in slate.assignments if a.change is not None}
    got.update({lv.cadre: "退出" for lv in slate.leavers})
    tied = {"a1", "b3"}
    assert {c: got.get(c) for c in EXPECTED_SITTING if c not in tied} == {
        c: w for c, w in EXPECTED_SITTING.items() if c not in tied}
    where = {a.cadre: a.township for a in slate.assignments}
    assert where.get("a1") not in (None, "t1") and "b3" in where
