"""`huanjie import` / `export` and the verbs reading an Excel roster directly."""

from __future__ import annotations

import json
from pathlib import Path

from model.generator import generate_county
from model.io import load_scenario
from model.writers import save_roster
from service.cli import EXIT_BAD_INPUT, EXIT_OK
from tests.clirun import run_cli
from tests.workbooks import SETTINGS, TOWNSHIPS, workbook

ROOT = Path(__file__).resolve().parents[2]


def test_solve_reads_a_roster_and_import_writes_a_folder_validate_reads(tmp_path: Path) -> None:
    """`solve roster.xlsx` solves; `import` writes a folder that is the same scenario, and
    `validate` and `solve` read that folder."""
    roster = tmp_path / "county.xlsx"
    save_roster(generate_county(2, 120, 5), roster)  # a small generated county
    result = tmp_path / "result.json"
    run = run_cli(["solve", str(roster), "--time-limit", "60", "--json", str(result)])
    assert run.code == EXIT_OK, run.err
    assert json.loads(result.read_text(encoding="utf-8"))["slates"]
    out = tmp_path / "county"
    run = run_cli(["import", str(roster), str(out)])
    assert run.code == EXIT_OK, run.err
    assert "已导入" in run.out and "2个乡镇" in run.out
    assert load_scenario(out) == load_scenario(roster)
    assert run_cli(["validate", str(out), str(result)]).code == EXIT_OK
    assert run_cli(["solve", str(out), "--time-limit", "60"]).code == EXIT_OK
    again = run_cli(["import", str(roster), str(out)])
    assert again.code == EXIT_BAD_INPUT and "--overwrite" in again.err
    assert run_cli(["import", str(roster), str(out), "--overwrite"]).code == EXIT_OK


def test_import_of_a_bad_roster_lists_its_errors_and_writes_nothing(tmp_path: Path) -> None:
    """A roster with bad cells: exit 2, each error located by sheet, row and column, no folder."""
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook({"设置": SETTINGS, "乡镇": TOWNSHIPS, "干部": [
        ["干部名册"], ["姓名", "性别", "出生年月", "学历", "现任职务"],
        ["张三", "男", "1978.13", "本科", "北山镇党委书记"]]}))
    run = run_cli(["import", str(bad), str(tmp_path / "out")])
    assert run.code == EXIT_BAD_INPUT
    assert "bad.xlsx[干部], row 3, field '出生年月 (C)'" in run.err
    assert "bad.xlsx[干部], row 3, field '现任职务 (E)'" in run.err
    assert not (tmp_path / "out").exists()


def test_export_writes_a_roster_that_reads_back(tmp_path: Path) -> None:
    """`export` writes the demo county as a roster that reads back the same; a name that is not
    .xlsx is refused before any work."""
    demo = ROOT / "scenarios" / "demo-county"
    out = tmp_path / "demo.xlsx"
    run = run_cli(["export", str(demo), str(out)])
    assert run.code == EXIT_OK, run.err
    assert load_scenario(out) == load_scenario(demo)
    assert run_cli(["export", str(demo), str(out)]).code == EXIT_BAD_INPUT
    assert run_cli(["export", str(demo), str(tmp_path / "demo.csv")]).code == EXIT_BAD_INPUT
