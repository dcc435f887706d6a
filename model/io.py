"""Scenarios and slates in and out: the names the rest of the code imports.

The work is done by the record layer (model/records.py: rows to validated
records, every error located), the readers over it (model/readers.py: a JSON/YAML
file, a scenario folder, a what-if, a slate; each from a path or bytes) and the
writer (model/writers.py: a scenario folder).
"""

from __future__ import annotations

from typing import Any

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
from model.slate import SolveResult
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
    "result_schema",
    "save_scenario",
    "scenario_schema",
]


def scenario_schema() -> dict[str, Any]:
    """JSON Schema of a scenario (the single-file form)."""
    return Scenario.model_json_schema()


def result_schema() -> dict[str, Any]:
    """JSON Schema of a solve result."""
    return SolveResult.model_json_schema()
