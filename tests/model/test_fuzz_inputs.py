"""Fuzzing the loaders: random mutations of a small county's cells, of its settings and of a
what-if never raise anything but `InputErrors` (or load fine), and every error prints."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.errors import InputErrors
from model.readers import Input, load_scenario, load_scenario_parts
from model.scenario import Scenario
from model.structured import parse_yaml

BASE = Path(__file__).resolve().parent / "bad_inputs" / "_base"
FILES = ("townships.csv", "cadres.csv")


def _rows(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((BASE / name).read_text(encoding="utf-8-sig"), newline="")))


ROWS = {name: _rows(name) for name in FILES}
META = parse_yaml((BASE / "scenario.yaml").read_text(encoding="utf-8"), "scenario.yaml")

GARBAGE = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "是", "否", "off", "yes", "NaN", "inf", "-0", "1e999", "0x1F", "010",
                     "85%", "200%", "-5", "1.5", "None", "null", "~", "[1, 2]", "{a: 1}", "、、", ";",
                     "漢族", "火星族", "男", "t99", "g0001", "g9999", "党委书记", "secretary"]),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.integers(min_value=1, max_value=5000).map(lambda n: "9" * n),
    st.sampled_from(["2026-02-30", "2026-13-01", "0001-01-01", "9999-12-31", "1900-01-01",
                     "2019-01-01", "2099-01-01", "2026年9月1日", "31/05/1980", "2026-09-01T10:00"]),
)

MUTATION = st.tuples(
    st.sampled_from(FILES),
    st.sampled_from(["delete", "garbage", "swap", "other_column", "drop_row", "drop_column", "dup_row"]),
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=30),
    GARBAGE,
)


def mutate(tables: dict[str, list[list[str]]], m: tuple[str, str, int, int, int, str]) -> None:
    name, op, r, c, other, text = m
    rows = tables[name]
    if not rows:
        return
    r, c = r % len(rows), c % len(rows[0])
    if op == "drop_row":
        del rows[r]
    elif op == "dup_row":
        rows.insert(r, list(rows[r]))
    elif op == "drop_column":
        for row in rows:
            if c < len(row):
                del row[c]
    elif c < len(rows[r]):
        if op == "delete":
            rows[r][c] = ""
        elif op == "garbage":
            rows[r][c] = text
        elif op == "swap":
            r2 = other % len(rows)
            c2 = other % len(rows[r2])
            rows[r][c], rows[r2][c2] = rows[r2][c2], rows[r][c]
        elif op == "other_column":
            rows[r][c] = rows[r][other % len(rows[r])]


def as_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


def loads_or_refuses(load: Any) -> None:
    """Loading gives a Scenario or InputErrors whose every error prints; nothing else escapes."""
    try:
        assert isinstance(load(), Scenario)
    except InputErrors as e:
        assert e.errors and str(e)


JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
              st.floats(allow_nan=False), GARBAGE),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(GARBAGE | st.sampled_from(
        ["cadre", "township", "seat", "D1-C1", "D3-C1", "off", "strength", "weight", "params",
         "min_count", "parts", "young", "merit", "g0001", "t01"]), inner, max_size=3),
    max_leaves=8,
)
SETTINGS_KEYS = st.sampled_from(["reshuffle_date", "ruleset", "rules", "pins", "bans", "remove",
                                 "weights", "renomination_overrides", "county", "name", "cadres"])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MUTATION, min_size=1, max_size=4))
def test_cell_mutations_never_raise_but_input_errors(mutations: list[Any]) -> None:
    """Deleted, swapped, garbage, huge or impossible cells, dropped rows or columns: InputErrors or loaded."""
    tables = {name: [list(r) for r in rows] for name, rows in ROWS.items()}
    for m in mutations:
        mutate(tables, m)
    meta = (BASE / "scenario.yaml").read_bytes()
    loads_or_refuses(lambda: load_scenario_parts(
        Input.of(meta, "scenario.yaml"), Input.of(as_csv(tables["townships.csv"]), "townships.csv"),
        Input.of(as_csv(tables["cadres.csv"]), "cadres.csv")))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(SETTINGS_KEYS, JSONISH, min_size=1, max_size=3))
def test_settings_mutations_never_raise_but_input_errors(changes: dict[str, Any]) -> None:
    """Any value of any key of scenario.yaml (as YAML text and as JSON): InputErrors or a scenario."""
    meta = {**META, **changes}
    parts = [Input.of((BASE / f).read_bytes(), f) for f in FILES]
    text = yaml.safe_dump(meta, allow_unicode=True).encode()
    loads_or_refuses(lambda: load_scenario_parts(Input.of(text, "scenario.yaml"), *parts))
    loads_or_refuses(lambda: load_scenario_parts(
        Input.of(json.dumps(meta, ensure_ascii=False).encode(), "scenario.json"), *parts))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["name", "rules", "pins", "bans", "remove", "weights",
                                        "renomination_overrides", "base"]), JSONISH, max_size=3))
def test_what_if_mutations_never_raise_but_input_errors(changes: dict[str, Any]) -> None:
    """A what-if with any values under its keys (a base of any type too): InputErrors or a scenario."""
    data = {"base": "_base", **changes}
    text = yaml.safe_dump(data, allow_unicode=True).encode()
    loads_or_refuses(lambda: load_scenario(text, name="w.yaml", base_dir=BASE.parent))


TREE = load_scenario(BASE).model_dump(mode="json")
CADRE_FIELDS = st.sampled_from(sorted(TREE["cadres"][0]))
TOWNSHIP_FIELDS = st.sampled_from(sorted(TREE["county"]["townships"][0]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 30), CADRE_FIELDS, TOWNSHIP_FIELDS, JSONISH),
                min_size=1, max_size=4))
def test_single_file_mutations_never_raise_but_input_errors(changes: list[Any]) -> None:
    """Any value in any field of a cadre or a township of a one-file scenario: InputErrors or loaded."""
    tree = json.loads(json.dumps(TREE))
    for is_cadre, i, cfield, tfield, value in changes:
        items = tree["cadres"] if is_cadre else tree["county"]["townships"]
        items[i % len(items)][cfield if is_cadre else tfield] = value
    text = json.dumps(tree, ensure_ascii=False).encode()  # JSON: YAML is 20x slower to read
    loads_or_refuses(lambda: load_scenario(text, name="s.json"))
