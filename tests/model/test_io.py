"""Reading and writing scenarios: round trips, header languages, and located input errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from model.enums import Change, Grade, Post
from model.errors import InputError, InputErrors
from model.io import (
    CADRE_COLUMNS,
    TOWNSHIP_COLUMNS,
    load_scenario,
    load_scenario_parts,
    load_slate,
    result_schema,
    save_scenario,
    scenario_schema,
)
from model.overrides import RuleOverride
from model.people import Cadre, County, Township
from model.readers import Input
from model.ruleset import ScoreWeights, load_preset
from model.scenario import Ban, Pin, Scenario

ON = date(2026, 9, 1)

SITTING = [
    ("party_secretary", 48), ("township_head", 44), ("discipline_secretary", 41),
    ("congress_chair", 52), ("armed_forces_head", 39),
]


def _build() -> Scenario:
    townships = (
        Township(id="t01", name="东湖镇", township_class=1, residents=42000, party_members=1800,
                 party_branches=40),
        Township(id="t02", name="西山乡", township_class=3, residents=9000,
                 minority_concentrated=True, ethnic_minority="苗族"),
    )
    cadres: list[Cadre] = []
    for n, (post, age) in enumerate(SITTING):
        cadres.append(Cadre(
            id=f"c{n + 1:02d}", name=f"张{n + 1}", gender="female" if n == 2 else "male",
            birth_date=date(ON.year - age, 3, 15), education="bachelor",
            rank="full_section" if n < 2 else "deputy_section", rank_since=date(2018, 1, 1),
            current_township="t01", current_post=post, post_since=date(2021, 6, 1),
            township_years=12, leadership_years=6, grades=("excellent", "competent", "competent"),
            recommendation_share=0.85, incompetent_share=0.05,
        ))
    for n in range(5, 12):
        cadres.append(Cadre(
            id=f"c{n + 1:02d}", name=f"李{n + 1}", gender="female" if n % 2 else "male",
            birth_date=date(ON.year - 26 - n, 7, 1), ethnicity="苗族" if n == 6 else "汉族",
            education="college" if n % 3 else "postgraduate",
            current_township="t02" if n < 9 else None,
            current_unit="县农业局" if n >= 9 else None,
            township_years=n, origin="village_cadre" if n == 7 else "township_civil_servant",
            grades=("competent",) * (n % 4), outstanding=n == 8, kept_for_work=n == 10,
            reserve=n in (5, 11), expertise=("农业", "规划") if n == 5 else (),
        ))
    return Scenario(
        name="测试换届", reshuffle_date=ON, county=County(id="c", name="测试县",
                                                      townships=townships),
        cadres=tuple(cadres), ruleset="xx-2011",
        rules={"D3-E1": RuleOverride(weight=7), "D1-C1": RuleOverride(strength="generally")},
        renomination_overrides={"c03": "组织考察后同意再提名"},
        pins=(Pin(cadre="c01", township="t01", seat="secretary"), Pin(cadre="c05", township="t01")),
        bans=(Ban(cadre="c12", township="t02"),),
        weights=ScoreWeights(merit=2),
    )


_BUILT = _build()


def build() -> Scenario:
    return _BUILT


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("saved") / "sc"
    save_scenario(build(), out)
    return out


@pytest.fixture
def folder(saved: Path, tmp_path: Path) -> Path:
    """A fresh copy of the saved scenario folder, for a test to spoil."""
    return Path(shutil.copytree(saved, tmp_path / "sc"))


def read_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell, by spreadsheet row number (header = 1) and header text."""
    rows = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def errors_of(path: Path) -> list[InputError]:
    with pytest.raises(InputErrors) as exc:
        load_scenario(path)
    return exc.value.errors


def only(errors: list[InputError]) -> str:
    assert len(errors) == 1, "\n".join(map(str, errors))
    return str(errors[0])


# --------------------------------------------------------------------------- good input


def test_header_maps_cover_the_models() -> None:
    """The two header maps name every field of Township and Cadre, with distinct labels."""
    assert list(TOWNSHIP_COLUMNS) == list(Township.model_fields)
    assert list(CADRE_COLUMNS) == list(Cadre.model_fields)
    assert len(set(CADRE_COLUMNS.values())) == len(CADRE_COLUMNS)


def test_folder_round_trip(folder: Path) -> None:
    """save_scenario then load_scenario gives back an equal scenario, with Chinese CSVs; a township-wide
    pin is written without a seat."""
    assert load_scenario(folder) == build()
    assert "- cadre: c05\n  township: t01\nbans:" in (folder / "scenario.yaml").read_text(encoding="utf-8")
    header = read_rows(folder / "cadres.csv")[0]
    assert header == list(CADRE_COLUMNS.values())
    first = dict(zip(header, read_rows(folder / "cadres.csv")[1], strict=True))
    assert first["现任职务"] == Post.party_secretary.zh
    assert first["近三年考核"] == "、".join(g.zh for g in (Grade.excellent, Grade.competent,
                                                     Grade.competent))
    assert read_rows(folder / "townships.csv")[0] == list(TOWNSHIP_COLUMNS.values())


def test_single_file_json_and_yaml(tmp_path: Path) -> None:
    """The whole scenario in one JSON file or one YAML file loads to the same scenario."""
    sc = build()
    data = sc.model_dump(mode="json")
    (tmp_path / "a.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_scenario(tmp_path / "a.json") == sc
    assert load_scenario(str(tmp_path / "a.yaml")) == sc


def test_english_and_mixed_headers(folder: Path) -> None:
    """English field names, or a mix of English and Chinese, load like Chinese headers."""
    for path, columns in ((folder / "cadres.csv", CADRE_COLUMNS),
                          (folder / "townships.csv", TOWNSHIP_COLUMNS)):
        rows = read_rows(path)
        rows[0] = list(columns)
        write_rows(path, rows)
    assert load_scenario(folder) == build()
    rows = read_rows(folder / "cadres.csv")
    rows[0] = [zh if i % 2 else en for i, (en, zh) in enumerate(CADRE_COLUMNS.items())]
    write_rows(folder / "cadres.csv", rows)
    assert load_scenario(folder) == build()


def test_lenient_cells(folder: Path) -> None:
    """English enum values, yes/no, 1980/5/31 dates, 85% shares and ；-lists are read."""
    path = folder / "cadres.csv"
    for column, value in (("性别", "male"), ("出生日期", "1978/3/15"), ("推荐得票率", "85%"),
                          ("特别优秀", "yes"), ("近三年考核", "优秀；competent;称职"),
                          ("现任职务", "party_secretary")):
        set_cell(path, 2, column, value)
    assert load_scenario(folder).cadres[0] == build().cadres[0].model_copy(
        update={"outstanding": True})


# --------------------------------------------------------------------------- bad input


def test_duplicate_cadre_id(folder: Path) -> None:
    """A cadre id used twice is reported at the second row, naming the first."""
    path = folder / "cadres.csv"
    set_cell(path, 5, "编号", "c01")
    text = only(errors_of(folder))
    assert str(path) in text and "row 5" in text and "'编号'" in text and "'c01'" in text
    assert "duplicate cadre id" in text and "row 2" in text


def test_unknown_post(folder: Path) -> None:
    """A post that is no post lists the accepted ones, Chinese and English."""
    path = folder / "cadres.csv"
    set_cell(path, 3, "现任职务", "书记长")
    text = only(errors_of(folder))
    assert str(path) in text and "row 3" in text and "'现任职务'" in text and "'书记长'" in text
    assert "expected one of: 党委书记" in text and "party_secretary" in text


def test_birth_after_reshuffle(folder: Path) -> None:
    """A birth date after the reshuffle date (a cross-check) is mapped to its file and row."""
    path = folder / "cadres.csv"
    set_cell(path, 4, "出生日期", "2030-01-01")
    text = only(errors_of(folder))
    assert str(path) in text and "row 4" in text and "'出生日期'" in text
    assert "'2030-01-01'" in text and "not before the reshuffle date" in text


def test_share_out_of_range(folder: Path) -> None:
    """A recommendation share of 1.5 says a share must be between 0 and 1."""
    path = folder / "cadres.csv"
    set_cell(path, 2, "推荐得票率", "1.5")
    text = only(errors_of(folder))
    assert str(path) in text and "row 2" in text and "'推荐得票率'" in text and "'1.5'" in text
    assert "a share must be between 0 and 1" in text


def test_missing_column(folder: Path) -> None:
    """A missing required column is one error naming it in English and Chinese."""
    path = folder / "cadres.csv"
    rows = read_rows(path)
    drop = rows[0].index("出生日期")
    write_rows(path, [[c for i, c in enumerate(r) if i != drop] for r in rows])
    text = only(errors_of(folder))
    assert str(path) in text and "row 1" in text
    assert "birth_date" in text and "出生日期" in text and "add it" in text


def test_unknown_column(folder: Path) -> None:
    """An unknown (misspelt) column is reported with a guess and the known columns."""
    path = folder / "townships.csv"
    rows = read_rows(path)
    rows[0][rows[0].index("党员数")] = "党员人数"
    write_rows(path, rows)
    text = only(errors_of(folder))
    assert str(path) in text and "row 1" in text and "'党员人数'" in text
    assert "unknown column" in text and "did you mean '党员数'" in text
    assert "party_branches (党支部数)" in text


def test_many_errors_in_one_pass(folder: Path) -> None:
    """Errors on several rows and files come together in one InputErrors, in file order."""
    cadres = folder / "cadres.csv"
    set_cell(cadres, 2, "性别", "不详")
    set_cell(cadres, 4, "乡镇工作年限", "十年")
    set_cell(cadres, 6, "特别优秀", "maybe")
    set_cell(cadres, 7, "编号", "")
    set_cell(folder / "townships.csv", 3, "类别", "4")
    errors = errors_of(folder)
    assert len(errors) == 5, "\n".join(map(str, errors))
    assert [(Path(e.file).name, e.row) for e in errors] == [
        ("townships.csv", 3), ("cadres.csv", 2), ("cadres.csv", 4), ("cadres.csv", 6),
        ("cadres.csv", 7)]
    assert "must be between 1 and 3" in str(errors[0])
    assert "expected a whole number from 0 to 60" in str(errors[2])
    assert "expected 是 or 否" in str(errors[3])
    assert "required" in str(errors[4])


def test_unknown_current_township(folder: Path) -> None:
    """A current township that no township row has is reported at the cadre's row."""
    path = folder / "cadres.csv"
    set_cell(path, 8, "现所在乡镇", "t09")
    text = only(errors_of(folder))
    assert str(path) in text and "row 8" in text and "'现所在乡镇'" in text and "'t09'" in text
    assert "no township has this id" in text


def test_cross_checks_run_beside_row_errors(folder: Path) -> None:
    """A bad row does not hide a duplicate id or an unknown township elsewhere."""
    path = folder / "cadres.csv"
    set_cell(path, 2, "学历", "小学")
    set_cell(path, 3, "编号", "c04")
    set_cell(path, 9, "现所在乡镇", "t09")
    errors = errors_of(folder)
    assert [(e.row, e.field) for e in errors] == [(2, "学历"), (5, "编号"), (9, "现所在乡镇")]


def test_bad_date_format(folder: Path) -> None:
    """A date written some other way says what a date looks like."""
    path = folder / "cadres.csv"
    set_cell(path, 3, "出生日期", "15.03.1982")
    set_cell(path, 4, "任现职时间", "2021-02-30")
    errors = errors_of(folder)
    assert len(errors) == 2
    assert "row 3" in str(errors[0]) and "'15.03.1982'" in str(errors[0])
    assert "expected a date like 1980-05-31" in str(errors[0])
    assert "row 4" in str(errors[1]) and "no such day" in str(errors[1])


def test_single_file_errors_are_located_by_path(tmp_path: Path) -> None:
    """In a JSON file, errors name the path (cadres[3].birth_date) and no row."""
    data = build().model_dump(mode="json")
    data["cadres"][3]["birth_date"] = "31/05/1980"
    data["cadres"][5]["id"] = "c01"
    data["pins"][0]["township"] = "t07"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    errors = errors_of(path)
    assert {e.field for e in errors} == {"cadres[3].birth_date", "cadres[5].id",
                                         "pins[0].township"}
    assert all(e.file == str(path) and e.row is None for e in errors)


def test_scenario_yaml_errors(folder: Path) -> None:
    """Errors in scenario.yaml name the key path: bad weights, unknown rules and ruleset."""
    meta_path = folder / "scenario.yaml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta["weights"]["merit"] = -1
    meta["rules"]["D9-X9"] = {"off": True}
    meta["bans"].append({"cadre": "c99", "township": "t01"})
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    errors = errors_of(folder)  # the layers all run: a field error hides no cross-check (issue 10)
    assert {e.field for e in errors} == {"weights.merit", "rules.D9-X9", "bans[1].cadre"}
    del meta["weights"]
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    errors = errors_of(folder)
    assert {e.field for e in errors} == {"rules.D9-X9", "bans[1].cadre"}
    assert all(e.file == str(meta_path) for e in errors)


def test_unreadable_inputs(tmp_path: Path) -> None:
    """Missing paths, folders without scenario.yaml and syntax errors are clear errors."""
    assert "no such file" in only(errors_of(tmp_path / "nope.yaml"))
    assert "has no scenario.yaml" in only(errors_of(tmp_path))
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    assert "not valid YAML" in only(errors_of(bad))
    bad = tmp_path / "bad.json"
    bad.write_text("{\"name\": ", encoding="utf-8")
    assert "not valid JSON" in only(errors_of(bad))
    (tmp_path / "scenario.yaml").write_text("name: x\n", encoding="utf-8")
    errors = errors_of(tmp_path)
    assert {Path(e.file).name for e in errors} >= {"townships.csv", "cadres.csv"}


def test_unreadable_csv_hides_no_other_error(folder: Path) -> None:
    """A cadres.csv that is not UTF-8 is one error, not also every pin naming a cadre."""
    path = folder / "cadres.csv"
    path.write_bytes(path.read_text(encoding="utf-8-sig").encode("gbk"))
    text = only(errors_of(folder))
    assert str(path) in text and "not UTF-8" in text


def test_scenario_yaml_alone_points_to_its_folder(folder: Path) -> None:
    """Loading scenario.yaml by itself says to load its folder instead."""
    errors = errors_of(folder / "scenario.yaml")
    assert any(f"load the folder {folder}" in str(e) for e in errors)


def test_own_ruleset_round_trips(tmp_path: Path) -> None:
    """A scenario carrying its own ruleset definition saves and loads back equal."""
    sc = build()
    data = {k: getattr(sc, k) for k in Scenario.model_fields}
    if "ruleset_definition" not in data:
        pytest.skip("Scenario has no ruleset_definition")
    data.update(ruleset="mine",
                ruleset_definition=load_preset("xx-2011").model_copy(update={"id": "mine"}))
    own = Scenario.model_validate(data)
    save_scenario(own, tmp_path / "sc")
    assert load_scenario(tmp_path / "sc") == own


def test_save_refuses_non_empty_folder(tmp_path: Path) -> None:
    """Saving into a non-empty folder fails and writes nothing; overwrite replaces the files."""
    target = tmp_path / "sc"
    target.mkdir()
    (target / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(FileExistsError, match="not empty"):
        save_scenario(build(), target)
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["sc"]
    save_scenario(build(), target, overwrite=True)
    assert load_scenario(target) == build()
    assert (target / "notes.txt").read_text(encoding="utf-8") == "keep"
    assert [p.name for p in tmp_path.iterdir()] == ["sc"]


def test_save_refuses_what_cannot_round_trip(tmp_path: Path) -> None:
    """An expertise item holding a list separator cannot be saved faithfully: nothing written."""
    sc = build()
    odd = sc.cadres[5].model_copy(update={"expertise": ("农业、林业",)})
    sc = sc.model_copy(update={"cadres": (*sc.cadres[:5], odd, *sc.cadres[6:])})
    with pytest.raises(ValueError, match="expertise"):
        save_scenario(sc, tmp_path / "sc")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- slates, schemas


def test_load_slate_forms(tmp_path: Path) -> None:
    """A slate loads from a bare list, a slate object, or slate N of a solve result."""
    a = [{"township": "t01", "seat": "secretary", "cadre": "c01", "change": "连任"}]
    b = [{"township": "t01", "seat": "head", "cadre": "c02"}]
    forms = {"list.json": a, "slate.json": {"assignments": a, "rank": 1},
             "result.json": {"scenario": "x", "slates": [{"assignments": a},
                                                         {"assignments": b}]}}
    for name, data in forms.items():
        (tmp_path / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        assert load_slate(tmp_path / name)[0].change == Change.continues
    assert load_slate(tmp_path / "result.json", index=1)[0].cadre == "c02"
    with pytest.raises(InputErrors, match="no slate number 2"):
        load_slate(tmp_path / "result.json", index=2)


def test_load_slate_errors(tmp_path: Path) -> None:
    """Bad assignments are reported together with their location in the file."""
    data = {"slates": [{"assignments": [{"township": "t01", "seat": "head"},
                                        {"township": "t01", "seat": 3, "cadre": "c1"}]}]}
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        load_slate(path)
    assert [e.field for e in exc.value.errors] == ["slates[0].assignments[0].cadre",
                                                   "slates[0].assignments[1].seat"]
    assert all(e.file == str(path) for e in exc.value.errors)


def test_schemas() -> None:
    """The JSON Schemas describe a scenario and a solve result."""
    assert {"reshuffle_date", "county", "cadres"} <= set(scenario_schema()["properties"])
    assert "Cadre" in scenario_schema()["$defs"]
    assert {"slates", "status"} <= set(result_schema()["properties"])


# --------------------------------------------------------------------------- bytes, duplicate keys


def test_scenario_and_slate_from_bytes(saved: Path) -> None:
    """Every reader takes bytes with a display name: a single file, a folder's three parts, a slate."""
    sc = build()
    data = json.dumps(sc.model_dump(mode="json"), ensure_ascii=False).encode()
    assert load_scenario(data, name="upload.json") == sc
    assert load_scenario(yaml.safe_dump(sc.model_dump(mode="json"), allow_unicode=True).encode(),
                         name="upload.yaml") == sc
    parts = [Input.of((saved / f).read_bytes(), f) for f in ("scenario.yaml", "townships.csv", "cadres.csv")]
    assert load_scenario_parts(*parts) == sc
    slate = [{"township": "t01", "seat": "secretary", "cadre": "c01"}]
    assert load_slate(json.dumps(slate).encode(), name="r.json")[0].cadre == "c01"


def test_errors_from_bytes_name_the_display_name(saved: Path) -> None:
    """An error in bytes is located by the name given, with the same row and field as from a file."""
    rows = read_rows(saved / "cadres.csv")
    rows[2][rows[0].index("现任职务")] = "书记长"
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    parts = [Input.of((saved / "scenario.yaml").read_bytes(), "设置.yaml"),
             Input.of((saved / "townships.csv").read_bytes(), "乡镇.csv"),
             Input.of(buf.getvalue().encode("utf-8-sig"), "干部.csv")]
    with pytest.raises(InputErrors) as exc:
        load_scenario_parts(*parts)
    text = only(exc.value.errors)
    assert "干部.csv, row 3, field '现任职务'" in text and "'书记长'" in text
    with pytest.raises(InputErrors, match="not valid JSON"):
        load_scenario(b"{", name="upload.json")
    with pytest.raises(InputErrors, match="needs base_dir"):
        load_scenario(b"base: sc\n", name="what-if.yaml")


def test_what_if_from_bytes_reads_its_base_from_base_dir(saved: Path) -> None:
    """A what-if uploaded as bytes names its base relative to base_dir."""
    wi = load_scenario(b"base: sc\nremove: [c12]\n", name="w.yaml", base_dir=saved.parent)
    assert wi.remove == ("c12",)


def test_duplicate_yaml_key_is_an_error(folder: Path) -> None:
    """A key given twice in scenario.yaml is an error naming the file, the line and the key."""
    meta = folder / "scenario.yaml"
    text = meta.read_text(encoding="utf-8")
    assert "rules:\n  D3-E1:\n    weight: 7\n  D1-C1:\n" in text  # D1-C1 at line 11
    meta.write_text(text.replace("rules:\n", "rules:\n  D1-C1: {strength: must}\n"), encoding="utf-8")
    error = only(errors_of(folder))
    assert str(meta) in error and "'D1-C1'" in error
    assert "duplicate key at line 12 (first at line 9)" in error


def test_duplicate_keys_in_json_and_flow_yaml(tmp_path: Path) -> None:
    """Duplicates are caught in JSON objects and YAML flow mappings; a YAML merge key may be overridden."""
    path = tmp_path / "s.json"
    path.write_text('{"name": "a", "name": "b"}', encoding="utf-8")
    assert "duplicate key" in only(errors_of(path)) and "'name'" in only(errors_of(path))
    path = tmp_path / "s.yaml"
    path.write_text("weights: {merit: 1, merit: 2}\n", encoding="utf-8")
    assert "duplicate key at line 1" in only(errors_of(path))
    from model.structured import parse_yaml

    assert parse_yaml("a: &x {k: 1}\nb:\n  <<: *x\n  k: 2\n", "m.yaml") == {"a": {"k": 1}, "b": {"k": 2}}


def test_hand_written_off_is_a_key(folder: Path) -> None:
    """`D1-R2: {off: true}` as the README writes it turns the rule off (YAML 1.2: `off` is not False)."""
    meta = folder / "scenario.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace("rules:\n", "rules:\n  D1-R2: {off: true}\n"), encoding="utf-8")
    sc = load_scenario(folder)
    assert sc.rules["D1-R2"].off and sc.ruleset_in_force.rule("D1-R2") is None
