"""The wordings of the national rules on careers (N-1 ... N-8, model/rules/career.py), of a
rule the data does not let check (`no_data`), and of an exception of the scenario that
lifts a rule for one cadre; and the notes of the rule report that name them, so neither
an exception nor an unchecked rule passes in silence."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import groupby

from model.enums import Exemption, Kinship, Rank
from model.reasons import Reason
from model.records import CADRE_COLUMNS
from model.slate import RuleInstance
from service.render.rules import instance_text, on_seat
from service.render.words import Names, say, words

BLOCKED = {"remove": "已移出候选池", "ban": "情景排除", "pin": "情景指定他职"}
"""What closes a seat to a sitting principal besides a rule (N-4's `by`)."""


def rank_zh(rank: str) -> str:
    return Rank(rank).zh


@on_seat("demotion")
def _demotion(a: dict, n: Names) -> str:
    return f"职级{rank_zh(a['rank'])},任{rank_zh(a['seat_rank'])}职务为降任,须有组织决定"


@on_seat("two_steps")
def _two_steps(a: dict, n: Names) -> str:
    return f"职级{rank_zh(a['rank'])},直接任{rank_zh(a['seat_rank'])}职务为越级提拔,须有组织决定"


@on_seat("rank_years_short")
def _rank_years_short(a: dict, n: Names) -> str:
    return f"任{rank_zh(a['rank'])}{a['years']}年,提任{rank_zh(a['seat_rank'])}须满{a['min_years']}年"


@on_seat("hometown")
def _hometown(a: dict, n: Names) -> str:
    return f"成长地为{n.township(a['township'])},党委书记、{n.post('township_head')}实行地域回避"


@on_seat("work_years_short")
def _work_years_short(a: dict, n: Names) -> str:
    return f"工龄{a['years']}年,少于{a['min_years']}年"


@on_seat("party_years_short")
def _party_years_short(a: dict, n: Names) -> str:
    return f"党龄{a['years']}年,少于{a['min_years']}年"


@on_seat("no_data")
def _no_data(a: dict, n: Names) -> str:
    return f"未填{'、'.join(CADRE_COLUMNS.get(f, f) for f in a['fields'])},未检查"


@on_seat("exception")
def _exception(a: dict, n: Names) -> str:
    finding = say(Reason.model_validate(a["finding"]), n)
    return f"{finding};经组织决定{Exemption(a['kind']).zh}({a['reason']})"


def _principal(a: dict, n: Names) -> str:
    t = a["township"]
    return f"{n.cadre(a['cadre'])}任{n.township(t)}{n.post(a['post'], t)}{a['tenure']}年"


@words("principal_kept")
def _principal_kept(a: dict, n: Names) -> str:
    return _principal(a, n) + ",连任"


@words("principal_moved")
def _principal_moved(a: dict, n: Names) -> str:
    return _principal(a, n) + f",任职不满{a['years']}年即调整,未保持稳定"


@words("principal_moved_by_rule")
def _principal_moved_by_rule(a: dict, n: Names) -> str:
    by = "、".join(BLOCKED.get(b, b) for b in a["by"]) or "职位设置"
    return _principal(a, n) + f",因{by}不能连任"


@words("no_recent_principal")
def _no_recent_principal(a: dict, n: Names) -> str:
    return f"无任职不满{a['years']}年的党政正职"


@words("relatives")
def _relatives(a: dict, n: Names) -> str:
    pairs = "、".join(f"{n.cadre(x)}与{n.cadre(y)}({Kinship(k).zh})" for x, y, k in a["pairs"])
    return f"{n.township(a['township'])}:" + (f"{pairs}同在班子" if pairs else "班子成员间无亲属关系")


LIFTED, UNCHECKED = "按组织决定的例外", "缺少数据、未检查"


def note_rows(report: Iterable[RuleInstance], names: Names) -> list[tuple[str, str, str]]:
    """The notes of the rule report as (heading, rule id, text): each instance an exception
    lifts, with the decision and its reason (LIFTED), then per rule the instances that
    checked nothing for want of data, counted (UNCHECKED)."""
    lifted: list[tuple[str, str, str]] = []
    unchecked: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
    for r in report:
        if r.reason.code == "exception":
            lifted.append((LIFTED, r.rule, f"例外:{instance_text(r, names)}"))
        elif r.reason.code == "no_data":
            unchecked[(r.rule, tuple(r.reason.args["fields"]))] += 1
    return lifted + [(UNCHECKED, rule, f"{k}处:未填{'、'.join(CADRE_COLUMNS.get(f, f) for f in fields)}")
                     for (rule, fields), k in unchecked.items()]


def rule_notes(report: Iterable[RuleInstance], names: Names) -> list[str]:
    """The notes (`note_rows`) as lines of the text report, under their headings."""
    lines: list[str] = []
    for heading, rows in groupby(note_rows(report, names), key=lambda row: row[0]):
        lines += [heading + ":", *(f"  - {rule} {text}" for _, rule, text in rows)]
    return lines
