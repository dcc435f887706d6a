"""The record layer: rows of cells in, validated records out, every error located.

It knows no file format. A reader (model/readers.py: JSON/YAML, CSV folder; next an
Excel workbook) turns its input into rows (a table: the first row names the
columns, English field names or Chinese labels) or lists of mappings (a JSON/YAML
tree), and this layer does the rest: header aliases, cell coercion (text as staff
type it, or the dates, numbers and booleans a spreadsheet library hands over),
validation against the domain models, duplicate ids, cross-checks, and errors
each located by file, row and field (a table) or by path (a tree).
"""

from __future__ import annotations

import copy
import difflib
import functools
import re
import types
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from model.enums import Labeled
from model.errors import InputError, InputErrors
from model.people import Cadre, County, Township
from model.scenario import Scenario

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
"""Township field -> its Chinese column label (townships.csv, a townships sheet)."""

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
"""Cadre field -> its Chinese column label (cadres.csv, a cadres sheet)."""

LIST_SEPARATORS = ";；、"
"""Any of these separates the items of a list cell (grades, expertise)."""

_TRUE = {"是", "true", "1", "yes", "y"}
_FALSE = {"否", "false", "0", "no", "n"}
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00)?)?$"
)


ABSENT: Any = object()
"""A key missing from a JSON/YAML tree (as opposed to present but empty)."""


# --------------------------------------------------------------------------- records


@dataclass
class Source:
    """Where a list of records comes from: a table (rows under a header), or a list in a tree."""

    file: str
    table: bool
    prefix: str = ""
    """Path of the list inside a tree, e.g. `cadres`."""
    columns: dict[str, str] = field(default_factory=dict)
    """Field -> Chinese label (tables only)."""
    written: dict[str, str] = field(default_factory=dict)
    """Field -> the header as the user wrote it (tables only)."""
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
class Record:
    """One row of a table, or one mapping of a list in a tree, with its raw values."""

    src: Source
    index: int
    row: int | None
    values: dict[str, Any]

    @property
    def where(self) -> str:
        return f"row {self.row}" if self.row is not None else f"{self.src.prefix}[{self.index}]"

    def field_name(self, fld: str, sub: Iterable[str | int] = ()) -> str:
        if self.src.table:
            return self.src.name_of(fld) if fld else ""
        return path([self.src.prefix, self.index, *([fld] if fld else []), *sub])

    def raw(self, fld: str) -> str:
        return scalar(self.values.get(fld, "")).strip()

    def error(self, fld: str, message: str, value: str = "", section: str = "",
              key: str = "") -> InputError:
        # in a tree the path names the record; a key would repeat it in str()
        return InputError(message, self.field_name(fld), value, file=self.src.file,
                          row=self.row, section=section, key=key if self.src.table else "")

    def text_id(self) -> str:
        v = self.values.get("id")
        return "" if is_blank(v) else scalar(_as_text(v)).strip()


class CellError(ValueError):
    """A cell that cannot be read as its field's kind; the message says what is expected."""


def table_records(
    rows: Sequence[Sequence[Any]], file: str, columns: dict[str, str], model: type[BaseModel],
    errors: list[InputError],
) -> list[Record] | None:
    """The records of a table whose first row names the columns; None if it has no header.

    Cells are text (CSV) or what a spreadsheet library gives (dates, numbers,
    booleans, None for empty). Headers are English field names or Chinese labels.
    """
    if not rows or all(is_blank(c) for c in rows[0]):
        errors.append(InputError("the file is empty; the first row must name the columns",
                                 file=file, row=1))
        return None
    header = [scalar(h).strip() for h in rows[0]]
    lookup: dict[str, str] = {}
    for fld, zh in columns.items():
        lookup[fld.lower()] = fld
        lookup[zh] = fld
    known = ", ".join(f"{f} ({zh})" for f, zh in columns.items())
    src = Source(file, table=True, columns=columns)
    colmap: list[str | None] = []
    n_zh = n_en = 0
    for text in header:
        fld = lookup.get(text.lower()) if text else None
        if not text:
            colmap.append(None)
            continue
        if fld is None:
            hint = difflib.get_close_matches(text, list(lookup), n=1, cutoff=0.6)
            guess = f"did you mean '{hint[0]}'? " if hint else ""
            errors.append(InputError(
                f"unknown column; {guess}known columns: {known}", text, file=file, row=1))
        elif fld in src.written:
            errors.append(InputError(
                f"column given twice (also as '{src.written[fld]}'); keep one", text,
                file=file, row=1))
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
                src.name_of(fld), file=file, row=1))

    out: list[Record] = []
    for n, cells in enumerate(rows[1:], start=2):
        if all(is_blank(c) for c in cells):
            continue
        values: dict[str, Any] = {}
        for i, cell in enumerate(cells):
            fld = colmap[i] if i < len(colmap) else None
            if fld is not None:
                values[fld] = cell
            elif not is_blank(cell) and (i >= len(colmap) or not header[i]):
                errors.append(InputError(
                    f"a value in column {i + 1}, which has no header; "
                    "add a header or clear the cell", "", scalar(cell).strip(), file=file, row=n))
        out.append(Record(src, len(out), n, values))
    return out


def list_records(items: Any, src: Source, errors: list[InputError]) -> list[Record] | None:
    """The records of a list in a tree; None if there is no list to read.

    An absent list (ABSENT) has been reported by the caller; an empty one (`cadres:`) is [].
    """
    if items is ABSENT:
        return None
    if items is None:
        return []
    if not isinstance(items, list):
        errors.append(InputError("expected a list", src.prefix, scalar(items), file=src.file))
        return None
    out: list[Record] = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            out.append(Record(src, i, None, dict(item)))
        else:
            errors.append(InputError("expected a mapping of fields", path([src.prefix, i]),
                                     scalar(item), file=src.file))
    return out


def assemble_scenario(
    meta_raw: Any,
    meta_file: str,
    t_read: list[Record] | None,
    c_read: list[Record] | None,
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
        ct = "" if is_blank(ct) else scalar(_as_text(ct)).strip()
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
                errors += [InputError(explain(x, Scenario, cell=False), path(x["loc"]),
                                      scalar(x["input"]), file=meta_file) for x in e.errors()]
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
    recs: list[Record], model: type[BaseModel], errors: list[InputError]
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
                data[fld] = _coerce(kinds.get(fld, ""), value, table=rec.src.table)
            except CellError as e:
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
                message = explain(err, model, cell=rec.src.table)
                if rec.src.table:
                    value = rec.raw(fld)
                    if sub and isinstance(sub[0], int):
                        message = f"item {sub[0] + 1} ({err['input']!r}): {message}"
                else:
                    value = scalar(err["input"])
                errors.append(InputError(message, rec.field_name(fld, sub), value,
                                         file=rec.src.file, row=rec.row))
            continue
        if not bad:
            out[rec.index] = obj
    return out


def _validate_meta(raw: Any, file: str, errors: list[InputError]) -> BaseModel | None:
    """Validate the scenario's settings: scenario.yaml, or a single file without its people."""
    if not isinstance(raw, dict):
        return None
    data = dict(raw)
    bad_date = False
    if isinstance(data.get("reshuffle_date"), str | datetime):
        try:
            data["reshuffle_date"] = _coerce("date", data["reshuffle_date"], table=False)
        except CellError as e:
            errors.append(InputError(str(e), "reshuffle_date", scalar(data.pop("reshuffle_date")),
                                     file=file))
            bad_date = True
    try:
        meta = _meta_model().model_validate(data)
    except ValidationError as e:
        for err in e.errors():
            if bad_date and err["loc"] == ("reshuffle_date",):
                continue
            errors.append(InputError(explain(err, Scenario, cell=False), path(err["loc"]),
                                     scalar(err["input"]), file=file))
        return None
    return None if bad_date else meta


def _check_ids(recs: list[Record], what: str, errors: list[InputError]) -> dict[str, Record]:
    """Id -> its first record; every later record with the same id is an error."""
    first: dict[str, Record] = {}
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
    townships: dict[str, Record],
    cadres: dict[str, Record],
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
        fld = path([e.section, i, e.field]) if i is not None else path([e.section, e.field])
    elif e.section == "rules":
        fld = path(["rules", e.key, "" if e.field == "id" else e.field])
    elif e.section == "renomination_overrides":
        fld = path([e.section, e.key])
    elif e.section and e.section != "scenario":
        fld = path([e.section, e.key, e.field])
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
    """Field -> how a cell is read: bool, date, list, number, text, or '' (as is)."""
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
        elif ann is str:
            out[name] = "text"
    return out


def _coerce(kind: str, value: Any, *, table: bool) -> Any:
    """A non-empty cell as its field takes it; text as staff type it, and in a table (`table`)
    also a spreadsheet's typed cells: a number in a text column (an id typed as 101) is text."""
    if kind == "text" and table:
        return _as_text(value)
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
        raise CellError("expected 是 or 否 (also accepted: true/false, yes/no, 1/0, empty = 否)")
    if kind == "date":
        return _as_date(value)
    if kind == "number" and isinstance(value, str) and value.endswith(("%", "％")):
        try:
            return float(value[:-1]) / 100
        except ValueError:
            raise CellError("expected a share like 0.85 or 85%") from None
    return value


def _as_date(value: Any) -> date:
    """A date from text, a date, or a datetime at midnight (a spreadsheet's date cell)."""
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise CellError("expected a date like 1980-05-31, without a time of day")
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value.strip())
    raise CellError("expected a date like 1980-05-31")


def _as_text(value: Any) -> Any:
    """A number cell as the text it shows (101.0 -> '101'); other values as they are."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_blank(cell: Any) -> bool:
    """An empty cell: None (a spreadsheet's empty cell) or text of only spaces."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def parse_date(text: str) -> date:
    m = _DATE.match(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise CellError("no such day in the calendar; expected a date like 1980-05-31") \
                from None
    raise CellError("expected a date like 1980-05-31")


def explain(err: Any, model: type[BaseModel], *, cell: bool) -> str:
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


def scalar(value: Any) -> str:
    """A value as shown in an error: scalars as text, containers not at all."""
    if value is None or isinstance(value, dict | list | tuple):
        return ""
    if isinstance(value, Labeled):
        return value.value
    return str(value)


def path(parts: Iterable[Any]) -> str:
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


