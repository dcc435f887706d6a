"""The diff of two slates compares identical seats (deputy_head#1, #2) as a set."""

from __future__ import annotations

from model.diff import SeatChange, diff_slates
from model.slate import Assignment, Slate


def slate(*held: tuple[str, str, str]) -> Slate:
    return Slate(assignments=tuple(Assignment(township=t, seat=s, cadre=c) for t, s, c in held))


BASE = slate(("t1", "secretary", "a"), ("t1", "deputy_head#1", "b"), ("t1", "deputy_head#2", "c"),
             ("t2", "deputy_head#1", "d"), ("t2", "deputy_head#2", "e"))


def test_two_deputies_trading_seats_is_no_change() -> None:
    """Two 副镇长 of one township trading deputy_head#1 and #2 is no change (it was two)."""
    swapped = slate(("t1", "secretary", "a"), ("t1", "deputy_head#1", "c"), ("t1", "deputy_head#2", "b"),
                    ("t2", "deputy_head#1", "d"), ("t2", "deputy_head#2", "e"))
    assert diff_slates(BASE, swapped).seats == []


def test_a_new_deputy_is_one_change_naming_the_seat_kind() -> None:
    """A deputy replaced while the other changes seat: one change, on the kind `deputy_head`."""
    other = slate(("t1", "secretary", "a"), ("t1", "deputy_head#1", "c"), ("t1", "deputy_head#2", "x"),
                  ("t2", "deputy_head#1", "d"), ("t2", "deputy_head#2", "e"))
    assert diff_slates(BASE, other).seats == [SeatChange(township="t1", seat="deputy_head", before="b",
                                                         after="x")]


def test_deputies_trading_townships_are_changes_in_both() -> None:
    """A deputy moving to the other township's identical seats is a change in each township."""
    other = slate(("t1", "secretary", "a"), ("t1", "deputy_head#1", "d"), ("t1", "deputy_head#2", "c"),
                  ("t2", "deputy_head#1", "b"), ("t2", "deputy_head#2", "e"))
    assert diff_slates(BASE, other).seats == [
        SeatChange(township="t1", seat="deputy_head", before="b", after="d"),
        SeatChange(township="t2", seat="deputy_head", before="d", after="b"),
    ]


def test_unequal_seat_counts_pair_the_rest_with_none() -> None:
    """A kind with a seat more on one side (another team template) shows it as emptied or filled."""
    fewer = slate(("t1", "secretary", "a"), ("t1", "deputy_head", "c"),
                  ("t2", "deputy_head#1", "d"), ("t2", "deputy_head#2", "e"))
    assert diff_slates(BASE, fewer).seats == [SeatChange(township="t1", seat="deputy_head", before="b",
                                                         after=None)]
    assert diff_slates(fewer, BASE).seats == [SeatChange(township="t1", seat="deputy_head", before=None,
                                                         after="b")]
