"""Section P on the domain side: seat counts on their boundaries, the apportionment by hand and its
house monotonicity, the readers' located errors, and each P rule's check on a case that breaks it
and one that does not."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.congress import apportion, seat_count
from model.enums import Gender, Occupation
from model.errors import InputErrors
from model.membership import CongressFacts, ElectoralUnit, Nominee, load_membership
from model.people import Township
from model.representatives import RepProblem, RepSelection, UnitLists, check_selection
from model.ruleset import RuleSpec, load_preset

ON = date(2026, 9, 1)


def spec(preset: str, rule: str) -> RuleSpec:
    return next(r for r in load_preset(preset).representatives if r.id == rule)


def town(members: int, branches: int) -> Township:
    return Township(id="t", name="T", party_members=members, party_branches=branches)


@pytest.mark.parametrize(("members", "seats"), [(499, 100), (500, 100), (100, 20), (1600, 200), (400, 80)])
def test_d1_p1_seats_at_500_members(members: int, seats: int) -> None:
    """D1-P1: below 500 members 20% (499 -> 99.8 -> 100), from 500 on 20% within 100-200."""
    got = seat_count(spec("qiong-2011", "D1-P1"), town(members, 10), CongressFacts())
    assert got.seats == seats
    assert all(r.args["rule"] == "D1-P1" for r in got.reasons)
    assert got.reasons[0].code == ("rep_seats_share" if members < 500 else "rep_seats_large")


def test_d1_p1_proposal_capped_at_300() -> None:
    """D1-P1: a proposal of 350 for a large township is clamped to 200 (generally) and never above 300."""
    got = seat_count(spec("qiong-2011", "D1-P1"), town(3000, 10), CongressFacts(proposed_seats=350))
    assert got.seats == 200
    assert [r.code for r in got.reasons] == ["rep_seats_large", "rep_seats_clamped"]


@pytest.mark.parametrize(("branches", "per"), [(29, 50), (30, 40), (70, 40), (71, 30)])
def test_d2_p1_branch_tiers(branches: int, per: int) -> None:
    """D2-P1: 29 branches +1 per 50 members, 30 and 70 per 40, 71 per 30 (base 40)."""
    got = seat_count(spec("xx-2011", "D2-P1"), town(2400, branches), CongressFacts())
    assert got.seats == min(200, 40 + 2400 // per)
    assert got.reasons[0].args["per"] == per


def test_d2_p1_clamp_and_last_congress() -> None:
    """D2-P1: below 40 raised to 40, above 200 lowered to 200, then not more than the last congress."""
    rule = spec("xx-2011", "D2-P1")
    assert seat_count(rule, town(9000, 100), CongressFacts()).seats == 200
    assert seat_count(rule, town(30, 3), CongressFacts()).seats == 30  # 40, but never above the 30 members
    assert seat_count(rule, town(1000, 20), CongressFacts(last_seats=55)).seats == 55
    conflict = seat_count(rule, town(1000, 20), CongressFacts(last_seats=35))
    assert conflict.seats == 35 and conflict.broken == ["D2-P1"]
    assert "rep_seats_conflict" in [r.code for r in conflict.reasons]


def test_d5_p1_range() -> None:
    """D5-P1: a proposal within 100-200 stands; without one 20% of the members within 100-200."""
    rule = spec("county-2017", "D5-P1")
    assert seat_count(rule, town(800, 20), CongressFacts(proposed_seats=150)).seats == 150
    assert seat_count(rule, town(800, 20), CongressFacts()).seats == 160
    assert seat_count(rule, town(5000, 20), CongressFacts(proposed_seats=320)).seats == 200


def unit(uid: str, members: int) -> ElectoralUnit:
    return ElectoralUnit(township="t", id=uid, name=uid, members=members)


def test_apportionment_by_hand() -> None:
    """110/60/20 members, 6 seats: 1 each, then A (110/3), A (110/5=22 > 60/3=20), B (20 > 110/7): 3, 2, 1."""
    got = apportion([unit("a", 110), unit("b", 60), unit("c", 20)], 6)
    assert got.seats == {"a": 3, "b": 2, "c": 1}
    assert got.method == "sainte_lague_min1" and got.each_has_one


def test_apportionment_fewer_seats_than_units() -> None:
    """Two seats for three units: the largest two get one, and D2-P1's one each is reported broken."""
    got = apportion([unit("a", 10), unit("b", 60), unit("c", 25)], 2)  # c: 25 > 60/3
    assert got.seats == {"a": 0, "b": 1, "c": 1} and not got.each_has_one
    assert got.reasons[-1].code == "rep_unit_without_seat"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(3, 500), min_size=1, max_size=12), st.integers(0, 60))
def test_apportionment_house_monotone(sizes: list[int], seats: int) -> None:
    """Adding a seat never takes one from a unit, and every seat is given."""
    units = [unit(f"u{i}", m) for i, m in enumerate(sizes)]
    before, after = apportion(units, seats).seats, apportion(units, seats + 1).seats
    assert sum(after.values()) == seats + 1
    assert all(after[k] >= before[k] for k in before)


# --------------------------------------------------------------------------- readers

UNITS = "乡镇,编号,名称,党员数,女党员数\nt,u1,一支部,10,3\nt,u1,二支部,5,9\nx,u3,三支部,abc,1\n"
NOMINEES = (
    "编号,姓名,乡镇,选举单位,性别,出生日期,身份\n"
    "n1,甲,t,u1,女,1980-01-01,农牧民\n"
    "n1,乙,t,u9,男,,工人\n"
    "n3,丙,t,u1,妖,1980-13-01,宇航员\n"
)


def test_reader_errors_located_in_one_pass() -> None:
    """Every bad cell and reference of both files is reported at once, by file, row, field and value."""
    with pytest.raises(InputErrors) as e:
        load_membership(
            (UNITS.encode(), "units.csv"), (NOMINEES.encode(), "nominees.csv"), None, {"t": 20}, ON
        )
    got = {(x.file, x.row, x.field, x.value) for x in e.value.errors}
    assert ("units.csv", 4, "党员数", "abc") in got
    assert ("units.csv", 3, "编号", "u1") in got  # duplicate unit
    assert ("units.csv", 3, "女党员数", "9") in got  # more women than members
    assert ("nominees.csv", 3, "编号", "n1") in got  # duplicate nominee
    assert ("nominees.csv", 3, "选举单位", "u9") in got
    assert ("nominees.csv", 3, "出生日期", "") in got  # neither birth date nor age
    assert ("nominees.csv", 4, "性别", "妖") in got
    assert ("nominees.csv", 4, "出生日期", "1980-13-01") in got
    assert ("nominees.csv", 4, "身份", "宇航员") in got


def test_reader_reads_excel(tmp_path) -> None:
    """A nominee roll in a workbook with a title row above the Chinese header reads like the CSV."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["代表候选人推荐人选"])
    for line in NOMINEES.splitlines()[:2]:
        ws.append(line.split(","))
    out = tmp_path / "n.xlsx"
    wb.save(out)
    units = "乡镇,编号,名称,党员数\nt,u1,一支部,20\n"
    m = load_membership((units.encode(), "units.csv"), (out.read_bytes(), "n.xlsx"), None, {"t": 20}, ON)
    assert [(n.id, n.occupation) for n in m.nominees] == [("n1", Occupation.farmer_herder)]


# --------------------------------------------------------------------------- rule pairs


def nominee(i: int, **kw: object) -> Nominee:
    base: dict[str, object] = dict(
        id=f"n{i}",
        name=f"N{i}",
        township="t",
        unit="u",
        gender=Gender.male,
        age=40,
        occupation=Occupation.farmer_herder,
    )
    return Nominee(**{**base, **kw})


def problem(
    preset: str,
    rule: str,
    nominees: list[Nominee],
    seats: int,
    facts: CongressFacts | None = None,
    **unit_kw: int,
) -> RepProblem:
    u = ElectoralUnit(township="t", id="u", name="u", members=100, **unit_kw)
    return RepProblem(
        "t", ON, (u,), {"u": seats}, tuple(nominees), facts or CongressFacts(), (spec(preset, rule),)
    )


def sel(elected: list[str], final: list[str] | None = None, initial: list[str] | None = None) -> RepSelection:
    final = final if final is not None else elected
    initial = initial if initial is not None else final
    return RepSelection(
        township="t",
        units=(
            UnitLists(
                unit="u",
                seats=len(elected),
                initial=tuple(initial),
                final=tuple(final),
                elected=tuple(elected),
            ),
        ),
    )


def broken(p: RepProblem, s: RepSelection) -> list[str]:
    return [i.key for i in check_selection(p, s) if not i.holds]


def test_d1_p2_women_share_pair() -> None:
    """D1-P2: 30% women members need 30% women representatives: 1 of 4 breaks it, 2 of 4 holds."""
    ns = [nominee(i, gender=Gender.female if i < 2 else Gender.male) for i in range(4)]
    p = problem("xx-2011", "D1-P2", ns, 4, women=30)
    assert broken(p, sel([*["n0", "n2", "n3", "n1"][1:], "n0"])) == []
    p1 = problem("xx-2011", "D1-P2", [*ns[:1], *ns[2:], nominee(4)], 4, women=30)
    assert broken(p1, sel(["n0", "n2", "n3", "n4"])) == ["D1-P2@t#women"]


def test_d1_p3_front_line_pair() -> None:
    """D1-P3: front line above last congress's 75%: 3 of 4 breaks it (equal is not higher), 4 of 4 holds."""
    ns = [nominee(0, occupation=Occupation.organ_cadre), *(nominee(i) for i in range(1, 5))]
    p = problem("xx-2011", "D1-P3", ns, 4, CongressFacts(last_front_line=0.75))
    assert broken(p, sel(["n0", "n1", "n2", "n3"])) == ["D1-P3@t#front_line"]
    assert broken(p, sel(["n1", "n2", "n3", "n4"])) == []


def test_d2_p2_pair() -> None:
    """D2-P2: 3 of 4 cadres (above 60%) and 1 of 4 aged 45 or younger (below 50%) break it; a mix holds."""
    ns = [nominee(i, occupation=Occupation.village_cadre, age=50) for i in range(3)] + [
        nominee(3, age=45),
        nominee(4, age=30),
    ]
    p = problem("xx-2011", "D2-P2", ns, 4)
    assert broken(p, sel(["n0", "n1", "n2", "n3"])) == ["D2-P2@t#cadres", "D2-P2@t#young"]
    assert broken(p, sel(["n0", "n1", "n3", "n4"])) == []


def test_d5_p2_workers_farmers_pair() -> None:
    """D5-P2: workers and farmers 2 of 4 (50%) breaks the 60% floor, 3 of 4 holds."""
    ns = [nominee(i, occupation=Occupation.professional) for i in range(2)] + [
        nominee(i) for i in range(2, 5)
    ]
    p = problem("county-2017", "D5-P2", ns, 4)
    assert broken(p, sel(["n0", "n1", "n2", "n3"])) == ["D5-P2@t#workers_farmers"]
    assert broken(p, sel(["n0", "n2", "n3", "n4"])) == []


def test_d1_p4_lists_pair() -> None:
    """D1-P4 (qiong-2011, D1's 多于): 5 seats need 7 initial (6.5 up) and a final list above 6 (20% more):
    6 and 6 break both, 7 and 7 hold."""
    ns = [nominee(i) for i in range(8)]
    p = problem("qiong-2011", "D1-P4", ns, 5)
    five = [f"n{i}" for i in range(5)]
    assert broken(p, sel(five, [*five, "n5"], [*five, "n5"])) == ["D1-P4@t/u#initial", "D1-P4@t/u#final"]
    seven = [*five, "n5", "n6"]
    assert broken(p, sel(five, seven, seven)) == []


def test_d2_p3_disqualified_pair() -> None:
    """D2-P3: a nominee sanctioned 2 years ago may not be listed; one sanctioned 6 years ago may."""
    ns = [
        nominee(0, serious_sanction=date(2024, 9, 1)),
        nominee(1, serious_sanction=date(2020, 8, 1)),
        nominee(2),
    ]
    p = problem("xx-2011", "D2-P3", ns, 1)
    assert broken(p, sel(["n0"])) == ["D2-P3@t/n0"]
    assert broken(p, sel(["n1"])) == []


def test_d1_p5_overlap_pair() -> None:
    """D1-P5: a people's-congress representative expected to be elected breaks it; listed only, it holds."""
    ns = [nominee(0, peoples_congress=True), nominee(1)]
    p = problem("xx-2011", "D1-P5", ns, 1)
    assert broken(p, sel(["n0"])) == ["D1-P5@t/n0"]
    assert broken(p, sel(["n1"], ["n1", "n0"])) == []
