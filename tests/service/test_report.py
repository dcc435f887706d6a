"""The report an officer reads: titles from the township, the 任免表 columns, internal ids
only with a flag, the 退出名单, the county's 进退留转, the structure statistics and 不适用."""

from __future__ import annotations

from datetime import date

from model.enums import Post
from model.reasons import reason
from model.referee import judge
from model.slate import Assignment, RuleInstance, Slate
from model.structure import team_statistics
from service.render.report import change_summary, rule_summary, slate_tables
from service.render.titles import current_title, post_title, seat_title, township_kind
from service.render.words import Names
from tests.factory import cadre, scenario, township


def slate_of(sc, ids: list[str]) -> Slate:
    """The judged slate giving the scenario's seats, in order, to these cadres."""
    slate, _ = judge(sc, [Assignment(township=s.township, seat=s.id, cadre=c)
                          for s, c in zip(sc.seats, ids, strict=False)])
    return slate


def test_township_kind_from_the_last_character() -> None:
    """A 乡 and a 民族乡 are 乡, a 镇 is 镇; a name that says neither keeps 乡镇."""
    assert township_kind(township("a", name="杨泉乡")) == "乡"
    assert township_kind(township("b", name="龙山苗族乡")) == "乡"
    assert township_kind(township("c", name="东山镇")) == "镇"
    assert township_kind(township("d", name="城关街道")) == "乡镇"


def test_post_titles_follow_the_township() -> None:
    """乡长 / 副乡长 in a 乡, 镇长 / 副镇长 in a 镇, 人大主席 and 人武部长 everywhere."""
    xiang, zhen = township("a", name="杨泉乡"), township("b", name="东山镇")
    assert post_title(Post.township_head, xiang) == "乡长"
    assert post_title(Post.deputy_head, xiang) == "副乡长"
    assert post_title(Post.township_head, zhen) == "镇长"
    assert post_title(Post.deputy_head, zhen) == "副镇长"
    assert post_title(Post.congress_chair, zhen) == "人大主席"
    assert post_title(Post.armed_forces_head, xiang) == "人武部长"
    assert current_title(Post.township_head, zhen) == "东山镇镇长"
    assert current_title(Post.deputy_head, township("m", name="龙山苗族乡")) == "龙山苗族乡副乡长"


def test_seat_titles_in_the_staffs_order() -> None:
    """Bundled seats read party posts first; 党委委员 only where no other party post says it."""
    sc = scenario([township("t1", name="杨泉乡")], [cadre("x")], ruleset="xx-2011")
    seats = {s.id: s for s in sc.seats}
    t = sc.townships["t1"]
    assert seat_title(seats["head"], t) == "党委副书记、乡长"
    assert seat_title(seats["secretary"], t) == "党委书记"
    assert seat_title(seats["congress_chair"], t) == "党委委员、人大主席"
    assert seat_title(seats["armed_forces_head"], t) == "党委委员、人武部长、副乡长"
    assert seat_title(seats["deputy_head#1"], t) == "副乡长"
    assert seat_title(seats["deputy_head#1"], t, (Post.committee_member,)) == "党委委员、副乡长"
    qiong = scenario([township("t1", name="东山镇")], [cadre("x")], ruleset="qiong-2011")
    sec = next(s for s in qiong.seats if s.id == "secretary")
    assert seat_title(sec, qiong.townships["t1"]) == "党委书记、人大主席"
    c17 = scenario([township("t1", name="东山镇")], [cadre("x")], ruleset="county-2017")
    party = next(s for s in c17.seats if s.id == "deputy_secretary_party")
    assert seat_title(party, c17.townships["t1"]) == "党委专职副书记"


def county():
    """东山镇 (xx-2011): 周林 its sitting 镇长 since 2022.11, 56 and 正科 since 2020.03; the
    sitting 副镇长 吴敏 is left out; the rest are newcomers of 30 to 37."""
    people = [
        cadre("z", name="周林", birth_date=date(1980, 5, 3), rank="full_section", rank_since=date(2020, 3, 1),
              current_township="t1", current_post="township_head", post_since=date(2022, 11, 1)),
        cadre("w", name="吴敏", gender="female", age=44, current_township="t1", current_post="deputy_head",
              post_since=date(2021, 3, 1), ethnicity="苗族"),
    ]
    people += [cadre(f"c{i}", age=30 + i, gender="female" if i == 0 else "male",
                     origin="college_graduate_village_official" if i == 1 else "township_civil_servant",
                     education="college" if i == 2 else "bachelor")
               for i in range(8)]
    return scenario([township("t1", name="东山镇")], people)


def test_columns_and_ids_only_with_the_flag() -> None:
    """The 任免表 columns and a sitting member's row in them; 编号 and t1 only with ids."""
    sc = county()
    head_first = ["c0", "z", *(f"c{i}" for i in range(1, 8))]
    slate = slate_of(sc, head_first)
    text = slate_tables(sc, slate)
    assert "出生年月(年龄)" in text and "职级(任职级时间)" in text and "任现职时间" in text
    assert "来源" in text and "变动" in text and "编号" not in text and "t1" not in text
    row = next(line for line in text.splitlines() if "周林" in line)
    assert row.split() == ["党委副书记、镇长", "周林", "男", "1980.05(46)", "汉族", "本科", "正科(2020.03)",
                           "东山镇镇长", "2022.11", "乡镇公务员", "连任"]
    with_ids = slate_tables(sc, slate, ids=True)
    assert "【东山镇】(t1,2类)" in with_ids and "编号" in with_ids
    assert next(line for line in with_ids.splitlines() if "周林" in line).split()[:3] == \
        ["党委副书记、镇长", "周林", "z"]


def test_leavers_table_and_change_summary() -> None:
    """The sitting 副镇长 left out is on 东山镇's 退出名单 with 未选任; the summary counts every word."""
    sc = county()
    slate = slate_of(sc, ["c0", "z", *(f"c{i}" for i in range(1, 8))])
    text = slate_tables(sc, slate)
    block = text[text.index("退出名单:"):]
    row = next(line for line in block.splitlines() if "吴敏" in line)
    assert row.split() == ["吴敏", "东山镇副镇长", "未选任"]
    summary = change_summary(slate)
    header, _, counts = summary.splitlines()
    got = dict(zip(header.split(), counts.split(), strict=True))
    assert got["连任"] == "1" and got["退出"] == "1" and got["合计"] == str(len(sc.seats) + 1)
    assert sum(int(v) for k, v in got.items() if k != "合计") == int(got["合计"])


def test_statistics_exact_on_a_small_county() -> None:
    """New team and sitting team counted by hand: ages, women, minorities, education, 大学生村官, 连任正职."""
    sc = county()
    seated = ["c0", "z", *(f"c{i}" for i in range(1, 8))][:len(sc.seats)]
    slate = slate_of(sc, seated)
    town, whole = team_statistics(sc, slate.assignments)
    assert whole.township is None and whole.new == town.new and slate.statistics[0] == town
    new = town.new
    ages = [30 + i for i in range(len(seated) - 1)] + [46]  # the c's, then 周林
    assert new.members == len(seated)
    assert new.women == 1 and new.minority == 0 and new.college_graduate_officials == 1
    assert new.age_30_under == 1 and new.age_35_under == sum(a <= 35 for a in ages)
    assert new.age_36_45 == sum(36 <= a <= 45 for a in ages) and new.age_46_59 == 1 and new.age_60_over == 0
    assert new.age_35_50 == sum(35 <= a <= 50 for a in ages) and new.age_50_over == 0
    assert new.education_college == 1 and new.education_university == len(seated) - 1
    assert (town.principals, town.principals_continuing) == (2, 1)
    old = town.sitting
    assert (old.members, old.women, old.minority, old.age_36_45, old.age_46_59) == (2, 1, 1, 1, 1)


def test_a_rule_that_checks_nothing_reads_not_applicable() -> None:
    """Instances all without data, or all measuring nothing, read 不适用, not n/n; a broken one counts."""
    def inst(key: str, holds: bool, why, value=None, limit=None) -> RuleInstance:
        return RuleInstance(key=key, rule=key.split("@")[0], strength="must", holds=holds, reason=why,
                            value=value, limit=limit)
    report = [inst("N-5@a", True, reason("no_data", fields=["hometown"])),
              inst("N-5@b", True, reason("no_data", fields=["hometown"])),
              inst("D1-E5@a", True, reason("seat_ok"), value="汉族"),
              inst("D1-E6@a", True, reason("seat_ok"), value=0.8, limit=0.5),
              inst("D1-E6@b", True, reason("seat_ok"), limit=0.5)]
    rows = {line.split()[0]: line.split()[2] for line in rule_summary(report, Names()).splitlines()[2:7]
            if line and line.split()[0] in ("N-5", "D1-E5", "D1-E6")}
    assert rows == {"N-5": "不适用", "D1-E5": "不适用", "D1-E6": "1/1"}
