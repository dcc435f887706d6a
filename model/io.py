"""Scenarios and slates in and out: the names the rest of the code imports.

The work is done by the record layer (model/records.py: rows to validated
records, every error located), the readers over it (model/readers.py: a JSON/YAML
file, a scenario folder, a what-if, a slate; each from a path or bytes) and the
writer (model/writers.py: a scenario folder).
"""

from __future__ import annotations

from typing import Any

from model.errors import InputError, InputErrors
from model.readers import (
    CADRES_FILE,
    SCENARIO_FILE,
    TOWNSHIPS_FILE,
    WHAT_IF_KEYS,
    load_change,
    load_scenario,
    load_scenario_folder,
    load_scenario_parts,
    load_slate,
)
from model.records import CADRE_COLUMNS, LIST_SEPARATORS, TOWNSHIP_COLUMNS
from model.scenario import Scenario
from model.slate import Assignment, SolveResult
from model.writers import save_scenario

__all__ = [
    "CADRES_FILE",
    "CADRE_COLUMNS",
    "LIST_SEPARATORS",
    "SCENARIO_FILE",
    "TOWNSHIPS_FILE",
    "TOWNSHIP_COLUMNS",
    "WHAT_IF_KEYS",
    "load_change",
    "load_scenario",
    "load_scenario_folder",
    "load_scenario_parts",
    "load_slate",
    "load_with_slate",
    "result_schema",
    "save_scenario",
    "scenario_schema",
]


def load_with_slate(scenario: str, slate: str | None, index: int = 0
                    ) -> tuple[Scenario, list[Assignment] | None]:
    """The scenario and (if given) slate `index` of a slate file, every error of both raised together
    as one InputErrors."""
    errors: list[InputError] = []
    sc = assignments = None
    try:
        sc = load_scenario(scenario)
    except InputErrors as e:
        errors += e.errors
    if slate is not None:
        try:
            assignments = load_slate(slate, index=index)
        except InputErrors as e:
            errors += e.errors
    if errors or sc is None:
        raise InputErrors(errors)
    return sc, assignments


def scenario_schema() -> dict[str, Any]:
    """JSON Schema of a scenario (the single-file form)."""
    return Scenario.model_json_schema()


def result_schema() -> dict[str, Any]:
    """JSON Schema of a solve result."""
    return SolveResult.model_json_schema()
