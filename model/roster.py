"""Excel rosters (干部名册) in: a workbook laid out the way organization departments keep it.

One more adapter over the record layer (model/records.py): sheets in, rows of cells to
`table_records`, the whole to `assemble_scenario`. What is the roster's own:

- the header row is found by its labels (a title row, or several, may sit above it; a
  two-row header such as 学历 over 全日制教育 / 在职教育 is read too), and headers are read as
  staff write them (`HEADER_SYNONYMS`: 出生年月 is birth_date, 任同级职务时间 rank_since, 籍贯
  or 成长地 hometown; 序号 and 备注 are ignored);
- dates may be month-only, `1978.05`, `1978.5`, `1978年5月`, `1978-05`, and are then the 1st of
  the month (an age or a tenure counted from them may be a few days long); full dates and
  date cells are read as the CSV reads them;
- the education is the higher of the columns given (全日制教育, 在职教育, 学历), each a degree
  word staff use (研究生, 硕士, 大学, 本科, 大专, 中专, 高中, ...);
- 现任职务 is free text naming the township and the posts held (`东山镇党委副书记、镇长`): it
  gives the cadre's township and main post (the first post not held with another, as
  `SeatTemplate.main_post` says); a text naming no post (`县财政局副局长`) is a job outside the
  teams and becomes the unit (现单位) when the sheet has no 现单位 column;
- the cadres are on one sheet beside a 乡镇 sheet of townships, or on a sheet per township
  (the sheet's name is the township); the settings are a 设置 sheet of (field, value) rows,
  or, without one, the `scenario.yaml` in the workbook's folder.

Every bad cell is reported in one pass as an `InputError` with `file` = `roster.xlsx[sheet]`,
`row` = the sheet's row, `field` = the header as written with its column letter
(`出生年月 (F)`) and `value` = the cell as shown.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import count
from pathlib import Path
from typing import Any

import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from model.enums import ALIASES, LABELS, Education, Post
from model.errors import InputError, InputErrors
from model.people import Cadre, Township
from model.records import (
    CADRE_COLUMNS,
    TOWNSHIP_COLUMNS,
    CellError,
    Record,
    Source,
    assemble_scenario,
    is_blank,
    parse_date,
    scalar,
    table_records,
)
from model.ruleset import BUNDLED_POSTS
from model.scenario import Scenario
from model.structured import decode, parse_structured

SETTINGS_SHEET = "设置"
SETTINGS_HEADER = ("项目", "值")
TOWNSHIPS_SHEET = "乡镇"
CADRES_SHEET = "干部"
SETTINGS_YAML = "scenario.yaml"
"""The settings beside a workbook without a 设置 sheet."""

POST_TEXT = "现任职务"
"""The free-text column of the township and posts held (field `current_post` of cadres.csv)."""
EDUCATION = ("学历", "全日制教育", "在职教育", "全日制学历", "在职学历", "最高学历")
"""Education columns: the highest degree among them is the cadre's."""
IGNORED = ("序号", "备注")

HEADER_SYNONYMS: dict[str, str] = {
    "出生年月": "birth_date",
    "出生时间": "birth_date",
    "籍贯": "hometown",
    "任同级职务时间": "rank_since",
    "任同职级时间": "rank_since",
    "所在乡镇": "current_township",
    "工作单位": "current_unit",
    "现工作单位": "current_unit",
    "现任职务时间": "post_since",
}
"""Headers staff write -> the cadre field (besides CADRE_COLUMNS' labels and the English names)."""

TOWNSHIP_SYNONYMS: dict[str, str] = {"乡镇名称": "name", "乡镇": "name", "乡镇编号": "id"}

SETTINGS_LABELS: dict[str, str] = {
    "方案名称": "name", "换届日期": "reshuffle_date", "县编号": "county.id", "县名称": "county.name",
    "规则集": "ruleset",
}
"""Chinese keys of the 设置 sheet; every scenario field is also taken by its English name."""
SETTINGS_SCALARS = ("name", "reshuffle_date", "county.id", "county.name", "ruleset")
"""Settings read as the cell holds them; the others are YAML (or JSON) text in their cell."""

POST_WORDS: dict[str, Post] = {
    **{text: p for p in Post for text in (LABELS[p], *ALIASES.get(p, ()))},
    "书记": Post.party_secretary, "副书记": Post.deputy_secretary,
    "人大主席团主席": Post.congress_chair, "人大副主席": Post.congress_vice_chair,
    "人大主席团副主席": Post.congress_vice_chair, "纪委副书记": Post.discipline_deputy,
    "组织宣传委员": Post.organization_propaganda_member, "人武部部长": Post.armed_forces_head,
    "委员": Post.committee_member,
}
"""How 现任职务 names a post of a township team: the labels and aliases of `Post`, and forms staff use."""
_POST_SUFFIXES = sorted(POST_WORDS, key=len, reverse=True)
_SEGMENTS = re.compile(r"[、，,;；/()（）\s]+|兼")
_TEAM_WORDS = ("党委", "纪委", "人大主席", "乡长", "镇长", "人武", "武装部")
"""Words that say a text after a township's name means a team post (so a typo is an error)."""
_LOOKS_LIKE_TOWNSHIP = ("乡", "镇", "街道")

EDUCATION_WORDS: tuple[tuple[tuple[str, ...], Education], ...] = (
    (("研究生", "硕士", "博士"), Education.postgraduate),
    (("大专", "专科"), Education.college),
    (("本科", "大学", "学士"), Education.bachelor),
    (("中专", "中技", "技校", "职高", "中等专业"), Education.secondary_vocational),
    (("高中",), Education.senior_high),
    (("初中",), Education.junior_high),
)
"""Degree words in an education cell, checked in this order (大学专科 is 大专, not 大学)."""

_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
DATE_FORMS = "1978.05, 1978年5月, 1978-05 or a full date like 1978-05-12"
_HEADER_SCAN = 10
"""Rows searched for the header row."""
_FOOTNOTES = ("注", "说明", "填表", "制表", "审核")


STAFF_COLUMNS: tuple[tuple[str, str], ...] = (
    ("序号", ""), ("编号", "id"), ("姓名", "name"), ("性别", "gender"), ("民族", "ethnicity"),
    ("籍贯", "hometown"), ("出生年月", "birth_date"), ("入党时间", "party_since"),
    ("参加工作时间", "work_since"), ("全日制教育", "education"), ("在职教育", ""),
    (POST_TEXT, "current_post"), ("任现职时间", "post_since"), ("任同级职务时间", "rank_since"),
    *((CADRE_COLUMNS[f], f) for f in CADRE_COLUMNS if f not in (
        "id", "name", "gender", "ethnicity", "hometown", "birth_date", "party_since", "work_since",
        "education", "current_post", "post_since", "rank_since")),
    ("备注", ""),
)
"""The cadres sheet the writer (model/writers.py) lays out as organization departments do
(header, field; '' for a column staff keep that no field fills), then the rest of cadres.csv's."""

WIDE = {POST_TEXT: 30, "现单位": 22, "专长": 18, "近三年考核": 16, "亲属关系": 14}
"""Column widths (characters) the writer gives the wide columns."""


def titles(county: str) -> tuple[str, str]:
    """The title rows the writer puts over the cadres and the townships sheets."""
    return f"{county}乡镇领导班子换届干部名册", f"{county}乡镇"


def post_words(posts: list[Post], town: str) -> str:
    """Posts as staff write them after the township: 乡长 / 镇长 by the township's name."""
    kind = town[-1] if town.endswith(("乡", "镇")) else ""

    def word(p: Post) -> str:
        if kind and p in (Post.township_head, Post.deputy_head):
            return ("副" if p == Post.deputy_head else "") + kind + "长"
        return p.zh

    return "、".join(word(p) for p in posts)


# --------------------------------------------------------------------------- cells


def roster_date(value: Any, number_format: str = "General") -> Any:
    """A date cell's value as the record layer takes it: month-only forms are the 1st of the month.

    A number cell such as 1978.05 (Excel turns typed 1978.05 into a number) is read by its
    digits; 1978.1 is refused unless the cell shows two decimals, since a typed 1978.10 is
    stored as 1978.1. Values other than text and numbers are passed on as they are."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return value
    if isinstance(value, int | float):
        text = f"{value:.2f}" if "0.00" in number_format else str(value)
        year, _, month = text.partition(".")
        if month == "1":
            raise CellError(f"{text} in a number cell may be {year}.01 or {year}.10; "
                            f"write {year}年1月 or {year}年10月 (or make the column text)")
        text = f"{year}.{month}" if month else text
    else:
        text = value.strip()
    try:
        return parse_date(text)
    except CellError:
        pass
    m = _MONTH.match(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), 1)
        except ValueError:
            raise CellError(f"no such month; expected a date like {DATE_FORMS}") from None
    raise CellError(f"expected a date like {DATE_FORMS}")


def education_of(text: str) -> Education:
    """The degree an education cell names: a label of `Education` or a word staff write."""
    found = Education.parse(text)
    if isinstance(found, Education):
        return found
    for words, level in EDUCATION_WORDS:
        if any(w in text for w in words):
            return level
    raise CellError("expected a degree: " + ", ".join(m.zh for m in reversed(Education))
                    + " (also 硕士, 大学, 大学本科, 大学专科, ...)")


@dataclass(frozen=True)
class PostText:
    """What a 现任职务 text says: the township's name it begins with (if any) and the posts."""

    township: str | None
    posts: tuple[Post, ...] = ()

    @property
    def main_post(self) -> Post | None:
        """The post the cadre is known by: the first not held with another (SeatTemplate.main_post)."""
        return next((p for p in self.posts if p not in BUNDLED_POSTS), self.posts[0] if self.posts else None)


def _split_post(segment: str) -> tuple[str, Post] | None:
    """(the place before the post, the post) if the segment ends with a post word."""
    word = next((w for w in _POST_SUFFIXES if segment.endswith(w)), None)
    return None if word is None else (segment[: len(segment) - len(word)], POST_WORDS[word])


def parse_post_text(text: str, townships: list[str]) -> PostText:
    """Read 现任职务: `东山镇党委副书记、镇长` is 东山镇 and (党委副书记, 乡镇长), main post 乡镇长.

    A text whose first part names no post is a job outside the teams (PostText without posts,
    the township it begins with if any). Raises CellError where the text names a township
    that is not one of `townships`, or mixes posts with words that are not posts."""
    text = text.strip()
    parts = [p for p in _SEGMENTS.split(text) if p]
    by_length = sorted(townships, key=len, reverse=True)
    prefix = next((t for t in by_length if text.startswith(t)), None)
    first = _split_post(parts[0]) if parts else None
    if first is None or (first[0] and first[0] not in townships):
        if first is not None and first[0].endswith(_LOOKS_LIKE_TOWNSHIP) and prefix is None:
            known = "、".join(townships[:12]) + ("…" if len(townships) > 12 else "")
            raise CellError(f"'{first[0]}' is not a township of this roster; the townships are: {known}")
        if prefix is not None and any(w in text[len(prefix):] for w in _TEAM_WORDS):
            raise CellError(f"cannot read the posts after '{prefix}'; write them like "
                            f"{prefix}党委副书记、镇长 (posts: {_known_posts()})")
        return PostText(prefix)
    township = first[0] or None
    posts = [first[1]]
    for part in parts[1:]:
        split = _split_post(part)
        if split is None or (split[0] and split[0] != township):
            raise CellError(f"'{part}' is not a post of a township team; write the posts like "
                            f"东山镇党委副书记、镇长 (posts: {_known_posts()})")
        posts.append(split[1])
    return PostText(township, tuple(posts))


def _known_posts() -> str:
    return ", ".join(LABELS[p] for p in Post)


def _cell_text(value: Any) -> str:
    """A cell as it reads: 101.0 is '101', a date cell its date."""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return scalar(value).strip()


def _header_text(value: Any) -> str:
    """A header as compared: no spaces (staff write 姓  名, or 出生\\n年月)."""
    return re.sub(r"\s+", "", scalar(value))


# --------------------------------------------------------------------------- sheets


@dataclass
class Sheet:
    """One worksheet: its display name for errors, and its cells (value, number format)."""

    name: str
    file: str
    cells: list[list[tuple[Any, str]]]

    def values(self, row: int) -> list[Any]:
        return [v for v, _ in self.cells[row]] if row < len(self.cells) else []

    def blank(self) -> bool:
        return all(is_blank(v) for r in self.cells for v, _ in r)


@dataclass
class Column:
    """A column of a table sheet: where it is, its header as written, the field it gives."""

    index: int
    header: str
    field: str

    @property
    def display(self) -> str:
        return f"{self.header} ({get_column_letter(self.index + 1)})"


@dataclass
class Table:
    """A sheet's header (its row, 1-based), its mapped columns, and where its data starts."""

    sheet: Sheet
    header_row: int
    data_start: int
    columns: list[Column]

    def by_field(self, fld: str) -> list[Column]:
        return [c for c in self.columns if c.field == fld]


@dataclass
class Reading:
    """What a read collects: the roster's own cell errors, and the cells they are at, so the
    record layer's error for the same cell is not shown twice."""

    errors: list[InputError] = field(default_factory=list)
    cells: set[tuple[str, int | None, str]] = field(default_factory=set)

    def cell_error(self, sheet: Sheet, row: int, col: Column, message: str, value: Any,
                   layer_field: str = "") -> None:
        """An error at a cell; `layer_field` is where the record layer names the same cell when it
        is not the column's own header (the education's first column)."""
        self.errors.append(InputError(message, col.display, _cell_text(value), file=sheet.file, row=row))
        self.cells.add((sheet.file, row, layer_field or col.display))

    def sheet_error(self, sheet: Sheet, message: str, fld: str = "", row: int | None = None,
                    value: str = "") -> None:
        self.errors.append(InputError(message, fld, value, file=sheet.file, row=row))


def _sheets(data: bytes, name: str) -> list[Sheet]:
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as e:
        raise InputErrors([InputError(
            f"cannot read the workbook ({type(e).__name__}); save it in Excel as "
            "'Excel 工作簿 (*.xlsx)'", file=name)]) from None
    base = Path(name).name
    out = []
    for ws in wb.worksheets:
        cells = [[(c.value, c.number_format or "General") for c in row] for row in ws.iter_rows()]
        out.append(Sheet(ws.title, f"{base}[{ws.title}]", cells))
    return out


def _table(sheet: Sheet, lookup: dict[str, str], key_field: str, reading: Reading) -> Table | None:
    """The header row (the first of the top rows naming `key_field` and another known column),
    its columns mapped, and a second header row under it where its labels are."""
    for r in range(min(_HEADER_SCAN, len(sheet.cells))):
        texts = [_header_text(v) for v in sheet.values(r)]
        fields = [lookup.get(t) or lookup.get(t.lower()) for t in texts]
        if key_field in fields and sum(f is not None for f in fields) >= 2:
            break
    else:
        labels = ", ".join(k for k, v in lookup.items() if v == key_field)
        reading.sheet_error(sheet, f"no header row: none of the first {_HEADER_SCAN} rows names the "
                                   f"columns (it must have {labels} and the other columns)")
        return None
    data_start = r + 1
    under = [_header_text(v) for v in sheet.values(r + 1)]
    if any(lookup.get(t) for t in under) and not any(lookup.get(t) == key_field for t in under):
        for i, t in enumerate(under):  # 学历 over 全日制教育 / 在职教育: the lower label is the column
            if t and lookup.get(t):
                texts += [""] * (i + 1 - len(texts))
                texts[i] = t
        data_start = r + 2
    columns: list[Column] = []
    for i, text in enumerate(texts):
        if not text:
            continue
        fld = lookup.get(text) or lookup.get(text.lower())
        col = Column(i, text, fld or "")
        if fld is None:
            known = "、".join(k for k in lookup if not k.isascii())
            reading.sheet_error(sheet, f"unknown column; known columns: {known}", col.display, r + 1)
        elif fld != "ignored":
            columns.append(col)
    seen: dict[str, Column] = {}
    for col in list(columns):
        if col.field in seen and col.field not in ("education", "hometown"):
            reading.sheet_error(sheet, f"column given twice (also as '{seen[col.field].display}'); "
                                       "keep one", col.display, r + 1)
            columns.remove(col)
        seen.setdefault(col.field, col)
    homes = [c for c in columns if c.field == "hometown"]
    for col in homes[1:]:  # 籍贯 and 成长地 both: 成长地 is what N-5 reads
        columns.remove(col if col.header != "成长地" else homes[0])
    return Table(sheet, r + 1, data_start, columns)


def _lookup(columns: dict[str, str], synonyms: dict[str, str]) -> dict[str, str]:
    out = {f: f for f in columns} | {zh: f for f, zh in columns.items()} | synonyms
    return out | dict.fromkeys(IGNORED, "ignored")


def _rows(table: Table) -> list[int]:
    """The 0-based indexes of the data rows, footnotes (注: ..., 填表人 ...) left out."""
    out = []
    for r in range(table.data_start, len(table.sheet.cells)):
        vals = [v for v in table.sheet.values(r) if not is_blank(v)]
        if len(vals) == 1 and isinstance(vals[0], str) and vals[0].strip().startswith(_FOOTNOTES):
            continue
        out.append(r)
    return out


# --------------------------------------------------------------------------- townships


@dataclass
class Towns:
    """The townships read, and their names -> ids (cadres name townships by name)."""

    records: list[Record] | None
    ids: dict[str, str]
    file: str

    @property
    def names(self) -> list[str]:
        return list(self.ids)

    def resolve(self, text: str) -> str | None:
        """A township's id from its name or its id."""
        return self.ids.get(text) or (text if text in self.ids.values() else None)


def _townships(sheet: Sheet | None, cadre_sheets: list[Sheet], reading: Reading,
               layer: list[InputError]) -> Towns:
    if sheet is None:  # a sheet per township, and no list of them: the sheets are the townships
        src = Source(cadre_sheets[0].file if cadre_sheets else "", table=True, columns=TOWNSHIP_COLUMNS)
        ids = {s.name: f"t{i:02d}" for i, s in enumerate(cadre_sheets, start=1)}
        recs = [Record(src, i, None, {"id": tid, "name": n}) for i, (n, tid) in enumerate(ids.items())]
        return Towns(recs, ids, src.file)
    table = _table(sheet, _lookup(TOWNSHIP_COLUMNS, TOWNSHIP_SYNONYMS), "name", reading)
    if table is None:
        return Towns(None, {}, sheet.file)
    recs = _table_records(table, TOWNSHIP_COLUMNS, Township, layer, (f"t{n:02d}" for n in count(1)))
    ids = {_cell_text(r.values.get("name")): _cell_text(r.values.get("id")) for r in recs or []}
    return Towns(recs, {n: i for n, i in ids.items() if n and i}, sheet.file)


def _table_records(table: Table, columns: dict[str, str], model: type, layer: list[InputError],
                   ids: Iterator[str], rows: list[dict[str, Any]] | None = None) -> list[Record] | None:
    """`table_records` over the mapped columns (`rows`: the cells as the roster read them, by
    the sheet's 0-based row), an id from `ids` where the sheet has no 编号 column, and the
    fields named as the sheet writes them (the first column of a field: 全日制教育)."""
    written: dict[str, str] = {}
    for c in table.columns:
        if c.field in columns:
            written.setdefault(c.field, c.display)
    text = next((c.display for c in table.columns if c.field == "current_post"), None)
    if rows is not None and text is not None:  # 现任职务 may give the township and the unit too
        for fld in ("current_township", "current_unit"):
            written.setdefault(fld, text)
    fields = list(written)
    make_id = "id" not in written
    header = [columns[f] for f in (["id"] if make_id else []) + fields]
    blank = [None] * len(header)
    body: list[list[Any]] = [blank for _ in range(table.data_start - table.header_row)]
    data = set(_rows(table))
    for r in range(table.data_start, len(table.sheet.cells)):
        values = rows[r] if rows is not None else _plain(table, r)
        row = [values.get(f) for f in fields]
        if r not in data or all(is_blank(v) for v in row):
            body.append(blank)
            continue
        body.append(([next(ids)] if make_id else []) + row)
    recs = table_records([header, *body], table.sheet.file, columns, model, layer,
                         first_row=table.header_row)
    if recs:
        recs[0].src.written = written
    return recs


def _plain(table: Table, r: int) -> dict[str, Any]:
    values = table.sheet.values(r)
    return {c.field: values[c.index] if c.index < len(values) else None for c in table.columns}


# --------------------------------------------------------------------------- cadres


def _cadre_rows(table: Table, towns: Towns, sheet_town: str | None, reading: Reading
                ) -> list[dict[str, Any]]:
    """Each row's cells as the record layer takes them (by the sheet's 0-based row): dates read,
    the education and 现任职务 resolved. A bad cell is the roster's error and keeps its text, so
    the row fails in the record layer too (whose error for that cell is then not shown)."""
    sheet = table.sheet
    has_unit = bool(table.by_field("current_unit"))
    out: list[dict[str, Any]] = [{} for _ in sheet.cells]
    for r in _rows(table):
        row, raw = r + 1, sheet.cells[r]
        values: dict[str, Any] = {}
        text, text_col = "", None
        for col in table.columns:
            value, fmt = raw[col.index] if col.index < len(raw) else (None, "General")
            if col.field == POST_TEXT:
                text, text_col = _cell_text(value), col
            elif col.field in _DATE_FIELDS and not is_blank(value):
                try:
                    values[col.field] = roster_date(value, fmt)
                except CellError as e:
                    reading.cell_error(sheet, row, col, str(e), value)
                    values[col.field] = value
            elif col.field != "education":
                values[col.field] = value
        _education(table, row, raw, values, reading)
        town = _column_town(table, row, values, towns, reading)
        if town is None:
            town = sheet_town
        if text and text_col is not None:
            town = _post_text(table, row, text_col, text, town, towns, values, reading)
            if not values.get("current_post") and not has_unit:
                values["current_unit"] = text  # a job outside the teams: 县财政局副局长
        if town is not None:
            values["current_township"] = town
        out[r] = values
    return out


def _column_town(table: Table, row: int, values: dict[str, Any], towns: Towns, reading: Reading
                 ) -> str | None:
    """The township of 现所在乡镇 (a name or an id); an unknown one is an error, its text kept."""
    ct = values.get("current_township")
    if is_blank(ct):
        return None
    town = towns.resolve(_cell_text(ct))
    if town is None and towns.records is not None:
        (col,) = table.by_field("current_township")
        reading.cell_error(table.sheet, row, col, "not a township of this roster; the townships are: "
                           + "、".join(towns.names), ct)
    return town


def _post_text(table: Table, row: int, col: Column, text: str, town: str | None, towns: Towns,
               values: dict[str, Any], reading: Reading) -> str | None:
    """Read 现任职务 into `values` (current_post); the cadre's township, which it may name. Where
    it cannot be read, the error is the roster's and current_post keeps the text (the row fails)."""
    try:
        said = parse_post_text(text, towns.names)
    except CellError as e:
        if towns.records is not None:  # no townships at all: that is the error
            reading.cell_error(table.sheet, row, col, str(e), text)
            values["current_post"] = text
        return town
    named = towns.resolve(said.township) if said.township else None
    if named is not None and town is not None and named != town:
        other = next((n for n, i in towns.ids.items() if i == town), town)
        reading.cell_error(table.sheet, row, col, f"names {said.township}, but the cadre is of {other} "
                           "(现所在乡镇, or the sheet); correct one of them", text)
        values["current_post"] = text
        return town
    town = named or town
    if said.posts and town is None:
        reading.cell_error(table.sheet, row, col, "names no township: write it like 东山镇党委书记, or "
                           "fill in 现所在乡镇", text)
        values["current_post"] = text
    elif said.posts:
        values["current_post"] = said.main_post
    return town


_DATE_FIELDS = ("birth_date", "rank_since", "post_since", "work_since", "party_since")


def _education(table: Table, row: int, raw: list[tuple[Any, str]], values: dict[str, Any],
               reading: Reading) -> None:
    """The highest degree of the education columns; a bad cell keeps its text (the row fails)."""
    best: Education | None = None
    bad: Any = None
    layer_field = next((c.display for c in table.by_field("education")), "")
    for col in table.by_field("education"):
        value = raw[col.index][0] if col.index < len(raw) else None
        if is_blank(value):
            continue
        try:
            level = education_of(_cell_text(value))
        except CellError as e:
            reading.cell_error(table.sheet, row, col, str(e), value, layer_field)
            bad = _cell_text(value)
            continue
        best = level if best is None or level.level > best.level else best
    if bad is not None or best is not None:
        values["education"] = bad if bad is not None else best


def _duplicates(recs: list[Record], reading: Reading) -> None:
    """The same 姓名 and 出生年月 twice, where the sheets give no 编号: one person listed twice."""
    first: dict[tuple[str, str], Record] = {}
    for rec in recs:
        key = (_cell_text(rec.values.get("name")), _cell_text(rec.values.get("birth_date")))
        if not all(key):
            continue
        if key in first:
            other = first[key]
            at = f"row {other.row}" + ("" if other.src.file == rec.src.file else f" of {other.src.file}")
            reading.errors.append(rec.error("name", f"the same 姓名 and 出生年月 as {at}; list a cadre "
                                            "once, or add a 编号 column to tell two people apart",
                                            key[0]))
        else:
            first[key] = rec


# --------------------------------------------------------------------------- settings


def _settings(sheet: Sheet | None, name: str, folder: Path | None, reading: Reading
              ) -> tuple[Any, str, dict[str, int]]:
    """The scenario's settings (a mapping as scenario.yaml holds), the file errors name, and the
    row of each setting (for locating the record layer's errors)."""
    if sheet is None:
        yaml_path = folder / SETTINGS_YAML if folder is not None else None
        if yaml_path is None or not yaml_path.is_file():
            reading.errors.append(InputError(
                f"no settings: add a {SETTINGS_SHEET} sheet of (field, value) rows (reshuffle_date, "
                f"county.id, county.name, ruleset, ...) or put a {SETTINGS_YAML} beside the workbook",
                file=Path(name).name))
            return None, Path(name).name, {}
        try:
            meta = parse_structured(decode(yaml_path.read_bytes(), str(yaml_path)), str(yaml_path))
        except InputErrors as e:
            reading.errors += e.errors
            return None, str(yaml_path), {}
        if not isinstance(meta, dict):
            reading.errors.append(InputError("expected a mapping of scenario fields", file=str(yaml_path)))
            return None, str(yaml_path), {}
        return meta, str(yaml_path), {}
    meta: dict[str, Any] = {}
    rows: dict[str, int] = {}
    for r, cells in enumerate(sheet.cells):
        key_cell = cells[0][0] if cells else None
        value = cells[1][0] if len(cells) > 1 else None
        key = _header_text(key_cell)
        if not key or key in ("项目", "设置", "字段", "field", "key"):
            continue
        key = SETTINGS_LABELS.get(key, key)
        rows[key.split(".")[0] if key.startswith("county.") else key] = r + 1
        rows[key] = r + 1
        if is_blank(value):
            continue
        if key not in SETTINGS_SCALARS and isinstance(value, str):
            try:
                value = yaml.safe_load(value)
            except yaml.YAMLError as e:
                mark = getattr(e, "problem", None) or "not YAML"
                reading.sheet_error(sheet, f"cannot read the value as YAML/JSON: {mark}", key, r + 1,
                                    value[:200])
                continue
        elif key in SETTINGS_SCALARS and key != "reshuffle_date":
            value = _cell_text(value)
        if key.startswith("county."):
            meta.setdefault("county", {})[key.split(".", 1)[1]] = value
        else:
            meta[key] = value
    return meta, sheet.file, rows


def _locate_settings(e: InputError, file: str, rows: dict[str, int]) -> InputError:
    """A settings error of the record layer at its row of the 设置 sheet."""
    if e.file != file or e.row is not None or not rows:
        return e
    head = e.field.split("[")[0]
    key = next((k for k in (head, head.split(".")[0]) if k in rows), None)
    return e if key is None else replace(e, row=rows[key])


# --------------------------------------------------------------------------- the workbook


def load_roster(data: bytes, name: str, folder: Path | None = None) -> Scenario:
    """A scenario from an Excel roster's bytes; `name` is what errors call the workbook, `folder`
    where its scenario.yaml is looked for when it has no 设置 sheet.

    Raises `InputErrors` with every problem of every sheet, each located by sheet, row and column."""
    sheets = _sheets(data, name)
    reading = Reading()
    layer: list[InputError] = []
    settings = next((s for s in sheets if s.name == SETTINGS_SHEET), None)
    t_sheet = next((s for s in sheets if s.name in (TOWNSHIPS_SHEET, "townships")), None)
    cadre_sheets = [s for s in sheets if s not in (settings, t_sheet) and not s.blank()]
    meta, meta_file, meta_rows = _settings(settings, name, folder, reading)
    if not cadre_sheets:
        reading.errors.append(InputError("no sheet of cadres: the roster needs a sheet with 姓名, 性别, "
                                         "出生年月, ... (one, or one per township)", file=Path(name).name))
    if t_sheet is None and len(cadre_sheets) == 1:
        reading.errors.append(InputError(
            f"no {TOWNSHIPS_SHEET} sheet: a roster on one sheet needs a {TOWNSHIPS_SHEET} sheet "
            "listing the townships (编号, 名称, 类别, ...), or put each township's cadres on a sheet "
            "named after it", file=Path(name).name))
        towns = Towns(None, {}, Path(name).name)
    else:
        towns = _townships(t_sheet, cadre_sheets, reading, layer)
    c_recs: list[Record] = []
    lookup = _lookup(CADRE_COLUMNS, HEADER_SYNONYMS) | dict.fromkeys(EDUCATION, "education") | {
        POST_TEXT: POST_TEXT, "current_post": POST_TEXT}
    ids = (f"g{n:04d}" for n in count(1))
    numbered = False
    for sheet in cadre_sheets:
        table = _table(sheet, lookup, "name", reading)
        if table is None:
            continue
        numbered = numbered or bool(table.by_field("id"))
        rows = _cadre_rows(table, towns, towns.ids.get(sheet.name), reading)
        for col in table.columns:  # 现任职务 gives current_post (and the township, read above)
            if col.field == POST_TEXT:
                col.field = "current_post"
        for rec in _table_records(table, CADRE_COLUMNS, Cadre, layer, ids, rows) or []:
            rec.index = len(c_recs)  # the records of every sheet are one list
            c_recs.append(rec)
    if not numbered:
        _duplicates(c_recs, reading)
    files = [meta_file, towns.file, *(s.file for s in cadre_sheets)]
    lists = {"townships": (towns.file, ""), "cadres": (cadre_sheets[0].file if cadre_sheets else "", "")}
    mine = list(reading.errors)
    try:  # the roster's errors go in too: with any, nothing is built and the layer adds none of its own
        return assemble_scenario(meta, meta_file, towns.records, c_recs if cadre_sheets else None,
                                 [*layer, *mine], files, lists)
    except InputErrors as e:
        layer = [x for x in e.errors if x not in mine]
    shown = [_locate_settings(e, meta_file, meta_rows) for e in layer
             if (e.file, e.row, e.field) not in reading.cells]
    rank = {f: i for i, f in enumerate(files)}

    def order(e: InputError) -> tuple[int, int, str]:
        letter = re.search(r"\(([A-Z]+)\)$", e.field)
        col = letter[1] if letter else ""
        return rank.get(e.file, -1), e.row or 0, f"{len(col):02d}{col}"

    raise InputErrors(sorted(reading.errors + shown, key=order))
