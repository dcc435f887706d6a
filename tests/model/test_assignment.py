"""The county-wide assignment of model/assignment.py against a brute force on tiny counties, the
restriction to each group's best D options (exact and tight), and its tie order."""

from __future__ import annotations

import itertools
import random

import pytest

from model.assignment import assign, kept

Options = dict[str, list[tuple[str, tuple[int, ...]]]]


def brute(demand: dict[str, int], options: Options) -> dict[str, list[str]]:
    """Every way to give each group at most its demand of its options, no name twice; the best by
    (most places, least componentwise key sum, then the pairs sorted by (name, groups last to first),
    compared from the last, lowest first), as model/assignment.py defines it, written out independently."""
    groups = list(demand)
    order = {g: i for i, g in enumerate(groups)}
    choices = [[c for k in range(demand[g] + 1) for c in itertools.combinations(options[g], k)]
               for g in groups]
    best, best_value = None, None
    for pick in itertools.product(*choices):
        names = [n for part in pick for n, _ in part]
        if len(names) != len(set(names)):
            continue
        keys = [k for part in pick for _, k in part]
        width = len(keys[0]) if keys else 0
        total = tuple(sum(k[i] for k in keys) for i in range(width))
        ties = sorted(((n, -order[g]) for g, part in zip(groups, pick, strict=True) for n, _ in part),
                      reverse=True)
        value = (-len(names), total, ties)
        if best_value is None or value < best_value:
            best, best_value = pick, value
    assert best is not None
    key_of = {g: dict(options[g]) for g in groups}
    return {g: sorted((n for n, _ in part), key=lambda n, g=g: (key_of[g][n], n))
            for g, part in zip(groups, best, strict=True)}


def county(seed: int, groups: tuple[int, int], names: tuple[int, int], asks: tuple[int, int],
           eligible: float, points: int) -> tuple[dict[str, int], Options]:
    """A random county: groups and names in the ranges given, each group asking `asks` names,
    each name eligible in a group with chance `eligible`, keys (0 or 1 rule broken, -points) with
    many ties."""
    rng = random.Random(seed)
    gs = [f"t{i}" for i in range(rng.randint(*groups))]
    ns = [f"c{i:02d}" for i in range(rng.randint(*names))]
    demand = {g: rng.randint(*asks) for g in gs}
    options = {g: [(n, (rng.randint(0, 1), -rng.randint(0, points))) for n in ns if rng.random() < eligible]
               for g in gs}
    return demand, options


@pytest.mark.parametrize("seed", range(300))
def test_assignment_agrees_with_brute_force(seed: int) -> None:
    """On 300 tiny random counties (2-3 groups asking 0-2, 2-6 names) the flow gives the brute
    force's assignment, pair for pair."""
    demand, options = county(seed, (2, 3), (2, 6), (0, 2), 0.7, 3)
    assert assign(demand, options) == brute(demand, options)


@pytest.mark.parametrize("seed", range(200))
def test_restriction_changes_nothing(seed: int) -> None:
    """Cutting each group to its best D options gives the same answer as keeping them all (larger
    random counties, where the cut drops options)."""
    demand, options = county(seed, (2, 5), (5, 40), (1, 3), 0.8, 6)
    assert assign(demand, options) == assign(demand, options, restrict=False)


def test_the_restriction_is_tight() -> None:
    """Group a asks 1; b and c ask 1 each and can take only a's two best: a's answer is its third
    best, the D-th (D = 3), which a cut to D - 1 options would lose."""
    demand = {"a": 1, "b": 1, "c": 1}
    options = {"a": [("x", (0,)), ("y", (1,)), ("z", (2,)), ("w", (3,))],
               "b": [("x", (0,))], "c": [("y", (0,))]}
    assert [n for n, _ in kept(demand, options)["a"]] == ["x", "y", "z"]
    assert assign(demand, options) == {"a": ["z"], "b": ["x"], "c": ["y"]}


def test_one_strong_name_goes_to_one_group() -> None:
    """The best name of every group goes to one group only; the others get their next best. Every
    such answer has the same total, so the tie order decides: the name with the highest id, t3-b, is
    the one left out."""
    demand = {"t1": 1, "t2": 1, "t3": 1}
    options = {g: [("star", (0, -10)), (f"{g}-b", (0, -5)), ("common", (0, -4))] for g in demand}
    got = assign(demand, options)
    assert sorted(n for ns in got.values() for n in ns) == ["star", "t1-b", "t2-b"]
    assert got == {"t1": ["t1-b"], "t2": ["t2-b"], "t3": ["star"]}


def test_fewer_broken_rules_before_points() -> None:
    """A name breaking a generally rule ranks below every one breaking none, whatever the points."""
    options = {"t": [("a", (1, -100)), ("b", (0, -1))]}
    assert assign({"t": 1}, options) == {"t": ["b"]}


def test_ties_go_to_the_lower_id_and_the_earlier_group() -> None:
    """Equal keys: the lower id is taken; of two names equally good in two groups, the lower id goes
    to the earlier group."""
    assert assign({"t": 1}, {"t": [("b", (0,)), ("a", (0,))]}) == {"t": ["a"]}
    got = assign({"t1": 1, "t2": 1}, {"t1": [("a", (0,)), ("b", (0,))], "t2": [("a", (0,)), ("b", (0,))]})
    assert got == {"t1": ["a"], "t2": ["b"]}


def test_short_groups_fill_the_most_places() -> None:
    """Two groups, one name each could take: the count comes first, then the keys."""
    options = {"t1": [("a", (5,)), ("b", (0,))], "t2": [("b", (9,))]}
    assert assign({"t1": 1, "t2": 1}, options) == {"t1": ["a"], "t2": ["b"]}
    assert assign({"t1": 2, "t2": 0}, {"t1": [("a", (1,))]}) == {"t1": ["a"], "t2": []}
