"""A seeded generator of realistic counties: townships, their sitting teams and a
cadre pool that the solver can fill without breaking a `must` rule.

`generate_county` is deterministic for a seed: it draws from one
`random.Random(seed)` and never from global state. The pool is built in parts:

1. the sitting teams (every seat of the ruleset's template filled, with tenures,
   votes and the odd cadre who must move or may not be nominated again);
2. guaranteed cadres that the `must` rules need whatever the draw: per township
   two cadres of 30 or younger, women ready for a principal seat (D1-K1), and
   cadres of each ethnic township's minority for its head seat (D1-E5);
3. the rest of the pool by origin: county organs, township civil servants and
   public-institution staff, village cadres, college-graduate village officials
   and enterprises.

Gender and ethnicity are then dealt out to hit the requested shares. Each cadre's
career is drawn consistently: work after school (参加工作时间), a rank only after
some years of it, party membership (入党时间) for most. A sitting member's career is
read backwards from the seat: its rank (正科 for 党委书记, 乡镇长 and 人大主席, 副科
for deputies), taken with this post or before it, a 正科 after 2+ years at 副科
(N-3); principals mostly 2-8 years in post. Outside the teams most cadres are 副科
or without rank, and the few 正科 are in county organs, so that no demotion (N-1),
no skipped rank (N-2) and no early promotion (N-3) is needed. Then hometowns (成长地,
about a third in the county, never a sitting principal's township: N-5) and a few
pairs of relatives (N-6, never on one sitting team nor among the guaranteed cadres),
and the reserve (后备干部) and outstanding (特别优秀) flags last.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from model.enums import Education, Gender, Grade, Kinship, Origin, Post, Rank
from model.people import Cadre, County, Relative, Township, full_years
from model.rules.career import PARTY_POSTS
from model.ruleset import Seat, load_preset, preset_ids
from model.scenario import Scenario

# --- vocabularies -----------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAME_WEIGHTS = tuple(1.0 / (i + 6) for i in range(len(SURNAMES)))
"""Zipf-like: 王 and 李 are far commoner than 汤."""

GIVEN_MALE = "伟强磊军勇杰涛斌明超刚平辉鹏华飞鑫波宇浩凯健俊帆亮成东林峰建文国志海松"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英慧婷雪琳洁玲燕萍红梅兰晶倩颖丹莉琴"
GIVEN_ANY = "春晓云宁欣佳瑞雨思家子永德光新"

COUNTY_FIRST = "清安永平临宁长丰石凤云兴富宜和广"
COUNTY_SECOND = "河阳城山江源水川泉台林昌乐远"
TOWN_FIRST = "东西南北青白金石龙桃柳杨安长新大清云凤马黄高永红"
TOWN_SECOND = "山河石溪桥坪口沙田湾林泉岭坝水塘源庄堡阳"

MINORITIES = ("彝族", "苗族", "壮族", "回族", "藏族", "土家族", "侗族", "瑶族", "白族", "哈尼族")

EXPERTISE = (
    "党务", "纪检", "政法", "经济", "社会管理", "群众工作", "现代农业", "扶贫", "村镇规划", "环境治理",
)

COUNTY_UNITS: dict[str, str | None] = {
    "县委办": "党务",
    "县政府办": "经济",
    "县委组织部": "党务",
    "县委宣传部": "党务",
    "县纪委监委": "纪检",
    "县委政法委": "政法",
    "县财政局": "经济",
    "县发改局": "经济",
    "县农业农村局": "现代农业",
    "县自然资源局": "村镇规划",
    "县住建局": "村镇规划",
    "县交通运输局": None,
    "县水务局": "现代农业",
    "县民政局": "社会管理",
    "县人社局": "社会管理",
    "县卫健局": "社会管理",
    "县教育局": None,
    "县生态环境局": "环境治理",
    "县乡村振兴局": "扶贫",
    "县市场监管局": "经济",
    "县信访局": "群众工作",
    "团县委": "群众工作",
    "县妇联": "群众工作",
}
TOWN_UNITS: dict[str, str | None] = {
    "党政办": "党务",
    "财政所": "经济",
    "经济发展办": "经济",
    "社会事务办": "社会管理",
    "综治中心": "政法",
    "规划建设办": "村镇规划",
    "扶贫工作站": "扶贫",
    "农业综合服务中心": "现代农业",
    "林业站": "环境治理",
    "水利站": "现代农业",
    "文化站": None,
}
ENTERPRISE_UNITS: dict[str, str | None] = {
    "县城投公司": "经济",
    "县供销社": "现代农业",
    "县农商银行": "经济",
    "县国有林场": "环境治理",
    "县水务公司": None,
}
POST_EXPERTISE: dict[Post, str] = {
    Post.party_secretary: "党务",
    Post.township_head: "经济",
    Post.congress_chair: "群众工作",
    Post.discipline_secretary: "纪检",
    Post.deputy_secretary_stability: "政法",
    Post.deputy_secretary_party: "党务",
    Post.organization_member: "党务",
    Post.propaganda_member: "党务",
    Post.organization_propaganda_member: "党务",
    Post.armed_forces_head: "政法",
    Post.congress_vice_chair: "群众工作",
}

# weights over (junior_high, senior_high, secondary_vocational, college, bachelor, postgraduate)
EDUCATION_MIX: dict[str, tuple[int, ...]] = {
    "principal": (0, 0, 2, 25, 63, 10),
    "sitting": (0, 1, 4, 33, 55, 7),
    "county_organ": (0, 0, 1, 20, 64, 15),
    "township_civil_servant": (0, 1, 4, 35, 55, 5),
    "township_institution": (0, 2, 10, 45, 40, 3),
    "village_cadre": (3, 25, 30, 32, 10, 0),
    "college_graduate_village_official": (0, 0, 0, 15, 78, 7),
    "enterprise": (0, 3, 10, 35, 45, 7),
    "ready": (0, 0, 0, 35, 58, 7),
}
WORK_START = dict(zip(Education, (18, 18, 19, 21, 22, 25), strict=True))
"""Age at which a cadre of each education starts work (参加工作), up to two years later."""
ADULT_AGE = 18
"""No work or party membership before 18."""
MIN_WORK_BEFORE_RANK = 2
"""Full years of work before a first leadership rank (副科)."""
RANK_AGES = {Rank.deputy_section: (23, 42), Rank.full_section: (28, 45)}
"""Ages at which a cadre took each rank: the first is the youngest anyone does; the second,
for sitting members, D3-E2's promotion cap (40 for 副科, 45 for 正科) with a little room."""

# sitting tenure in full years, 0..13. Deputies: about 40% 5+, about 8% 10+ (D1-R2 and
# D1-R1 bite). Principals: most took the post at the last reshuffle (5 years) or in the
# term; about 85% 2-8 years, a few under 2 (N-4) and a few 10+ (D1-R1, N-7).
TENURE_WEIGHTS = (9, 10, 10, 9, 8, 11, 6, 5, 4, 3, 3, 2, 1, 1)
PRINCIPAL_TENURE = (1, 3, 8, 10, 12, 22, 10, 8, 6, 3, 3, 2, 1, 1)

# PARTY_POSTS (model/rules/career.py): held by party members only.
PARTY_SHARE: dict[str, float] = {
    "sitting": 0.8,  # a deputy head or congress chair outside the committee may be 党外
    "young": 0.8,
    "young_graduate": 0.75,
    "ready": 1.0,
    "ethnic": 1.0,
    "county_organ": 0.9,
    "township_civil_servant": 0.8,
    "township_institution": 0.6,
    "village_cadre": 0.85,
    "college_graduate_village_official": 0.7,
    "enterprise": 0.55,
}
"""Share of party members (入党时间 given) by kind of cadre."""

HOMETOWN_IN_COUNTY: dict[str, tuple[float, float]] = {
    "sitting": (0.3, 0.3),
    "young": (0.35, 0.6),
    "young_graduate": (0.25, 0.3),
    "ready": (0.3, 0.2),
    "ethnic": (0.5, 0.0),
    "county_organ": (0.3, 0.0),
    "township_civil_servant": (0.3, 0.5),
    "township_institution": (0.45, 0.7),
    "village_cadre": (0.9, 0.9),
    "college_graduate_village_official": (0.2, 0.4),
    "enterprise": (0.3, 0.0),
}
"""By kind of cadre: the share who grew up in the county, and of those the share who grew
up in the township they work in (a village cadre nearly always)."""
HOMETOWN_UNKNOWN = 0.12
"""Share of the pool whose 成长地 is not given (N-5 then checks nothing for them)."""

RELATIVE_PAIRS = (0.005, 0.01)
"""Pairs of relatives per cadre: 1-2% of the pool has a relative in it (N-6)."""
KINSHIP_WEIGHTS = {Kinship.spouse: 40, Kinship.collateral_blood: 30, Kinship.in_law: 20,
                   Kinship.direct_blood: 10}
GUARANTEED = frozenset({"young", "young_graduate", "ready", "ethnic"})
"""Kinds of cadre drawn for a must rule (D1-C1, D1-K1, D1-E5): kept free of relatives."""

# rest of the pool: (kind, weight, weight of being a woman)
POOL_MIX: tuple[tuple[str, float, float], ...] = (
    ("county_organ", 0.25, 1.2),
    ("township_civil_servant", 0.33, 1.2),
    ("township_institution", 0.14, 1.3),
    ("village_cadre", 0.10, 0.5),
    ("college_graduate_village_official", 0.11, 1.5),
    ("enterprise", 0.07, 0.8),
)
WOMAN_WEIGHT = {k: w for k, _, w in POOL_MIX} | {"sitting": 0.8, "young": 1.3, "young_graduate": 1.5}

READY_WOMEN_MIN = 3
"""Women outside the sitting teams kept ready for a principal seat (D1-K1)."""
ETHNIC_CANDIDATES = 3
"""Cadres of each ethnic township's minority, outside its sitting team (D1-E5)."""
YOUNG_PER_TOWNSHIP = 2
"""Cadres of 30 or younger guaranteed to each township (D1-C1)."""


@dataclass
class _Slot:
    """One cadre to be drawn; the fixed parts are set before the draw."""

    kind: str
    township: Township | None = None
    seat: Seat | None = None
    gender: Gender | None = None
    ethnicity: str | None = None
    young: bool = False


# --- public API -------------------------------------------------------------------


def generate_county(
    townships: int,
    cadres: int,
    seed: int,
    ruleset: str = "xx-2011",
    minority_share: float = 0.08,
    reshuffle_date: date = date(2026, 9, 1),
    name: str | None = None,
) -> Scenario:
    """A county of `townships` townships and a pool of `cadres` cadres, the same for a seed.

    The sitting teams follow the ruleset's team template (one sitting cadre per
    seat), so `cadres` must cover the seats plus the guaranteed cadres; a
    ValueError says how many are needed. The pool aims at about 3x the seat
    count of cadres who may hold some seat under the ruleset's `must` rules.
    """
    if ruleset not in preset_ids():
        raise ValueError(f"unknown ruleset '{ruleset}'; use one of {preset_ids()}")
    if not 1 <= townships <= 200:
        raise ValueError("townships must be between 1 and 200")
    if not 0.0 <= minority_share <= 0.9:
        raise ValueError("minority_share must be between 0 and 0.9")
    rng = random.Random(seed)
    rs = load_preset(ruleset)

    minorities = _pick_minorities(rng) if minority_share > 0 else []
    county_name = _county_name(rng)
    towns = _townships(rng, townships, minorities, minority_share)
    seats = {t.id: rs.team_for(t.township_class, t.residents, t.party_members).expand(t.id) for t in towns}
    n_seats = sum(len(s) for s in seats.values())
    ethnic = [t for t in towns if t.ethnic_minority]
    ready = max(READY_WOMEN_MIN, math.ceil(townships / 4))
    needed = n_seats + YOUNG_PER_TOWNSHIP * townships + ready + ETHNIC_CANDIDATES * len(ethnic)
    if cadres < needed:
        raise ValueError(
            f"{cadres} cadres are too few: {townships} townships need at least {needed} "
            f"({n_seats} sitting seats plus the young, women and minority cadres the rules need); "
            f"about {3 * n_seats} give the solver room"
        )

    slots = _slots(rng, towns, seats, ready, cadres)
    _deal_genders(rng, slots, cadres)
    _deal_ethnicities(rng, slots, minorities, minority_share, cadres)

    records = [_draw(rng, s, reshuffle_date) for s in slots]
    elsewhere = _elsewhere(county_name)
    for slot, rec in zip(slots, records, strict=True):
        rec["hometown"] = _hometown(rng, slot, towns, elsewhere)
    _relate(rng, slots, records, reshuffle_date)
    _flag(rng, records, reshuffle_date)
    rng.shuffle(records)
    width = max(4, len(str(len(records))))
    for i, rec in enumerate(records, start=1):
        rec["id"] = f"g{i:0{width}d}"
        rec["name"] = _person_name(rng, rec["gender"])
    pool = []
    for rec in records:
        rec["relatives"] = tuple(Relative(cadre=other["id"], kind=kind)
                                 for other, kind in rec.get("relatives", ()))
        pool.append(Cadre.model_validate(rec))

    county = County(id="c01", name=county_name, townships=tuple(towns))
    return Scenario(
        name=name or f"{county_name}{reshuffle_date.year}年乡镇换届(生成,种子{seed})",
        reshuffle_date=reshuffle_date,
        county=county,
        cadres=tuple(pool),
        ruleset=ruleset,
    )


# --- county and townships -----------------------------------------------------------


def _pick_minorities(rng: random.Random) -> list[str]:
    return rng.sample(MINORITIES, 1 if rng.random() < 0.6 else 2)


def _county_name(rng: random.Random) -> str:
    first = rng.choice(COUNTY_FIRST)
    second = rng.choice([c for c in COUNTY_SECOND if c != first])
    return f"{first}{second}县"


def _townships(
    rng: random.Random, n: int, minorities: list[str], share: float
) -> list[Township]:
    """Unique names; about 1 in 6 an ethnic township (民族乡), at least 1 from 4 townships."""
    combos = [a + b for a in TOWN_FIRST for b in TOWN_SECOND if a != b]
    stems = rng.sample(combos, n)  # 500 names for at most 200 townships
    n_ethnic = max(1 if n >= 4 else 0, round(n / 6)) if minorities else 0
    order = list(range(n))
    rng.shuffle(order)
    ethnic = set(order[:n_ethnic])
    n_extra = min(n - n_ethnic, max(1, round(n * min(0.4, 1.5 * share)))) if minorities else 0
    concentrated = ethnic | set(order[n_ethnic : n_ethnic + n_extra])
    width = max(2, len(str(n)))
    out: list[Township] = []
    for i in range(n):
        if i in ethnic:
            cls = rng.choices((2, 3), (3, 7))[0]
            minority = minorities[0] if len(minorities) == 1 or rng.random() < 0.7 else minorities[1]
            town_name = f"{stems[i]}{minority}乡"
        else:
            cls = rng.choices((1, 2, 3), (15, 45, 40))[0]
            minority = None
            suffix = "镇" if cls == 1 or (cls == 2 and rng.random() < 0.8) else "乡"
            suffix = "乡" if cls == 3 and rng.random() < 0.7 else suffix
            town_name = stems[i] + suffix
        low, high = {1: (35_000, 60_000), 2: (18_000, 40_000), 3: (8_000, 22_000)}[cls]
        residents = rng.randrange(low, high, 100)
        members = round(residents * rng.uniform(0.02, 0.04))
        branches = max(5, round(members / rng.uniform(20, 30)))
        out.append(
            Township(
                id=f"t{i + 1:0{width}d}",
                name=town_name,
                township_class=cls,
                residents=residents,
                party_members=members,
                party_branches=branches,
                minority_concentrated=i in concentrated,
                ethnic_minority=minority,
            )
        )
    return out


# --- slots: who is drawn, with what fixed --------------------------------------------


def _slots(
    rng: random.Random,
    towns: list[Township],
    seats: dict[str, list[Seat]],
    ready: int,
    total: int,
) -> list[_Slot]:
    out: list[_Slot] = []
    # county-wide, last term's team had a woman secretary and a woman head (D1-K1)
    sec_town = rng.choice(towns)
    head_town = rng.choice([t for t in towns if t is not sec_town] or towns)
    for t in towns:
        team = seats[t.id]
        deputies = [s for s in team if s.rank == Rank.deputy_section and not s.principal]
        woman_seat = rng.choice(deputies or team)
        for s in team:
            if t is sec_town and s.principal and s.main_post == Post.party_secretary:
                woman_seat = s
            if t is head_town and s.principal and s.main_post == Post.township_head:
                woman_seat = s
        young_seat = rng.choice([s for s in deputies if s is not woman_seat] or deputies or team)
        has_young = rng.random() < 0.7
        for s in team:
            slot = _Slot("sitting", township=t, seat=s)
            if s is woman_seat:
                slot.gender = Gender.female
            if s is young_seat and has_young:
                slot.young = True
            if t.ethnic_minority and s.main_post == Post.township_head:
                slot.ethnicity = t.ethnic_minority
            out.append(slot)
    for t in towns:
        out.append(_Slot("young", township=t, young=True))
        out.append(_Slot("young_graduate", township=t, young=True))
    for _ in range(ready):
        home = rng.choice(towns) if rng.random() < 0.5 else None
        out.append(_Slot("ready", township=home, gender=Gender.female))
    for t in towns:
        if t.ethnic_minority:
            for k in range(ETHNIC_CANDIDATES):
                where = t if k < ETHNIC_CANDIDATES - 1 else None
                out.append(_Slot("ethnic", township=where, ethnicity=t.ethnic_minority))
    kinds = [k for k, _, _ in POOL_MIX]
    weights = [w for _, w, _ in POOL_MIX]
    resident_weights = [t.residents for t in towns]
    while len(out) < total:
        kind = rng.choices(kinds, weights)[0]
        home = None if kind in ("county_organ", "enterprise") else rng.choices(
            towns, resident_weights
        )[0]
        out.append(_Slot(kind, township=home))
    return out


def _weighted_sample(rng: random.Random, items: list[Any], weights: list[float], k: int) -> list[Any]:
    """k items without replacement, each drawn in proportion to its weight."""
    if k <= 0:
        return []
    keyed = sorted(
        ((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights) if w > 0), reverse=True
    )
    return [items[i] for _, i in keyed[:k]]


def _deal_genders(rng: random.Random, slots: list[_Slot], total: int) -> None:
    """About a fifth women: the fixed ones, then the rest dealt by kind."""
    target = round(total * rng.uniform(0.18, 0.22))
    fixed = sum(1 for s in slots if s.gender == Gender.female)
    free = [s for s in slots if s.gender is None]
    weights = [WOMAN_WEIGHT.get(s.kind, 1.0) * (1.0 if s.seat is None or not s.seat.principal
                                                    else 0.3) for s in free]
    for s in _weighted_sample(rng, free, weights, target - fixed):
        s.gender = Gender.female
    for s in free:
        if s.gender is None:
            s.gender = Gender.male


def _deal_ethnicities(
    rng: random.Random, slots: list[_Slot], minorities: list[str], share: float, total: int
) -> None:
    """Minority cadres where the minorities live: ethnic and concentrated townships first."""
    if not minorities:
        for s in slots:
            s.ethnicity = "汉族"
        return
    target = round(total * share)
    fixed = sum(1 for s in slots if s.ethnicity is not None)
    free = [s for s in slots if s.ethnicity is None]

    def weight(s: _Slot) -> float:
        if s.township is None:
            return 1.0
        if s.township.ethnic_minority:
            return 8.0
        return 5.0 if s.township.minority_concentrated else 1.0

    for s in _weighted_sample(rng, free, [weight(s) for s in free], target - fixed):
        home = s.township.ethnic_minority if s.township else None
        s.ethnicity = home or (
            minorities[0] if len(minorities) == 1 or rng.random() < 0.7 else minorities[1]
        )
    for s in free:
        if s.ethnicity is None:
            s.ethnicity = "汉族"


# --- one cadre ------------------------------------------------------------------------


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _full_years_ago(rng: random.Random, on: date, years: int, min_days: int = 0) -> date:
    """A date exactly `years` full years before `on` (周岁 / 满N年)."""
    return _years_before(on, years) - timedelta(days=rng.randint(min_days, 360))


def _gauss_age(rng: random.Random, mean: float, sd: float, low: int, high: int) -> int:
    return max(low, min(high, round(rng.gauss(mean, sd))))


def _education(rng: random.Random, mix: str) -> Education:
    return rng.choices(list(Education), EDUCATION_MIX[mix])[0]


def _grades(rng: random.Random, weak: bool = False) -> tuple[Grade, ...]:
    w = (12, 68, 17, 3) if weak else (25, 72.5, 2, 0.5)
    return tuple(rng.choices(list(Grade), w, k=3))


def _expertise(rng: random.Random, lead: str | None) -> tuple[str, ...]:
    first = lead if lead is not None and rng.random() < 0.7 else rng.choice(EXPERTISE)
    if rng.random() < 0.5:
        return (first, rng.choice([e for e in EXPERTISE if e != first]))
    return (first,)


def _work_since(rng: random.Random, birth: date, edu: Education, on: date, min_years: int = 1) -> date:
    """参加工作时间: after school (WORK_START by education, up to two years later), and at
    least `min_years` full years before the reshuffle, never before 18."""
    start = WORK_START[edu] + rng.choice((0, 0, 1, 1, 2))
    day = date(birth.year + start, 7, 1) + timedelta(days=rng.randint(0, 80))  # the summer after school
    adult = _years_before(birth, -ADULT_AGE) + timedelta(days=1)
    latest = _years_before(on, min_years) - timedelta(days=rng.randint(0, 120))
    return max(adult, min(day, latest))


def _party_since(rng: random.Random, birth: date, work_since: date, latest: date) -> date:
    """入党时间: at school or in the first years of work, after 18 and by `latest`."""
    adult = _years_before(birth, -ADULT_AGE) + timedelta(days=30)
    if rng.random() < 0.45:  # at university or in the army
        day = work_since - timedelta(days=rng.randint(60, 3 * 365))
    else:
        day = work_since + timedelta(days=rng.randint(300, 8 * 365))
    day = max(adult, day)
    if day > latest:  # a late joiner: some day between 18 and the latest date
        day = adult + timedelta(days=rng.randint(0, max(0, (latest - adult).days)))
    return min(day, latest)


def _rank_since(rng: random.Random, on: date, work_since: date, low: int, high: int) -> date:
    """When a cadre outside the teams took their rank: `low`..`high` full years ago,
    after MIN_WORK_BEFORE_RANK years of work (the caller keeps `low` within the career)."""
    back = rng.randint(low, max(low, high))
    return max(_full_years_ago(rng, on, back), _years_before(work_since, -MIN_WORK_BEFORE_RANK))


def _fit(x: int, low: int, high: int) -> int:
    """x within [low, high]; `high` wins where they cross (dates stay consistent)."""
    return max(0, min(max(x, low), high))


def _draw(rng: random.Random, slot: _Slot, on: date) -> dict[str, Any]:
    """The record of one cadre (without id, name, hometown and relatives), consistent in its
    dates and years: work, then rank after some years of it, township years within the career."""
    if slot.kind == "sitting":
        return _draw_sitting(rng, slot, on)
    female = slot.gender == Gender.female
    rec: dict[str, Any] = dict(gender=slot.gender, ethnicity=slot.ethnicity, rank=Rank.none)
    kind = slot.kind
    lead: str | None = None
    ranked_share, ly_max, min_work = 0.0, 0, 1
    if kind in ("young", "young_graduate"):
        age, min_work = rng.randint(25, 30), 3  # N-8: three years of work for a leadership post
        graduate = kind == "young_graduate"
        edu = _education(rng, "college_graduate_village_official" if graduate else "ready")
    elif kind in ("ready", "ethnic"):
        age = rng.randint(33, 42) if kind == "ready" else rng.randint(32, 41 if female else 43)
        edu, min_work = _education(rng, "ready"), 5
    elif kind == "county_organ":
        age = _gauss_age(rng, 38 if female else 41, 6, 26, 57)
        edu = _education(rng, kind)
    elif kind in ("township_civil_servant", "township_institution"):
        age = _gauss_age(rng, 33 if female else 35, 6, 24, 52)
        edu = _education(rng, kind)
    elif kind == "village_cadre":
        age = _gauss_age(rng, 38, 6, 26, 54)  # the younger ones are put forward (D1-C6)
        edu = _education(rng, kind)
    elif kind == "college_graduate_village_official":
        age = rng.randint(24, 32)
        edu = _education(rng, kind)
    else:  # enterprise
        age = _gauss_age(rng, 40, 7, 26, 56)
        edu = _education(rng, kind)
    birth = _full_years_ago(rng, on, age)
    work_since = _work_since(rng, birth, edu, on, min_work)
    career = full_years(work_since, on)
    rank_years = (1, min(10, career - MIN_WORK_BEFORE_RANK))  # full years at rank, if ranked
    if kind in ("young", "young_graduate"):
        graduate = kind == "young_graduate"
        ty = rng.randint(1, min(6, career)) if graduate else rng.randint(max(1, career - 2), career)
        origin = (Origin.college_graduate_village_official if graduate
                  else rng.choice((Origin.township_civil_servant, Origin.township_institution)))
        unit, lead = _town_unit(rng, slot.township, village=graduate)
    elif kind in ("ready", "ethnic"):
        # ready for a 正科 seat: 副科 for 2 years or more (N-3), or 正科 in a county organ
        ready = kind == "ready"
        ty = rng.randint(3 if ready else 2, min(12, career))
        rec["leadership_years"] = rng.randint(1 if ready else 0, min(ty, 6 if ready else 5))
        rec["rank"] = Rank.deputy_section
        if slot.township is None:
            origin, unit = Origin.county_organ, rng.choice(list(COUNTY_UNITS))
            lead = COUNTY_UNITS[unit]
            if ready and rng.random() < 0.25:
                rec["rank"] = Rank.full_section
        else:
            origin = Origin.township_civil_servant
            unit, lead = _town_unit(rng, slot.township)
        if ready:
            rec["grades"] = tuple(rng.choices((Grade.excellent, Grade.competent), (35, 65), k=3))
        rank_years = (2, min(8, career - MIN_WORK_BEFORE_RANK))
    elif kind == "county_organ":
        ty = 0 if rng.random() < 0.45 or career == 0 else rng.randint(1, min(10, career))
        origin, unit = Origin.county_organ, rng.choice(list(COUNTY_UNITS))
        lead = COUNTY_UNITS[unit]
        # a few 正科 (heads of bureaus) among the older; most 副科; the young often unranked
        rec["rank"] = Rank.full_section if age >= 35 and rng.random() < 0.2 else Rank.deputy_section
        if age < 30:
            rec["rank"] = Rank.none if rng.random() < 0.6 else Rank.deputy_section
        ly_max = ty if rng.random() < 0.5 else 0
    elif kind in ("township_civil_servant", "township_institution"):
        ty = max(0, career - rng.randint(0, 5))
        origin = Origin(kind)
        unit, lead = _town_unit(rng, slot.township)
        # an older cadre put forward has usually been given a rank (副科 职级) on the way
        ranked_share = (0.15 if age <= 40 else 0.6) if kind == "township_civil_servant" else (
            0.05 if age <= 40 else 0.3)
    elif kind == "village_cadre":
        ty = min(career, rng.randint(3, 18))
        origin = Origin.village_cadre
        unit, lead = _town_unit(rng, slot.township, village=True)
        lead = lead or rng.choice(("群众工作", "现代农业"))
    elif kind == "college_graduate_village_official":
        ty = rng.randint(1, max(1, min(8, career)))
        origin = Origin.college_graduate_village_official
        unit, lead = _town_unit(rng, slot.township, village=True)
    else:  # enterprise
        ty = 0 if rng.random() < 0.7 else rng.randint(0, min(5, career))
        origin, unit = Origin.enterprise, rng.choice(list(ENTERPRISE_UNITS))
        lead = ENTERPRISE_UNITS[unit]
        ranked_share = 0.5 if age > 40 else 0.15
    if ranked_share and age >= 30 and rng.random() < ranked_share:
        rec["rank"] = Rank.deputy_section
    low, high = rank_years
    if rec["rank"] != Rank.none:  # nobody took a rank younger than its first age
        rank_years = (low, min(high, age - RANK_AGES[rec["rank"]][0]))
    if rec["rank"] != Rank.none and rank_years[1] < rank_years[0]:
        rec["rank"] = Rank.none  # too short a career for a rank
    if ly_max and rec["rank"] != Rank.none:
        rec["leadership_years"] = rng.randint(0, min(ly_max, 6))
    if rec["rank"] != Rank.none:
        rec["rank_since"] = _rank_since(rng, on, work_since, *rank_years)
    if rng.random() < PARTY_SHARE[kind]:
        rec["party_since"] = _party_since(rng, birth, work_since, _years_before(on, 3 if min_work > 1 else 1))
    rec.update(
        birth_date=birth,
        education=edu,
        current_township=slot.township.id if slot.township else None,
        current_unit=unit,
        township_years=min(ty, career),
        origin=origin,
        expertise=_expertise(rng, lead),
        work_since=work_since,
    )
    rec.setdefault("grades", _grades(rng))
    return rec


def _town_unit(
    rng: random.Random, town: Township | None, village: bool = False
) -> tuple[str, str | None]:
    prefix = town.name if town else "县"
    if village:
        return f"{prefix}{rng.choice(TOWN_FIRST)}{rng.choice(TOWN_SECOND)}村", None
    unit = rng.choice(list(TOWN_UNITS))
    return prefix + unit, TOWN_UNITS[unit]


def _draw_sitting(rng: random.Random, slot: _Slot, on: date) -> dict[str, Any]:
    """A sitting member's career, read backwards from the post: the seat's rank, taken with
    this post or before it (a 正科 after 2+ years at 副科, N-3), all after some years of work."""
    seat, town = slot.seat, slot.township
    if seat is None or town is None:
        raise ValueError("a sitting member's slot needs its seat and township")
    female = slot.gender == Gender.female
    full = seat.rank == Rank.full_section
    if slot.young:
        age = rng.randint(26, 30)
    elif full:
        age = _gauss_age(rng, 42, 4, 33, 50) if female else _gauss_age(rng, 45, 5, 33, 56)
    else:
        age = _gauss_age(rng, 37, 6, 26, 51) if female else _gauss_age(rng, 40, 7, 26, 57)
    edu = _education(rng, "principal" if seat.principal else "sitting")
    birth = _full_years_ago(rng, on, age)
    work_since = _work_since(rng, birth, edu, on, min_years=MIN_WORK_BEFORE_RANK + 2)
    career = full_years(work_since, on)
    room = career - MIN_WORK_BEFORE_RANK - 1  # full years a leadership rank may have been held
    weights = PRINCIPAL_TENURE if seat.principal else TENURE_WEIGHTS
    low_full, high_full = RANK_AGES[Rank.full_section]
    low_deputy, high_deputy = RANK_AGES[Rank.deputy_section]
    if full:
        high_full -= 2 if female else 0  # D3-E2: 正科 by 45, a woman by 43
        tenure = _fit(rng.choices(range(len(weights)), weights)[0], 0, min(room - 2, age - low_full))
        # 正科 before this post (a head before becoming secretary, a 正科 post in a county organ),
        # and before that 2+ years as a township deputy (N-3)
        before = rng.choice((0, 0, 1, 2, 3, 4, 5)) if seat.main_post != Post.township_head else (
            rng.choice((0, 0, 0, 0, 1, 2, 3)))
        before = _fit(before, age - tenure - high_full, min(room - tenure - 2, age - tenure - low_full))
        full_age = age - tenure - before
        deputy = _fit(rng.randint(2, 8), full_age - high_deputy,
                      min(room - tenure - before, full_age - low_deputy))
        post_since = _full_years_ago(rng, on, tenure, min_days=20)
        rank_since = _years_before(post_since, before)
        from_county = rng.random() < 0.2
        leadership = tenure + (rng.randint(0, deputy) if from_county else before + deputy)
    else:
        tenure = _fit(rng.choices(range(len(weights)), weights)[0], 0, min(room, age - low_deputy))
        prior = rng.randint(0, max(0, min(8, room - tenure)))  # earlier township deputy posts
        county = rng.randint(1, 3) if rng.random() < 0.15 else 0  # 副科 in a county organ before
        late = age - tenure - prior - county - high_deputy  # years too late for a first 副科
        prior = _fit(prior + max(0, late), 0, min(room - tenure, age - tenure - low_deputy))
        county = _fit(county, age - tenure - prior - high_deputy,
                      min(room - tenure - prior, age - tenure - prior - low_deputy))
        post_since = _full_years_ago(rng, on, tenure, min_days=20)
        rank_since = _years_before(post_since, prior + county)
        leadership = tenure + prior
    township_years = min(career, leadership + rng.randint(0, 8))
    exit_age = 48 if female else 53
    kept = exit_age <= age <= exit_age + 2 and rng.random() < 0.5
    weak = rng.random() < 0.06
    rec_share = rng.uniform(0.30, 0.50) if weak else rng.uniform(0.60, 0.95)
    r = rng.random()
    inc_share = rng.uniform(0.34, 0.50) if r < 0.03 else rng.uniform(0.0, 0.15)
    origin = rng.choices(
        list(Origin), (45, 10, 7, 8, 25, 5)
    )[0]
    post = seat.main_post
    party_seat = any(p in PARTY_POSTS for p in (*seat.posts, *seat.template.optional_posts))
    party = None
    if party_seat or rng.random() < PARTY_SHARE["sitting"]:
        # a party post is held by a member of some years (N-8), who joined before the rank
        party = _party_since(rng, birth, work_since, min(_years_before(rank_since, 1), _years_before(on, 3)))
    return dict(
        gender=slot.gender,
        ethnicity=slot.ethnicity,
        birth_date=birth,
        education=edu,
        rank=seat.rank,
        rank_since=rank_since,
        current_township=town.id,
        current_unit=town.name,
        current_post=post,
        post_since=post_since,
        township_years=township_years,
        leadership_years=leadership,
        origin=origin,
        grades=_grades(rng, weak=weak or r < 0.03),
        recommendation_share=round(rec_share, 3),
        incompetent_share=round(inc_share, 3),
        kept_for_work=kept,
        expertise=_expertise(rng, POST_EXPERTISE.get(post)),
        work_since=work_since,
        party_since=party,
    )


# --- where cadres grew up, and who is whose relative -------------------------------------


def _hometown(rng: random.Random, slot: _Slot, towns: list[Township], elsewhere: list[str]) -> str | None:
    """成长地: a township of the county (its id), a place outside it, or not given.

    About a third of the pool grew up in the county; village cadres nearly all in
    their own township. A principal never sits in the township they grew up in
    (N-5), and a candidate kept for an ethnic head seat grew up elsewhere, so the
    guaranteed candidates stay candidates.
    """
    in_county, own = HOMETOWN_IN_COUNTY[slot.kind]
    r = rng.random()
    if r >= in_county:
        return None if r < in_county + HOMETOWN_UNKNOWN else rng.choice(elsewhere)
    keep_out = slot.kind == "ethnic" or (slot.seat is not None and slot.seat.principal)
    if slot.township is not None and not keep_out and rng.random() < own:
        return slot.township.id
    others = [t for t in towns if t is not slot.township]
    if not others:
        return rng.choice(elsewhere)
    return rng.choices(others, [t.residents for t in others])[0].id


def _elsewhere(county_name: str) -> list[str]:
    """Places outside the county a cadre may have grown up in: other counties and cities."""
    out = [f"{a}{b}县" for a in COUNTY_FIRST[:8] for b in COUNTY_SECOND[:5] if a != b]
    out += [f"{a}{b}市" for a in COUNTY_FIRST[8:] for b in COUNTY_SECOND[5:9] if a != b]
    return [p for p in out if p != county_name]


def _relate(rng: random.Random, slots: list[_Slot], records: list[dict[str, Any]], on: date) -> None:
    """A few pairs of relatives (1-2% of the pool, N-6), among the cadres no rule counts on:
    never two members of one sitting team, and never a cadre kept ready for a must rule.
    The relation is written on one side (it counts for both); blood relatives share a hometown."""
    n_pairs = max(1, round(len(records) * rng.uniform(*RELATIVE_PAIRS)))
    free = [i for i, s in enumerate(slots) if s.kind not in GUARANTEED]
    taken: set[int] = set()
    kinds, weights = zip(*KINSHIP_WEIGHTS.items(), strict=True)

    def age(i: int) -> int:
        return full_years(records[i]["birth_date"], on)

    def fits(kind: Kinship, a: int, b: int) -> bool:
        gap = abs(age(a) - age(b))
        ta, tb = slots[a], slots[b]
        if ta.seat is not None and tb.seat is not None and ta.township is tb.township:
            return False  # a sitting team with relatives on it would already break N-6
        if kind == Kinship.spouse:
            return records[a]["gender"] != records[b]["gender"] and gap <= 6
        if kind == Kinship.direct_blood:
            return 22 <= gap <= 32
        return gap <= (10 if kind == Kinship.collateral_blood else 20)

    for _ in range(n_pairs):
        kind = rng.choices(kinds, weights)[0]
        a = rng.choice([i for i in free if i not in taken])
        partners = [b for b in free if b != a and b not in taken and fits(kind, a, b)]
        if not partners:
            continue
        b = rng.choice(partners)
        taken |= {a, b}
        records[b]["relatives"] = (*records[b].get("relatives", ()), (records[a], kind))
        home = records[a]["hometown"]
        at_home = slots[b].seat is not None and slots[b].seat.principal and slots[b].township is not None \
            and slots[b].township.id == home  # a sitting principal does not serve at home (N-5)
        if kind in (Kinship.direct_blood, Kinship.collateral_blood) and not at_home:
            records[b]["hometown"] = home


def _flag(rng: random.Random, records: list[dict[str, Any]], on: date) -> None:
    """Reserve cadres (~15%: young, college+) and outstanding ones (~5%: some 优秀)."""
    n = len(records)

    def age(rec: dict[str, Any]) -> int:
        return full_years(rec["birth_date"], on)

    fit = [
        r for r in records
        if age(r) <= 42 and r["education"].level >= Education.college.level
        and r.get("recommendation_share", 1.0) > 0.5
    ]
    weights = [2.0 if r["rank"] != Rank.none else 1.0 for r in fit]
    for r in _weighted_sample(rng, fit, weights, round(0.15 * n)):
        r["reserve"] = True
    shining = [r for r in records if Grade.excellent in r["grades"] and age(r) <= 48]
    weights = [float(sum(g == Grade.excellent for g in r["grades"])) for r in shining]
    for r in _weighted_sample(rng, shining, weights, round(0.05 * n)):
        r["outstanding"] = True


def _person_name(rng: random.Random, gender: Gender) -> str:
    surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
    chars = (GIVEN_FEMALE if gender == Gender.female else GIVEN_MALE) + GIVEN_ANY
    size = 1 if rng.random() < 0.35 else 2
    return surname + "".join(rng.choice(chars) for _ in range(size))
