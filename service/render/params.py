"""Chinese names of rule parameters, laid into a parameter schema so that a form built from the
schema alone (the web page's) reads in Chinese: each property's `title`, and `x-labels` on an enum
(value -> the enum's own Chinese label, model/enums.py). The schema keeps its English keys."""

from __future__ import annotations

import copy
from typing import Any

from model import enums
from model.enums import Labeled, Strength

PARAM_ZH: dict[str, str] = {
    "apart": "不得兼任的职务对", "applies": "适用乡镇", "each_post": "按职务逐一计算",
    "exit_female": "女干部退出年龄", "exit_male": "男干部退出年龄", "field": "经历类别", "gender": "性别",
    "groups": "专长分组", "kept_female": "女干部留任年龄上限", "kept_male": "男干部留任年龄上限",
    "kinds": "亲属关系", "large_extra": "大镇增设职数", "lifted_by": "可由组织决定豁免",
    "local": "本地干部", "max_age": "年龄上限(含)", "max_incompetent_share": "不称职票比例上限",
    "min_age": "年龄下限(含)", "min_count": "最少人数", "min_groups": "至少覆盖分组数",
    "min_party_years": "最少党龄(年)", "min_points": "最低考核分",
    "min_recommendation_share": "推荐票最低比例", "min_share": "最低比例",
    "min_township_years": "乡镇工作最少年限", "min_work_years": "最少工龄(年)", "min_years": "最少年限",
    "minimum": "最低学历", "minority": "少数民族", "more_than_sitting": "多于原班子",
    "new_deputy": "新提副科年龄上限", "new_deputy_outstanding_female": "特别优秀女干部新提副科年龄上限",
    "new_deputy_outstanding_male": "特别优秀男干部新提副科年龄上限",
    "new_full_female": "女干部新提正科年龄上限", "new_full_male": "男干部新提正科年龄上限",
    "new_full_outstanding_female": "特别优秀女干部新提正科年龄上限",
    "new_full_outstanding_male": "特别优秀男干部新提正科年龄上限",
    "only_minority_concentrated": "仅少数民族聚居乡镇", "origins": "来源", "parts": "分项目标",
    "party_posts": "党内职务", "posts": "适用职务", "principal": "党政正职", "same_post": "仅同一职务",
    "seats": "班子职数", "term_years": "任期(年)", "together": "须兼任的职务对", "who": "统计对象",
    "years": "年限",
}
"""Every property name of every rule kind's parameters (tests/service/api check none is missing)."""

LITERAL_ZH: dict[str, str] = {"all": "全部乡镇", "large": "规模较大乡镇", "normal": "其余乡镇",
                              "township_years": "乡镇工作经历", "leadership_years": "乡镇领导岗位经历"}
"""Chinese words of the string literals some parameters take (not enums of model/enums.py)."""


def strengths() -> dict[str, str]:
    """The three strengths by code, in order: 必须, 一般, 倾向."""
    return {s.value: s.zh for s in Strength}


def labelled_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of `schema` with Chinese titles on its properties and Chinese labels on its enums."""
    out = copy.deepcopy(schema)
    _walk(out)
    return out


def _walk(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item)
        return
    if not isinstance(node, dict):
        return
    for name, prop in (node.get("properties") or {}).items():
        if isinstance(prop, dict):
            prop["title"] = PARAM_ZH.get(name, prop.get("title", name))
    for name, definition in (node.get("$defs") or {}).items():
        kind = getattr(enums, name, None)
        if isinstance(kind, type) and issubclass(kind, Labeled):
            definition["x-labels"] = {m.value: m.zh for m in kind}
    if "enum" in node and "x-labels" not in node:
        node["x-labels"] = {v: LITERAL_ZH.get(v, str(v)) for v in node["enum"]}
    for value in node.values():
        _walk(value)
