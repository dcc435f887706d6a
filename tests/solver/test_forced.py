"""Forced solves and what-ifs on a prepared base (solver/warm.py) agree with full re-solves:
the same scores, bounds that hold, no tie with the base missed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from model.generator import generate_county
from model.scenario import Ban, Pin, Scenario
from model.slate import SolveStatus
from service.cli import main
from solver import solve
from solver.compare import compare
from solver.forced import recommend, why_not
from solver.stop import budget
from solver.warm import Prepared, candidates, prepare

SEATS = [("t01", "secretary"), ("t02", "head")]


def cold(sc: Scenario, cadre: str, township: str, seat: str) -> int | None:
    """The forced best objective by a full solve of the pinned scenario (None: no slate)."""
    res = solve(sc.with_changes(pins=(*sc.pins, Pin(cadre=cadre, township=township, seat=seat))),
                time_limit=30)
    assert res.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE)
    return res.slates[0].score.objective if res.slates else None


@pytest.fixture(scope="module", params=[3, 8])
def county(request: pytest.FixtureRequest) -> tuple[Scenario, Prepared, dict]:
    """A small generated county, its prepared base and every eligible cadre's cold forced score."""
    sc = generate_county(2, 60, request.param)
    p = prepare(sc, budget(None, 30))
    assert p.warm
    scores = {(t, s, k.cadre): cold(sc, k.cadre, t, s) for t, s in SEATS for k in candidates(p, t, s)}
    return sc, p, scores


def test_warm_forced_solves_equal_cold_ones(county: tuple[Scenario, Prepared, dict]) -> None:
    """Every eligible cadre forced into a seat on the prepared base scores what a full solve
    of the pinned scenario scores, proven (OPTIMAL)."""
    sc, p, scores = county
    for (t, s, cid), score in scores.items():
        f = why_not(sc, cid, t, s, prepared=p)
        assert f.objective == score, (t, s, cid)
        assert f.exact and f.status in (None, SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE)


@pytest.mark.parametrize("limit", [1, 3])
def test_ranking_bounds_hold_and_the_top_is_exact(county: tuple[Scenario, Prepared, dict],
                                                  limit: int) -> None:
    """recommend: the exact ones are the true forced scores, every bounded cadre's bound is
    at least their true forced score, no cadre left out scores above the `limit`-th solved
    one (the top is exact), every cadre that ties the base is solved while fewer than
    `limit` tie it, and one proven outside the top scores at most the `limit`-th."""
    sc, p, scores = county
    best = p.best.score.objective
    for t, s in SEATS:
        rec = recommend(sc, t, s, limit=limit, prepared=p)
        assert rec.eligible == len(rec.tried) + len(rec.bounded)
        for f in rec.tried:
            assert f.objective == scores[(t, s, f.cadre)]
        solved = {f.cadre for f in rec.tried}
        ties = {cid for (tt, ss, cid), v in scores.items() if (tt, ss) == (t, s) and v == best}
        if len(ties) <= limit:
            assert ties <= solved
        exact = sorted((f.objective for f in rec.tried if f.objective is not None), reverse=True)
        line = exact[limit - 1] if len(exact) >= limit else None
        for b in rec.bounded:
            true = scores[(t, s, b.cadre)]
            assert true is None or b.bound is None or true <= b.bound
            assert true is None or line is None or true <= line
            assert not b.outside_top or true is None or true <= line
        deltas = [f.delta for f in rec.tried if f.delta is not None]
        assert deltas == sorted(deltas, reverse=True)


def test_what_if_of_pins_and_bans_equals_a_full_solve(county: tuple[Scenario, Prepared, dict]) -> None:
    """A what-if that adds a pin and a ban, compared on the prepared base, finds the score a
    full solve of the what-if finds, and keeps the pin."""
    sc, p, scores = county
    (t, s, cid), _ = next((k, v) for k, v in scores.items() if v is not None and v < p.best.score.objective)
    holder = p.best.by_seat()[("t02", "head")]
    other = sc.with_changes(pins=(Pin(cadre=cid, township=t, seat=s),),
                            bans=(Ban(cadre=holder, township="t02"),))
    c = compare(sc, other, prepared=p)
    full = solve(other, time_limit=30)
    assert c.other.status == full.status
    if full.slates:
        assert c.other.slates[0].score.objective == full.slates[0].score.objective
        assert c.other.slates[0].by_seat()[(t, s)] == cid


def test_a_what_if_that_removes_solves_in_full() -> None:
    """A removal changes the score (a sitting member removed costs nothing), so it is no
    restriction: the what-if is solved in full and agrees with a plain solve."""
    sc = generate_county(2, 60, 3)
    gone = sc.sitting["t01"][0].id
    other = sc.with_changes(remove=(gone,))
    c = compare(sc, other, time_limit=30)
    assert c.other.slates[0].score.objective == solve(other, time_limit=30).slates[0].score.objective


def test_recommend_all_lists_every_candidate_and_writes_json(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """recommend --all prints a line per eligible cadre, the bounded ones worded 目标值至多, and
    --json writes the ranking with which are exact."""
    from model.io import save_scenario

    sc = generate_county(2, 60, 3)
    save_scenario(sc, tmp_path / "c")
    out = tmp_path / "rec.json"
    assert main(["recommend", str(tmp_path / "c"), "t01/secretary", "--limit", "2", "--all",
                 "--json", str(out)]) == 0
    text = capsys.readouterr().out
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["tried"]) + len(data["bounded"]) == data["eligible"]
    assert all(f["exact"] for f in data["tried"])
    assert text.count("目标值至多") == len(data["bounded"]) > 0
    assert "松弛上界" in text


def test_a_recent_principal_forced_elsewhere_scores_as_a_full_solve() -> None:
    """N-4 asks a recent principal to keep the post unless a pin moves them: forcing one
    into another seat drops that rule instance, which is no restriction of the base; the
    forced score still equals a full solve's, and the ranking's bound covers it."""
    sc = generate_county(2, 60, 4)
    p = prepare(sc, budget(None, 30))
    (cid, [(own, _cost)]), = p.recent_principals().items()
    assert p.b is not None
    for t, s in SEATS:
        k = next((k for k in candidates(p, t, s) if k.cadre == cid), None)
        g = next(g.index for g in p.b.groups if g.seat.township == t and g.seat.template.id == s)
        if k is None or g in own:
            continue
        f = why_not(sc, cid, t, s, prepared=p)
        assert f.objective == cold(sc, cid, t, s)
        assert f.objective is None or k.bound is None or f.objective <= k.bound


def test_a_ranking_raises_what_its_referee_thread_finds(county: tuple[Scenario, Prepared, dict],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A forced slate the referee scores otherwise than the model is an error in a ranking
    too, though the referee judges it on a thread of its own while the ranking goes on."""
    import solver.warm as warm
    from solver.search import RefereeDisagreement

    sc, p, _ = county
    true = warm.account
    monkeypatch.setattr(warm, "account", lambda b, vals: (true(b, vals)[0], true(b, vals)[1] + 1))
    with pytest.raises(RefereeDisagreement, match="objective"):
        recommend(sc, "t01", "secretary", limit=3, prepared=p)
