"""The election lists for staff (section V): the committee's differential candidate list (D1-V1),
the ballot in stroke order (D1-V2), the 1:2 list of new promotions (D5-V1) and the meeting of
D5-V2, as tables laid out once for the terminal and the Excel workbook (service/render/xlsx.py),
every rule cited by its id. The reasons of model/election.py are worded here."""

from __future__ import annotations

from model.election import Ballot, CommitteeList, Listed, MeetingPlan, PromotionList
from model.scenario import Scenario
from model.strokes import Convention, split_name
from service.elections import ElectionLists
from service.render.labels import STATUS_ZH
from service.render.report import month, now_text
from service.render.sheets import Cell, Table
from service.render.text import table
from service.render.words import Names, say, words
from service.render.xlsx import tables_workbook

CONVENTION_ZH = {Convention.surname: "姓氏笔画", Convention.fullname: "姓名笔画"}
WIDE_BLANK = "\u3000"
"""The full-width blank a two-character name is printed with under 姓氏笔画 (高　富)."""

CANDIDATE_HEADER = ["序号", "姓名", "性别", "出生年月(年龄)", "现任职务", "拟任职务", "人选", "得分", "说明"]
BALLOT_HEADER = ["序号", "姓名", "性别", "出生年月(年龄)", "现任职务", "说明"]
PROMOTION_HEADER = ["拟任职务", "方案人选", "现任职务", "得分", "另一人选", "现任职务", "得分", "说明"]


@words("differential_count")
def _differential_count(a: dict, _n: Names) -> str:
    return (f"应选{a['seats']}名,差额{a['extra']}名,候选人{a['required']}名"
            f"(差额比例不低于{a['percent']}%,应选人数的{a['percent']}%向上取整,{a['rule']})")


@words("differential_short")
def _differential_short(a: dict, n: Names) -> str:
    return (f"{n.township(a['township'])}符合条件的差额人选只有{a['eligible']}名,候选人{a['have']}名,"
            f"少于应有的{a['required']}名({a['rule']})")


@words("ballot_order")
def _ballot_order(a: dict, _n: Names) -> str:
    return (f"书记、副书记{a['leaders']}名按职务排在前面,其余{a['others']}名按"
            f"{CONVENTION_ZH[Convention(a['convention'])]}排序({a['rule']})")


@words("promotion_ratio")
def _promotion_ratio(a: dict, _n: Names) -> str:
    return (f"新提拔职位{a['seats']}个,按1:2应提出{2 * a['seats']}名人选,已提出{a['names']}名"
            f"({a['rule']})")


@words("promotion_short")
def _promotion_short(a: dict, n: Names) -> str:
    return f"{n.seat(a['township'], a['seat'])}:没有符合条件的第二名提拔人选({a['rule']})"


@words("meeting_kind")
def _meeting_kind(a: dict, _n: Names) -> str:
    if a["members"] >= a["threshold"]:
        return f"党员{a['members']}名,在{a['threshold']}名以上,可召开党员代表大会({a['rule']})"
    if a["dispersed"]:
        return (f"党员{a['members']}名,不足{a['threshold']}名,但所辖党组织驻地分散,可召开党员代表大会"
                f"({a['rule']})")
    return f"党员{a['members']}名,不足{a['threshold']}名,召开党员大会({a['rule']})"


FIVE_KINDS = (("ill", "有病不能表达本人意志"), ("abroad", "自费出国半年以上"), ("imprisoned", "正在服刑"),
              ("dependent", "生活不能自理"), ("untransferred", "应转而未转组织关系"))
"""The five kinds not counted among those who should attend (D5-V2), in the text's order."""


@words("meeting_should_attend")
def _meeting_should_attend(a: dict, _n: Names) -> str:
    kinds = "、".join(f"{zh}{a[k]}名" for k, zh in FIVE_KINDS)
    return (f"应到会党员{a['should_attend']}名:党员{a['members']}名,不计入“五种人”"
            f"{a['members'] - a['should_attend']}名({kinds})({a['rule']})")


@words("meeting_quorum")
def _meeting_quorum(a: dict, _n: Names) -> str:
    exact = a["should_attend"] * a["numerator"] / a["denominator"]
    return (f"召开党员大会,到会人数须超过应到会人数的五分之四:{a['should_attend']}×4/5={exact:g},"
            f"至少到会{a['quorum']}名({a['rule']})")


@words("meeting_present")
def _meeting_present(a: dict, _n: Names) -> str:
    verdict = "已超过五分之四,可以进行选举" if a["quorate"] else "未超过五分之四,不能进行选举"
    return f"到会{a['present']}名,{verdict}(至少{a['quorum']}名,{a['rule']})"


# --------------------------------------------------------------------------- tables


def ballot_name(name: str, convention: Convention) -> str:
    """The name as the ballot prints it: under 姓氏笔画 a single surname and a one-character given name
    with a full-width blank between (高　富), so names line up by surname."""
    surname, given = split_name(name)
    if convention == Convention.surname and len(surname) == 1 and len(given) == 1:
        return surname + WIDE_BLANK + given
    return name


def person(sc: Scenario, x: Listed) -> list[Cell]:
    c = sc.cadre_by_id[x.cadre]
    return [c.gender.zh, f"{month(c.birth_date)}({c.age(sc.reshuffle_date)}岁)", now_text(sc, c)]


def notes(x: Listed) -> str:
    return ";".join(f"未满足{r}(一般规则)" for r in x.broken)


def candidates_table(sc: Scenario, cl: CommitteeList, names: Names) -> Table:
    """The committee's candidate list of D1-V1: the slate's members, then the 差额人选."""
    rows: list[list[Cell]] = []
    for i, x in enumerate(cl.candidates, 1):
        kind = "方案人选" if i <= len(cl.members) else "差额人选"
        rows.append([i, x.name, *person(sc, x), names.seat(cl.township, x.seat), kind, x.points, notes(x)])
    title = f"{names.township(cl.township)}党委委员候选人差额名单(D1-V1)"
    return Table(title, CANDIDATE_HEADER, rows, frozenset({8}), "candidates")


def ballot_table(sc: Scenario, b: Ballot, names: Names) -> Table:
    """The ballot of D1-V2, in its order."""
    rows: list[list[Cell]] = []
    for e in b.entries:
        x = e.candidate
        note = names.seat(b.township, x.seat) if x.leader else ""
        rows.append([e.number, ballot_name(x.name, b.convention), *person(sc, x), note])
    title = f"{names.township(b.township)}党委委员选举选票(按{CONVENTION_ZH[b.convention]}排序,D1-V2)"
    return Table(title, BALLOT_HEADER, rows, key="ballot")


def promotions_table(sc: Scenario, pl: PromotionList, names: Names) -> Table:
    """The 1:2 list of D5-V1: a row per seat filled by a new promotion."""
    rows: list[list[Cell]] = []
    for p in pl.pairs:
        other: list[Cell] = ["", "", ""] if p.other is None else [
            p.other.name, now_text(sc, sc.cadre_by_id[p.other.cadre]), p.other.points]
        note = "无符合条件的第二名人选" if p.other is None else notes(p.other)
        holder = sc.cadre_by_id[p.holder.cadre]
        rows.append([names.seat(pl.township, p.seat), p.holder.name, now_text(sc, holder), p.holder.points,
                     *other, note])
    title = f"{names.township(pl.township)}新提拔人选1:2推荐名单(D5-V1)"
    return Table(title, PROMOTION_HEADER, rows, frozenset({7}), "promotions")


def reasons_table(title: str, lines: list[str]) -> Table:
    return Table(title, ["序号", "说明"], [[i, t] for i, t in enumerate(lines, 1)], frozenset({1}), "reasons")


def list_lines(lists: ElectionLists, names: Names) -> list[str]:
    """Every reason of the lists, worded, in the order ballot, candidates, promotions."""
    out = ballot_lines(lists.ballot, names) if lists.ballot is not None else []
    if lists.promotions is not None:
        out += [say(r, names) for r in lists.promotions.reasons]
    return out


def ballot_lines(b: Ballot, names: Names) -> list[str]:
    return [say(r, names) for r in (*b.reasons, *b.committee.reasons)]


def plain(t: Table) -> str:
    return "\n".join([t.title, table(t.header, [[str(c) for c in row] for row in t.rows])])


def no_slate_text(lists: ElectionLists) -> str:
    status = STATUS_ZH[lists.status] if lists.status is not None else ""
    return f"没有可用的方案({status}),无法产生名单;`huanjie solve` 说明原因"


def ballot_text(sc: Scenario, lists: ElectionLists) -> str:
    """`huanjie ballot`: the ballot, then why it is in this order and how long it is."""
    if lists.ballot is None:
        return no_slate_text(lists)
    names = Names.of(sc)
    b = lists.ballot
    return "\n\n".join([plain(ballot_table(sc, b, names)), "\n".join(ballot_lines(b, names))])


def candidates_text(sc: Scenario, lists: ElectionLists) -> str:
    """`huanjie candidates`: the differential list and the 1:2 list, each with its reasons."""
    if lists.ballot is None or lists.promotions is None:
        return no_slate_text(lists)
    names = Names.of(sc)
    cl, pl = lists.ballot.committee, lists.promotions
    return "\n\n".join([plain(candidates_table(sc, cl, names)), "\n".join(say(r, names) for r in cl.reasons),
                        plain(promotions_table(sc, pl, names)), "\n".join(say(r, names) for r in pl.reasons)])


def lists_workbook(sc: Scenario, lists: ElectionLists) -> bytes:
    """The workbook of a township's lists: 选票, 差额候选人名单, 提拔人选1:2名单, 说明."""
    assert lists.ballot is not None and lists.promotions is not None
    names = Names.of(sc)
    return tables_workbook([
        ("选票", ballot_table(sc, lists.ballot, names)),
        ("差额候选人名单", candidates_table(sc, lists.ballot.committee, names)),
        ("提拔人选1比2名单", promotions_table(sc, lists.promotions, names)),
        ("说明", reasons_table("名单说明", list_lines(lists, names)))])


def meeting_table(plan: MeetingPlan) -> Table:
    kind = "党员代表大会(可召开)" if plan.congress else "党员大会"
    rows: list[list[Cell]] = [["会议", kind], ["党员人数", plan.membership.members],
                              ["不计入应到会人数的“五种人”", plan.membership.not_counted],
                              ["应到会党员", plan.should_attend], ["党员大会至少到会", plan.quorum]]
    if plan.quorate is not None:
        rows.append(["到会党员", f"{plan.membership.present}({'符合' if plan.quorate else '不符合'}D5-V2)"])
    return Table("召开党员大会或党员代表大会(D5-V2)", ["项目", "内容"], rows, key="meeting")


def meeting_text(plan: MeetingPlan) -> str:
    """`huanjie meeting`: the figures, then each reason with its rule."""
    names = Names()
    return "\n\n".join([plain(meeting_table(plan)), "\n".join(say(r, names) for r in plan.reasons)])


def meeting_workbook(plan: MeetingPlan) -> bytes:
    return tables_workbook([("会议", meeting_table(plan)),
                            ("说明", reasons_table("说明", [say(r, Names()) for r in plan.reasons]))])
