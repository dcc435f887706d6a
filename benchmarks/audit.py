"""The officer's audit of issue 11: do the slates read as career decisions?

    python -m benchmarks.audit [--counties 5] [--top 3] [--json benchmarks/results/audit.json]

Solves the three presets x N generated counties (12 townships, 420 cadres, seeds
1..N) for the top 3 slates each, and counts over all slates what an officer
would reject: rank against seat (a 正科 cadre in a 副科 seat, 无 -> 正科, 副科 ->
正科 under two years or one), young secretaries, teams where no sitting member
keeps a post, moves between townships, and sitting members left without a seat
(and how many of them the slate names on its list of leavers). The counts are
read from the slate's facts (ranks, dates, posts), not from its 变动 words, so
the same script audits the code before and after a change.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from model.enums import Post, Rank
from model.generator import generate_county
from model.people import full_years
from model.scenario import Scenario
from model.slate import Slate

PRESETS = ("qiong-2011", "xx-2011", "county-2017")


def audit_slate(sc: Scenario, slate: Slate) -> Counter:
    """The counts of one slate."""
    on = sc.reshuffle_date
    seats = {(s.township, s.id): s for s in sc.seats}
    out: Counter = Counter()
    seated: set[str] = set()
    keeps: Counter = Counter()
    for a in slate.assignments:
        c, seat = sc.cadre_by_id[a.cadre], seats[(a.township, a.seat)]
        seated.add(c.id)
        out["seats"] += 1
        if c.rank == Rank.full_section and seat.rank == Rank.deputy_section:
            out["full_in_deputy_seat"] += 1
        if c.rank == Rank.none and seat.rank == Rank.full_section:
            out["none_to_full"] += 1
        if c.rank == Rank.deputy_section and seat.rank == Rank.full_section:
            years = full_years(c.rank_since, on) if c.rank_since else 0
            out["deputy_to_full_under_2y"] += years < 2
            out["deputy_to_full_under_1y"] += years < 1
        if Post.party_secretary in seat.posts:
            out["secretaries"] += 1
            out["secretaries_under_30"] += c.age(on) < 30
        if c.is_sitting and c.current_township == a.township and c.current_post == seat.main_post:
            keeps[a.township] += 1
        if c.is_sitting and c.current_township != a.township:
            out["moves_between_townships"] += 1
        if c.is_sitting and c.current_post == Post.party_secretary and seat.main_post == Post.deputy_head:
            out["secretary_to_deputy_head"] += 1
    out["teams"] += len(sc.townships)
    out["teams_no_member_keeps_post"] += sum(1 for t in sc.townships if keeps[t] == 0)
    sitting = [c for c in sc.cadres if c.is_sitting]
    unseated = {c.id for c in sitting if c.id not in seated}
    out["sitting"] += len(sitting)
    out["sitting_without_seat"] += len(unseated)
    named = {getattr(x, "cadre", None) for x in getattr(slate, "leavers", ())}
    out["leavers_named"] += len(unseated & named)
    return out


def run(counties: int, top: int, time_limit: float) -> dict[str, Any]:
    from solver import solve

    total: Counter = Counter()
    per: dict[str, dict[str, int]] = {}
    for preset in PRESETS:
        for seed in range(1, counties + 1):
            sc = generate_county(12, 420, seed, ruleset=preset)
            res = solve(sc, time_limit=time_limit, workers=2, top=top)
            counts: Counter = Counter(slates=len(res.slates))
            for slate in res.slates:
                counts += audit_slate(sc, slate)
            per[f"{preset}/{seed}"] = dict(counts)
            total += counts
            print(f"{preset} seed {seed}: {res.status} {len(res.slates)} slates", flush=True)
    return {"total": dict(total), "counties": per}


ROWS = [
    ("slates", "slates"),
    ("full_in_deputy_seat", "正科 cadres in 副科 seats"),
    ("none_to_full", "无 rank into 正科 seats (越级)"),
    ("deputy_to_full_under_2y", "副科 -> 正科 under 2 years"),
    ("deputy_to_full_under_1y", "副科 -> 正科 under 1 year"),
    ("secretary_to_deputy_head", "sitting secretaries made 副乡镇长"),
    ("secretaries_under_30", "secretaries under 30"),
    ("teams_no_member_keeps_post", "teams where no sitting member keeps a post"),
    ("moves_between_townships", "sitting members moved between townships (交流)"),
    ("sitting_without_seat", "sitting members without a seat"),
    ("leavers_named", "of them named on a leavers list"),
]


def table(result: dict[str, Any]) -> str:
    t = result["total"]
    lines = ["| count | over all slates |", "|---|---|"]
    lines += [f"| {label} | {t.get(key, 0)} |" for key, label in ROWS]
    lines.append(f"| teams | {t.get('teams', 0)} |")
    lines.append(f"| seats | {t.get('seats', 0)} |")
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--counties", type=int, default=5)
    p.add_argument("--top", type=int, default=3)
    p.add_argument("--time-limit", type=float, default=60.0)
    p.add_argument("--json", default=None)
    args = p.parse_args()
    result = run(args.counties, args.top, args.time_limit)
    print(table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
