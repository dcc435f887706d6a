"""The lines of the question verbs (why-not, recommend), of a run's progress
events and of `generate`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from model.reasons import Reason
from service.render.infeasible import reason_lines
from service.render.labels import term_zh
from service.render.rules import instance_text
from service.render.words import Names, fixed, say, words

if TYPE_CHECKING:
    from solver.events import Event
    from solver.forced import Bounded, Forced, Recommendation


fixed("removed", "已从候选池中移除(remove)")
fixed("already_there", "已在最优方案中任此职")


@words("banned")
def _banned(a: dict, n: Names) -> str:
    return f"情景中排除其任{a['township']}" + (f"/{a['seat']}" if a["seat"] else "")


@words("rule_forbids")
def _rule_forbids(a: dict, n: Names) -> str:
    return f"{a['rule']} {say(Reason.model_validate(a['why']), n)}"


@words("forced_status")
def _forced_status(a: dict, n: Names) -> str:
    return f"强制后求解状态 {a['status']}"


def forced_line(f: Forced, names: Names) -> str:
    """One cadre forced into a seat: impossible and why, or the score change by term
    and the rules it would break."""
    if f.scenario_status is not None:
        lines = reason_lines(f.reasons, f.relaxations, names)
        return f"  情景本身没有方案({f.scenario_status}):" + ";".join(x.strip() for x in lines)
    if not f.possible:
        return f"  {f.name}({f.cadre}):不可任 — " + ";".join(reason_lines(f.reasons, f.relaxations, names))
    if f.reasons:
        return f"  {f.name}({f.cadre}):目标值 {f.delta:+d}({';'.join(say(r, names) for r in f.reasons)})"
    terms = ",".join(f"{term_zh(k)} {v:+d}" for k, v in f.terms.items()) or "各项不变"
    broken = (";新增未满足:" + ";".join(f"{r.rule} {instance_text(r, names)}" for r in f.newly_broken)
              if f.newly_broken else "")
    unproven = "" if f.exact else f"(未证明最优,{f.status})"
    return f"  {f.name}({f.cadre}):目标值 {f.delta:+d}{unproven}({terms}){broken}"


def bounded_line(b: Bounded) -> str:
    """A candidate ranked by the relaxation's bound alone: at most this change."""
    if b.delta_bound is None:
        return f"  {b.name}({b.cadre}):未求解,无上界"
    outside = ",不会超过已求解的前列人选" if b.outside_top else ""
    return f"  {b.name}({b.cadre}):目标值至多 {b.delta_bound:+d}(松弛上界,未强制求解{outside})"


def why_not_text(f: Forced, names: Names) -> str:
    head = f"为什么不是{f.name}任{names.township(f.township)}{names.seat(f.township, f.seat)}?"
    return head + "\n" + forced_line(f, names)


def recommend_text(rec: Recommendation, names: Names, every: bool = False) -> str:
    """The exact candidates (each forced solve), then those ranked by bound: every
    one with `every`, else how many and the best bound among them."""
    place = names.township(rec.township) + names.seat(rec.township, rec.seat)
    head = (f"{place}:符合必须条件的人选 {rec.eligible} 人,强制求解其中 {len(rec.tried)} 人"
            "(按目标值变化排序):")
    lines = [head, *(forced_line(f, names) for f in rec.tried)]
    if rec.bounded:
        outside = sum(1 for b in rec.bounded if b.outside_top)
        best = rec.bounded[0].delta_bound
        lines.append(f"其余 {len(rec.bounded)} 人按松弛上界排序(未强制求解)"
                     + (f",上界最高 {best:+d}" if best is not None else "")
                     + f";其中 {outside} 人已证明不会超过前 {rec.limit} 名" + (":" if every else ""))
        if every:
            lines += [bounded_line(b) for b in rec.bounded]
    if rec.tried and rec.tried[0].scenario_status is None:
        lines.append(f"前 {rec.limit} 名已证明" if rec.proven else
                     f"前 {rec.limit} 名未全部证明(有未求解的人选上界不低于第 {rec.limit} 名)")
    return "\n".join(lines)


def progress_line(event: Event) -> str | None:
    """The progress line of a solver event (solver/events.py), or None for events
    the command line does not show."""
    from solver.events import LpBound, ModelBuilt, SlateJudged

    if isinstance(event, LpBound):
        return (f"线性松弛:上界{event.bound:.1f},{event.columns}列,{event.rounds}轮,"
                f"用时{event.lp_seconds:.2f}秒")
    if isinstance(event, ModelBuilt):
        return f"模型已建立:{event.seats}个职位,{event.pairs}个候选配对,用时{event.build_seconds:.2f}秒"
    if isinstance(event, SlateJudged):
        return f"方案{event.index}:{event.status},目标值{event.objective:.0f},求解配对{event.pairs}个"
    return None


def generated_text(out: str, townships: int, cadres: int, seed: int) -> str:
    return f"已生成:{out}({townships}个乡镇,{cadres}名干部,种子{seed})"


def interrupted_line(solving: bool) -> str:
    """What the command line says on Ctrl-C (one line, to stderr)."""
    if solving:
        return "已中断(Ctrl-C):求解已停止,输出目前找到的最好方案(未证明最优)"
    return "已中断(Ctrl-C)"
