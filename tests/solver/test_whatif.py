"""Diverse top-K, infeasibility with its minimal conflict and relaxation,
forced solves (recommend / why-not) and what-if diffs."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from model.diff import SeatChange, diff_slates
from model.io import load_scenario
from model.referee import referee
from model.scenario import Pin, Scenario
from model.slate import Alternatives, Assignment, Slate, SolveResult
from service.cli import main
from service.render.infeasible import reason_lines
from service.render.words import Names, say
from solver import apply_relaxations, explain_infeasible, solve
from solver.compare import compare
from solver.forced import recommend, why_not
from tests.factory import cadre, scenario, township
from tests.solver.test_solver_exact import TINY, tiny

ROOT = Path(__file__).resolve().parents[2]


def distance(a: Slate, b: Slate) -> int:
    """Seats held by a different cadre (identical seats compared as a set)."""
    def held(s: Slate) -> dict[tuple[str, str], list[str]]:
        out: dict[tuple[str, str], list[str]] = {}
        for x in s.assignments:
            out.setdefault((x.township, x.seat.split("#")[0]), []).append(x.cadre)
        return out

    ha, hb = held(a), held(b)
    return sum(len(set(ha[k]) - set(hb.get(k, []))) for k in ha)


def pool(n: int) -> list:
    """A varied pool that fills the tiny ruleset's seats in many ways."""
    return [
        cadre(f"c{i}", age=30 + (i * 7) % 15, gender="female" if i % 3 == 0 else "male",
              rank="full_section" if i % 2 else "deputy_section", township_years=i % 4,
              leadership_years=i % 3, grades=(("excellent", "competent", "competent")[i % 3],) * 3,
              reserve=i % 5 == 0)
        for i in range(n)
    ]


@pytest.mark.parametrize("d", [1, 2, 3])
def test_diverse_slates_are_far_apart(d: int) -> None:
    """With --diversity D every pair of returned slates differs in at least D seats."""
    sc = tiny(["t1", "t2"], pool(9))
    res = solve(sc, time_limit=20, top=4, diversity=d)
    assert len(res.slates) >= 2
    for a, b in itertools.combinations(res.slates, 2):
        assert distance(a, b) >= d
    objectives = [s.score.objective for s in res.slates]
    assert objectives == sorted(objectives, reverse=True)


def all_passing(sc: Scenario) -> list[tuple[int, Slate]]:
    """Every slate that passes the referee, with its objective (exhaustive)."""
    out = []
    for combo in itertools.permutations(sc.cadres, len(sc.seats)):
        asg = [Assignment(township=s.township, seat=s.id, cadre=c.id)
               for s, c in zip(sc.seats, combo, strict=True)]
        v = referee(sc, asg)
        if v.passes:
            out.append((v.score.objective, Slate(assignments=tuple(asg), score=v.score)))
    return out


@pytest.mark.parametrize("d", [2, 3])
def test_second_slate_is_the_best_far_enough_from_the_first(d: int) -> None:
    """On a tiny county the second slate is the true best among slates at distance >= D from the first."""
    sc = tiny(["t1", "t2"], pool(7))
    res = solve(sc, time_limit=20, top=2, diversity=d)
    first = res.slates[0]
    far = [obj for obj, s in all_passing(sc) if distance(first, s) >= d]
    if not far:
        assert len(res.slates) == 1
    else:
        assert res.slates[1].score.objective == max(far)


def principals(sc: Scenario, s: Slate) -> frozenset[tuple[str, str, str]]:
    """The slate's principal (township, seat, cadre) pairs: who is 书记 and 乡镇长 where."""
    principal = {(x.township, x.id) for x in sc.seats if x.principal}
    return frozenset((a.township, a.seat, a.cadre) for a in s.assignments
                     if (a.township, a.seat) in principal)


def check_principal_alternatives(sc: Scenario, res: SolveResult) -> None:
    """Each returned slate is the true best (exhaustive) of the slates whose principal
    pairs differ from those of every slate before it; fewer slates only when none is left."""
    passing = all_passing(sc)
    for k in range(len(res.slates) + (len(res.slates) < res.settings.top)):
        before = {principals(sc, s) for s in res.slates[:k]}
        left = [obj for obj, s in passing if principals(sc, s) not in before]
        if k == len(res.slates):
            assert not left, f"slate {k + 1} exists (best {max(left)}) but was not returned"
        else:
            assert principals(sc, res.slates[k]) not in before
            assert res.slates[k].score.objective == max(left)


def test_alternatives_change_a_principal_seat_by_default() -> None:
    """Without --diversity, any two returned slates have a different 书记 somewhere, in score order."""
    sc = tiny(["t1", "t2"], pool(9))
    res = solve(sc, time_limit=20, top=4)
    assert res.settings.alternatives == Alternatives.principal and len(res.slates) == 4
    for a, b in itertools.combinations(res.slates, 2):
        assert principals(sc, a) != principals(sc, b)
    objectives = [s.score.objective for s in res.slates]
    assert objectives == sorted(objectives, reverse=True)


def test_principal_alternatives_are_the_best_with_another_principal() -> None:
    """On a tiny county the slates after the first are the true best with a new principal pair set."""
    sc = tiny(["t1", "t2"], pool(7))
    check_principal_alternatives(sc, solve(sc, time_limit=20, top=3))


def test_diversity_alone_keeps_the_seats_rule() -> None:
    """--diversity D alone means D seats apart, as before; both given, both hold; no principal
    seat in the county falls back to seats."""
    sc = tiny(["t1", "t2"], pool(9))
    assert solve(sc, time_limit=20, top=2, diversity=2).settings.alternatives == Alternatives.seats
    both = solve(sc, time_limit=20, top=3, diversity=3, alternatives="principal")
    assert both.settings.alternatives == Alternatives.principal and len(both.slates) == 3
    for a, b in itertools.combinations(both.slates, 2):
        assert distance(a, b) >= 3 and principals(sc, a) != principals(sc, b)
    plain = TINY.model_copy(update={"teams": {k: t.model_copy(update={"seats": tuple(
        x.model_copy(update={"principal": False}) for x in t.seats)}) for k, t in TINY.teams.items()}})
    flat = sc.model_copy(update={"ruleset_definition": plain})
    assert not any(x.principal for x in flat.seats)
    res = solve(flat, time_limit=20, top=2)
    assert res.settings.alternatives == Alternatives.seats and len(res.slates) == 2


def test_cli_alternatives_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """solve --alternatives seats|principal is written in the result's settings; a bad value is exit 2."""
    import json

    from model.io import save_scenario

    folder = tmp_path / "tiny"
    save_scenario(tiny(["t1", "t2"], pool(9)), folder)
    cases = (([], "principal"), (["--diversity", "2"], "seats"), (["--alternatives", "seats"], "seats"),
             (["--alternatives", "principal", "--diversity", "2"], "principal"))
    for argv, mode in cases:
        out = tmp_path / "r.json"
        assert main(["solve", str(folder), "--top", "2", "--json", str(out), *argv]) == 0, argv
        settings = json.loads(out.read_text(encoding="utf-8"))["settings"]
        assert settings["alternatives"] == mode, argv
    with pytest.raises(SystemExit) as exc:
        main(["solve", str(folder), "--alternatives", "teams"])
    assert exc.value.code == 2
    capsys.readouterr()


def test_same_settings_same_slates_in_deterministic_mode() -> None:
    """--deterministic: the same input, seed and settings give the same slates."""
    sc = tiny(["t1", "t2"], pool(9))
    runs = [solve(sc, time_limit=20, top=3, diversity=2, deterministic=True, seed=7) for _ in range(2)]
    assert [s.assignments for s in runs[0].slates] == [s.assignments for s in runs[1].slates]


def two_pins() -> Scenario:
    """A county where two cadres are pinned to the same secretary seat."""
    return scenario([township("t1"), township("t2")], [
        cadre(f"c{i}", age=28 + i, gender="female" if i % 3 == 0 else "male",
              rank="full_section" if i < 6 else "deputy_section") for i in range(20)
    ], pins=[{"cadre": "c1", "township": "t1", "seat": "secretary"},
             {"cadre": "c2", "township": "t1", "seat": "secretary"}])


def test_known_minimal_conflict_is_found_exactly() -> None:
    """Two pins on one seat: the minimal conflict is exactly those two pins, nothing else."""
    why = explain_infeasible(two_pins(), time_limit=20)
    assert why.conflict == ["pin@c1", "pin@c2"]


def test_relaxation_makes_it_feasible() -> None:
    """The cheapest relaxation drops one pin, and with it applied the county solves."""
    sc = two_pins()
    res = solve(sc, time_limit=20)
    assert res.status == "INFEASIBLE"
    assert [(r.rule, r.parameter) for r in res.relaxations] in ([("pin", "c1")], [("pin", "c2")])
    assert solve(apply_relaxations(sc, list(res.relaxations)), time_limit=20).slates


def test_count_relaxation_lowers_the_target() -> None:
    """Three teams need a cadre of 30 or under and the pool has two: D1-C1 is lowered from 1 to 0."""
    towns = [township(f"t{i}") for i in range(1, 4)]
    people = [cadre(f"c{i}", age=29 if i < 2 else 38 + i % 5, gender="female" if i % 3 == 0 else "male",
                    rank="full_section" if i % 3 == 1 else "deputy_section") for i in range(30)]
    sc = scenario(towns, people)
    res = solve(sc, time_limit=20)
    assert res.status == "INFEASIBLE"
    said = reason_lines(res.reasons, res.relaxations, Names.of(sc))
    assert any("D1-C1 3处合计需要3名30岁以下干部,候选池中可任这些职务的只有2人" in r for r in said)
    relax = [(r.rule, r.parameter, r.before, r.after) for r in res.relaxations]
    assert relax == [("D1-C1", "min_count", 1, 0)]
    assert solve(apply_relaxations(sc, list(res.relaxations)), time_limit=20).slates


@pytest.fixture(scope="module")
def small() -> Scenario:
    from model.generator import generate_county

    return generate_county(2, 60, 3)


def test_recommend_order_matches_forced_solves(small: Scenario) -> None:
    """recommend ranks by the score change of forcing each candidate in, and each change equals
    an independent forced solve minus the best."""
    rec = recommend(small, "t01", "secretary", limit=3, time_limit=30)
    tried, eligible = rec.tried, rec.eligible
    assert eligible >= len(tried) == 3
    deltas = [f.delta for f in tried]
    assert deltas == sorted(deltas, reverse=True)
    best = solve(small, time_limit=30).slates[0].score.objective
    for f in tried:
        forced = solve(small.with_changes(pins=[Pin(cadre=f.cadre, township="t01", seat="secretary")]),
                       time_limit=30)
        assert forced.slates[0].score.objective - best == f.delta


def test_why_not_names_the_rule(small: Scenario) -> None:
    """why-not for a cadre a must rule forbids names the rule and the numbers; no solve needed."""
    sc = small.with_changes(cadres=(*small.cadres, cadre("old", age=54, rank="full_section")))
    f = why_not(sc, "old", "t01", "secretary")
    assert not f.possible
    assert [say(r, Names.of(sc)) for r in f.reasons] == ["D3-E2 54岁,已满53岁,一般不再担任科级领导职务"]


def test_what_if_pin_gives_the_pin_and_a_diff_naming_it(small: Scenario) -> None:
    """A what-if that pins a cadre yields a slate with the pin, and the diff names the seat and cadre."""
    base = solve(small, time_limit=30).slates[0]
    holder = base.by_seat()[("t01", "secretary")]
    other = next(c.id for c in small.cadres
                 if c.id != holder and why_not(small, c.id, "t01", "secretary", time_limit=30).possible)
    whatif = small.with_changes(pins=[Pin(cadre=other, township="t01", seat="secretary")])
    c = compare(small, whatif, time_limit=30)
    first, second, diff = c.base, c.other, c.diff
    assert second.slates[0].by_seat()[("t01", "secretary")] == other
    # the comparison solves the base again: among slates of equal score it may seat another holder
    before = first.slates[0].by_seat()[("t01", "secretary")]
    assert before == other or SeatChange(township="t01", seat="secretary", before=before, after=other) \
        in diff.seats
    assert diff == diff_slates(first.slates[0], second.slates[0])


def test_township_pin_is_the_best_of_its_seat_pins(small: Scenario) -> None:
    """A township-wide pin seats the cadre in that township's team, at the best score of pinning them
    to each of its seat kinds in turn (the pin is their union); the diff against the base names them."""
    base = solve(small, time_limit=30, workers=2).slates[0]
    who = next(a.cadre for a in base.assignments if a.township == "t02")
    pinned = small.with_changes(pins=[Pin(cadre=who, township="t01")])
    wide = solve(pinned, time_limit=30, workers=2)
    assert wide.status == "OPTIMAL"
    [town] = [a.township for a in wide.slates[0].assignments if a.cadre == who]
    assert town == "t01"
    assert referee(pinned, wide.slates[0].assignments).passes
    kinds = {s.template.id for s in small.seats if s.township == "t01"}
    each = [solve(small.with_changes(pins=[Pin(cadre=who, township="t01", seat=k)]), time_limit=30,
                  workers=2) for k in sorted(kinds)]
    assert wide.slates[0].score.objective == max(r.slates[0].score.objective for r in each if r.slates)
    c = compare(small, pinned, time_limit=30)
    assert any(ch.after == who and ch.township == "t01" for ch in c.diff.seats)


def test_what_if_file_adds_to_its_base(tmp_path: Path) -> None:
    """A what-if file names its base and adds pins, bans and removals to it."""
    wi = load_scenario(ROOT / "scenarios/what-if/pin-secretary.yaml")
    base = load_scenario(ROOT / "scenarios/demo-county")
    assert wi.cadres == base.cadres and wi.pins == (Pin(cadre="g0376", township="t02", seat="secretary"),)
    few = load_scenario(ROOT / "scenarios/what-if/few-young.yaml")
    young = {c.id for c in few.cadres if c.age(few.reshuffle_date) <= 30}
    assert set(few.remove) <= young and len(young) - len(few.remove) == 10


def test_cli_verbs_on_a_small_county(small: Scenario, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """explain, why-not, recommend and diff run from the command line and exit 0."""
    from model.io import save_scenario

    folder = tmp_path / "small"
    save_scenario(small, folder)
    whatif = tmp_path / "w.yaml"
    whatif.write_text("base: small\nremove: [" + small.sitting["t01"][0].id + "]\n", encoding="utf-8")
    for argv in (["explain", str(folder)], ["why-not", str(folder), small.cadres[0].id, "t01/secretary"],
                 ["recommend", str(folder), "t01/head", "--limit", "2"], ["diff", str(folder), str(whatif)]):
        assert main(argv) == 0, argv
    out = capsys.readouterr().out
    assert "逐项明细" in out and "为什么不是" in out and "符合必须条件的人选" in out and "职位变化" in out


def test_what_if_rules_merge_into_the_base_rules(tmp_path: Path) -> None:
    """A what-if's `strength` for D1-C1 keeps the base's `min_count: 2` (it used to replace the entry)."""
    from model.io import save_scenario

    base = scenario([township("t1"), township("t2")], [cadre(f"c{i}", age=28 + i) for i in range(12)],
                    rules={"D1-C1": {"params": {"min_count": 2}}}, weights={"merit": 4, "continuity": 5})
    save_scenario(base, tmp_path / "base")
    (tmp_path / "w.yaml").write_text(
        "base: base\nrules:\n  D1-C1: {strength: generally}\nweights: {reserve: 7}\n", encoding="utf-8")
    wi = load_scenario(tmp_path / "w.yaml")
    spec = wi.ruleset_in_force.rule("D1-C1")
    assert spec is not None and spec.strength == "generally"
    assert spec.params == {"who": {"max_age": 30}, "min_count": 2}
    assert (wi.weights.merit, wi.weights.continuity, wi.weights.reserve) == (4, 5, 7)


def test_what_if_errors_are_located_in_the_what_if_file(tmp_path: Path) -> None:
    """A bad entry of a what-if is reported at its path in the what-if file, not the base's."""
    from model.errors import InputErrors
    from model.io import save_scenario

    save_scenario(scenario([township("t1")], [cadre(f"c{i}") for i in range(6)]), tmp_path / "base")
    path = tmp_path / "w.yaml"
    path.write_text("base: base\nrules:\n  D1-C1: {strength: sometimes}\n  D9-X9: {off: true}\n"
                    "pins:\n  - {cadre: c1, seat: head}\n", encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        load_scenario(path)
    # the layers all run (issue 10): the unknown rule is found beside the field errors
    assert {e.field for e in exc.value.errors} == {"rules.D1-C1.strength", "pins[0].township", "rules.D9-X9"}
    assert all(e.file == str(path) for e in exc.value.errors)
    path.write_text("base: base\nrules:\n  D9-X9: {off: true}\n", encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        load_scenario(path)
    assert [(e.file, e.key) for e in exc.value.errors] == [(str(path), "D9-X9")]
