"""A linear model that the encoders write once and the solver reads two ways.

The rule encoders (solver/encoders.py) write columns and rows here, through the
few calls of CP-SAT's model API they need. The model is then read:
- as a CP-SAT model over the (cadre, seat) pairs still allowed (solver/cpsat.py);
- as an LP relaxation over every pair (solver/relaxation.py), whose bound and
  reduced costs show which pairs cannot be in any slate good enough.
One encoding per rule kind serves both, so the two readings cannot drift apart.

Expressions are sparse numpy vectors (column indices and integer coefficients);
summing them concatenates, and duplicates are merged when a row is stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from solver.budget import EVERY, Checkpoint

INF = float("inf")
DENSE = 4
"""merged() counts in place when the columns span at most this many times the terms."""
EXACT = 2**53
"""Float64 adds whole numbers exactly below this."""
Lit = tuple[int, bool]
"""A literal: (column, negated)."""

_ONES = np.ones(1024, np.int64)
_ONES.flags.writeable = False


def ones(n: int) -> np.ndarray:
    """n unit coefficients: a read-only view of one shared array, since a build writes
    tens of thousands of unit sums (a group's fill row, a cadre's sit-once row, a count)
    and a fresh np.ones costs a microsecond each time. Coefficients are never written to."""
    global _ONES
    if n > len(_ONES):
        grown = np.ones(max(n, 2 * len(_ONES)), np.int64)
        grown.flags.writeable = False
        _ONES = grown
    return _ONES[:n]


class Lin:
    """const + sum(coef[k] * column idx[k]); immutable."""

    __slots__ = ("coef", "const", "idx")

    def __init__(self, idx: np.ndarray, coef: np.ndarray, const: int = 0) -> None:
        self.idx = idx
        self.coef = coef
        self.const = const

    @staticmethod
    def of(e: Expr) -> Lin:
        if isinstance(e, Lin):
            return e
        if isinstance(e, Var):
            return Lin(np.array([e.col]), ones(1))
        return Lin(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), int(e))

    def __add__(self, other: Expr) -> Lin:
        if isinstance(other, int | np.integer):
            return Lin(self.idx, self.coef, self.const + int(other))
        o = Lin.of(other)
        if len(o.idx) == 0:  # a constant: share the arrays (a county-wide row is millions long)
            return Lin(self.idx, self.coef, self.const + o.const)
        return Lin(np.concatenate([self.idx, o.idx]), np.concatenate([self.coef, o.coef]),
                   self.const + o.const)

    __radd__ = __add__

    def __neg__(self) -> Lin:
        return Lin(self.idx, -self.coef, -self.const)

    def __sub__(self, other: Expr) -> Lin:
        if isinstance(other, int | np.integer):
            return Lin(self.idx, self.coef, self.const - int(other))
        return self + (-Lin.of(other))

    def __rsub__(self, other: Expr) -> Lin:
        return (-self) + other

    def __mul__(self, k: int) -> Lin:
        k = int(k)
        return Lin(self.idx, self.coef * k, self.const * k)

    __rmul__ = __mul__

    def __ge__(self, v: Expr) -> Bound:
        return Bound(self - v, 0, INF)

    def __le__(self, v: Expr) -> Bound:
        return Bound(self - v, -INF, 0)

    def __eq__(self, v: Expr) -> Bound:  # type: ignore[override]
        return Bound(self - v, 0, 0)

    __hash__ = None  # type: ignore[assignment]

    def merged(self) -> Lin:
        """Duplicate columns added up, zero coefficients dropped."""
        if len(self.idx) == 0:
            return self
        if (self.idx[1:] > self.idx[:-1]).all():  # sorted and distinct already (group sums)
            keep = self.coef != 0
            return self if keep.all() else Lin(self.idx[keep], self.coef[keep], self.const)
        top = int(self.idx.max()) + 1
        if top <= DENSE * len(self.idx) and int(np.abs(self.coef).max()) * len(self.idx) < EXACT:
            # Many terms over few columns (the objective): count them in place, O(n),
            # exact since every partial sum is an integer below 2**53.
            total = np.bincount(self.idx, weights=self.coef, minlength=top)
            cols = np.flatnonzero(total)
            return Lin(cols, total[cols].astype(np.int64), self.const)
        # A short row over scattered columns (a literal and a count, two cadres' pairs): sort it,
        # and add up the runs of a column only where it repeats.
        order = np.argsort(self.idx, kind="stable")
        idx, coef = self.idx[order], self.coef[order]
        new = idx[1:] != idx[:-1]
        if not new.all():
            starts = np.flatnonzero(np.concatenate(([True], new)))
            idx, coef = idx[starts], np.add.reduceat(coef, starts)
        coef = coef.astype(np.int64, copy=False)
        keep = coef != 0
        return Lin(idx, coef, self.const) if keep.all() else Lin(idx[keep], coef[keep], self.const)

    def value(self, vals: np.ndarray) -> int:
        return int(self.const + int(np.dot(self.coef, vals[self.idx])))


class Var:
    """One column; usable as a positive literal, `~v` is its negation."""

    __slots__ = ("col",)

    def __init__(self, col: int) -> None:
        self.col = col

    @property
    def index(self) -> int:
        return self.col

    def __invert__(self) -> NotVar:
        return NotVar(self.col)

    def _lin(self) -> Lin:
        return Lin.of(self)

    def __add__(self, o: Expr) -> Lin:
        return self._lin() + o

    __radd__ = __add__

    def __sub__(self, o: Expr) -> Lin:
        return self._lin() - o

    def __rsub__(self, o: Expr) -> Lin:
        return o - self._lin()

    def __neg__(self) -> Lin:
        return -self._lin()

    def __mul__(self, k: int) -> Lin:
        return self._lin() * k

    __rmul__ = __mul__

    def __ge__(self, v: Expr) -> Bound:
        return self._lin() >= v

    def __le__(self, v: Expr) -> Bound:
        return self._lin() <= v

    def __eq__(self, v: object) -> Bound:  # type: ignore[override]
        return self._lin() == v  # type: ignore[operator]

    def __hash__(self) -> int:
        return hash(("col", self.col))


@dataclass(frozen=True)
class NotVar:
    col: int


Expr = Lin | Var | int
Literal = Var | NotVar


def lit_of(x: Literal) -> Lit:
    return (x.col, isinstance(x, NotVar))


@dataclass(frozen=True)
class Bound:
    """lo <= lin <= hi, before it is added to a model."""

    lin: Lin
    lo: float
    hi: float


@dataclass
class Row:
    """A stored constraint. `kind` tells CP-SAT which form to use."""

    lin: Lin
    lo: float
    hi: float
    kind: str = "linear"  # linear | exactly_one | at_most_one
    enforce: list[Lit] = field(default_factory=list)
    cp_only: bool = False  # a diversity cut: not part of the relaxation

    def only_enforce_if(self, *lits: Literal | Iterable[Literal]) -> Row:
        for x in lits:
            if isinstance(x, Var | NotVar):
                self.enforce.append(lit_of(x))
            else:
                self.enforce += [lit_of(y) for y in x]
        return self


@dataclass
class MaxRow:
    """target == max(exprs)."""

    target: int
    exprs: list[Lin]


class LinearModel:
    """Columns with integer bounds, rows, max rows, one objective, hints."""

    def __init__(self, check: Checkpoint | None = None) -> None:
        """`check` is asked as rows and columns are written, so a build that runs
        out of the run's time stops where it is (solver/budget.py)."""
        self.lb: list[int] = []
        self.ub: list[int] = []
        self.rows: list[Row] = []
        self.maxes: list[MaxRow] = []
        self.objective: Lin = Lin.of(0)
        self.maximizing = True
        self.hint_cols = np.zeros(0, dtype=np.int64)
        self.hint_vals = np.zeros(0, dtype=np.int64)
        """A hint: these columns at these values (arrays, not a dict: a slate's hint on 2
        million pairs took 150 MB as a dict of Python ints)."""
        self.check = check if check is not None else Checkpoint(None)
        self._bounds: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def n_cols(self) -> int:
        return len(self.lb)

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """The columns' bounds as (read-only) arrays, made once per column count:
        a county's millions of pairs take a second to convert."""
        if self._bounds is None or len(self._bounds[0]) != len(self.lb):
            lb, ub = np.array(self.lb, dtype=np.int64), np.array(self.ub, dtype=np.int64)
            lb.flags.writeable = ub.flags.writeable = False
            self._bounds = (lb, ub)
        return self._bounds

    # --- columns -----------------------------------------------------------------

    def new_int_var(self, lo: int, hi: int, name: str = "") -> Var:
        self.lb.append(int(lo))
        self.ub.append(int(hi))
        return Var(len(self.lb) - 1)

    def new_bool_var(self, name: str = "") -> Var:
        return self.new_int_var(0, 1)

    def new_block(self, n: int, ub: np.ndarray | None = None) -> int:
        """n 0/1 columns at once (the pairs of one seat group); returns the first."""
        start = len(self.lb)
        self.lb += [0] * n
        self.ub += [1] * n if ub is None else [int(u) for u in ub]
        self.check.tick(n)
        return start

    # --- rows --------------------------------------------------------------------

    def add(self, b: Bound | bool, kind: str = "linear") -> Row:
        if isinstance(b, bool | np.bool_):  # an empty sum compared: 0 >= 1 when false
            b = Bound(Lin.of(0), -INF if b else 1, INF)
        lin = b.lin.merged()
        row = Row(Lin(lin.idx, lin.coef, 0), b.lo - lin.const, b.hi - lin.const, kind)
        self.rows.append(row)
        self.check.tick(1 + len(lin.idx) // EVERY)
        return row

    def add_unit(self, cols: np.ndarray, lo: float, hi: float, kind: str = "linear") -> Row:
        """lo <= the sum of these columns <= hi, for columns known ascending and distinct
        (a seat group's pairs, a cadre's): the row `add` stores, without merging it
        (a county writes one per cadre)."""
        row = Row(Lin(cols, ones(len(cols))), lo, hi, kind)
        self.rows.append(row)
        self.check.tick(1 + len(cols) // EVERY)
        return row

    def add_exactly_one(self, xs: list[Var] | Lin) -> Row:
        return self.add(as_sum(xs) == 1, "exactly_one")

    def add_at_most_one(self, xs: list[Var] | Lin) -> Row:
        return self.add(as_sum(xs) <= 1, "at_most_one")

    def add_max_equality(self, target: Var, exprs: list[Expr]) -> None:
        self.maxes.append(MaxRow(target.col, [Lin.of(e).merged() for e in exprs]))

    def fail(self) -> None:
        """A constraint that can never hold (a seat with no candidate, say)."""
        self.add(False)

    # --- objective and hints --------------------------------------------------------

    def maximize(self, e: Expr) -> None:
        self.objective, self.maximizing = Lin.of(e).merged(), True

    def minimize(self, e: Expr) -> None:
        self.objective, self.maximizing = Lin.of(e).merged(), False

    def set_hints(self, cols: np.ndarray, vals: np.ndarray) -> None:
        self.hint_cols = np.asarray(cols, dtype=np.int64)
        self.hint_vals = np.asarray(vals, dtype=np.int64)

    def clear_hints(self) -> None:
        self.set_hints(np.zeros(0, np.int64), np.zeros(0, np.int64))


def lin_sum(exprs: Iterable[Expr]) -> Lin:
    """The sum of many expressions in one concatenation (`sum()` copies each time)."""
    parts = [Lin.of(e) for e in exprs]
    if not parts:
        return Lin.of(0)
    return Lin(np.concatenate([p.idx for p in parts]), np.concatenate([p.coef for p in parts]),
               sum(p.const for p in parts))


def unit_sum(cols: np.ndarray | list[int]) -> Lin:
    """The sum of these columns, each once."""
    return Lin(np.asarray(cols, dtype=np.int64), ones(len(cols)))


def as_sum(xs: list[Var] | Lin) -> Lin:
    if isinstance(xs, Lin):
        return xs
    return Lin(np.array([x.col for x in xs], dtype=np.int64), ones(len(xs)))


def values(exprs: list[Expr], vals: np.ndarray) -> list[int]:
    """`value` of each expression, the sums of all of them in one pass (a solve's
    few hundred rule instances: a fourth of the time of one `value` each)."""
    lins = [e for e in exprs if isinstance(e, Lin)]
    sums: list[int] = []
    if lins:
        lengths = np.fromiter((len(e.idx) for e in lins), dtype=np.int64, count=len(lins))
        idx = np.concatenate([e.idx for e in lins]).astype(np.int64, copy=False)
        terms = np.concatenate([e.coef for e in lins]).astype(np.int64, copy=False) * vals[idx]
        total = np.concatenate(([0], np.cumsum(terms, dtype=np.int64)))
        ends = np.cumsum(lengths)
        sums = (total[ends] - total[ends - lengths]).tolist()
    at = iter(sums)
    return [int(e.const) + next(at) if isinstance(e, Lin) else value(e, vals) for e in exprs]


def value(e: Expr, vals: np.ndarray) -> int:
    """An expression's value under a full column assignment."""
    if isinstance(e, Var):
        return int(vals[e.col])
    if isinstance(e, Lin):
        return e.value(vals)
    return int(e)
