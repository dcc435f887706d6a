"""The one merge rule for overrides: a scenario on its preset, a what-if on its base, a relaxation."""

from __future__ import annotations

from model.overrides import RuleOverride, merge_params, overlay
from model.scenario import Pin
from model.slate import Relaxation
from model.whatif import ScenarioDelta, apply_delta
from solver import apply_relaxations
from tests.factory import cadre, scenario, township


def test_params_merge_key_by_key_and_other_values_replace() -> None:
    """Dicts merge recursively; numbers, lists and None replace; keys only in the base stay."""
    base = {"who": {"max_age": 30, "origins": ["a", "b"]}, "min_count": 1, "posts": ["x"]}
    change = {"who": {"origins": ["c"], "gender": "female"}, "posts": None}
    assert merge_params(base, change) == {
        "who": {"max_age": 30, "origins": ["c"], "gender": "female"}, "min_count": 1, "posts": None}
    assert base["who"] == {"max_age": 30, "origins": ["a", "b"]}  # the base is not changed


def test_overlay_takes_only_the_fields_the_change_sets() -> None:
    """A change that sets `strength` keeps the base's weight and params; setting `off: false` turns it on."""
    base = RuleOverride(off=True, weight=5, params={"min_count": 2})
    got = overlay(base, RuleOverride.model_validate({"strength": "generally", "off": False}))
    assert got == RuleOverride(off=False, strength="generally", weight=5, params={"min_count": 2})
    assert overlay(overlay(base, RuleOverride(weight=1)), RuleOverride(params={"x": 1})).params == {
        "min_count": 2, "x": 1}


def sample(**kw):
    return scenario([township("t1"), township("t2")], [cadre(f"c{i}", age=28 + i) for i in range(12)], **kw)


def test_apply_delta_adds_lists_and_merges_the_rest() -> None:
    """Pins, bans and removals add to the base's; rules and weights merge; name replaces."""
    sc = sample(rules={"D1-C1": {"params": {"min_count": 2}}},
                pins=[{"cadre": "c1", "township": "t1", "seat": "secretary"}], weights={"merit": 4})
    delta = ScenarioDelta.model_validate({
        "name": "w", "rules": {"D1-C1": {"strength": "generally"}, "D1-R2": {"off": True}},
        "pins": [{"cadre": "c2", "township": "t2", "seat": "secretary"}], "remove": ["c9"],
        "weights": {"reserve": 9}})
    wi = apply_delta(sc, delta)
    assert wi.name == "w" and wi.remove == ("c9",)
    assert wi.pins == (Pin(cadre="c1", township="t1", seat="secretary"),
                       Pin(cadre="c2", township="t2", seat="secretary"))
    assert wi.rules["D1-C1"] == RuleOverride(strength="generally", params={"min_count": 2})
    assert wi.rules["D1-R2"].off
    assert (wi.weights.merit, wi.weights.reserve) == (4, 9)
    assert apply_delta(sc, ScenarioDelta()) == sc


def test_scenario_override_merges_into_the_preset_params() -> None:
    """Overriding one part's share of county-2017's D1-K4 keeps the other parts and that part's `who`."""
    young = {"parts": {"young": {"min_share": 0.1}}}
    sc = scenario([township("t1")], [cadre(f"c{i}", age=28 + 3 * i) for i in range(10)],
                  ruleset="county-2017", rules={"D1-K4": {"params": young}})
    spec = sc.ruleset_in_force.rule("D1-K4")
    assert spec is not None
    assert spec.params["parts"] == {"young": {"who": {"max_age": 35}, "min_share": 0.1},
                                    "middle": {"who": {"min_age": 36, "max_age": 50}, "min_share": 0.4},
                                    "senior": {"who": {"min_age": 51}, "min_share": 0.05}}


def test_relaxations_merge_by_the_same_rule() -> None:
    """apply_relaxations lays each override over the scenario's by the what-if rule: the weight stays."""
    sc = sample(rules={"D1-C1": {"weight": 3, "params": {"who": {"max_age": 32}}}},
                pins=[{"cadre": "c1", "township": "t1", "seat": "secretary"}])
    relax = [Relaxation(rule="D1-C1", parameter="min_count", before=1, after=0,
                        override={"params": {"min_count": 0}}),
             Relaxation(rule="D1-C1", parameter="strength", before="must", after="generally",
                        override={"strength": "generally"}),
             Relaxation(rule="pin", parameter="c1", before="t1/secretary", after=None)]
    got = apply_relaxations(sc, relax)
    assert got.rules["D1-C1"] == RuleOverride(strength="generally", weight=3,
                                              params={"who": {"max_age": 32}, "min_count": 0})
    assert got.pins == ()
    assert got == apply_delta(sc.with_changes(pins=()), ScenarioDelta.model_validate(
        {"rules": {"D1-C1": {"params": {"min_count": 0}, "strength": "generally"}}}))
