"""The county generator: deterministic, realistic in its marginals, and feasible.

Feasibility is checked without the solver, with the model's own plain-Python
rule checks: per seat, enough cadres pass every `must` seated rule; enough
young cadres and women; and a witness slate, built by bipartite matching with
the team and county `must` rules (D1-C1, D1-C2, D1-K1, D5-C1) imposed on chosen
seats, that the referee passes.
"""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from model.enums import Education, Gender, Kinship, Origin, Post, Rank, Strength
from model.generator import PARTY_POSTS, generate_county
from model.people import Cadre, full_years
from model.referee import make_view, referee
from model.rules import View, kind_of
from model.rules.seated import SeatedKind
from model.ruleset import Seat
from model.scenario import Scenario
from model.slate import Assignment

CASES = [
    ("xx-2011", 12, 400, (1, 2, 3)),
    ("qiong-2011", 8, 300, (1, 2)),
    ("xx-2011", 5, 120, (1, 4, 7, 11)),
    ("county-2017", 6, 250, (1, 2, 5)),
]


@cache
def county(townships: int, cadres: int, seed: int, ruleset: str = "xx-2011") -> Scenario:
    return generate_county(townships, cadres, seed, ruleset=ruleset)


PROMOTION_YEARS = 2
"""N-3: years at 副科 before a 正科 seat (the rule's 2 years, stricter than its must's 1)."""
WORK_YEARS = 3
"""N-8 as the witness reads it: years of work for any seat."""
PARTY_YEARS = 3
"""N-8 as the witness reads it: years of party membership for a seat with a party post."""


def years_since(day: date | None, on: date) -> int:
    return -1 if day is None else full_years(day, on)


def national_fails(sc: Scenario, c: Cadre, seat: Seat) -> str | None:
    """The national rule (section N) that keeps cadre `c` out of `seat`, read strictly so
    that a witness meeting these needs no exception: no demotion for any ranked cadre (N-1),
    one step up (N-2), two years at 副科 for a 正科 seat (N-3), a principal not in the
    township they grew up in (N-5), ten years in a post leave the township's team (N-7),
    years of work and, for a party post, of membership (N-8). N-6 is the witness's."""
    on = sc.reshuffle_date
    if c.rank.level > seat.rank.level:
        return "N-1"
    if seat.rank.level - c.rank.level >= 2:
        return "N-2"
    if (seat.rank == Rank.full_section and c.rank == Rank.deputy_section
            and years_since(c.rank_since, on) < PROMOTION_YEARS):
        return "N-3"
    town = sc.townships[seat.township]
    if seat.principal and c.hometown in (town.id, town.name):
        return "N-5"
    if c.sits_in(seat.township) and c.tenure(on) >= 10:
        return "N-7"
    if years_since(c.work_since, on) < WORK_YEARS:
        return "N-8"
    party_seat = any(p in PARTY_POSTS for p in (*seat.posts, *seat.template.optional_posts))
    if party_seat and years_since(c.party_since, on) < PARTY_YEARS:
        return "N-8"
    return None


def national_breaks(sc: Scenario, slate: list[Assignment]) -> list[str]:
    """The national rules a slate breaks, each as 'rule@township/seat': the seated ones of
    `national_fails`, and N-6 (two relatives on one team) per township."""
    seats = {(s.township, s.id): s for s in sc.seats}
    out = [f"{rule}@{a.township}/{a.seat}" for a in slate
           if (rule := national_fails(sc, sc.cadre_by_id[a.cadre], seats[(a.township, a.seat)]))]
    team = {a.cadre: a.township for a in slate}
    for c in sc.cadres:
        for r in c.relatives:
            if c.id in team and team.get(r.cadre) == team[c.id]:
                out.append(f"N-6@{team[c.id]}/{c.id}+{r.cadre}")
    return out


def eligibility(sc: Scenario) -> dict[tuple[str, str], list[Cadre]]:
    """Seat -> cadres that pass every `must` seated rule of the ruleset in force and the
    national rules of section N (`national_fails`)."""
    view = View(
        on=sc.reshuffle_date, townships=sc.townships, seats=sc.seats, cadres=sc.cadre_by_id,
        seated={}, renomination_overrides=sc.renomination_overrides,
    )
    rules = []
    for spec in sc.ruleset_in_force.rules:
        kind = kind_of(spec)
        if spec.strength == Strength.must and isinstance(kind, SeatedKind):
            rules.append((kind, kind.parse(spec)))
    out: dict[tuple[str, str], list[Cadre]] = {}
    by_kind: dict[tuple[str, str], list[Cadre]] = {}  # identical seats (deputy_head#k) once
    for seat in sc.seats:
        town = sc.townships[seat.township]
        key = (seat.township, seat.template.id)
        if key not in by_kind:
            checks = [(kind, p) for kind, p in rules if p.applies(seat)]
            by_kind[key] = [
                c for c in sc.cadres
                if national_fails(sc, c, seat) is None
                and all(kind.fails(p, c, seat, town, view) is None for kind, p in checks)
            ]
        out[(seat.township, seat.id)] = by_kind[key]
    return out


def must_min_count(sc: Scenario, rule_id: str) -> bool:
    spec = sc.ruleset_in_force.rule(rule_id)
    return spec is not None and spec.strength == Strength.must


def match(seats: list[Seat], allowed: dict[tuple[str, str], list[Cadre]]) -> dict[str, str] | None:
    """A seat -> cadre matching covering every seat (Kuhn's augmenting paths), or None."""
    owner: dict[str, str] = {}  # cadre id -> seat key
    chosen: dict[str, str] = {}  # seat key -> cadre id
    keys = {f"{s.township}/{s.id}": allowed[(s.township, s.id)] for s in seats}

    def augment(key: str, seen: set[str]) -> bool:
        for c in keys[key]:
            if c.id in seen:
                continue
            seen.add(c.id)
            if c.id not in owner or augment(owner[c.id], seen):
                owner[c.id] = key
                chosen[key] = c.id
                return True
        return False

    # scarce seats first, so the free ones do not take their few candidates
    for key in sorted(keys, key=lambda k: len(keys[k])):
        if not augment(key, set()):
            return None
    return chosen


def witness(
    sc: Scenario, elig: dict[tuple[str, str], list[Cadre]] | None = None
) -> list[Assignment] | None:
    """A slate meeting the must rules, if matching finds one under imposed seat filters."""
    on = sc.reshuffle_date
    elig = elig or eligibility(sc)
    # N-6: one of each pair of relatives is left out, so no team can hold both
    related = {c.id for c in sc.cadres if c.relatives}
    elig = {k: [c for c in v if c.id not in related] for k, v in elig.items()}
    allowed = dict(elig)
    principal = [s for s in sc.seats if s.principal]

    def women(seat: Seat) -> int:
        return sum(c.gender == Gender.female for c in elig[(seat.township, seat.id)])

    secretary = max((s for s in principal if Post.party_secretary in s.posts), key=women)
    head_seats = [s for s in principal if Post.township_head in s.posts]
    head = max((s for s in head_seats if s.township != secretary.township), key=women,
               default=head_seats[0])
    for seat in (secretary, head):  # D1-K1
        key = (seat.township, seat.id)
        allowed[key] = [c for c in elig[key] if c.gender == Gender.female]
    two_years = must_min_count(sc, "D5-C1")
    for tid in sc.townships:
        team = sc.seats_of(tid)
        deputies = [s for s in team if s.rank == Rank.deputy_section]
        young, woman = deputies[-1], deputies[-2]
        for seat in team:
            key = (tid, seat.id)
            if seat is young:  # D1-C1
                allowed[key] = [c for c in elig[key] if c.age(on) <= 30]
            elif seat is woman and not any(s.township == tid for s in (secretary, head)):
                allowed[key] = [c for c in elig[key] if c.gender == Gender.female]  # D1-C2
            elif two_years:  # D5-C1: all but the young seat have 2+ township years
                allowed[key] = [c for c in allowed[key] if c.township_years >= 2]
    chosen = match(sc.seats, allowed)
    if chosen is None:
        return None
    return with_optional_posts(sc, [
        Assignment(township=k.split("/")[0], seat=k.split("/")[1], cadre=c)
        for k, c in chosen.items()
    ])


def with_optional_posts(sc: Scenario, slate: list[Assignment]) -> list[Assignment]:
    """Give optional posts (committee membership) to the first k seats of each seat
    kind, trying every k until each township's must shape rules hold."""
    seats = {(s.township, s.id): s for s in sc.seats}
    shape = [r for r in sc.ruleset_in_force.rules if r.kind == "team_shape" and r.strength == Strength.must]

    def take(slate: list[Assignment], tid: str, counts: dict[str, int]) -> list[Assignment]:
        out = []
        for a in slate:
            tpl = seats[(a.township, a.seat)].template
            index = int(a.seat.split("#")[1]) if "#" in a.seat else 1
            gets = a.township == tid and index <= counts.get(tpl.id, 0)
            out.append(a.model_copy(update={"extra_posts": tpl.optional_posts}) if gets else a)
        return out

    for tid in sc.townships:
        kinds = sorted({(s.template.id, s.template.count)
                        for s in sc.seats_of(tid) if s.template.optional_posts})
        for ks in itertools.product(*(range(n + 1) for _, n in kinds)):
            trial = take(slate, tid, {kind: k for (kind, _), k in zip(kinds, ks, strict=True)})
            view = make_view(sc, trial)
            if all(i.holds for r in shape for i in kind_of(r).check(r, view) if i.township == tid):
                slate = trial
                break
    return slate


@pytest.mark.parametrize(
    ("ruleset", "townships", "cadres", "seed"),
    [(r, t, n, s) for r, t, n, seeds in CASES for s in seeds],
)
def test_pool_meets_the_must_rules(ruleset: str, townships: int, cadres: int, seed: int) -> None:
    """Every generated pool has enough eligible cadres per seat and a slate that meets every must rule."""
    sc = county(townships, cadres, seed, ruleset)
    on = sc.reshuffle_date
    elig = eligibility(sc)
    n_seats = len(sc.seats)
    assert n_seats == sum(len(sc.sitting[t]) for t in sc.townships)
    thin = {k: len(v) for k, v in elig.items() if len(v) < 3}
    assert not thin, f"seats with fewer than 3 eligible cadres: {thin}"
    usable = {c.id: c for cs in elig.values() for c in cs}
    assert len(usable) >= 2.5 * n_seats, (len(usable), n_seats)
    young = [c for c in usable.values() if c.age(on) <= 30]
    women = [c for c in usable.values() if c.gender == Gender.female]
    assert len(young) >= 2 * townships
    assert len(women) >= 2 * townships
    principal_women = {
        c.id for s in sc.seats if s.principal
        for c in elig[(s.township, s.id)] if c.gender == Gender.female
    }
    assert len(principal_women) >= 3
    for t in sc.county.townships:
        if t.ethnic_minority:
            head = next(s for s in sc.seats_of(t.id) if Post.township_head in s.posts)
            assert len(elig[(t.id, head.id)]) >= 3
            assert all(c.ethnicity == t.ethnic_minority for c in elig[(t.id, head.id)])
    slate = witness(sc, elig)
    assert slate is not None, "no slate meets the must rules under the witness's seat filters"
    verdict = referee(sc, slate)
    broken = [r.key for r in verdict.report if not r.holds and r.strength == Strength.must]
    assert verdict.passes, (verdict.problems, broken)
    assert national_breaks(sc, slate) == []


def test_same_seed_same_county_other_seed_other_county() -> None:
    """The same seed gives the same county; another seed another one."""
    a = generate_county(5, 120, seed=7)
    b = generate_county(5, 120, seed=7)
    c = generate_county(5, 120, seed=8)
    assert a.model_dump() == b.model_dump()
    assert a.model_dump() != c.model_dump()
    assert [x.name for x in a.cadres] != [x.name for x in c.cadres]


def test_shape_of_the_county() -> None:
    """Township ids, names, sizes and ethnic townships look like a real county's."""
    sc = county(12, 400, 1)
    towns = sc.county.townships
    assert [t.id for t in towns] == [f"t{i:02d}" for i in range(1, 13)]
    assert len({t.name for t in towns}) == 12
    assert all(t.name[-1] in "乡镇" for t in towns)
    assert sc.county.name.endswith("县") and sc.ruleset == "xx-2011"
    assert not sc.pins and not sc.bans and not sc.rules
    assert [c.id for c in sc.cadres] == [f"g{i:04d}" for i in range(1, 401)]
    for t in towns:
        assert 8_000 <= t.residents <= 60_000
        assert 0.02 * t.residents - 1 <= t.party_members <= 0.04 * t.residents + 1
        if t.ethnic_minority:
            assert t.name.endswith(t.ethnic_minority + "乡") and t.minority_concentrated
    ethnic = [t for t in towns if t.ethnic_minority]
    assert 1 <= len(ethnic) <= 3
    assert sum(t.minority_concentrated for t in towns) > len(ethnic)


def test_sitting_teams_fill_the_template() -> None:
    """Each sitting team fills its template, with votes and consistent dates for its members only."""
    sc = county(6, 250, 1, "county-2017")
    for tid in sc.townships:
        seats = sc.seats_of(tid)
        posts = Counter(c.current_post for c in sc.sitting[tid])
        assert sum(posts.values()) == len(seats)
        assert posts[Post.party_secretary] == 1 and posts[Post.township_head] == 1
        assert posts[Post.deputy_secretary] == 0 and posts[Post.committee_member] == 0
        assert posts[Post.deputy_head] == sum(1 for s in seats if s.posts == (Post.deputy_head,))
        for c in sc.sitting[tid]:
            assert c.recommendation_share is not None and c.incompetent_share is not None
            assert c.leadership_years >= c.tenure(sc.reshuffle_date)
            assert c.township_years >= c.leadership_years
            assert c.rank_since is not None and c.rank_since <= c.post_since
    others = [c for c in sc.cadres if not c.is_sitting]
    assert all(c.recommendation_share is None for c in others)


def test_tenures_make_rotation_bite() -> None:
    """Tenures spread from 0 to 10+ years, so the rotation rules have work to do."""
    sc = county(12, 400, 1)
    tenures = [c.tenure(sc.reshuffle_date) for t in sc.sitting.values() for c in t]
    assert min(tenures) == 0 and max(tenures) >= 10
    assert sum(t >= 5 for t in tenures) >= 10
    assert 1 <= sum(t >= 10 for t in tenures) <= 0.2 * len(tenures)


def test_marginals() -> None:
    """Shares of women, ages, education, minorities, reserves and origins are realistic."""
    sc = county(12, 400, 1)
    on = sc.reshuffle_date
    people = sc.cadres
    women = sum(c.gender == Gender.female for c in people) / len(people)
    assert 0.15 <= women <= 0.25
    ages = [c.age(on) for c in people]
    assert min(ages) >= 24 and max(ages) <= 58
    assert 36 <= statistics.median(ages) <= 44
    edu = Counter(c.education for c in people)
    assert edu[Education.bachelor] + edu[Education.college] > 0.5 * len(people)
    assert edu[Education.postgraduate] > 0
    minority = sum(c.is_minority for c in people) / len(people)
    assert 0.05 <= minority <= 0.12
    assert 0.10 <= sum(c.reserve for c in people) / len(people) <= 0.20
    assert 0.02 <= sum(c.outstanding for c in people) / len(people) <= 0.08
    assert {c.origin for c in people} == set(type(people[0].origin))
    assert all(len(c.grades) == 3 and 1 <= len(c.expertise) <= 2 for c in people)


def test_no_minorities_without_a_share() -> None:
    """With a minority share of 0 no cadre is a minority."""
    sc = generate_county(8, 200, seed=3, minority_share=0.0, ruleset="qiong-2011")
    assert not any(c.is_minority for c in sc.cadres)
    assert not any(t.ethnic_minority or t.minority_concentrated for t in sc.county.townships)


def test_other_dates_and_names() -> None:
    """Another reshuffle date (a leap day) and name are taken as given, and the county is still solvable."""
    sc = generate_county(4, 100, seed=2, reshuffle_date=date(2024, 2, 29), name="试算")
    assert sc.name == "试算" and sc.reshuffle_date == date(2024, 2, 29)
    assert witness(sc) is not None


def test_too_few_cadres_is_refused() -> None:
    """A pool too small to fill the seats, or an unknown ruleset, is refused with a message."""
    with pytest.raises(ValueError, match="too few"):
        generate_county(10, 80, seed=1)
    with pytest.raises(ValueError, match="unknown ruleset"):
        generate_county(3, 100, seed=1, ruleset="nope")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_record_is_consistent(seed: int) -> None:
    """Every generated record is consistent with itself (dates, ranks, posts)."""
    sc = county(12, 400, seed)
    on = sc.reshuffle_date
    for c in sc.cadres:
        age = c.age(on)
        assert c.leadership_years <= c.township_years <= age - 16, c
        if c.rank == Rank.none:
            assert c.rank_since is None and c.current_post is None
        else:
            assert c.rank_since is not None and c.rank_since <= on
            assert c.rank_since.year - c.birth_date.year >= 18, c
        if c.current_post is not None:
            assert c.post_since is not None and c.post_since.year - c.birth_date.year >= 18
        assert (c.current_township is None) == (c.origin in (Origin.county_organ, Origin.enterprise)
                                                 and c.current_post is None), c
        assert c.current_unit
        if c.is_sitting:
            assert c.rank == next(
                s.rank for s in sc.seats_of(c.current_township) if c.current_post in s.posts
            )


# --------------------------------------------------------------------------- careers


PRESET_CASES = [("xx-2011", 12, 400, 1), ("qiong-2011", 8, 300, 1), ("county-2017", 6, 250, 1)]


def seat_of(sc: Scenario, c: Cadre) -> Seat:
    """The sitting seat a member holds: the seat of their township known by their post."""
    assert c.current_township is not None
    return next(s for s in sc.seats_of(c.current_township) if s.main_post == c.current_post)


def principals(sc: Scenario) -> list[Cadre]:
    return [c for t in sc.sitting.values() for c in t if seat_of(sc, c).principal]


@pytest.mark.parametrize(("ruleset", "townships", "cadres", "seed"), PRESET_CASES)
def test_sitting_careers_match_their_seats(ruleset: str, townships: int, cadres: int, seed: int) -> None:
    """Every sitting member holds their seat's rank (正科 principals, 副科 deputies), took it at
    or before the post after some years of work, and, in a party post, joined the party before."""
    sc = county(townships, cadres, seed, ruleset)
    on = sc.reshuffle_date
    for c in (c for t in sc.sitting.values() for c in t):
        seat = seat_of(sc, c)
        assert c.rank == seat.rank, c
        assert c.rank_since is not None and c.post_since is not None and c.work_since is not None
        assert c.rank_since <= c.post_since <= on
        assert full_years(c.work_since, c.rank_since) >= 2, c  # some years of work before the rank
        assert c.leadership_years >= c.tenure(on)
        if c.rank == Rank.deputy_section:  # every township leadership year was at 副科
            assert full_years(c.rank_since, on) >= c.leadership_years, c
        if any(p in PARTY_POSTS for p in seat.posts):
            assert c.party_since is not None and c.party_since < c.rank_since, c
        assert c.hometown != c.current_township or not seat.principal  # N-5 holds today


def test_principals_tenure_spread() -> None:
    """Most principals are 2-8 years in post; a few are under 2 (N-4) and a few 10+ (D1-R1, N-7)."""
    tenures = [c.tenure(sc.reshuffle_date) for seed in (1, 2, 3) for sc in [county(12, 400, seed)]
               for c in principals(sc)]
    assert len(tenures) == 72
    assert sum(2 <= t <= 8 for t in tenures) >= 0.75 * len(tenures)
    assert 1 <= sum(t < 2 for t in tenures) <= 0.12 * len(tenures)
    assert 1 <= sum(t >= 10 for t in tenures) <= 0.12 * len(tenures)
    assert statistics.median(tenures) == 5  # most took the post at the last reshuffle


@pytest.mark.parametrize(("ruleset", "townships", "cadres", "seed"), PRESET_CASES)
def test_ranks_outside_the_teams(ruleset: str, townships: int, cadres: int, seed: int) -> None:
    """Outside the teams most cadres are 副科 or without rank, a few 正科 in county organs, and
    each 正科 seat has cadres of rank for it: 无 is never all a 正科 seat could take."""
    sc = county(townships, cadres, seed, ruleset)
    on = sc.reshuffle_date
    others = [c for c in sc.cadres if not c.is_sitting]
    full = [c for c in others if c.rank == Rank.full_section]
    assert 1 <= len(full) <= 0.1 * len(others)
    assert all(c.origin == Origin.county_organ and c.current_township is None for c in full)
    assert sum(c.rank == Rank.deputy_section for c in others) >= 0.2 * len(others)
    elig = eligibility(sc)
    for seat in sc.seats:
        if seat.rank == Rank.full_section:
            ready = elig[(seat.township, seat.id)]
            assert len(ready) >= 3 and all(c.rank != Rank.none for c in ready), seat
            assert all(c.rank == Rank.full_section or full_years(c.rank_since, on) >= 2 for c in ready)


def test_marginals_of_the_career_facts() -> None:
    """Work starts after school (18-27 by education), most but not all cadres are party members
    who joined after 18, about a third grew up in the county, and 1-2% of the pool has a relative in it."""
    sc = county(12, 400, 1)
    on = sc.reshuffle_date
    people = sc.cadres
    for c in people:
        assert c.work_since is not None and c.work_since <= on
        start = full_years(c.birth_date, c.work_since)
        assert 18 <= start <= 27, c
        if c.education.level >= Education.bachelor.level:
            assert start >= 20, c
        if c.party_since is not None:
            assert full_years(c.birth_date, c.party_since) >= 18 and c.party_since <= on
    assert 0.7 <= sum(c.party_since is not None for c in people) / len(people) <= 0.92
    towns = set(sc.townships)
    home = Counter("county" if c.hometown in towns else "none" if c.hometown is None else "outside"
                   for c in people)
    assert 0.25 <= home["county"] / len(people) <= 0.42, home
    assert 0.05 <= home["none"] / len(people) <= 0.2, home
    assert all(not h.endswith(("乡", "镇")) and h != sc.county.name
               for h in (c.hometown for c in people) if h and h not in towns)
    related = {c.id for c in people if c.relatives} | {r.cadre for c in people for r in c.relatives}
    assert 0.01 * len(people) <= len(related) <= 0.025 * len(people)


@pytest.mark.parametrize(("ruleset", "townships", "cadres", "seed"),
                         [(r, t, n, s) for r, t, n, seeds in CASES for s in seeds])
def test_relatives_look_real_and_force_nothing(ruleset: str, townships: int, cadres: int, seed: int) -> None:
    """Relatives come in pairs of the four kinds, written on one side, never on one sitting team;
    spouses differ in gender, parent and child are a generation apart, blood relatives share a hometown."""
    sc = county(townships, cadres, seed, ruleset)
    on = sc.reshuffle_date
    pairs = [(c, sc.cadre_by_id[r.cadre], r.kind) for c in sc.cadres for r in c.relatives]
    assert pairs
    ids = [x.id for a, b, _ in pairs for x in (a, b)]
    assert len(ids) == len(set(ids))  # disjoint pairs, each written once
    for a, b, kind in pairs:
        assert not (a.is_sitting and b.is_sitting and a.current_township == b.current_township)
        gap = abs(a.age(on) - b.age(on))
        if kind == Kinship.spouse:
            assert a.gender != b.gender and gap <= 6
        if kind == Kinship.direct_blood:
            assert 22 <= gap <= 32
        if kind in (Kinship.direct_blood, Kinship.collateral_blood) and not (
                a.is_sitting and seat_of(sc, a).principal and b.hometown == a.current_township):
            assert a.hometown == b.hometown


def test_the_demo_county_is_the_readme_command() -> None:
    """scenarios/demo-county is what `huanjie generate --townships 12 --cadres 400 --seed 1` writes,
    the four career columns filled."""
    from model.io import load_scenario

    demo = Path(__file__).resolve().parents[2] / "scenarios" / "demo-county"
    assert load_scenario(demo) == generate_county(12, 400, 1)
    header = (demo / "cadres.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[-4:] == ["成长地", "参加工作时间", "入党时间", "亲属关系"]
