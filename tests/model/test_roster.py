"""Excel rosters (model/roster.py): the staff layout read, every bad cell located, the round trip."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.enums import Education, Gender, Post
from model.errors import InputErrors
from model.generator import generate_county
from model.io import load_scenario
from model.records import CellError
from model.roster import education_of, load_roster, parse_post_text, roster_date
from model.writers import roster_bytes, save_roster
from tests.workbooks import SETTINGS, STAFF_HEADER, TOWNS, TOWNSHIPS, workbook

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "scenarios" / "demo-county"
def staff_roster() -> bytes:
    cadres = [
        ["东县乡镇领导班子换届干部名册"],
        STAFF_HEADER,
        [1, "张三", "男", "汉族", "东山镇", "1978.05", "2000年7月", "1998.8", "大学", "研究生",
         "东山镇党委副书记、镇长", datetime(2021, 6, 1), "2019-05", "正科", "拟留任"],
        [2, "李梅", "女", "苗族", "本县", 1985.1, None, "2006.07", "大专", None,
         "西山乡人大主席", "2021年6月", "2021.6", "正科", None],
        [3, "王五", "男", "汉", None, "1990年5月", None, "2012.7", "中专", "大学本科",
         "马林镇党委委员、副镇长", "2022.03", "2022.03", "副科", None],
        [4, "赵六", "女", "汉族", None, "1988-11", None, "2010.9", "本科", None,
         "县财政局副局长", None, None, "副科", None],
        ["注:出生年月按身份证填写"],
    ]
    return workbook({"设置": SETTINGS, "乡镇": TOWNSHIPS, "干部": cadres}, {("干部", "F4"): "0.00"})


def located(e: InputErrors) -> list[tuple[str, int | None, str, str]]:
    return [(x.file, x.row, x.field, x.value) for x in e.errors]


def test_a_roster_in_the_staff_layout_reads_to_its_cadres() -> None:
    """Title rows, the headers staff write, month-only dates, two education columns and free-text
    posts read to the cadres they mean."""
    sc = load_roster(staff_roster(), "roster.xlsx")
    a, b, c, d = sc.cadres
    assert [x.id for x in sc.cadres] == ["g0001", "g0002", "g0003", "g0004"]
    assert (a.name, a.gender, a.birth_date, a.party_since, a.work_since) == (
        "张三", Gender.male, date(1978, 5, 1), date(2000, 7, 1), date(1998, 8, 1))
    assert (a.education, a.current_township, a.current_post) == (Education.postgraduate, "t1",
                                                                 Post.township_head)
    assert (a.post_since, a.rank_since, a.hometown) == (date(2021, 6, 1), date(2019, 5, 1), "东山镇")
    assert (b.birth_date, b.ethnicity, b.education, b.current_township, b.current_post) == (
        date(1985, 10, 1), "苗族", Education.college, "t2", Post.congress_chair)
    assert (c.education, c.current_township, c.current_post) == (Education.bachelor, "t3", Post.deputy_head)
    assert (d.current_township, d.current_post, d.current_unit) == (None, None, "县财政局副局长")
    assert sc.name == "东县2026年换届" and [t.name for t in sc.county.townships] == TOWNS


def test_every_bad_cell_is_reported_at_its_sheet_row_and_column_in_one_pass() -> None:
    """A bad date, an unknown gender, an unreadable 现任职务, an unknown township, a bad degree, a
    missing column and one person twice: each error located, all of them at once."""
    header = ["序号", "姓名", "性别", "出生年月", "学历", "现任职务"]
    east = [["东山镇干部名册"], header,
            [1, "张三", "男", "1978.13", "本科", "东山镇党委副书记、镇长"],
            [2, "李四", "不详", "1980.05", "本科", "东山镇人大主席"],
            [3, "王五", "男", "1981.05", "本科", "东山镇党委书纪"],
            [4, "赵六", "女", "1982.05", "扫盲班", "北山镇党委书记"],
            [5, "李四", "女", "1980.05", "大专", None]]
    west = [["西山乡干部名册"], ["姓名", "出生年月", "学历"], ["钱七", "1979.05", "本科"]]
    data = workbook({"设置": SETTINGS, "乡镇": TOWNSHIPS, "东山镇": east, "西山乡": west})
    with pytest.raises(InputErrors) as e:
        load_roster(data, "roster.xlsx")
    east_f, west_f = "roster.xlsx[东山镇]", "roster.xlsx[西山乡]"
    assert located(e.value) == [
        (east_f, 3, "出生年月 (D)", "1978.13"),
        (east_f, 4, "性别 (C)", "不详"),
        (east_f, 5, "现任职务 (F)", "东山镇党委书纪"),
        (east_f, 6, "学历 (E)", "扫盲班"),
        (east_f, 6, "现任职务 (F)", "北山镇党委书记"),
        (east_f, 7, "姓名 (B)", "李四"),
        (west_f, 2, "性别", ""),
    ]
    text = str(e.value)
    assert "roster.xlsx[东山镇], row 6, field '现任职务 (F)': '北山镇' is not a township" in text
    assert "the same 姓名 and 出生年月 as row 4" in text
    assert "missing column 'gender' (性别)" in text


def test_unknown_and_doubled_columns_and_no_header_are_located() -> None:
    """An unknown header, a column given twice and a sheet without a header row name their cells."""
    cadres = [["姓名", "性别", "出生年月", "学历", "爱好", "性别"],
              ["张三", "男", "1978.05", "本科", "书法", "男"]]
    data = workbook({"设置": SETTINGS, "乡镇": TOWNSHIPS, "干部": cadres, "其他": [["随便写的"]]})
    with pytest.raises(InputErrors) as e:
        load_roster(data, "r.xlsx")
    assert [(x.file, x.row, x.field) for x in e.value.errors] == [
        ("r.xlsx[干部]", 1, "爱好 (E)"), ("r.xlsx[干部]", 1, "性别 (F)"), ("r.xlsx[其他]", None, "")]


def test_a_sheet_per_township_gives_each_cadre_its_township() -> None:
    """Without a 乡镇 sheet each sheet is a township; a bare post is of the sheet's township."""
    header = ["姓名", "性别", "出生年月", "学历", "现任职务", "任现职时间"]
    data = workbook({"设置": SETTINGS,
                     "东山镇": [header, ["张三", "男", "1978.05", "本科", "党委书记", "2021.06"]],
                     "西山乡": [header, ["李四", "女", "1980.05", "本科", "乡长", "2021.06"],
                               ["王五", "男", "1985.05", "大专", "东山镇党委委员", "2021.06"]]})
    with pytest.raises(InputErrors) as e:
        load_roster(data, "r.xlsx")
    assert located(e.value) == [("r.xlsx[西山乡]", 3, "现任职务 (E)", "东山镇党委委员")]
    data = workbook({"设置": SETTINGS,
                     "东山镇": [header, ["张三", "男", "1978.05", "本科", "党委书记", "2021.06"]],
                     "西山乡": [header, ["李四", "女", "1980.05", "本科", "乡长", "2021.06"]]})
    sc = load_roster(data, "r.xlsx")
    assert [(t.id, t.name) for t in sc.county.townships] == [("t01", "东山镇"), ("t02", "西山乡")]
    assert [(c.current_township, c.current_post) for c in sc.cadres] == [
        ("t01", Post.party_secretary), ("t02", Post.township_head)]


def test_settings_errors_name_their_row_of_the_settings_sheet() -> None:
    """A bad reshuffle date in 设置 is reported at its row there."""
    bad = [*SETTINGS[:2], ["换届日期", "明年"], *SETTINGS[3:]]
    cadres = [["姓名", "性别", "出生年月", "学历"], ["张三", "男", "1978.05", "本科"]]
    with pytest.raises(InputErrors) as e:
        load_roster(workbook({"设置": bad, "乡镇": TOWNSHIPS, "干部": cadres}), "r.xlsx")
    assert located(e.value) == [("r.xlsx[设置]", 3, "reshuffle_date", "明年")]


def test_without_a_settings_sheet_the_scenario_yaml_beside_it_is_read(tmp_path: Path) -> None:
    """A roster with no 设置 sheet takes its folder's scenario.yaml; with neither, one error says so."""
    cadres = [["姓名", "性别", "出生年月", "学历"], ["张三", "男", "1978.05", "本科"]]
    path = tmp_path / "r.xlsx"
    path.write_bytes(workbook({"乡镇": TOWNSHIPS, "干部": cadres}))
    with pytest.raises(InputErrors) as e:
        load_scenario(path)
    assert "no settings" in str(e.value) and len(e.value.errors) == 1
    (tmp_path / "scenario.yaml").write_text(
        "reshuffle_date: 2026-09-01\ncounty: {id: c1, name: 东县}\nruleset: xx-2011\n", encoding="utf-8")
    assert load_scenario(path).cadres[0].name == "张三"


def test_an_old_xls_or_a_broken_workbook_is_one_error(tmp_path: Path) -> None:
    """A .xls is asked to be saved as .xlsx; bytes that are no workbook are one located error."""
    (tmp_path / "r.xls").write_bytes(b"x")
    with pytest.raises(InputErrors, match="save it in Excel"):
        load_scenario(tmp_path / "r.xls")
    with pytest.raises(InputErrors) as e:
        load_scenario(b"not a zip", name="r.xlsx")
    assert [x.file for x in e.value.errors] == ["r.xlsx"]


@pytest.mark.parametrize(("cell", "fmt", "expected"), [
    ("1978.05", "General", date(1978, 5, 1)), ("1978.5", "General", date(1978, 5, 1)),
    ("1978年5月", "General", date(1978, 5, 1)), ("1978-05", "General", date(1978, 5, 1)),
    ("1978.05.12", "General", date(1978, 5, 12)), ("1978年5月12日", "General", date(1978, 5, 12)),
    (1978.05, "General", date(1978, 5, 1)), (1978.1, "0.00", date(1978, 10, 1)),
    (1978.12, "General", date(1978, 12, 1)),
])
def test_month_only_dates_are_the_first_of_the_month(cell: Any, fmt: str, expected: date) -> None:
    """Every date form staff write reads to its day; a month-only one to the 1st."""
    assert roster_date(cell, fmt) == expected


@pytest.mark.parametrize("cell", ["1978.13", "1978", "五月", 1978.1])
def test_bad_or_ambiguous_dates_are_refused(cell: Any) -> None:
    """No such month, a year alone, words, and 1978.1 in a number cell (January or October?)."""
    with pytest.raises(CellError):
        roster_date(cell)


@pytest.mark.parametrize(("text", "level"), [
    ("研究生", Education.postgraduate), ("硕士研究生", Education.postgraduate), ("大学", Education.bachelor),
    ("大学本科", Education.bachelor), ("大学专科", Education.college), ("大专", Education.college),
    ("中专", Education.secondary_vocational), ("高中", Education.senior_high),
    ("初中", Education.junior_high),
])
def test_degree_words_map_onto_the_education_levels(text: str, level: Education) -> None:
    """The degree words of rosters are the levels of Education (大学专科 is 大专, not 大学)."""
    assert education_of(text) == level


@pytest.mark.parametrize(("text", "township", "main"), [
    ("东山镇党委副书记、镇长", "东山镇", Post.township_head),
    ("西山乡人大主席", "西山乡", Post.congress_chair),
    ("马林镇党委委员、副镇长", "马林镇", Post.deputy_head),
    ("东山镇党委书记（兼人大主席）", "东山镇", Post.party_secretary),
    ("党委委员", None, Post.committee_member),
    ("县财政局副局长", None, None),
    ("东山镇党政办主任", "东山镇", None),
    ("县纪委书记", None, None),
])
def test_post_text_gives_the_township_and_the_main_post(text: str, township: str | None,
                                                       main: Post | None) -> None:
    """现任职务 names the township and the posts; the main post is the first not held with another."""
    said = parse_post_text(text, TOWNS)
    assert (said.township, said.main_post) == (township, main)


@pytest.mark.parametrize("text", ["北山镇党委书记", "东山镇党委书纪", "东山镇党委书记、县长"])
def test_post_text_that_cannot_be_read_is_refused(text: str) -> None:
    """An unknown township, a typo in a post, a word that is no team post."""
    with pytest.raises(CellError):
        parse_post_text(text, TOWNS)


def test_the_demo_county_round_trips_and_the_sample_roster_is_it(tmp_path: Path) -> None:
    """save_roster then load_scenario gives the scenario back; scenarios/demo-roster.xlsx is the demo."""
    sc = load_scenario(DEMO)
    save_roster(sc, tmp_path / "demo.xlsx")
    assert load_scenario(tmp_path / "demo.xlsx") == sc
    with pytest.raises(FileExistsError):
        save_roster(sc, tmp_path / "demo.xlsx")
    assert load_scenario(ROOT / "scenarios" / "demo-roster.xlsx") == sc


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(townships=st.integers(1, 3), extra=st.integers(0, 20), seed=st.integers(0, 10_000),
       ruleset=st.sampled_from(["xx-2011", "qiong-2011", "county-2017"]))
def test_a_generated_county_reads_back_from_its_roster(townships: int, extra: int, seed: int,
                                                      ruleset: str) -> None:
    """Any small generated county, written as a roster and read back, is the same scenario."""
    sc = generate_county(townships, 60 * townships + extra, seed, ruleset=ruleset)
    assert load_roster(roster_bytes(sc), "r.xlsx") == sc
