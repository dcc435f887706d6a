"""The 变动 words of the catalog's table, the 退出名单 with each reason, and the score
terms that read them (continuity, left_out), with exact points, on the referee's side."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from model.enums import Change, Post
from model.leavers import kept_members
from model.referee import big_m, judge, make_view
from model.ruleset import Ruleset, ScoreWeights, load_preset
from model.scenario import Scenario
from model.score import change_of, continuity_posts, promotion_years
from model.slate import Assignment, Leaver
from service.render.leavers import leaver_text
from service.render.words import Names, say
from tests.factory import cadre, scenario, township

ON = date(2026, 9, 1)
YEARS_AGO = {n: date(ON.year - n, ON.month, ON.day) for n in range(0, 15)}


def county(*people: Any, ruleset: str = "xx-2011", **kw: Any) -> Scenario:
    """Two townships t1, t2 of xx-2011 and the given cadres."""
    return scenario([township("t1"), township("t2")], list(people), ruleset=ruleset, **kw)


def seat(sc: Scenario, sid: str, town: str = "t1"):
    return next(s for s in sc.seats if s.township == town and s.id == sid)


def sitting(cid: str = "x", town: str = "t1", post: str = "deputy_head", since: int = 3, **kw: Any):
    """A sitting member of `town`'s team in `post` for `since` years."""
    return cadre(cid, current_township=town, current_post=post, post_since=YEARS_AGO[since], **kw)


# --- the words --------------------------------------------------------------------------------

WORDS = [
    # (what it shows, the cadre, the seat, its township, the word)
    ("same township, same main post", sitting(), "deputy_head#1", "t1", Change.continues),
    ("same township, another post of the rank", sitting(), "armed_forces_head", "t1", Change.reassigned),
    ("the head made secretary is a change of post", sitting(post="township_head", rank="full_section"),
     "secretary", "t1", Change.reassigned),
    ("the same post in another township", sitting(town="t2"), "deputy_head#1", "t1", Change.exchanged),
    ("from another township's team to another post", sitting(town="t2"), "deputy_secretary", "t1",
     Change.exchanged),
    ("a county organ's cadre at the seat's rank", cadre("x", current_unit="县委办"), "deputy_head#1", "t1",
     Change.joins),
    ("a cadre of the township who holds no post", cadre("x", current_township="t1"), "deputy_head#1", "t1",
     Change.joins),
    ("无 -> 副科", cadre("x", rank="none"), "deputy_head#1", "t1", Change.promoted),
    ("副科 -> 正科 after 2 full years", cadre("x", rank_since=YEARS_AGO[2]), "secretary", "t1",
     Change.promoted),
    ("副科 -> 正科 with the years at rank not given", cadre("x"), "secretary", "t1", Change.promoted),
    ("副科 -> 正科 a day short of 2 years", cadre("x", rank_since=date(2024, 9, 2)), "secretary", "t1",
     Change.promoted_early),
    ("副科 -> 正科 in the same township's team, early", sitting(rank_since=YEARS_AGO[1]), "head", "t1",
     Change.promoted_early),
    ("无 -> 正科", cadre("x", rank="none"), "secretary", "t1", Change.promoted_two_ranks),
    ("正科 in a 副科 seat", sitting(post="party_secretary", rank="full_section"), "deputy_head#1", "t1",
     Change.demoted),
    ("正科 from a county organ in a 副科 seat", cadre("x", rank="full_section"), "deputy_secretary", "t1",
     Change.demoted),
    ("正科 in a 正科 seat, from outside the teams", cadre("x", rank="full_section"), "secretary", "t1",
     Change.joins),
]


@pytest.mark.parametrize(("what", "c", "sid", "town", "word"), WORDS, ids=[w[0] for w in WORDS])
def test_each_word_of_the_table(what: str, c: Any, sid: str, town: str, word: Change) -> None:
    """Each word of the catalog's 变动 table for the case it names, and the next word where it does not."""
    sc = county(c)
    assert change_of(sc, c, seat(sc, sid, town)) == word


def test_every_word_is_met_and_labelled() -> None:
    """The cases above give every seat word; each word has the catalog's label."""
    assert {w[-1] for w in WORDS} == set(Change) - {Change.leaves}
    labels = [c.zh for c in Change]
    assert labels == ["连任", "改任", "交流", "提拔", "破格提拔", "越级提拔", "降任", "进班子", "退出"]


def test_judged_slate_carries_each_seats_word() -> None:
    """judge fills in every assignment's word."""
    a, b = sitting("a"), sitting("b", town="t2")
    sc = county(a, b)
    slate, _ = judge(sc, [Assignment(township="t1", seat="deputy_head#1", cadre="a"),
                          Assignment(township="t1", seat="deputy_head#2", cadre="b")])
    assert [x.change for x in slate.assignments] == [Change.continues, Change.exchanged]


def test_promotion_years_read_from_the_rulesets_n3() -> None:
    """The N-3 years come from the N-3 in force (its 2, or 3 by the scenario), else 2."""
    c = cadre("x", rank_since=YEARS_AGO[2])
    plain = county(c)
    three = county(c, rules={"N-3": {"params": {"min_years": 3}}})
    off = county(c, rules={"N-3": {"off": True}})
    assert plain.ruleset_in_force.rule("N-3") is not None
    assert (promotion_years(plain), promotion_years(three), promotion_years(off)) == (2, 3, 2)
    assert change_of(plain, c, seat(plain, "secretary")) == Change.promoted
    assert change_of(three, c, seat(three, "secretary")) == Change.promoted_early


def test_old_words_still_load() -> None:
    """A slate saved with the earlier words (留任, 新进, stays) loads: 留任 reads as 连任."""
    assert Change.parse("留任") == Change.continues and Change.parse("新进") == Change.joins
    assert Assignment(township="t1", seat="s", cadre="c", change="stays").change == Change.continues


# --- the leavers ------------------------------------------------------------------------------


def leavers(sc: Scenario, seated: dict[str, str] | None = None) -> dict[str, Leaver]:
    slate, _ = judge(sc, [Assignment(township="t1", seat=s, cadre=c) for s, c in (seated or {}).items()])
    return {x.cadre: x for x in slate.leavers}


def codes(x: Leaver) -> list[str]:
    return [r.code for r in x.reasons]


def test_seated_members_are_no_leavers_and_others_are() -> None:
    """Every sitting member is either in a seat or on the list; cadres outside the teams never are."""
    sc = county(sitting("a"), sitting("b"), sitting("c", town="t2"), cadre("d"))
    got = leavers(sc, {"deputy_head#1": "a", "deputy_head#2": "c"})
    assert list(got) == ["b"]
    assert (got["b"].township, got["b"].post, got["b"].destination) == ("t1", Post.deputy_head, None)


def test_leaver_not_selected() -> None:
    """A sitting member whom nothing removes is not selected (未选任) and leaving costs."""
    x = leavers(county(sitting()))["x"]
    assert codes(x) == ["leaver_not_selected"] and not x.removed


@pytest.mark.parametrize(("age", "gender", "kept", "out"), [
    (53, "male", False, True), (52, "male", False, False), (48, "female", False, True),
    (55, "male", True, False), (56, "male", True, True),
])
def test_leaver_of_age(age: int, gender: str, kept: bool, out: bool) -> None:
    """到龄 by D3-E2's exit age (满53 / 满48), or above the cap of one kept for the work (55)."""
    x = leavers(county(sitting(age=age, gender=gender, kept_for_work=kept)))["x"]
    assert (codes(x) == ["leaver_age"], x.removed) == (out, out)
    if out:
        assert x.reasons[0].args["rule"] == "D3-E2"


def test_leaver_of_age_where_the_cap_is_generally() -> None:
    """county-2017 holds the caps as generally rules (D5-E2): 到龄 still takes the cadre out."""
    x = leavers(county(sitting(age=54), ruleset="county-2017"))["x"]
    assert codes(x) == ["leaver_age"] and x.removed and x.reasons[0].args["rule"] == "D5-E2"


def test_leaver_of_votes_unless_the_organization_keeps_them() -> None:
    """测评/推荐未过 by D1-E6; with the organization's reason on record the cadre is only not selected."""
    weak = sitting(recommendation_share=0.4)
    x = leavers(county(weak))["x"]
    assert codes(x) == ["leaver_votes"] and x.removed
    assert x.reasons[0].args["finding"]["code"] == "votes_short"
    kept = leavers(county(weak, renomination_overrides={"x": "工作需要"}))["x"]
    assert codes(kept) == ["leaver_not_selected"] and not kept.removed


@pytest.mark.parametrize(("years", "rotated"), [(10, True), (9, False)])
def test_leaver_of_rotation(years: int, rotated: bool) -> None:
    """任职满10年须交流 (D1-R1) with no seat elsewhere; the cadre could have moved, so it costs."""
    x = leavers(county(sitting(since=years)))["x"]
    assert codes(x) == (["leaver_rotation"] if rotated else ["leaver_not_selected"])
    assert not x.removed


def test_leaver_removed_by_the_scenario_with_every_reason() -> None:
    """A cadre taken out of the pool is listed with that reason and any other that holds."""
    x = leavers(county(sitting(age=55, since=11), remove=["x"]))["x"]
    assert codes(x) == ["leaver_removed", "leaver_age", "leaver_rotation"] and x.removed


def test_leaver_lines_are_worded() -> None:
    """Each reason is worded, the rule's own finding inside it."""
    sc = county(sitting("a", age=55, name="王强"), sitting("b", since=10, name="李明"),
                sitting("c", recommendation_share=0.4, name="赵刚"), sitting("d", name="钱亮"))
    names = Names.of(sc)
    got = {k: leaver_text(v, names) for k, v in leavers(sc).items()}
    assert got == {
        "a": "王强(t1镇副镇长):到龄:55岁,已满53岁,一般不再担任科级领导职务(D3-E2)",
        "b": "李明(t1镇副镇长):任副镇长已满10年,满10年须交流,未安排到其他乡镇(D1-R1)",
        "c": "赵刚(t1镇副镇长):测评/推荐未过:推荐票40%未过50%(D1-E6)",
        "d": "钱亮(t1镇副镇长):未选任",
    }


# --- the score terms --------------------------------------------------------------------------


def points(sc: Scenario, seated: dict[tuple[str, str], str]) -> dict[str, int]:
    _, v = judge(sc, [Assignment(township=t, seat=s, cadre=c) for (t, s), c in seated.items()])
    return v.score.by_term()


CONTINUITY = [
    # (what it shows, the cadre, the seat, its township, continuity points)
    ("连任", sitting(), "deputy_head#1", "t1", 2),
    ("乡镇长 -> 党委书记", sitting(post="township_head", rank="full_section"), "secretary", "t1", 2),
    ("副书记、纪委书记 -> 乡镇长", sitting(post="discipline_secretary"), "head", "t1", 2),
    ("another post of the same team", sitting(), "armed_forces_head", "t1", 0),
    ("副乡镇长 -> 乡镇长 is no usual step", sitting(), "head", "t1", 0),
    ("党委书记 -> 乡镇长 is a step down", sitting(post="party_secretary", rank="full_section"), "head",
     "t1", 0),
    ("the same post in another township", sitting(town="t2"), "deputy_head#1", "t1", 0),
]


@pytest.mark.parametrize(("what", "c", "sid", "town", "pts"), CONTINUITY, ids=[w[0] for w in CONTINUITY])
def test_continuity_points(what: str, c: Any, sid: str, town: str, pts: int) -> None:
    """Continuity rewards 连任 and the usual steps inside the township, nothing else."""
    sc = county(c)
    assert points(sc, {(town, sid): "x"}).get("continuity", 0) == pts


def test_continuity_reasons_are_worded() -> None:
    """连任 and a step are told apart in the score's justification."""
    sc = county(sitting("a", post="township_head", rank="full_section"), sitting("b"))
    _, v = judge(sc, [Assignment(township="t1", seat="secretary", cadre="a"),
                      Assignment(township="t1", seat="deputy_head#1", cadre="b")])
    said = [say(t.reason, Names.of(sc)) for t in v.score.terms if t.term == "continuity"]
    assert said == ["本乡镇乡镇长接任党委书记", "连任本乡镇副乡镇长"]


def test_continuity_posts_read_every_post_of_the_seat_held() -> None:
    """A head's seat holds 党委副书记 but the head steps up to secretary only; a 副书记 to head."""
    sc = county(cadre("y"))
    assert continuity_posts(sc, sitting(post="township_head")) == {Post.township_head, Post.party_secretary}
    assert continuity_posts(sc, sitting(post="discipline_secretary")) == {Post.discipline_secretary,
                                                                          Post.township_head}
    assert continuity_posts(sc, cadre("x")) == frozenset()


def test_left_out_costs_its_weight_for_each_member_no_rule_removes() -> None:
    """A sitting member left without a seat costs weights.left_out (6) unless something removes them."""
    people = [sitting("a"), sitting("b"), sitting("c", age=55), sitting("d", recommendation_share=0.4),
              sitting("e", since=11), sitting("f", town="t2"), sitting("g", town="t2"), cadre("h")]
    sc = county(*people, remove=["g"])
    assert [c.id for c in kept_members(sc, make_view(sc, []))] == ["a", "b", "e", "f"]
    assert points(sc, {}).get("left_out") == -24
    assert points(sc, {("t1", "deputy_head#1"): "a", ("t1", "head"): "f"}).get("left_out") == -12
    _, v = judge(sc, [])
    term = next(t for t in v.score.terms if t.term == "left_out")
    assert (term.township, term.cadre, term.seat, term.points) == ("t1", "a", None, -6)
    assert say(term.reason, Names.of(sc)) == "干部a(t1镇副镇长)未安排到任何班子"


def test_left_out_weight_zero_adds_no_term() -> None:
    """With weights.left_out 0 nobody's leaving is a term."""
    sc = county(sitting("a"), weights={"left_out": 0})
    assert "left_out" not in points(sc, {})


def test_big_m_covers_the_left_out_spread() -> None:
    """big_m grows by weights.left_out for every member who may be left out."""
    people = [sitting("a"), sitting("b"), sitting("c", age=55)]
    sc = county(*people)
    none = county(*people, weights={"left_out": 0})
    assert big_m(sc) - big_m(none) == 6 * 2


# --- the weights in the ruleset ---------------------------------------------------------------


def test_presets_give_every_weight_with_its_reason() -> None:
    """Each preset's weights: section names every score term with a note."""
    for preset in ("qiong-2011", "xx-2011", "county-2017"):
        rs = load_preset(preset)
        assert set(rs.weights) == set(ScoreWeights.model_fields)
        assert all(w.note for w in rs.weights.values())


def test_scenario_weights_override_the_rulesets_one_by_one() -> None:
    """A scenario's weights: set only the weights they name; the others are the ruleset's."""
    rs = load_preset("xx-2011")
    own = rs.model_copy(update={"weights": {**rs.weights, "continuity": rs.weights["continuity"].model_copy(
        update={"weight": 7})}})
    sc = county(cadre("y"), ruleset_definition=own, weights={"merit": 4})
    assert sc.weights_in_force == ScoreWeights(merit=4, continuity=7, reserve=3, left_out=6)
    assert sc.weights.model_fields_set == {"merit"}


def test_unknown_score_term_in_a_ruleset_is_refused() -> None:
    """A weights: entry naming no score term is an error that lists the terms."""
    data = load_preset("xx-2011").model_dump()
    data["weights"]["stability"] = {"weight": 1}
    with pytest.raises(ValueError, match="unknown score terms"):
        Ruleset.model_validate(data)
