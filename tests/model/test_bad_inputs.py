"""The bad-input corpus (tests/bad_inputs): every case is refused with exactly its located errors.

A case folder holds the files that differ from `_base` (a small valid county folder) and
`case.yaml`: what the case shows (`about`), what to load (`load`, relative to the case; a
scenario by default, a slate with `kind: slate`) and the errors expected, in order, each as
file (relative to the case), row, field, value and a part of the message. The test copies
`_base`, lays the case's files over it, loads, and checks that nothing was written.
Regenerate the expectations after a deliberate change with `python -m tests.model.test_bad_inputs`,
then read the diff: an expectation is a claim about a message a person reads.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from model.errors import InputError, InputErrors
from model.io import load_scenario, load_slate

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
BASE = CORPUS / "_base"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))


def spec_of(case: str) -> dict[str, Any]:
    return yaml.safe_load((CORPUS / case / "case.yaml").read_text(encoding="utf-8"))


def lay_out(case: str, into: Path) -> Path:
    """`_base` with the case's files laid over it, in `into`."""
    shutil.copytree(BASE, into)
    for f in (CORPUS / case).iterdir():
        if f.name != "case.yaml":
            shutil.copy(f, into / f.name)
    return into


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def errors_of(case: str, folder: Path) -> list[InputError]:
    spec = spec_of(case)
    target = folder / spec.get("load", ".")
    with pytest.raises(InputErrors) as exc:
        if spec.get("kind") == "slate":
            load_slate(target)
        else:
            load_scenario(target)
    return exc.value.errors


def as_row(e: InputError, folder: Path) -> dict[str, Any]:
    """An error as the corpus writes it: the file relative to the case folder."""
    file = Path(e.file)
    rel = file.relative_to(folder.resolve() if file.is_absolute() else folder) if e.file else ""
    return {"file": str(rel), "row": e.row, "field": e.field, "value": e.value, "message": e.message}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused_with_its_located_errors(case: str, tmp_path: Path) -> None:
    """Each case gives exactly its errors (file, row, field, value, message) and writes nothing."""
    folder = lay_out(case, tmp_path / "case")
    before = snapshot(folder)
    got = [as_row(e, folder) for e in errors_of(case, folder)]
    want = spec_of(case)["expect"]
    assert len(got) == len(want), "\n".join(map(str, got))
    for g, w in zip(got, want, strict=True):
        assert (g["file"], g["row"], g["field"], g["value"]) == (
            w["file"], w.get("row"), w.get("field", ""), str(w.get("value", ""))), g
        assert w["message"] in g["message"], g
    assert snapshot(folder) == before


def test_every_case_says_what_it_shows() -> None:
    """A case without `about` or without an expected error shows nothing."""
    for case in CASES:
        spec = spec_of(case)
        assert spec.get("about") and spec.get("expect"), case


def regenerate(tmp: Path) -> None:
    """Write each case's expectations from what the loader says now (review the diff)."""
    for case in CASES:
        folder = lay_out(case, tmp / case)
        spec = spec_of(case)
        spec["expect"] = [as_row(e, folder) for e in errors_of(case, folder)]
        for row in spec["expect"]:
            row.update({k: v for k, v in row.items() if v not in ("", None)})
            for k in [k for k, v in row.items() if v in ("", None)]:
                del row[k]
        text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, width=100)
        (CORPUS / case / "case.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        regenerate(Path(d))
    sys.exit(0)
