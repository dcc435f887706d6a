"""Reports for staff, in Chinese: slates as tables per township (with the 退出名单 and the
structure statistics), the county's 进退留转, the rule report,
the score breakdown, a solve result, a verdict on a slate and the score analysis."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from model.analysis import Analysis
from model.diff import diff_slates
from model.enums import Change, Post, Rank, Strength
from model.people import Cadre, Township
from model.reasons import Reason
from model.ruleset import Seat
from model.scenario import Scenario
from model.slate import Assignment, Leaver, RuleInstance, Score, Slate, SolveResult
from service.render.career import rule_notes
from service.render.catalog import CATALOG
from service.render.infeasible import reason_lines
from service.render.labels import STATUS_ZH, term_zh
from service.render.rules import instance_text, term_text
from service.render.statistics import statistics_table
from service.render.text import table
from service.render.titles import current_title, seat_title
from service.render.words import Names, say, words

BROKEN_TAG = {"must": "违反必须规则", "generally": "未满足一般规则", "prefer": "偏好未满足"}


def month(d: date | None) -> str:
    """'1980.05': a date as staff write it in a 任免表; blank when unknown."""
    return f"{d.year}.{d.month:02d}" if d else ""


def now_text(sc: Scenario, c: Cadre) -> str:
    """The post held now, named in its township (东山镇镇长), or the unit a newcomer comes from."""
    if c.current_post is not None and c.current_township is not None:
        return current_title(c.current_post, sc.townships[c.current_township])
    return c.current_unit or (sc.townships[c.current_township].name if c.current_township else "") or "—"


def rank_text(c: Cadre) -> str:
    """'副科(2019.03)': the rank and since when; '无' for none."""
    since = month(c.rank_since) if c.rank != Rank.none else ""
    return c.rank.zh + (f"({since})" if since else "")


SEAT_HEADER = ["职务", "姓名", "性别", "出生年月(年龄)", "民族", "学历", "职级(任职级时间)", "现任职务",
               "任现职时间", "来源", "变动"]
LEAVER_HEADER = ["姓名", "现任职务", "原因", "去向"]


def with_id(header: list[str], ids: bool) -> list[str]:
    """The column 编号 after 姓名, with `--ids` only."""
    return [*header[:2], "编号", *header[2:]] if ids else header


def seat_row(sc: Scenario, a: Assignment, seat: Seat, ids: bool) -> list[str]:
    c = sc.cadre_by_id[a.cadre]
    row = [seat_title(seat, sc.townships[a.township], a.extra_posts), c.name, c.gender.zh,
           f"{month(c.birth_date)}({c.age(sc.reshuffle_date)})", c.ethnicity, c.education.zh, rank_text(c),
           now_text(sc, c), month(c.post_since) if c.is_sitting else "", c.origin.zh,
           a.change.zh if a.change else ""]
    return [*row[:2], c.id, *row[2:]] if ids else row


def leaver_rows(sc: Scenario, leavers: list[Leaver], names: Names, ids: bool) -> list[list[str]]:
    """One row per leaver: 姓名, 现任职务, 原因 (its reasons), 去向 (staff fill it in)."""
    rows = []
    for gone in leavers:
        row = [names.cadre(gone.cadre), current_title(gone.post, sc.townships[gone.township]),
               ";".join(say(r, names.at(gone.township)) for r in gone.reasons),
               gone.destination.zh if gone.destination else ""]
        rows.append([row[0], gone.cadre, *row[1:]] if ids else row)
    return rows


def township_head(t: Township, ids: bool) -> str:
    return f"【{t.name}】({t.id},{t.township_class}类)" if ids else f"【{t.name}】({t.township_class}类)"


def slate_tables(sc: Scenario, slate: Slate, ids: bool = False) -> str:
    """Per township: the team (职务 … 变动), its 退出名单 and its structure beside the sitting
    team's. Internal ids (编号, t01) only with `ids`."""
    names = Names.of(sc)
    seats = {(s.township, s.id): s for s in sc.seats}
    by_town: dict[str, list[list[str]]] = defaultdict(list)
    for a in slate.assignments:
        if a.cadre in sc.cadre_by_id and (a.township, a.seat) in seats:
            by_town[a.township].append(seat_row(sc, a, seats[(a.township, a.seat)], ids))
    gone: dict[str, list[Leaver]] = defaultdict(list)
    for leaver in slate.leavers:
        gone[leaver.township].append(leaver)
    stats = {s.township: s for s in slate.statistics}
    out = []
    for t in sc.county.townships:
        part = [township_head(t, ids), table(with_id(SEAT_HEADER, ids), by_town[t.id])]
        if gone[t.id]:
            part += ["退出名单:", table(with_id(LEAVER_HEADER, ids), leaver_rows(sc, gone[t.id], names, ids))]
        else:
            part.append("退出名单:无")
        if t.id in stats:
            part += ["班子结构(新班子/原班子):", statistics_table(stats[t.id])]
        out.append("\n".join(part))
    return "\n\n".join(out)


def change_counts(slate: Slate, township: str | None = None) -> Counter[Change]:
    """进退留转 by word: how many seats (of `township`, or the county) get each 变动, and 退出
    for the leavers (a leaver counts in the township they sit in now)."""
    counts = Counter(a.change for a in slate.assignments
                     if a.change is not None and township in (None, a.township))
    counts[Change.leaves] += sum(1 for x in slate.leavers if township in (None, x.township))
    return counts


def change_summary(slate: Slate) -> str:
    """The county's 进退留转 by word: how many seats get each 变动, and 退出 for the leavers."""
    counts = change_counts(slate)
    words = list(Change)
    total = sum(counts.values())
    return table([w.zh for w in words] + ["合计"], [[str(counts[w]) for w in words] + [str(total)]])


def applies(r: RuleInstance) -> bool:
    """Whether an instance checks something: a broken one does; one that holds for want of
    data (no_data) does not, nor a seated one that measures nothing here (no value or no limit:
    D1-E5 outside a 民族乡, D1-E6 on a newcomer)."""
    if not r.holds:
        return True
    if r.reason.code == "no_data":
        return False
    return not (r.reason.code == "seat_ok" and (r.value is None or r.limit is None))


RULE_HEADER = ["规则", "强度", "符合", "内容"]


def rule_rows(report: tuple[RuleInstance, ...] | list[RuleInstance]) -> list[list[str]]:
    """Per rule, in the report's order: id, strength, how many of the instances that check
    something hold (不适用 where none does: the rule applies nowhere, or lacks its data
    everywhere), and the clause (service/render/catalog.py)."""
    by_rule: dict[str, list[RuleInstance]] = defaultdict(list)
    for r in report:
        by_rule[r.rule].append(r)
    rows = []
    for rid, items in by_rule.items():
        live = [r for r in items if applies(r)]
        ok = sum(1 for r in live if r.holds)
        held = f"{ok}/{len(live)}" if live else "不适用"
        rows.append([rid, items[0].strength.zh, held, CATALOG.get(rid, rid)])
    return rows


def broken_instances(report: tuple[RuleInstance, ...] | list[RuleInstance]) -> list[RuleInstance]:
    """The instances that do not hold, rule by rule in the order of `rule_rows`."""
    first: dict[str, int] = {}
    for i, r in enumerate(report):
        first.setdefault(r.rule, i)
    return sorted((r for r in report if not r.holds), key=lambda r: first[r.rule])


def broken_tag(r: RuleInstance) -> str:
    """违反必须规则 / 未满足一般规则 / 偏好未满足, by the instance's strength."""
    return BROKEN_TAG[r.strength.value]


def penalty_text(r: RuleInstance) -> str:
    return f"(扣{r.penalty}分)" if r.penalty else ""


def rule_summary(report: tuple[RuleInstance, ...] | list[RuleInstance], names: Names) -> str:
    """The rule rows (`rule_rows`), then each broken instance with its numbers, then the notes."""
    broken = [f"  - {r.rule} {broken_tag(r)}:{instance_text(r, names)}{penalty_text(r)}"
              for r in broken_instances(report)]
    text = table(RULE_HEADER, rule_rows(report))
    text += "\n未满足的规则:\n" + "\n".join(broken) if broken else "\n全部规则均满足。"
    notes = rule_notes(report, names)
    return text + ("\n" + "\n".join(notes) if notes else "")


def score_summary(s: Score | None) -> str:
    if s is None:
        return ""
    parts = [f"{term_zh(k)} {v:+d}" for k, v in s.by_term().items()]
    return (
        f"得分 {s.points}(" + ",".join(parts) + f");未满足一般规则 {s.violations} 条;"
        f"目标值 {s.objective}"
    )


def solve_info(result: SolveResult) -> list[str]:
    """The closing section 求解信息: the status, the pairs, the times and each solve's figures."""
    lines = ["求解信息:",
             f"  状态:{result.status} {STATUS_ZH[result.status]}  "
             f"候选配对 {result.candidate_pairs}(已排除 {result.dropped_pairs})  "
             f"建模与线性松弛 {result.build_time:.2f}s"]
    for i, st in enumerate(result.solves, 1):
        if st.objective is None:
            lines.append(f"  求解{i}:{st.status} 用时{st.wall_time:.2f}s")
        else:
            lines.append(
                f"  求解{i}:{st.status} 目标值 {st.objective:.0f} 上界 {st.bound:.0f} "
                f"差距 {st.gap:.2%} 用时 {st.wall_time:.2f}s"
                + (f" 求解配对 {st.pairs}" if st.pairs is not None else "")
            )
    return lines


def result_text(sc: Scenario, result: SolveResult, ids: bool = False) -> str:
    """The report of a solve: each slate by township (team, 退出名单, structure), the county's
    进退留转 and structure, the rule check; the solver's figures close it (求解信息)."""
    names = Names.of(sc)
    lines = [f"情景:{sc.name or '(未命名)'}  规则集:{result.ruleset}  换届日期:{sc.reshuffle_date}"]
    if not result.slates:
        lines.append(f"结果:{STATUS_ZH[result.status]}")
    why = reason_lines(result.reasons, result.relaxations, names)
    if why:
        lines.append("原因:")
        lines += [f"  {r}" for r in why]
    best = result.slates[0].score.objective if result.slates and result.slates[0].score else None
    bound = result.solves[0].bound if result.solves else None
    overrides = [r for r in result.relaxations if r.rule != "pin"]
    if overrides:
        lines.append("放宽后可行的覆盖设置(写入情景的 rules:):")
        lines += [f"  {r.rule}: {r.override}" for r in overrides]
    for slate in result.slates:
        lines.append("")
        lines.append(f"==================== 方案 {slate.rank} ====================")
        lines.append(score_summary(slate.score))
        if slate.score is not None and best is not None and slate.rank and slate.rank > 1:
            moved = len(diff_slates(result.slates[0], slate).seats)
            lines.append(f"与方案1相比:目标值 {slate.score.objective - best:+d},{moved}个职位人选不同;"
                         f"最优上界 {bound:.0f}")
        lines += ["", slate_tables(sc, slate, ids), "", "进退留转汇总(全县):", change_summary(slate)]
        county = next((s for s in slate.statistics if s.township is None), None)
        if county is not None:
            lines += ["", "班子结构(全县,新班子/原班子):", statistics_table(county)]
        lines += ["", "规则检查(复核独立核验):", rule_summary(slate.report, names)]
    lines += ["", *solve_info(result)]
    return "\n".join(lines)


def fewer_slates_line(top: int, result: SolveResult) -> str | None:
    """The report's sentence when fewer slates were found than --top asked for, and why."""
    found = len(result.slates)
    if not found or found >= top:
        return None
    if result.solves and result.solves[-1].status == "INFEASIBLE":
        return f"只找到{found}个方案(要求{top}个):没有更多满足条件且彼此足够不同的方案。"
    return f"只找到{found}个方案(要求{top}个):求解在找到更多方案之前停止(时间用尽或中断)。"


def verdict_text(sc: Scenario, slate: Slate, problems: list[Reason], ids: bool = False) -> str:
    """The verdict, the structural problems, the slate by township with its 进退留转, the rule check."""
    names = Names.of(sc)
    must = [r for r in slate.report if r.strength == Strength.must and not r.holds]
    head = "核验通过" if not problems and not must else "核验未通过"
    lines = [head, score_summary(slate.score)]
    if problems:
        lines.append("结构问题:")
        lines += [f"  - {say(p, names)}" for p in problems]
    if not problems:
        lines += ["", slate_tables(sc, slate, ids), "", "进退留转汇总(全县):", change_summary(slate), ""]
    lines.append(rule_summary(slate.report, names))
    return "\n".join(lines)


def warnings_text(sc: Scenario, slate: Slate, problems: list[Reason]) -> str | None:
    """What `explain` says before the analysis of a hand-made slate that would not pass
    the referee: its structural problems and broken must rules (None if it passes)."""
    names = Names.of(sc)
    must = [r for r in slate.report if r.strength == Strength.must and not r.holds]
    if not problems and not must:
        return None
    lines = ["注意:此方案核验未通过,以下得分仅供参考"]
    lines += [f"  - {say(p, names)}" for p in problems]
    lines += [f"  - {r.rule} 违反必须规则:{instance_text(r, names)}" for r in must]
    return "\n".join(lines)


def analysis_text(sc: Scenario, analysis: Analysis | None) -> str:
    """The score broken down by term, by township and by rule, each contribution
    with the sentence that justifies it (e.g. "王某任党委书记:近三年考核优秀2次 +8")."""
    if analysis is None:
        return ""
    names = Names.of(sc)
    s = analysis.score
    lines = [score_summary(s), "", "按项目:"]
    lines += [f"  {term_zh(k)} {v:+d}" for k, v in analysis.by_term.items()]
    lines += ["", "按乡镇:"]
    lines += [f"  {names.townships.get(t.township or '', '全县')} {t.points:+d}"
              for t in analysis.by_township]
    lines += ["", "按规则(未满足的一般规则与偏好):"]
    lines += [f"  {r.rule} {r.strength.zh}:{instance_text(r, names)}" + (f" {-r.penalty:+d}" if r.penalty else
              f" (一般规则,计{s.big_m}分)") for r in analysis.broken] or ["  无"]
    lines += ["", "逐项明细:"]
    lines += [f"  [{term_zh(t.term)}] {term_text(t, names)} {t.points:+d}" for t in analysis.terms]
    return "\n".join(lines)


# --- the referee's structural problems of a slate -------------------------------------


def _seat(a: dict, n: Names) -> str:
    """'东山镇党委书记(t03/secretary)'; the ids alone where the names are not known."""
    t, s = a["township"], a["seat"]
    where = f"{t}/{s}"
    return f"{n.township(t)}{n.seat(t, s)}({where})" if t in n.townships else where


@words("unknown_cadre")
def _unknown_cadre(a: dict, n: Names) -> str:
    return f"{_seat(a, n)}:候选池中没有编号为{a['cadre']}的干部"


@words("no_such_seat")
def _no_such_seat(a: dict, n: Names) -> str:
    return f"{a['township']}/{a['seat']}:规则集{a['ruleset']}中没有这个职位"


@words("posts_not_optional")
def _posts_not_optional(a: dict, n: Names) -> str:
    posts = "、".join(Post(p).zh for p in a["posts"])
    return f"{_seat(a, n)}:该职位不能兼任{posts}"


@words("seat_given_twice")
def _seat_given_twice(a: dict, n: Names) -> str:
    return f"{_seat(a, n)}:同一职位安排了{a['times']}人"


@words("seat_left_empty")
def _seat_left_empty(a: dict, n: Names) -> str:
    return f"{_seat(a, n)}:职位空缺"


@words("cadre_removed")
def _cadre_removed(a: dict, n: Names) -> str:
    return f"{_seat(a, n)}:{n.cadre(a['cadre'])}({a['cadre']})已从候选池中移除"


@words("cadre_seated_twice")
def _cadre_seated_twice(a: dict, n: Names) -> str:
    return f"{n.cadre(a['cadre'])}({a['cadre']})同时担任{a['seats']}个职位"
