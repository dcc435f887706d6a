"""Writing a scenario as staff keep it: a folder they edit in a spreadsheet (scenario.yaml,
townships.csv, cadres.csv), or an Excel roster (干部名册) in the layout model/roster.py reads."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from model.enums import Labeled, Post
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
        TOWNSHIPS_FILE: csv_text(TOWNSHIP_COLUMNS, sc.county.townships),
        CADRES_FILE: csv_text(CADRE_COLUMNS, sc.cadres),
    }
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / f".{folder.name}.{uuid.uuid4().hex[:8]}.tmp"
    tmp.mkdir()
    try:
        for name, text in texts.items():
            encoding = "utf-8-sig" if name.endswith(".csv") else "utf-8"
            with open(tmp / name, "w", encoding=encoding, newline="") as fh:
                fh.write(text)
        _check_round_trip(sc, lambda: load_scenario_folder(tmp))
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
    head = (f"# huanjie scenario: townships are in {TOWNSHIPS_FILE}, "
            f"cadres in {CADRES_FILE}.\n")
    return head + yaml.safe_dump(_scenario_meta(sc), allow_unicode=True, sort_keys=False)


def _scenario_meta(sc: Scenario) -> dict[str, Any]:
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
        elif name in ("pins", "bans"):  # a township-wide one has no seat
            meta[name] = [b.model_dump(mode="json", exclude_none=True) for b in value]
        else:
            meta[name] = sc.model_dump(mode="json", include={name})[name]
    return meta


def csv_text(columns: dict[str, str], items: Iterable[BaseModel], *, lineterminator: str = "\r\n") -> str:
    """A CSV with the Chinese headers of `columns` and the cells as the readers read them back
    (empty for None, 是/否, Chinese enum labels): a scenario folder's tables and a membership's."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=lineterminator)
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


def _check_round_trip(sc: Scenario, read_back: Callable[[], Scenario]) -> None:
    """Refuse to save what would not read back as `sc` (e.g. a separator inside a list item)."""
    try:
        back = read_back()
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


# --------------------------------------------------------------------------- Excel rosters

def save_roster(sc: Scenario, path: str | Path, *, overwrite: bool = False) -> None:
    """Write `sc` as an Excel roster: a 干部 sheet in the staff layout (a title row, the headers
    staff write, 现任职务 as `东山镇党委副书记、镇长`), a 乡镇 sheet and a 设置 sheet.

    Dates are date cells (the full date, so the scenario reads back the same). The workbook
    is checked to read back to `sc` (model/roster.py) before it is moved into place; an
    existing file is refused unless `overwrite`."""
    from model.roster import load_roster  # openpyxl: loaded only for a roster

    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists; choose a new file name, or pass overwrite=True")
    data = roster_bytes(sc)
    _check_round_trip(sc, lambda: load_roster(data, path.name))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def roster_bytes(sc: Scenario) -> bytes:
    """The roster workbook of `sc` (see `save_roster`), as bytes."""
    from openpyxl import Workbook

    from model.roster import (
        CADRES_SHEET,
        SETTINGS_HEADER,
        SETTINGS_SHEET,
        STAFF_COLUMNS,
        TOWNSHIPS_SHEET,
        titles,
    )

    wb = Workbook()
    ws = wb.active
    ws.title = CADRES_SHEET
    names = {t.id: t.name for t in sc.county.townships}
    rows = [[n + 1, *(_roster_cell(sc, c, f, names) for _, f in STAFF_COLUMNS[1:])]
            for n, c in enumerate(sc.cadres)]
    cadres_title, townships_title = titles(sc.county.name)
    _sheet(ws, cadres_title, [h for h, _ in STAFF_COLUMNS], rows)
    towns = [[_xlsx_cell(getattr(t, f)) for f in TOWNSHIP_COLUMNS] for t in sc.county.townships]
    _sheet(wb.create_sheet(TOWNSHIPS_SHEET), townships_title, list(TOWNSHIP_COLUMNS.values()), towns)
    settings = wb.create_sheet(SETTINGS_SHEET)
    settings.append(list(SETTINGS_HEADER))
    for key, value in _scenario_meta(sc).items():
        if key == "county":
            settings.append(["county.id", value["id"]])
            settings.append(["county.name", value["name"]])
        elif key == "reshuffle_date":
            settings.append([key, sc.reshuffle_date])
            settings.cell(settings.max_row, 2).number_format = "yyyy-mm-dd"
        elif isinstance(value, str):
            settings.append([key, value])
        else:  # JSON is YAML: the reader takes it back
            settings.append([key, json.dumps(value, ensure_ascii=False)])
    settings.column_dimensions["A"].width = 26
    settings.column_dimensions["B"].width = 60
    for row in settings.iter_rows(min_col=2):
        row[0].data_type = "s" if isinstance(row[0].value, str) else row[0].data_type
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet(ws: Any, title: str, header: list[str], rows: list[list[Any]]) -> None:
    """A title row over the header (as staff print it), frozen under the header, dates shown."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from model.roster import WIDE

    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for col in ws.iter_cols(min_row=3):
        for cell in col:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy.mm.dd"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # a text that begins with '=' is text, not a formula
    for i, h in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = WIDE.get(h, max(6, 2 * len(h) + 2))
    ws.freeze_panes = "C3"


def _roster_cell(sc: Scenario, c: Any, fld: str, names: dict[str, str]) -> Any:
    if fld == "current_post":
        return post_text(sc, c, names)
    if fld == "current_township":
        return names.get(c.current_township, c.current_township)
    return _xlsx_cell(getattr(c, fld)) if fld else None


def _xlsx_cell(value: Any) -> Any:
    """A value as a cell: numbers and dates typed, the rest as the CSV writes them."""
    if (isinstance(value, int | float) and not isinstance(value, bool)) or isinstance(value, date):
        return value
    return _cell(value) or None


def post_text(sc: Scenario, c: Any, names: dict[str, str]) -> str | None:
    """现任职务 as staff write it: the township, then the posts of the seat held
    (`东山镇党委副书记、镇长`); a cadre outside the teams has none (their 现单位 says where)."""
    from model.roster import parse_post_text, post_words
    from model.score import current_posts

    if c.current_township is None or c.current_post is None:
        return None
    town = names[c.current_township]
    posts = [p for p in current_posts(sc, c) if p != Post.committee_member] or [c.current_post]
    text = town + post_words(posts, town)
    if parse_post_text(text, list(names.values())).main_post != c.current_post:
        text = town + post_words([c.current_post], town)  # a seat whose posts name another main post
    return text
