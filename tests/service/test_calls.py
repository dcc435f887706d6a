"""The verbs as calls (service/calls.py): the same answers as the command line's --json, every
bad request refused with located errors, and examples that run on the demo county."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from model.errors import InputError, InputErrors
from model.generator import generate_county
from model.io import load_scenario, save_scenario
from model.scenario import Scenario
from model.slate import Assignment, SolveResult, SolveStatus
from service.calls import (
    DiffRequest,
    ExplainAnswer,
    ExplainRequest,
    JudgedSlate,
    RecommendRequest,
    SolveOptions,
    ValidateRequest,
    WhyNotRequest,
    asked,
    diff_call,
    explain_call,
    recommend_call,
    solve_call,
    validate_call,
    why_not_call,
)
from service.cli import EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_OK
from solver.compare import Comparison
from solver.forced import Forced, Recommendation
from tests.clirun import run_cli
from tests.factory import cadre, scenario, township

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "scenarios" / "demo-county"
WHATIF = REPO / "scenarios" / "what-if" / "pin-secretary.yaml"
REQUESTS = [SolveOptions, ValidateRequest, ExplainRequest, WhyNotRequest, RecommendRequest, DiffRequest]


class Small:
    """A tiny generated county (2 townships, 60 cadres) as a folder, loaded, and solved once."""

    def __init__(self, root: Path) -> None:
        self.folder = root / "county"
        save_scenario(generate_county(2, 60, 3), self.folder)
        self.sc = load_scenario(self.folder)
        self.best = solve_call(self.sc, SolveOptions(time_limit=20, workers=1)).slates[0]
        self.secretary = self.best.by_seat()[("t01", "secretary")]
        seated = {a.cadre for a in self.best.assignments}
        self.other = next(c.id for c in self.sc.cadres if c.id not in seated)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Small:
    return Small(tmp_path_factory.mktemp("calls"))


def timeless(data: Any) -> Any:
    """A dumped answer without what the clock decides: wall times and the budget left at the start."""
    if isinstance(data, dict):
        return {k: timeless(v) for k, v in data.items()
                if k not in ("wall_time", "build_time") and not (k == "time_limit" and "workers" in data)}
    if isinstance(data, list):
        return [timeless(v) for v in data]
    return data


def cli_json(tmp_path: Path, argv: list[str], code: int = EXIT_OK) -> dict[str, Any]:
    """What `huanjie ARGV --json FILE` writes, the run checked to exit with `code`."""
    out = tmp_path / "answer.json"
    r = run_cli([*argv, "--json", str(out)])
    assert r.code == code, r.out + r.err
    return json.loads(out.read_text(encoding="utf-8"))


def same(answer: BaseModel, written: dict[str, Any], model: type[BaseModel]) -> None:
    """The call's answer and the CLI's file agree, and the file reads back as the answer's model."""
    model.model_validate(written)
    assert timeless(json.loads(answer.model_dump_json())) == timeless(written)


def slate_file(tmp_path: Path, assignments: list[Assignment]) -> Path:
    path = tmp_path / "slate.json"
    path.write_text(json.dumps([a.model_dump(mode="json") for a in assignments]), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the CLI's --json


def test_solve_call_is_solve_json(small: Small, tmp_path: Path) -> None:
    """solve_call gives the SolveResult that `solve --deterministic --json` writes (clock fields aside)."""
    opts = SolveOptions(top=2, time_limit=20, workers=2, seed=7, deterministic=True)
    answer = solve_call(small.sc, opts)
    written = cli_json(tmp_path, ["solve", str(small.folder), "--top", "2", "--time-limit", "20",
                                  "--seed", "7", "--deterministic"])
    same(answer, written, SolveResult)
    assert len(answer.slates) == 2


def test_validate_call_is_validate_json(small: Small, tmp_path: Path) -> None:
    """validate_call's judged slate is `validate --json`'s, its verdict (passes, problems) included."""
    good = list(small.best.assignments)
    answer = validate_call(small.sc, ValidateRequest(assignments=good))
    same(answer, cli_json(tmp_path, ["validate", str(small.folder), str(slate_file(tmp_path, good))]),
         JudgedSlate)
    assert answer.passes and answer.problems == ()
    bad = good[1:]  # a seat left empty
    answer = validate_call(small.sc, ValidateRequest(assignments=bad))
    written = cli_json(tmp_path, ["validate", str(small.folder), str(slate_file(tmp_path, bad))],
                       EXIT_INFEASIBLE)
    same(answer, written, JudgedSlate)
    assert not answer.passes and answer.problems


def test_explain_call_is_explain_json(small: Small, tmp_path: Path) -> None:
    """explain_call is `explain --json`: solving first (the best slate and its analysis), or on a
    given slate that would not pass (exit 1, the slate judged failing)."""
    answer = explain_call(small.sc, ExplainRequest(time_limit=20, workers=1))
    same(answer, cli_json(tmp_path, ["explain", str(small.folder), "--time-limit", "20", "--workers", "1"]),
         ExplainAnswer)
    assert answer.status == SolveStatus.OPTIMAL and answer.slate is not None and answer.slate.passes
    assert answer.analysis is not None and answer.analysis.score == answer.slate.score
    bad = list(small.best.assignments)[1:]
    answer = explain_call(small.sc, ExplainRequest(assignments=bad))
    written = cli_json(tmp_path, ["explain", str(small.folder), str(slate_file(tmp_path, bad))],
                       EXIT_INFEASIBLE)
    same(answer, written, ExplainAnswer)
    assert answer.status is None and answer.slate is not None and not answer.slate.passes


def test_explain_call_of_an_infeasible_scenario(tmp_path: Path) -> None:
    """With no slate to explain, explain_call gives the solve's status, reasons and relaxations as
    data, and `explain --json` writes the same (exit 1)."""
    folder = tmp_path / "inf"
    cadres = [cadre(f"c{i:02d}", gender="female" if i < 4 else "male") for i in range(10)]
    save_scenario(scenario([township("t1")], cadres), folder)
    answer = explain_call(load_scenario(folder), ExplainRequest(time_limit=20, workers=1))
    written = cli_json(tmp_path, ["explain", str(folder), "--time-limit", "20", "--workers", "1"],
                       EXIT_INFEASIBLE)
    same(answer, written, ExplainAnswer)
    assert answer.status == SolveStatus.INFEASIBLE and answer.slate is None
    assert answer.reasons and answer.relaxations


def test_why_not_call_is_why_not_json(small: Small, tmp_path: Path) -> None:
    """why_not_call's Forced is `why-not --json`'s, for a cadre outside the slate and the holder."""
    for who in (small.other, small.secretary):
        req = WhyNotRequest(cadre=who, township="t01", seat="secretary", time_limit=20, workers=1)
        answer = why_not_call(small.sc, req)
        written = cli_json(tmp_path, ["why-not", str(small.folder), who, "t01/secretary",
                                      "--time-limit", "20", "--workers", "1"])
        same(answer, written, Forced)
    assert answer.possible and answer.delta == 0


def test_recommend_call_is_recommend_json(small: Small, tmp_path: Path) -> None:
    """recommend_call's Recommendation is `recommend --json`'s."""
    req = RecommendRequest(township="t01", seat="secretary", limit=2, time_limit=20, workers=1)
    answer = recommend_call(small.sc, req)
    written = cli_json(tmp_path, ["recommend", str(small.folder), "t01/secretary", "--limit", "2",
                                  "--time-limit", "20", "--workers", "1"])
    same(answer, written, Recommendation)
    assert answer.tried


def test_diff_call_is_diff_json(small: Small, tmp_path: Path) -> None:
    """diff_call's Comparison is `diff --json`'s, for a what-if that takes t01's secretary out of the pool."""
    whatif = tmp_path / "whatif.yaml"
    whatif.write_text(f"base: {small.folder}\nremove: [{small.secretary}]\n", encoding="utf-8")
    answer = diff_call(small.sc, load_scenario(whatif), DiffRequest(time_limit=20, workers=1))
    written = cli_json(tmp_path, ["diff", str(small.folder), str(whatif), "--time-limit", "20",
                                  "--workers", "1"])
    same(answer, written, Comparison)
    assert answer.diff is not None


# --------------------------------------------------------------------------- bad requests


def refused(model: type[BaseModel], fields: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, value, message) of every error `asked` raises for these fields."""
    with pytest.raises(InputErrors) as e:
        asked(model, fields)
    return [(x.field, x.value, x.message) for x in e.value.errors]


def test_solve_options_refuse_every_bad_field_at_once() -> None:
    """Each out-of-range option of a solve is one located error, all in one InputErrors, with the
    command line's words."""
    assert refused(SolveOptions, {"top": 0, "time_limit": math.nan, "workers": 0, "seed": 2**31,
                                  "diversity": 0, "max_memory_mb": -1, "alternatives": "teams"}) == [
        ("top", "0", "must be at least 1"),
        ("time_limit", "nan", "must be positive (a number of seconds)"),
        ("workers", "0", "must be at least 1"),
        ("seed", "2147483648", "2147483648 is outside CP-SAT's range; use a whole number from "
                               "-2147483648 to 2147483647"),
        ("diversity", "0", "must be at least 1"),
        ("alternatives", "teams", "expected one of: 'principal' or 'seats'"),
        ("max_memory_mb", "-1", "must be a positive number of MB"),
    ]
    assert refused(SolveOptions, {"time_limit": 0, "seed": -(2**31) - 1, "tops": 3}) == [
        ("time_limit", "0", "must be positive (a number of seconds)"),
        ("seed", "-2147483649", "-2147483649 is outside CP-SAT's range; use a whole number from "
                                "-2147483648 to 2147483647"),
        ("tops", "3", "unknown field; known fields: " + ", ".join(SolveOptions.model_fields)),
    ]


@pytest.mark.parametrize("model", [ExplainRequest, WhyNotRequest, RecommendRequest, DiffRequest])
def test_budgets_are_checked_alike(model: type[BaseModel]) -> None:
    """Every verb that solves refuses a time limit that is not a positive number and no workers."""
    given = {"cadre": "g0001", "township": "t02", "seat": "secretary"}
    fields = {k: v for k, v in given.items() if k in model.model_fields}
    assert refused(model, {**fields, "time_limit": math.inf, "workers": 0}) == [
        ("time_limit", "inf", "must be positive (a number of seconds)"),
        ("workers", "0", "must be at least 1"),
    ]


def test_recommend_limit_and_missing_fields() -> None:
    """recommend's limit is at least 1, and a request without its seat says which field is missing."""
    assert refused(RecommendRequest, {"township": "t02", "seat": "secretary", "limit": 0}) == [
        ("limit", "0", "must be at least 1")]
    assert refused(RecommendRequest, {"township": "t02"}) == [("seat", "", "required field is missing")]


def test_calls_refuse_what_the_scenario_does_not_know(small: Small) -> None:
    """Before any work, each call refuses what the scenario lacks, every error at once: an unknown
    cadre, township or seat, a diversity above the seats, a slate naming what is not there."""
    sc = small.sc

    def errors(call: Any, *args: Any) -> list[InputError]:
        with pytest.raises(InputErrors) as e:
            call(sc, *args)
        return e.value.errors

    assert errors(why_not_call, WhyNotRequest(cadre="g9999", township="t99", seat="secretary")) == [
        InputError("unknown cadre 'g9999'; give the id of a cadre of the scenario", "cadre", "g9999"),
        InputError("unknown township 't99'; use one of ['t01', 't02']", "township", "t99"),
    ]
    [e] = errors(recommend_call, RecommendRequest(township="t01", seat="nope"))
    assert (e.field, e.value) == ("seat", "nope") and e.message.startswith("'nope' is no seat of t01: ")
    seats = len(sc.seats)
    assert errors(solve_call, SolveOptions(top=2, diversity=seats + 1)) == [InputError(
        f"{seats + 1} asks any two slates to differ in {seats + 1} seats, but this scenario has only "
        f"{seats} seats; use at most {seats}", "diversity", str(seats + 1))]
    slate = [Assignment(township="t99", seat="secretary", cadre="g0001"),
             Assignment(township="t01", seat="nope", cadre="g9999")]
    expected = [
        InputError("unknown township; use one of ['t01', 't02']", "assignments[0].township", "t99"),
        InputError(f"no such seat in t01; use one of {sorted(s.id for s in sc.seats_of('t01'))}",
                   "assignments[1].seat", "nope"),
        InputError("unknown cadre id; no cadre of the scenario has it", "assignments[1].cadre", "g9999"),
    ]
    assert errors(validate_call, ValidateRequest(assignments=slate)) == expected
    assert errors(explain_call, ExplainRequest(assignments=slate)) == expected


def test_the_cli_says_every_argument_error_once(small: Small) -> None:
    """The command line words a call's errors as it always has (an option by its flag), one line
    each, all of them: exit 2, nothing on stdout."""
    r = run_cli(["why-not", str(small.folder), "g9999", "t99/secretary", "--workers", "0"])
    assert (r.code, r.out, r.err) == (EXIT_BAD_INPUT, "", "error: --workers must be at least 1\n")
    r = run_cli(["why-not", str(small.folder), "g9999", "t99/secretary"])
    assert (r.code, r.out) == (EXIT_BAD_INPUT, "")
    assert r.err.splitlines() == ["error: unknown cadre 'g9999'; give the id of a cadre of the scenario",
                                  "error: unknown township 't99'; use one of ['t01', 't02']"]


# --------------------------------------------------------------------------- the examples


def test_request_schemas_show_bounds_and_examples() -> None:
    """Each request's JSON Schema (the OpenAPI document's) carries its bounds and an example that
    validates as the request."""
    assert SolveOptions.model_json_schema()["properties"]["top"]["minimum"] == 1
    assert WhyNotRequest.model_json_schema()["properties"]["time_limit"]["exclusiveMinimum"] == 0
    for model in REQUESTS:
        examples = model.model_json_schema()["examples"]
        assert examples, model.__name__
        for example in examples:
            model.model_validate(example)


@pytest.fixture(scope="module")
def demo() -> Scenario:
    return load_scenario(DEMO)


def test_the_examples_run_on_the_demo_county(demo: Scenario) -> None:
    """Every example request runs on the demo county without an input error and answers."""
    def each(model: type[BaseModel]) -> list[Any]:
        return [model.model_validate(x) for x in model.model_json_schema()["examples"]]

    for opts in each(SolveOptions):
        assert solve_call(demo, opts).slates
    for req in each(ValidateRequest):
        assert validate_call(demo, req).score is not None
    for req in each(ExplainRequest):
        assert explain_call(demo, req).analysis is not None
    for req in each(WhyNotRequest):
        f = why_not_call(demo, req)
        assert f.possible or f.reasons
    for req in each(RecommendRequest):
        assert recommend_call(demo, req).tried
    for req in each(DiffRequest):
        assert diff_call(demo, load_scenario(WHATIF), req).diff is not None
