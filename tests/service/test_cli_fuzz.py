"""Fuzz the command line: random cell mutations of a small county never give a traceback, an exit
code outside 0-3 or a changed input file."""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.generator import generate_county
from model.io import CADRES_FILE, TOWNSHIPS_FILE, save_scenario
from tests.clirun import run_cli, tree_hash

NASTY = [
    "", " ", "0", "-1", "7", "126", "1e23", "100000000000000000000000", "nan", "3.5", "abc", "男", "女",
    "漢族", "火星族", "汉", "是", "否", "true", "off", "1978-02-30", "2026-13-01", "2099-01-01",
    "1800-01-01", "3000-01-01", "t01", "t99", "g0001", "g9999", "secretary", ";;", "=1+1", "\t",
    "x" * 300, "ﾃｽﾄ", "'", '"',
]
"""Values a spreadsheet can hold in any cell: numbers out of range, impossible dates, ids, enum
labels of the wrong column, formulas, odd characters."""

CELL = st.tuples(
    st.sampled_from([TOWNSHIPS_FILE, CADRES_FILE]),
    st.integers(min_value=0, max_value=200),  # a row (taken modulo the file's rows; 0 is the header)
    st.integers(min_value=0, max_value=40),  # a column (modulo the row's cells)
    st.one_of(st.sampled_from(NASTY), st.text(max_size=12)),
)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2 townships, 60 cadres: solves in a fraction of a second."""
    folder = tmp_path_factory.mktemp("fuzz") / "county"
    save_scenario(generate_county(2, 60, 3), folder)
    return folder


def mutate(folder: Path, cells: list[tuple[str, int, int, str]]) -> None:
    for name, row, col, value in cells:
        path = folder / name
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        r = rows[row % len(rows)]
        r[col % len(r)] = value
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(rows)


@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cells=st.lists(CELL, min_size=1, max_size=3))
def test_mutated_county_never_crashes(county: Path, cells: list[tuple[str, int, int, str]]) -> None:
    """solve over a county with 1-3 cells changed: exit 0/1/2/3, no traceback, inputs untouched,
    and no --json written when the input is refused."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "county"
        shutil.copytree(county, work)
        mutate(work, cells)
        before = tree_hash(work)
        out = Path(tmp) / "out.json"
        r = run_cli(["solve", str(work), "--time-limit", "3", "--json", str(out)])
        assert r.code in (0, 1, 2, 3), r.err
        assert "Traceback" not in r.err and "internal error" not in r.err
        assert tree_hash(work) == before
        assert out.exists() == (r.code != 2)
