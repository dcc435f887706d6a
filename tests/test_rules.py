"""Every rule in force in a preset, broken once and kept once, judged by the referee;
a few rules of each strength also on the solver's side.

A township's default team (`team`) keeps every rule of every preset when seated in
seat order; each test swaps in only the cadre that matters (`fill(sc, put=...)`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from model.enums import Strength
from model.people import Cadre
from model.referee import Verdict, referee
from model.ruleset import load_preset, preset_ids
from model.scenario import Scenario
from model.slate import Assignment, RuleInstance
from solver import solve
from tests.factory import cadre, scenario, township

PRESETS = preset_ids()
LOADED = {p: load_preset(p) for p in PRESETS}
"""Each preset parsed once and handed to scenarios as `ruleset_definition` (the same rules as naming
the preset, which `test_named_preset_judges_alike` checks): YAML parsing would dominate the run."""
RULES_IN_FORCE = {p: {r.id for r in LOADED[p].rules} for p in PRESETS}
NAMES = ["f1", "f2", "y1", "y2", *(f"m{i}" for i in range(1, 8))]
"""Default team, in seat order: two women of full-section rank (secretary, head), one of 28
and one of 33 (D1-C1, D3-C1, D5-K1), then men of 38; 11 covers the largest team (10)."""


def presets_with(rule_id: str) -> list[str]:
    return [p for p in PRESETS if rule_id in RULES_IN_FORCE[p]]


def prefix(tid: str) -> str:
    return "" if tid == "t1" else f"{tid}."


def team(tid: str = "t1") -> list[Cadre]:
    """The default team of township `tid`: keeps every rule of every preset."""
    p = prefix(tid)
    return [
        cadre(f"{p}f1", gender="female", age=42, rank="full_section"),
        cadre(f"{p}f2", gender="female", age=40, rank="full_section"),
        cadre(f"{p}y1", age=28, rank="none"),
        cadre(f"{p}y2", age=33),
        *(cadre(f"{p}m{i}") for i in range(1, 8)),
    ]


def make(preset: str, *extra: Cadre, towns: int = 1, cls: int = 2, **kw: Any) -> Scenario:
    """Townships t1..tN of class `cls`, each with its default team, plus `extra` cadres."""
    tids = [f"t{i}" for i in range(1, towns + 1)]
    ts = [township(t, township_class=cls, **kw.pop(t, {})) for t in tids]
    pool = [c for t in tids for c in team(t)] + list(extra)
    return scenario(ts, pool, preset, ruleset_definition=LOADED[preset], **kw)


def assign(sc: Scenario, ids: list[str]) -> list[Assignment]:
    """Cadres in seat order (sc.seats), one per seat."""
    assert len(ids) == len(sc.seats)
    return [Assignment(township=s.township, seat=s.id, cadre=c) for s, c in zip(sc.seats, ids, strict=True)]


def fill(sc: Scenario, put: dict[str, str] | None = None) -> list[Assignment]:
    """Every seat: the i-th seat of a township gets the i-th cadre of its default team,
    except seats named in `put` ('seat' in t1, or 'township/seat')."""
    put = put or {}
    ids: list[str] = []
    for t in sc.townships:
        for i, s in enumerate(sc.seats_of(t)):
            key = s.id if t == "t1" else f"{t}/{s.id}"
            ids.append(put.get(key, prefix(t) + NAMES[i]))
    return assign(sc, ids)


def seat_of(sc: Scenario, name: str) -> str:
    """The t1 seat that default cadre `name` takes."""
    return sc.seats_of("t1")[NAMES.index(name)].id


def judge(sc: Scenario, put: dict[str, str] | None = None) -> Verdict:
    v = referee(sc, fill(sc, put))
    assert v.problems == []
    return v


def inst(v: Verdict, key: str) -> RuleInstance:
    found = [r for r in v.report if r.key == key]
    assert len(found) == 1, [r.key for r in v.report]
    return found[0]


def expect(
    v: Verdict, key: str, holds: bool, *details: str, penalty: int = 0, violations: int | None = None
) -> RuleInstance:
    """The instance `key` holds or not, with this penalty and these bits of its detail; the
    score keeps objective = points - big_m * violations (and `violations` if given)."""
    r = inst(v, key)
    assert (r.holds, r.penalty) == (holds, penalty), r
    for d in details:
        assert d in r.detail, (d, r.detail)
    s = v.score
    assert s.objective == s.points - s.big_m * s.violations
    if violations is not None:
        assert s.violations == violations, [x.key for x in v.report if not x.holds]
    if r.strength == Strength.must and holds:
        assert v.passes, [x.key for x in v.report if not x.holds]
    if r.strength == Strength.must and not holds:
        assert not v.passes
    return r


BASE_POINTS = 6  # merit per seated default cadre: three 称职 grades, no votes


# --- the default teams keep everything; shape rules on each template --------------------------------


@pytest.mark.parametrize("cls", [1, 2, 3])
@pytest.mark.parametrize("preset", PRESETS)
def test_default_team_keeps_every_rule(preset: str, cls: int) -> None:
    """The default team of each preset and township class breaks no rule and costs no penalty."""
    sc = make(preset, cls=cls)
    v = judge(sc)
    assert [r.key for r in v.report if not r.holds] == []
    assert v.passes and v.score.violations == 0
    assert v.score.points == BASE_POINTS * len(sc.seats)
    assert {r.rule for r in v.report} == RULES_IN_FORCE[preset]


@pytest.mark.parametrize("preset", PRESETS)
def test_named_preset_judges_alike(preset: str) -> None:
    """A scenario naming the preset and one carrying its parsed definition get the same verdict."""
    given = make(preset, cadre("x", age=60, township_years=0))
    named = scenario(list(given.county.townships), list(given.cadres), preset)
    assert named.ruleset_definition is None
    put = {"secretary": "x"}
    assert referee(named, fill(named, put)) == referee(given, fill(given, put))


SHAPE_RULES = [(p, r.id) for p in PRESETS for r in load_preset(p).rules if r.kind == "team_shape"]


@pytest.mark.parametrize("cls", [1, 2, 3])
@pytest.mark.parametrize(("preset", "rule"), SHAPE_RULES)
def test_shape_holds_on_template(preset: str, rule: str, cls: int) -> None:
    """Each preset's team template keeps each of its shape rules, in every township class."""
    v = judge(make(preset, cls=cls))
    expect(v, f"{rule}@t1", True, "t1镇:职数与兼任符合")


SHAPE_BREAKS = [
    ("qiong-2011", "D1-S1", {"posts": {"committee_member": [8, 9]}}, 2, "党委委员7名,应为8至9名"),
    ("xx-2011", "D1-S1", {"posts": {"committee_member": [8, 9]}}, 2, "党委委员5名,应为8至9名"),
    ("qiong-2011", "D1-S2", {"together": [["party_secretary", "township_head"]]}, 2, "党委书记未兼任乡镇长"),
    ("qiong-2011", "D1-S3", {"posts": {"deputy_secretary": [3, 3]}}, 2, "党委副书记2名,应为3名"),
    ("xx-2011", "D1-S3", {"posts": {"deputy_secretary": [3, 3]}}, 2, "党委副书记2名,应为3名"),
    ("qiong-2011", "D1-S4", {"posts": {"organization_member": [2, 2]}}, 2, "组织委员1名,应为2名"),
    ("qiong-2011", "D1-S6", {"posts": {"congress_vice_chair": [2, 2]}}, 2, "人大专职副主席1名,应为2名"),
    ("qiong-2011", "D1-S7", {"posts": {"deputy_head": [3, 3]}}, 2, "副乡镇长2名,应为3名"),
    ("xx-2011", "D3-S1", {"seats": 8}, 2, "职数7名,应为8名"),
    ("county-2017", "D5-S1", {"seats": {1: 10, 2: 10, 3: 10}}, 3, "职数9名,应为10名"),
    ("county-2017", "D5-S1", {"apart": [["township_head", "deputy_secretary"]]}, 2,
     "乡镇长与党委副书记应分设"),
]


@pytest.mark.parametrize(("preset", "rule", "params", "cls", "detail"), SHAPE_BREAKS)
def test_shape_breaks_with_overridden_params(
    preset: str, rule: str, params: dict, cls: int, detail: str
) -> None:
    """A shape rule whose params the template cannot meet is broken, with the count in the detail;
    a broken generally shape rule (D1-S4) is one violation."""
    v = judge(make(preset, cls=cls, rules={rule: {"params": params}}))
    expect(v, f"{rule}@t1", False, detail)
    if rule == "D1-S4":
        assert v.score.violations == 1 and v.score.objective == v.score.points - v.score.big_m


# --- E: eligibility, one seat at a time -----------------------------------------------------------


@pytest.mark.parametrize("preset", presets_with("D1-E1"))
@pytest.mark.parametrize(
    ("years", "holds", "detail"), [(0, False, "乡镇工作经历0年,少于1年"), (1, True, "符合")]
)
def test_d1_e1_secretary_township_work(preset: str, years: int, holds: bool, detail: str) -> None:
    """D1-E1 (generally): a secretary without township work is one violation; one year keeps it."""
    x = cadre("x", gender="female", age=42, rank="full_section", township_years=years)
    v = judge(make(preset, x), {"secretary": "x"})
    expect(v, "D1-E1@t1/secretary", holds, detail, violations=0 if holds else 1)
    assert v.passes


@pytest.mark.parametrize(("years", "holds", "penalty"), [(0, False, 5), (1, True, 0)])
def test_d1_e2_secretary_leadership(years: int, holds: bool, penalty: int) -> None:
    """D1-E2 (prefer, weight 5): a secretary without township leadership costs 5 points."""
    x = cadre("x", gender="female", age=42, rank="full_section", leadership_years=years)
    sc = make("qiong-2011", x)
    v = judge(sc, {"secretary": "x"})
    expect(v, "D1-E2@t1/secretary", holds, "符合" if holds else "乡镇领导任职经历0年,少于1年",
           penalty=penalty, violations=0)
    assert v.score.points == BASE_POINTS * len(sc.seats) - penalty


@pytest.mark.parametrize("seat", ["secretary", "head", "congress_chair"])
@pytest.mark.parametrize(("years", "holds", "penalty"), [(0, False, 5), (1, True, 0)])
def test_d3_e1_principals_leadership(seat: str, years: int, holds: bool, penalty: int) -> None:
    """D3-E1 (prefer, weight 5): secretary, head or congress chair without leadership costs 5."""
    x = cadre("x", gender="female", age=33, rank="full_section", leadership_years=years)
    sc = make("xx-2011", x)
    v = judge(sc, {seat: "x"})
    expect(v, f"D3-E1@t1/{seat}", holds, "符合" if holds else "乡镇领导任职经历0年,少于1年",
           penalty=penalty, violations=0)
    assert v.score.points == BASE_POINTS * len(sc.seats) - penalty


@pytest.mark.parametrize("preset", presets_with("D1-E4"))
@pytest.mark.parametrize("seat", ["secretary", "head"])
@pytest.mark.parametrize(("education", "holds", "detail"),
                         [("senior_high", False, "学历高中,低于大专"), ("college", True, "符合")])
def test_d1_e4_principal_education(preset: str, seat: str, education: str, holds: bool, detail: str) -> None:
    """D1-E4 (generally): a principal with senior-high schooling is one violation; college keeps it."""
    x = cadre("x", gender="female", age=42, rank="full_section", education=education)
    v = judge(make(preset, x), {seat: "x"})
    expect(v, f"D1-E4@t1/{seat}", holds, detail, violations=0 if holds else 1)


def test_d1_e4_not_on_other_seats() -> None:
    """D1-E4 applies only to principal seats: a senior-high deputy head is not checked."""
    x = cadre("x", education="senior_high")
    v = judge(make("xx-2011", x), {"deputy_head#1": "x"})
    assert [r.key for r in v.report if r.rule == "D1-E4"] == ["D1-E4@t1/secretary", "D1-E4@t1/head"]
    assert v.score.violations == 0


@pytest.mark.parametrize("preset", presets_with("D1-E5"))
@pytest.mark.parametrize(
    ("minority", "ethnicity", "holds", "detail"),
    [
        ("黎族", "汉族", False, "民族乡须由黎族公民担任,本人为汉族"),
        ("黎族", "黎族", True, "符合"),
        (None, "汉族", True, "符合"),
    ],
)
def test_d1_e5_ethnic_township_head(
    preset: str, minority: str | None, ethnicity: str, holds: bool, detail: str
) -> None:
    """D1-E5 (must): an ethnic township's head is of its minority; other townships are free."""
    x = cadre("x", gender="female", age=40, rank="full_section", ethnicity=ethnicity)
    v = judge(make(preset, x, t1={"ethnic_minority": minority}), {"head": "x"})
    expect(v, "D1-E5@t1/head", holds, detail)
    assert [r.key for r in v.report if r.rule == "D1-E5"] == ["D1-E5@t1/head"]


def sitting(cid: str, **kw: Any) -> Cadre:
    """A sitting deputy head of t1 (four years in post)."""
    return cadre(cid, current_township="t1", current_post="deputy_head", post_since=date(2022, 9, 1), **kw)


RENOMINATION = [
    ({"recommendation_share": 0.5}, False, "推荐票50%未过50%"),
    ({"recommendation_share": 0.51}, True, "符合"),
    ({"incompetent_share": 1 / 3}, True, "符合"),
    ({"incompetent_share": 0.34}, False, "不称职票34%超过33.3%"),
]


@pytest.mark.parametrize("preset", presets_with("D1-E6"))
@pytest.mark.parametrize(("votes", "holds", "detail"), RENOMINATION)
def test_d1_e6_renomination(preset: str, votes: dict, holds: bool, detail: str) -> None:
    """D1-E6 (must): votes not over half, or incompetent over a third, bar renomination."""
    v = judge(make(preset, sitting("x", **votes)), {"armed_forces_head": "x"})
    expect(v, "D1-E6@t1/armed_forces_head", holds, detail)


@pytest.mark.parametrize("preset", presets_with("D1-E6"))
@pytest.mark.parametrize("votes", [{"recommendation_share": 0.2}, {"incompetent_share": 0.6}])
def test_d1_e6_lifted_by_override(preset: str, votes: dict) -> None:
    """D1-E6: the organization's recorded reason lifts the bar for that cadre."""
    sc = make(preset, sitting("x", **votes), renomination_overrides={"x": "工作需要,经考察可继续任职"})
    expect(judge(sc, {"armed_forces_head": "x"}), "D1-E6@t1/armed_forces_head", True, "符合")


@pytest.mark.parametrize(
    ("votes", "holds", "detail"),
    [
        ({"recommendation_share": 0.3}, True, "符合"),
        ({"incompetent_share": 1 / 3}, True, "符合"),
        ({"incompetent_share": 0.34}, False, "不称职票34%超过33.3%"),
    ],
)
def test_d5_e1_renomination(votes: dict, holds: bool, detail: str) -> None:
    """D5-E1 (must, county-2017): only the incompetent share counts, not the recommendation votes."""
    v = judge(make("county-2017", sitting("x", **votes)), {"armed_forces_head": "x"})
    expect(v, "D5-E1@t1/armed_forces_head", holds, detail)


def test_d5_e1_lifted_by_override() -> None:
    """D5-E1: a renomination override lifts it too."""
    sc = make("county-2017", sitting("x", incompetent_share=0.5), renomination_overrides={"x": "组织决定"})
    expect(judge(sc, {"armed_forces_head": "x"}), "D5-E1@t1/armed_forces_head", True, "符合")


DEPUTY, FULL = "armed_forces_head", "congress_chair"  # a deputy-section and a full-section seat of xx-2011
AGE_CAPS = [
    # (what, gender, age, rank, seat, flags, holds, detail)
    ("new deputy", "male", 40, "none", DEPUTY, {}, True, "符合"),
    ("new deputy", "male", 41, "none", DEPUTY, {}, False, "41岁,新提任副科级不得超过40岁"),
    ("new deputy", "female", 41, "none", DEPUTY, {}, False, "41岁,新提任副科级不得超过40岁"),
    ("outstanding deputy", "male", 45, "none", DEPUTY, {"outstanding": True}, True, "符合"),
    ("outstanding deputy", "male", 46, "none", DEPUTY, {"outstanding": True}, False,
     "46岁,新提任副科级(特别优秀)不得超过45岁"),
    ("outstanding deputy", "female", 43, "none", DEPUTY, {"outstanding": True}, True, "符合"),
    ("outstanding deputy", "female", 44, "none", DEPUTY, {"outstanding": True}, False,
     "44岁,新提任副科级(特别优秀)不得超过43岁"),
    ("new full", "male", 45, "deputy_section", FULL, {}, True, "符合"),
    ("new full", "male", 46, "deputy_section", FULL, {}, False, "46岁,提任正科级不得超过45岁"),
    ("new full", "female", 43, "deputy_section", FULL, {}, True, "符合"),
    ("new full", "female", 44, "deputy_section", FULL, {}, False, "44岁,提任正科级不得超过43岁"),
    ("outstanding full", "male", 48, "deputy_section", FULL, {"outstanding": True}, True, "符合"),
    ("outstanding full", "male", 49, "deputy_section", FULL, {"outstanding": True}, False,
     "49岁,提任正科级(特别优秀)不得超过48岁"),
    ("outstanding full", "female", 45, "deputy_section", FULL, {"outstanding": True}, True, "符合"),
    ("outstanding full", "female", 46, "deputy_section", FULL, {"outstanding": True}, False,
     "46岁,提任正科级(特别优秀)不得超过45岁"),
    ("exit", "male", 52, "deputy_section", DEPUTY, {}, True, "符合"),
    ("exit", "male", 53, "deputy_section", DEPUTY, {}, False, "53岁,已满53岁,一般不再担任科级领导职务"),
    ("exit", "female", 47, "deputy_section", DEPUTY, {}, True, "符合"),
    ("exit", "female", 48, "deputy_section", DEPUTY, {}, False, "48岁,已满48岁,一般不再担任科级领导职务"),
    ("kept", "male", 55, "deputy_section", DEPUTY, {"kept_for_work": True}, True, "符合"),
    ("kept", "male", 56, "deputy_section", DEPUTY, {"kept_for_work": True}, False,
     "56岁,因工作需要留任不得超过55岁"),
    ("kept", "female", 50, "deputy_section", DEPUTY, {"kept_for_work": True}, True, "符合"),
    ("kept", "female", 51, "deputy_section", DEPUTY, {"kept_for_work": True}, False,
     "51岁,因工作需要留任不得超过50岁"),
    ("full stays full", "male", 50, "full_section", FULL, {}, True, "符合"),
    ("full stays full", "male", 52, "full_section", FULL, {}, True, "符合"),
    ("full stays full", "male", 53, "full_section", FULL, {}, False, "53岁,已满53岁"),
    ("full stays full", "female", 47, "full_section", FULL, {}, True, "符合"),
]


@pytest.mark.parametrize(("what", "gender", "age", "rank", "seat", "flags", "holds", "detail"), AGE_CAPS)
def test_d3_e2_age_caps(
    what: str, gender: str, age: int, rank: str, seat: str, flags: dict, holds: bool, detail: str
) -> None:
    """D3-E2 (must in xx-2011): each age cap holds at its bound and breaks one year above it."""
    x = cadre("x", gender=gender, age=age, rank=rank, **flags)
    v = judge(make("xx-2011", x), {seat: "x"})
    expect(v, f"D3-E2@t1/{seat}", holds, detail)


@pytest.mark.parametrize(("age", "holds"), [(52, True), (53, False)])
def test_d3_e2_generally_in_county_2017(age: int, holds: bool) -> None:
    """D3-E2 is generally in county-2017 (D5-E2): a man of 53 is one violation, not a must break."""
    x = cadre("x", age=age)
    v = judge(make("county-2017", x), {DEPUTY: "x"})
    detail = "符合" if holds else "53岁,已满53岁"
    r = expect(v, f"D3-E2@t1/{DEPUTY}", holds, detail, violations=0 if holds else 1)
    assert r.strength == Strength.generally
    assert v.passes


# --- C: one team's composition ------------------------------------------------------------------


@pytest.mark.parametrize("preset", presets_with("D1-C1"))
@pytest.mark.parametrize(
    ("age", "holds", "detail"), [(30, True, "30岁以下干部1名"), (31, False, "30岁以下干部0名")]
)
def test_d1_c1_one_under_30(preset: str, age: int, holds: bool, detail: str) -> None:
    """D1-C1 (must): a team needs one member aged 30 or younger; 30 counts, 31 does not."""
    sc = make(preset, cadre("x", age=age, rank="none"))
    v = judge(sc, {seat_of(sc, "y1"): "x"})
    expect(v, "D1-C1@t1", holds, detail, "要求至少1名")


@pytest.mark.parametrize("preset", presets_with("D1-C2"))
@pytest.mark.parametrize(("women", "holds", "detail"), [(1, True, "女干部1名"), (0, False, "女干部0名")])
def test_d1_c2_one_woman(preset: str, women: int, holds: bool, detail: str) -> None:
    """D1-C2 (must): a team needs one woman."""
    put = {"head": "b"} if women == 1 else {"secretary": "a", "head": "b"}
    v = judge(make(preset, cadre("a"), cadre("b")), put)
    r = inst(v, "D1-C2@t1")
    assert (r.holds, r.penalty) == (holds, 0)
    assert detail in r.detail and "要求至少1名" in r.detail
    assert not v.passes  # with the head a man, D1-K1 fails in a one-township county


@pytest.mark.parametrize(
    ("gone", "holds", "penalty", "detail"),
    [((), True, 0, "35岁以下干部2名"), (("y2",), False, 3, "35岁以下干部1名"),
     (("y1", "y2"), False, 6, "35岁以下干部0名")],
)
def test_d3_c1_young_cadres(gone: tuple[str, ...], holds: bool, penalty: int, detail: str) -> None:
    """D3-C1 (prefer, weight 3): each member short of two aged 35 or younger costs 3."""
    sc = make("xx-2011", cadre("a"), cadre("b"))
    v = judge(sc, {seat_of(sc, g): o for g, o in zip(gone, "ab", strict=False)})
    expect(v, "D3-C1@t1", holds, detail, "要求至少2名", penalty=penalty, violations=0)
    assert v.score.points == BASE_POINTS * len(sc.seats) - penalty


@pytest.mark.parametrize(("experienced", "holds"), [(6, True), (5, False)])
def test_d5_c1_two_thirds_township_work(experienced: int, holds: bool) -> None:
    """D5-C1 (must, county-2017): 6 of a 9-seat team need 2 years of township work; 5 is short."""
    new = [cadre(f"n{i}", township_years=1) for i in range(9 - experienced)]
    sc = make("county-2017", *new, cls=3)
    ids = ["f1", "f2", "y1", "y2", "m1", "m2", "m3", "m4", "m5"]
    ids[9 - len(new):] = [c.id for c in new]
    v = referee(sc, assign(sc, ids))
    assert v.problems == []
    expect(v, "D5-C1@t1", holds, f"具有2年以上乡镇工作经历干部{experienced}名", "要求不少于2/3(至少6名)")


def test_d5_c1_needs_seven_of_ten() -> None:
    """D5-C1: a 10-seat team (class 2) needs ceil(2/3 x 10) = 7."""
    new = [cadre(f"n{i}", township_years=0) for i in range(4)]
    sc = make("county-2017", *new, cls=2)
    ids = ["f1", "f2", "y1", "y2", "m1", "m2", *(c.id for c in new)]
    expect(referee(sc, assign(sc, ids)), "D5-C1@t1", False, "干部6名", "至少7名")


# --- K: county-wide -----------------------------------------------------------------------------


@pytest.mark.parametrize("preset", presets_with("D1-K1"))
@pytest.mark.parametrize(("post", "seat"), [("party_secretary", "secretary"), ("township_head", "head")])
@pytest.mark.parametrize(("women", "holds"), [(1, True), (0, False)])
def test_d1_k1_woman_secretary_and_head(preset: str, post: str, seat: str, women: int, holds: bool) -> None:
    """D1-K1 (must): across two townships one woman secretary and one woman head are enough."""
    put = {f"t2/{seat}": "b"} if women else {seat: "a", f"t2/{seat}": "b"}
    v = judge(make(preset, cadre("a"), cadre("b"), towns=2), put)
    label = {"party_secretary": "党委书记", "township_head": "乡镇长"}[post]
    expect(v, f"D1-K1@{post}", holds, f"全县{label}2个职位中女干部{women}名", "要求至少1名")


@pytest.mark.parametrize(("young", "holds"), [(2, True), (1, False)])
def test_d5_k1_fifth_young(young: int, holds: bool) -> None:
    """D5-K1 (generally, county-2017): 2 of 9 members aged 35 or younger; 1 is one violation."""
    sc = make("county-2017", cadre("a"), cls=3)
    v = judge(sc, {} if young == 2 else {seat_of(sc, "y2"): "a"})
    r = expect(v, "D5-K1@county", holds, f"全县乡镇领导班子成员9个职位中35岁以下干部{young}名",
               "要求不少于1/5(至少2名)", violations=0 if holds else 1)
    assert r.strength == Strength.generally


# --- R: rotation --------------------------------------------------------------------------------


def secretary_since(since: date, town: str = "t1") -> Cadre:
    return cadre("x", gender="female", age=45, rank="full_section", current_township=town,
                 current_post="party_secretary", post_since=since)


@pytest.mark.parametrize("preset", presets_with("D1-R1"))
@pytest.mark.parametrize(
    ("since", "town", "holds", "detail"),
    [
        (date(2016, 9, 1), "t1", False, "在本乡镇党委书记职位已任职10年,满10年应交流"),
        (date(2016, 9, 2), "t1", True, "符合"),
        (date(2016, 9, 1), "t2", True, "符合"),
    ],
)
def test_d1_r1_ten_years_must_move(preset: str, since: date, town: str, holds: bool, detail: str) -> None:
    """D1-R1 (must): ten years in the same post and township breaks; nine, or another township, holds."""
    v = judge(make(preset, secretary_since(since, town), towns=2), {"secretary": "x"})
    expect(v, "D1-R1@t1/secretary", holds, detail)


@pytest.mark.parametrize("preset", presets_with("D1-R2"))
@pytest.mark.parametrize(
    ("since", "holds", "penalty", "detail"),
    [(date(2021, 9, 1), False, 4, "已任职5年,满5年应交流"), (date(2021, 9, 2), True, 0, "符合")],
)
def test_d1_r2_five_years_planned_move(
    preset: str, since: date, holds: bool, penalty: int, detail: str
) -> None:
    """D1-R2 (prefer, weight 4): five full years in the same post costs 4; four years costs nothing."""
    sc = make(preset, secretary_since(since))
    v = judge(sc, {"secretary": "x"})
    expect(v, "D1-R2@t1/secretary", holds, detail, penalty=penalty, violations=0)
    continuity = sc.weights.continuity
    assert v.score.points == BASE_POINTS * len(sc.seats) + continuity - penalty
    assert inst(v, "D1-R1@t1/secretary").holds


def test_d1_r1_other_post_same_township() -> None:
    """D1-R1: ten years as secretary does not bar the same township's head seat."""
    x = cadre("x", gender="female", age=45, rank="full_section", current_township="t1",
              current_post="party_secretary", post_since=date(2006, 9, 1))
    expect(judge(make("xx-2011", x), {"head": "x"}), "D1-R1@t1/head", True, "符合")


# --- pins and bans ------------------------------------------------------------------------------


@pytest.mark.parametrize(("put", "holds"), [({"deputy_head#2": "x"}, True), ({}, False)])
def test_pin(put: dict, holds: bool) -> None:
    """A pin (must) holds when the cadre sits in any seat of that kind in that township."""
    sc = make("xx-2011", cadre("x"), pins=[{"cadre": "x", "township": "t1", "seat": "deputy_head"}])
    r = expect(judge(sc, put), "pin@x", holds, "指定x任t1/deputy_head")
    assert r.detail.endswith(",未满足") is not holds


@pytest.mark.parametrize(
    ("ban", "key", "holds"),
    [
        ({"cadre": "f1", "township": "t1", "seat": "secretary"}, "ban@f1/t1/secretary", False),
        ({"cadre": "f1", "township": "t1", "seat": "head"}, "ban@f1/t1/head", True),
        ({"cadre": "m2", "township": "t1", "seat": "deputy_head"}, "ban@m2/t1/deputy_head", False),
        ({"cadre": "m2", "township": "t1"}, "ban@m2/t1", False),
        ({"cadre": "m7", "township": "t1"}, "ban@m7/t1", True),
    ],
)
def test_ban(ban: dict, key: str, holds: bool) -> None:
    """A ban (must) breaks when the cadre sits in the banned seat kind (or anywhere in the township)."""
    v = judge(make("xx-2011", bans=[ban]))
    r = expect(v, key, holds, f"排除{ban['cadre']}任")
    assert r.detail.endswith(",未满足") is not holds


# --- the solver's side --------------------------------------------------------------------------


def solved(sc: Scenario) -> Any:
    return solve(sc, time_limit=10, workers=2)


def best(res: Any) -> dict[str, RuleInstance]:
    assert res.status in ("OPTIMAL", "FEASIBLE"), (res.status, res.reasons)
    return {r.key: r for r in res.slates[0].report}


def test_solver_keeps_d1_c1() -> None:
    """D1-C1 (must): the solver seats the pool's only cadre aged 30 or younger."""
    pool = [c for c in team() if c.id != "y1"] + [cadre("u", age=30, rank="none")]
    res = solved(scenario([township("t1")], pool, "xx-2011"))
    assert best(res)["D1-C1@t1"].holds
    assert "u" in res.slates[0].by_seat().values()


def test_solver_d1_c1_infeasible() -> None:
    """D1-C1 (must): with no one aged 30 or younger the scenario is INFEASIBLE, citing D1-C1."""
    pool = [c for c in team() if c.id != "y1"] + [cadre("u", age=31)]
    res = solved(scenario([township("t1")], pool, "xx-2011"))
    assert res.status == "INFEASIBLE" and res.slates == ()
    assert any("D1-C1" in r for r in res.reasons), res.reasons


def test_solver_keeps_d1_k1() -> None:
    """D1-K1 (must): with two women in two townships, one is secretary and one head."""
    pool = [c for c in team() + team("t2") if c.gender == "male"]
    pool += [cadre("w1", gender="female", age=40, rank="full_section"),
             cadre("w2", gender="female", age=41, rank="full_section")]
    sc = scenario([township("t1"), township("t2")], pool, "xx-2011")
    rep = best(solved(sc))
    assert rep["D1-K1@party_secretary"].holds and rep["D1-K1@township_head"].holds


def test_solver_d1_k1_infeasible() -> None:
    """D1-K1 (must): one woman cannot be both secretary and head: INFEASIBLE, citing D1-K1."""
    pool = [c for c in team() if c.id != "f2"]
    res = solved(scenario([township("t1")], pool, "xx-2011"))
    assert res.status == "INFEASIBLE"
    assert any("D1-K1" in r for r in res.reasons), res.reasons


def test_solver_keeps_d1_r1() -> None:
    """D1-R1 (must): a ten-year secretary with the best merit is not made secretary there again."""
    x = cadre("x", gender="female", age=45, rank="full_section", current_township="t1",
              current_post="party_secretary", post_since=date(2016, 9, 1), grades=("excellent",) * 3)
    res = solved(scenario([township("t1")], [*team(), x], "xx-2011"))
    rep = best(res)
    assert rep["D1-R1@t1/secretary"].holds
    assert res.slates[0].by_seat()[("t1", "secretary")] != "x"


def test_solver_d1_r1_empty_seat() -> None:
    """D1-R1 (must): when only the ten-year secretary could take the seat, INFEASIBLE cites D1-R1."""
    x = cadre("x", gender="female", age=45, rank="full_section", current_township="t1",
              current_post="party_secretary", post_since=date(2016, 9, 1))
    pool = team()
    bans = [{"cadre": c.id, "township": "t1", "seat": "secretary"} for c in pool]
    res = solved(scenario([township("t1")], [*pool, x], "xx-2011", bans=bans))
    assert res.status == "INFEASIBLE"
    assert any("D1-R1排除1人" in r for r in res.reasons), res.reasons


def test_solver_d1_k1_infeasible_cites_only_the_cause() -> None:
    """One woman for secretary and head: the reasons cite D1-K1, not the unrelated D1-C1."""
    pool = [c for c in team() if c.id != "f2"]
    res = solved(scenario([township("t1")], pool, "xx-2011"))
    assert res.status == "INFEASIBLE"
    assert not any("D1-C1" in r for r in res.reasons), res.reasons


def test_solver_pin_against_d1_r1_cites_d1_r1() -> None:
    """Pinning the ten-year secretary to her own seat is INFEASIBLE, and the reasons cite D1-R1."""
    x = cadre("x", gender="female", age=45, rank="full_section", current_township="t1",
              current_post="party_secretary", post_since=date(2016, 9, 1))
    pins = [{"cadre": "x", "township": "t1", "seat": "secretary"}]
    res = solved(scenario([township("t1")], [*team(), x], "xx-2011", pins=pins))
    assert res.status == "INFEASIBLE"
    assert any("D1-R1" in r for r in res.reasons), res.reasons


def test_solver_keeps_d1_e1() -> None:
    """D1-E1 (generally): with one woman having township work, she is secretary and nothing breaks."""
    pool = [c.model_copy(update={"township_years": 0}) for c in team()]
    pool[0] = pool[0].model_copy(update={"township_years": 1})
    rep = best(res := solved(scenario([township("t1")], pool, "xx-2011")))
    assert rep["D1-E1@t1/secretary"].holds
    assert res.slates[0].score.violations == 0


def test_solver_d1_e1_one_violation() -> None:
    """D1-E1 (generally): with no one having township work the slate reports exactly one violation."""
    pool = [c.model_copy(update={"township_years": 0}) for c in team()]
    res = solved(scenario([township("t1")], pool, "xx-2011"))
    rep = best(res)
    broken = [k for k, r in rep.items() if not r.holds]
    assert broken == ["D1-E1@t1/secretary"]
    score = res.slates[0].score
    assert score.violations == 1 and score.objective == score.points - score.big_m


def test_solver_d3_c1_penalty() -> None:
    """D3-C1 (prefer, weight 3): two young cadres are seated when available; with one, it costs 3."""
    rep = best(solved(scenario([township("t1")], team(), "xx-2011")))
    assert (rep["D3-C1@t1"].holds, rep["D3-C1@t1"].penalty) == (True, 0)
    pool = [c for c in team() if c.id != "y2"]
    res = solved(scenario([township("t1")], pool, "xx-2011"))
    rep = best(res)
    assert (rep["D3-C1@t1"].holds, rep["D3-C1@t1"].penalty) == (False, 3)
    assert res.slates[0].score.by_term()["D3-C1"] == -3


def test_every_rule_in_force_has_a_test() -> None:
    """The rules in force in the presets are exactly those this file tests."""
    tested = {
        "D1-S1", "D1-S2", "D1-S3", "D1-S4", "D1-S6", "D1-S7", "D3-S1", "D5-S1",
        "D1-E1", "D1-E2", "D3-E1", "D1-E4", "D1-E5", "D1-E6", "D5-E1", "D3-E2",
        "D1-C1", "D1-C2", "D3-C1", "D5-C1", "D1-K1", "D5-K1", "D1-R1", "D1-R2",
    }
    assert set().union(*RULES_IN_FORCE.values()) == tested
