"""The HiGHS baseline: the very CP-SAT model huanjie builds, read from its proto
and written as a MILP (enforced constraints and maxima by big-M), so both
solvers get identical constraints and objective. Bench-only: needs highspy."""

from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter

import numpy as np
from ortools.sat.python import cp_model


@dataclass
class MilpResult:
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float


class Milp:
    """Rows of a MILP over the CP-SAT model's variables (plus helper binaries)."""

    def __init__(self, proto) -> None:
        domains = [list(v.domain) for v in proto.variables]
        self.lb = [float(d[0]) for d in domains]
        self.ub = [float(d[-1]) for d in domains]
        self.rows: list[tuple[float, float, dict[int, float]]] = []

    def new_var(self, lo: float, hi: float) -> int:
        self.lb.append(lo)
        self.ub.append(hi)
        return len(self.lb) - 1

    def lit(self, literal: int) -> tuple[dict[int, float], float]:
        """A literal as (terms, constant): x, or 1 - x for a negated one."""
        return ({literal: 1.0}, 0.0) if literal >= 0 else ({-literal - 1: -1.0}, 1.0)

    def bounds(self, terms: dict[int, float]) -> tuple[float, float]:
        lo = sum(a * (self.lb[i] if a > 0 else self.ub[i]) for i, a in terms.items())
        hi = sum(a * (self.ub[i] if a > 0 else self.lb[i]) for i, a in terms.items())
        return lo, hi

    def add(self, terms: dict[int, float], const: float, lo: float, hi: float, enforce: list[int]) -> None:
        """lo <= terms + const <= hi, only when every enforcement literal is true."""
        lo, hi = lo - const, hi - const
        if not enforce:
            self.rows.append((lo, hi, terms))
            return
        slack: dict[int, float] = {}
        slack_const = 0.0
        for e in enforce:  # off = sum(1 - e): 0 exactly when all hold
            t, c = self.lit(e)
            for i, a in t.items():
                slack[i] = slack.get(i, 0.0) - a
            slack_const += 1.0 - c
        tmin, tmax = self.bounds(terms)
        if lo > -np.inf and tmin < lo:  # terms + (lo - tmin) * off >= lo
            m = lo - tmin
            row = dict(terms)
            for i, a in slack.items():
                row[i] = row.get(i, 0.0) + m * a
            self.rows.append((lo - m * slack_const, np.inf, row))
        if hi < np.inf and tmax > hi:  # terms - (tmax - hi) * off <= hi
            m = tmax - hi
            row = dict(terms)
            for i, a in slack.items():
                row[i] = row.get(i, 0.0) - m * a
            self.rows.append((-np.inf, hi + m * slack_const, row))


def expr(e) -> tuple[dict[int, float], float]:
    terms: dict[int, float] = {}
    for v, c in zip(e.vars, e.coeffs, strict=True):
        if v >= 0:
            terms[v] = terms.get(v, 0.0) + c
        else:  # a negated variable in an expression stands for -x
            terms[-v - 1] = terms.get(-v - 1, 0.0) - c
    return terms, float(e.offset)


KINDS = ("linear", "exactly_one", "at_most_one", "bool_or", "lin_max", "bool_and")


def to_milp(proto) -> Milp:
    m = Milp(proto)
    for ct in proto.constraints:
        enforce = list(ct.enforcement_literal)
        kind = next((k for k in KINDS if getattr(ct, f"has_{k}")()), None)
        if kind == "linear":
            terms = dict(zip(ct.linear.vars, map(float, ct.linear.coeffs), strict=True))
            d = list(ct.linear.domain)
            lo = -np.inf if d[0] <= -(2**62) else d[0]
            hi = np.inf if d[-1] >= 2**62 else d[-1]
            m.add(terms, 0.0, lo, hi, enforce)
        elif kind in ("exactly_one", "at_most_one", "bool_or"):
            lits = getattr(ct, kind).literals
            terms, const = {}, 0.0
            for lit in lits:
                t, c = m.lit(lit)
                for i, a in t.items():
                    terms[i] = terms.get(i, 0.0) + a
                const += c
            lo, hi = {"exactly_one": (1, 1), "at_most_one": (-np.inf, 1), "bool_or": (1, np.inf)}[kind]
            m.add(terms, const, lo, hi, enforce)
        elif kind == "lin_max":
            target, tc = expr(ct.lin_max.target)
            exprs = [expr(e) for e in ct.lin_max.exprs]
            t_hi = m.bounds(target)[1] + tc
            picks = []
            for terms, c in exprs:  # target >= each; target <= the picked one
                row = dict(target)
                for i, a in terms.items():
                    row[i] = row.get(i, 0.0) - a
                m.add(row, tc - c, 0.0, np.inf, enforce)
                z = m.new_var(0, 1)
                picks.append(z)
                big = t_hi - (m.bounds(terms)[0] + c)
                row2 = dict(row)
                row2[z] = row2.get(z, 0.0) + big
                m.add(row2, tc - c, -np.inf, big, enforce)
            m.add(dict.fromkeys(picks, 1.0), 0.0, 1, 1, [])
        else:
            raise ValueError(f"constraint kind {kind} has no MILP form here")
    return m


def solve_highs(model: cp_model.CpModel, time_limit: float, threads: int) -> MilpResult:
    import highspy

    t0 = perf_counter()
    proto = model.proto
    m = to_milp(proto)
    obj = proto.objective
    scale = obj.scaling_factor or 1.0
    n = len(m.lb)
    cost = np.zeros(n)
    for v, c in zip(obj.vars, obj.coeffs, strict=True):
        cost[v] += c
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", threads)
    h.setOptionValue("time_limit", float(time_limit))
    h.addCols(n, cost, np.array(m.lb, float), np.array(m.ub, float), 0, [], [], [])
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n))
    starts, index, value, lower, upper = [], [], [], [], []
    for lo, hi, terms in m.rows:
        starts.append(len(index))
        index += list(terms)
        value += list(terms.values())
        lower.append(lo)
        upper.append(hi)
    h.addRows(len(m.rows), np.array(lower, float), np.array(upper, float), len(index),
              np.array(starts, np.int32), np.array(index, np.int32), np.array(value, float))
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    found = info.primal_solution_status == 2
    inner, inner_bound = info.objective_function_value, info.mip_dual_bound
    objective = scale * (inner + obj.offset) if found else None
    bound = scale * (inner_bound + obj.offset) if np.isfinite(inner_bound) else None
    gap = abs(bound - objective) / max(1.0, abs(objective)) if found and bound is not None else None
    return MilpResult(status, objective, bound, gap, perf_counter() - t0)
