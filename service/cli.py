"""The `huanjie` command. Thin: parse arguments into a verb's request, call the
verb (service/calls.py, which the HTTP service calls too, so `--json` writes
the API's answer), print what the renderers (service/render/) write.

Exit codes: 0 solved (or valid), 1 infeasible (or the slate breaks a must rule),
2 bad input (or an output that cannot be written), 3 no slate found within the
time limit (not proven infeasible), 70 an unexpected error (see --debug), 130
interrupted. Arguments (the request's own fields) and output paths are checked
before any work; the verb then runs inside the boundary (service/boundary.py).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from model.errors import InputErrors
from service.boundary import (
    EXIT_BAD_INPUT,
    EXIT_INFEASIBLE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_NO_ANSWER,
    EXIT_OK,
    Interrupt,
    UsageError,
    error_exit,
    guarded,
    interrupted_line,
)
from service.output import OutputError, check_folder_target, check_target, input_files, write_atomic

if TYPE_CHECKING:
    from pydantic import BaseModel

    from model.scenario import Scenario
    from model.slate import Assignment
    from service.bases import Bases
    from solver.events import Event
    from solver.forced import Forced
    from solver.stop import Stop
    from solver.warm import Prepared

__all__ = [
    "EXIT_BAD_INPUT", "EXIT_INFEASIBLE", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_NO_ANSWER", "EXIT_OK",
    "UsageError", "main", "parser",
]

FLAGS = {"top": "--top", "time_limit": "--time-limit", "workers": "--workers", "seed": "--seed",
         "diversity": "--diversity", "alternatives": "--alternatives", "deterministic": "--deterministic",
         "max_memory_mb": "--max-memory", "limit": "--limit"}
"""A request's field (service/calls.py) -> the option that gives it."""


def progress(event: Event) -> None:
    """Progress to stderr, the report to stdout."""
    from service.render.verbs import progress_line

    line = progress_line(event)
    if line is not None:
        print(line, file=sys.stderr, flush=True)


def no_slate_code(statuses: set) -> int:
    """The exit code of a run without a slate: 1 if proven infeasible, 3 if out of time (0: no
    such run)."""
    if "INFEASIBLE" in statuses:
        return EXIT_INFEASIBLE
    return EXIT_NO_ANSWER if statuses else EXIT_OK


def forced_code(tried: list[Forced]) -> int:
    """why-not / recommend on a scenario with no slate at all: 1 if proven infeasible, 3 if out of time."""
    return no_slate_code({f.scenario_status for f in tried if f.scenario_status is not None})


@contextmanager
def worded(slate: str | None = None) -> Iterator[None]:
    """A request's errors as the command line says them: those of a slate located in its
    file, like the loader's; the others are the arguments', each naming its option."""
    try:
        yield
    except InputErrors as e:
        if slate is not None and all(x.field.startswith("assignments") for x in e.errors):
            raise InputErrors([replace(x, file=slate) for x in e.errors]) from None
        raise UsageError("\nerror: ".join(f"{FLAGS[x.field]} {x.message}" if x.field in FLAGS else x.message
                                          for x in e.errors)) from None


@contextmanager
def kept_base(sc: Scenario, args: argparse.Namespace
              ) -> Iterator[tuple[Scenario, Prepared | None, Stop | None]]:
    """In the daemon (`args.kept`, its bases): the kept base of `sc` (solved now when it is
    not kept), its scenario (equal to `sc`, and the object whose per-scenario facts the
    referee has found already)
    and the stop of the rest of the run, whose --time-limit covers that base solve too. In a
    command of its own: `sc`, no base (the verb solves its own) and the run's stop."""
    if args.kept is None:
        yield sc, None, args.stop
        return
    from service.bases import content_hash
    from solver.stop import AnyOf, MaxRuntime

    req = args.request
    stop = MaxRuntime(req.time_limit) if args.stop is None else AnyOf(args.stop, MaxRuntime(req.time_limit))
    with args.kept.hold(content_hash(sc), sc, req.workers, stop) as prepared:
        yield (sc if prepared is None else prepared.sc), prepared, stop


def request_of(args: argparse.Namespace) -> BaseModel | None:
    """The verb's request (service/calls.py) from its arguments, checked before anything is loaded;
    TOWNSHIP/SEAT split in two. None for a verb without one (validate's is its slate)."""
    from service import calls

    model = {"solve": calls.SolveOptions, "explain": calls.ExplainRequest, "why-not": calls.WhyNotRequest,
             "recommend": calls.RecommendRequest, "diff": calls.DiffRequest}.get(args.command)
    if model is None:
        return None
    given = vars(args)
    if "seat" in given:
        township, _, seat = args.seat.partition("/")
        given = {**given, "township": township, "seat": seat}
    with worded():
        return calls.asked(model, {k: v for k, v in given.items() if k in model.model_fields})


def load_judged(scenario: str, slate: str | None, index: int) -> tuple[Scenario, list[Assignment] | None]:
    """The scenario and (if given) the slate, every error of both raised together as one InputErrors."""
    from model.io import load_with_slate

    return load_with_slate(scenario, slate, index)


def cmd_solve(args: argparse.Namespace) -> int:
    from model.io import load_scenario
    from service.calls import solve_call
    from service.render.limits import limit_text
    from service.render.report import fewer_slates_line, result_text
    from solver.stop import AnyOf, MaxRuntime

    opts = args.request
    deadline = MaxRuntime(opts.time_limit)  # the limit covers reading the county too
    sc = load_scenario(args.scenario)
    with worded():
        result = solve_call(sc, opts, stop=deadline if args.stop is None else AnyOf(args.stop, deadline),
                            on_event=progress)
    print(result_text(sc, result, ids=args.ids))
    if result.cut_short is not None:
        print(limit_text(result.cut_short))
    if note := fewer_slates_line(opts.top, result):
        print(note)
    if args.json:
        write_atomic(args.json, result.model_dump_json(indent=2))
    if result.slates:
        return EXIT_OK
    return no_slate_code({result.status})


def cmd_validate(args: argparse.Namespace) -> int:
    from service.calls import ValidateRequest, validate_call
    from service.render.report import verdict_text

    sc, assignments = load_judged(args.scenario, args.slate, args.index)
    with worded(args.slate):
        judged = validate_call(sc, ValidateRequest(assignments=assignments))
    print(verdict_text(sc, judged, list(judged.problems), ids=args.ids))
    if args.json:
        write_atomic(args.json, judged.model_dump_json(indent=2))
    return EXIT_OK if judged.passes else EXIT_INFEASIBLE


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


def cmd_explain(args: argparse.Namespace) -> int:
    from service.calls import explain_call
    from service.render.infeasible import reason_lines
    from service.render.report import analysis_text, warnings_text
    from service.render.words import Names

    sc, assignments = load_judged(args.scenario, args.slate, args.index)
    with worded(args.slate):
        answer = explain_call(sc, args.request.model_copy(update={"assignments": assignments}),
                              stop=args.stop, on_event=progress)
    slate = answer.slate
    if slate is None:
        print("\n".join(reason_lines(answer.reasons, answer.relaxations, Names.of(sc))))
    elif not slate.passes:
        print(warnings_text(sc, slate, list(slate.problems)))
    if slate is not None:
        print(analysis_text(sc, answer.analysis))
    if args.json:
        write_atomic(args.json, answer.model_dump_json(indent=2))
    if slate is None:
        return no_slate_code({answer.status})
    return EXIT_OK if slate.passes else EXIT_INFEASIBLE


def cmd_recommend(args: argparse.Namespace) -> int:
    from model.io import load_scenario
    from service.calls import recommend_call
    from service.render.verbs import recommend_text
    from service.render.words import Names

    loaded = load_scenario(args.scenario)
    with worded(), kept_base(loaded, args) as (sc, prepared, stop):
        rec = recommend_call(sc, args.request, stop=stop, prepared=prepared)
    print(recommend_text(rec, Names.of(sc), every=args.all))
    if args.json:
        write_atomic(args.json, rec.model_dump_json(indent=2))
    return forced_code(rec.tried)


def cmd_why_not(args: argparse.Namespace) -> int:
    from model.io import load_scenario
    from service.calls import why_not_call
    from service.render.verbs import why_not_text
    from service.render.words import Names

    loaded = load_scenario(args.scenario)
    with worded(), kept_base(loaded, args) as (sc, prepared, stop):
        f = why_not_call(sc, args.request, stop=stop, prepared=prepared)
    print(why_not_text(f, Names.of(sc)))
    if args.json:
        write_atomic(args.json, f.model_dump_json(indent=2))
    return forced_code([f])


def cmd_diff(args: argparse.Namespace) -> int:
    from model.io import load_scenario
    from service.calls import diff_call
    from service.render.diff import comparison_text

    loaded, other = load_scenario(args.base), load_scenario(args.whatif)
    with kept_base(loaded, args) as (base, prepared, stop):
        c = diff_call(base, other, args.request, stop=stop, on_event=progress, prepared=prepared)
    print(comparison_text(base, other, c))
    if args.json:
        write_atomic(args.json, c.model_dump_json(indent=2))
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
    s.add_argument("--max-memory", type=megabytes, metavar="MB", dest="max_memory_mb",
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
    e.add_argument("--json", help="also write the analysis (or the reasons when there is no slate) as JSON")
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
    w.add_argument("--json", help="also write the answer (the reasons, or the cost of forcing) as JSON")
    budget(w)
    w.set_defaults(run=cmd_why_not)

    d = sub.add_parser("diff", parents=[debug], help="solve a base and a what-if and show what changes")
    d.add_argument("base")
    d.add_argument("whatif")
    d.add_argument("--json", help="also write both results and their diff as JSON")
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

    from service import batch_cli, daemon_cli, election_cli, report_cli, reps_cli, roster_cli, serve

    for verbs in (serve, daemon_cli, report_cli, batch_cli, roster_cli, election_cli, reps_cli):
        verbs.add_parsers(sub, [debug])
    return p


def check_outputs(args: argparse.Namespace) -> None:
    """Every file or folder the verb will write, checked before any work (service/output.py)."""
    if getattr(args, "json", None) is not None:
        reads = [getattr(args, k, None) for k in ("scenario", "slate", "base", "whatif")]
        check_target(args.json, input_files(r for r in reads if r))
    if args.command == "generate":
        check_folder_target(args.out, what="generate: the folder")


def main(argv: list[str] | None = None, kept: Bases | None = None) -> int:
    """`kept`: the solved bases the daemon keeps between commands (service/daemon.py); a command
    of its own has none and solves its base itself."""
    args = parser().parse_args(argv)
    args.kept = kept
    try:
        args.request = request_of(args)
        check_outputs(args)
    except (UsageError, OutputError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(interrupted_line(False), file=sys.stderr)
        return EXIT_INTERRUPTED

    if getattr(args, "main_thread", False):  # `huanjie serve`: uvicorn handles SIGTERM/Ctrl-C itself
        try:
            return args.run(args)
        except KeyboardInterrupt:  # before uvicorn took the signals over
            print(interrupted_line(False), file=sys.stderr)
            return EXIT_INTERRUPTED
        except Exception as e:
            return error_exit(e, args.debug)

    def run(stop: Interrupt) -> int:
        args.stop = stop
        return args.run(args)

    return guarded(run, debug=args.debug)


def entry() -> int:
    """The `huanjie` command: run in this checkout's daemon when one runs and the verb is one
    it runs (service/daemon_link.py), else here."""
    from service.daemon_link import forward

    code = forward(sys.argv[1:])
    return main() if code is None else code


if __name__ == "__main__":
    sys.exit(entry())
