"""Readers: thin adapters from an input format to the record layer (model/records.py).

A scenario is read from one JSON/YAML file, from a folder that staff edit in a
spreadsheet (`scenario.yaml`, `townships.csv`, `cadres.csv`), or from a what-if
file that names its base. A slate is read from a JSON/YAML file. Every reader
takes a path, or bytes with a display name that errors show (an upload); every
problem is collected in one pass and raised as one `InputErrors`, nothing is
returned half-loaded. A new format (an Excel workbook) is one more adapter here:
rows in, `table_records` and `assemble_scenario` do the rest.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from model.errors import InputError, InputErrors
from model.people import Cadre, Township
from model.records import (
    ABSENT,
    CADRE_COLUMNS,
    TOWNSHIP_COLUMNS,
    Fields,
    Source,
    assemble_scenario,
    explain,
    list_records,
    locate_in_tree,
    path,
    scalar,
    table_records,
    validate_fields,
)
from model.scenario import Scenario
from model.slate import Assignment
from model.structured import decode, parse_structured
from model.whatif import ScenarioDelta, apply_delta

SCENARIO_FILE = "scenario.yaml"
TOWNSHIPS_FILE = "townships.csv"
CADRES_FILE = "cadres.csv"
STRUCTURED = (".json", ".yaml", ".yml")
ROSTER = ".xlsx"

WHAT_IF_KEYS = tuple(ScenarioDelta.model_fields)
"""What a what-if file may set besides `base`."""


@dataclass(frozen=True)
class Input:
    """What a reader reads: a file on disk, or bytes with the name that errors show."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    @classmethod
    def of(cls, source: str | Path | bytes | Input, name: str = "") -> Input:
        if isinstance(source, Input):
            return source
        if isinstance(source, bytes | bytearray):
            return cls(name or "<bytes>", data=bytes(source))
        return cls(str(source), path=Path(source))

    def kind(self) -> str:
        """'dir', 'file', 'missing' or 'bytes'; a path the system refuses (too long, a NUL in it)
        is an `InputErrors` naming it."""
        if self.path is None:
            return "bytes"
        try:
            if self.path.is_dir():
                return "dir"
            return "file" if self.path.exists() else "missing"
        except (OSError, ValueError) as e:
            raise self._refused(e) from None

    def resolved(self) -> Path | None:
        """The absolute path, symlinks followed (for telling a loop of what-if bases)."""
        try:
            return None if self.path is None else self.path.resolve()
        except (OSError, RuntimeError, ValueError) as e:  # a symlink loop, a NUL
            raise self._refused(e) from None

    def _refused(self, e: Exception) -> InputErrors:
        reason = getattr(e, "strerror", None) or str(e)
        return InputErrors([InputError(f"cannot use this path: {reason}", file=self.name[:200])])

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    def read(self) -> bytes:
        """The bytes; a file that cannot be read is an `InputErrors` naming it."""
        if self.path is None:
            return self.data or b""
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise InputErrors([InputError("no such file", file=self.name)]) from None
        except IsADirectoryError:
            raise InputErrors([InputError("expected a file, found a folder", file=self.name)]) from None
        except OSError as e:
            raise InputErrors([InputError(f"cannot read the file: {e.strerror}",
                                          file=self.name)]) from None

    def structured(self) -> Any:
        """The parsed JSON or YAML."""
        return parse_structured(decode(self.read(), self.name), self.name)


# --------------------------------------------------------------------------- scenarios


def load_scenario(source: str | Path | bytes, *, name: str = "", base_dir: str | Path | None = None
                  ) -> Scenario:
    """Read a scenario from a .json/.yaml/.yml file or an Excel roster .xlsx (a path, or bytes
    named `name`) or a folder.

    A what-if file names its base relative to its own folder (`base_dir` for bytes); a roster
    without a 设置 sheet takes the scenario.yaml of its folder (`base_dir` for bytes).
    Raises `InputErrors` with every problem found, each located by file, row and field.
    """
    return _load(Input.of(source, name), None if base_dir is None else Path(base_dir), ())


def _load(src: Input, base_dir: Path | None, chain: tuple[Path, ...]) -> Scenario:
    """`load_scenario`, with the what-if files that led here (`chain`), to refuse a loop of bases."""
    kind = src.kind()
    if kind == "dir" and src.path is not None:
        return load_scenario_folder(src.path)
    if kind == "missing":
        raise InputErrors([InputError("no such file or folder", file=src.name)])
    if src.suffix == ROSTER:  # an Excel roster (model/roster.py); openpyxl loaded only for one
        from model.roster import load_roster

        return load_roster(src.read(), src.name, src.path.parent if src.path is not None else base_dir)
    if src.suffix in (".xls", ".xlsm", ".et"):
        raise InputErrors([InputError(f"a {src.suffix} workbook is not read; save it in Excel as "
                                      "'Excel 工作簿 (*.xlsx)'", file=src.name)])
    if src.suffix not in STRUCTURED:
        raise InputErrors([InputError(
            "expected a .json, .yaml or .yml file, an Excel roster (.xlsx), or a folder holding "
            f"{SCENARIO_FILE}, {TOWNSHIPS_FILE} and {CADRES_FILE}",
            file=src.name,
        )])
    data = src.structured()
    if isinstance(data, dict) and "base" in data:
        folder = src.path.parent if src.path is not None else base_dir
        resolved = src.resolved()
        here = chain if resolved is None else (*chain, resolved)
        return _load_what_if(src.name, data, folder, here)
    return _single_file(src, data)


def load_scenario_folder(folder: str | Path) -> Scenario:
    """A scenario folder: scenario.yaml, townships.csv and cadres.csv."""
    folder = Path(folder)
    if not (folder / SCENARIO_FILE).is_file():
        raise InputErrors([InputError(
            f"this folder has no {SCENARIO_FILE}; a scenario folder holds {SCENARIO_FILE}, "
            f"{TOWNSHIPS_FILE} and {CADRES_FILE}", file=str(folder))])
    parts = [folder / SCENARIO_FILE, folder / TOWNSHIPS_FILE, folder / CADRES_FILE]
    return load_scenario_parts(*(Input.of(p) for p in parts))


def load_scenario_parts(settings: str | Path | bytes | Input, townships: str | Path | bytes | Input,
                        cadres: str | Path | bytes | Input) -> Scenario:
    """A scenario from its three parts as a folder holds them (paths, or `Input`s of bytes):
    the settings (YAML), the townships and the cadres (CSV)."""
    meta_src, t_src, c_src = Input.of(settings), Input.of(townships), Input.of(cadres)
    errors: list[InputError] = []
    meta: Any = None
    try:
        meta = meta_src.structured()
    except InputErrors as e:
        errors += e.errors
    else:
        if not isinstance(meta, dict):
            errors.append(InputError("expected a mapping of scenario fields (name, "
                                     "reshuffle_date, county, ruleset, ...)", file=meta_src.name))
            meta = None
    if isinstance(meta, dict):
        meta = dict(meta)
        if "cadres" in meta:
            meta.pop("cadres")
            errors.append(InputError(f"cadres belong in {CADRES_FILE}, not here", "cadres",
                                     file=meta_src.name))
        county = meta.get("county")
        if isinstance(county, dict) and "townships" in county:
            meta["county"] = {k: v for k, v in county.items() if k != "townships"}
            errors.append(InputError(f"townships belong in {TOWNSHIPS_FILE}, not here",
                                     "county.townships", file=meta_src.name))
    t_rows = _csv_rows(t_src, errors)
    c_rows = _csv_rows(c_src, errors)
    t_recs = None if t_rows is None else table_records(t_rows, t_src.name, TOWNSHIP_COLUMNS, Township,
                                                       errors)
    c_recs = None if c_rows is None else table_records(c_rows, c_src.name, CADRE_COLUMNS, Cadre, errors)
    files = [meta_src.name, t_src.name, c_src.name]
    lists = {"townships": (t_src.name, ""), "cadres": (c_src.name, "")}
    return assemble_scenario(meta, meta_src.name, t_recs, c_recs, errors, files, lists)


def _single_file(src: Input, data: Any) -> Scenario:
    """The whole scenario in one JSON/YAML tree: townships under county, cadres beside it."""
    fname = src.name
    if not isinstance(data, dict):
        raise InputErrors([InputError(
            "expected a mapping of scenario fields (name, reshuffle_date, county, cadres, ...) "
            "at the top level", file=fname)])
    errors: list[InputError] = []
    meta = dict(data)
    county = meta.get("county")
    townships: Any = ABSENT
    if isinstance(county, dict):
        county = dict(county)
        if "townships" in county:
            townships = county.pop("townships")
        else:
            errors.append(InputError("missing: the list of townships", "county.townships",
                                     file=fname))
        meta["county"] = county
    cadres: Any = meta.pop("cadres", ABSENT)
    if cadres is ABSENT:
        hint = ""
        if src.path is not None and src.path.name == SCENARIO_FILE:
            hint = f"; to read a scenario folder, load the folder {src.path.parent} instead"
        errors.append(InputError("missing: the list of cadres" + hint, "cadres", file=fname))
    t_recs = list_records(townships, Source(fname, table=False, prefix="county.townships"), errors)
    c_recs = list_records(cadres, Source(fname, table=False, prefix="cadres"), errors)
    lists = {"townships": (fname, "county.townships"), "cadres": (fname, "cadres")}
    return assemble_scenario(meta, fname, t_recs, c_recs, errors, [fname], lists)


def _csv_rows(src: Input, errors: list[InputError]) -> list[list[str]] | None:
    """The rows of a CSV file; None if it cannot be read at all (the error is recorded)."""
    if src.path is not None and not src.path.is_file():
        errors.append(InputError(f"missing file; a scenario folder needs {src.path.name}",
                                 file=src.name))
        return None
    try:
        data = src.read()
    except InputErrors as e:
        errors += e.errors
        return None
    return csv_rows(data, src.name, errors)


def csv_rows(data: bytes, name: str, errors: list[InputError]) -> list[list[str]] | None:
    """The rows of a CSV file's bytes; None if they cannot be read at all (the error is recorded).
    Every CSV a scenario folder holds is read here, so each says the same about a bad encoding."""
    try:
        text = decode(data, name, hint="in Excel save it as 'CSV UTF-8 (逗号分隔)'")
        return list(csv.reader(io.StringIO(text, newline="")))
    except InputErrors as e:
        errors += e.errors
    except csv.Error as e:
        errors.append(InputError(f"cannot read the CSV file: {e}", file=name))
    return None


# --------------------------------------------------------------------------- what-if


def _read_delta(data: dict[str, Any], file: str, errors: list[InputError]) -> tuple[str, Fields]:
    """The base as written ('' if it is not a path) and the change, field by field: a bad key
    of the what-if hides neither the others nor its base's errors."""
    base = data.get("base")
    if not isinstance(base, str) or not base.strip():
        errors.append(InputError("expected the path of the base scenario (a folder or a file), "
                                 "relative to this file", "base", scalar(base), file=file))
        base = ""
    return base, _change_fields(data, file, errors)


def _change_fields(data: dict[str, Any], file: str, errors: list[InputError]) -> Fields:
    unknown = sorted(str(k) for k in data if k != "base" and k not in WHAT_IF_KEYS)
    errors += [InputError(f"a what-if takes only base and {', '.join(WHAT_IF_KEYS)}", k,
                          file=file) for k in unknown]
    given = {k: v for k, v in data.items() if k in WHAT_IF_KEYS and v is not None}  # `pins:` = none
    return validate_fields(ScenarioDelta, given, file, errors)


def load_change(data: dict[str, Any], file: str) -> ScenarioDelta:
    """A what-if's change from its fields (`base` is the caller's: a path in a file, a stored
    version over HTTP), every error located in `file`."""
    errors: list[InputError] = []
    fields = _change_fields(data, file, errors)
    if errors:
        raise InputErrors(errors)
    return ScenarioDelta.model_validate(fields.valid)


def _load_what_if(file: str, data: dict[str, Any], folder: Path | None, chain: tuple[Path, ...]
                  ) -> Scenario:
    """A what-if file: read the change, read its base (relative to the file's folder), apply.

    Its own errors and its base's come together; a base that leads back to a file of the
    chain is an error naming the loop."""
    errors: list[InputError] = []
    base_ref, fields = _read_delta(data, file, errors)
    base: Scenario | None = None
    if base_ref and folder is None:
        errors.append(InputError(
            "a what-if given as bytes needs base_dir, the folder its base is relative to",
            "base", base_ref, file=file))
    elif base_ref and folder is not None:
        base_src = Input.of(folder / base_ref)
        target: Path | None = None
        try:
            base_src.kind()
            target = base_src.resolved()
        except InputErrors as e:
            errors += [replace(err, field="base", value=base_ref[:200], file=file) for err in e.errors]
        if target is not None and target in chain:
            loop = [*chain[chain.index(target):], target]
            errors.append(InputError(
                "the bases loop: " + " -> ".join(p.name for p in loop)
                + "; a base must lead to a scenario that names no base", "base", base_ref, file=file))
        elif target is not None:
            try:
                base = _load(base_src, None, chain)
            except InputErrors as e:
                errors += e.errors
    if base is not None:
        delta = ScenarioDelta.model_validate(fields.valid)
        try:
            wi = apply_delta(base, delta)
            if not errors:
                return wi
        except InputErrors as e:  # a cross-check the change broke: it is the what-if's error
            errors += [replace(locate_in_tree(err, data, file), key=err.key) for err in e.errors]
        except ValidationError as e:
            errors += [InputError(explain(x, Scenario, cell=False), path(x["loc"]),
                                  scalar(x.get("input", "")), file=file) for x in e.errors()]
    raise InputErrors(errors or [InputError("the what-if could not be read", file=file)])


# --------------------------------------------------------------------------- slates


def load_slate(source: str | Path | bytes, index: int = 0, *, name: str = "") -> list[Assignment]:
    """Read a slate's assignments from a JSON (or YAML) file, a path or bytes named `name`.

    The file holds a list of {township, seat, cadre} objects, an object with
    key "assignments" (a slate), or a solve result with "slates", of which
    slate number `index` (0 = best) is taken.
    """
    src = Input.of(source, name)
    fname = src.name
    data = src.structured()
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
            path(prefix), file=fname)])
    errors: list[InputError] = []
    out: list[Assignment] = []
    for i, item in enumerate(data):
        loc = [*prefix, i]
        if not isinstance(item, dict):
            errors.append(InputError("expected an object with township, seat and cadre",
                                     path(loc), scalar(item), file=fname))
            continue
        try:
            out.append(Assignment.model_validate(item))
        except ValidationError as e:
            for err in e.errors():
                errors.append(InputError(
                    explain(err, Assignment, cell=False),
                    path([*loc, *err["loc"]]), scalar(err["input"]), file=fname))
    if errors:
        raise InputErrors(errors)
    return out
