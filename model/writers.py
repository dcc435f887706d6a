"""Writing a scenario as a folder staff edit in a spreadsheet: scenario.yaml, townships.csv, cadres.csv."""

from __future__ import annotations

import csv
import io
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from model.enums import Labeled
from model.errors import InputErrors
from model.readers import CADRES_FILE, SCENARIO_FILE, TOWNSHIPS_FILE, load_scenario_folder
from model.records import CADRE_COLUMNS, TOWNSHIP_COLUMNS
from model.scenario import Scenario


def save_scenario(sc: Scenario, folder: str | Path, *, overwrite: bool = False) -> None:
    """Write `sc` as a scenario folder (scenario.yaml, townships.csv, cadres.csv).

    The CSVs carry Chinese headers and Chinese enum labels and a UTF-8 BOM so
    Excel opens them. Files are written to a temporary folder next to the target
    and moved in at the end, after checking that they read back to `sc`. A
    non-empty target is refused unless `overwrite`; with `overwrite` only the
    three scenario files in it are replaced, other files are left alone.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"{folder} is a file, not a folder; choose a folder to save into")
    nonempty = folder.is_dir() and any(folder.iterdir())
    if nonempty and not overwrite:
        raise FileExistsError(
            f"{folder} is not empty; choose a new or empty folder, or pass overwrite=True "
            f"to replace its {SCENARIO_FILE}, {TOWNSHIPS_FILE} and {CADRES_FILE}"
        )
    texts = {
        SCENARIO_FILE: _scenario_yaml(sc),
        TOWNSHIPS_FILE: _csv_text(TOWNSHIP_COLUMNS, sc.county.townships),
        CADRES_FILE: _csv_text(CADRE_COLUMNS, sc.cadres),
    }
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / f".{folder.name}.{uuid.uuid4().hex[:8]}.tmp"
    tmp.mkdir()
    try:
        for name, text in texts.items():
            encoding = "utf-8-sig" if name.endswith(".csv") else "utf-8"
            with open(tmp / name, "w", encoding=encoding, newline="") as fh:
                fh.write(text)
        _check_round_trip(sc, tmp)
        if nonempty:
            for name in texts:
                os.replace(tmp / name, folder / name)
            tmp.rmdir()
        else:
            if folder.exists():
                folder.rmdir()
            os.replace(tmp, folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _scenario_yaml(sc: Scenario) -> str:
    """Every scenario field but the people, in field order; unset optional parts left out."""
    meta: dict[str, Any] = {}
    for name, info in Scenario.model_fields.items():
        value = getattr(sc, name)
        if name == "cadres" or (value is None and info.default is None):
            continue
        if name == "county":
            meta[name] = {"id": value.id, "name": value.name}
        elif name == "reshuffle_date":
            meta[name] = value  # a YAML date, unquoted
        elif name == "rules":
            meta[name] = {rid: ov.model_dump(mode="json", exclude_defaults=True)
                          for rid, ov in value.items()}
        elif name == "weights":  # only the weights the scenario sets: the others are the ruleset's
            meta[name] = value.model_dump(mode="json", exclude_unset=True)
        elif name == "bans":
            meta[name] = [b.model_dump(mode="json", exclude_none=True) for b in value]
        else:
            meta[name] = sc.model_dump(mode="json", include={name})[name]
    head = (f"# huanjie scenario: townships are in {TOWNSHIPS_FILE}, "
            f"cadres in {CADRES_FILE}.\n")
    return head + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)


def _csv_text(columns: dict[str, str], items: Iterable[BaseModel]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns.values())
    for item in items:
        writer.writerow(_cell(getattr(item, f)) for f in columns)
    return buf.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Labeled):
        return value.zh
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "、".join(_cell(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _check_round_trip(sc: Scenario, folder: Path) -> None:
    """Refuse to save what would not read back as `sc` (e.g. a separator inside a list item)."""
    try:
        back = load_scenario_folder(folder)
    except InputErrors as e:
        raise ValueError(f"the scenario cannot be saved faithfully:\n{e}") from None
    if back == sc:
        return
    diffs: list[str] = []
    pairs: list[tuple[str, Callable[[Scenario], Iterable[BaseModel]]]] = [
        ("township", lambda s: s.county.townships), ("cadre", lambda s: s.cadres)]
    for what, get in pairs:
        for a, b in zip(get(sc), get(back), strict=False):
            for f in type(a).model_fields:
                if getattr(a, f) != getattr(b, f):
                    diffs.append(f"{what} {getattr(a, 'id', '')}: {f} {getattr(a, f)!r} "
                                 f"would read back as {getattr(b, f)!r}")
    detail = "; ".join(diffs[:5]) or "scenario settings differ"
    raise ValueError(f"the scenario cannot be saved faithfully: {detail}")
