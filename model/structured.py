"""Parsing JSON and YAML text, strictly: every failure is an `InputErrors` naming the file.

A key given twice in one mapping is an input error (file, line, the key), never
last-one-wins: in a hand-edited YAML file the second `D1-C1:` would silently undo
the first. Only true/false are booleans (YAML 1.2), so `{off: true}` has the key
`off`, not False; where a field is a bool, yes/no/on/off still read as one.
Presets and scenario files are parsed by the same functions.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

import yaml

from model.errors import InputError, InputErrors

_MERGE_TAG = "tag:yaml.org,2002:merge"
_BOOL_TAG = "tag:yaml.org,2002:bool"


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

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as e:
        raise InputErrors([InputError(
            f"not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}", file=name)]) from None
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
    finally:
        loader.dispose()
    if loader.duplicates:
        raise InputErrors([
            InputError(f"duplicate key at line {line} (first at line {first}); "
                       "each key may appear once in a mapping", key, file=name)
            for key, line, first in loader.duplicates])
    return data


class _StrictLoader(yaml.SafeLoader):
    """The safe loader with YAML 1.2 booleans, recording every key that repeats in its mapping
    (merge keys `<<` aside)."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {
        first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL_TAG]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

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


_StrictLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
