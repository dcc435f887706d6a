"""The record layer on its own: rows of typed cells, as a spreadsheet library hands them over."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import pytest
from pydantic import BaseModel

from model.enums import Labeled
from model.errors import InputError, InputErrors
from model.people import Cadre, Township
from model.records import CADRE_COLUMNS, TOWNSHIP_COLUMNS, assemble_scenario, table_records
from tests.model.test_io import build


def typed_cell(value: Any) -> Any:
    """A value as openpyxl gives a cell: dates as datetimes at midnight, numbers and booleans
    as they are, enum labels and lists as text, empty cells as None."""
    if value is None or value == ():
        return None
    if isinstance(value, Labeled):
        return value.zh
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, tuple):
        return "、".join(typed_cell(v) for v in value)
    return value


def typed_rows(columns: dict[str, str], items: Iterable[BaseModel]) -> list[list[Any]]:
    return [list(columns.values()), *([typed_cell(getattr(x, f)) for f in columns] for x in items)]


def settings() -> dict[str, Any]:
    """The scenario's settings as a settings sheet would give them: the date as a datetime."""
    sc = build()
    data = sc.model_dump(mode="json", exclude={"cadres"})
    data["county"] = {"id": sc.county.id, "name": sc.county.name}
    data["reshuffle_date"] = datetime(2026, 9, 1)
    return data


def read(t_rows: list[list[Any]], c_rows: list[list[Any]]) -> Any:
    errors: list[InputError] = []
    t_recs = table_records(t_rows, "book.xlsx[乡镇]", TOWNSHIP_COLUMNS, Township, errors)
    c_recs = table_records(c_rows, "book.xlsx[干部]", CADRE_COLUMNS, Cadre, errors)
    return assemble_scenario(settings(), "book.xlsx[设置]", t_recs, c_recs, errors,
                             ["book.xlsx[设置]", "book.xlsx[乡镇]", "book.xlsx[干部]"])


def test_spreadsheet_cells_read_like_csv_text() -> None:
    """Datetime-at-midnight dates, int and float numbers, bools and None cells give the same scenario."""
    sc = build()
    assert read(typed_rows(TOWNSHIP_COLUMNS, sc.county.townships), typed_rows(CADRE_COLUMNS, sc.cadres)) == sc


def test_spreadsheet_dates_numbers_and_ids() -> None:
    """A date cell, a float 12.0 for whole years, 0.85 for a share and a number typed as an id all read."""
    sc = build()
    c_rows = typed_rows(CADRE_COLUMNS, sc.cadres)
    col = {f: i for i, f in enumerate(CADRE_COLUMNS)}
    c_rows[1][col["birth_date"]] = sc.cadres[0].birth_date  # a date, not a datetime
    c_rows[1][col["township_years"]] = 12.0
    c_rows[1][col["recommendation_share"]] = 0.85
    t_rows = typed_rows(TOWNSHIP_COLUMNS, sc.county.townships)
    t_rows[2][0] = 102  # township t02 renamed 102, typed as a number
    for row in c_rows[1:]:
        if row[col["current_township"]] == "t02":
            row[col["current_township"]] = 102.0
    bans = [{"cadre": "c12", "township": "102"}]
    data = settings() | {"bans": bans}
    errors: list[InputError] = []
    got = assemble_scenario(
        data, "book.xlsx", table_records(t_rows, "book.xlsx", TOWNSHIP_COLUMNS, Township, errors),
        table_records(c_rows, "book.xlsx", CADRE_COLUMNS, Cadre, errors), errors, ["book.xlsx"])
    assert got.cadres[0] == sc.cadres[0]
    assert got.county.townships[1].id == "102"
    assert {c.current_township for c in got.cadres} == {"t01", "102", None}


def test_spreadsheet_cell_errors_are_located() -> None:
    """A datetime with a time of day, and a fractional number of years, are errors at their row and column."""
    sc = build()
    c_rows = typed_rows(CADRE_COLUMNS, sc.cadres)
    col = {f: i for i, f in enumerate(CADRE_COLUMNS)}
    c_rows[2][col["birth_date"]] = datetime(1980, 5, 31, 14, 30)
    c_rows[3][col["township_years"]] = 3.5
    with pytest.raises(InputErrors) as exc:
        read(typed_rows(TOWNSHIP_COLUMNS, sc.county.townships), c_rows)
    got = [(e.file, e.row, e.field) for e in exc.value.errors]
    assert got == [("book.xlsx[干部]", 3, "出生日期"), ("book.xlsx[干部]", 4, "乡镇工作年限")]
    assert "without a time of day" in exc.value.errors[0].message
    assert "whole number" in exc.value.errors[1].message
