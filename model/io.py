"""Reading and writing scenarios and slates.

A scenario is read from one JSON/YAML file, or from a folder that staff edit in
a spreadsheet: `scenario.yaml` (everything but the people), `townships.csv` and
`cadres.csv`. CSV headers may be English field names or Chinese labels. Every
problem of the input is collected in one pass and raised as one `InputErrors`,
each error located by file, row and column; nothing is returned half-loaded.
"""

from __future__ import annotations

import copy
import csv
import difflib
import functools
import io
import json
import os
import re
import shutil
import types
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from model.enums import Change, Labeled
from model.errors import InputError, InputErrors
from model.people import Cadre, County, Township
from model.scenario import Scenario
from model.slate import Assignment, SolveResult

SCENARIO_FILE = "scenario.yaml"
TOWNSHIPS_FILE = "townships.csv"
CADRES_FILE = "cadres.csv"

TOWNSHIP_COLUMNS: dict[str, str] = {
    "id": "编号",
    "name": "名称",
    "township_class": "类别",
    "residents": "常住人口",
    "party_members": "党员数",
    "party_branches": "党支部数",
    "minority_concentrated": "少数民族聚居",
    "ethnic_minority": "民族乡民族",
}
"""Township field -> its Chinese column label in townships.csv."""

CADRE_COLUMNS: dict[str, str] = {
    "id": "编号",
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "ethnicity": "民族",
    "education": "学历",
    "rank": "职级",
    "rank_since": "任职级时间",
    "current_township": "现所在乡镇",
    "current_unit": "现单位",
    "current_post": "现任职务",
    "post_since": "任现职时间",
    "township_years": "乡镇工作年限",
    "leadership_years": "乡镇领导任职年限",
    "origin": "来源",
    "grades": "近三年考核",
    "recommendation_share": "推荐得票率",
    "incompetent_share": "不称职票率",
    "outstanding": "特别优秀",
    "kept_for_work": "因工作需要留任",
    "reserve": "后备干部",
    "expertise": "专长",
}
"""Cadre field -> its Chinese column label in cadres.csv."""

LIST_SEPARATORS = ";；、"
"""Any of these separates the items of a list cell (grades, expertise)."""

_TRUE = {"是", "true", "1", "yes", "y"}
_FALSE = {"否", "false", "0", "no", "n"}
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00)?)?$"
)


# --------------------------------------------------------------------------- public API


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario from a .json/.yaml/.yml file or a scenario folder.

    Raises `InputErrors` with every problem found, each located by file, row
    and field; never returns a half-loaded scenario.
    """
    path = Path(path)
    if path.is_dir():
        return _load_folder(path)
    if not path.exists():
        raise InputErrors([InputError("no such file or folder", file=str(path))])
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        data = _read_structured(path)
        if isinstance(data, dict) and "base" in data:
            return _load_what_if(path, data)
    if path.suffix.lower() not in (".json", ".yaml", ".yml"):
        raise InputErrors([InputError(
            "expected a .json, .yaml or .yml file, or a folder holding "
            f"{SCENARIO_FILE}, {TOWNSHIPS_FILE} and {CADRES_FILE}",
            file=str(path),
        )])
    return _load_single(path)


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


def load_slate(path: str | Path, index: int = 0) -> list[Assignment]:
    """Read a slate's assignments from a JSON (or YAML) file.

    The file holds a list of {township, seat, cadre} objects, an object with
    key "assignments" (a slate), or a solve result with "slates", of which
    slate number `index` (0 = best) is taken.
    """
    path = Path(path)
    fname = str(path)
    data = _read_structured(path)
    prefix: list[str | int] = []
    if isinstance(data, dict) and "slates" in data and "assignments" not in data:
        slates = data["slates"]
        if not isinstance(slates, list) or not slates:
            raise InputErrors([InputError("expected a non-empty list of slates", "slates",
                                          file=fname)])
        if not 0 <= index < len(slates):
            raise InputErrors([InputError(
                f"there is no slate number {index}; this result holds slates 0 to "
                f"{len(slates) - 1}", "slates", file=fname)])
        data, prefix = slates[index], ["slates", index]
    if isinstance(data, dict) and "assignments" in data:
        data, prefix = data["assignments"], [*prefix, "assignments"]
    if not isinstance(data, list):
        raise InputErrors([InputError(
            "expected a list of {township, seat, cadre} objects, an object with "
            "'assignments', or a solve result with 'slates'",
            _path(prefix), file=fname)])
    errors: list[InputError] = []
    out: list[Assignment] = []
    for i, item in enumerate(data):
        loc = [*prefix, i]
        if not isinstance(item, dict):
            errors.append(InputError("expected an object with township, seat and cadre",
                                     _path(loc), _scalar(item), file=fname))
            continue
        if isinstance(item.get("change"), str):
            item = {**item, "change": Change.parse(item["change"])}
        try:
            out.append(Assignment.model_validate(item))
        except ValidationError as e:
            for err in e.errors():
                errors.append(InputError(
                    _explain(err, Assignment, cell=False),
                    _path([*loc, *err["loc"]]), _scalar(err["input"]), file=fname))
    if errors:
        raise InputErrors(errors)
    return out


def scenario_schema() -> dict[str, Any]:
    """JSON Schema of a scenario (the single-file form)."""
    return Scenario.model_json_schema()


def result_schema() -> dict[str, Any]:
    """JSON Schema of a solve result."""
    return SolveResult.model_json_schema()


# --------------------------------------------------------------------------- records


@dataclass
class _Source:
    """Where a list of records comes from: a CSV file, or a list in a JSON/YAML file."""

    file: str
    csv: bool
    prefix: str = ""
    """Path of the list inside a JSON/YAML file, e.g. `cadres`."""
    columns: dict[str, str] = field(default_factory=dict)
    """Field -> Chinese label (CSV only)."""
    written: dict[str, str] = field(default_factory=dict)
    """Field -> the header as the user wrote it (CSV only)."""
    missing: set[str] = field(default_factory=set)
    """Required columns absent from the header (their per-row errors are dropped)."""
    chinese: bool = True

    def name_of(self, fld: str) -> str:
        if fld in self.written:
            return self.written[fld]
        if self.chinese and fld in self.columns:
            return self.columns[fld]
        return fld


@dataclass
class _Record:
    src: _Source
    index: int
    row: int | None
    values: dict[str, Any]

    @property
    def where(self) -> str:
        return f"row {self.row}" if self.row is not None else f"{self.src.prefix}[{self.index}]"

    def field_name(self, fld: str, sub: Iterable[str | int] = ()) -> str:
        if self.src.csv:
            return self.src.name_of(fld) if fld else ""
        return _path([self.src.prefix, self.index, *([fld] if fld else []), *sub])

    def raw(self, fld: str) -> str:
        return _scalar(self.values.get(fld, "")).strip()

    def error(self, fld: str, message: str, value: str = "", section: str = "",
              key: str = "") -> InputError:
        # in a JSON/YAML file the path names the record; a key would repeat it in str()
        return InputError(message, self.field_name(fld), value, file=self.src.file,
                          row=self.row, section=section, key=key if self.src.csv else "")

    def text_id(self) -> str:
        v = self.values.get("id")
        return "" if v is None else str(v).strip()


class _CellError(ValueError):
    pass


_ABSENT = object()
"""A key missing from a JSON/YAML file (as opposed to present but empty)."""


# --------------------------------------------------------------------------- loading


WHAT_IF_KEYS = ("name", "rules", "renomination_overrides", "pins", "bans", "remove", "weights")


def _load_what_if(path: Path, data: dict[str, Any]) -> Scenario:
    """A what-if file: `base:` names a scenario (file or folder, relative to this
    file); `pins`, `bans` and `remove` add to the base's, `rules` and
    `renomination_overrides` merge into them, `name` and `weights` replace them."""
    fname = str(path)
    unknown = sorted(set(data) - {"base", *WHAT_IF_KEYS})
    if unknown:
        raise InputErrors([InputError(
            f"a what-if file takes only base and {', '.join(WHAT_IF_KEYS)}", k, file=fname) for k in unknown])
    base = load_scenario(path.parent / str(data["base"]))
    merged: dict[str, Any] = {name: getattr(base, name) for name in type(base).model_fields}
    merged["name"] = data.get("name", base.name)
    merged["rules"] = {**{k: v.model_dump() for k, v in base.rules.items()}, **(data.get("rules") or {})}
    merged["renomination_overrides"] = {**base.renomination_overrides,
                                        **(data.get("renomination_overrides") or {})}
    for key in ("pins", "bans", "remove"):
        merged[key] = [*getattr(base, key), *(data.get(key) or [])]
    if "weights" in data:
        merged["weights"] = data["weights"]
    try:
        return Scenario.model_validate(merged)
    except InputErrors as e:
        raise InputErrors([replace(err, file=fname) for err in e.errors]) from None
    except ValidationError as e:
        raise InputErrors([InputError(item["msg"], _path(item["loc"]), _scalar(item.get("input", "")),
                                      file=fname) for item in e.errors()]) from None


def _load_single(path: Path) -> Scenario:
    fname = str(path)
    data = _read_structured(path)
    if not isinstance(data, dict):
        raise InputErrors([InputError(
            "expected a mapping of scenario fields (name, reshuffle_date, county, cadres, ...) "
            "at the top level", file=fname)])
    errors: list[InputError] = []
    meta = dict(data)
    county = meta.get("county")
    townships: Any = _ABSENT
    if isinstance(county, dict):
        county = dict(county)
        if "townships" in county:
            townships = county.pop("townships")
        else:
            errors.append(InputError("missing: the list of townships", "county.townships",
                                     file=fname))
        meta["county"] = county
    if "cadres" in meta:
        cadres = meta.pop("cadres")
    else:
        cadres = _ABSENT
        hint = ""
        if path.name == SCENARIO_FILE:
            hint = f"; to read a scenario folder, load the folder {path.parent} instead"
        errors.append(InputError("missing: the list of cadres" + hint, "cadres", file=fname))
    t_src = _Source(fname, csv=False, prefix="county.townships")
    c_src = _Source(fname, csv=False, prefix="cadres")
    t_recs = _list_records(townships, t_src, errors)
    c_recs = _list_records(cadres, c_src, errors)
    return _assemble(meta, fname, t_recs, c_recs, errors, [fname])


def _load_folder(folder: Path) -> Scenario:
    meta_path = folder / SCENARIO_FILE
    t_path, c_path = folder / TOWNSHIPS_FILE, folder / CADRES_FILE
    if not meta_path.is_file():
        raise InputErrors([InputError(
            f"this folder has no {SCENARIO_FILE}; a scenario folder holds {SCENARIO_FILE}, "
            f"{TOWNSHIPS_FILE} and {CADRES_FILE}", file=str(folder))])
    errors: list[InputError] = []
    meta: Any = None
    mname = str(meta_path)
    try:
        meta = _read_structured(meta_path)
    except InputErrors as e:
        errors += e.errors
    else:
        if not isinstance(meta, dict):
            errors.append(InputError("expected a mapping of scenario fields (name, "
                                     "reshuffle_date, county, ruleset, ...)", file=mname))
            meta = None
    if isinstance(meta, dict):
        meta = dict(meta)
        if "cadres" in meta:
            meta.pop("cadres")
            errors.append(InputError(f"cadres belong in {CADRES_FILE}, not here", "cadres",
                                     file=mname))
        county = meta.get("county")
        if isinstance(county, dict) and "townships" in county:
            meta["county"] = {k: v for k, v in county.items() if k != "townships"}
            errors.append(InputError(f"townships belong in {TOWNSHIPS_FILE}, not here",
                                     "county.townships", file=mname))
    t_recs = _read_csv(t_path, TOWNSHIP_COLUMNS, Township, errors)
    c_recs = _read_csv(c_path, CADRE_COLUMNS, Cadre, errors)
    files = [mname, str(t_path), str(c_path)]
    return _assemble(meta, mname, t_recs, c_recs, errors, files)


def _read_structured(path: Path) -> Any:
    """Parse a JSON or YAML file; any failure becomes an InputErrors naming the file."""
    fname = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputErrors([InputError("no such file", file=fname)]) from None
    except IsADirectoryError:
        raise InputErrors([InputError("expected a file, found a folder", file=fname)]) from None
    except UnicodeDecodeError:
        raise InputErrors([InputError("not UTF-8 text; save the file as UTF-8",
                                      file=fname)]) from None
    except OSError as e:
        raise InputErrors([InputError(f"cannot read the file: {e.strerror}",
                                      file=fname)]) from None
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            raise InputErrors([InputError(
                f"not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}",
                file=fname)]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        where = ""
        mark = getattr(e, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1}, column {mark.column + 1}"
        problem = getattr(e, "problem", None) or "syntax error"
        raise InputErrors([InputError(f"not valid YAML: {problem}{where}",
                                      file=fname)]) from None


def _list_records(items: Any, src: _Source, errors: list[InputError]) -> list[_Record] | None:
    """The records of a list in a JSON/YAML file; None if there is no list to read.

    An absent list has been reported by the caller; an empty one (`cadres:`) is [].
    """
    if items is _ABSENT:
        return None
    if items is None:
        return []
    if not isinstance(items, list):
        errors.append(InputError("expected a list", src.prefix, _scalar(items), file=src.file))
        return None
    out: list[_Record] = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            out.append(_Record(src, i, None, dict(item)))
        else:
            errors.append(InputError("expected a mapping of fields", _path([src.prefix, i]),
                                     _scalar(item), file=src.file))
    return out


def _read_csv(
    path: Path, columns: dict[str, str], model: type[BaseModel], errors: list[InputError]
) -> list[_Record] | None:
    """The rows of a CSV file; None if the file cannot be read at all."""
    fname = str(path)
    if not path.is_file():
        errors.append(InputError(f"missing file; a scenario folder needs {path.name}",
                                 file=fname))
        return None
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except UnicodeDecodeError:
        errors.append(InputError(
            "not UTF-8 text; in Excel save it as 'CSV UTF-8 (逗号分隔)'", file=fname))
        return None
    except (csv.Error, OSError) as e:
        errors.append(InputError(f"cannot read the CSV file: {e}", file=fname))
        return None
    if not rows or not any(c.strip() for c in rows[0]):
        errors.append(InputError("the file is empty; the first row must name the columns",
                                 file=fname, row=1))
        return None

    lookup: dict[str, str] = {}
    for fld, zh in columns.items():
        lookup[fld.lower()] = fld
        lookup[zh] = fld
    known = ", ".join(f"{f} ({zh})" for f, zh in columns.items())
    src = _Source(fname, csv=True, columns=columns)
    colmap: list[str | None] = []
    n_zh = n_en = 0
    for h in rows[0]:
        text = h.strip()
        fld = lookup.get(text.lower()) if text else None
        if not text:
            colmap.append(None)
            continue
        if fld is None:
            hint = difflib.get_close_matches(text, list(lookup), n=1, cutoff=0.6)
            guess = f"did you mean '{hint[0]}'? " if hint else ""
            errors.append(InputError(
                f"unknown column; {guess}known columns: {known}", text, file=fname, row=1))
        elif fld in src.written:
            errors.append(InputError(
                f"column given twice (also as '{src.written[fld]}'); keep one", text,
                file=fname, row=1))
            fld = None
        else:
            src.written[fld] = text
            if text == columns[fld]:
                n_zh += 1
            else:
                n_en += 1
        colmap.append(fld)
    src.chinese = n_zh >= n_en
    for fld, info in model.model_fields.items():
        if info.is_required() and fld not in src.written:
            src.missing.add(fld)
            errors.append(InputError(
                f"missing column '{fld}' ({columns[fld]}); add it to the header row",
                src.name_of(fld), file=fname, row=1))

    out: list[_Record] = []
    for n, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        values: dict[str, Any] = {}
        for i, cell in enumerate(cells):
            fld = colmap[i] if i < len(colmap) else None
            if fld is not None:
                values[fld] = cell
            elif cell.strip() and (i >= len(colmap) or not rows[0][i].strip()):
                errors.append(InputError(
                    f"a value in column {i + 1}, which has no header; "
                    "add a header or clear the cell", "", cell.strip(), file=fname, row=n))
        out.append(_Record(src, len(out), n, values))
    return out


def _assemble(
    meta_raw: Any,
    meta_file: str,
    t_read: list[_Record] | None,
    c_read: list[_Record] | None,
    errors: list[InputError],
    files: list[str],
) -> Scenario:
    """Validate every part, run every cross-check that can run, then build the Scenario.

    A list that could not be read at all (None) is not cross-checked against:
    references into it would all look unknown.
    """
    t_recs, c_recs = t_read or [], c_read or []
    townships = _validate_records(t_recs, Township, errors)
    cadres = _validate_records(c_recs, Cadre, errors)
    meta = _validate_meta(meta_raw, meta_file, errors) if meta_raw is not None else None

    t_first = _check_ids(t_recs, "township", errors)
    c_first = _check_ids(c_recs, "cadre", errors)
    for rec in c_recs:
        ct = rec.values.get("current_township")
        ct = "" if ct is None else str(ct).strip()
        if ct and ct not in t_first and t_read is not None:
            errors.append(rec.error(
                "current_township",
                "no township has this id; use an id from the townships or leave it empty",
                ct, section="cadres", key=rec.text_id()))

    if meta is not None:
        fields = {k: getattr(meta, k) for k in type(meta).model_fields if k != "county"}
        county = County.model_construct(id=meta.county.id, name=meta.county.name,
                                        townships=tuple(townships.values()))
        cross: list[InputError] = []
        if not errors:  # every part is valid: build it for real
            try:  # the Scenario's own validator runs cross_check()
                return Scenario.model_validate(
                    {**fields, "county": County(id=county.id, name=county.name,
                                                 townships=county.townships),
                     "cadres": tuple(cadres.values())})
            except InputErrors as e:
                cross = e.errors
            except ValidationError as e:
                errors += [InputError(_explain(x, Scenario, cell=False), _path(x["loc"]),
                                      _scalar(x["input"]), file=meta_file) for x in e.errors()]
        else:  # some rows failed: cross-check what did load, blind to what did not
            trial = Scenario.model_construct(county=county, cadres=tuple(cadres.values()),
                                             **fields)
            try:
                cross = trial.cross_check()
            except Exception:  # partial data the checks were not written for: skip them
                cross = []
        failed_t = set(t_first) - {t.id for t in townships.values()}
        failed_c = set(c_first) - {c.id for c in cadres.values()}
        for e in cross:
            if e.section in ("cadres", "townships") and e.field == "id":
                continue  # duplicates: checked above, row by row
            if e.section == "cadres" and e.field == "current_township":
                continue  # checked above against every township row
            if (e.field == "cadre" and (c_read is None or e.value in failed_c)) or (
                e.field == "township" and (t_read is None or e.value in failed_t)
            ):
                continue  # refers to a row (or file) that failed on its own
            errors.append(_locate(e, meta, meta_file, t_first, c_first))
        if not errors and cross:  # filtered everything away: show them as they are
            errors += [_locate(e, meta, meta_file, t_first, c_first) for e in cross]
    if not errors:  # not expected: every path above that fails records why
        errors.append(InputError("the scenario could not be read", file=meta_file))
    rank = {f: i for i, f in enumerate(files)}
    errors.sort(key=lambda e: (rank.get(e.file, -1), e.row if e.row is not None else 0))
    raise InputErrors(errors)


def _validate_records(
    recs: list[_Record], model: type[BaseModel], errors: list[InputError]
) -> dict[int, Any]:
    """Record index -> validated model, for the records that are valid."""
    kinds = _field_kinds(model)
    out: dict[int, Any] = {}
    for rec in recs:
        data: dict[str, Any] = {}
        bad: set[str] = set()
        for fld, value in rec.values.items():
            if isinstance(value, str):
                value = value.strip()
            if value is None or value == "":
                continue  # not given: the field's default
            try:
                data[fld] = _coerce(kinds.get(fld, ""), value)
            except _CellError as e:
                bad.add(fld)
                errors.append(rec.error(fld, str(e), rec.raw(fld)))
        try:
            obj = model.model_validate(data)
        except ValidationError as e:
            for err in e.errors():
                loc = err["loc"]
                fld = str(loc[0]) if loc else ""
                if fld in bad or fld in rec.src.missing:
                    continue
                sub = loc[1:]
                message = _explain(err, model, cell=rec.src.csv)
                if rec.src.csv:
                    value = rec.raw(fld)
                    if sub and isinstance(sub[0], int):
                        message = f"item {sub[0] + 1} ({err['input']!r}): {message}"
                else:
                    value = _scalar(err["input"])
                errors.append(InputError(message, rec.field_name(fld, sub), value,
                                         file=rec.src.file, row=rec.row))
            continue
        if not bad:
            out[rec.index] = obj
    return out


def _validate_meta(raw: Any, file: str, errors: list[InputError]) -> BaseModel | None:
    """Validate what scenario.yaml holds (or the single file without its people)."""
    if not isinstance(raw, dict):
        return None
    data = dict(raw)
    bad_date = False
    if isinstance(data.get("reshuffle_date"), str):
        try:
            data["reshuffle_date"] = _parse_date(data["reshuffle_date"].strip())
        except _CellError as e:
            errors.append(InputError(str(e), "reshuffle_date", data.pop("reshuffle_date"),
                                     file=file))
            bad_date = True
    try:
        meta = _meta_model().model_validate(data)
    except ValidationError as e:
        for err in e.errors():
            if bad_date and err["loc"] == ("reshuffle_date",):
                continue
            errors.append(InputError(_explain(err, Scenario, cell=False), _path(err["loc"]),
                                     _scalar(err["input"]), file=file))
        return None
    return None if bad_date else meta


def _check_ids(recs: list[_Record], what: str, errors: list[InputError]) -> dict[str, _Record]:
    """Id -> its first record; every later record with the same id is an error."""
    first: dict[str, _Record] = {}
    for rec in recs:
        rid = rec.text_id()
        if not rid:
            continue
        if rid in first:
            errors.append(rec.error(
                "id", f"duplicate {what} id (also at {first[rid].where}); each id must be unique",
                rid, section=f"{what}s", key=rid))
        else:
            first[rid] = rec
    return first


def _locate(
    e: InputError,
    meta: BaseModel,
    meta_file: str,
    townships: dict[str, _Record],
    cadres: dict[str, _Record],
) -> InputError:
    """Give a cross-check error (section + key) its file, row and field."""
    recs = {"cadres": cadres, "townships": townships}.get(e.section)
    if recs is not None and e.key in recs:
        rec = recs[e.key]
        value = rec.raw(e.field) if e.field in rec.values else e.value
        return rec.error(e.field, e.message, value, section=e.section, key=e.key)
    fld = e.field
    if e.section in ("pins", "bans"):
        items = getattr(meta, e.section)
        i = next((i for i, p in enumerate(items)
                  if p.cadre == e.key and str(getattr(p, e.field, "")) == e.value), None)
        fld = _path([e.section, i, e.field]) if i is not None else _path([e.section, e.field])
    elif e.section == "rules":
        fld = _path(["rules", e.key, "" if e.field == "id" else e.field])
    elif e.section == "renomination_overrides":
        fld = _path([e.section, e.key])
    elif e.section and e.section != "scenario":
        fld = _path([e.section, e.key, e.field])
    # the path locates it; the key would only repeat the path in str(error)
    return InputError(e.message, fld, e.value, file=meta_file, section=e.section)


@functools.cache
def _meta_model() -> type[BaseModel]:
    """Scenario without its people: what scenario.yaml holds (county without townships)."""
    config = ConfigDict(frozen=True, extra="forbid")
    head = create_model(
        "CountyHead", __config__=config,
        **{k: (f.annotation, copy.copy(f)) for k, f in County.model_fields.items()
           if k != "townships"},
    )
    return create_model(
        "ScenarioMeta", __config__=config, county=(head, ...),
        **{k: (f.annotation, copy.copy(f)) for k, f in Scenario.model_fields.items()
           if k not in ("county", "cadres")},
    )


# --------------------------------------------------------------------------- cells


def _field_kinds(model: type[BaseModel]) -> dict[str, str]:
    """Field -> how a text cell is read: bool, date, list, number, or '' (as is)."""
    out: dict[str, str] = {}
    for name, info in model.model_fields.items():
        ann = info.annotation
        if get_origin(ann) in (Union, types.UnionType):
            ann = next(a for a in get_args(ann) if a is not type(None))
        if get_origin(ann) is Annotated:
            ann = get_args(ann)[0]
        if ann is bool:
            out[name] = "bool"
        elif ann is date:
            out[name] = "date"
        elif get_origin(ann) is tuple:
            out[name] = "list"
        elif ann is float:
            out[name] = "number"
    return out


def _coerce(kind: str, value: Any) -> Any:
    if kind == "list" and isinstance(value, str):
        return tuple(p.strip() for p in re.split(f"[{LIST_SEPARATORS}]", value) if p.strip())
    if kind == "list" and isinstance(value, list | tuple):
        return tuple(v.strip() if isinstance(v, str) else v for v in value)
    if kind == "bool" and isinstance(value, str):
        low = value.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise _CellError("expected 是 or 否 (also accepted: true/false, yes/no, 1/0, empty = 否)")
    if kind == "date":
        if isinstance(value, datetime) or not isinstance(value, date | str):
            raise _CellError("expected a date like 1980-05-31")
        return _parse_date(value) if isinstance(value, str) else value
    if kind == "number" and isinstance(value, str) and value.endswith(("%", "％")):
        try:
            return float(value[:-1]) / 100
        except ValueError:
            raise _CellError("expected a share like 0.85 or 85%") from None
    return value


def _parse_date(text: str) -> date:
    m = _DATE.match(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise _CellError("no such day in the calendar; expected a date like 1980-05-31") \
                from None
    raise _CellError("expected a date like 1980-05-31")


def _explain(err: Any, model: type[BaseModel], *, cell: bool) -> str:
    """A pydantic error item in plain English: what is expected instead."""
    kind: str = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    loc = err["loc"]
    info = model.model_fields.get(str(loc[0])) if len(loc) == 1 and loc else None
    low, high = _bounds(info)
    if kind == "missing":
        return "required; fill in this cell" if cell else "required field is missing"
    if kind == "enum":
        enum = _enum_by_values(ctx.get("expected", ""))
        if enum is not None:
            return "expected one of: " + ", ".join(
                [m.zh for m in enum] + [m.value for m in enum])
        return f"expected one of: {ctx.get('expected', '')}"
    if kind.startswith(("date", "datetime")):
        return "expected a date like 1980-05-31"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        if (low, high) == (0, 1):
            return "a share must be between 0 and 1 (like 0.85 or 85%)"
        if low is not None and high is not None:
            return f"must be between {low} and {high}"
        if "ge" in ctx:
            return f"must be {ctx['ge']} or more"
        if "le" in ctx:
            return f"must be {ctx['le']} or less"
        return str(err["msg"])
    if kind.startswith("int_"):
        span = f" from {low} to {high}" if low is not None and high is not None else ""
        return f"expected a whole number{span}"
    if kind.startswith("float_"):
        if (low, high) == (0, 1):
            return "expected a share between 0 and 1, like 0.85 or 85%"
        return "expected a number"
    if kind.startswith("bool_"):
        return "expected 是 or 否 (also accepted: true/false, yes/no, 1/0)"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_type":
        return "expected text; in YAML/JSON put it in quotes"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} values"
    if kind == "extra_forbidden":
        if len(loc) == 1:
            return "unknown field; known fields: " + ", ".join(model.model_fields)
        return "unknown field; check the spelling"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "expected a mapping of fields"
    if kind in ("tuple_type", "list_type"):
        return "expected a list"
    return str(err["msg"])


def _bounds(info: Any) -> tuple[Any, Any]:
    """(ge, le) of a field, looking through Optional and Annotated."""
    if info is None:
        return None, None
    metas = list(info.metadata)
    ann = info.annotation
    for arg in (ann, *get_args(ann)):
        if get_origin(arg) is Annotated:
            for m in get_args(arg)[1:]:
                metas += list(getattr(m, "metadata", [m]))
    low = next((m.ge for m in metas if hasattr(m, "ge")), None)
    high = next((m.le for m in metas if hasattr(m, "le")), None)
    return low, high


def _enum_by_values(expected: str) -> type[Labeled] | None:
    values = set(re.findall(r"'([^']*)'", expected))
    for enum in Labeled.__subclasses__():
        if {m.value for m in enum} == values:
            return enum
    return None


def _scalar(value: Any) -> str:
    """A value as shown in an error: scalars as text, containers not at all."""
    if value is None or isinstance(value, dict | list | tuple):
        return ""
    if isinstance(value, Labeled):
        return value.value
    return str(value)


def _path(parts: Iterable[Any]) -> str:
    """('cadres', 3, 'birth_date') -> 'cadres[3].birth_date'."""
    out = ""
    for p in parts:
        if p is None or p == "":
            continue
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += f".{p}" if out else str(p)
    return out


# --------------------------------------------------------------------------- saving


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
        back = load_scenario(folder)
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
