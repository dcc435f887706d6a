"""The LP relaxation of the linear model, and the pairs it proves useless.

GLOP solves the relaxation by column generation: it starts from columns that
make the restricted LP feasible at once (`first_columns`: each cadre offered to
a few groups, not the same top cadres to every group) and adds the pairs whose
reduced cost is positive, priced for every pair at once with numpy from the
rows whose dual is not 0, until none is left or the bound's floor is reached. Enforced rows
enter by big-M, max rows by their convex half (target >= each expression):
leaving a constraint out, or weakening it, keeps a relaxation a relaxation.

The bound is not taken from GLOP's word. For the duals y it returns, every
slate x satisfies (Lagrangian duality, true for any y)

    score(x) <= B(y) = sum_i max(y_i lo_i, y_i hi_i) + sum_j max(d_j lb_j, d_j ub_j),
    d = c - A'y,

so a pair j with d_j < 0 has score(x) <= B + d_j in every slate that uses it.
With a target T (the score of a known slate, or a guess to be checked), the
pairs with B + d_j < T cannot be in any slate scoring T or more, and are left
out of the CP-SAT model (reduced-cost fixing). GLOP's tolerances and a solve
cut short only weaken B; they never make it wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from time import perf_counter

import numpy as np
from ortools.linear_solver import linear_solver_pb2, pywraplp  # pb2: 27 ms to import, once

from solver.budget import EVERY, Checkpoint
from solver.linear import INF, Lin, LinearModel
from solver.memory import give_back

TOL = 1e-6
PRIMAL = "use_preprocessing: false use_scaling: false"
"""GLOP's parameters for the rounds after the first."""
DUAL = PRIMAL + " use_dual_simplex: true"
"""GLOP's parameters for the first round of a restricted re-solve: closing columns
keeps the basis dual feasible, so the dual simplex goes on from it (c20-1000, 30
pins: 0.57 s against 1.3-2.6 s with the primal simplex)."""


@dataclass
class Rows:
    """The relaxation's rows, compact: row i's entries are `c[ptr[i]:ptr[i + 1]]`
    (32-bit columns) with whole-number coefficients `v` (32-bit), in model order.
    A county of 5,000 cadres has 16 million entries: 128 MB here, where a
    (row, column, float) triple per entry took twice that."""

    ptr: np.ndarray
    c: np.ndarray
    v: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    origin: np.ndarray | None = None
    """Per row, the model row it was written from (`LinearModel.rows` index), or
    -1 - m for max row m (solver/townships.py splits the rows by it)."""

    @property
    def r(self) -> np.ndarray:
        """Each entry's row (made on demand: the pricing never needs it whole)."""
        return np.repeat(np.arange(len(self.lo), dtype=np.int32), np.diff(self.ptr))

    def rows_of(self, at: np.ndarray) -> np.ndarray:
        """The rows of these entries."""
        return np.searchsorted(self.ptr, at, side="right") - 1


def relaxation_rows(lm: LinearModel, check: Checkpoint | None = None) -> Rows:
    """The rows in model order; a plain row is copied as it is stored (merged
    already), an enforced row is written by big-M. Entries are gathered in one
    concatenation, with 32-bit columns and coefficients: a county of 100,000
    cadres has over 10**8 entries."""
    lb, ub = (a.astype(float) for a in lm.bounds())
    cs: list[np.ndarray] = []  # the entries in pieces: a row with a column put in is three (no copy of it)
    vs: list[np.ndarray] = []
    sizes: list[int] = []
    lo: list[float] = []
    hi: list[float] = []
    origin: list[int] = []
    tick = (check if check is not None else Checkpoint(None)).tick
    for i, row in enumerate(lm.rows):
        if row.cp_only:
            continue
        lin = row.lin
        tick(1 + len(lin.idx) // EVERY)
        if not row.enforce:
            cs.append(lin.idx)
            vs.append(lin.coef)
            sizes.append(len(lin.idx))
            lo.append(row.lo - lin.const)
            hi.append(row.hi - lin.const)
            origin.append(i)
            continue
        low, high = span(lin, lb, ub)
        if row.lo > low:  # lin + k off >= lo
            cols, coefs, const = big_m_pieces(lin, row.enforce, int(row.lo - low))
            put(cols, coefs, cs, vs, sizes)
            lo.append(row.lo - const)
            hi.append(INF)
            origin.append(i)
        if row.hi < high:  # lin - k off <= hi
            cols, coefs, const = big_m_pieces(lin, row.enforce, -int(high - row.hi))
            put(cols, coefs, cs, vs, sizes)
            lo.append(-INF)
            hi.append(row.hi - const)
            origin.append(i)
    for m, mx in enumerate(lm.maxes):
        for e in mx.exprs:  # target - e >= 0
            put(*column_pieces(e.idx, -e.coef, mx.target, 1), cs, vs, sizes)
            lo.append(e.const)
            hi.append(INF)
            origin.append(-1 - m)
    if lm.n_cols >= 2**31 or len(lo) >= 2**31 or widest(vs) >= 2**31:
        raise ValueError("a relaxation of 2**31 columns, rows or more, or coefficients as large, "
                         "is not supported")
    ptr = np.zeros(len(lo) + 1, dtype=np.int64)
    np.cumsum(sizes, out=ptr[1:])
    c = np.concatenate(cs, dtype=np.int32, casting="same_kind") if cs else np.zeros(0, np.int32)
    v = np.concatenate(vs, dtype=np.int32, casting="same_kind") if vs else np.zeros(0, np.int32)
    return Rows(ptr, c, v, np.array(lo, dtype=float), np.array(hi, dtype=float),
                np.array(origin, dtype=np.int64))


def big_m(lin: Lin, enforce: list[tuple[int, bool]], k: int) -> tuple[np.ndarray, np.ndarray, int]:
    """lin + k * off, merged, as (columns, coefficients, constant); off = the number
    of enforcement literals that are false (a literal x adds 1 - x, a negated one
    x), 0 when the row is on (`big_m_pieces`, joined)."""
    cols, coefs, const = big_m_pieces(lin, enforce, k)
    return joined(cols), joined(coefs), const


def big_m_pieces(lin: Lin, enforce: list[tuple[int, bool]], k: int
                 ) -> tuple[list[np.ndarray], list[np.ndarray], int]:
    """`big_m`'s row as pieces to concatenate, and its constant. One literal, the
    usual case, is put in its place in the merged row (`column_pieces`: the row's
    own arrays around the literal's entry, not a copy of them); more are merged as
    a whole."""
    on = sum(1 for _, neg in enforce if not neg)
    if len(enforce) == 1:
        col, neg = enforce[0]
        cols, coefs = column_pieces(lin.idx, lin.coef, col, k if neg else -k)
        return cols, coefs, lin.const + k * on
    off = Lin.of(0)
    for col, neg in enforce:
        off = off + (Lin.of(0) + _col(col) if neg else 1 - _col(col))
    m = (lin + k * off).merged()
    return [m.idx], [m.coef], m.const


def put(cols: list[np.ndarray], coefs: list[np.ndarray], cs: list[np.ndarray], vs: list[np.ndarray],
        sizes: list[int]) -> None:
    """One row's pieces appended to the rows' pieces, and its length."""
    cs += cols
    vs += coefs
    sizes.append(sum(len(p) for p in cols))


def joined(pieces: list[np.ndarray]) -> np.ndarray:
    return pieces[0] if len(pieces) == 1 else np.concatenate(pieces)


def with_column(idx: np.ndarray, coef: np.ndarray, col: int, v: int) -> tuple[np.ndarray, np.ndarray]:
    """The entries of a merged row (columns ascending and distinct, no zero) plus
    v * col, merged as `Lin.merged` would: a search and two concatenations, where
    merging the sum sorts the whole row (c05-250: the rows in 2.5 ms against 5)."""
    cols, coefs = column_pieces(idx, coef, col, v)
    return joined(cols), joined(coefs)


def column_pieces(idx: np.ndarray, coef: np.ndarray, col: int, v: int
                  ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """`with_column`'s entries as pieces to concatenate: the row before the column,
    the column, the row after it (or the merged row, one piece)."""
    n = len(idx)
    merged = n < 2 or bool((idx[1:] > idx[:-1]).all())
    at = int(np.searchsorted(idx, col)) if merged else 0
    if not merged or not coef.all() or v == 0 or (at < n and idx[at] == col):
        m = Lin(np.concatenate([idx, np.array([col], dtype=np.int64)]),
                np.concatenate([coef, np.array([v], dtype=np.int64)])).merged()
        return [m.idx], [m.coef]
    return ([idx[:at], np.array([col], dtype=idx.dtype), idx[at:]],
            [coef[:at], np.array([v], dtype=np.int64), coef[at:]])


def widest(vs: list[np.ndarray], batch: int = 1 << 16) -> int:
    """The largest coefficient in absolute value, over rows taken a batch at a time."""
    top, held, part = 0, 0, []
    for v in [*vs, None]:
        if v is not None:
            part.append(v)
            held += len(v)
        if part and (v is None or held >= batch):
            both = np.concatenate(part).astype(np.int64, copy=False)
            if len(both):
                top = max(top, int(np.abs(both).max()))
            part, held = [], 0
    return top


def _col(c: int) -> Lin:
    return Lin(np.array([c]), np.ones(1, np.int64))


def span(lin: Lin, lb: np.ndarray, ub: np.ndarray) -> tuple[float, float]:
    """Least and greatest value of an expression within the column bounds."""
    pos = lin.coef > 0
    a, b = lb[lin.idx], ub[lin.idx]
    low = lin.const + float(np.sum(np.where(pos, lin.coef * a, lin.coef * b)))
    high = lin.const + float(np.sum(np.where(pos, lin.coef * b, lin.coef * a)))
    return low, high


@dataclass
class Bound:
    """The relaxation's bound B and, per pair, how far below B any slate using
    the pair must score (loss = max(0, -d))."""

    value: float
    loss: np.ndarray
    lp_value: float | None
    primal: np.ndarray  # the relaxation's solution, every column (0 outside the master)
    columns: int
    rounds: int
    seconds: float
    master: Master | None = None  # the relaxation's LP, kept for restricted re-solves (solver/warm.py)
    gain: np.ndarray | None = None  # per pair max(0, d): what closing the pair takes off the bound
    open_value: float | None = None  # a restricted bound's duals, priced without the restriction
    open_loss: np.ndarray | None = None  # and per pair max(0, -d) of those duals, before any is closed
    simplex_seconds: float = 0.0  # of `seconds`, GLOP's own (the rest is the rows, pricing, columns)

    def keep(self, n_pairs: int, n_cols: int, target: float) -> np.ndarray:
        """Columns to give CP-SAT: pairs that may be in a slate scoring `target`
        or more, and every column that is not a pair."""
        keep = np.ones(n_cols, dtype=bool)
        keep[:n_pairs] = self.kept_pairs(target)
        return keep

    def kept_pairs(self, target: float) -> np.ndarray:
        """Per pair, whether it may be in a slate scoring `target` or more."""
        tol = TOL * (1.0 + abs(self.value))
        return self.value - self.loss >= target - tol

    def fixed(self, target: float) -> np.ndarray | None:
        """Pairs every slate scoring `target` or more must use: the other side of
        reduced-cost fixing. A slate leaving out pair j (d_j > 0, at 1 in the
        bound) scores at most B - d_j, so with B - d_j < target it scores below
        it (None: no gains known)."""
        if self.gain is None:
            return None
        tol = TOL * (1.0 + abs(self.value))
        ones = self.value - self.gain < target - tol
        return ones if ones.any() else None

    def dropped_best(self, keep: np.ndarray, ones: np.ndarray | None = None) -> float:
        """A bound on any slate using a pair left out, or leaving out a pair fixed
        to 1 (-inf when there is neither)."""
        out = ~keep[: len(self.loss)]
        best = float(np.max(self.value - self.loss[out])) if out.any() else -INF
        if ones is not None and self.gain is not None:
            best = max(best, float(np.max(self.value - self.gain[ones])))
        return best


def lp_bound(lm: LinearModel, n_pairs: int, groups: np.ndarray, time_limit: float,
             per_group: int = 10, check: Checkpoint | None = None) -> Bound:
    """Solve the relaxation of a maximizing model by column generation over its
    pairs (columns 0 .. n_pairs - 1; `groups[j]` is pair j's seat group).
    `time_limit` bounds the whole call, setup and GLOP rounds (solve() gives it
    what the run can spare: solver/budget.py `Plan`); the first round runs
    in any case, with what is left of it. `check` asks the run's budget while
    the rows are written and between rounds: a run whose time is up before the
    first round is cut short (CutShort); after it, the rounds stop and the
    bound so far is returned. A first round cut short leaves no duals
    (`lp_value` None): its bound is valid but useless."""
    t0 = perf_counter()
    check = check if check is not None else Checkpoint(None)
    rows = relaxation_rows(lm, check)
    give_back(len(rows.c))  # the big-M rows' temporaries (100 x 5,000: 220 MB)
    lb, ub = (a.astype(float) for a in lm.bounds())
    n = lm.n_cols
    cost = np.zeros(n)
    np.add.at(cost, lm.objective.idx, lm.objective.coef.astype(float))
    check.check()

    solver = pywraplp.Solver.CreateSolver("GLOP")
    # Measured on the 1,000- and 2,000-cadre counties: without presolve GLOP keeps
    # its basis when columns are added, and without scaling (whole-number costs
    # and coefficients) each round is faster: 0.46 s and 2.0 s, against 0.8 s and 4-6 s.
    # The first round starts from the slack basis, where the dual simplex is faster (5,000 cadres:
    # 0.8 s against 2.0 s); the later ones add columns to an optimal basis, which stays primal
    # feasible, so they run the primal simplex from it.
    solver.SetSolverSpecificParametersAsString(DUAL)
    first = np.concatenate([np.arange(n_pairs, n), first_columns(lm, rows, cost, n_pairs, groups, per_group)])
    check.check()
    master = load_master(solver, rows, cost, lb, ub, first, check)
    obj, cts = master.obj, master.cts
    inside, add = master.inside, master.add
    y = np.zeros(len(cts))
    primal = np.zeros(n)
    lp_value, rounds, simplex = None, 0, 0.0
    priced: np.ndarray | None = None  # d for the current y
    while rounds == 0 or (perf_counter() - t0 < time_limit and not check.should_stop()):
        left = min(time_limit - (perf_counter() - t0), check.remaining())
        solver.SetTimeLimit(max(1, int(1000 * left)))
        t_simplex = perf_counter()
        status = solver.Solve()
        simplex += perf_counter() - t_simplex
        rounds += 1
        if rounds == 1:
            solver.SetSolverSpecificParametersAsString(PRIMAL)
        if status != pywraplp.Solver.OPTIMAL:
            break
        lp_value = obj.Value() + lm.objective.const
        primal, y = master.solution()
        d = priced = reduced_costs(cost, rows, y)
        better = ~inside[:n_pairs] & (d[:n_pairs] > TOL)
        if not better.any():
            break
        # Scores are whole numbers: once B(y) and the restricted LP's value share their
        # floor, no round can lower the bound the search starts from (floor B).
        if math.floor(lagrangian(rows, y, d, lb, ub) + lm.objective.const + 1e-6) \
                <= math.floor(lp_value + 1e-6):
            break
        add(best_per_group(d[:n_pairs], groups, better, per_group), check)
    d = priced if priced is not None else reduced_costs(cost, rows, y)  # y changes only where priced
    value = lagrangian(rows, y, d, lb, ub) + lm.objective.const  # the objective's constant term
    give_back(len(rows.c))  # the rounds' pricing temporaries
    return Bound(value, np.maximum(0.0, -d[:n_pairs]), lp_value, primal, int(inside.sum()), rounds,
                 perf_counter() - t0, master.kept(lm.objective.const, groups, per_group, y),
                 np.maximum(0.0, d[:n_pairs]), simplex_seconds=simplex)


def load_master(solver: pywraplp.Solver, rows: Rows, cost: np.ndarray, lb: np.ndarray, ub: np.ndarray,
                cols: np.ndarray, check: Checkpoint) -> Master:
    """The first restricted master, loaded into GLOP as one model proto: its rows,
    the columns `cols` with their entries, and per row side an artificial column
    (cost -big) that keeps it feasible. One call, where a call per entry (NumVar,
    SetCoefficient) took about 40% of a small county's LP (c05-250: 16 of 38 ms).
    The columns added by later rounds go in one by one (`Master.add`), so GLOP
    keeps its basis between rounds."""
    # The artificial columns first, row by row, then `cols` in their order: the order the
    # calls per entry made them in, so GLOP walks the same path to the same duals.
    lo_on, hi_on = rows.lo > -INF, rows.hi < INF
    sides = lo_on.astype(np.int64) + hi_on
    n_art = int(sides.sum())
    big = 100.0 * (1.0 + float(np.abs(cost).max(initial=0.0)))
    proto = linear_solver_pb2.MPModelProto.FromString(variables_wire(
        np.concatenate([np.zeros(n_art), lb[cols]]), np.concatenate([np.full(n_art, INF), ub[cols]]),
        np.concatenate([np.full(n_art, -big), cost[cols]])))
    proto.maximize = True
    pos = np.full(len(cost), -1, dtype=np.int64)
    pos[cols] = np.arange(n_art, n_art + len(cols))
    at = np.flatnonzero(pos[rows.c] >= 0)
    var_at, coef_at = pos[rows.c[at]].tolist(), rows.v[at].astype(float).tolist()
    ends = np.searchsorted(at, rows.ptr[1:], side="left").tolist()
    art = np.concatenate(([0], np.cumsum(sides))).tolist()
    start = 0
    for i, (a, b) in enumerate(zip(rows.lo.tolist(), rows.hi.tolist(), strict=True)):
        ct = proto.constraint.add(lower_bound=a, upper_bound=b)
        k = art[i]
        if a > -INF:
            ct.var_index.append(k)
            ct.coefficient.append(1.0)
            k += 1
        if b < INF:
            ct.var_index.append(k)
            ct.coefficient.append(-1.0)
        ct.var_index.extend(var_at[start:ends[i]])
        ct.coefficient.extend(coef_at[start:ends[i]])
        start = ends[i]
        check.tick()
    error = solver.LoadModelFromProto(proto)
    if error:
        raise RuntimeError(f"GLOP refused the relaxation: {error}")
    variables = solver.variables()
    # The proto's loader drops a row free on both sides (a lifted cap, solver/warm.py `prepare`): it
    # binds nothing, so it gets an empty constraint of its own, for its dual of 0 and later columns.
    loaded = iter(solver.constraints())
    free = ~lo_on & ~hi_on
    cts = [solver.Constraint(-solver.infinity(), solver.infinity(), "") if f else next(loaded)
           for f in free.tolist()]
    master = Master(solver, solver.Objective(), cts, rows, cost, lb, ub)
    # GLOP numbers the loaded rows first, in order, then the free ones made after them
    master.ct_index = np.where(free, len(rows.lo) - int(free.sum()) + np.cumsum(free) - 1,
                               np.cumsum(~free) - 1)
    master.first_var = n_art
    master.xs.update(zip(cols.tolist(), variables[n_art:], strict=True))
    master.inside[cols] = True
    return master


VARIABLE = np.dtype([("tag", "u1"), ("size", "u1"), ("lo_tag", "u1"), ("lo", "<f8"), ("hi_tag", "u1"),
                     ("hi", "<f8"), ("cost_tag", "u1"), ("cost", "<f8")])
"""One `MPModelProto.variable` entry on the wire (field 3, 27 bytes: its lower bound,
upper bound and objective coefficient, fields 1-3, as doubles)."""


def variables_wire(lo: np.ndarray, hi: np.ndarray, cost: np.ndarray) -> bytes:
    """The model proto's variables serialized at once, as `variable.add(lower_bound=,
    upper_bound=, objective_coefficient=)` per column would write them; parsing
    them is one call, where the adds took a third of `load_master` (c05-250: 1.1
    of 3.2 ms)."""
    out = np.empty(len(lo), dtype=VARIABLE)
    out["tag"], out["size"] = (3 << 3) | 2, VARIABLE.itemsize - 2
    out["lo_tag"], out["hi_tag"], out["cost_tag"] = (1 << 3) | 1, (2 << 3) | 1, (3 << 3) | 1
    out["lo"], out["hi"], out["cost"] = lo, hi, cost
    return out.tobytes()


MIN_SOLVE_SECONDS = 0.01
"""With less time than this GLOP is not started."""
LONGEST_SECONDS = 3600.0
"""GLOP's limit is whole milliseconds: a budget without an end is given this."""


class Master:
    """The restricted master LP of the column generation, in GLOP: its rows, the
    columns added so far (`inside`, `xs`), and what pricing reads. Kept after
    `lp_bound` so that a forced solve (a pin or ban: column bounds) re-solves it
    from its last basis (`restricted`) instead of building the relaxation again."""

    def __init__(self, solver: pywraplp.Solver, obj: pywraplp.Objective, cts: list[pywraplp.Constraint],
                 rows: Rows, cost: np.ndarray, lb: np.ndarray, ub: np.ndarray) -> None:
        """The master asks no run's budget of its own: each call that writes columns is
        given its caller's (a kept master outlives the run that built it, and a ranking
        adds a seat's columns long after that run's deadline)."""
        self.solver, self.obj, self.cts, self.rows = solver, obj, cts, rows
        self.cost, self.lb, self.ub = cost, lb, ub
        self.inside = np.zeros(len(cost), dtype=bool)
        self.xs: dict[int, pywraplp.Variable] = {}
        self.const, self.groups, self.per_group, self.y = 0, np.zeros(0, np.int64), 10, np.zeros(0)
        self.first_var = 0  # GLOP's index of the first column's variable: the columns' are consecutive
        self.ct_index = np.arange(len(cts))  # per row, GLOP's index of its constraint

    def solution(self) -> tuple[np.ndarray, np.ndarray]:
        """The last solve's value of every column (0 outside the master) and dual
        of every row, read in one call: a call per column and per row took 3 ms of
        c10-500's 80 ms LP."""
        got = linear_solver_pb2.MPSolutionResponse()
        self.solver.FillSolutionResponseProto(got)
        values = np.array(got.variable_value, dtype=float)
        primal = np.zeros(len(self.cost))
        primal[np.fromiter(self.xs, dtype=np.int64, count=len(self.xs))] = \
            values[self.first_var:self.first_var + len(self.xs)]
        return primal, np.array(got.dual_value, dtype=float)[self.ct_index]

    def kept(self, const: int, groups: np.ndarray, per_group: int, y: np.ndarray) -> Master:
        self.const, self.groups, self.per_group, self.y = const, groups, per_group, y
        return self

    def add(self, cols: np.ndarray, check: Checkpoint | None = None) -> None:
        """Add these columns, asking `check` (none: never cut) as they are written.
        Their entries only, column by column and in row order within a column: one
        pass over the entries, not a sort of them all."""
        rows, n = self.rows, len(self.cost)
        mark = np.zeros(n, dtype=bool)
        mark[cols] = True
        at = np.flatnonzero(mark[rows.c])
        at = at[np.argsort(rows.c[at], kind="stable")]
        bounds = np.searchsorted(rows.c[at], cols.astype(np.int32, copy=False), side="left")
        ends = np.searchsorted(rows.c[at], cols.astype(np.int32, copy=False), side="right")
        # as Python numbers and bound methods: per entry a SWIG call and nothing else
        cts = [self.cts[r].SetCoefficient for r in rows.rows_of(at).tolist()]
        v_at = rows.v[at].tolist()
        new_var, objective = self.solver.NumVar, self.obj.SetCoefficient
        tick = check.tick if check is not None else lambda: None
        inside = self.inside
        for j, lo, hi, cost, first, last in zip(cols.tolist(), self.lb[cols].tolist(), self.ub[cols].tolist(),
                                                self.cost[cols].tolist(), bounds.tolist(), ends.tolist(),
                                                strict=True):
            x = self.xs[j] = new_var(lo, hi, "")
            if cost:
                objective(x, cost)
            for k in range(first, last):
                cts[k](x, v_at[k])
            inside[j] = True  # before the tick: a cut leaves the master's account of its columns true
            tick()

    def include(self, cols: np.ndarray, time_limit: float) -> None:
        """Add those of these columns not in the master yet, at once. A column added
        between two solves makes GLOP load the LP again (about 0.1 s on c20-1000,
        where a re-solve from the basis takes 0.02 s): a ranking adds every pair of
        its seat before its first pin, not one pin's pair per re-solve. The master
        is then re-solved by the primal simplex from its basis (at most `time_limit`
        seconds), so the pins after it start, as `restricted` expects, from an optimal
        basis: the first pin's dual simplex straight after the columns were added took
        8,783 iterations and 1.85 s on h17-2000-w80, where this re-solve takes 0.1 s."""
        fresh = cols[~self.inside[cols]]
        if not len(fresh):
            return
        self.add(fresh)
        if time_limit < MIN_SOLVE_SECONDS:
            return
        self.solver.SetSolverSpecificParametersAsString(PRIMAL)
        self.solver.SetTimeLimit(max(1, int(1000 * min(time_limit, LONGEST_SECONDS))))
        self.solver.Solve()

    def restricted(self, off: np.ndarray, take: list[int], time_limit: float,
                   check: Checkpoint | None = None) -> Bound:
        """The bound of the relaxation with the pair columns `off` fixed to 0 and
        `take` to 1, by column generation from the kept basis; the columns' bounds
        are put back afterwards. As in `lp_bound`, the bound is the Lagrangian one
        of the duals found (valid for any), the closed pairs at an infinite loss."""
        t0 = perf_counter()
        check = check if check is not None else Checkpoint(None)
        n_pairs = len(off)
        lb, ub = self.lb.copy(), self.ub.copy()
        ub[:n_pairs][off] = 0.0
        lb[take] = 1.0
        fresh = np.array([j for j in take if not self.inside[j]], dtype=np.int64)
        if len(fresh):
            self.add(fresh, check)
        moved = np.flatnonzero(self.inside[:n_pairs] & off).tolist() + list(take)
        for j in moved:
            self.xs[j].SetBounds(lb[j], ub[j])
        y, primal, rounds = self.y, np.zeros(len(self.cost)), 0
        self.solver.SetSolverSpecificParametersAsString(DUAL)
        try:
            while rounds == 0 or (perf_counter() - t0 < time_limit and not check.should_stop()):
                self.solver.SetTimeLimit(max(1, int(1000 * max(time_limit - (perf_counter() - t0), 0.05))))
                status = self.solver.Solve()
                rounds += 1
                if rounds == 1:  # the rounds after add columns: the basis stays primal feasible
                    self.solver.SetSolverSpecificParametersAsString(PRIMAL)
                if status != pywraplp.Solver.OPTIMAL:
                    break
                primal, y = self.solution()
                d = reduced_costs(self.cost, self.rows, y)
                better = ~self.inside[:n_pairs] & ~off & (d[:n_pairs] > TOL)
                if not better.any():
                    break
                self.add(best_per_group(d[:n_pairs], self.groups, better, self.per_group), check)
        finally:
            for j in moved:
                self.xs[j].SetBounds(self.lb[j], self.ub[j])
        d = reduced_costs(self.cost, self.rows, y)
        value = lagrangian(self.rows, y, d, lb, ub) + self.const
        loss = np.maximum(0.0, -d[:n_pairs])
        loss[off] = INF
        loss[take] = 0.0  # fixed at 1: what they cost is in the bound already
        return Bound(value, loss, None, primal, int(self.inside.sum()), rounds, perf_counter() - t0,
                     gain=np.maximum(0.0, d[:n_pairs]),
                     open_value=lagrangian(self.rows, y, d, self.lb, self.ub) + self.const,
                     open_loss=np.maximum(0.0, -d[:n_pairs]))


SPREAD = 5
"""In the first columns, a cadre is offered to at most this many seat groups (its best)."""


def first_columns(lm: LinearModel, rows: Rows, cost: np.ndarray, n_pairs: int, groups: np.ndarray,
                  per_group: int) -> np.ndarray:
    """The pairs the column generation starts from, chosen so that the first
    restricted LP is feasible already: each group's best pairs by cost alone
    are the same few top cadres in every group of a kind, who can take one seat
    each, and the LP then spends its first rounds (the costliest, with big-M
    artificials in the basis) finding cadres enough. So each cadre (the pairs
    of one at-most-one row) is offered to its `SPREAD` best groups, ties broken
    at random (seeded), and each group starts from its `per_group` best offers;
    each hard row with a lower side (a `must` count, a pin) adds its best pairs
    of distinct cadres. Any set of columns keeps the bound valid; this one only
    saves rounds. A group offered fewer than `per_group` cadres is filled up
    with its best others."""
    hard: list[int] = []
    once: list[int] = []
    for i, row in enumerate(lm.rows):
        if row.cp_only or row.enforce:
            continue
        if row.kind == "at_most_one":
            once.append(i)
        elif row.lo > 0 and row.kind == "linear":
            hard.append(i)
    # a pair's key: its last at-most-one row (a cadre's), at once for all rows; outside every one, its own
    last = np.full(n_pairs, -1, dtype=np.int64)
    if once:
        idx = np.concatenate([lm.rows[i].lin.idx for i in once])
        of = np.repeat(np.array(once, dtype=np.int64), [len(lm.rows[i].lin.idx) for i in once])
        np.maximum.at(last, idx[idx < n_pairs], of[idx < n_pairs])
    key = np.where(last >= 0, last, np.arange(n_pairs, dtype=np.int64) + len(lm.rows))
    c = cost[:n_pairs]
    tie = np.random.default_rng(0).random(n_pairs)
    span_c = float(c.max() - c.min()) + 2.0 if n_pairs else 2.0
    # By cadre, then cost (high first), then the random tie-break, then index (costs are whole numbers):
    # each cadre's SPREAD first of that order, found cadre by cadre (`best_per_group`), where one
    # stable sort of the whole float key took a fifth of a second on 5,000 cadres.
    fk = key * span_c - c + 0.5 * tie
    by_cadre = cadre_order(lm, once, last, key, n_pairs)
    offered = np.zeros(n_pairs, dtype=bool)
    offered[by_cadre[best_per_group(-fk[by_cadre], key[by_cadre], np.ones(n_pairs, bool), SPREAD)]] = True
    picked = np.zeros(n_pairs, dtype=bool)
    # the offers first, then (a group offered too few) the group's best others
    picked[best_per_group(c + offered * span_c, groups, np.ones(n_pairs, bool), per_group)] = True
    for i in hard:
        lin = lm.rows[i].lin
        cols = lin.idx[(lin.idx < n_pairs) & (lin.coef > 0)]
        if len(cols) == 0:
            continue
        need = 2 * math.ceil(lm.rows[i].lo) + 2
        cols = cols[c[cols] >= floor_of_best(cols, c, key, need)]
        # the row's best pair of each cadre, then the best of those: distinct cadres
        by = cols[np.lexsort((tie[cols], -c[cols], key[cols]))]
        first = np.concatenate(([True], key[by][1:] != key[by][:-1]))
        best = by[first]
        need = int(min(len(best), need))
        picked[best[np.argsort(-c[best], kind="stable")[:need]]] = True
    return np.flatnonzero(picked)


def cadre_order(lm: LinearModel, once: list[int], last: np.ndarray, key: np.ndarray, n_pairs: int
                ) -> np.ndarray:
    """The pairs by `key` (a cadre's last at-most-one row, or past every row the pair's own),
    then index: what a stable sort of the keys gives, read off the at-most-one rows (each a
    cadre's pairs, ascending) where they are so, sorted otherwise."""
    if once:
        idx = np.concatenate([lm.rows[i].lin.idx for i in once]).astype(np.int64, copy=False)
        of = np.repeat(np.array(once, dtype=np.int64), [len(lm.rows[i].lin.idx) for i in once])
        mine = idx < n_pairs
        mine[mine] = last[idx[mine]] == of[mine]  # the entry of each pair's last row: one per pair
        idx, of = idx[mine], of[mine]
        ordered = bool(((idx[1:] > idx[:-1]) | (of[1:] != of[:-1])).all())
    else:
        idx, ordered = np.zeros(0, np.int64), True
    order = np.concatenate([idx, np.flatnonzero(last < 0)])
    if not ordered or len(order) != n_pairs:
        return np.argsort(key, kind="stable")
    return order


def floor_of_best(cols: np.ndarray, c: np.ndarray, key: np.ndarray, need: int) -> float:
    """A cost at or below the `need`-th best cadre's best cost among these pairs (-inf when
    not found): the pairs below it cannot be among a row's `need` best cadres' best pairs,
    so the row's sort reads only the others (a count of 4,000 pairs, 341 of them: a
    quarter of a second sorted whole). The `4 * need` costliest pairs are read: when they
    hold `need` cadres, the `need`-th best of those cadres' best costs among them is one."""
    many = 4 * need
    if need <= 0 or len(cols) <= 2 * many:
        return -INF
    cs = c[cols]
    top = np.argpartition(-cs, many - 1)[:many]
    k, v = key[cols[top]], cs[top]
    order = np.lexsort((-v, k))
    first = np.concatenate(([True], k[order][1:] != k[order][:-1]))
    bests = np.sort(v[order][first])[::-1]
    return float(bests[need - 1]) if len(bests) >= need else -INF


CHUNK = 1 << 22
"""Entries priced at a time: the temporaries stay small and are reused, where
whole-model temporaries (10**8 entries) cost more in page faults than in sums."""


PRICE_AT_ONCE = 1 << 16
"""Up to this many entries (c05-250 has 34,000) pricing reads them all in one sum: faster
there than finding the rows with a dual (0.1 against 0.3 ms), slower from c10-500 on."""


def reduced_costs(cost: np.ndarray, rows: Rows, y: np.ndarray) -> np.ndarray:
    """d = c - A'y. Only the rows whose dual is not 0 are read (a row's entries
    are one slice): at the LP's optimum most rows are slack (a cadre nobody else
    wants, a count rule met with room), so most entries are never touched."""
    dual = np.zeros(len(cost))
    on = np.flatnonzero(y != 0)
    if len(on) == 0:
        return cost - dual
    if len(rows.c) <= PRICE_AT_ONCE:  # every entry at once, a slack row's at weight 0
        weights = rows.v * np.repeat(y, np.diff(rows.ptr))
        return cost - np.bincount(rows.c, weights=weights, minlength=len(cost))
    # runs of consecutive rows with a dual: each run's entries are one slice, cut in chunks
    cut = np.flatnonzero(np.diff(on) != 1) + 1
    firsts, lasts = on[np.r_[0, cut]], on[np.r_[cut - 1, len(on) - 1]] + 1
    for starts, ends in flushes(rows.ptr[firsts].tolist(), rows.ptr[lasts].tolist()):
        dual[:] += np.bincount(*priced_entries(rows, y, starts, ends), minlength=len(cost))
    return cost - dual


def flushes(los: list[int], his: list[int]) -> list[tuple[np.ndarray, np.ndarray]]:
    """The entry ranges of each sum: the runs [lo, hi) cut in chunks of CHUNK, and
    chunks taken in order until they hold CHUNK entries or more. Each sum's weights
    are added in this order and the sums one after the other, as the pricing has
    always added them, so the reduced costs stay the same to the last bit."""
    out: list[tuple[np.ndarray, np.ndarray]] = []
    starts: list[int] = []
    ends: list[int] = []
    held = 0
    for lo, hi in zip(los, his, strict=True):
        for s in range(lo, hi, CHUNK):
            e = min(hi, s + CHUNK)
            starts.append(s)
            ends.append(e)
            held += e - s
            if held >= CHUNK:
                out.append((np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)))
                starts, ends, held = [], [], 0
    if held:
        out.append((np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)))
    return out


def priced_entries(rows: Rows, y: np.ndarray, starts: np.ndarray, ends: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """The columns and weights v * y of the entries in these ranges, in order, at once:
    one gather over every range, where a slice, a search and a repeat per run took a
    third of the pricing on 5,000 cadres (thousands of runs of rows with a dual)."""
    lengths = ends - starts
    total = int(lengths.sum())
    at = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
    # the rows each range spans, and how many of its entries each row has in it
    ra = np.searchsorted(rows.ptr, starts, side="right") - 1
    rb = np.searchsorted(rows.ptr, ends, side="left")
    spans = rb - ra
    row = np.repeat(ra - (np.cumsum(spans) - spans), spans) + np.arange(int(spans.sum()))
    piece = np.repeat(np.arange(len(starts)), spans)
    count = np.minimum(rows.ptr[row + 1], ends[piece]) - np.maximum(rows.ptr[row], starts[piece])
    return rows.c[at], rows.v[at] * np.repeat(y[row], count)


def lagrangian(rows: Rows, y: np.ndarray, d: np.ndarray, lb: np.ndarray, ub: np.ndarray) -> float:
    """B(y): valid for any y; infinite when y leans on a side the row lacks."""
    y = np.where(np.abs(y) < 1e-12, 0.0, y)
    side = np.where(y > 0, rows.hi, rows.lo)
    if np.any(~np.isfinite(side[y != 0])):
        return INF
    row_part = float(np.sum(y[y != 0] * side[y != 0]))
    col_side = np.where(d > 0, ub, lb)
    nz = d != 0
    if np.any(~np.isfinite(col_side[nz])):
        return INF
    return row_part + float(np.sum(d[nz] * col_side[nz]))


def best_per_group(score: np.ndarray, groups: np.ndarray, allowed: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest-scoring allowed entries of each group, by group,
    then score (high first), then index: the order a stable sort gives."""
    idx = np.flatnonzero(allowed)
    if len(idx) == 0 or k <= 0:
        return idx[:0]
    g = groups[idx]
    if not (g[1:] >= g[:-1]).all():  # groups not in blocks: sort them all
        order = idx[np.lexsort((-score[idx], g))]
        g = groups[order]
        first = np.searchsorted(g, g, side="left")
        rank = np.arange(len(order)) - first
        return order[rank < k]
    # The entries of a group are one block. A block's k-th best score is at least the least of
    # the maxima of any k parts of it: the entries below that floor are never among its k
    # best, and only the others are sorted. All blocks at once, where a partition per block
    # took 0.26 s on 5,000 cadres (7 calls over 1,600 groups).
    scores = score[idx]
    starts = np.flatnonzero(np.concatenate(([True], g[1:] != g[:-1])))
    lengths = np.diff(np.append(starts, len(idx)))
    parts = np.where(lengths > k, k, 1)
    block = np.repeat(np.arange(len(starts)), parts)
    first_part = np.cumsum(parts) - parts
    j = np.arange(len(block)) - first_part[block]
    part_max = np.maximum.reduceat(scores, starts[block] + j * lengths[block] // parts[block])
    floor = np.where(lengths > k, np.minimum.reduceat(part_max, first_part), -INF)
    kept = np.flatnonzero(scores >= np.repeat(floor, lengths))
    order = kept[np.lexsort((-scores[kept], g[kept]))]
    gs = g[order]
    rank = np.arange(len(order)) - np.searchsorted(gs, gs, side="left")
    return idx[order[rank < k]]
