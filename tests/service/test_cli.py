"""The `huanjie` command, run in-process: solve, validate, generate, schema, rules and exit codes."""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from model.enums import Gender, Post
from model.generator import generate_county
from model.io import load_scenario, save_scenario
from model.referee import referee
from model.ruleset import load_preset, preset_ids
from model.scenario import Scenario
from model.slate import SolveResult
from service.cli import EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_OK, main
from service.render.catalog import CATALOG
from tests.clirun import Run, run_cli
from tests.factory import cadre, scenario, township

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo-county"
HEADERS = ("职务", "姓名", "性别", "年龄", "学历", "现任职务", "变动")


@dataclass(frozen=True)
class DemoSolve:
    run: Run
    json_path: Path
    scenario: Scenario


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSolve:
    """The demo county solved once for the whole module (about 20 s)."""
    out = tmp_path_factory.mktemp("demo") / "result.json"
    result = run_cli(["solve", str(DEMO), "--top", "3", "--time-limit", "120", "--json", str(out)])
    return DemoSolve(result, out, load_scenario(DEMO))


@pytest.fixture(scope="module")
def small_county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny generated county saved as a folder (2 townships, 60 cadres)."""
    folder = tmp_path_factory.mktemp("small") / "county"
    save_scenario(generate_county(2, 60, 3), folder)
    return folder


# --------------------------------------------------------------------------- solve


def test_solve_demo_prints_three_slates(demo: DemoSolve) -> None:
    """solve --top 3 on the demo exits 0 and prints three slates with Chinese tables per township."""
    r = demo.run
    assert r.code == EXIT_OK, r.err
    for k in (1, 2, 3):
        assert f"方案 {k}" in r.out
    assert "方案 4" not in r.out
    for h in HEADERS:
        assert h in r.out
    for t in demo.scenario.county.townships:
        assert t.name in r.out
        assert r.out.count(f"【{t.name}】") == 3


def test_demo_output_titles_seats_from_the_township(demo: DemoSolve) -> None:
    """No sentence of the demo's solve or explain says 人大主席团主席, or 乡镇长 where one 乡 or 镇 is
    meant: only the catalog's rule texts, which speak of every township, keep the generic word."""
    explained = run_cli(["explain", str(DEMO), str(demo.json_path)])
    assert explained.code == EXIT_OK, explained.err
    for out in (demo.run.out, explained.out):
        for text in CATALOG.values():
            out = out.replace(text, "")
        assert "人大主席团主席" not in out
        assert [line for line in out.splitlines() if "乡镇长" in line] == []
    assert "党委副书记、乡长" in demo.run.out and "党委副书记、镇长" in demo.run.out


def test_solve_demo_json_is_a_solve_result(demo: DemoSolve) -> None:
    """The --json file parses as a SolveResult: 3 slates ranked 1..3, objective non-increasing, 90 seats."""
    res = SolveResult.model_validate_json(demo.json_path.read_text(encoding="utf-8"))
    assert res.status in ("OPTIMAL", "FEASIBLE")
    assert len(res.slates) == 3
    assert [s.rank for s in res.slates] == [1, 2, 3]
    objectives = [s.score.objective for s in res.slates if s.score is not None]
    assert len(objectives) == 3
    assert objectives == sorted(objectives, reverse=True)
    assert len(demo.scenario.seats) == 90  # 11 towns of 7 seats, one large town of 9 (D3-S2)
    for s in res.slates:
        assert len(s.assignments) == 90
        assert {(a.township, a.seat) for a in s.assignments} == {
            (seat.township, seat.id) for seat in demo.scenario.seats}
    # distinct slates: the solver's cut asks for one (seat kind, cadre) pair to differ, not one person
    pairs = [frozenset((a.township, a.seat.split("#")[0], a.cadre) for a in s.assignments)
             for s in res.slates]
    assert len(set(pairs)) == 3


def test_solve_demo_slates_pass_the_referee(demo: DemoSolve) -> None:
    """Re-running the referee on every slate of the JSON passes and gives the recorded score."""
    res = SolveResult.model_validate_json(demo.json_path.read_text(encoding="utf-8"))
    for s in res.slates:
        verdict = referee(demo.scenario, s.assignments)
        assert verdict.passes, (verdict.problems, [r.key for r in verdict.report if not r.holds])
        assert verdict.score == s.score


# --------------------------------------------------------------------------- validate


def test_validate_solve_result(demo: DemoSolve, capsys: pytest.CaptureFixture[str]) -> None:
    """validate on the solve result passes (exit 0, 核验通过), best slate by default."""
    r = run_cli(["validate", str(DEMO), str(demo.json_path)])
    assert r.code == EXIT_OK, r.out + r.err
    assert r.out.startswith("核验通过")
    assert "核验未通过" not in r.out


def test_solve_report_closes_with_solver_figures(demo: DemoSolve) -> None:
    """The solver's figures close the report (求解信息), the referee is 复核; no id without --ids."""
    out = demo.run.out
    assert "裁判" not in out and "规则检查(复核独立核验)" in out
    info = out[out.index("求解信息:"):]
    assert out.index("求解信息:") > out.rindex("规则检查") and "上界" in info and "候选配对" in info
    assert "进退留转汇总(全县):" in out and "班子结构(全县,新班子/原班子):" in out and "退出名单" in out
    assert "编号" not in out and "(t01," not in out


def test_validate_ids_flag_shows_ids(demo: DemoSolve, capsys: pytest.CaptureFixture[str]) -> None:
    """validate --ids adds 编号 and the township ids to the tables; without it they are absent."""
    r = run_cli(["validate", str(DEMO), str(demo.json_path), "--ids"])
    assert r.code == EXIT_OK and "编号" in r.out and "(t01," in r.out
    r = run_cli(["validate", str(DEMO), str(demo.json_path)])
    assert "编号" not in r.out and "【" in r.out


def test_validate_index_2(demo: DemoSolve, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """validate --index 2 judges the third slate, passes, and --json writes it with its score."""
    judged = tmp_path / "judged.json"
    r = run_cli(["validate", str(DEMO), str(demo.json_path), "--index", "2", "--json", str(judged)])
    assert r.code == EXIT_OK, r.out + r.err
    assert r.out.startswith("核验通过")
    res = SolveResult.model_validate_json(demo.json_path.read_text(encoding="utf-8"))
    written = json.loads(judged.read_text(encoding="utf-8"))
    assert written["score"]["objective"] == res.slates[2].score.objective
    assert {(a["township"], a["seat"], a["cadre"]) for a in written["assignments"]} == {
        (a.township, a.seat, a.cadre) for a in res.slates[2].assignments}


def test_validate_index_out_of_range(demo: DemoSolve, capsys: pytest.CaptureFixture[str]) -> None:
    """validate --index 3 on a 3-slate result is bad input (exit 2) with a message, no traceback."""
    r = run_cli(["validate", str(DEMO), str(demo.json_path), "--index", "3"])
    assert r.code == EXIT_BAD_INPUT
    assert "no slate number 3" in r.err
    assert r.out == ""


def _must_breaker(sc: Scenario) -> tuple[str, str, str, str]:
    """(cadre, township, seat, rule): a demo cadre who breaks a must rule in that seat."""
    on = sc.reshuffle_date
    for c in sc.cadres:
        if c.current_post == Post.party_secretary and c.current_township and c.tenure(on) >= 10:
            seat = next(s for s in sc.seats_of(c.current_township) if s.main_post == Post.party_secretary)
            return c.id, c.current_township, seat.id, "D1-R1"
    c = next(c for c in sc.cadres
             if c.gender == Gender.male and c.age(on) >= 53 and not c.kept_for_work)
    seat = sc.seats[0]
    return c.id, seat.township, seat.id, "D3-E2"


def test_validate_hand_made_slate_breaking_a_must_rule(
    demo: DemoSolve, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A valid slate with one seat given to a must-rule breaker exits 1 and names the rule."""
    sc = demo.scenario
    who, town, seat, rule = _must_breaker(sc)
    res = SolveResult.model_validate_json(demo.json_path.read_text(encoding="utf-8"))
    by_seat = res.slates[0].by_seat()
    previous = by_seat[(town, seat)]
    assert previous != who  # the solver never makes this choice
    # swap: the breaker takes the seat; whoever held it takes the breaker's seat, if any
    for key, cid in list(by_seat.items()):
        if cid == who:
            by_seat[key] = previous
    by_seat[(town, seat)] = who
    slate = [{"township": t, "seat": s, "cadre": c} for (t, s), c in by_seat.items()]
    assert len({a["cadre"] for a in slate}) == len(slate) == 90
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(slate, ensure_ascii=False), encoding="utf-8")

    r = run_cli(["validate", str(DEMO), str(path)])
    assert r.code == EXIT_INFEASIBLE, r.out + r.err
    assert r.out.startswith("核验未通过")
    assert f"{rule} 违反必须规则" in r.out
    assert sc.cadre_by_id[who].name in r.out


def test_validate_unknown_slate_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """validate with a missing slate file exits 2 and names the file."""
    missing = tmp_path / "nope.json"
    r = run_cli(["validate", str(DEMO), str(missing)])
    assert r.code == EXIT_BAD_INPUT
    assert "nope.json" in r.err and "no such file" in r.err
    assert r.out == ""


# --------------------------------------------------------------------------- generate


def test_generate_writes_a_loadable_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """generate --townships 3 --cadres 90 --seed 5 exits 0 and the folder loads back."""
    out = tmp_path / "gen"
    r = run_cli(["generate", str(out), "--townships", "3", "--cadres", "90", "--seed", "5"])
    assert r.code == EXIT_OK, r.err
    assert str(out) in r.out
    sc = load_scenario(out)
    assert len(sc.county.townships) == 3
    assert len(sc.cadres) == 90
    assert sc == generate_county(3, 90, 5)


def test_generate_overwrite_replaces(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """generate --overwrite into an existing scenario folder exits 0 and leaves the new county."""
    out = tmp_path / "gen"
    assert run_cli(["generate", str(out), "--townships", "3", "--cadres", "90", "--seed", "5"]).code == 0
    r = run_cli(["generate", str(out), "--townships", "2", "--cadres", "60", "--seed", "6",
                     "--overwrite"])
    assert r.code == EXIT_OK, r.err
    assert load_scenario(out) == generate_county(2, 60, 6)


def test_generate_into_non_empty_folder_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """generate into a non-empty folder without --overwrite exits 2 with a clear message, no traceback."""
    out = tmp_path / "gen"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    r = run_cli(["generate", str(out), "--townships", "3", "--cadres", "90", "--seed", "5"])
    assert r.code == EXIT_BAD_INPUT
    assert "not empty" in r.err and "--overwrite" in r.err
    assert "Traceback" not in r.err
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("extra", [["--ruleset", "nope"], ["--townships", "0"]])
def test_generate_bad_arguments_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, extra: list[str]
) -> None:
    """generate with an unknown ruleset or no townships is bad input: exit 2, a message, no traceback."""
    r = run_cli(["generate", str(tmp_path / "gen"), *extra])
    assert r.code == EXIT_BAD_INPUT
    assert r.err.strip()
    assert not (tmp_path / "gen").exists()


# --------------------------------------------------------------------------- schema, rules


@pytest.mark.parametrize(("what", "key"), [("scenario", "cadres"), ("result", "slates")])
def test_schema_prints_json(capsys: pytest.CaptureFixture[str], what: str, key: str) -> None:
    """schema scenario / schema result print a valid JSON Schema with properties."""
    r = run_cli(["schema", what])
    assert r.code == EXIT_OK
    schema = json.loads(r.out)
    assert "properties" in schema
    assert key in schema["properties"]


def test_rules_table_all_presets(capsys: pytest.CaptureFixture[str]) -> None:
    """rules prints one table naming every preset and every rule id in force."""
    r = run_cli(["rules"])
    assert r.code == EXIT_OK
    header = r.out.splitlines()[0]
    assert header.startswith("| id |")
    for p in preset_ids():
        assert p in header
        for spec in load_preset(p).rules:
            assert f"| {spec.id} |" in r.out


def test_rules_table_one_preset(capsys: pytest.CaptureFixture[str]) -> None:
    """rules --preset county-2017 prints that preset's table and its parameters."""
    r = run_cli(["rules", "--preset", "county-2017"])
    assert r.code == EXIT_OK
    header = r.out.splitlines()[0]
    assert "county-2017" in header and "xx-2011" not in header
    assert "Parameters in `county-2017`" in r.out
    for spec in load_preset("county-2017").rules:
        assert f"| {spec.id} |" in r.out
        assert f"- {spec.id} `{spec.kind}`" in r.out


def test_rules_prints_the_score_weights_with_their_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    """rules --preset xx-2011 lists every score weight of the preset with its value and reason."""
    r = run_cli(["rules", "--preset", "xx-2011"])
    assert "Score weights, with the reason:" in r.out
    for term, w in load_preset("xx-2011").weights.items():
        assert f"- {term} = {w.weight} — {w.note}" in r.out


def test_rules_unknown_preset(capsys: pytest.CaptureFixture[str]) -> None:
    """rules --preset nope is bad input: exit 2 naming the known presets."""
    r = run_cli(["rules", "--preset", "nope"])
    assert r.code == EXIT_BAD_INPUT
    assert "xx-2011" in r.err


# --------------------------------------------------------------------------- bad input


def test_broken_cadres_csv(capsys: pytest.CaptureFixture[str], small_county: Path, tmp_path: Path) -> None:
    """A bad birth date and a duplicate id in cadres.csv exit 2, naming file, both rows and both fields."""
    folder = tmp_path / "bad"
    shutil.copytree(small_county, folder)
    path = folder / "cadres.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    head = rows[0]
    bad_date, dup = 2, 6  # indices into rows; rows[0] is the header (CSV row 1)
    rows[bad_date][head.index("出生日期")] = "1990-13-40"
    rows[dup][head.index("编号")] = rows[4][head.index("编号")]
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)

    (folder / "slate.json").write_text("[]", encoding="utf-8")  # a slate that loads: only the CSV's errors
    for command in (["solve", str(folder)], ["validate", str(folder), str(folder / "slate.json")]):
        r = run_cli(command)
        assert r.code == EXIT_BAD_INPUT
        assert r.out == ""
        lines = [ln for ln in r.err.splitlines() if ln.startswith("  - ")]
        assert len(lines) == 2, r.err
        date_line = next(ln for ln in lines if "出生日期" in ln)
        dup_line = next(ln for ln in lines if "编号" in ln)
        assert "cadres.csv" in date_line and f"row {bad_date + 1}," in date_line
        assert "1990-13-40" in date_line
        assert "cadres.csv" in dup_line and f"row {dup + 1}," in dup_line
        assert "duplicate" in dup_line and f"row {4 + 1}" in dup_line
        assert "Traceback" not in r.err


# --------------------------------------------------------------------------- infeasible, arguments


def _no_young_cadre(folder: Path) -> None:
    """One township, ten cadres all 38 (four women): only D1-C1 (one aged 30 or less) cannot hold."""
    cadres = [cadre(f"c{i:02d}", gender="female" if i < 4 else "male") for i in range(10)]
    save_scenario(scenario([township("t1")], cadres), folder)


def test_infeasible_names_d1_c1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A scenario with no cadre aged 30 or less exits 1 and the reasons name D1-C1."""
    folder = tmp_path / "inf"
    _no_young_cadre(folder)
    r = run_cli(["solve", str(folder), "--time-limit", "20"])
    assert r.code == EXIT_INFEASIBLE, r.out + r.err
    assert "INFEASIBLE" in r.out
    assert "D1-C1" in r.out
    assert "方案 1" not in r.out


def test_infeasible_becomes_feasible_with_a_young_cadre(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Adding one cadre aged 28 to the infeasible scenario makes it solve (exit 0): D1-C1 was the cause."""
    cadres = [cadre(f"c{i:02d}", gender="female" if i < 4 else "male") for i in range(10)]
    folder = tmp_path / "ok"
    save_scenario(scenario([township("t1")], [*cadres, cadre("young", age=28)]), folder)
    r = run_cli(["solve", str(folder), "--time-limit", "20"])
    assert r.code == EXIT_OK, r.out + r.err
    assert "方案 1" in r.out


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [("--time-limit", "0", "--time-limit must be positive"), ("--time-limit", "-5", "--time-limit"),
     ("--top", "0", "--top must be at least 1"), ("--workers", "0", "--workers must be at least 1")],
)
def test_bad_solver_arguments(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, flag: str, value: str, message: str
) -> None:
    """--time-limit 0, --top 0 (and --workers 0) exit 2 with a message, before loading anything."""
    folder = tmp_path / "inf"
    _no_young_cadre(folder)
    r = run_cli(["solve", str(folder), flag, value])
    assert r.code == EXIT_BAD_INPUT
    assert message in r.err
    assert r.out == ""


def test_nan_time_limit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--time-limit nan is bad input: exit 2 with a message."""
    folder = tmp_path / "inf"
    _no_young_cadre(folder)
    r = run_cli(["solve", str(folder), "--time-limit", "nan"])
    assert r.code == EXIT_BAD_INPUT
    assert "--time-limit" in r.err


def test_unknown_command_and_missing_scenario(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A missing scenario folder exits 2 naming it; an unknown subcommand is argparse's exit 2."""
    r = run_cli(["solve", str(tmp_path / "nowhere")])
    assert r.code == EXIT_BAD_INPUT
    assert "nowhere" in r.err
    with pytest.raises(SystemExit) as e:
        main(["frobnicate"])
    assert e.value.code == 2


def test_solve_demo_progress_on_stderr(demo: DemoSolve) -> None:
    """solve prints its progress lines (from the solver's events) to stderr, the report to stdout."""
    err = demo.run.err.splitlines()
    assert err[0].startswith("线性松弛:上界") and err[1].startswith("模型已建立:90个职位,")
    assert [line.split(":")[0] for line in err[2:]] == ["方案1", "方案2", "方案3"]
    assert "模型已建立" not in demo.run.out


# --------------------------------------------------------------------------- wrong or silent answers


@pytest.mark.parametrize("verb", [["why-not", "c05", "t1/secretary"],
                                  ["recommend", "t1/head", "--limit", "2"]])
def test_why_not_and_recommend_on_an_infeasible_scenario_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, verb: list[str]
) -> None:
    """why-not and recommend on a scenario with no slate exit 1 (they exited 0) and say why."""
    folder = tmp_path / "inf"
    _no_young_cadre(folder)
    r = run_cli([verb[0], str(folder), *verb[1:], "--time-limit", "10"])
    assert r.code == EXIT_INFEASIBLE, r.out + r.err
    assert "INFEASIBLE" in r.out and "D1-C1" in r.out


def _one_town_with_a_young_cadre(folder: Path) -> None:
    """One township of 7 seats and 11 cadres, one of them 28: few slates differ in every seat."""
    cadres = [cadre(f"c{i:02d}", gender="female" if i < 4 else "male") for i in range(10)]
    save_scenario(scenario([township("t1")], [*cadres, cadre("young", age=28)]), folder)


def test_fewer_slates_than_top_is_said(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--top 50 where only a few slates differ in all 7 seats (3 or 4, by the order CP-SAT's
    workers find them in): exit 0, and the report says how many it found, as many as it prints."""
    import re

    folder = tmp_path / "tiny"
    _one_town_with_a_young_cadre(folder)
    r = run_cli(["solve", str(folder), "--top", "50", "--diversity", "7", "--time-limit", "30"])
    assert r.code == EXIT_OK, r.err
    found = re.search(r"只找到(\d+)个方案\(要求50个\)", r.out)
    assert found is not None, r.out
    n = int(found.group(1))
    assert 1 < n < 50 and f"方案 {n}" in r.out and f"方案 {n + 1}" not in r.out


def test_fewer_slates_line_only_when_short() -> None:
    """No sentence when --top slates were found or none at all; a stop before more says it stopped."""
    from model.slate import Slate, SolverSettings, SolveStats
    from service.render.report import fewer_slates_line

    def result(n: int, last: str) -> SolveResult:
        return SolveResult(scenario="s", ruleset="xx-2011", status="OPTIMAL",
                           slates=tuple(Slate(assignments=()) for _ in range(n)),
                           solves=(SolveStats(status=last),),
                           settings=SolverSettings(time_limit=1, workers=1, top=3, seed=0))

    assert fewer_slates_line(3, result(3, "OPTIMAL")) is None
    assert fewer_slates_line(3, result(0, "INFEASIBLE")) is None
    assert "没有更多" in (fewer_slates_line(3, result(2, "INFEASIBLE")) or "")
    assert "停止" in (fewer_slates_line(3, result(2, "UNKNOWN")) or "")


def test_diversity_above_the_seats_is_an_input_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--diversity 8 on a scenario of 7 seats is exit 2 saying so (it returned one slate and exit 0)."""
    folder = tmp_path / "tiny"
    _one_town_with_a_young_cadre(folder)
    r = run_cli(["solve", str(folder), "--top", "2", "--diversity", "8"])
    assert r.code == EXIT_BAD_INPUT
    assert "only 7 seats" in r.err and r.out == ""


def test_validate_reports_scenario_and_slate_errors_together(
    capsys: pytest.CaptureFixture[str], small_county: Path, tmp_path: Path
) -> None:
    """validate with a broken cadres.csv and a slate missing its cadre reports the CSV's error
    and the slate file's, in one message."""
    folder = tmp_path / "bad"
    shutil.copytree(small_county, folder)
    path = folder / "cadres.csv"
    text = path.read_text(encoding="utf-8-sig").splitlines()
    head = text[0].split(",")
    cells = text[1].split(",")
    cells[head.index("出生日期")] = "1990-13-40"
    text[1] = ",".join(cells)
    path.write_text("\n".join(text) + "\n", encoding="utf-8-sig")
    slate = tmp_path / "slate.json"
    slate.write_text('{"assignments": [{"township": "t01", "seat": "secretary"}]}', encoding="utf-8")
    r = run_cli(["validate", str(folder), str(slate)])
    assert r.code == EXIT_BAD_INPUT
    assert "2 input error(s)" in r.err
    assert "1990-13-40" in r.err and "slate.json" in r.err and "assignments[0].cadre" in r.err


def test_json_is_written_atomically_and_not_onto_an_input(
    capsys: pytest.CaptureFixture[str], small_county: Path, tmp_path: Path
) -> None:
    """solve --json through a symlink replaces the file it points to and keeps the link; the old
    write_json left out.tmp behind on a folder, now refused before solving with nothing written."""
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    r = run_cli(["solve", str(small_county), "--time-limit", "20", "--json", str(link)])
    assert r.code == EXIT_OK, r.err
    assert link.is_symlink()
    assert SolveResult.model_validate_json(real.read_text(encoding="utf-8")).slates
    folder = tmp_path / "adir"
    folder.mkdir()
    r = run_cli(["solve", str(small_county), "--json", str(folder)])
    assert r.code == EXIT_BAD_INPUT and r.out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir", "link.json", "real.json"]
    assert list(folder.iterdir()) == []


def test_a_large_township_seat_is_named_and_a_small_one_is_told_why() -> None:
    """TOWNSHIP/SEAT takes a seat of the large template in a large town (t01 of the demo) and
    says why it is refused in a town that is not large (t02), with its numbers."""
    import re

    from model.io import load_scenario
    from service.calls import RecommendRequest

    sc = load_scenario(DEMO)
    assert RecommendRequest(township="t01", seat="discipline_deputy").errors(sc) == []
    [e] = RecommendRequest(township="t02", seat="discipline_deputy").errors(sc)
    assert (e.field, e.value) == ("seat", "discipline_deputy")
    assert re.search(r"large townships only.*t02 has 28800 residents", e.message)


def test_explain_warns_of_a_slate_that_would_not_pass(demo: DemoSolve, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """`explain` on a hand-made slate with an empty seat says so before the analysis, exit 1;
    on the solved slate it warns of nothing, exit 0."""
    result = json.loads(demo.json_path.read_text(encoding="utf-8"))
    assignments = result["slates"][0]["assignments"][1:]
    slate = tmp_path / "slate.json"
    slate.write_text(json.dumps(assignments), encoding="utf-8")
    r = run_cli(["explain", str(DEMO), str(slate)])
    assert r.code == 1
    assert r.out.startswith("注意:此方案核验未通过") and "空缺" in r.out.split("\n")[1]
    ok = run_cli(["explain", str(DEMO), str(demo.json_path)])
    assert ok.code == 0 and "注意" not in ok.out
