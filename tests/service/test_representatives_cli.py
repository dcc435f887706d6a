"""`huanjie representatives` and `huanjie nominees generate` on the demo county, and the Excel
sheets read back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from openpyxl import load_workbook

from tests.clirun import run_cli

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo-county"


def test_representatives_of_a_demo_township(tmp_path: Path) -> None:
    """The demo's t03 gets D2-P1's 47 seats over its 14 units, lists, rule checks, JSON and a workbook."""
    out, book = tmp_path / "p.json", tmp_path / "p.xlsx"
    r = run_cli(["representatives", str(DEMO), "--township", "t03", "--json", str(out), "--xlsx", str(book)])
    assert r.code == 0, r.err
    assert "[D2-P1] 基数40名" in r.out and "圣拉格法" in r.out
    plan = json.loads(out.read_text(encoding="utf-8"))
    assert plan["seats"] == 47 and sum(u["seats"] for u in plan["units"]) == 47
    assert plan["method"] == "sainte_lague_min1"
    wb = load_workbook(book)
    assert wb.sheetnames == ["代表名额", "名额分配", "候选人名单", "规则检查"]
    rules = [row[0] for row in wb["规则检查"].iter_rows(min_row=3, values_only=True)]
    assert {"D1-P2", "D2-P2", "D1-P4"} <= set(rules)
    assert wb["名额分配"].cell(2, 1).value == "选举单位编号"


def test_a_township_named_as_staff_name_it() -> None:
    """--township takes the township's name as well as its id (杨泉乡 is the demo's t03)."""
    by_name = run_cli(["representatives", str(DEMO), "--township", "杨泉乡", "--time-limit", "5"])
    assert by_name.code == 0, by_name.err
    assert by_name.out.splitlines()[0].startswith("杨泉乡党员代表大会")


def test_unknown_township_is_a_usage_error() -> None:
    """A township id the scenario lacks exits 2 and names the ids."""
    r = run_cli(["representatives", str(DEMO), "--township", "t99"])
    assert r.code == 2 and "t01" in r.err


def test_generate_writes_files_and_refuses_to_overwrite(tmp_path: Path) -> None:
    """Generation writes the three files into a scenario folder; a second run needs --overwrite."""
    folder = tmp_path / "c"
    shutil.copytree(DEMO, folder)
    for f in ("units.csv", "nominees.csv", "congress.yaml"):
        (folder / f).unlink()
    assert run_cli(["nominees", "generate", str(folder)]).code == 0
    assert (folder / "nominees.csv").read_bytes() == (DEMO / "nominees.csv").read_bytes()
    assert run_cli(["nominees", "generate", str(folder)]).code == 2
    assert run_cli(["nominees", "generate", str(folder), "--overwrite"]).code == 0


def test_an_output_over_a_membership_file_is_refused_before_the_solve(tmp_path: Path) -> None:
    """--json or --xlsx naming one of the run's membership files exits 2 and leaves it as it was."""
    folder = tmp_path / "c"
    shutil.copytree(DEMO, folder)
    units = folder / "units.csv"
    before = units.read_bytes()
    for flag in ("--json", "--xlsx"):
        r = run_cli(["representatives", str(folder), "--township", "t03", flag, str(units)])
        assert r.code == 2 and "input files" in r.err, r.err
        assert units.read_bytes() == before
