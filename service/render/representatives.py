"""Party-congress representatives (section P) for staff: the seat count with its reasons, the
seats per electoral unit, the candidate lists and every rule instance, each citing its rule id;
as text (the CLI) and as an Excel workbook (代表名额, 名额分配, 候选人名单, 规则检查)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from model.membership import Membership
from model.reasons import Reason
from service.render.sheets import Table
from service.render.words import words as register
from solver.representatives import RepPlan

METHOD = {"sainte_lague_min1": "圣拉格法(奇数除数法),每个选举单位先分1名"}

GROUNDS = {
    "serious_sanction": "近五年受严重违纪处分",
    "criminal_penalty": "近五年受刑事处罚",
    "under_investigation": "正在立案审查",
    "petition_or_cult": "组织参与非正常上访或邪教活动",
    "unqualified": "近五年评议不合格",
    "incapacitated": "丧失行为能力",
}

QUOTAS = {
    "women": "妇女代表",
    "minorities": "少数民族代表",
    "front_line": "基层一线代表",
    "cadres": "机关、社区(村)、经济组织、社会组织干部代表",
    "young": "45岁以下代表",
    "two_new": "两新组织代表",
    "workers_farmers": "工人、农牧民代表",
}

LISTS = {"initial": "候选人初步人选", "final": "候选人预备人选"}

STATUS = {
    "OPTIMAL": "最优",
    "FEASIBLE": "可行(未证明最优)",
    "INFEASIBLE": "无解",
    "UNKNOWN": "未求得",
    "MODEL_INVALID": "模型错误",
}


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


_WORDS: dict[str, Callable[[dict[str, Any]], str]] = {
    "rep_seats_share": lambda a: (
        f"[{a['rule']}] 党员{a['members']}名,少于{a['threshold']}名,按党员人数的"
        f"{_pct(a['share'])}确定代表名额:{a['seats']}名(四舍五入)"
    ),
    "rep_seats_large": lambda a: (
        f"[{a['rule']}] 党员{a['members']}名,{a['threshold']}名以上,代表名额一般为"
        f"100至200名:"
        + (
            f"乡镇党委建议{a['proposed']}名"
            if a["proposed"] is not None
            else f"按党员人数的20%计{a['seats']}名"
        )
    ),
    "rep_seats_branches": lambda a: (
        f"[{a['rule']}] 基数{a['base']}名;党支部{a['branches']}个,每{a['per']}名党员"
        f"增加1名,党员{a['members']}名:{a['base']}+{a['members'] // a['per']}"
        f"={a['seats']}名"
    ),
    "rep_seats_proposed": lambda a: (
        f"[{a['rule']}] "
        + (
            f"乡镇党委建议{a['proposed']}名"
            if a["proposed"] is not None
            else f"无建议名额,按党员{a['members']}名的{_pct(a['share'])}计{a['seats']}名"
        )
    ),
    "rep_seats_clamped": lambda a: (
        f"[{a['rule']}] {a['before']}名不在{a['low']}至{a['high']}名之间,取{a['seats']}名"
    ),
    "rep_seats_last": lambda a: (
        f"[{a['rule']}] 原则上不超上一届({a['last']}名):由{a['before']}名减为{a['last']}名"
    ),
    "rep_seats_conflict": lambda a: (
        f"[{a['rule']}] 上一届仅{a['last']}名,低于下限{a['low']}名,两项不能同时满足"
    ),
    "rep_seats_cap": lambda a: f"[{a['rule']}] 最多不超过{a['cap']}名:由{a['before']}名减为{a['cap']}名",
    "rep_seats_members": lambda a: f"[{a['rule']}] 代表不多于党员人数{a['members']}名",
    "rep_seats_must": lambda a: f"[{a['rule']}] 为必须遵守的规定",
    "rep_apportioned": lambda a: f"{a['seats']}个名额分配到{a['units']}个选举单位,方法:{METHOD[a['method']]}",
    "rep_unit_without_seat": lambda a: (
        f"[{a['rule']}] 名额{a['seats']}个少于选举单位{a['units']}个,不能每个党支部都有一名代表"
    ),
    "rep_no_units": lambda a: "该乡镇没有选举单位",
    "rep_quota": lambda a: (
        f"{QUOTAS.get(a['quota'], a['quota'])}{a['have']}名,占{a['total']}名的"
        f"{_pct(a['have'] / a['total']) if a['total'] else '0%'}"
        + {"at_most": ",上限", "above": ",须高于上次", "at_least": ",下限"}[a["side"]]
        + _pct(a["bound"])
    ),
    "rep_list": lambda a: (
        f"选举单位{a['unit']}{LISTS[a['list']]}{a['have']}名,应选{a['seats']}名,须"
        + ("多于" if a["strict"] else "不少于")
        + f"应选名额的{_pct(1 + a['margin'])}"
    ),
    "rep_disqualified": lambda a: (
        f"{a['nominee']}:"
        + "、".join(GROUNDS[g] for g in a["grounds"])
        + (",却列入名单" if a["listed"] else ",未列入名单")
    ),
    "rep_overlap": lambda a: (
        f"{a['nominee']}是人大代表" + (",却拟当选党代表" if a["elected"] else ",未拟当选党代表")
    ),
    "rep_unit_short": lambda a: (
        f"[{a['rule']}] 选举单位{a['unit']}符合条件的推荐人选{a['have']}名,"
        f"少于所需{a['need']}名(应选{a['seats']}名)"
    ),
    "rep_quota_short": lambda a: (
        f"[{a['rule']}] 符合条件的{QUOTAS.get(a['quota'], a['quota'])}推荐人选只有"
        f"{a['have']}名,{a['total']}名代表中至少需要{a['need']}名"
    ),
    "rep_infeasible": lambda a: "各项必须遵守的规定不能同时满足",
    "rep_not_relaxed": lambda a: (
        f"[{a['rule']}] {a['nominees']}名推荐人选不具备代表候选人资格,资格条件不放宽,不列入名单"
    ),
}


def words(r: Reason) -> str:
    """A reason in Chinese; an unknown code shows as it is."""
    fn = _WORDS.get(r.code)
    return fn(r.args) if fn else f"{r.code} {r.args}"


def _names(m: Membership) -> dict[str, str]:
    return {n.id: n.name for n in m.nominees}


def plan_text(plan: RepPlan, m: Membership, township_name: str) -> str:
    """The plan as the CLI prints it."""
    names = _names(m)
    lines = [f"{township_name}党员代表大会代表名额及候选人({plan.seat_rule})", "", "代表名额:"]
    lines += [f"  {words(r)}" for r in plan.seat_reasons]
    lines += [f"  合计 {plan.seats} 名", "", "名额分配:"]
    lines += [f"  {words(r)}" for r in plan.apportion_reasons]
    lines += [f"  {u.unit} {u.name}: 党员{u.members}名, 代表{u.seats}名" for u in plan.units]
    res = plan.result
    lines += ["", f"候选人(求解:{STATUS[res.status.value]}):"]
    if res.selection is not None:
        for u in res.selection.units:
            el = "、".join(names[i] for i in u.elected)
            lines.append(f"  {u.unit}: 初步人选{len(u.initial)}名, 预备人选{len(u.final)}名, 拟当选{el}")
    for r in res.reasons:
        lines.append(f"  {words(r)}")
    for x in res.relaxations:
        lines.append(f"  放宽[{x.rule}] {x.parameter}: {x.before} → {x.after}")
    if plan.instances:
        lines += ["", "规则检查:"]
        for i in plan.instances:
            mark = "符合" if i.holds else "未满足"
            lines.append(f"  [{i.rule}] {mark}: {words(i.reason)}")
    return "\n".join(lines)


def plan_tables(plan: RepPlan, m: Membership, township_name: str) -> list[tuple[str, Table]]:
    """The sheets: 代表名额, 名额分配, 候选人名单, 规则检查."""
    names = _names(m)
    by_id = {n.id: n for n in m.nominees}
    seats = Table(
        f"{township_name}党代表名额({plan.seat_rule})",
        ["依据", "说明"],
        [[r.args.get("rule", plan.seat_rule), words(r)] for r in plan.seat_reasons]
        + [[plan.seat_rule, f"合计{plan.seats}名"]],
        frozenset({1}),
        "rep_seats",
    )
    split = Table(
        f"{township_name}代表名额分配({METHOD[plan.method]})",
        ["选举单位编号", "名称", "党员数", "代表名额"],
        [[u.unit, u.name, u.members, u.seats] for u in plan.units],
        key="rep_units",
    )
    rows: list[list[Any]] = []
    if plan.result.selection is not None:
        for u in plan.result.selection.units:
            for i in u.initial:
                n = by_id[i]
                stage = "拟当选" if i in u.elected else "预备人选" if i in u.final else "初步人选"
                rows.append([u.unit, i, names[i], n.gender.zh, n.ethnicity, n.occupation.zh, n.votes, stage])
    cands = Table(
        f"{township_name}代表候选人名单(D1-P4)",
        ["选举单位", "编号", "姓名", "性别", "民族", "身份", "推荐票数", "人选"],
        rows,
        key="rep_lists",
    )
    checks = Table(
        f"{township_name}代表规则检查",
        ["规则", "强度", "结果", "说明"],
        [[i.rule, i.strength.zh, "符合" if i.holds else "未满足", words(i.reason)] for i in plan.instances]
        + [[x.rule, "", "放宽", f"{x.parameter}: {x.before} → {x.after}"] for x in plan.result.relaxations]
        + [[r.args.get("rule", ""), "", "无解", words(r)] for r in plan.result.reasons],
        frozenset({3}),
        "rep_rules",
    )
    return [("代表名额", seats), ("名额分配", split), ("候选人名单", cands), ("规则检查", checks)]


def plan_workbook(plan: RepPlan, m: Membership, township_name: str) -> bytes:
    from service.render.xlsx import tables_workbook

    return tables_workbook(plan_tables(plan, m, township_name))


def plan_stem(township_name: str, scenario_id: str) -> str:
    """The workbook's file name (without .xlsx) for a download."""
    return f"{township_name}-党代表-{scenario_id}"


def generated_text(paths: list[str], m: Membership) -> str:
    return f"已生成 {len(m.units)} 个选举单位、{len(m.nominees)} 名代表候选人推荐人选:" + "、".join(paths)


for _code, _fn in _WORDS.items():  # the one registry of wordings (service/render/words.py)
    register(_code)(lambda args, _names, fn=_fn: fn(args))
