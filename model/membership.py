"""A township's party organization and its nominee rolls (党代表候选人推荐人选), read like the pool.

A scenario folder may hold, beside the slate's files:
- `units.csv` (or .xlsx): the electoral units (选举单位: a branch or general branch, D1 二(一)3(1)) of
  each township with their members, women, minority and 两新 members;
- `nominees.csv` (or .xlsx): the nominees of each unit, with the facts the quotas (D1-P2, D2-P2,
  D5-P2, D1-P3), the disqualifications (D2-P3) and the overlap rule (D1-P5) read;
- `congress.yaml` (optional): per township the last congress's seats, front-line share and
  differential ratio, a proposed seat count, and `rules:` overrides of the P rules.
Every problem of every file is collected in one pass (`InputErrors`), each located by file, row,
field and value, as `model/records.py` does for the pool.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, Field

from model.enums import Gender, Occupation
from model.errors import InputError, InputErrors
from model.ethnicity import HAN
from model.overrides import RuleOverride
from model.people import Frozen, Share, full_years, normalize_ethnicity
from model.readers import csv_rows
from model.records import Record, _validate_records, is_blank, table_records, validate_fields
from model.structured import decode, parse_structured
from model.writers import csv_text

if TYPE_CHECKING:
    from model.scenario import Scenario

UNITS_FILE = "units"
NOMINEES_FILE = "nominees"
CONGRESS_FILE = "congress.yaml"
TABLE_SUFFIXES = (".csv", ".xlsx")

NOMINEE_AGES = (18, 100)
"""A party member is 18 or older (Party Constitution art. 1); 100 bounds a typing slip."""

UNIT_COLUMNS: dict[str, str] = {
    "township": "乡镇",
    "id": "编号",
    "name": "名称",
    "members": "党员数",
    "women": "女党员数",
    "minorities": "少数民族党员数",
    "two_new": "两新党员数",
}
"""Electoral unit field -> its Chinese column label."""

NOMINEE_COLUMNS: dict[str, str] = {
    "id": "编号",
    "name": "姓名",
    "township": "乡镇",
    "unit": "选举单位",
    "gender": "性别",
    "ethnicity": "民族",
    "birth_date": "出生日期",
    "age": "年龄",
    "occupation": "身份",
    "two_new": "两新组织党员",
    "votes": "推荐票数",
    "serious_sanction": "严重违纪处分时间",
    "criminal_penalty": "刑事处罚时间",
    "under_investigation": "正在立案审查",
    "petition_or_cult": "非正常上访或邪教",
    "unqualified_year": "评议不合格年度",
    "incapacitated": "丧失行为能力",
    "peoples_congress": "人大代表",
}
"""Nominee field -> its Chinese column label."""


class ElectoralUnit(Frozen):
    """One electoral unit (选举单位) of a township: a branch or a general branch (D1 二(一)3(1))."""

    township: str = Field(min_length=1)
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    members: int = Field(ge=1, le=100_000)
    women: int = Field(default=0, ge=0, le=100_000)
    minorities: int = Field(default=0, ge=0, le=100_000)
    two_new: int = Field(default=0, ge=0, le=100_000)
    """Members in new economic and social organizations (两新组织, D2-P2)."""


class Nominee(Frozen):
    """One nominee of an electoral unit. The dates are those of the latest such event (D2-P3 asks
    about the last 5 years); `age` stands in where the birth date is not given."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    township: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    gender: Annotated[Gender, BeforeValidator(Gender.parse)]
    ethnicity: Annotated[str, BeforeValidator(normalize_ethnicity)] = HAN
    birth_date: date | None = None
    age: int | None = Field(default=None, ge=NOMINEE_AGES[0], le=NOMINEE_AGES[1])
    occupation: Annotated[Occupation, BeforeValidator(Occupation.parse)]
    two_new: bool = False
    votes: int = Field(default=0, ge=0, le=100_000)
    """Recommendation votes (推荐票): the preference among eligible nominees."""
    serious_sanction: date | None = None
    criminal_penalty: date | None = None
    under_investigation: bool = False
    petition_or_cult: bool = False
    unqualified_year: int | None = Field(default=None, ge=1990, le=2100)
    incapacitated: bool = False
    peoples_congress: bool = False

    @property
    def is_minority(self) -> bool:
        return self.ethnicity != HAN

    def age_on(self, on: date) -> int:
        if self.birth_date is not None:
            return full_years(self.birth_date, on)
        assert self.age is not None  # checked when read
        return self.age


class CongressFacts(Frozen):
    """What a township knows of its last congress, and a seat count it proposes (D1 二(一)1:
    具体名额由乡镇党委根据实际情况提出建议)."""

    last_seats: int | None = Field(default=None, ge=1, le=1000)
    last_front_line: Share | None = None
    last_differential: Share | None = None
    proposed_seats: int | None = Field(default=None, ge=1, le=1000)


class CongressSettings(Frozen):
    """congress.yaml: township id -> its facts, and overrides of the P rules (like a scenario's)."""

    townships: dict[str, CongressFacts] = Field(default_factory=dict)
    rules: dict[str, RuleOverride] = Field(default_factory=dict)


@dataclass(frozen=True)
class Membership:
    """The party organization of a county's townships and the nominees of their units."""

    units: tuple[ElectoralUnit, ...]
    nominees: tuple[Nominee, ...]
    settings: CongressSettings = field(default_factory=CongressSettings)

    def units_of(self, township: str) -> list[ElectoralUnit]:
        return [u for u in self.units if u.township == township]

    def nominees_of(self, township: str) -> list[Nominee]:
        return [n for n in self.nominees if n.township == township]

    def facts(self, township: str) -> CongressFacts:
        return self.settings.townships.get(township, CongressFacts())

    @property
    def townships(self) -> list[str]:
        return list(dict.fromkeys(u.township for u in self.units))


# --------------------------------------------------------------------------- reading


def table_file(folder: Path, stem: str) -> Path | None:
    """`stem.csv` or `stem.xlsx` in the folder, whichever is there (CSV first)."""
    return next((folder / f"{stem}{s}" for s in TABLE_SUFFIXES if (folder / f"{stem}{s}").is_file()), None)


def read_rows(data: bytes, name: str, errors: list[InputError]) -> tuple[list[list[Any]], int] | None:
    """The rows of a CSV file or of an .xlsx workbook's first sheet, and the sheet row of the header
    (a workbook may have a title row above it: the header is the first row with two cells filled)."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many kinds for a file that is no workbook
            errors.append(InputError(f"cannot read the workbook ({type(e).__name__}); save it in Excel "
                                     "as 'Excel 工作簿 (*.xlsx)'", file=name))
            return None
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
        start = next((i for i, r in enumerate(rows) if sum(not is_blank(c) for c in r) >= 2), 0)
        return rows[start:], start + 1
    rows = csv_rows(data, name, errors)
    return None if rows is None else (rows, 1)


def _records(data: bytes, name: str, columns: dict[str, str], model: type[Frozen],
             errors: list[InputError]) -> tuple[list[Record], dict[int, Any]]:
    read = read_rows(data, name, errors)
    if read is None:
        return [], {}
    rows, first = read
    recs = table_records(rows, name, columns, model, errors, first_row=first) or []
    return recs, _validate_records(recs, model, errors)


def load_membership(units: tuple[bytes, str], nominees: tuple[bytes, str],
                    congress: tuple[bytes, str] | None, townships: dict[str, int], on: date) -> Membership:
    """The membership from the bytes and names of its files, checked against the scenario's
    townships (id -> party members) and its reshuffle date; raises `InputErrors` with every problem."""
    errors: list[InputError] = []
    u_recs, u_valid = _records(*units, UNIT_COLUMNS, ElectoralUnit, errors)
    n_recs, n_valid = _records(*nominees, NOMINEE_COLUMNS, Nominee, errors)
    settings = CongressSettings()
    if congress is not None:
        settings = _settings(*congress, townships, errors)
    unit_ids: dict[tuple[str, str], Record] = {}
    for rec in u_recs:
        u = u_valid.get(rec.index)
        if u is None:
            continue
        if u.township not in townships:
            errors.append(rec.error("township", "no township of the scenario has this id", u.township))
        if (u.township, u.id) in unit_ids:
            errors.append(rec.error("id", f"duplicate unit id in township {u.township} (also at "
                                    f"{unit_ids[(u.township, u.id)].where})", u.id))
        unit_ids.setdefault((u.township, u.id), rec)
        for fld in ("women", "minorities", "two_new"):
            if getattr(u, fld) > u.members:
                errors.append(rec.error(fld, f"more than the unit's {u.members} members", rec.raw(fld)))
    _check_totals(list(u_valid.values()), townships, units[1], errors)
    seen: dict[str, Record] = {}
    for rec in n_recs:
        n = n_valid.get(rec.index)
        if n is None:
            continue
        if n.id in seen:
            errors.append(rec.error("id", f"duplicate nominee id (also at {seen[n.id].where})", n.id))
        seen.setdefault(n.id, rec)
        if u_valid and (n.township, n.unit) not in unit_ids:
            errors.append(rec.error("unit", f"township {n.township} has no electoral unit with this id",
                                    n.unit))
        _check_dates(rec, n, on, errors)
    if errors:
        raise InputErrors(errors)
    return Membership(tuple(u_valid[i] for i in sorted(u_valid)), tuple(n_valid[i] for i in sorted(n_valid)),
                      settings)


def _check_totals(units: Sequence[ElectoralUnit], townships: dict[str, int], file: str,
                  errors: list[InputError]) -> None:
    """The units of a township hold all its party members (the townships file's 党员数)."""
    for t, members in townships.items():
        mine = [u for u in units if u.township == t]
        total = sum(u.members for u in mine)
        if mine and total != members:
            errors.append(InputError(f"the units of township {t} have {total} members in all, the "
                                     f"township has {members} party members; the two must agree",
                                     UNIT_COLUMNS["members"], str(total), file=file))


def _check_dates(rec: Record, n: Nominee, on: date, errors: list[InputError]) -> None:
    if n.birth_date is None and n.age is None:
        errors.append(rec.error("birth_date", "give the birth date or the age (D2-P2 counts those aged "
                                "45 or younger)"))
    elif n.birth_date is not None:
        age = full_years(n.birth_date, on)
        low, high = NOMINEE_AGES
        if not low <= age <= high:
            errors.append(rec.error("birth_date", f"aged {age} on the reshuffle date {on}; a party member "
                                    f"is {low} to {high}", rec.raw("birth_date")))
        if n.age is not None and n.age != age:
            errors.append(rec.error("age", f"the birth date makes the nominee {age} on {on}", rec.raw("age")))
    for fld in ("serious_sanction", "criminal_penalty"):
        day = getattr(n, fld)
        if day is not None and day > on:
            errors.append(rec.error(fld, f"after the reshuffle date {on}", rec.raw(fld)))
    if n.unqualified_year is not None and n.unqualified_year > on.year:
        errors.append(rec.error("unqualified_year", f"after the reshuffle year {on.year}",
                                rec.raw("unqualified_year")))


def _settings(data: bytes, name: str, townships: dict[str, int],
              errors: list[InputError]) -> CongressSettings:
    try:
        raw = parse_structured(decode(data, name), name)
    except InputErrors as e:
        errors += e.errors
        return CongressSettings()
    if raw is None:
        return CongressSettings()
    if not isinstance(raw, dict):
        errors.append(InputError("expected a mapping with townships and rules", file=name))
        return CongressSettings()
    fields = validate_fields(CongressSettings, raw, name, errors)
    for t in fields.valid.get("townships", {}):
        if t not in townships:
            errors.append(InputError("no township of the scenario has this id", f"townships.{t}", t,
                                     file=name))
    return CongressSettings.model_validate(fields.valid)


def scenario_townships(sc: Scenario) -> dict[str, int]:
    """What a membership is checked against: the scenario's township ids and their party members."""
    return {t.id: t.party_members for t in sc.county.townships}


def load_membership_folder(folder: str | Path, townships: dict[str, int], on: date) -> Membership:
    """The membership files of a scenario folder (`units`, `nominees`, `congress.yaml`)."""
    folder = Path(folder)
    errors: list[InputError] = []
    found: dict[str, Path] = {}
    for stem in (UNITS_FILE, NOMINEES_FILE):
        p = table_file(folder, stem)
        if p is None:
            errors.append(InputError(f"no {stem}.csv or {stem}.xlsx in this folder; `huanjie nominees "
                                     "generate` writes them for a generated county", file=str(folder)))
        else:
            found[stem] = p
    if errors:
        raise InputErrors(errors)
    congress = folder / CONGRESS_FILE
    return load_membership(
        (found[UNITS_FILE].read_bytes(), found[UNITS_FILE].name),
        (found[NOMINEES_FILE].read_bytes(), found[NOMINEES_FILE].name),
        (congress.read_bytes(), congress.name) if congress.is_file() else None, townships, on)


def table_text(columns: dict[str, str], rows: Sequence[Frozen]) -> str:
    """A CSV with Chinese headers, cells as a scenario folder's (`model/writers.py`), bare newlines."""
    return csv_text(columns, rows, lineterminator="\n")


def membership_files(m: Membership) -> dict[str, bytes]:
    """The membership as the files its readers read (`units.csv`, `nominees.csv`, `congress.yaml`):
    what a folder holds after `save_membership`, and what the HTTP service stores, so reading it
    back is `load_membership` on the same bytes, checked against any scenario version."""
    import yaml

    data = m.settings.model_dump(mode="json", exclude_none=True)
    congress = ("# huanjie: last party congress per township, and overrides of the P rules\n"
                + yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return {f"{UNITS_FILE}.csv": table_text(UNIT_COLUMNS, m.units).encode("utf-8-sig"),
            f"{NOMINEES_FILE}.csv": table_text(NOMINEE_COLUMNS, m.nominees).encode("utf-8-sig"),
            CONGRESS_FILE: congress.encode("utf-8")}


def save_membership(m: Membership, folder: str | Path, overwrite: bool = False) -> list[Path]:
    """units.csv, nominees.csv and congress.yaml in the folder; an existing file is kept unless
    `overwrite` (FileExistsError naming it)."""
    folder = Path(folder)
    files = membership_files(m)
    paths = [folder / name for name in files]
    taken = [p for p in paths if p.exists()]
    if taken and not overwrite:
        raise FileExistsError(str(taken[0]))
    for path, data in zip(paths, files.values(), strict=True):
        path.write_bytes(data)
    return paths
