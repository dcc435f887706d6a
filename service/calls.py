"""The verbs as plain functions over pydantic requests and answers, called by the
command line (service/cli.py) and the HTTP routers alike, so that `--json` and
the API give the same answers and a request is checked in one place.

A request checks its own fields through pydantic, so the bounds show in the
OpenAPI document; `asked` turns pydantic's errors into `InputErrors`. What needs
the scenario (an unknown cadre, a seat the township lacks, a slate naming what
the scenario does not know) the call checks before any work. Either way a bad
request raises `InputErrors` with every error at once, each located by the
request's field path and the value, with a message that says what to do.

Light on import: the solver loads inside the calls, so the command line's
`validate` and `--help` start without OR-Tools."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from model.analysis import Analysis, analysis_of
from model.enums import Strength
from model.errors import InputError, InputErrors
from model.reasons import Reason
from model.records import explain, path, scalar
from model.slate import Alternatives, Assignment, Relaxation, Slate, SolveResult, SolveStatus

if TYPE_CHECKING:
    from model.scenario import Scenario
    from solver.compare import Comparison
    from solver.events import OnEvent
    from solver.forced import Forced, Recommendation
    from solver.stop import Stop
    from solver.warm import Prepared

SEED_RANGE = (-(2**31), 2**31 - 1)
"""CP-SAT's random_seed is a 32-bit integer; a seed outside fails inside OR-Tools after the build."""

TimeLimit = Annotated[float, Field(gt=0, allow_inf_nan=False,
                                   description="seconds for the whole run, every solve in it")]
MAX_WORKERS = 10_000
"""CP-SAT refuses more workers (MODEL_INVALID), and a number past 32 bits fails inside OR-Tools."""
Workers = Annotated[int, Field(ge=1, le=MAX_WORKERS, description="CP-SAT workers")]

MESSAGES = {
    "time_limit": "must be positive (a number of seconds)",
    "seed": "{value} is outside CP-SAT's range; use a whole number from {low} to {high}",
    "max_memory_mb": "must be a positive number of MB",
}
"""A field's own message for a value out of its bounds, where the plain one says too little."""

BOUND_KINDS = ("greater_than_equal", "less_than_equal", "greater_than", "less_than", "finite_number")

M = TypeVar("M", bound=BaseModel)


def asked(model: type[M], fields: Mapping[str, Any]) -> M:
    """The request made from `fields`, or `InputErrors` locating every field pydantic refuses."""
    try:
        return model.model_validate(dict(fields))
    except ValidationError as e:
        raise located(e, model) from None


def located(e: ValidationError, model: type[BaseModel]) -> InputErrors:
    """Pydantic's errors of a request as InputErrors: field path, value, and what to do."""
    return InputErrors([InputError(message_of(err, model), path(err["loc"]), scalar(err.get("input")))
                        for err in e.errors()])


def message_of(err: Any, model: type[BaseModel]) -> str:
    loc = err["loc"]
    own = MESSAGES.get(str(loc[0])) if len(loc) == 1 and str(loc[0]) in model.model_fields else None
    if own is not None and err["type"] in BOUND_KINDS:
        low, high = SEED_RANGE
        return own.format(value=err.get("input"), low=low, high=high)
    if err["type"] == "greater_than_equal":
        return f"must be at least {err['ctx']['ge']}"
    return explain(err, model, cell=False)


def refuse(errors: list[InputError]) -> None:
    """Stop a call before any work when its request is wrong for the scenario."""
    if errors:
        raise InputErrors(errors)


def request_config(*examples: dict[str, Any]) -> ConfigDict:
    """Requests are strict about their fields (a typo is an error, not a default) and carry
    examples, valid for the demo county (scenarios/demo-county), into the OpenAPI document."""
    return ConfigDict(frozen=True, extra="forbid", json_schema_extra={"examples": list(examples)})


# --------------------------------------------------------------------------- checks against the scenario


def unknown_township(sc: Scenario, township: str) -> InputError:
    """A township named neither by id nor by name (the verbs that take a name: elections,
    representatives), in one set of words for the CLI and the API."""
    return InputError(f"no township '{township}'; use one of {sorted(sc.townships)} or its name",
                      "township", township)


def township_id(sc: Scenario, township: str) -> str:
    """The township's id, named by id or by name; an unknown one is an input error."""
    tid = sc.township_named(township)
    if tid is None:
        raise InputErrors([unknown_township(sc, township)])
    return tid


def seat_errors(sc: Scenario, township: str, seat: str) -> list[InputError]:
    """A township the scenario lacks, or a seat kind its team does not have (why-not, recommend)."""
    if township not in sc.townships:
        return [InputError(f"unknown township '{township}'; use one of {sorted(sc.townships)}",
                           "township", township)]
    problem = sc.seat_problem(township, seat)
    if problem is not None:
        return [InputError(f"'{seat}' is no seat of {township}: {problem}", "seat", seat)]
    return []


def slate_references(sc: Scenario, assignments: list[Assignment]) -> list[InputError]:
    """Every township, seat and cadre of a slate that the scenario does not know, by index."""
    errors: list[InputError] = []
    seats = {(s.township, s.id) for s in sc.seats}
    for i, a in enumerate(assignments):
        where = f"assignments[{i}]"
        if a.township not in sc.townships:
            errors.append(InputError(f"unknown township; use one of {sorted(sc.townships)}",
                                     f"{where}.township", a.township))
        elif (a.township, a.seat) not in seats:
            ids = sorted(s.id for s in sc.seats_of(a.township))
            errors.append(InputError(f"no such seat in {a.township}; use one of {ids}",
                                     f"{where}.seat", a.seat))
        if a.cadre not in sc.cadre_by_id:
            errors.append(InputError("unknown cadre id; no cadre of the scenario has it",
                                     f"{where}.cadre", a.cadre))
    return errors


# --------------------------------------------------------------------------- solve


class SolveOptions(BaseModel):
    """The settings of a solve, with the command line's defaults (`huanjie solve`)."""

    model_config = request_config({"top": 3, "time_limit": 5, "workers": 2, "seed": 0})

    top: int = Field(1, ge=1, description="how many distinct slates")
    time_limit: TimeLimit = 60.0
    workers: Workers = 2
    seed: int = Field(0, ge=SEED_RANGE[0], le=SEED_RANGE[1], description="CP-SAT random seed")
    deterministic: bool = Field(False, description="same input, seed and settings give the same slates")
    diversity: int | None = Field(None, ge=1, description="any two slates differ in at least this many seats")
    alternatives: Alternatives | None = Field(
        None, description="how each next slate differs: principal (the default) or seats "
                          "(the default with diversity)")
    max_memory_mb: float | None = Field(None, gt=0, allow_inf_nan=False,
                                        description="refuse a solve whose estimated peak memory is above "
                                                    "this (default 8192)")

    def errors(self, sc: Scenario) -> list[InputError]:
        """Slates cannot differ in more seats than the scenario has: say so, do not return one slate."""
        seats = len(sc.seats)
        if self.diversity is not None and self.diversity > seats:
            return [InputError(f"{self.diversity} asks any two slates to differ in {self.diversity} seats, "
                               f"but this scenario has only {seats} seats; use at most {seats}",
                               "diversity", str(self.diversity))]
        return []


def solve_call(sc: Scenario, opts: SolveOptions, *, stop: Stop | None = None,
               on_event: OnEvent | None = None, near: Slate | None = None) -> SolveResult:
    """The ranked slates (`huanjie solve`); `near`, a what-if's base slate to keep as much of as the best
    score allows (a job on a what-if version)."""
    refuse(opts.errors(sc))
    from solver import solve
    from solver.memory import MAX_MEMORY_MB

    return solve(sc, time_limit=opts.time_limit, workers=opts.workers, top=opts.top, seed=opts.seed,
                 on_event=on_event, diversity=opts.diversity, alternatives=opts.alternatives,
                 deterministic=opts.deterministic, stop=stop, near=near,
                 max_memory_mb=opts.max_memory_mb or MAX_MEMORY_MB)


# --------------------------------------------------------------------------- validate, explain


class JudgedSlate(Slate):
    """A slate as the referee judged it (`huanjie validate`): `passes` when it has no
    structural problem (`problems`: a seat empty, a cadre twice) and breaks no must rule."""

    passes: bool
    problems: tuple[Reason, ...] = ()

    @classmethod
    def of(cls, slate: Slate, problems: list[Reason] | tuple[Reason, ...] = ()) -> JudgedSlate:
        passes = not problems and not slate.broken(Strength.must)
        return cls(**dict(slate), passes=passes, problems=tuple(problems))

    @classmethod
    def judged(cls, sc: Scenario, assignments: list[Assignment]) -> JudgedSlate:
        """The referee's verdict on a slate whose references the scenario knows; no solver."""
        from model.referee import judge

        slate, verdict = judge(sc, assignments)
        return cls.of(slate, verdict.problems)


EXAMPLE_SLATE = [{"township": "t01", "seat": "secretary", "cadre": "g0318"}]
"""One seat of the demo county: a slate the referee can judge (it fails: the other seats are empty)."""


class ValidateRequest(BaseModel):
    """A slate to judge against every rule: a list of {township, seat, cadre}."""

    model_config = request_config({"assignments": EXAMPLE_SLATE})

    assignments: list[Assignment]

    def errors(self, sc: Scenario) -> list[InputError]:
        return slate_references(sc, self.assignments)


def validate_call(sc: Scenario, req: ValidateRequest) -> JudgedSlate:
    refuse(req.errors(sc))
    return JudgedSlate.judged(sc, req.assignments)


class ExplainRequest(BaseModel):
    """The slate to explain, or none: then the best slate of a solve within the budget."""

    model_config = request_config({"time_limit": 5, "workers": 2},
                                  {"assignments": EXAMPLE_SLATE, "time_limit": 5, "workers": 2})

    assignments: list[Assignment] | None = Field(None, description="the slate; none: solve first")
    time_limit: TimeLimit = 60.0
    workers: Workers = 2

    def errors(self, sc: Scenario) -> list[InputError]:
        return slate_references(sc, self.assignments) if self.assignments is not None else []


class ExplainAnswer(BaseModel):
    """What `huanjie explain` says, as data: the slate explained (the one given, judged; or
    the best one solved) and the analysis of its score; or, when the solve found no slate,
    its `status`, the `reasons` and the `relaxations` that would make the scenario feasible."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: SolveStatus | None = Field(None, description="the solve's, when no slate was given")
    slate: JudgedSlate | None = None
    analysis: Analysis | None = None
    reasons: tuple[Reason, ...] = ()
    relaxations: tuple[Relaxation, ...] = ()


def explain_call(sc: Scenario, req: ExplainRequest, *, stop: Stop | None = None,
                 on_event: OnEvent | None = None) -> ExplainAnswer:
    refuse(req.errors(sc))
    if req.assignments is not None:
        judged = JudgedSlate.judged(sc, req.assignments)
        return ExplainAnswer(slate=judged, analysis=analysis_of(judged))
    from solver import solve

    result = solve(sc, time_limit=req.time_limit, workers=req.workers, on_event=on_event, stop=stop)
    if not result.slates:
        return ExplainAnswer(status=result.status, reasons=result.reasons, relaxations=result.relaxations)
    best = JudgedSlate.of(result.slates[0])
    return ExplainAnswer(status=result.status, slate=best, analysis=analysis_of(best))


# --------------------------------------------------------------------------- why-not, recommend, diff


class WhyNotRequest(BaseModel):
    """Why a cadre does not hold a seat: the rules that keep them out, or the cost of forcing them in."""

    model_config = request_config({"cadre": "g0001", "township": "t02", "seat": "secretary",
                                   "time_limit": 5, "workers": 2})

    cadre: str = Field(description="a cadre id of the pool")
    township: str = Field(description="a township id")
    seat: str = Field(description="a seat kind of the township's team, e.g. secretary")
    time_limit: TimeLimit = 60.0
    workers: Workers = 2

    def errors(self, sc: Scenario) -> list[InputError]:
        errors = []
        if self.cadre not in sc.cadre_by_id:
            errors.append(InputError(f"unknown cadre '{self.cadre}'; give the id of a cadre of the scenario",
                                     "cadre", self.cadre))
        return errors + seat_errors(sc, self.township, self.seat)


def why_not_call(sc: Scenario, req: WhyNotRequest, *, stop: Stop | None = None,
                 on_event: OnEvent | None = None, prepared: Prepared | None = None) -> Forced:
    """`prepared`: the base solved already (solver/warm.py), as a server keeps it between clicks."""
    refuse(req.errors(sc))
    from solver import why_not

    return why_not(sc, req.cadre, req.township, req.seat, time_limit=req.time_limit, workers=req.workers,
                   stop=stop, on_event=on_event, prepared=prepared)


class RecommendRequest(BaseModel):
    """The candidates for a seat, ranked by the cost of forcing each in."""

    model_config = request_config({"township": "t02", "seat": "secretary", "limit": 3,
                                   "time_limit": 5, "workers": 2})

    township: str = Field(description="a township id")
    seat: str = Field(description="a seat kind of the township's team, e.g. secretary")
    limit: int = Field(10, ge=1, description="how many best candidates to force-solve exactly; the others "
                                             "are ranked by the relaxation's bound")
    time_limit: TimeLimit = 60.0
    workers: Workers = 2

    def errors(self, sc: Scenario) -> list[InputError]:
        return seat_errors(sc, self.township, self.seat)


def recommend_call(sc: Scenario, req: RecommendRequest, *, stop: Stop | None = None,
                   on_event: OnEvent | None = None, prepared: Prepared | None = None) -> Recommendation:
    refuse(req.errors(sc))
    from solver import recommend

    return recommend(sc, req.township, req.seat, limit=req.limit, time_limit=req.time_limit,
                     workers=req.workers, stop=stop, on_event=on_event, prepared=prepared)


class DiffRequest(BaseModel):
    """The budget of a what-if against its base: both solved, and what changes."""

    model_config = request_config({"time_limit": 10, "workers": 2})

    time_limit: TimeLimit = 60.0
    workers: Workers = 2


def diff_call(base: Scenario, other: Scenario, req: DiffRequest, *, stop: Stop | None = None,
              on_event: OnEvent | None = None, prepared: Prepared | None = None) -> Comparison:
    from solver import compare

    return compare(base, other, req.time_limit, req.workers, on_event=on_event, stop=stop, prepared=prepared)
