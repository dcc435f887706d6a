"""Every rule in force in a preset, broken once and kept once, judged by the referee;
a few rules of each strength also on the solver's side.

The default county has three townships t1, t2, t3 whose default teams (`team`) keep every
rule of every preset when seated in seat order (county-wide rules such as D1-K2 need more
than one secretary). Each test swaps in only the cadre that matters, usually a copy of the
default cadre it replaces with one field changed (`like`, `changed`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from model.enums import Post, Strength
from model.people import Cadre
from model.referee import Verdict, referee
from model.ruleset import Seat, load_preset, preset_ids
from model.scenario import Scenario
from model.slate import Assignment, RuleInstance
from service.render.infeasible import reason_lines
from service.render.rules import instance_text
from service.render.words import Names, say
from solver import solve
from tests.factory import cadre, scenario, township

PRESETS = preset_ids()
LOADED = {p: load_preset(p) for p in PRESETS}
"""Each preset parsed once and handed to scenarios as `ruleset_definition` (the same rules as naming
the preset, which `test_named_preset_judges_alike` checks): YAML parsing would dominate the run."""
RULES_IN_FORCE = {p: {r.id for r in LOADED[p].rules} for p in PRESETS}
NAMES = ["f1", "f2", "y1", "y2", *(f"m{i}" for i in range(1, 8))]
"""Default team, in seat order; 11 covers the largest team (qiong-2011's large town)."""

HEAD_GRADES = ("excellent", "competent", "competent")
"""Merit 7, D1-E3's bar for a township head; every other default cadre has 6."""
DEFAULT: dict[str, dict[str, Any]] = {
    # secretary and head: two women of full-section rank (D1-C2, D1-K1), each covering two
    # expertise groups of D1-C5 alone, so either may be swapped out.
    "f1": dict(gender="female", age=42, rank="full_section", expertise=("党务", "现代农业")),
    "f2": dict(gender="female", age=40, rank="full_section", grades=HEAD_GRADES,
               expertise=("经济", "社会管理")),
    # one of 28 (D1-C1) and one of 33 (D3-C1, D5-K1); the 28-year-old is a local village official.
    # y1 has a rank, as county-2017's third seat (人大主席) is 正科 and 无 -> 正科 breaks N-2.
    "y1": dict(age=28, rank="deputy_section", origin="college_graduate_village_official", local=True),
    "y2": dict(age=33),
    # men of 38, local (D1-R5): m1 of 45 and m3 of 52 (D3-C1 experienced, D1-K4 senior); m2 a
    # village cadre (D1-C6, D5-C2); m1-m3 carry the rest of D1-C4 and D5-C3's expertise.
    "m1": dict(age=45, expertise=("纪检",), local=True),
    "m2": dict(origin="village_cadre", expertise=("政法",), local=True),
    "m3": dict(age=52, expertise=("群众工作",), local=True),
    **{f"m{i}": dict(local=True) for i in range(4, 8)},
}
"""`local`: works in the team's township now, outside its team (no post, so no continuity)."""
VARIANTS: dict[str, dict[str, dict[str, Any]]] = {
    # D1-K2: a secretary of 35 (t2) and one of 50 (t3), so t1's secretary is free in 35-50;
    # D1-K3: a head of 32 (t2). Their women are y2 (D1-C2), so t1 holds D1-K1 alone.
    # t2's woman is 38, so the 36-50 step of D1-K4 has room in xx's 21 seats.
    "t2": {"f1": dict(gender="male", age=35), "f2": dict(gender="male", age=32),
           "y2": dict(gender="female", age=38)},
    # t3 is 少数民族聚居 in `test_default_team_keeps_every_rule` (D1-C3): m1 and m2 are minorities.
    "t3": {"f1": dict(gender="male", age=50, local=True), "f2": dict(gender="male"),
           "y2": dict(gender="female"), "m1": dict(ethnicity="黎族"), "m2": dict(ethnicity="苗族")},
}
CONCENTRATED = {"minority_concentrated": True}
TOWNS = 3
LARGE = {"residents": 30000, "party_members": 500}
"""A large township (规模较大) under both presets with a `large:` template."""
BASE_POINTS = 6  # merit per seated default cadre: three 称职 grades, no votes


def presets_with(rule_id: str) -> list[str]:
    return [p for p in PRESETS if rule_id in RULES_IN_FORCE[p]]


def prefix(tid: str) -> str:
    return "" if tid == "t1" else f"{tid}."


def member(cid: str, tid: str, kw: dict[str, Any]) -> Cadre:
    kw = dict(kw)
    if kw.pop("local", False):
        kw.setdefault("current_township", tid)
    return cadre(cid, **kw)


def spec_of(name: str, tid: str) -> dict[str, Any]:
    return {**DEFAULT[name], **VARIANTS.get(tid, {}).get(name, {})}


def team(tid: str = "t1") -> list[Cadre]:
    """The default team of township `tid`: with the other default teams, keeps every rule."""
    return [member(prefix(tid) + n, tid, spec_of(n, tid)) for n in NAMES]


def like(name: str, cid: str = "x", tid: str = "t1", **changes: Any) -> Cadre:
    """Default cadre `name` of township `tid`, as cadre `cid` with `changes` (age, gender, ...)."""
    return member(cid, tid, {**spec_of(name, tid), **changes})


def make(preset: str, *extra: Cadre, towns: int = TOWNS, cls: int = 2, **kw: Any) -> Scenario:
    """Townships t1..tN of class `cls`, each with its default team, plus `extra` cadres."""
    tids = [f"t{i}" for i in range(1, towns + 1)]
    ts = [township(t, township_class=cls, **kw.pop(t, {})) for t in tids]
    pool = [c for t in tids for c in team(t)] + list(extra)
    return scenario(ts, pool, preset, ruleset_definition=LOADED[preset], **kw)


def key(tid: str, seat: str) -> str:
    return seat if tid == "t1" else f"{tid}/{seat}"


def on_committee(sc: Scenario, s: Seat) -> tuple[Post, ...]:
    """The optional posts the default slate gives: one committee deputy head in qiong-2011
    (D1-S7; with D1-S1's 7 members), every optional seat in a large xx town (D3-S2's 9)."""
    if sc.ruleset == "qiong-2011" and s.id != "deputy_head#1":
        return ()
    return s.template.optional_posts


def fill(
    sc: Scenario, put: dict[str, str] | None = None, extra: dict[str, tuple[str, ...]] | None = None
) -> list[Assignment]:
    """Every seat: the i-th seat of a township gets the i-th cadre of its default team,
    except seats named in `put` ('seat' in t1, or 'township/seat'); optional posts as
    `on_committee`, except seats named in `extra`."""
    put, extra = put or {}, extra or {}
    out: list[Assignment] = []
    for t in sc.townships:
        for i, s in enumerate(sc.seats_of(t)):
            k = key(t, s.id)
            out.append(Assignment(township=t, seat=s.id, cadre=put.get(k, prefix(t) + NAMES[i]),
                                  extra_posts=extra.get(k, on_committee(sc, s))))
    return out


def assign(sc: Scenario, ids: list[str]) -> list[Assignment]:
    """Cadres in seat order (sc.seats), one per seat."""
    assert len(ids) == len(sc.seats)
    return [Assignment(township=s.township, seat=s.id, cadre=c, extra_posts=on_committee(sc, s))
            for s, c in zip(sc.seats, ids, strict=True)]


def seat_of(sc: Scenario, name: str, tid: str = "t1") -> str:
    """The seat of township `tid` that default cadre `name` takes."""
    return sc.seats_of(tid)[NAMES.index(name)].id


def default_at(sc: Scenario, seat: str, tid: str = "t1") -> str:
    """The default cadre in a seat of township `tid`."""
    return NAMES[[s.id for s in sc.seats_of(tid)].index(seat)]


@dataclass(frozen=True)
class Judged(Verdict):
    """A verdict with the names its sentences are rendered with."""

    names: Names = field(default_factory=Names)


def judge(sc: Scenario, put: dict[str, str] | None = None, extra: dict | None = None) -> Judged:
    v = referee(sc, fill(sc, put, extra))
    assert v.problems == []
    return Judged(problems=v.problems, report=v.report, score=v.score, names=Names.of(sc))


def said(v: Verdict, r: RuleInstance) -> str:
    """The instance's sentence as staff read it (the names of a `Judged` verdict's scenario)."""
    return instance_text(r, v.names if isinstance(v, Judged) else Names())


def reasons_of(res: Any) -> list[str]:
    """An infeasible result's reasons and relaxation as staff read them; rendered without the
    scenario's names (ids in their place), as the tests look for rule ids and numbers only."""
    return reason_lines(res.reasons, res.relaxations, Names())


def changed(
    preset: str, changes: dict[str, dict[str, Any]], *extra: Cadre, **kw: Any
) -> tuple[Scenario, Verdict]:
    """The default county judged with default cadres ('name' of t1, or 'tid/name') replaced
    by copies with these changes."""
    where = [(k.split("/")[0], k.split("/")[1]) if "/" in k else ("t1", k) for k in changes]
    xs = [like(name, f"x{i}", tid, **ch) for i, ((tid, name), ch) in enumerate(zip(where, changes.values(),
                                                                                   strict=True), 1)]
    sc = make(preset, *xs, *extra, **kw)
    put = {key(tid, seat_of(sc, name, tid)): x.id for (tid, name), x in zip(where, xs, strict=True)}
    return sc, judge(sc, put)


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
    text = said(v, r)
    for d in details:
        assert d in text, (d, text)
    s = v.score
    assert s.objective == s.points - s.big_m * s.violations
    if violations is not None:
        assert s.violations == violations, [x.key for x in v.report if not x.holds]
    if r.strength == Strength.must and holds:
        assert v.passes, [x.key for x in v.report if not x.holds]
    if r.strength == Strength.must and not holds:
        assert not v.passes
    return r


def base_points(sc: Scenario) -> int:
    """The default slate's points: merit 6 a seat, 7 for each head (D1-E3)."""
    return BASE_POINTS * len(sc.seats) + len(sc.townships)


def rules_of(v: Verdict, rule: str, tid: str = "t1") -> list[str]:
    return [r.key for r in v.report if r.rule == rule and r.township == tid]


# --- the default teams keep everything; shape rules on each template --------------------------------


# t2 large (its own template where the preset has one; D3-S2) and t3 少数民族聚居 (D1-C3), so every
# rule in force has an instance.
@pytest.mark.parametrize("cls", [1, 2, 3])
@pytest.mark.parametrize("preset", PRESETS)
def test_default_team_keeps_every_rule(preset: str, cls: int) -> None:
    """The default county, t2 large and t3 少数民族聚居, checks every rule and breaks none."""
    sc = make(preset, cls=cls, t2=LARGE, t3=CONCENTRATED)
    large = LOADED[preset].large
    template = large.team if large else LOADED[preset].teams[cls]
    assert len(sc.seats_of("t2")) == sum(t.count for t in template.seats)
    v = judge(sc)
    assert [r.key for r in v.report if not r.holds] == []
    assert v.passes and v.score.violations == 0
    assert v.score.points == base_points(sc)
    assert {r.rule for r in v.report} == RULES_IN_FORCE[preset]


@pytest.mark.parametrize("preset", PRESETS)
def test_default_county_plain(preset: str) -> None:
    """`make`'s county (no large or 少数民族聚居 township) keeps every rule too: the base of the tests."""
    v = judge(sc := make(preset))
    assert [r.key for r in v.report if not r.holds] == []
    assert v.score.points == base_points(sc)


@pytest.mark.parametrize("preset", PRESETS)
def test_named_preset_judges_alike(preset: str) -> None:
    """A scenario naming the preset and one carrying its parsed definition get the same verdict."""
    given = make(preset, cadre("x", age=60, township_years=0))
    named = scenario(list(given.county.townships), list(given.cadres), preset)
    assert named.ruleset_definition is None
    put = {"secretary": "x"}
    assert referee(named, fill(named, put)) == referee(given, fill(given, put))


def applies(preset: str, rule: str) -> str:
    spec = LOADED[preset].rule(rule)
    assert spec is not None
    return spec.params.get("applies", "all")


SHAPE_RULES = [
    (p, r.id, large)
    for p in PRESETS
    for r in LOADED[p].rules
    if r.kind == "team_shape"
    for large in (False, True)
    if applies(p, r.id) in ("all", "large" if large else "normal") and (not large or LOADED[p].large)
]


@pytest.mark.parametrize("cls", [1, 2, 3])
@pytest.mark.parametrize(("preset", "rule", "large"), SHAPE_RULES)
def test_shape_holds_on_template(preset: str, rule: str, large: bool, cls: int) -> None:
    """Each team template, normal and large, keeps each shape rule that applies to it."""
    v = judge(make(preset, towns=1, cls=cls, t1=LARGE if large else {}))
    expect(v, f"{rule}@t1", True, "t1镇:职数与兼任符合")


@pytest.mark.parametrize(
    ("preset", "rule"), [(p, r) for p, r, _ in SHAPE_RULES if applies(p, r) != "all"]
)
def test_shape_applies_to_large_or_normal_towns_only(preset: str, rule: str) -> None:
    """A shape rule for large (or normal) towns only has no instance in the other kind."""
    large = applies(preset, rule) == "normal"  # the kind of town it does not apply to
    v = judge(make(preset, towns=1, t1=LARGE if large else {}))
    assert rules_of(v, rule) == []
    assert v.passes


SHAPE_BREAKS = [
    ("qiong-2011", "D1-S1", {"posts": {"committee_member": [8, 9]}}, 2, "党委委员7名,应为8至9名"),
    ("xx-2011", "D1-S1", {"posts": {"committee_member": [8, 9]}}, 2, "党委委员5名,应为8至9名"),
    ("qiong-2011", "D1-S2", {"together": [["party_secretary", "township_head"]]}, 2, "党委书记未兼任镇长"),
    ("qiong-2011", "D1-S3", {"posts": {"deputy_secretary": [3, 3]}}, 2, "党委副书记2名,应为3名"),
    ("xx-2011", "D1-S3", {"posts": {"deputy_secretary": [3, 3]}}, 2, "党委副书记2名,应为3名"),
    ("qiong-2011", "D1-S4", {"posts": {"organization_member": [2, 2]}}, 2, "组织委员1名,应为2名"),
    ("qiong-2011", "D1-S5", {"posts": {"discipline_deputy": [2, 2]}}, 2, "纪委专职副书记1名,应为2名"),
    ("qiong-2011", "D1-S5", {"together": [["discipline_deputy", "deputy_secretary"]]}, 2,
     "纪委专职副书记未兼任党委副书记"),
    ("qiong-2011", "D1-S6", {"posts": {"congress_vice_chair": [2, 2]}}, 2, "人大专职副主席1名,应为2名"),
    ("qiong-2011", "D1-S7", {"posts": {"deputy_head": [3, 3]}}, 2, "副镇长2名,应为3名"),
    ("xx-2011", "D3-S1", {"seats": 8}, 2, "职数7名,应为8名"),
    ("county-2017", "D5-S1", {"seats": {1: 10, 2: 10, 3: 10}}, 3, "职数9名,应为10名"),
    ("county-2017", "D5-S1", {"apart": [["township_head", "deputy_secretary"]]}, 2,
     "镇长与党委副书记应分设"),
]


@pytest.mark.parametrize(("preset", "rule", "params", "cls", "detail"), SHAPE_BREAKS)
def test_shape_breaks_with_overridden_params(
    preset: str, rule: str, params: dict, cls: int, detail: str
) -> None:
    """Shape params the template cannot meet break the rule; broken D1-S4 is one violation."""
    v = judge(make(preset, towns=1, cls=cls, rules={rule: {"params": params}}))
    expect(v, f"{rule}@t1", False, detail)
    if rule == "D1-S4":
        assert v.score.violations == 1 and v.score.objective == v.score.points - v.score.big_m


def committee(sc: Scenario, n: int, seat: str = "deputy_head", tid: str = "t1") -> dict[str, tuple[str, ...]]:
    """Committee membership for the first `n` seats of kind `seat` in township `tid`, none for the rest."""
    seats = [s.id for s in sc.seats_of(tid) if s.template.id == seat]
    return {key(tid, s): ("committee_member",) if i < n else () for i, s in enumerate(seats)}


@pytest.mark.parametrize(
    ("large", "n", "holds", "detail"),
    [
        (False, 0, False, "副镇长兼党委委员0名,应为1至2名"),
        (False, 1, True, "职数与兼任符合"),
        (True, 2, True, "职数与兼任符合"),
        (True, 3, False, "副镇长兼党委委员3名,应为1至2名"),
    ],
)
def test_d1_s7_committee_deputy_heads(large: bool, n: int, holds: bool, detail: str) -> None:
    """D1-S7 (must): 1-2 deputy heads on the committee by extra_posts; 0, or 3 of 3, breaks."""
    sc = make("qiong-2011", towns=1, t1=LARGE if large else {})
    assert len(committee(sc, 0)) == (3 if large else 2)
    v = judge(sc, extra=committee(sc, n))
    expect(v, "D1-S7@t1", holds, detail)


@pytest.mark.parametrize(
    ("large", "n", "holds", "detail"),
    [
        (False, 1, True, "职数与兼任符合"),
        (False, 2, False, "党委委员8名,应为5至7名"),
        (True, 2, True, "职数与兼任符合"),
        (True, 3, False, "党委委员9名,应为5至8名"),
    ],
)
def test_d1_s1_large_extra(large: bool, n: int, holds: bool, detail: str) -> None:
    """D1-S1 (must, qiong-2011): a large township may have 8 committee members, a normal one 7."""
    sc = make("qiong-2011", towns=1, t1=LARGE if large else {})
    v = judge(sc, extra=committee(sc, n))
    expect(v, "D1-S1@t1", holds, detail)
    assert inst(v, "D1-S7@t1").holds is (n <= 2)


@pytest.mark.parametrize("party_members", [500, 499])
def test_qiong_large_needs_residents_and_party_members(party_members: int) -> None:
    """qiong-2011's large template needs 30,000 residents and 500 party members: 499 is a normal town."""
    sc = make("qiong-2011", towns=1, t1={"residents": 30000, "party_members": party_members})
    assert len(sc.seats_of("t1")) == (11 if party_members == 500 else 10)


@pytest.mark.parametrize(
    ("extra", "holds", "detail"),
    [
        (None, True, "职数与兼任符合"),
        ({"deputy_head#1": (), "deputy_head#2": (), "discipline_deputy": ()}, False, "党委委员6名,应为9名"),
        ({"discipline_deputy": ()}, False, "党委委员8名,应为9名"),
    ],
)
def test_d3_s2_large_xx_town(extra: dict | None, holds: bool, detail: str) -> None:
    """D3-S2 (must): a large xx town has 9 committee members only with its optional posts."""
    sc = make("xx-2011", towns=1, t1={"residents": 30000})
    assert len(sc.seats_of("t1")) == 9
    v = judge(sc, extra=extra)
    expect(v, "D3-S2@t1", holds, detail)


@pytest.mark.parametrize(
    ("preset", "t1", "seat", "posts"),
    [
        ("xx-2011", {}, "deputy_head#1", ("committee_member",)),
        ("qiong-2011", {}, "discipline_deputy", ("committee_member",)),
        ("qiong-2011", {}, "deputy_head#2", ("party_secretary",)),
    ],
)
def test_extra_posts_outside_optional_posts_are_a_structure_problem(
    preset: str, t1: dict, seat: str, posts: tuple[str, ...]
) -> None:
    """A slate giving a seat a post outside its optional posts is a structure problem."""
    sc = make(preset, towns=1, t1=t1)
    v = referee(sc, fill(sc, extra={seat: posts}))
    assert len(v.problems) == 1
    assert say(v.problems[0], Names()).startswith(f"t1/{seat}:该职位不能兼任")
    assert not v.passes


def test_extra_posts_problem_names_the_post_plainly() -> None:
    """The structure problem names the post as staff wrote it, not as a Python enum repr."""
    sc = make("xx-2011", towns=1)
    v = referee(sc, fill(sc, extra={"deputy_head#1": ("committee_member",)}))
    assert "<Post." not in say(v.problems[0], Names()), v.problems
    assert v.problems[0].args["posts"] == ["committee_member"]


# --- E: eligibility, one seat at a time -----------------------------------------------------------


@pytest.mark.parametrize("preset", presets_with("D1-E1"))
@pytest.mark.parametrize(
    ("years", "holds", "detail"), [(0, False, "乡镇工作经历0年,少于1年"), (1, True, "符合")]
)
def test_d1_e1_secretary_township_work(preset: str, years: int, holds: bool, detail: str) -> None:
    """D1-E1 (generally): a secretary without township work is one violation; one year keeps it."""
    _, v = changed(preset, {"f1": dict(township_years=years)})
    expect(v, "D1-E1@t1/secretary", holds, detail, violations=0 if holds else 1)
    assert v.passes


@pytest.mark.parametrize(("years", "holds"), [(0, False), (1, True)])
def test_seated_instance_carries_value_and_limit(years: int, holds: bool) -> None:
    """A seated rule's instance gives the cadre's value and the limit it met, beside its sentence."""
    _, v = changed("xx-2011", {"f1": dict(township_years=years)})
    r = inst(v, "D1-E1@t1/secretary")
    assert (r.holds, r.value, r.limit, r.cadre) == (holds, years, 1, "x1")
    assert (r.have, r.need, r.short) == (None, None, None)


def test_age_cap_instance_gives_the_cap_that_decides() -> None:
    """D3-E2 on a new deputy of 41: value 41 against the cap 40 of the sentence."""
    v = judge(make("xx-2011", capped("male", 41, "none", {})), {DEPUTY: "x"})
    r = expect(v, f"D3-E2@t1/{DEPUTY}", False, "41岁,新提任副科级不得超过40岁")
    assert (r.value, r.limit) == (41, 40)


@pytest.mark.parametrize(("years", "holds", "penalty"), [(0, False, 5), (1, True, 0)])
def test_d1_e2_secretary_leadership(years: int, holds: bool, penalty: int) -> None:
    """D1-E2 (prefer, weight 5): a secretary without township leadership costs 5 points."""
    sc, v = changed("qiong-2011", {"f1": dict(leadership_years=years)})
    expect(v, "D1-E2@t1/secretary", holds, "符合" if holds else "乡镇领导任职经历0年,少于1年",
           penalty=penalty, violations=0)
    assert v.score.points == base_points(sc) - penalty


@pytest.mark.parametrize("seat", ["secretary", "head", "congress_chair"])
@pytest.mark.parametrize(("years", "holds", "penalty"), [(0, False, 5), (1, True, 0)])
def test_d3_e1_principals_leadership(seat: str, years: int, holds: bool, penalty: int) -> None:
    """D3-E1 (prefer, weight 5): secretary, head or congress chair without leadership costs 5."""
    name = default_at(make("xx-2011", towns=1), seat)
    sc, v = changed("xx-2011", {name: dict(leadership_years=years)})
    expect(v, f"D3-E1@t1/{seat}", holds, "符合" if holds else "乡镇领导任职经历0年,少于1年",
           penalty=penalty, violations=0)
    assert v.score.points == base_points(sc) - penalty


@pytest.mark.parametrize("preset", presets_with("D1-E3"))
@pytest.mark.parametrize(
    ("grades", "holds", "penalty", "detail"),
    [(("competent",) * 3, False, 2, "考核推荐积分6,低于7"), (HEAD_GRADES, True, 0, "符合")],
)
def test_d1_e3_head_merit(preset: str, grades: tuple, holds: bool, penalty: int, detail: str) -> None:
    """D1-E3 (prefer, weight 2): a head of 6 merit points (three 称职) costs 2; 7 (one 优秀) keeps it."""
    sc, v = changed(preset, {"f2": dict(grades=grades)})
    r = expect(v, "D1-E3@t1/head", holds, detail, penalty=penalty, violations=0)
    assert r.strength == Strength.prefer
    assert v.score.points == base_points(sc) - (0 if holds else 1) - penalty
    assert rules_of(v, "D1-E3") == ["D1-E3@t1/head"]


@pytest.mark.parametrize("preset", presets_with("D1-E4"))
@pytest.mark.parametrize(("name", "seat"), [("f1", "secretary"), ("f2", "head")])
@pytest.mark.parametrize(("education", "holds", "detail"),
                         [("senior_high", False, "学历高中,低于大专"), ("college", True, "符合")])
def test_d1_e4_principal_education(
    preset: str, name: str, seat: str, education: str, holds: bool, detail: str
) -> None:
    """D1-E4 (generally): a principal with senior-high schooling is one violation; college keeps it."""
    _, v = changed(preset, {name: dict(education=education)})
    expect(v, f"D1-E4@t1/{seat}", holds, detail, violations=0 if holds else 1)


def test_d1_e4_not_on_other_seats() -> None:
    """D1-E4 applies only to principal seats: a senior-high deputy head is not checked."""
    _, v = changed("xx-2011", {"m2": dict(education="senior_high")})
    assert rules_of(v, "D1-E4") == ["D1-E4@t1/secretary", "D1-E4@t1/head"]
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
    _, v = changed(preset, {"f2": dict(ethnicity=ethnicity)}, t1={"ethnic_minority": minority})
    expect(v, "D1-E5@t1/head", holds, detail)
    assert rules_of(v, "D1-E5") == ["D1-E5@t1/head"]


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


DEPUTY, FULL = "armed_forces_head", "congress_chair"  # a deputy-section and a full-section seat, both presets
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


def capped(gender: str, age: int, rank: str, flags: dict) -> Cadre:
    """The cadre an age-cap row seats: local to t1, so D1-R3 (full term) does not apply."""
    return cadre("x", gender=gender, age=age, rank=rank, current_township="t1", **flags)


@pytest.mark.parametrize(("what", "gender", "age", "rank", "seat", "flags", "holds", "detail"), AGE_CAPS)
def test_d3_e2_age_caps(
    what: str, gender: str, age: int, rank: str, seat: str, flags: dict, holds: bool, detail: str
) -> None:
    """D3-E2 (must in xx-2011): each age cap holds at its bound and breaks one year above it."""
    v = judge(make("xx-2011", capped(gender, age, rank, flags)), {seat: "x"})
    expect(v, f"D3-E2@t1/{seat}", holds, detail)


@pytest.mark.parametrize(
    ("what", "gender", "age", "rank", "seat", "flags", "holds", "detail"),
    [row for row in AGE_CAPS if row[4] == DEPUTY],
)
def test_d5_e2_age_caps_generally(
    what: str, gender: str, age: int, rank: str, seat: str, flags: dict, holds: bool, detail: str
) -> None:
    """D5-E2 (generally, county-2017): each deputy-seat age cap of D3-E2, one violation when broken."""
    assert "D3-E2" not in RULES_IN_FORCE["county-2017"]
    v = judge(make("county-2017", capped(gender, age, rank, flags)), {seat: "x"})
    r = expect(v, f"D5-E2@t1/{seat}", holds, detail, violations=0 if holds else 1)
    assert r.strength == Strength.generally
    assert v.passes


# --- C: one team's composition ------------------------------------------------------------------


@pytest.mark.parametrize("preset", presets_with("D1-C1"))
@pytest.mark.parametrize(
    ("age", "holds", "detail"), [(30, True, "30岁以下干部1名"), (31, False, "30岁以下干部0名")]
)
def test_d1_c1_one_under_30(preset: str, age: int, holds: bool, detail: str) -> None:
    """D1-C1 (must): a team needs one member aged 30 or younger; 30 counts, 31 does not."""
    _, v = changed(preset, {"y1": dict(age=age)})
    expect(v, "D1-C1@t1", holds, detail, "要求至少1名")


@pytest.mark.parametrize(("age", "have", "short"), [(30, 1, 0), (31, 0, 1)])
def test_count_instance_carries_have_need_short(age: int, have: int, short: int) -> None:
    """A count rule's instance gives have, need, units short and seats counted, beside its sentence."""
    sc, v = changed("xx-2011", {"y1": dict(age=age)})
    r = inst(v, "D1-C1@t1")
    assert (r.have, r.need, r.short, r.total) == (have, 1, short, len(sc.seats_of("t1")))
    assert r.holds == (short == 0)
    assert (r.value, r.limit) == (None, None)


def test_county_share_instance_carries_its_numbers() -> None:
    """D5-K1 (a fifth of the members 35 or under, county-2017): need is the rounded-up share of total."""
    sc, v = changed("county-2017", {})
    r = inst(v, "D5-K1@county")
    assert r.total == len(sc.seats)
    assert r.need == -(-r.total // 5) and r.short == max(0, r.need - r.have)


@pytest.mark.parametrize("preset", presets_with("D1-C2"))
@pytest.mark.parametrize(("women", "holds", "detail"), [(1, True, "女干部1名"), (0, False, "女干部0名")])
def test_d1_c2_one_woman(preset: str, women: int, holds: bool, detail: str) -> None:
    """D1-C2 (must): a team needs one woman."""
    put = {"head": "b"} if women == 1 else {"secretary": "a", "head": "b"}
    v = judge(make(preset, cadre("a"), cadre("b")), put)
    r = inst(v, "D1-C2@t1")
    assert (r.holds, r.penalty) == (holds, 0)
    assert detail in said(v, r) and "要求至少1名" in said(v, r)
    assert not v.passes  # with t1's head a man no head in the county is a woman: D1-K1 fails


@pytest.mark.parametrize(
    ("gone", "holds", "penalty", "detail"),
    [((), True, 0, "35岁以下干部2名"), (("y2",), False, 3, "35岁以下干部1名"),
     (("y1", "y2"), False, 6, "35岁以下干部0名")],
)
def test_d3_c1_young_cadres(gone: tuple[str, ...], holds: bool, penalty: int, detail: str) -> None:
    """D3-C1 young (prefer, weight 3): each member short of two aged 35 or younger costs 3."""
    sc, v = changed("xx-2011", {g: dict(age=38) for g in gone})
    expect(v, "D3-C1@t1/young", holds, detail, "要求至少2名", penalty=penalty, violations=0)
    assert v.score.points == base_points(sc) - penalty


# With the women 39, m1 at 40 is the second beside m3 (52); at 39 one is short.
@pytest.mark.parametrize(
    ("m1_age", "holds", "penalty", "detail"),
    [(40, True, 0, "40岁以上干部2名"), (39, False, 3, "40岁以上干部1名")],
)
def test_d3_c1_experienced_cadres(m1_age: int, holds: bool, penalty: int, detail: str) -> None:
    """D3-C1 experienced (prefer, weight 3): two members of 40 or over; one short costs 3."""
    ages = {"f1": dict(age=39), "f2": dict(age=39), "m1": dict(age=m1_age)}
    sc, v = changed("xx-2011", ages)
    expect(v, "D3-C1@t1/experienced", holds, detail, "要求至少2名", penalty=penalty, violations=0)
    assert inst(v, "D3-C1@t1/young").holds
    assert v.score.points == base_points(sc) - penalty


@pytest.mark.parametrize("preset", presets_with("D1-C3"))
@pytest.mark.parametrize(("minorities", "holds"), [(2, True), (1, False)])
def test_d1_c3_minority_share(preset: str, minorities: int, holds: bool) -> None:
    """D1-C3 (generally): a 少数民族聚居 team needs a fifth minority members; one is a violation."""
    people = {"m1": dict(ethnicity="黎族"), "m2": dict(ethnicity="苗族")}
    sc, v = changed(preset, dict(list(people.items())[:minorities]), t1={"minority_concentrated": True})
    n = len(sc.seats_of("t1"))
    expect(v, "D1-C3@t1", holds, f"{n}个职位中少数民族干部{minorities}名", "要求不少于1/5(至少2名)",
           violations=0 if holds else 1)
    assert [r.key for r in v.report if r.rule == "D1-C3"] == ["D1-C3@t1"]


@pytest.mark.parametrize("preset", presets_with("D1-C3"))
def test_d1_c3_only_concentrated_townships(preset: str) -> None:
    """D1-C3: a township not marked 少数民族聚居 is not checked, even with no minority member."""
    v = judge(make(preset))
    assert [r for r in v.report if r.rule == "D1-C3"] == []


@pytest.mark.parametrize("preset", presets_with("D1-C4"))
@pytest.mark.parametrize(
    ("changes", "holds", "penalty", "detail"),
    [
        ({"f2": dict(expertise=())}, True, 0, "专长覆盖2类,要求2类"),
        ({"f2": dict(expertise=()), "m3": dict(expertise=())}, False, 3,
         "专长覆盖1类,要求2类(缺:经济社会群众)"),
    ],
)
def test_d1_c4_expertise_mix(preset: str, changes: dict, holds: bool, penalty: int, detail: str) -> None:
    """D1-C4 (prefer, weight 3): both expertise groups in the team; one missing costs 3."""
    sc, v = changed(preset, changes)
    expect(v, "D1-C4@t1", holds, detail, penalty=penalty, violations=0)
    assert v.score.points == base_points(sc) - penalty


@pytest.mark.parametrize("preset", presets_with("D1-C5"))
@pytest.mark.parametrize(
    ("secretary", "head", "holds", "penalty", "detail"),
    [
        (("党务",), ("经济",), True, 0, "党政正职专长覆盖2类,要求2类"),
        (("党务",), ("纪检",), False, 2, "党政正职专长覆盖1类,要求2类(缺:经济、社会群众、农村专业)"),
        ((), (), False, 4, "党政正职专长覆盖0类,要求2类"),
    ],
)
def test_d1_c5_principals_complement(
    preset: str, secretary: tuple, head: tuple, holds: bool, penalty: int, detail: str
) -> None:
    """D1-C5 (prefer, weight 2): secretary and head cover two groups; 2 a group short."""
    sc, v = changed(preset, {"f1": dict(expertise=secretary), "f2": dict(expertise=head)})
    expect(v, "D1-C5@t1", holds, detail, penalty=penalty, violations=0)
    assert inst(v, "D1-C4@t1").holds
    assert v.score.points == base_points(sc) - penalty


@pytest.mark.parametrize("preset", presets_with("D1-C6"))
@pytest.mark.parametrize(("years", "holds", "penalty", "count"), [(2, True, 0, 1), (1, False, 2, 0)])
def test_d1_c6_front_line(preset: str, years: int, holds: bool, penalty: int, count: int) -> None:
    """D1-C6 (prefer, weight 2): one front-line member with 2 years of township work."""
    changes = {"y1": dict(origin="township_civil_servant"), "m2": dict(township_years=years)}
    sc, v = changed(preset, changes)
    expect(v, "D1-C6@t1", holds, "具有2年以上乡镇工作经历、村干部或大学生村官或乡镇事业编制人员出身",
           f"干部{count}名,要求至少1名", penalty=penalty, violations=0)
    assert v.score.points == base_points(sc) - penalty


@pytest.mark.parametrize(("experienced", "holds"), [(6, True), (5, False)])
def test_d5_c1_two_thirds_township_work(experienced: int, holds: bool) -> None:
    """D5-C1 (must, county-2017): 6 of a 9-seat team need 2 years of township work; 5 is short."""
    new = [cadre(f"n{i}", township_years=1) for i in range(9 - experienced)]
    sc = make("county-2017", *new, towns=1, cls=3)
    ids = ["f1", "f2", "y1", "y2", "m1", "m2", "m3", "m4", "m5"]
    ids[9 - len(new):] = [c.id for c in new]
    v = referee(sc, assign(sc, ids))
    assert v.problems == []
    expect(v, "D5-C1@t1", holds, f"具有2年以上乡镇工作经历干部{experienced}名", "要求不少于2/3(至少6名)")


def test_d5_c1_needs_seven_of_ten() -> None:
    """D5-C1: a 10-seat team (class 2) needs ceil(2/3 x 10) = 7."""
    new = [cadre(f"n{i}", township_years=0) for i in range(4)]
    sc = make("county-2017", *new, towns=1, cls=2)
    ids = ["f1", "f2", "y1", "y2", "m1", "m2", *(c.id for c in new)]
    expect(referee(sc, assign(sc, ids)), "D5-C1@t1", False, "干部6名", "至少7名")


@pytest.mark.parametrize(("origin", "holds"), [("township_institution", True), ("county_organ", False)])
def test_d5_c2_front_line_member(origin: str, holds: bool) -> None:
    """D5-C2 (generally, county-2017): one member from the front-line origins, else a violation."""
    changes = {"y1": dict(origin="township_civil_servant"), "m2": dict(origin=origin)}
    _, v = changed("county-2017", changes)
    r = expect(v, "D5-C2@t1", holds, f"出身干部{int(holds)}名,要求至少1名", violations=0 if holds else 1)
    assert r.strength == Strength.generally


@pytest.mark.parametrize(
    ("changes", "holds", "penalty", "detail"),
    [
        ({"m2": dict(expertise=())}, True, 0, "专长覆盖4类,要求4类(缺:法治)"),
        ({"m2": dict(expertise=()), "f1": dict(expertise=("党务",))}, False, 2,
         "专长覆盖3类,要求4类(缺:法治、农村专业)"),
    ],
)
def test_d5_c3_expertise_groups(changes: dict, holds: bool, penalty: int, detail: str) -> None:
    """D5-C3 (prefer, weight 2, county-2017): four of five expertise groups; 2 a group short."""
    sc, v = changed("county-2017", changes)
    expect(v, "D5-C3@t1", holds, detail, penalty=penalty, violations=0)
    assert v.score.points == base_points(sc) - penalty


# --- K: county-wide -----------------------------------------------------------------------------


@pytest.mark.parametrize("preset", presets_with("D1-K1"))
@pytest.mark.parametrize(("post", "name"), [("party_secretary", "f1"), ("township_head", "f2")])
@pytest.mark.parametrize(("women", "holds"), [(1, True), (0, False)])
def test_d1_k1_woman_secretary_and_head(preset: str, post: str, name: str, women: int, holds: bool) -> None:
    """D1-K1 (must): one woman secretary and one woman head in three townships are enough."""
    _, v = changed(preset, {} if women else {name: dict(gender="male")})
    label = {"party_secretary": "党委书记", "township_head": "乡镇长"}[post]
    expect(v, f"D1-K1@{post}", holds, f"全县{label}3个职位中女干部{women}名", "要求至少1名")


K2_CASES = [
    # (part, changes, holds, detail)
    ("young", {}, True, "35岁以下干部1名,要求至少1名"),
    ("young", {"t2/f1": dict(age=36)}, False, "35岁以下干部0名,要求至少1名"),
    ("experienced", {}, True, "50岁以上干部1名,要求至少1名"),
    ("experienced", {"t3/f1": dict(age=49)}, False, "50岁以上干部0名,要求至少1名"),
    ("main", {"f1": dict(age=34), "t3/f1": dict(age=50)}, True, "35至50岁干部2名,要求不少于3/5(至少2名)"),
    ("main", {"f1": dict(age=34), "t3/f1": dict(age=51)}, False, "35至50岁干部1名,要求不少于3/5(至少2名)"),
]


@pytest.mark.parametrize("preset", presets_with("D1-K2"))
@pytest.mark.parametrize(("part", "changes", "holds", "detail"), K2_CASES)
def test_d1_k2_secretary_ages(preset: str, part: str, changes: dict, holds: bool, detail: str) -> None:
    """D1-K2 (prefer, weight 2): each age part of the secretaries, 2 points a member short."""
    sc, v = changed(preset, changes)
    penalty = 0 if holds else 2
    expect(v, f"D1-K2@county/{part}", holds, "全县党委书记3个职位中", detail, penalty=penalty, violations=0)
    assert sorted(r.key for r in v.report if r.rule == "D1-K2") == [
        "D1-K2@county/experienced", "D1-K2@county/main", "D1-K2@county/young"]
    assert v.score.points == base_points(sc) - penalty


# Only t2's head (32) counts; every y1 (28) sits in a non-principal seat.
@pytest.mark.parametrize("preset", presets_with("D1-K3"))
@pytest.mark.parametrize(("age", "holds"), [(32, True), (33, False)])
def test_d1_k3_young_principals(preset: str, age: int, holds: bool) -> None:
    """D1-K3 (prefer, weight 2): a tenth of principal posts held by cadres of 32 or under."""
    sc, v = changed(preset, {"t2/f2": dict(age=age)})
    expect(v, "D1-K3@county", holds, f"全县党政正职6个职位中32岁以下干部{int(holds)}名",
           "要求不少于1/10(至少1名)", penalty=0 if holds else 2, violations=0)
    assert v.score.points == base_points(sc) - (0 if holds else 2)


K4_CASES = [
    # (preset, part, changes, holds, detail): the parts are the same in every preset.
    *((p, "senior", {"m3": dict(age=50)}, True, "51岁以上干部2名,要求不少于1/20(至少2名)")
      for p in presets_with("D1-K4")),
    *((p, "senior", {"m3": dict(age=50), "t2/m3": dict(age=50)}, False,
       "51岁以上干部1名,要求不少于1/20(至少2名)")
      for p in presets_with("D1-K4")),
    ("qiong-2011", "young", {"y2": dict(age=36), "t2/y2": dict(age=36)}, True,
     "30个职位中35岁以下干部6名,要求不少于1/5(至少6名)"),
    ("qiong-2011", "young", {"y2": dict(age=36), "t2/y2": dict(age=36), "t3/y2": dict(age=36)}, False,
     "30个职位中35岁以下干部5名,要求不少于1/5(至少6名)"),
    ("xx-2011", "middle", {"m1": dict(age=35), "m2": dict(age=35)}, True,
     "21个职位中36至50岁干部9名,要求不少于2/5(至少9名)"),
    ("xx-2011", "middle", {"m1": dict(age=35), "m2": dict(age=35), "t3/m2": dict(age=35)}, False,
     "21个职位中36至50岁干部8名,要求不少于2/5(至少9名)"),
]


@pytest.mark.parametrize(("preset", "part", "changes", "holds", "detail"), K4_CASES)
def test_d1_k4_age_ladder(preset: str, part: str, changes: dict, holds: bool, detail: str) -> None:
    """D1-K4 (prefer, weight 1): each step of the county's age ladder, 1 point a member short."""
    sc, v = changed(preset, changes)
    expect(v, f"D1-K4@county/{part}", holds, detail, penalty=0 if holds else 1, violations=0)
    assert v.score.points == base_points(sc) - (0 if holds else 1)


@pytest.mark.parametrize(("young", "holds"), [(2, True), (1, False)])
def test_d5_k1_fifth_young(young: int, holds: bool) -> None:
    """D5-K1 (generally, county-2017): 2 of 9 members aged 35 or younger; 1 is one violation."""
    _, v = changed("county-2017", {} if young == 2 else {"y2": dict(age=38)}, towns=1, cls=3)
    r = expect(v, "D5-K1@county", holds, f"全县乡镇领导班子成员9个职位中35岁以下干部{young}名",
               "要求不少于1/5(至少2名)", violations=0 if holds else 1)
    assert r.strength == Strength.generally


def sitting_woman(cid: str, **kw: Any) -> Cadre:
    """A woman of the outgoing team of t2 (a deputy head since 2022), not seated by `fill`."""
    return cadre(cid, gender="female", current_township="t2", current_post="deputy_head",
                 post_since=date(2022, 9, 1), **kw)


D5_K2_CASES = [
    # (sitting women outside the new teams, f1 reseated as a sitting member, others, holds, detail)
    (3, False, [], True, "女干部4名,上届3名,要求多于上届(至少4名)"),
    (4, False, [], False, "女干部4名,上届4名,要求多于上届(至少5名)"),
    (2, True, [], True, "女干部4名,上届3名,要求多于上届(至少4名)"),
    (3, True, [], False, "女干部4名,上届4名,要求多于上届(至少5名)"),
    # not sitting: a woman working in t1 without a post, one with a post outside any township, a man
    (3, False, [cadre("o1", gender="female", current_township="t1"),
                cadre("o2", gender="female", current_post="deputy_head", post_since=date(2022, 9, 1)),
                sitting("o3")], True, "上届3名"),
]


# 4 women seated (t1's two, t2's and t3's y2). Sitting women have a current post and township;
# cadres without both, and men, do not count.
@pytest.mark.parametrize(("outside", "reseated", "others", "holds", "detail"), D5_K2_CASES)
def test_d5_k2_more_women_than_sitting(
    outside: int, reseated: bool, others: list[Cadre], holds: bool, detail: str
) -> None:
    """D5-K2 (generally, county-2017): more women than sat before, reseated or not."""
    women = [sitting_woman(f"w{i}") for i in range(outside)]
    reseat = dict(current_township="t1", current_post="party_secretary", post_since=date(2022, 9, 1))
    changes = {"f1": reseat} if reseated else {}
    _, v = changed("county-2017", changes, *women, *others)
    r = expect(v, "D5-K2@county", holds, "全县乡镇领导班子成员30个职位中", detail,
               violations=0 if holds else 1)
    assert r.strength == Strength.generally


def test_big_m_exceeds_a_prefer_more_than_sitting_penalty() -> None:
    """A prefer D5-K2 penalty stays below big_m, as Score promises."""
    women = [sitting_woman(f"w{i}") for i in range(12)]
    rules = {"D5-K2": {"strength": "prefer", "weight": 1000}}
    sc = make("county-2017", *[w.model_copy(update={"current_township": "t1"}) for w in women],
              towns=1, cls=3, rules=rules)
    v = judge(sc)
    assert inst(v, "D5-K2@county").penalty == 1000 * (13 - 2)
    assert inst(v, "D5-K2@county").penalty < v.score.big_m


# --- R: rotation --------------------------------------------------------------------------------


def secretary_since(since: date, town: str = "t1") -> Cadre:
    return like("f1", age=45, current_township=town, current_post="party_secretary", post_since=since)


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
    v = judge(make(preset, secretary_since(since, town)), {"secretary": "x"})
    expect(v, "D1-R1@t1/secretary", holds, detail)


@pytest.mark.parametrize("preset", presets_with("D1-R2"))
@pytest.mark.parametrize(
    ("since", "holds", "penalty", "detail"),
    [(date(2021, 9, 1), False, 4, "已任职5年,满5年应交流"), (date(2021, 9, 2), True, 0, "符合")],
)
def test_d1_r2_five_years_planned_move(
    preset: str, since: date, holds: bool, penalty: int, detail: str
) -> None:
    """D1-R2 (prefer, weight 4): five years as deputy head, kept there, costs 4; four nothing."""
    name = default_at(make(preset, towns=1), "deputy_head#1")
    sc, v = changed(preset, {name: dict(current_township="t1", current_post="deputy_head", post_since=since)})
    expect(v, "D1-R2@t1/deputy_head#1", holds, detail, penalty=penalty, violations=0)
    continuity = sc.weights_in_force.continuity
    assert v.score.points == base_points(sc) + continuity - penalty
    assert inst(v, "D1-R1@t1/deputy_head#1").holds


def test_d1_r1_other_post_same_township() -> None:
    """D1-R1: ten years as secretary does not bar the same township's head seat (N-7, off here, does)."""
    x = like("f2", age=45, current_township="t1", current_post="party_secretary", post_since=date(2006, 9, 1))
    sc = make("xx-2011", x, rules={"N-7": {"off": True}})
    expect(judge(sc, {"head": "x"}), "D1-R1@t1/head", True, "符合")


R3_CASES = [
    # (gender, age, from, kept, holds, detail): from None is a county organ, "t2" another township.
    ("male", 48, None, False, True, "符合"),
    ("male", 49, None, False, False, "交流任职,届满时54岁,超过53岁,不能干满一届"),
    ("male", 49, "t2", False, False, "届满时54岁,超过53岁"),
    ("male", 49, "t1", False, True, "符合"),
    ("male", 51, None, True, True, "符合"),
    ("male", 52, None, True, False, "届满时57岁,超过56岁"),
    ("female", 43, None, False, True, "符合"),
    ("female", 44, "t2", False, False, "届满时49岁,超过48岁"),
    ("female", 46, None, True, True, "符合"),
    ("female", 47, None, True, False, "届满时52岁,超过51岁"),
]


@pytest.mark.parametrize("preset", presets_with("D1-R3"))
@pytest.mark.parametrize(("gender", "age", "origin", "kept", "holds", "detail"), R3_CASES)
def test_d1_r3_full_term(
    preset: str, gender: str, age: int, origin: str | None, kept: bool, holds: bool, detail: str
) -> None:
    """D1-R3 (generally): a cadre moved in can serve a full term before the age limit."""
    sc, v = changed(preset, {"m1": dict(gender=gender, age=age, current_township=origin, kept_for_work=kept)})
    expect(v, f"D1-R3@t1/{seat_of(sc, 'm1')}", holds, detail, violations=0 if holds else 1)


@pytest.mark.parametrize("preset", presets_with("D1-R4"))
@pytest.mark.parametrize(
    ("town", "since", "holds", "detail"),
    [
        ("t1", date(2021, 9, 1), False, "在本乡镇副镇长职位已任职5年,满5年应交流"),
        ("t1", date(2021, 9, 2), True, "符合"),
        ("t2", date(2011, 9, 1), True, "符合"),
    ],
)
def test_d1_r4_principal_rotation(preset: str, town: str, since: date, holds: bool, detail: str) -> None:
    """D1-R4 (prefer, weight 2): a principal seat for a 5-year member of that team costs 2."""
    sc, v = changed(preset, {"f2": dict(current_township=town, current_post="deputy_head", post_since=since)})
    penalty = 0 if holds else 2
    expect(v, "D1-R4@t1/head", holds, detail, penalty=penalty, violations=0)
    assert inst(v, "D1-R2@t1/head").holds  # not the same post
    # a deputy head made head is neither 连任 nor a usual step (乡镇长 -> 书记, 副书记 -> 乡镇长)
    assert v.score.points == base_points(sc) - penalty


@pytest.mark.parametrize("preset", presets_with("D1-R4"))
@pytest.mark.parametrize(("name", "kind", "other"), [("东山乡", "乡", "镇"), ("龙山苗族乡", "乡", "镇"),
                                                     ("东山镇", "镇", "乡")])
def test_rule_sentences_title_seat_and_post_from_the_township(preset: str, name: str, kind: str,
                                                              other: str) -> None:
    """D1-R4's sentence says 乡长 / 副乡长 in a 乡 (a 民族乡 too) and 镇长 / 副镇长 in a 镇, never 乡镇长."""
    _, v = changed(preset, {"f2": dict(current_township="t1", current_post="deputy_head",
                                       post_since=date(2021, 9, 1))}, t1={"name": name})
    text = said(v, inst(v, "D1-R4@t1/head"))
    assert f"{kind}长:在本乡镇副{kind}长职位已任职5年" in text, text
    assert "乡镇长" not in text and f"{other}长" not in text, text


@pytest.mark.parametrize("preset", presets_with("D1-R4"))
def test_d1_r4_principal_seats_only(preset: str) -> None:
    """D1-R4 checks principal seats only, adding to D1-R2 where both apply."""
    since = date(2021, 9, 1)
    deputy = default_at(make(preset, towns=1), "deputy_head#1")
    changes = {deputy: dict(current_township="t1", current_post="deputy_head", post_since=since),
               "f2": dict(current_township="t1", current_post="township_head", post_since=since)}
    sc, v = changed(preset, changes)
    assert rules_of(v, "D1-R4") == ["D1-R4@t1/secretary", "D1-R4@t1/head"]
    assert inst(v, "D1-R2@t1/deputy_head#1").penalty == 4
    assert (inst(v, "D1-R2@t1/head").penalty, inst(v, "D1-R4@t1/head").penalty) == (4, 2)
    assert v.score.points == base_points(sc) + 2 * sc.weights_in_force.continuity - 10


def locals_of(sc: Scenario) -> list[str]:
    """t1's seated default cadres who are local, m3 last."""
    seated = NAMES[: len(sc.seats_of("t1"))]
    names = [n for n in seated if DEFAULT[n].get("local")]
    return sorted(names, key=lambda n: n == "m3")


@pytest.mark.parametrize("preset", presets_with("D1-R5"))
@pytest.mark.parametrize(("short", "holds"), [(0, True), (1, False)])
def test_d1_r5_local_share(preset: str, short: int, holds: bool) -> None:
    """D1-R5 local (prefer, weight 1): a third of the team works in the township now."""
    sc = make(preset)
    n = len(sc.seats_of("t1"))
    need = -(-n // 3)
    local = locals_of(sc)
    moved = local[: len(local) - need + short]
    sc, v = changed(preset, {m: dict(current_township="t2") for m in moved})
    expect(v, "D1-R5@t1/local", holds, f"{n}个职位中本地干部{need - short}名", f"要求不少于1/3(至少{need}名)",
           penalty=short, violations=0)
    assert inst(v, "D1-R5@t1/incoming").holds
    assert v.score.points == base_points(sc) - short


@pytest.mark.parametrize("preset", presets_with("D1-R5"))
@pytest.mark.parametrize(("incoming", "holds"), [(1, True), (0, False)])
def test_d1_r5_incoming(preset: str, incoming: int, holds: bool) -> None:
    """D1-R5 incoming (prefer, weight 1): at least one member from outside the township."""
    stay = ["f1", "f2", "y2"][: 3 - incoming]
    sc, v = changed(preset, {m: dict(current_township="t1") for m in stay})
    expect(v, "D1-R5@t1/incoming", holds, f"交流干部{incoming}名,要求至少1名", penalty=0 if holds else 1,
           violations=0)
    assert v.score.points == base_points(sc) - (0 if holds else 1)


# --- N: national rules --------------------------------------------------------------------------


def lifting(cid: str, kind: str, why: str = "经县委常委会研究决定") -> dict[str, Any]:
    """A scenario's `exceptions` entry for one cadre."""
    return {"exceptions": {cid: {"kind": kind, "reason": why}}}


@pytest.mark.parametrize("preset", presets_with("N-1"))
@pytest.mark.parametrize(
    ("rank", "kw", "holds", "detail"),
    [
        ("full_section", {}, False, "职级正科,任副科职务为降任,须有组织决定"),
        ("deputy_section", {}, True, "符合"),
        ("full_section", lifting("x1", "降职", "考核不称职,降职使用"), True,
         "为降任,须有组织决定;经组织决定降任(考核不称职,降职使用)"),
    ],
)
def test_n1_no_demotion(preset: str, rank: str, kw: dict, holds: bool, detail: str) -> None:
    """N-1 (must): a 正科 cadre in a 副科 seat is 降任 and breaks, unless the scenario records it."""
    sc, v = changed(preset, {"m1": dict(rank=rank)}, **kw)
    r = expect(v, f"N-1@t1/{seat_of(sc, 'm1')}", holds, detail)
    assert (r.reason.code == "exception") is bool(kw)


@pytest.mark.parametrize("preset", presets_with("N-2"))
@pytest.mark.parametrize(
    ("rank", "kw", "holds", "detail"),
    [
        ("none", {}, False, "职级无,直接任正科职务为越级提拔,须有组织决定"),
        ("deputy_section", {}, True, "符合"),
        ("none", lifting("x1", "越级"), True, "须有组织决定;经组织决定越级提拔(经县委常委会研究决定)"),
    ],
)
def test_n2_one_step_promotion(preset: str, rank: str, kw: dict, holds: bool, detail: str) -> None:
    """N-2 (must): 无 -> 正科 (the head's seat) is 越级 and breaks, unless the scenario records it."""
    _, v = changed(preset, {"f2": dict(rank=rank)}, **kw)
    expect(v, "N-2@t1/head", holds, detail)


RANK_YEARS = [
    # (rank_since, exception, N-3 holds, N-3-floor holds, N-3 detail)
    (date(2024, 9, 1), None, True, True, "符合"),
    (date(2024, 9, 2), None, False, True, "任副科1年,提任正科须满2年"),
    (date(2024, 9, 2), "破格", True, True, "须满2年;经组织决定破格提拔(经县委常委会研究决定)"),
    (date(2025, 9, 2), None, False, False, "任副科0年,提任正科须满2年"),
    (date(2025, 9, 2), "破格", True, False, "经组织决定破格提拔"),
    (None, None, True, True, "未填任职级时间,未检查"),
]


@pytest.mark.parametrize("preset", presets_with("N-3"))
@pytest.mark.parametrize(("since", "ex", "holds", "floor", "detail"), RANK_YEARS)
def test_n3_years_at_deputy_rank(
    preset: str, since: date | None, ex: str | None, holds: bool, floor: bool, detail: str
) -> None:
    """N-3 (generally): 副科 -> 正科 under 2 years is one violation, lifted by a 破格 decision; under
    1 year breaks N-3-floor (must), which no decision lifts; no rank date checks nothing."""
    kw = lifting("x1", ex) if ex else {}
    _, v = changed(preset, {"f2": dict(rank="deputy_section", rank_since=since)}, **kw)
    expect(v, "N-3@t1/head", holds, detail, violations=0 if holds else 1)
    expect(v, "N-3-floor@t1/head", floor,
           detail if since is None else "符合" if floor else "任副科0年,提任正科须满1年")


def test_n3_not_on_a_promotion_from_no_rank() -> None:
    """N-3 counts years at a rank held: 无 -> 副科 needs none."""
    _, v = changed("xx-2011", {"m1": dict(rank="none", rank_since=None)})
    r = expect(v, "N-3@t1/armed_forces_head", True, "符合")
    assert r.value is None


RECENT = date(2025, 9, 1)
"""A principal post taken one year before the reshuffle (N-4)."""


def recent_head(since: date = RECENT) -> dict[str, dict[str, Any]]:
    """t2's default head, recast as t1's head since `since`; the slate seats them in t2."""
    return {"t2/f2": dict(current_township="t1", current_post="township_head", post_since=since)}


@pytest.mark.parametrize("preset", presets_with("N-4"))
@pytest.mark.parametrize(
    ("kw", "holds", "detail"),
    [
        ({}, False, "干部x1任t1镇镇长1年,任职不满2年即调整,未保持稳定"),
        (lifting("x1", "因工作需要", "脱贫攻坚需要"), True, "经组织决定因工作需要(脱贫攻坚需要)"),
        ({"bans": [{"cadre": "x1", "township": "t1"}]}, True, "因情景排除不能连任"),
    ],
)
def test_n4_recent_principal_moved(preset: str, kw: dict, holds: bool, detail: str) -> None:
    """N-4 (prefer, weight 4): t1's head of one year seated as t2's head costs 4, unless the scenario's
    decision or a rule (here a ban) moves them."""
    sc, v = changed(preset, recent_head(), **kw)
    expect(v, "N-4@t1/x1", holds, detail, penalty=0 if holds else 4, violations=0)
    assert v.score.points == base_points(sc) - (0 if holds else 4)


@pytest.mark.parametrize("preset", presets_with("N-4"))
def test_n4_recent_principal_kept(preset: str) -> None:
    """N-4: the head of one year kept as head of the same township holds; two years is no longer recent."""
    head = dict(current_township="t1", current_post="township_head", post_since=RECENT)
    _, v = changed(preset, {"f2": head})
    expect(v, "N-4@t1/x1", True, "干部x1任t1镇镇长1年,连任")
    _, v = changed(preset, recent_head(date(2024, 9, 1)))
    assert rules_of(v, "N-4") == []
    expect(v, "N-4@county", True, "无任职不满2年的党政正职")


@pytest.mark.parametrize("preset", presets_with("N-5"))
@pytest.mark.parametrize(
    ("hometown", "holds", "detail"),
    [
        ("t1", False, "成长地为t1镇,党委书记、镇长实行地域回避"),
        ("t1镇", False, "成长地为t1镇"),
        ("t2", True, "符合"),
        (None, True, "未填成长地,未检查"),
    ],
)
def test_n5_secretary_not_in_hometown(preset: str, hometown: str | None, holds: bool, detail: str) -> None:
    """N-5 (must): the secretary does not serve where they grew up (成长地 by id or name); none given
    checks nothing."""
    _, v = changed(preset, {"f1": dict(hometown=hometown)})
    expect(v, "N-5@t1/secretary", holds, detail)


@pytest.mark.parametrize("preset", presets_with("N-5"))
def test_n5_only_principal_posts(preset: str) -> None:
    """N-5 looks at the secretary's and the head's seats only."""
    _, v = changed(preset, {"m1": dict(hometown="t1")})
    assert {r.seat for r in v.report if r.rule == "N-5" and r.township == "t1"} == {"secretary", "head"}


@pytest.mark.parametrize("preset", presets_with("N-6"))
@pytest.mark.parametrize(
    ("relative", "key", "holds", "detail"),
    [
        ("m2:夫妻", "N-6@t1", False, "t1镇:干部x1与干部m2(夫妻)同在班子"),
        ("t2.m2:近姻亲", "N-6@t1", True, "t1镇:班子成员间无亲属关系"),
        (None, "N-6@county", True, "未填亲属关系,未检查"),
    ],
)
def test_n6_relatives_apart(preset: str, relative: str | None, key: str, holds: bool, detail: str) -> None:
    """N-6 (must): spouses on one team break; relatives on two teams hold; no relation in the pool says
    so once and checks nothing."""
    _, v = changed(preset, {"m1": dict(relatives=(relative,) if relative else ())})
    expect(v, key, holds, detail)
    assert len(rules_of(v, "N-6", None if relative is None else "t1")) == 1


def test_n6_prefer_costs_per_pair() -> None:
    """N-6 made prefer (weight 5): two related pairs on one team cost 10."""
    rules = {"N-6": {"strength": "prefer", "weight": 5}}
    _, v = changed("xx-2011", {"m1": dict(relatives=("m2:夫妻", "m3:直系血亲"))}, rules=rules)
    expect(v, "N-6@t1", False, "干部x1与干部m3(直系血亲)", penalty=10)


@pytest.mark.parametrize("preset", presets_with("N-7"))
@pytest.mark.parametrize(
    ("since", "town", "kw", "holds", "detail"),
    [
        (date(2016, 9, 1), "t1", {}, False, "在本乡镇党委书记职位已任职10年,满10年应交流出本乡镇班子"),
        (date(2016, 9, 2), "t1", {}, True, "符合"),
        (date(2016, 9, 1), "t2", {}, True, "符合"),
        (date(2016, 9, 1), "t1", lifting("x", "因工作需要"), True, "经组织决定因工作需要"),
    ],
)
def test_n7_ten_years_leave_the_team(
    preset: str, since: date, town: str, kw: dict, holds: bool, detail: str
) -> None:
    """N-7 (must): a secretary of ten years leaves the township's team: the head's seat there breaks
    though D1-R1 (another post) holds; 因工作需要 lifts N-7, never D1-R1."""
    x = like("f2", age=45, current_township=town, current_post="party_secretary", post_since=since)
    v = judge(make(preset, x, **kw), {"head": "x"})
    expect(v, "N-7@t1/head", holds, detail)
    assert inst(v, "D1-R1@t1/head").holds


@pytest.mark.parametrize("preset", presets_with("N-8"))
@pytest.mark.parametrize(
    ("work", "party", "kw", "holds", "detail"),
    [
        (date(2023, 9, 1), date(2020, 1, 1), {}, True, "符合"),
        (date(2023, 9, 2), date(2020, 1, 1), {}, False, "工龄2年,少于3年"),
        (date(2020, 1, 1), date(2025, 9, 2), {}, False, "党龄0年,少于1年"),
        (date(2023, 9, 2), date(2020, 1, 1), lifting("x1", "破格"), True, "少于3年;经组织决定破格提拔"),
        (None, None, {}, True, "未填参加工作时间、入党时间,未检查"),
    ],
)
def test_n8_years_of_work_and_party(
    preset: str, work: date | None, party: date | None, kw: dict, holds: bool, detail: str
) -> None:
    """N-8 (generally): 3 years of work for any seat and a year of party membership for a party seat (the
    secretary's); short is one violation, lifted by 破格; missing dates check nothing."""
    _, v = changed(preset, {"f1": dict(work_since=work, party_since=party)}, **kw)
    expect(v, "N-8@t1/secretary", holds, detail, violations=0 if holds else 1)


def test_n8_party_years_only_on_party_seats() -> None:
    """N-8: a deputy head (no party post in xx-2011's seat) is not asked for party years."""
    _, v = changed("xx-2011", {"m2": dict(work_since=date(2010, 1, 1), party_since=date(2026, 1, 1))})
    expect(v, "N-8@t1/deputy_head#1", True, "符合")


def test_d1_r1_reads_every_post_of_the_seat() -> None:
    """D1-R1: a 副镇长 of ten years is not kept as 人武部长、副镇长 there (the seat holds 副乡镇长), nor an
    人武部长、副镇长 as 副镇长; a 副镇长 of ten years may become 党委副书记、纪委书记 (N-7 off here)."""
    since = date(2016, 9, 1)
    off = {"N-7": {"off": True}}
    x = like("m1", current_township="t1", current_post="deputy_head", post_since=since)
    v = judge(make("xx-2011", x, rules=off), {"armed_forces_head": "x"})
    expect(v, "D1-R1@t1/armed_forces_head", False, "在本乡镇副镇长职位已任职10年,满10年应交流")
    y = like("m2", "y", current_township="t1", current_post="armed_forces_head", post_since=since)
    v = judge(make("xx-2011", y, rules=off), {"deputy_head#1": "y"})
    expect(v, "D1-R1@t1/deputy_head#1", False, "在本乡镇人武部长职位已任职10年")
    z = like("y1", "z", current_post="deputy_head", post_since=since)
    v = judge(make("xx-2011", z, rules=off), {"deputy_secretary": "z"})
    expect(v, "D1-R1@t1/deputy_secretary", True, "符合")


def test_d1_r2_reads_every_post_of_the_seat() -> None:
    """D1-R2 (prefer, weight 4): five years as 副镇长, seated as 人武部长、副镇长 there, costs 4."""
    x = like("m1", current_township="t1", current_post="deputy_head", post_since=date(2021, 9, 1))
    v = judge(make("xx-2011", x), {"armed_forces_head": "x"})
    expect(v, "D1-R2@t1/armed_forces_head", False, "副镇长职位已任职5年", penalty=4, violations=0)


# --- pins and bans ------------------------------------------------------------------------------


@pytest.mark.parametrize(("put", "holds"), [({"deputy_head#2": "x"}, True), ({}, False)])
def test_pin(put: dict, holds: bool) -> None:
    """A pin (must) holds when the cadre sits in any seat of that kind in that township."""
    sc = make("xx-2011", cadre("x"), pins=[{"cadre": "x", "township": "t1", "seat": "deputy_head"}])
    v = judge(sc, put)
    r = expect(v, "pin@x", holds, "指定x任t1/deputy_head")
    assert said(v, r).endswith(",未满足") is not holds


@pytest.mark.parametrize(("put", "holds"), [({"deputy_head#2": "x"}, True), ({"deputy_head#1": "x"}, True),
                                             ({"t2/deputy_head#1": "x"}, False), ({}, False)])
def test_township_pin(put: dict, holds: bool) -> None:
    """A township-wide pin (no seat) holds when the cadre sits in any seat of that township's team; in
    another township's team or in none it is the one rule instance the slate breaks."""
    sc = make("xx-2011", cadre("x"), pins=[{"cadre": "x", "township": "t1"}])
    v = judge(sc, put)
    r = expect(v, "pin@x", holds, "指定x进t1班子(任一职务)")
    assert (r.township, r.seat, r.cadre, r.strength) == ("t1", None, "x", Strength.must)
    assert said(v, r).endswith(",未满足") is not holds
    assert [x.key for x in v.report if not x.holds] == ([] if holds else ["pin@x"])
    assert v.passes is holds


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
    assert said(v, r).endswith(",未满足") is not holds


# --- the solver's side --------------------------------------------------------------------------


def solved(sc: Scenario) -> Any:
    return solve(sc, time_limit=10, workers=2)


def best(res: Any) -> dict[str, RuleInstance]:
    assert res.status in ("OPTIMAL", "FEASIBLE"), (res.status, reasons_of(res))
    return {r.key: r for r in res.slates[0].report}


def not_prefer(rep: dict[str, RuleInstance]) -> list[str]:
    """Broken instances of must and generally rules (one-township counties break D1-K2)."""
    return [k for k, r in rep.items() if not r.holds and r.strength != Strength.prefer]


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
    assert any("D1-C1" in r for r in reasons_of(res)), reasons_of(res)


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
    assert any("D1-K1" in r for r in reasons_of(res)), reasons_of(res)


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
    assert any("D1-R1排除1人" in r for r in reasons_of(res)), reasons_of(res)


def test_solver_d1_k1_infeasible_cites_only_the_cause() -> None:
    """One woman for secretary and head: the reasons cite D1-K1, not the unrelated D1-C1."""
    pool = [c for c in team() if c.id != "f2"]
    res = solved(scenario([township("t1")], pool, "xx-2011"))
    assert res.status == "INFEASIBLE"
    assert not any("D1-C1" in r for r in reasons_of(res)), reasons_of(res)


def test_solver_pin_against_d1_r1_cites_d1_r1() -> None:
    """Pinning the ten-year secretary to her own seat is INFEASIBLE, and the reasons cite D1-R1."""
    x = cadre("x", gender="female", age=45, rank="full_section", current_township="t1",
              current_post="party_secretary", post_since=date(2016, 9, 1))
    pins = [{"cadre": "x", "township": "t1", "seat": "secretary"}]
    res = solved(scenario([township("t1")], [*team(), x], "xx-2011", pins=pins))
    assert res.status == "INFEASIBLE"
    assert any("D1-R1" in r for r in reasons_of(res)), reasons_of(res)


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
    assert not_prefer(best(res)) == ["D1-E1@t1/secretary"]
    score = res.slates[0].score
    assert score.violations == 1 and score.objective == score.points - score.big_m


def test_solver_d3_c1_penalty() -> None:
    """D3-C1 (prefer, weight 3): two young cadres are seated when available; with one, it costs 3."""
    rep = best(solved(scenario([township("t1")], team(), "xx-2011")))
    assert (rep["D3-C1@t1/young"].holds, rep["D3-C1@t1/young"].penalty) == (True, 0)
    pool = [c for c in team() if c.id != "y2"]
    res = solved(scenario([township("t1")], pool, "xx-2011"))
    rep = best(res)
    assert (rep["D3-C1@t1/young"].holds, rep["D3-C1@t1/young"].penalty) == (False, 3)
    assert rep["D3-C1@t1/experienced"].holds
    assert res.slates[0].score.by_term()["D3-C1"] == -3


def committee_deputy_heads(res: Any) -> int:
    return sum(1 for a in res.slates[0].assignments
               if a.seat.startswith("deputy_head") and Post.committee_member in a.extra_posts)


def test_solver_d1_s7_one_committee_deputy_head() -> None:
    """D1-S7 with D1-S1: the solver puts one deputy head of a normal township on the committee."""
    res = solved(scenario([township("t1")], team(), "qiong-2011"))
    rep = best(res)
    assert rep["D1-S7@t1"].holds and rep["D1-S1@t1"].holds
    assert committee_deputy_heads(res) == 1
    assert all(a.extra_posts == () for a in res.slates[0].assignments if not a.seat.startswith("deputy_head"))


def test_solver_d1_s7_large_township() -> None:
    """D1-S7 with D1-S1: a large township's slate has one or two committee deputy heads."""
    pool = [*team(), cadre("e1"), cadre("e2")]
    res = solved(scenario([township("t1", **LARGE)], pool, "qiong-2011"))
    rep = best(res)
    assert rep["D1-S7@t1"].holds and rep["D1-S1@t1"].holds
    assert len(res.slates[0].assignments) == 11
    assert committee_deputy_heads(res) in (1, 2)


def test_solver_d3_s2_nine_committee_members() -> None:
    """D3-S2 (must): a large xx town is solved with 9 committee members."""
    sc = scenario([township("t1", residents=30000)], team(), "xx-2011")
    res = solved(sc)
    rep = best(res)
    assert rep["D3-S2@t1"].holds and "D3-S1@t1" not in rep and "D1-S1@t1" not in rep
    seats = {s.id: s for s in sc.seats}
    members = [a for a in res.slates[0].assignments
               if Post.committee_member in (*seats[a.seat].posts, *a.extra_posts)]
    assert len(res.slates[0].assignments) == len(members) == 9


def test_solver_d5_k2_one_violation() -> None:
    """D5-K2 (generally): with no woman beyond the sitting ones, exactly one violation."""
    since = date(2023, 9, 1)
    pool = [c for c in team() if c.id not in ("f1", "f2")]
    pool += [like("f1", "f1", current_township="t1", current_post="party_secretary", post_since=since),
             like("f2", "f2", current_township="t1", current_post="township_head", post_since=since)]
    res = solved(scenario([township("t1", township_class=3)], pool, "county-2017"))
    assert not_prefer(best(res)) == ["D5-K2@county"]
    assert res.slates[0].score.violations == 1
    pool.append(cadre("w", gender="female"))
    res = solved(scenario([township("t1", township_class=3)], pool, "county-2017"))
    assert best(res)["D5-K2@county"].holds and res.slates[0].score.violations == 0
    assert "w" in res.slates[0].by_seat().values()


def test_solver_d1_c4_seats_the_experts() -> None:
    """D1-C4 (prefer): the solver seats the cadres covering the expertise groups."""
    bare = [c.model_copy(update={"expertise": ()}) for c in team()]
    experts = [like("m4", "e1", expertise=("纪检",)), like("m4", "e2", expertise=("群众工作",))]
    res = solved(scenario([township("t1")], [*bare, *experts], "xx-2011"))
    rep = best(res)
    assert (rep["D1-C4@t1"].holds, rep["D1-C4@t1"].penalty) == (True, 0)
    assert {"e1", "e2"} <= set(res.slates[0].by_seat().values())
    rep = best(solved(scenario([township("t1")], bare, "xx-2011")))
    assert (rep["D1-C4@t1"].holds, rep["D1-C4@t1"].penalty) == (False, 6)


TESTED = {
    "D1-S1", "D1-S2", "D1-S3", "D1-S4", "D1-S5", "D1-S6", "D1-S7", "D3-S1", "D3-S2", "D5-S1",
    "D1-E1", "D1-E2", "D1-E3", "D3-E1", "D1-E4", "D1-E5", "D1-E6", "D5-E1", "D3-E2", "D5-E2",
    "D1-C1", "D1-C2", "D1-C3", "D1-C4", "D1-C5", "D1-C6", "D3-C1", "D5-C1", "D5-C2", "D5-C3",
    "D1-K1", "D1-K2", "D1-K3", "D1-K4", "D5-K1", "D5-K2",
    "D1-R1", "D1-R2", "D1-R3", "D1-R4", "D1-R5",
    "N-1", "N-2", "N-3", "N-3-floor", "N-4", "N-5", "N-6", "N-7", "N-8",
}
"""The rule ids this file tests (tests/test_catalog.py checks it against the presets and the catalog)."""


def test_every_rule_in_force_has_a_test() -> None:
    """The rules in force in the presets are exactly those this file tests."""
    assert set().union(*RULES_IN_FORCE.values()) == TESTED
