"""Per-cadre exceptions of a scenario (破格, 降任, 越级, 因工作需要): read with Chinese labels,
checked at the boundary, merged by a what-if, written back, and shown in the rule report."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.enums import Exemption
from model.errors import InputErrors
from model.io import load_scenario, save_scenario
from model.ruleset import load_preset
from model.whatif import ScenarioDelta, apply_delta
from service.render.report import rule_summary
from service.render.titles import seat_title
from service.render.words import Names
from tests.factory import cadre, scenario, township
from tests.model.test_rules import changed, lifting, seat_of


def one(**exceptions: dict) -> object:
    return scenario([township("t1")], [cadre("g1"), cadre("g2")], exceptions=exceptions)


@pytest.mark.parametrize(("label", "kind"), [
    ("降职", Exemption.demotion), ("降任", Exemption.demotion), ("破格", Exemption.exceptional_promotion),
    ("越级", Exemption.two_step_promotion), ("因工作需要", Exemption.kept_for_work),
    ("exceptional_promotion", Exemption.exceptional_promotion),
])
def test_kinds_read_in_english_or_chinese(label: str, kind: Exemption) -> None:
    """An exception's kind is its English value or a Chinese label staff write (降职, 破格, 越级, ...)."""
    assert one(g1={"kind": label, "reason": "研究决定"}).exceptions["g1"].kind == kind


@pytest.mark.parametrize(("entry", "message"), [
    ({"g9": {"kind": "破格", "reason": "研究决定"}}, "unknown cadre id"),
    ({"g1": {"kind": "破格", "reason": "  "}}, "give the organization's reason"),
    ({"g1": {"kind": "破格"}}, "Field required"),
    ({"g1": {"kind": "特批", "reason": "研究决定"}}, "Input should be"),
])
def test_an_exception_names_a_cadre_a_kind_and_a_reason(entry: dict, message: str) -> None:
    """An unknown cadre, a blank or missing reason and an unknown kind are input errors."""
    with pytest.raises((InputErrors, ValueError), match=message):
        scenario([township("t1")], [cadre("g1")], exceptions=entry)


def test_a_kind_no_rule_takes_is_refused() -> None:
    """A ruleset without N-1 takes no demotion exception; the error lists the kinds its rules take."""
    rs = load_preset("xx-2011")
    rs = rs.model_copy(update={"rules": tuple(r for r in rs.rules if r.id != "N-1")})
    with pytest.raises(InputErrors, match="no rule of the ruleset is lifted by a demotion exception"):
        scenario([township("t1")], [cadre("g1")], ruleset_definition=rs,
                 exceptions={"g1": {"kind": "降职", "reason": "研究决定"}})


def test_exceptions_round_trip_through_a_scenario_folder(tmp_path: Path) -> None:
    """scenario.yaml carries the exceptions; the folder reads back to the same scenario."""
    sc = one(g1={"kind": "破格", "reason": "脱贫攻坚实绩突出"})
    save_scenario(sc, tmp_path / "c")
    assert "exceptions" in (tmp_path / "c" / "scenario.yaml").read_text(encoding="utf-8")
    assert load_scenario(tmp_path / "c") == sc


def test_a_bad_exception_in_a_folder_is_located(tmp_path: Path) -> None:
    """An exception for an unknown cadre is an error located at exceptions.<id> in scenario.yaml."""
    sc = one()
    save_scenario(sc, tmp_path / "c")
    meta = tmp_path / "c" / "scenario.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        "exceptions: {}", "exceptions: {g9: {kind: 破格, reason: 研究决定}}"), encoding="utf-8")
    with pytest.raises(InputErrors) as e:
        load_scenario(tmp_path / "c")
    [err] = e.value.errors
    assert err.file.endswith("scenario.yaml") and err.field.startswith("exceptions.g9")


def test_a_what_if_replaces_or_withdraws_an_exception() -> None:
    """A what-if's exception replaces the base's for that cadre; null withdraws it; others stay."""
    base = one(g1={"kind": "破格", "reason": "甲"}, g2={"kind": "降职", "reason": "乙"})
    wi = apply_delta(base, ScenarioDelta.model_validate(
        {"exceptions": {"g1": {"kind": "越级", "reason": "丙"}, "g2": None}}))
    got = {k: (v.kind.value, v.reason) for k, v in wi.exceptions.items()}
    assert got == {"g1": ("two_step_promotion", "丙")}
    assert apply_delta(base, ScenarioDelta()).exceptions == base.exceptions


def test_the_rule_report_names_each_lifted_instance_and_the_unchecked() -> None:
    """The rule report lists the instance an exception lifts, with the decision and its reason, and
    counts per rule the instances that checked nothing for want of data."""
    sc, v = changed("xx-2011", {"m1": dict(rank="full_section")}, **lifting("x1", "降职", "考核不称职"))
    text = rule_summary(v.report, Names.of(sc))
    held = next(s for s in sc.seats_of("t1") if s.id == seat_of(sc, "m1"))
    seat = seat_title(held, sc.townships["t1"])
    lifted = "职级正科,任副科职务为降任,须有组织决定;经组织决定降任(考核不称职)"
    assert f"  - N-1 例外:干部x1任{seat}:{lifted}" in text
    assert "缺少数据、未检查:" in text and "  - N-5 6处:未填成长地" in text
