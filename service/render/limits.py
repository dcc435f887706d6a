"""The wording of the run's limits: a run cut short by its time limit
(solver/budget.py) and a solve refused by its memory bound (solver/memory.py)."""

from __future__ import annotations

from model.reasons import Reason
from service.render.words import Names, say, words

STEP_ZH = {
    "pool": "读取候选池",
    "pairs": "筛选候选配对",
    "variables": "建立变量",
    "constraints": "建立约束",
    "objective": "建立目标函数",
    "prechecks": "预检查",
    "lp_relaxation": "线性松弛",
    "cpsat_model": "建立CP-SAT模型",
    "search": "求解",
}
"""The steps of solver/budget.py's STEPS, as staff know them."""

ADVICE_ZH = {
    "fewer_townships": "每次少算几个乡镇",
    "smaller_pool": "缩小候选池",
    "higher_bound": "调高内存上限(--max-memory)",
}


@words("cut_short")
def cut_short(a: dict, n: Names) -> str:
    step = STEP_ZH.get(a["step"], a["step"])
    limit = f"(时限{a['time_limit']:g}秒)" if "time_limit" in a else ""
    return (f"运行在“{step}”一步用完时间{limit},已用{a['seconds']:g}秒,尚未得到方案;"
            "请调高时限(--time-limit)后重试")


@words("memory_bound")
def memory_bound(a: dict, n: Names) -> str:
    advice = "、".join(ADVICE_ZH.get(x, x) for x in a.get("advice", ()))
    return (f"本次求解约需内存{a['estimate_mb']}MB,超过上限{a['bound_mb']}MB"
            f"({a['cadres']}名干部、{a['groups']}个职位组、{a['pairs']}个候选配对),未开始建模;"
            f"可{advice}")


def limit_text(r: Reason) -> str:
    """A limit's reason in Chinese (it names no cadre or township)."""
    return say(r, Names())
