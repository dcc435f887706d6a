"""Every verb over the bad-input corpus in tests/cli_cases/: exit code, located message, no file changed."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from model.generator import generate_county
from model.io import save_scenario
from tests.clirun import run_cli, tree_hash

CASES_DIR = Path(__file__).resolve().parent / "cli_cases"
CASES: list[dict[str, Any]] = yaml.safe_load((CASES_DIR / "cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus's county: 2 townships (t02 of the large template), 60 cadres g0001..g0060."""
    folder = tmp_path_factory.mktemp("corpus") / "county"
    save_scenario(generate_county(2, 60, 3), folder)
    return folder


def workspace(county: Path, tmp: Path) -> Path:
    """A folder with a copy of the county, every corpus file and a link to the county's cadres.csv."""
    shutil.copytree(county, tmp / "county")
    for f in (CASES_DIR / "files").iterdir():
        shutil.copy(f, tmp / f.name)
    (tmp / "link-to-cadres.csv").symlink_to(tmp / "county" / "cadres.csv")
    return tmp


def test_corpus_ids_are_unique() -> None:
    """Each corpus case has its own id, a code and at least one expected phrase."""
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    assert all(c["says"] and isinstance(c["code"], int) for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input_case(case: dict[str, Any], county: Path, tmp_path: Path) -> None:
    """A bad input exits with its code and a located message on stderr, no traceback, no file changed."""
    tmp = workspace(county, tmp_path)
    before = tree_hash(tmp)
    r = run_cli(shlex.split(case["argv"].format(tmp=tmp)))
    assert r.code == case["code"], r.out + r.err
    for phrase in case["says"]:
        assert phrase in r.err, (phrase, r.err)
    assert r.out == ""
    assert "Traceback" not in r.err
    assert tree_hash(tmp) == before
