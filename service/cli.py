"""The `huanjie` command. Thin: parse arguments, call model/solver, print what
the renderers (service/render/) write.

Exit codes: 0 solved (or valid), 1 infeasible (or the slate breaks a must rule),
2 bad input (or an output that cannot be written), 3 no slate found within the
time limit (not proven infeasible), 70 an unexpected error (see --debug), 130
interrupted. Arguments and output paths are checked before any work; the verb
then runs inside the boundary (service/boundary.py).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from model.errors import InputError, InputErrors
from service.boundary import (
    EXIT_BAD_INPUT,
    EXIT_INFEASIBLE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_NO_ANSWER,
    EXIT_OK,
    Interrupt,
    UsageError,
    guarded,
    interrupted_line,
)
from service.output import OutputError, check_folder_target, check_target, input_files, write_atomic

if TYPE_CHECKING:
    from model.scenario import Scenario
    from model.slate import Assignment
    from solver.events import Event
    from solver.forced import Forced

__all__ = [
    "EXIT_BAD_INPUT", "EXIT_INFEASIBLE", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_NO_ANSWER", "EXIT_OK",
    "UsageError", "main", "parser",
]

SEED_RANGE = (-(2**31), 2**31 - 1)
"""CP-SAT's random_seed is a 32-bit integer; a seed outside fails inside OR-Tools after the build."""


def progress(event: Event) -> None:
    """Progress to stderr, the report to stdout."""
    from service.render.verbs import progress_line

    line = progress_line(event)
    if line is not None:
        print(line, file=sys.stderr, flush=True)


def check_diversity(sc: Scenario, diversity: int | None) -> None:
    """Slates cannot differ in more seats than the scenario has: say so, do not return one slate."""
    seats = len(sc.seats)
    if diversity is not None and diversity > seats:
        raise UsageError(f"--diversity {diversity} asks any two slates to differ in {diversity} seats, "
                         f"but this scenario has only {seats} seats; use at most {seats}")


def no_slate_code(statuses: set) -> int:
    """The exit code of a run without a slate: 1 if proven infeasible, 3 if out of time (0: no
    such run)."""
    if "INFEASIBLE" in statuses:
        return EXIT_INFEASIBLE
    return EXIT_NO_ANSWER if statuses else EXIT_OK


def forced_code(tried: list[Forced]) -> int:
    """why-not / recommend on a scenario with no slate at all: 1 if proven infeasible, 3 if out of time."""
    return no_slate_code({f.scenario_status for f in tried if f.scenario_status is not None})


def slate_references(sc: Scenario, assignments: list[Assignment], file: str) -> list[InputError]:
    """Every township, seat and cadre of a slate file that the scenario does not know, by index."""
    errors: list[InputError] = []
    seats = {(s.township, s.id) for s in sc.seats}
    for i, a in enumerate(assignments):
        where = f"assignments[{i}]"
        if a.township not in sc.townships:
            errors.append(InputError(f"unknown township; use one of {sorted(sc.townships)}",
                                     f"{where}.township", a.township, file=file))
        elif (a.township, a.seat) not in seats:
            ids = sorted(s.id for s in sc.seats_of(a.township))
            errors.append(InputError(f"no such seat in {a.township}; use one of {ids}",
                                     f"{where}.seat", a.seat, file=file))
        if a.cadre not in sc.cadre_by_id:
            errors.append(InputError("unknown cadre id; no cadre of the scenario has it",
                                     f"{where}.cadre", a.cadre, file=file))
    return errors


def load_judged(scenario: str, slate: str | None, index: int) -> tuple[Scenario, list[Assignment] | None]:
    """The scenario and (if given) the slate, every error of both and every unknown
    reference of the slate raised together as one InputErrors."""
    from model.io import load_scenario, load_slate

    errors: list[InputError] = []
    sc = assignments = None
    try:
        sc = load_scenario(scenario)
    except InputErrors as e:
        errors += e.errors
    if slate is not None:
        try:
            assignments = load_slate(slate, index=index)
        except InputErrors as e:
            errors += e.errors
    if sc is not None and assignments is not None:
        errors += slate_references(sc, assignments, slate)
    if errors or sc is None:
        raise InputErrors(errors)
    return sc, assignments


def cmd_solve(args: argparse.Namespace) -> int:
    from model.io import load_scenario
    from service.render.limits import limit_text
    from service.render.report import fewer_slates_line, result_text
    from solver import solve
    from solver.memory import MAX_MEMORY_MB
    from solver.stop import AnyOf, MaxRuntime

    deadline = MaxRuntime(args.time_limit)  # the limit covers reading the county too
    sc = load_scenario(args.scenario)
    check_diversity(sc, args.diversity)
    result = solve(sc, time_limit=args.time_limit, workers=args.workers, top=args.top,
                   seed=args.seed, on_event=progress, diversity=args.diversity,
                   alternatives=args.alternatives,
                   deterministic=args.deterministic,
                   stop=deadline if args.stop is None else AnyOf(args.stop, deadline),
                   max_memory_mb=args.max_memory or MAX_MEMORY_MB)
    print(result_text(sc, result, ids=args.ids))
    if result.cut_short is not None:
        print(limit_text(result.cut_short))
    if note := fewer_slates_line(args.top, result):
        print(note)
    if args.json:
        write_atomic(args.json, result.model_dump_json(indent=2))
    if result.slates:
        return EXIT_OK
    return no_slate_code({result.status})


def cmd_validate(args: argparse.Namespace) -> int:
    from model.referee import judge
    from service.render.report import verdict_text

    sc, assignments = load_judged(args.scenario, args.slate, args.index)
    slate, verdict = judge(sc, assignments)
    print(verdict_text(sc, slate, verdict.problems, ids=args.ids))
    if args.json:
        write_atomic(args.json, slate.model_dump_json(indent=2))
    return EXIT_OK if verdict.passes else EXIT_INFEASIBLE


def cmd_generate(args: argparse.Namespace) -> int:
    from model.generator import generate_county
    from model.io import save_scenario

    try:
        sc = generate_county(args.townships, args.cadres, args.seed, ruleset=args.ruleset,
                             minority_share=args.minority_share)
    except ValueError as e:
        raise UsageError(str(e)) from e
    try:
        save_scenario(sc, Path(args.out), overwrite=args.overwrite)
    except FileExistsError as e:
        raise UsageError(f"{args.out} is not empty; choose a new or empty folder, or add --overwrite") from e
    from service.render.verbs import generated_text

    print(generated_text(args.out, args.townships, args.cadres, args.seed))
    return EXIT_OK


def seat_arg(sc, text: str) -> tuple[str, str]:
    """'t02/secretary' -> (township, seat kind), checked against the scenario."""
    township, _, seat = text.partition("/")
    if township not in sc.townships:
        raise UsageError(f"unknown township '{township}' in '{text}'; write TOWNSHIP/SEAT (t02/secretary)")
    problem = sc.seat_problem(township, seat)
    if problem is not None:
        raise UsageError(f"'{seat}' is no seat of {township}: {problem}")
    return township, seat


def cmd_explain(args: argparse.Namespace) -> int:
    from model.analysis import analysis_of
    from model.referee import judge
    from service.render.infeasible import reason_lines
    from service.render.report import analysis_text, warnings_text
    from service.render.words import Names
    from solver import solve

    sc, assignments = load_judged(args.scenario, args.slate, args.index)
    if assignments is not None:
        slate, verdict = judge(sc, assignments)
        warning = warnings_text(sc, slate, verdict.problems)
        if warning is not None:
            print(warning)
            print(analysis_text(sc, analysis_of(slate)))
            return EXIT_INFEASIBLE
    else:
        result = solve(sc, time_limit=args.time_limit, workers=args.workers, on_event=progress,
                       stop=args.stop)
        if not result.slates:
            print("\n".join(reason_lines(result.reasons, result.relaxations, Names.of(sc))))
            return no_slate_code({result.status})
        slate = result.slates[0]
    print(analysis_text(sc, analysis_of(slate)))
    return EXIT_OK


def cmd_recommend(args: argparse.Namespace) -> int:
    from model.io import load_scenario
    from service.render.verbs import recommend_text
    from service.render.words import Names
    from solver.forced import recommend

    sc = load_scenario(args.scenario)
    township, seat = seat_arg(sc, args.seat)
    rec = recommend(sc, township, seat, limit=args.limit, time_limit=args.time_limit, workers=args.workers,
                    stop=args.stop)
    print(recommend_text(rec, Names.of(sc), every=args.all))
    if args.json:
        write_atomic(args.json, rec.model_dump_json(indent=2))
    return forced_code(rec.tried)


def cmd_why_not(args: argparse.Namespace) -> int:
    from model.io import load_scenario
    from service.render.verbs import why_not_text
    from service.render.words import Names
    from solver.forced import why_not

    sc = load_scenario(args.scenario)
    if args.cadre not in sc.cadre_by_id:
        raise UsageError(f"unknown cadre '{args.cadre}'")
    township, seat = seat_arg(sc, args.seat)
    f = why_not(sc, args.cadre, township, seat, time_limit=args.time_limit, workers=args.workers,
                stop=args.stop)
    print(why_not_text(f, Names.of(sc)))
    return forced_code([f])


def cmd_diff(args: argparse.Namespace) -> int:
    from model.io import load_scenario
    from service.render.diff import comparison_text
    from solver.compare import compare

    base, other = load_scenario(args.base), load_scenario(args.whatif)
    c = compare(base, other, args.time_limit, args.workers, on_event=progress, stop=args.stop)
    print(comparison_text(base, other, c))
    return EXIT_OK if c.diff is not None else EXIT_INFEASIBLE


def cmd_schema(args: argparse.Namespace) -> int:
    from model.io import result_schema, scenario_schema

    schema = scenario_schema() if args.what == "scenario" else result_schema()
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from model.ruleset import preset_ids
    from service.render.rules_table import rules_table

    if args.preset and args.preset not in preset_ids():
        raise UsageError(f"unknown preset '{args.preset}'; use one of {preset_ids()}")
    print(rules_table(args.preset))
    return EXIT_OK


def megabytes(text: str) -> float:
    """A memory bound: a positive number of MB (argparse says so otherwise, exit 2)."""
    mb = float(text)
    if not (math.isfinite(mb) and mb > 0):
        raise ValueError(text)
    return mb


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="huanjie", description="乡镇领导班子换届方案 (reshuffle planner)")
    p.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    sub = p.add_subparsers(dest="command", required=True)
    # --debug after the verb too; SUPPRESS keeps a verb without it from resetting the global flag
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show the traceback of an unexpected error")

    s = sub.add_parser("solve", parents=[debug], help="solve a scenario and print the ranked slates")
    s.add_argument("scenario", help="a scenario file (.json/.yaml) or folder")
    s.add_argument("--top", type=int, default=1, help="how many distinct slates (default 1)")
    s.add_argument("--time-limit", type=float, default=60.0, help="seconds for the whole run")
    s.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    s.add_argument("--seed", type=int, default=0, help="CP-SAT random seed")
    s.add_argument("--json", help="also write the result as JSON to this file")
    s.add_argument("--ids", action="store_true", help="show internal ids (编号, township ids) in the tables")
    s.add_argument("--max-memory", type=megabytes, metavar="MB",
                   help="refuse a solve whose estimated peak memory is above this (default 8192)")
    s.add_argument("--alternatives", choices=["principal", "seats"],
                   help="each next slate changes a 书记 or 乡镇长 (principal, the default) or at least "
                        "--diversity seats (seats, the default when --diversity is given)")
    s.add_argument("--diversity", type=int,
                   help="any two slates differ in at least this many seats")
    s.add_argument("--deterministic", action="store_true",
                   help="same input, seed and settings give the same slates (slower)")
    s.set_defaults(run=cmd_solve)

    def budget(p: argparse.ArgumentParser) -> None:
        p.add_argument("--time-limit", type=float, default=60.0,
                       help="seconds for the whole run, every solve in it (default 60)")
        p.add_argument("--workers", type=int, default=2)

    e = sub.add_parser("explain", parents=[debug],
                        help="the score of a slate by term, township and rule, with reasons")
    e.add_argument("scenario")
    e.add_argument("slate", nargs="?", help="a slate or result JSON (default: solve first)")
    e.add_argument("--index", type=int, default=0)
    budget(e)
    e.set_defaults(run=cmd_explain)

    rc = sub.add_parser("recommend", parents=[debug],
                         help="candidates for a seat, ranked by the cost of forcing them in")
    rc.add_argument("scenario")
    rc.add_argument("seat", help="TOWNSHIP/SEAT, e.g. t02/secretary")
    rc.add_argument("--limit", type=int, default=10,
                    help="how many best candidates to force-solve exactly (default 10); the others are "
                         "ranked by the relaxation's bound")
    rc.add_argument("--all", action="store_true", help="list every eligible candidate, the bounded ones too")
    rc.add_argument("--json", help="also write the whole ranking as JSON to this file")
    budget(rc)
    rc.set_defaults(run=cmd_recommend)

    w = sub.add_parser("why-not", parents=[debug],
                        help="why a cadre does not hold a seat: rules, or the cost of forcing")
    w.add_argument("scenario")
    w.add_argument("cadre")
    w.add_argument("seat", help="TOWNSHIP/SEAT, e.g. t02/secretary")
    budget(w)
    w.set_defaults(run=cmd_why_not)

    d = sub.add_parser("diff", parents=[debug], help="solve a base and a what-if and show what changes")
    d.add_argument("base")
    d.add_argument("whatif")
    budget(d)
    d.set_defaults(run=cmd_diff)

    v = sub.add_parser("validate", parents=[debug], help="check a slate against every rule (the referee)")
    v.add_argument("scenario")
    v.add_argument("slate", help="JSON: a list of {township, seat, cadre}, or a solve result")
    v.add_argument("--index", type=int, default=0, help="which slate of a solve result (0 = best)")
    v.add_argument("--json", help="write the judged slate as JSON")
    v.add_argument("--ids", action="store_true", help="show internal ids (编号, township ids) in the tables")
    v.set_defaults(run=cmd_validate)

    g = sub.add_parser("generate", parents=[debug], help="write a realistic random county")
    g.add_argument("out")
    g.add_argument("--townships", type=int, default=12)
    g.add_argument("--cadres", type=int, default=400)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--ruleset", default="xx-2011")
    g.add_argument("--minority-share", type=float, default=0.08)
    g.add_argument("--overwrite", action="store_true")
    g.set_defaults(run=cmd_generate)

    sc = sub.add_parser("schema", parents=[debug], help="print the JSON Schema of a scenario or a result")
    sc.add_argument("what", choices=["scenario", "result"], nargs="?", default="scenario")
    sc.set_defaults(run=cmd_schema)

    r = sub.add_parser("rules", parents=[debug], help="list the rules in force in each preset")
    r.add_argument("--preset", help="only this preset")
    r.set_defaults(run=cmd_rules)

    from service.serve import add_parsers

    add_parsers(sub, [debug])
    return p


def check_arguments(args: argparse.Namespace) -> None:
    """Numbers the verbs cannot use, refused before anything is loaded."""
    for name in ("top", "workers", "diversity", "limit"):
        if (value := getattr(args, name, None)) is not None and value < 1:
            raise UsageError(f"--{name} must be at least 1")
    limit = getattr(args, "time_limit", 1.0)
    if not (math.isfinite(limit) and limit > 0):
        raise UsageError("--time-limit must be positive (a number of seconds)")
    low, high = SEED_RANGE
    if args.command == "solve" and not low <= args.seed <= high:
        raise UsageError(f"--seed {args.seed} is outside CP-SAT's range; use a whole number from {low} "
                         f"to {high}")


def check_outputs(args: argparse.Namespace) -> None:
    """Every file or folder the verb will write, checked before any work (service/output.py)."""
    if getattr(args, "json", None) is not None:
        reads = [getattr(args, k, None) for k in ("scenario", "slate", "base", "whatif")]
        check_target(args.json, input_files(r for r in reads if r))
    if args.command == "generate":
        check_folder_target(args.out, what="generate: the folder")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        check_arguments(args)
        check_outputs(args)
    except (UsageError, OutputError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(interrupted_line(False), file=sys.stderr)
        return EXIT_INTERRUPTED

    def run(stop: Interrupt) -> int:
        args.stop = stop
        return args.run(args)

    return guarded(run, debug=args.debug)


if __name__ == "__main__":
    sys.exit(main())
