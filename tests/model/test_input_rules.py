"""The input rules of issue 10 one by one: YAML read as written, the 56 ethnic groups, seats of
the large-township template, plausibility bounds, and the README's scenario example."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from model.errors import InputError, InputErrors
from model.ethnicity import ETHNIC_GROUPS, ethnic_group
from model.io import load_scenario
from model.people import Township
from model.ruleset import load_preset
from model.scenario import Ban, Pin
from model.structured import parse_json, parse_yaml
from tests.factory import born, cadre, scenario, township

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "scenarios" / "demo-county"


def refused(**kw: object) -> list[InputError]:
    with pytest.raises(InputErrors) as exc:
        scenario(**kw)  # type: ignore[arg-type]
    return exc.value.errors


def messages(errors: list[InputError]) -> str:
    return "\n".join(map(str, errors))


# --------------------------------------------------------------------------- YAML as written


def test_yaml_scalars_come_in_as_written() -> None:
    """Dates, yes/no/off, leading zeros, hex, underscores, sexagesimals are text; plain numbers are not."""
    text = ("a: 2026-13-01\nb: off\noff: yes\nno: n\nc: 010\nd: 0x1F\ne: 1_000\nf: 1:30\ng: 1e3\n"
            "h: .inf\ni: 3\nj: -1\nk: 0.85\nl: 2.5e3\nm: ~\nn:\no: true\np: False\n"
            "q: !!timestamp 2026-02-30\n")
    assert parse_yaml(text, "x.yaml") == {
        "a": "2026-13-01", "b": "off", "off": "yes", "no": "n", "c": "010", "d": "0x1F", "e": "1_000",
        "f": "1:30", "g": "1e3", "h": ".inf", "i": 3, "j": -1, "k": 0.85, "l": 2500.0, "m": None,
        "n": None, "o": True, "p": False, "q": "2026-02-30"}


def test_what_yaml_safe_dump_writes_reads_back() -> None:
    """Text that looks like a number, a date or a bool is quoted by the dumper: a written file reads back."""
    data = {"ids": ["010", "1e3", "2026-09-01", "yes", "off", "0x1F", "1:30", "3", "0.5", "null", "true"]}
    assert parse_yaml(yaml.safe_dump(data), "x.yaml") == data


def test_yaml_and_json_that_pyyaml_or_json_would_crash_on_are_input_errors() -> None:
    """Deep nesting, a 5000-digit JSON number and NaN are InputErrors naming the file."""
    for text, name in (("[" * 5000 + "]" * 5000, "x.json"), ("9" * 5000, "x.json"), ("NaN", "x.json"),
                       ("a: " + "[" * 1000 + "]" * 1000, "x.yaml")):
        with pytest.raises(InputErrors) as exc:
            (parse_json if name.endswith(".json") else parse_yaml)(text, name)
        assert exc.value.errors[0].file == name


@pytest.mark.parametrize("word", ["true", "yes", "on", "是", "Y", "1"])
def test_off_takes_the_words_a_person_means(word: str, tmp_path: Path) -> None:
    """`D1-R2: {off: yes}` (or 是, on, true) turns the rule off; no YAML 1.1 reading of the words."""
    sc = scenario([township("t1")], [cadre(f"c{i}") for i in range(6)], rules={"D1-R2": {"off": word}})
    assert sc.ruleset_in_force.rule("D1-R2") is None


def test_impossible_unquoted_date_in_a_one_file_scenario(tmp_path: Path) -> None:
    """`birth_date: 1978-02-30` unquoted is located at its path (it was PyYAML's ValueError)."""
    path = tmp_path / "s.yaml"
    path.write_text("reshuffle_date: 2026-09-01\nruleset: xx-2011\ncounty:\n  id: c\n  name: 县\n"
                    "  townships: [{id: t1, name: 镇}]\n"
                    "cadres:\n  - {id: g1, name: 甲, gender: 男, birth_date: 1978-02-30, education: 本科}\n",
                    encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        load_scenario(path)
    [e] = exc.value.errors
    assert (e.field, e.value) == ("cadres[0].birth_date", "1978-02-30") and "no such day" in e.message


# --------------------------------------------------------------------------- ethnic groups


def test_the_56_groups_and_how_staff_write_them() -> None:
    """Every GB 3304 name reads as itself; 族 may be left off; traditional characters and 僮族 map."""
    assert len(ETHNIC_GROUPS) == 56 == len(set(ETHNIC_GROUPS))
    assert all(ethnic_group(g) == g and ethnic_group(g.removesuffix("族")) == g for g in ETHNIC_GROUPS)
    for written, group in (("漢族", "汉族"), ("維吾爾族", "维吾尔族"), ("滿", "满族"), ("畬族", "畲族"),
                           ("僮族", "壮族"), ("Han", "汉族"), (" 苗 族 ", "苗族"), ("朝鮮族", "朝鲜族")):
        assert ethnic_group(written) == group, written


@pytest.mark.parametrize("written", ["火星族", "85", "男", "汉苗族", "少数民族", ""])
def test_a_name_of_no_group_is_refused(written: str) -> None:
    """火星族, 85 and 男 are no ethnic group: refused, where they used to count as minorities."""
    with pytest.raises(ValueError, match="56 ethnic groups"):
        ethnic_group(written)
    with pytest.raises(ValueError):
        cadre("c1", ethnicity=written)


def test_ethnic_township_names_a_minority_group() -> None:
    """民族乡民族 is one of the 55 minorities: a misspelling or 汉族 is an input error, not infeasible."""
    assert Township(id="t", name="苗乡", ethnic_minority="苗").ethnic_minority == "苗族"
    for bad in ("苗苗族", "汉族"):
        with pytest.raises(ValueError):
            Township(id="t", name="苗乡", ethnic_minority=bad)


# --------------------------------------------------------------------------- seats


def large_county(**kw: object) -> list[InputError] | object:
    t1 = township("t1", residents=40000, party_members=1200, party_branches=40)
    t2 = township("t2", residents=9000, party_members=300, party_branches=20)
    return scenario([t1, t2], [cadre(f"c{i}") for i in range(8)], **kw)  # type: ignore[arg-type]


def test_every_template_names_its_seats() -> None:
    """The seat kinds of a ruleset include the large-township template's."""
    rs = load_preset("xx-2011")
    assert {"discipline_deputy", "organization_propaganda_member", "secretary"} <= rs.seat_kinds()


def test_a_seat_of_the_large_template_can_be_pinned_and_banned_in_a_large_township() -> None:
    """A pin and a ban on t1/discipline_deputy (t1 large) load; it used to be "unknown seat"."""
    sc = large_county(pins=[Pin(cadre="c1", township="t1", seat="discipline_deputy")],
                      bans=[Ban(cadre="c2", township="t1", seat="organization_propaganda_member")])
    assert sc.seat_problem("t1", "discipline_deputy") is None  # type: ignore[attr-defined]


def test_a_seat_of_the_large_template_on_a_township_that_is_not_large() -> None:
    """On t2 (9,000 residents) the same pin is an error saying t2 is not large, with its numbers."""
    errors = refused(townships=[township("t2", residents=9000, party_members=300)],
                     cadres=[cadre("c1")], pins=[Pin(cadre="c1", township="t2", seat="discipline_deputy")])
    [e] = errors
    assert e.field == "seat" and "large townships only (30000 residents or more)" in e.message
    assert "t2 has 9000 residents" in e.message


# --------------------------------------------------------------------------- bounds


def test_reshuffle_date_window() -> None:
    """A reshuffle date outside 2000-2100 is refused with the reason."""
    from model.scenario import Scenario

    sc = scenario([township("t1")], [cadre("c1")])
    data = {k: getattr(sc, k) for k in Scenario.model_fields}
    for day in (date(3000, 1, 1), date(1999, 12, 31)):
        with pytest.raises(Exception, match="2000 to 2100"):
            Scenario.model_validate({**data, "reshuffle_date": day})


def test_ages_and_dates_are_plausible() -> None:
    """Ages 18-65 on the reshuffle date; no post or rank before birth or after the reshuffle date."""
    errors = refused(townships=[township("t1")], cadres=[
        cadre("young", age=17), cadre("old", age=66), cadre("ok18", age=18), cadre("ok65", age=65),
        cadre("prebirth", current_township="t1", current_post="deputy_head", post_since=date(1950, 1, 1)),
        cadre("future", rank_since=date(2099, 1, 1))])
    got = {(e.key, e.field): e.message for e in errors}
    assert set(got) == {("young", "birth_date"), ("old", "birth_date"), ("prebirth", "post_since"),
                        ("future", "rank_since")}
    assert got[("young", "birth_date")].startswith(
        "aged 17 on the reshuffle date 2026-09-01; a cadre is 18 to 65")
    assert "before the cadre's birth date" in got[("prebirth", "post_since")]
    assert born(38) < date(2026, 9, 1)


def test_township_numbers_in_sane_ranges() -> None:
    """Residents above 2,000,000 give the bound; more members than residents, too many branches."""
    with pytest.raises(ValueError) as exc:
        Township(id="t", name="镇", residents=10**23)
    assert "2000000" in str(exc.value)
    errors = refused(townships=[township("t1", residents=100, party_members=500),
                                township("t2", party_members=30, party_branches=11)], cadres=[cadre("c1")])
    assert [(e.key, e.field) for e in errors] == [("t1", "party_members"), ("t2", "party_branches")]


def test_bound_errors_give_their_reason(tmp_path: Path) -> None:
    """常住人口 10^23 in townships.csv says the bound and why."""
    import shutil

    folder = Path(shutil.copytree(DEMO, tmp_path / "d"))
    text = (folder / "townships.csv").read_text(encoding="utf-8-sig")
    (folder / "townships.csv").write_text(text.replace(",51600,", ",100000000000000000000000,"),
                                          encoding="utf-8-sig")
    with pytest.raises(InputErrors) as exc:
        load_scenario(folder)
    [e] = exc.value.errors
    assert (e.row, e.field) == (2, "常住人口")
    assert e.message == ("must be between 0 and 2000000 "
                         "(the largest towns of China have about a million residents)")


def test_empty_pool_and_empty_township_list() -> None:
    """No townships or no cadres is an input error that says so, not an infeasible or empty solve."""
    assert "the county has no townships" in messages(refused(townships=[], cadres=[cadre("c1")]))
    assert "the pool is empty" in messages(refused(townships=[township("t1")], cadres=[]))


# --------------------------------------------------------------------------- README and errors


README_RULES = """rules:
  D3-C1: {params: {parts: {young: {min_count: 3}}}, weight: 5}
  D1-E1: {strength: must}
  D1-R2: {off: true}
"""


def test_readme_scenario_example_loads_on_the_demo(tmp_path: Path) -> None:
    """The README's rules (D3-C1 by part, D1-R2 off) load; the short form says how to write it."""
    import shutil

    folder = Path(shutil.copytree(DEMO, tmp_path / "d"))
    meta = folder / "scenario.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("rules: {}\n", README_RULES), encoding="utf-8")
    sc = load_scenario(folder)
    spec = sc.ruleset_in_force.rule("D3-C1")
    assert spec is not None and spec.weight == 5 and spec.params["parts"]["young"]["min_count"] == 3
    assert spec.params["parts"]["experienced"]["min_count"] == 2 and sc.ruleset_in_force.rule("D1-R2") is None
    meta.write_text(meta.read_text(encoding="utf-8").replace("{parts: {young: {min_count: 3}}}",
                                                             "{min_count: 3}"), encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        load_scenario(folder)
    [e] = exc.value.errors
    assert e.field == "rules.D3-C1.params.min_count" and "counts in parts (experienced, young)" in e.message
    assert "params: {parts: {experienced: {min_count: 3}}}" in e.message


def test_parts_on_a_rule_of_one_target_are_refused() -> None:
    """`D1-C1: {params: {parts: ...}}` was dropped without a word by the one-target form; now an error."""
    part = {"young": {"who": {"max_age": 30}, "min_count": 2}}
    errors = refused(townships=[township("t1")], cadres=[cadre("c1")],
                     rules={"D1-C1": {"params": {"parts": part}}})
    [e] = errors
    assert (e.key, e.field) == ("D1-C1", "params.parts") and "has one target" in e.message


def test_error_text_names_the_key_once_and_cuts_long_values() -> None:
    """A path that names the key does not repeat it; a value of thousands of characters is cut."""
    e = InputError("unknown rule", "rules.D9-X9", "D9-X9", file="w.yaml", key="D9-X9")
    assert str(e) == "w.yaml, field 'rules.D9-X9': unknown rule (value: 'D9-X9')"
    assert len(str(InputError("too long", "x", "9" * 5000, file="f"))) < 120
