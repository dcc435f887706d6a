"""Parsing JSON and YAML text, strictly: every failure is an `InputErrors` naming the file.

A key given twice in one mapping is an input error (file, line, the key), never
last-one-wins: in a hand-edited YAML file the second `D1-C1:` would silently undo
the first.

YAML scalars come in as they were written, JSON's kinds and no more: null
(empty, `~`, `null`), true/false, and numbers in plain decimal (`3`, `-1`, `0.85`,
`2.5e3`). Everything else is text, converted by the project's own rules where its
field says what it is: a date (`2026-13-01` is then a located "no such day", not
PyYAML's ValueError), yes/no/on/off/是/否 in a bool field (`YES`, `NO`), and
`off`, `yes`, `no` as keys are those words. `010`, `0x1F`, `1_000` and `1:30`
stay text (an id with a leading zero keeps it; YAML 1.1 would read 8, 31, 1000
and 90). Presets and scenario files are parsed by the same functions.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

import yaml

from model.errors import InputError, InputErrors

_MERGE_TAG = "tag:yaml.org,2002:merge"

YES = frozenset({"是", "true", "1", "yes", "y", "on"})
NO = frozenset({"否", "false", "0", "no", "n", "off"})
"""The words (lower case) a bool field takes, in a CSV cell or a YAML/JSON value alike."""


def as_bool(value: Any) -> Any:
    """Text in `YES` or `NO` as the bool it says; anything else as it is, for the field to refuse."""
    if isinstance(value, str):
        low = value.strip().lower()
        if low in YES:
            return True
        if low in NO:
            return False
    return value


def decode(data: bytes, name: str, *, hint: str = "save the file as UTF-8") -> str:
    """UTF-8 text (a BOM is dropped, as Excel writes one); anything else is an error saying what to do."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputErrors([InputError(f"not UTF-8 text; {hint}", file=name)]) from None


def parse_structured(text: str, name: str) -> Any:
    """Parse `text` as JSON if `name` ends in .json, else as YAML."""
    if name.lower().endswith(".json"):
        return parse_json(text, name)
    return parse_yaml(text, name)


def parse_json(text: str, name: str) -> Any:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                duplicates.append(key)
            out[key] = value
        return out

    def constant(word: str) -> Any:
        raise _NotANumber(word)

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as e:
        raise InputErrors([InputError(
            f"not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}", file=name)]) from None
    except _NotANumber as e:
        raise InputErrors([InputError(f"not valid JSON: {e} is not a number JSON allows",
                                      file=name)]) from None
    except (ValueError, RecursionError) as e:  # a number of thousands of digits; nesting too deep
        raise InputErrors([InputError(f"cannot read the JSON: {_first_line(e)}", file=name)]) from None
    if duplicates:
        raise InputErrors([InputError("duplicate key; each key may appear once in an object", key,
                                      file=name) for key in duplicates])
    return data


def parse_yaml(text: str, name: str) -> Any:
    loader = _StrictLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as e:
        where = ""
        mark = getattr(e, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1}, column {mark.column + 1}"
        problem = getattr(e, "problem", None) or "syntax error"
        raise InputErrors([InputError(f"not valid YAML: {problem}{where}", file=name)]) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as e:  # an explicit tag's constructor
        raise InputErrors([InputError(f"cannot read the YAML: {_first_line(e)}", file=name)]) from None
    finally:
        loader.dispose()
    if loader.duplicates:
        raise InputErrors([
            InputError(f"duplicate key at line {line} (first at line {first}); "
                       "each key may appear once in a mapping", key, file=name)
            for key, line, first in loader.duplicates])
    return data


class _NotANumber(ValueError):
    """NaN or Infinity in JSON text: Python's reader takes them, JSON does not."""


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


_PLAIN: tuple[tuple[str, str, str], ...] = (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", "-+.0123456789"),
    (_MERGE_TAG, r"^(?:<<)$", "<"),
)
"""The plain scalars that are not text: (tag, pattern, the characters they may start with).
A float has a point (`1e3` is text), so everything read here as a number or null is one
to `yaml.safe_dump` too, which then quotes a text that looks like it: files it writes read back."""


def _resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    out: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}
    for tag, pattern, first in _PLAIN:
        rx = re.compile(pattern)
        for ch in [*first, *([""] if tag.endswith("null") else [])]:
            out.setdefault(ch, []).append((tag, rx))
    out[None] = []
    return out


class _StrictLoader(yaml.SafeLoader):
    """The safe loader reading scalars as written (`_PLAIN`), recording every key that repeats
    in its mapping (merge keys `<<` aside)."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = _resolvers()

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int, int]] = []
        """(key, its line, the line where it first appears), lines from 1."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG:
                    continue  # keys merged in may be overridden: that is what `<<` is for
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                try:
                    if key in first:
                        self.duplicates.append((str(key), line, first[key]))
                    else:
                        first[key] = line
                except TypeError:
                    continue  # an unhashable key: the constructor reports it
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_scalar)
"""`!!timestamp 2026-13-01`: the text as written, for the date rules to read."""
