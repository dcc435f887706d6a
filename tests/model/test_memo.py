"""Facts kept by the object they were found for (model/memo.py)."""

from __future__ import annotations

from model.memo import by_identity


def test_the_same_object_reuses_its_fact() -> None:
    """A second ask for the same object under the same key does not make the fact again."""
    store: dict = {}
    made: list[int] = []
    obj = object()
    assert by_identity(store, "k", obj, lambda: made.append(1) or 7) == 7
    assert by_identity(store, "k", obj, lambda: made.append(1) or 8) == 7
    assert made == [1]


def test_another_object_under_the_key_gets_its_own_fact() -> None:
    """A key now standing for another object (a reused id, a look-alike) makes the fact anew."""
    store: dict = {}
    by_identity(store, "k", object(), lambda: 1)
    other = object()
    assert by_identity(store, "k", other, lambda: 2) == 2
    assert store["k"] == (other, 2)
