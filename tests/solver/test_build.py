"""The model build: its steps in order, the names the search reads, and an
objective in which a term of weight 0 adds nothing."""

from __future__ import annotations

import numpy as np
import pytest

from model.enums import Strength
from model.generator import generate_county
from model.rules import kind_of
from model.ruleset import ScoreWeights
from model.slate import Assignment
from solver.build import Builder
from solver.constraints import CONSTRAINTS
from solver.linear import lin_sum
from solver.objective import pair_points

SEARCH_READS = ("model", "groups", "cands", "pool", "n_pairs", "n_seats", "pair_group", "pair_cadre",
                "allowed", "reasons", "assumptions", "slack", "recorded", "objective", "optional", "big_m",
                "excluded", "pairs_of", "pair_vars", "describe_key", "count_groups", "sc",
                "drop_forbidden_pairs", "build")
"""What solver/search.py, explain.py, forced.py and the benchmarks use of a Builder."""

SC = generate_county(3, 90, 1, ruleset="qiong-2011")


def test_builder_keeps_the_names_the_search_reads() -> None:
    """A built model answers every name the search, the explanations and the benchmarks read."""
    b = Builder(SC).build()
    assert all(hasattr(b, name) for name in SEARCH_READS)
    assert b.n_pairs == len(b.pair_cadre) == len(b.pair_group) == sum(len(c) for c in b.cands)
    assert [f.__name__ for f in CONSTRAINTS] == ["fill_every_seat", "sit_once", "pin", "rules"]


def test_pairs_of_and_pair_vars_find_the_columns() -> None:
    """Each group's pair columns hold its candidates; an assignment maps to its pair's column."""
    b = Builder(SC).build()
    for g in b.groups:
        cols = b.pairs_of(g.index)
        assert (b.pair_group[cols] == g.index).all() and (b.pair_cadre[cols] == b.cands[g.index]).all()
    g = b.groups[0]
    c = int(b.cands[0][0])
    a = Assignment(township=g.seat.township, seat=g.seat.id, cadre=b.pool.ids[c])
    assert [v.col for v in b.pair_vars([a])] == [int(b.pairs_of(0)[0])]


def test_drop_forbidden_pairs_alone() -> None:
    """The eligibility step runs without a build (why-not and recommend read `allowed` only)."""
    b = Builder(SC)
    b.drop_forbidden_pairs()
    assert 0 < b.allowed.sum() < b.allowed.size and b.n_pairs == 0


def test_zero_weight_terms_add_nothing() -> None:
    """With every score weight and prefer weight at 0, the objective holds only generally violations."""
    rules = {r.id: {"weight": 0} for r in SC.ruleset_in_force.rules if r.strength == Strength.prefer}
    zero = ScoreWeights(merit=0, continuity=0, succession=0, reserve=0, left_out=0)
    sc = SC.with_changes(weights=zero, rules=rules)
    b = Builder(sc).build()
    assert not pair_points(b).any()
    generally = lin_sum([-b.big_m * r.amount for r in b.recorded if r.spec.strength == Strength.generally])
    expected = generally.merged()
    assert b.objective.idx.tolist() == expected.idx.tolist()
    assert b.objective.coef.tolist() == expected.coef.tolist()
    assert b.objective.const == expected.const
    assert any(r.spec.strength == Strength.prefer for r in b.recorded)  # recorded, at no cost


def test_zero_weight_leaves_the_other_terms_alone() -> None:
    """A weight set to 0 takes its term out and leaves the others' points as they were."""
    full, no_merit = Builder(SC).build(), Builder(SC.with_changes(weights=ScoreWeights(merit=0))).build()
    w = SC.weights_in_force
    assert (pair_points(full) - pair_points(no_merit) == w.merit * full.pool.merit[full.pair_cadre]).all()


def test_counts_over_many_groups_equal_the_sum_of_group_sums() -> None:
    """`count_who` and `sum_over` (a slice per run of groups) give the columns of the sums group by group."""
    b = Builder(SC).build()
    spec = next(s for s in SC.ruleset_in_force.rules if s.kind in ("team_min_count", "county_min_count"))
    for place in b.places(spec, kind_of(spec).parse(spec)):
        groups = b.groups_of(place.seats)
        for target in place.filter.parts.values():
            got = b.count_who(groups, target.who)
            want = lin_sum(b.group_sum(g, b.pool.who(target.who, b.groups[g].township)) for g in groups)
            assert got.idx.tolist() == want.idx.tolist()
    every = list(range(len(b.groups)))
    for g0 in (every, every[::2], every[3:7]):
        mask = b.pool.female
        assert b.sum_over(g0, mask).idx.tolist() == lin_sum(b.group_sum(g, mask) for g in g0).idx.tolist()


def test_reading_in_slices_and_blocks_changes_no_sum_nor_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """A county-wide sum read a few pairs at a time, and the cadre index made a few cadres at a
    time, equal the sum of group sums and a stable sort of the pairs' cadres."""
    from solver import variables

    monkeypatch.setattr(variables, "SLICE", 7)
    monkeypatch.setattr(variables, "CADRES_AT_ONCE", 5)
    b = Builder(SC).build()
    every = list(range(len(b.groups)))
    mask = b.pool.female
    assert b.sum_over(every, mask).idx.tolist() == lin_sum(b.group_sum(g, mask) for g in every).idx.tolist()
    order, ptr = b.vars.by_cadre
    assert order.tolist() == np.argsort(b.pair_cadre, kind="stable").tolist()
    assert ptr.tolist() == [0, *np.cumsum(np.bincount(b.pair_cadre, minlength=b.pool.size)).tolist()]


def test_seated_masks_shared_by_alike_groups_equal_each_groups_own() -> None:
    """Groups alike in what a seated rule reads share one mask, equal to the mask made for each group."""
    from solver.encoders import SEATED, lifted, seated_fail_masks

    b = Builder(SC).build()
    for spec in SC.ruleset_in_force.rules:
        if spec.kind not in SEATED:
            continue
        p = kind_of(spec).parse(spec)
        free = lifted(p, b)
        for g, m in seated_fail_masks(b, spec).items():
            own = SEATED[spec.kind](p, b.pool, b.groups[g], b)
            assert (m == (own if free is None else own & ~free)).all() and not m.flags.writeable
