"""Stroke order of Chinese names (笔画排序), for the ballot of D1-V2.

The order is that of GB 13000.1 / GF 3003-1999 as cn-sort ranks it: fewer strokes first, then
at equal count by the stroke types 横竖撇点折 one stroke after another. The table
(model/data/strokes.txt, derived from cn-sort's MIT data by model/data/make_strokes.py) holds
the characters in that order; cn-sort gives a rank only, no stroke counts or sequences, so a
character's key is its place in the table.

Two conventions compare names:

- 姓氏笔画 (`surname`): the surname first, as a whole (a compound surname such as 欧阳 is one
  surname; 欧 sorts before 欧阳, the end of the shorter surname sorting first), then the given
  name, a one-character given name read with a blank before it so that it sorts before any
  two-character one (高富 before 高大富), as names are printed on ballots: 高　富 above 高大富.
- 姓名笔画 (`fullname`): the characters of the whole name one by one, no blank (高大富 before 高富).

A name that begins with one of `COMPOUND_SURNAMES` and has three characters or more is read with
that compound surname (a 欧阳明 surnamed 欧 would be misread; such names are rare). The middle dots
of transcribed names (阿依·买买提) are skipped. A character the table lacks is an error naming
the name and the character, never a guess.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from importlib import resources

BLANK = 0
"""The key of the blank (and of a surname's end): below every character (ranks start at 1)."""

SEPARATORS = frozenset("·•・‧.")
"""Middle dots between the parts of a transcribed name: no strokes, skipped."""

COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "钟离",
    "闻人", "赫连", "端木", "司空", "呼延", "南宫", "西门", "独孤", "万俟", "百里", "东郭", "拓跋",
)
"""复姓 read as one surname under 姓氏笔画."""


class Convention(StrEnum):
    """How names are compared on a ballot: 姓氏笔画 (surname, the D1-V2 default) or 姓名笔画 (fullname)."""

    surname = "surname"
    fullname = "fullname"


class UnknownCharacter(ValueError):
    """A name holds a character the stroke table does not rank: the order cannot be decided."""

    def __init__(self, name: str, char: str) -> None:
        self.name, self.char = name, char
        super().__init__(
            f"the name {name!r} has the character {char!r} (U+{ord(char):04X}), which the stroke table "
            f"(model/data/strokes.txt, {len(table())} characters) does not rank; write the name in the "
            f"characters of the table (a variant form, or the simplified one), or add {char!r} to the "
            "table in its place by stroke count and stroke order")


@cache
def table() -> dict[str, int]:
    """Character -> its place in the stroke order, 1 for the first."""
    text = resources.files("model.data").joinpath("strokes.txt").read_text(encoding="utf-8")
    chars = "".join(line for line in text.splitlines() if not line.startswith("#"))
    return {ch: i for i, ch in enumerate(chars, 1)}


def rank(ch: str, name: str | None = None) -> int:
    """A character's place in the stroke order; `name` the name it is read from, for the error."""
    r = table().get(ch)
    if r is None:
        raise UnknownCharacter(name if name is not None else ch, ch)
    return r


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name): a compound surname when the name begins with one and has three
    characters or more, otherwise the first character."""
    plain = "".join(ch for ch in name.strip() if ch not in SEPARATORS)
    if len(plain) >= 3 and plain[:2] in COMPOUND_SURNAMES:
        return plain[:2], plain[2:]
    return plain[:1], plain[1:]


def name_key(name: str, convention: Convention = Convention.surname) -> tuple[int, ...]:
    """The key a name sorts by under the convention (smaller first)."""
    if convention == Convention.fullname:
        return tuple(rank(ch, name) for ch in name.strip() if ch not in SEPARATORS)
    surname, given = split_name(name)
    blanks = (BLANK,) * max(0, 2 - len(given))
    return (*(rank(ch, name) for ch in surname), BLANK, *blanks, *(rank(ch, name) for ch in given))


def unknown_characters(names: list[str]) -> list[UnknownCharacter]:
    """Every (name, character) the table lacks, each once, for one error listing them all."""
    out: dict[tuple[str, str], UnknownCharacter] = {}
    for name in names:
        for ch in name.strip():
            if ch not in SEPARATORS and ch not in table():
                out.setdefault((name, ch), UnknownCharacter(name, ch))
    return list(out.values())
