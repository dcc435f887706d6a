"""A hand-written county of three townships (xx-2011) whose right slate an organization-department
officer would name, with that slate's words written down before any solve (issue 11, "Tests").

桃源乡 (t1) is a 乡, 东山镇 (t2) a 镇 and 青石镇 (t3) a large 镇 (40,000 residents: nine seats under
D3-S2). Each sitting team holds ranks that match its seats, three years in post and good votes, except
for the members the story is about:

- a1, t1's 人武部长, 11 years in the post: D1-R1 / N-7 move him out of t1's team; at 45, with the
  left_out cost, he is worth a seat elsewhere (交流);
- b1, t2's secretary, 53: the exit age of D3-E2 (到龄);
- c9, t3's 纪委专职副书记, 54: the same;
- b5, t2's 人武部长, 40% of the recommendation votes: D1-E6 (测评/推荐未过);
- c1, t3's secretary since October 2025: N-4 keeps a recent principal in the post;
- b2, t2's head (a woman, 正科, strong votes): the natural next secretary (乡镇长 -> 党委书记), which also
  gives the county its woman secretary (D1-K1); b3, t2's 副书记、纪委书记 of six years at 副科, takes the
  head's seat (副书记 -> 乡镇长, 提拔).

The outsiders: three county-organ 副科 reserve cadres of top grades (o1-o3) who fill the three 副科 seats
the story opens beside a1's; distractors of clearly lower merit (a weak 正科 cadre whom N-1 keeps out of
副科 seats, 副科 county-organ cadres, village cadres and young cadres of no rank, whom D1-C1 and D1-C2 do
not need because every team keeps a sitting member of 30 or under and a woman).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from model.people import Cadre
from model.scenario import Scenario
from tests.factory import cadre, scenario, township

TOP = ("excellent", "excellent", "excellent")
GOOD = ("excellent", "competent", "excellent")
FAIR = ("competent", "competent", "competent")
WEAK = ("basically_competent", "competent", "basically_competent")
POSTED = date(2023, 9, 1)  # three years in post: no D1-R2 or D1-R4 cost for keeping it
FULL = date(2018, 6, 1)  # 正科 since 2018
DEPUTY = date(2020, 6, 1)  # 副科 since 2020: six years, enough for 正科 by N-3
YOUNG = date(2025, 3, 1)  # 副科 for a year and a half: N-3 (generally) keeps them from 正科

EXPERTISE = {"party_secretary": ("党务",), "township_head": ("经济",), "discipline_secretary": ("纪检",)}


def member(cid: str, town: str, post: str, age: int, **kw: Any) -> Cadre:
    """A sitting team member: three years in post, strong votes, 正科 for a 正科 seat's post."""
    full = post in ("party_secretary", "township_head", "congress_chair")
    base: dict[str, Any] = dict(
        age=age, current_township=town, current_post=post, post_since=POSTED,
        rank="full_section" if full else "deputy_section", rank_since=FULL if full else DEPUTY,
        township_years=8, leadership_years=6, grades=GOOD, recommendation_share=0.85,
        expertise=EXPERTISE.get(post, ("社会管理",)), education="bachelor",
    )
    base.update(kw)
    return cadre(cid, **base)


def outsider(cid: str, age: int, **kw: Any) -> Cadre:
    """A cadre of a county organ (no township team), 副科 since 2020 unless told otherwise."""
    base: dict[str, Any] = dict(age=age, current_unit="县直机关", origin="county_organ",
                                rank="deputy_section", rank_since=DEPUTY, township_years=0,
                                leadership_years=3, grades=FAIR, expertise=("社会管理",))
    base.update(kw)
    return cadre(cid, **base)


def pool() -> list[Cadre]:
    """The 40 cadres: 23 sitting members (7 + 7 + 9) and 17 outsiders."""
    inst = dict(origin="township_institution", township_years=6)
    t1 = [
        member("a0", "t1", "party_secretary", 50, grades=TOP),
        member("a2", "t1", "township_head", 41, grades=TOP),
        member("a3", "t1", "discipline_secretary", 38),
        member("a4", "t1", "congress_chair", 51),
        member("a1", "t1", "armed_forces_head", 45, post_since=date(2015, 6, 1), grades=FAIR),
        member("a6", "t1", "deputy_head", 34, gender="female", **inst),
        member("a7", "t1", "deputy_head", 29, rank_since=YOUNG, post_since=YOUNG),
    ]
    t2 = [
        member("b1", "t2", "party_secretary", 53),
        member("b2", "t2", "township_head", 42, gender="female", grades=TOP, expertise=("经济", "党务")),
        member("b3", "t2", "discipline_secretary", 38, grades=TOP),
        member("b4", "t2", "congress_chair", 50),
        member("b5", "t2", "armed_forces_head", 44, recommendation_share=0.40),
        member("b6", "t2", "deputy_head", 31, gender="female", **inst),
        member("b7", "t2", "deputy_head", 28, rank_since=YOUNG, post_since=YOUNG),
    ]
    t3 = [
        member("c1", "t3", "party_secretary", 35, post_since=date(2025, 10, 1), rank_since=date(2022, 1, 1)),
        member("c2", "t3", "township_head", 43, gender="female", grades=TOP),
        member("c3", "t3", "discipline_secretary", 39),
        member("c4", "t3", "congress_chair", 50),
        member("c5", "t3", "armed_forces_head", 40),
        member("c6", "t3", "deputy_head", 33, gender="female", **inst),
        member("c7", "t3", "deputy_head", 29, rank_since=YOUNG, post_since=YOUNG),
        member("c8", "t3", "organization_propaganda_member", 37),
        member("c9", "t3", "discipline_deputy", 54),
    ]
    out = [
        outsider("o1", 36, grades=TOP, reserve=True),
        outsider("o2", 38, grades=TOP, reserve=True),
        outsider("o3", 34, gender="female", grades=TOP, reserve=True),
        outsider("z1", 44, rank="full_section", rank_since=FULL, grades=WEAK),  # 正科: N-1 bars 副科 seats
        outsider("d1", 39, grades=WEAK),
        outsider("d2", 41, grades=WEAK),
        outsider("w1", 32, gender="female"),
        outsider("w2", 36, gender="female", grades=WEAK),
        outsider("v1", 35, rank="none", rank_since=None, current_unit="青石镇东村", origin="village_cadre",
                 township_years=9, leadership_years=0),
        outsider("v2", 38, rank="none", rank_since=None, current_unit="桃源乡南村", origin="village_cadre",
                 township_years=12, leadership_years=0, grades=WEAK),
        outsider("v3", 31, rank="none", rank_since=None, current_unit="东山镇西村",
                 origin="college_graduate_village_official", township_years=5, leadership_years=0),
        outsider("y1", 26, rank="none", rank_since=None, leadership_years=0),
        outsider("y2", 27, rank="none", rank_since=None, leadership_years=0, gender="female"),
        outsider("y3", 25, rank="none", rank_since=None, leadership_years=0, grades=WEAK),
        outsider("y4", 28, rank="none", rank_since=None, leadership_years=0, education="college"),
        outsider("e1", 45, grades=WEAK, education="college"),
        outsider("e2", 30, gender="female", grades=WEAK),
    ]
    return [*t1, *t2, *t3, *out]


def officer_county() -> Scenario:
    """The county of this module, on the xx-2011 preset."""
    towns = [
        township("t1", name="桃源乡",
                 township_class=2, residents=15_000, party_members=900, party_branches=20),
        township("t2", name="东山镇",
                 township_class=2, residents=26_000, party_members=1500, party_branches=30),
        township("t3", name="青石镇",
                 township_class=1, residents=40_000, party_members=2400, party_branches=45),
    ]
    return scenario(towns, pool(), "xx-2011", name="officer-county")


# What an officer expects, written before the first solve.

EXPECTED_SITTING: dict[str, str] = {
    "a0": "连任",  # t1 secretary, three years, top grades: nothing moves him
    "a2": "连任",  # t1 head, top grades, three years in post
    "a3": "连任",  # t1 副书记、纪委书记, good votes
    "a4": "连任",  # t1 人大主席, 51: under the exit age of 53
    "a1": "交流",  # t1 人武部长 11 years: N-7 takes him out of t1's team; at 45 a full term elsewhere
    "a6": "连任",  # t1 副乡长, the woman of the team
    "a7": "连任",  # t1 副乡长, 29: the team's under-30 (D1-C1)
    "b1": "退出",  # t2 secretary, 53: 到龄 (D3-E2)
    "b2": "改任",  # t2 head -> secretary: the usual step, same rank (正科), and the county's woman secretary
    "b3": "提拔",  # t2 副书记 -> head: the usual step, 副科 six years -> 正科
    "b4": "连任",  # t2 人大主席
    "b5": "退出",  # t2 人武部长, 40% of the votes: D1-E6
    "b6": "连任",  # t2 副镇长, a woman
    "b7": "连任",  # t2 副镇长, 28 (D1-C1)
    "c1": "连任",  # t3 secretary since October 2025: N-4 keeps a recent principal
    "c2": "连任",  # t3 head, a woman: the county's woman head (D1-K1)
    "c3": "连任",  # t3 副书记、纪委书记
    "c4": "连任",  # t3 人大主席
    "c5": "连任",  # t3 人武部长, three years
    "c6": "连任",  # t3 副镇长, a woman
    "c7": "连任",  # t3 副镇长, 29 (D1-C1)
    "c8": "连任",  # t3 专职组织宣传委员
    "c9": "退出",  # t3 纪委专职副书记, 54: 到龄
}

EXPECTED_LEAVERS: dict[str, set[str]] = {
    "b1": {"leaver_age"},  # 53, the exit age of a man
    "b5": {"leaver_votes"},  # 40% of the recommendation votes, not more than half
    "c9": {"leaver_age"},  # 54
}

EXPECTED_HOLDERS: dict[tuple[str, str], str] = {
    ("t1", "secretary"): "a0",
    ("t1", "head"): "a2",
    ("t1", "deputy_secretary"): "a3",
    ("t1", "congress_chair"): "a4",
    ("t2", "secretary"): "b2",  # the head steps up
    ("t2", "head"): "b3",  # the deputy secretary steps up
    ("t2", "congress_chair"): "b4",
    ("t3", "secretary"): "c1",
    ("t3", "head"): "c2",
    ("t3", "deputy_secretary"): "c3",
    ("t3", "congress_chair"): "c4",
    ("t3", "armed_forces_head"): "c5",
    ("t3", "organization_propaganda_member"): "c8",
}
"""Seats whose holder is certain; deputy heads are compared as a set (EXPECTED_DEPUTY_HEADS)."""

EXPECTED_DEPUTY_HEADS: dict[str, set[str]] = {"t1": {"a6", "a7"}, "t2": {"b6", "b7"}, "t3": {"c6", "c7"}}

OPEN_SEATS: set[tuple[str, str]] = {
    ("t1", "armed_forces_head"),  # a1 must leave t1's team
    ("t2", "deputy_secretary"),  # b3 becomes head
    ("t2", "armed_forces_head"),  # b5 out on the votes
    ("t3", "discipline_deputy"),  # c9 out on age
}
"""The four 副科 seats the story opens: a1 takes one outside t1 (交流), o1, o2 and o3 (county-organ
副科 reserve cadres of top grades, merit 9 + reserve 3) the three others (进班子)."""

EXPECTED_OPEN_FILLERS = {"a1": "交流", "o1": "进班子", "o2": "进班子", "o3": "进班子"}

EXPECTED_SEAT_WORDS: dict[tuple[str, str], list[str]] = {
    ("t1", "secretary"): ["连任"], ("t1", "head"): ["连任"], ("t1", "deputy_secretary"): ["连任"],
    ("t1", "congress_chair"): ["连任"], ("t1", "armed_forces_head"): ["进班子"],  # not a1 (N-7)
    ("t1", "deputy_head"): ["连任", "连任"],
    ("t2", "secretary"): ["改任"], ("t2", "head"): ["提拔"], ("t2", "congress_chair"): ["连任"],
    ("t2", "deputy_head"): ["连任", "连任"],
    ("t3", "secretary"): ["连任"], ("t3", "head"): ["连任"], ("t3", "deputy_secretary"): ["连任"],
    ("t3", "congress_chair"): ["连任"], ("t3", "armed_forces_head"): ["连任"],
    ("t3", "deputy_head"): ["连任", "连任"], ("t3", "organization_propaganda_member"): ["连任"],
}
"""The word per seat template; the three open seats outside t1 hold a1 (交流) and two of o1-o3 (进班子),
in an order the score leaves open, so they are checked through EXPECTED_OPEN_FILLERS."""
