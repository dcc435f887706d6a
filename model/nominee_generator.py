"""A generated membership and nominee rolls for a scenario's townships, like the county generator
(model/generator.py): the same seed gives the same files.

Each township's party members are dealt over its branches (one electoral unit per branch, at
least 3 members each, Party Constitution art. 30); the seats come from the preset's seat rule and
the apportionment (model/congress.py); each unit gets about 1.6 nominees per seat, so the 30%
initial list of D1-P4 can be drawn with a few to spare. The mix of occupations, women, minorities,
ages and 两新 members is set so the quotas usually hold, with a few disqualified nominees (D2-P3)
and people's-congress representatives (D1-P5) among them.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from model.congress import apportion, seat_count
from model.enums import Gender, Occupation
from model.generator import MINORITIES, _person_name
from model.membership import CongressFacts, CongressSettings, ElectoralUnit, Membership, Nominee
from model.people import Township
from model.scenario import Scenario

OCCUPATION_MIX = {Occupation.organ_cadre: 12, Occupation.village_cadre: 22, Occupation.economic_org_cadre: 4,
                  Occupation.social_org_cadre: 3, Occupation.worker: 14, Occupation.farmer_herder: 38,
                  Occupation.professional: 5, Occupation.other: 2}
"""Percent of nominees: workers and farmers/herders 52% of nominees, so the elected can reach D5-P2's 60%."""

NOMINEES_PER_SEAT = 1.6
DISQUALIFIED = 0.03
PEOPLES_CONGRESS = 0.08


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` members over `parts` branches, 3 or more each, sizes spread like real branches."""
    parts = max(1, min(parts, total // 3))
    weights = [rng.lognormvariate(0, 0.5) for _ in range(parts)]
    rest = total - 3 * parts
    sizes = [3 + math.floor(rest * w / sum(weights)) for w in weights]
    for i in range(total - sum(sizes)):
        sizes[i % parts] += 1
    return sizes


def _units(rng: random.Random, t: Township) -> list[ElectoralUnit]:
    minority_share = 0.35 if (t.minority_concentrated or t.ethnic_minority) else 0.03
    out = []
    for k, members in enumerate(_split(rng, t.party_members, max(t.party_branches, 1)), 1):
        women = sum(rng.random() < 0.27 for _ in range(members))
        minorities = sum(rng.random() < minority_share for _ in range(members))
        two_new = sum(rng.random() < 0.06 for _ in range(members))
        out.append(ElectoralUnit(township=t.id, id=f"{t.id}b{k:02d}", name=f"第{k}党支部", members=members,
                                 women=women, minorities=minorities, two_new=two_new))
    return out


def _nominee(rng: random.Random, t: Township, unit: ElectoralUnit, n: int, on: date) -> Nominee:
    women_share = unit.women / unit.members
    gender = Gender.female if rng.random() < min(0.6, women_share + 0.12) else Gender.male
    minority = rng.random() < min(0.9, unit.minorities / unit.members + 0.05)
    ethnicity = (t.ethnic_minority or rng.choice(MINORITIES)) if minority else "汉族"
    age = max(22, min(70, round(rng.gauss(43, 10))))
    birth = on - timedelta(days=365 * age + rng.randrange(1, 300))
    occupation = rng.choices(list(OCCUPATION_MIX), list(OCCUPATION_MIX.values()))[0]
    bad = rng.random() < DISQUALIFIED
    ground = rng.randrange(4) if bad else -1
    return Nominee(
        id=f"{unit.id}n{n:02d}", name=_person_name(rng, gender), township=t.id, unit=unit.id, gender=gender,
        ethnicity=ethnicity, birth_date=birth, occupation=occupation,
        two_new=rng.random() < min(0.9, unit.two_new / unit.members + 0.05),
        votes=rng.randrange(10, 60),
        serious_sanction=on - timedelta(days=rng.randrange(200, 1500)) if ground == 0 else None,
        criminal_penalty=on - timedelta(days=rng.randrange(200, 1500)) if ground == 1 else None,
        under_investigation=ground == 2, unqualified_year=on.year - 2 if ground == 3 else None,
        peoples_congress=rng.random() < PEOPLES_CONGRESS)


def generate_membership(sc: Scenario, seed: int = 1) -> Membership:
    """Units, nominees and last-congress facts for every township of the scenario."""
    rng = random.Random(seed)
    spec = next((r for r in sc.base_ruleset.representatives if r.kind == "rep_seats"), None)
    units: list[ElectoralUnit] = []
    nominees: list[Nominee] = []
    facts: dict[str, CongressFacts] = {}
    for t in sc.county.townships:
        mine = _units(rng, t)
        units += mine
        seats = 0
        if spec is not None:
            seats = seat_count(spec, t, CongressFacts(), len(mine)).seats
        facts[t.id] = CongressFacts(last_seats=seats + rng.randrange(0, 8),
                                    last_front_line=round(rng.uniform(0.6, 0.7), 2), last_differential=0.2)
        split = apportion(mine, seats).seats
        for u in mine:
            for n in range(1, math.ceil(NOMINEES_PER_SEAT * split[u.id]) + 2):
                nominees.append(_nominee(rng, t, u, n, sc.reshuffle_date))
    return Membership(tuple(units), tuple(nominees), CongressSettings(townships=facts))
