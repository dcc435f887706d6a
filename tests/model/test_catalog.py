"""The directive catalog (shared/directives.md, sections S, E, C, K, R, N and P) against the presets,
service/render/catalog.py and the rule tests: every catalog row is in force in some preset or
omitted there with a reason, and every rule in force is tested (a slate's rules in
tests/model/test_rules.py, section P's, the presets' `representatives:`, in
tests/model/test_representatives.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from model.ruleset import load_preset, preset_ids
from service.render.catalog import CATALOG, PARTS
from tests.model.test_rules import TESTED

HERE = Path(__file__).resolve()
DIRECTIVES = next(
    (p / "shared" / "directives.md" for p in HERE.parents if (p / "shared" / "directives.md").is_file()),
    None,
)
SECTIONS = "SECKRNP"
PRESETS = {p: load_preset(p) for p in preset_ids()}
SLATE_IN_FORCE = {p: {r.id for r in rs.rules} for p, rs in PRESETS.items()}
REPS_IN_FORCE = {p: {r.id for r in rs.representatives} for p, rs in PRESETS.items()}
IN_FORCE = {p: SLATE_IN_FORCE[p] | REPS_IN_FORCE[p] for p in PRESETS}
REPS_TESTS = HERE.parent / "test_representatives.py"


def catalog_ids(text: str) -> list[str]:
    """Ids of the table rows ('| D1-S1 | ...', '| N-1 | ...') under the '## S.', '## E.', ... headings."""
    ids: list[str] = []
    section = None
    for line in text.splitlines():
        heading = re.match(r"^## ([A-Z])\. ", line)
        if heading:
            section = heading.group(1)
            continue
        row = re.match(r"^\| (D\d-([A-Z])\d+|(N)-\d+) \|", line)
        if row and section in SECTIONS:
            assert (row.group(2) or row.group(3)) == section, f"{row.group(1)} sits under section {section}"
            ids.append(row.group(1))
    return ids


IDS = catalog_ids(DIRECTIVES.read_text(encoding="utf-8")) if DIRECTIVES else []
if DIRECTIVES is None and os.environ.get("CI"):
    raise RuntimeError("CI must have ../shared/directives.md beside the checkout; "
                       "the catalog tests cannot be skipped there")
needs_directives = pytest.mark.skipif(
    DIRECTIVES is None,
    reason="../shared/directives.md is not beside this checkout (CI has it; these tests never skip there)",
)


@needs_directives
def test_catalog_has_rows_in_every_section() -> None:
    """The parse finds each of the seven sections' rows, each id once."""
    assert len(IDS) == len(set(IDS))
    assert {i[0] if i.startswith("N-") else i.split("-")[1][0] for i in IDS} == set(SECTIONS)


@needs_directives
@pytest.mark.parametrize("rule_id", IDS)
def test_catalog_id_in_force_or_omitted_with_reason(rule_id: str) -> None:
    """Each catalog id is in force in some preset, or some preset's `omitted` names it with a reason."""
    in_force = [p for p, ids in IN_FORCE.items() if rule_id in ids]
    omitted = [p for p, rs in PRESETS.items() if rs.omitted.get(rule_id, "").strip()]
    assert in_force or omitted, f"{rule_id}: neither in force nor omitted with a reason in any preset"


@needs_directives
def test_catalog_module_has_exactly_the_catalog_ids() -> None:
    """CATALOG has exactly the ids of sections S, E, C, K, R, N and P, and the parts of rows, none empty."""
    assert set(CATALOG) == set(IDS) | set(PARTS)
    assert set(PARTS.values()) <= set(IDS)
    assert all(text.strip() for text in CATALOG.values())


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_omitted_ids_are_catalog_ids_not_in_force(preset: str) -> None:
    """A preset omits only catalog ids, each with a reason, and never one it has in force."""
    rs = PRESETS[preset]
    assert set(rs.omitted) <= set(CATALOG)
    assert not set(rs.omitted) & IN_FORCE[preset]
    assert all(reason.strip() for reason in rs.omitted.values())


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_rules_in_force_are_catalog_ids(preset: str) -> None:
    """Every rule a preset has in force is a catalog id."""
    assert IN_FORCE[preset] <= set(CATALOG)


def test_every_rule_in_force_has_a_test() -> None:
    """Every slate rule in force is in test_rules.py's TESTED set and named in a test there."""
    in_force = set().union(*SLATE_IN_FORCE.values())
    assert in_force <= TESTED, sorted(in_force - TESTED)
    source = (HERE.parent / "test_rules.py").read_text(encoding="utf-8")
    start = source.index("TESTED = {")
    rest = source[:start] + source[source.index("}", start):]
    assert [i for i in sorted(in_force) if i not in rest] == []


@needs_directives
@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_national_rules_in_force_in_every_preset(preset: str) -> None:
    """Section N applies to every preset: each of its rows (and N-3's must part) is in force."""
    national = {i for i in IDS if i.startswith("N-")} | set(PARTS)
    assert len(national) == 9
    assert national <= IN_FORCE[preset]


def test_national_rules_have_the_catalog_strengths() -> None:
    """The strengths of section N: N-1, N-2, N-5, N-6, N-7 must; N-3 generally and its floor must;
    N-4 prefer; N-8 generally, in every preset."""
    want = {"N-1": "must", "N-2": "must", "N-3": "generally", "N-3-floor": "must", "N-4": "prefer",
            "N-5": "must", "N-6": "must", "N-7": "must", "N-8": "generally"}
    for rs in PRESETS.values():
        assert {i: rs.rule(i).strength.value for i in want} == want


def test_every_representatives_rule_in_force_has_a_test() -> None:
    """Every section P rule in force in a preset has a test named after it in test_representatives.py
    (test_d1_p2_..., test_d2_p3_...)."""
    in_force = set().union(*REPS_IN_FORCE.values())
    assert in_force
    source = REPS_TESTS.read_text(encoding="utf-8")
    named = set(re.findall(r"^def test_(d\d_p\d+)_", source, flags=re.M))
    assert sorted(i for i in in_force if i.lower().replace("-", "_") not in named) == []


@needs_directives
def test_section_p_rows_are_the_representatives_rules() -> None:
    """Section P's rows are in force only as `representatives:` rules, never among a slate's."""
    section_p = {i for i in IDS if i.split("-")[1].startswith("P")}
    assert section_p == {"D1-P1", "D1-P2", "D1-P3", "D1-P4", "D1-P5", "D2-P1", "D2-P2", "D2-P3",
                         "D5-P1", "D5-P2"}
    assert section_p == set().union(*REPS_IN_FORCE.values())
    assert not section_p & set().union(*SLATE_IN_FORCE.values())
