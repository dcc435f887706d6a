"""The model's variables: a 0/1 column per allowed (cadre, seat group) pair, and
per seat group and optional post, how many of its seats take that post.

The pairs are columns 0 .. n_pairs - 1, group by group, and each group's
candidates are in pool order, so a pair's column is found by a binary search.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from model.enums import Post
from solver.facts import Pool, SeatGroup
from solver.linear import Lin, LinearModel, Var, ones

SLICE = 1 << 18
"""Pairs `Variables.sum_over` reads between two ticks."""


@dataclass
class Variables:
    """`cands[g]`: pool indices of group g's candidates, whose columns start at
    `starts[g]`; `pair_cadre` and `pair_group` give each pair column's cadre and
    group; `optional[(g, post)]` counts group g's seats that also take `post`."""

    cands: list[np.ndarray] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    pair_cadre: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    pair_group: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    optional: dict[tuple[int, Post], Var] = field(default_factory=dict)
    by_cadre: tuple[np.ndarray, np.ndarray] = field(
        default_factory=lambda: (np.zeros(0, np.int64), np.zeros(1, np.int64)))
    """`cadre_columns`' index (`cadre_index`): every pair column by cadre, and each cadre's start."""

    @property
    def n_pairs(self) -> int:
        return len(self.pair_cadre)

    def pairs_of(self, g: int) -> np.ndarray:
        """The columns of group g's pairs."""
        return np.arange(self.starts[g], self.starts[g] + len(self.cands[g]))

    def group_sum(self, g: int, mask: np.ndarray) -> Lin:
        """How many of the cadres in `mask` sit in group g (0 .. its seat count)."""
        hit = np.flatnonzero(mask[self.cands[g]])
        return Lin(self.starts[g] + hit, ones(len(hit)))

    def sum_over(self, groups: Sequence[int], mask_of: Callable[[int], np.ndarray],
                 tick: Callable[[], None] = lambda: None) -> Lin:
        """How many cadres sit in these groups who are in each group's pool mask
        `mask_of(g)`: the sum of `group_sum(g, mask_of(g))` over them, column for column.
        Consecutive groups with the same mask (one array) are read as one slice of
        `pair_cadre`, which is the groups' candidates end to end: a township's team
        is one slice, as is the county for a filter that reads no township. A slice
        is read `SLICE` pairs at a time, with a `tick` after each (the run's budget:
        a county-wide slice of 5,000 cadres took 75 ms)."""
        parts: list[np.ndarray] = []
        i, n = 0, len(groups)
        while i < n:
            mask, j = mask_of(groups[i]), i + 1
            while j < n and groups[j] == groups[j - 1] + 1 and mask_of(groups[j]) is mask:
                j += 1
            lo, last = self.starts[groups[i]], groups[j - 1]
            hi = self.starts[last] + len(self.cands[last])
            for a in range(lo, hi, SLICE):
                b = min(hi, a + SLICE)
                parts.append(a + np.flatnonzero(mask[self.pair_cadre[a:b]]))
                tick()
            i = j
        idx = parts[0] if len(parts) == 1 else np.concatenate([*parts, np.zeros(0, np.int64)])
        return Lin(idx, ones(len(idx)))

    def cadre_columns(self, c: int) -> np.ndarray:
        """Pool cadre c's pair columns, ascending (so in group order)."""
        order, ptr = self.by_cadre
        return order[ptr[c]:ptr[c + 1]] if c + 1 < len(ptr) else order[:0]

    def column(self, g: int, c: int) -> int | None:
        """The column of pool cadre c in group g, None if that pair has none."""
        pos = int(np.searchsorted(self.cands[g], c))
        return self.starts[g] + pos if pos < len(self.cands[g]) and self.cands[g][pos] == c else None


def make_variables(model: LinearModel, pool: Pool, groups: list[SeatGroup], allowed: np.ndarray,
                   prefilter: bool = True) -> Variables:
    """A column per allowed pair, group by group; `prefilter` false makes a
    column for every pair and bounds the forbidden ones to 0 (a benchmark
    baseline). Then the optional-post counts."""
    v = Variables()
    every = np.ones(pool.size, bool)
    for g in range(len(groups)):
        cands = np.flatnonzero(allowed[:, g] if prefilter else every)
        v.cands.append(cands)
        v.starts.append(model.new_block(len(cands), None if prefilter else allowed[cands, g]))
    v.pair_cadre = np.concatenate([*v.cands, np.zeros(0, np.int64)]).astype(np.int64)
    v.pair_group = np.repeat(np.arange(len(groups)), [len(c) for c in v.cands])
    v.by_cadre = cadre_index(allowed if prefilter else np.ones_like(allowed), v.starts, model.check.tick)
    for g, group in enumerate(groups):
        for post in group.seat.template.optional_posts:
            v.optional[(g, post)] = model.new_int_var(0, group.count, f"y{g}_{post.value}")
    return v


CADRES_AT_ONCE = 512
"""Cadres whose columns `cadre_index` reads between two ticks."""


def cadre_index(allowed: np.ndarray, starts: list[int], tick: Callable[[], None]
                ) -> tuple[np.ndarray, np.ndarray]:
    """`Variables.cadre_columns`' index, read off the pair mask: the column of
    (c, g) is the group's first column plus c's rank among its candidates, and the
    mask read row by row lists each cadre's columns in group order. It is the order
    a stable sort of the pairs' cadres gives, made a block of cadres at a time
    between two looks at the budget (that sort of 5,000 cadres' 2 million pairs
    was one step of 40-90 ms)."""
    before = np.asarray(starts, dtype=np.int64) - 1  # per group, its last column before the block
    parts = [np.zeros(0, np.int64)]
    for a in range(0, len(allowed), CADRES_AT_ONCE):
        block = allowed[a:a + CADRES_AT_ONCE]
        column = np.cumsum(block, axis=0, dtype=np.int64)
        column += before
        parts.append(column[block])
        before = column[-1]
        tick()
    ptr = np.zeros(len(allowed) + 1, dtype=np.int64)
    np.cumsum(allowed.sum(axis=1), out=ptr[1:])
    return np.concatenate(parts), ptr
