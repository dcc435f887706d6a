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

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model

from model.enums import Labeled
from model.errors import InputError, InputErrors
from model.people import Cadre, County, Township
from model.scenario import Parts, Scenario, check_parts
from model.structured import as_bool

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
    "hometown": "成长地",
    "work_since": "参加工作时间",
    "party_since": "入党时间",
    "relatives": "亲属关系",
}
"""Cadre field -> its Chinese column label (cadres.csv, a cadres sheet)."""

LIST_SEPARATORS = ";；、"
"""Any of these separates the items of a list cell (grades, expertise, relatives)."""

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
    errors: list[InputError], *, first_row: int = 1,
) -> list[Record] | None:
    """The records of a table whose first row names the columns; None if it has no header.

    Cells are text (CSV) or what a spreadsheet library gives (dates, numbers,
    booleans, None for empty). Headers are English field names or Chinese labels.
    `first_row` is the header's row in its sheet (a workbook's title rows sit above it),
    so errors name the rows staff see.
    """
    if not rows or all(is_blank(c) for c in rows[0]):
        errors.append(InputError("the file is empty; the first row must name the columns",
                                 file=file, row=first_row))
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
                f"unknown column; {guess}known columns: {known}", text, file=file, row=first_row))
        elif fld in src.written:
            errors.append(InputError(
                f"column given twice (also as '{src.written[fld]}'); keep one", text,
                file=file, row=first_row))
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
                src.name_of(fld), file=file, row=first_row))

    out: list[Record] = []
    for n, cells in enumerate(rows[1:], start=first_row + 1):
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
    lists: dict[str, tuple[str, str]] | None = None,
) -> Scenario:
    """Validate every part, run every cross-check that can run, then build the Scenario.

    The layers all run: the syntax (done by the reader), every field, every cross-reference.
    A field error does not hide a cross-check elsewhere: the cross-checks (`check_parts`)
    read whatever is valid. A list that could not be read at all (None) is not checked
    against: references into it would all look unknown; neither is a row that failed.
    `lists` says where the townships and the cadres are, section -> (file, field), for an
    error about a list as a whole (an empty pool).
    """
    lists = lists or {}
    t_recs, c_recs = t_read or [], c_read or []
    townships = _validate_records(t_recs, Township, errors)
    cadres = _validate_records(c_recs, Cadre, errors)
    meta = validate_fields(_meta_model(), meta_raw, meta_file, errors) \
        if isinstance(meta_raw, dict) else None

    t_first = _check_ids(t_recs, "township", errors)
    c_first = _check_ids(c_recs, "cadre", errors)
    for rec in c_recs:
        ct = rec.values.get("current_township")
        ct = "" if is_blank(ct) else scalar(_as_text(ct)).strip()
        if ct and ct not in t_first and t_read:  # no townships at all: that is the error
            errors.append(rec.error(
                "current_township",
                "no township has this id; use an id from the townships or leave it empty",
                ct, section="cadres", key=rec.text_id()))

    fields = meta.valid if meta is not None else {}
    complete = meta is not None and not meta.failed and set(fields) >= _REQUIRED_META
    if not errors and complete:  # every part is valid: build it for real
        head = fields["county"]
        try:  # the Scenario's own validator runs cross_check()
            return Scenario.model_validate(
                {**{k: v for k, v in fields.items() if k != "county"},
                 "county": County(id=head.id, name=head.name, townships=tuple(townships.values())),
                 "cadres": tuple(cadres.values())})
        except InputErrors as e:
            cross = e.errors
        except ValidationError as e:
            errors += [InputError(explain(x, Scenario, cell=False), path(x["loc"]),
                                  scalar(x["input"]), file=meta_file) for x in e.errors()]
            cross = []
    else:  # some part failed: cross-check what did load, blind to what did not
        failed = meta.failed if meta is not None else set(_meta_model().model_fields)
        cross = check_parts(Parts(
            reshuffle_date=fields.get("reshuffle_date"),
            townships=None if t_read is None else tuple(townships.values()),
            cadres=None if c_read is None else tuple(cadres.values()),
            ruleset=fields.get("ruleset"), ruleset_definition=fields.get("ruleset_definition"),
            ruleset_failed=bool({"ruleset", "ruleset_definition"} & failed),
            rules=None if "rules" in failed else fields.get("rules", {}),
            renomination_overrides=None if "renomination_overrides" in failed
            else fields.get("renomination_overrides", {}),
            exceptions=None if "exceptions" in failed else fields.get("exceptions", {}),
            pins=fields.get("pins", ()), bans=fields.get("bans", ()), remove=fields.get("remove", ()),
        ))
    failed_t = set(t_first) - {t.id for t in townships.values()}
    failed_c = set(c_first) - {c.id for c in cadres.values()}
    read = {"townships": t_read, "cadres": c_read}
    raw = meta_raw if isinstance(meta_raw, dict) else {}
    located: list[InputError] = []
    for e in cross:
        if e.section in read and not e.key and read[e.section]:
            continue  # "no townships" while rows failed: their errors say why
        if e.section in read and e.field == "id":
            continue  # duplicates: checked above, row by row
        if e.section == "cadres" and e.field == "current_township":
            continue  # checked above against every township row
        if (e.field == "cadre" and (c_read is None or e.value in failed_c)) or (
            e.field == "township" and (t_read is None or e.value in failed_t)
        ):
            continue  # refers to a row (or file) that failed on its own
        located.append(_locate(e, raw, meta_file, t_first, c_first, lists))
    if not errors and not located and cross:  # filtered everything away: show them as they are
        located = [_locate(e, raw, meta_file, t_first, c_first, lists) for e in cross]
    errors += located
    if not errors:  # not expected: every path above that fails records why
        errors.append(InputError("the scenario could not be read", file=meta_file))
    rank = {f: i for i, f in enumerate(files)}
    errors.sort(key=lambda e: (rank.get(e.file, -1), e.row if e.row is not None else 0))
    raise InputErrors(errors)


_REQUIRED_META = frozenset({"reshuffle_date", "county", "ruleset"})


@dataclass
class Fields:
    """A mapping validated field by field: the values that are valid (a list or a mapping of
    items keeps its valid items), and the fields that had any error."""

    valid: dict[str, Any]
    failed: set[str]


def validate_fields(model: type[BaseModel], raw: dict[str, Any], file: str,
                    errors: list[InputError]) -> Fields:
    """Validate `raw` against `model` one field at a time, recording every error at its path.

    So one bad field hides no other, and what is valid can still be cross-checked: a list
    (pins) or a mapping (rules) with one bad item keeps the others. A date field takes the
    date rules of a cell (`2026-13-01` is "no such day", `2026年9月1日` a date)."""
    out = Fields({}, set())
    kinds = _field_kinds(model)
    for key, value in raw.items():
        name = key if isinstance(key, str) else str(key)
        info = model.model_fields.get(name)
        if info is None:
            errors.append(InputError(
                "unknown field; known fields: " + ", ".join(model.model_fields), name,
                scalar(value), file=file))
            continue
        if kinds.get(name) == "date" and value is not None:
            try:
                value = _coerce("date", value, table=False)
            except CellError as e:
                errors.append(InputError(str(e), name, scalar(value), file=file))
                out.failed.add(name)
                continue
        ok, errs = _validate_one(model, name, value)
        if errs:
            out.failed.add(name)
            errors += [InputError(explain(x, model, cell=False), path(x["loc"]), scalar(x["input"]),
                                  file=file) for x in errs]
        if ok is not _INVALID:
            out.valid[name] = ok
    for name, info in model.model_fields.items():
        if info.is_required() and name not in raw:
            out.failed.add(name)
            errors.append(InputError("required field is missing", name, file=file))
    return out


_INVALID: Any = object()


def _validate_one(model: type[BaseModel], name: str, value: Any) -> tuple[Any, list[Any]]:
    """(the valid value or its valid items, or _INVALID; the pydantic errors, located from `name`)."""
    adapter = _adapter(model, name)
    try:
        return adapter.validate_python(value), []
    except ValidationError as e:
        errs = [{**x, "loc": (name, *x["loc"])} for x in e.errors()]
    bad = {x["loc"][1] for x in errs if len(x["loc"]) > 1}
    if isinstance(value, list) and bad and all(isinstance(b, int) for b in bad):
        kept: Any = [v for i, v in enumerate(value) if i not in bad]
    elif isinstance(value, dict) and bad:
        kept = {k: v for k, v in value.items() if k not in bad and str(k) not in bad}
    else:
        return _INVALID, errs
    try:
        return adapter.validate_python(kept), errs
    except ValidationError:
        return _INVALID, errs


@functools.cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    return TypeAdapter(Annotated[info.annotation, info])


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
    meta: dict[str, Any],
    meta_file: str,
    townships: dict[str, Record],
    cadres: dict[str, Record],
    lists: dict[str, tuple[str, str]],
) -> InputError:
    """Give a cross-check error (section + key) its file, row and field."""
    recs = {"cadres": cadres, "townships": townships}.get(e.section)
    if recs is not None and e.key in recs:
        rec = recs[e.key]
        value = rec.raw(e.field) if e.field in rec.values else e.value
        return rec.error(e.field, e.message, value, section=e.section, key=e.key)
    if recs is not None and not e.key and e.section in lists:  # the list as a whole
        file, fld = lists[e.section]
        return InputError(e.message, fld, e.value, file=file, section=e.section)
    fld = e.field
    if e.section in ("pins", "bans"):
        items = meta.get(e.section)
        items = items if isinstance(items, list) else []
        i = next((i for i, p in enumerate(items) if isinstance(p, dict)
                  and scalar(p.get("cadre")) == e.key and scalar(p.get(e.field)) == e.value), None)
        fld = path([e.section, i, e.field]) if i is not None else path([e.section, e.field])
    elif e.section == "rules":
        fld = path(["rules", e.key, "" if e.field == "id" else e.field])
    elif e.section == "remove":
        items = meta.get("remove")
        i = next((i for i, c in enumerate(items) if scalar(c) == e.key), None) \
            if isinstance(items, list) else None
        fld = path(["remove", i])
    elif e.section == "renomination_overrides":
        fld = path([e.section, e.key])
    elif e.section == "exceptions":
        fld = path([e.section, e.key, "" if e.field == "cadre" else e.field])
    elif e.section and e.section != "scenario":
        fld = path([e.section, e.key, e.field])
    # the path locates it; the key would only repeat the path in str(error)
    return InputError(e.message, fld, e.value, file=meta_file, section=e.section)


def locate_in_tree(e: InputError, tree: dict[str, Any], file: str) -> InputError:
    """A cross-check error about a scenario's settings, located at its path in `tree` (a what-if)."""
    return _locate(e, tree, file, {}, {}, {})


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
        if isinstance(as_bool(value), bool):
            return as_bool(value)
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
    text = _explain(err, model, kind, ctx, loc, low, high, cell=cell)
    extra = info.json_schema_extra if info is not None else None
    why = extra.get("why") if isinstance(extra, dict) else None
    if why and (kind.startswith("int_") or kind in _BOUND_KINDS):
        text += f" ({why})"
    return text


_BOUND_KINDS = ("greater_than_equal", "less_than_equal", "greater_than", "less_than")


def _explain(err: Any, model: type[BaseModel], kind: str, ctx: dict[str, Any], loc: Any,
             low: Any, high: Any, *, cell: bool) -> str:
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])  # our own validators' message, without pydantic's "Value error, "
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
    if kind in _BOUND_KINDS:
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


