"""`huanjie ballot`, `huanjie candidates` and `huanjie meeting`: the lists of the party congress
(section V, service/elections.py) for one township, from a slate given (a solve result or a
hand-made list, as `validate` reads) or solved first, and the meeting of D5-V2 from membership
counts. `--json` writes the answer the HTTP service gives; `--xlsx` the staff's workbook.

Exit codes as the other verbs: 0 the lists meet D1-V1 and D5-V1 (the meeting: its quorum, when
`--present` is given), 1 they fall short (too few eligible names) or no slate was found
(infeasible), 2 bad input, 3 no slate within the time limit."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from service.boundary import EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_NO_ANSWER, EXIT_OK, UsageError
from service.output import check_target, input_files, write_atomic

if TYPE_CHECKING:
    from service.elections import ElectionLists

FIVE_KINDS = (("ill", "members too ill to express their will (有病不能表达本人意志)"),
              ("abroad", "members abroad at their own expense for half a year or more (自费出国半年以上)"),
              ("imprisoned", "members serving a sentence (正在服刑)"),
              ("dependent", "members unable to look after themselves (生活不能自理)"),
              ("untransferred", "members who did not move their membership (应转而未转组织关系)"))
"""The five kinds D5-V2 does not count among those who should attend: option name, help."""


def request(model: type, fields: dict):
    """The verb's request from its arguments; every refused field said as its option."""
    from model.errors import InputErrors
    from service.calls import asked

    try:
        return asked(model, fields)
    except InputErrors as e:
        said = (f"--{x.field.replace('_', '-')} {x.message}" for x in e.errors)
        raise UsageError("\nerror: ".join(said)) from None


def xlsx_target(args: argparse.Namespace) -> None:
    if args.xlsx is None:
        return
    if not args.xlsx.lower().endswith(".xlsx"):
        raise UsageError(f"--xlsx {args.xlsx}: a workbook is an .xlsx file; name it like lists.xlsx")
    reads = [r for r in (getattr(args, "scenario", None), getattr(args, "slate", None)) if r]
    check_target(args.xlsx, input_files(reads), what="--xlsx")


def lists_of(args: argparse.Namespace) -> ElectionLists:
    """The lists of the township, from the slate given or solved (`--time-limit` covers the solve)."""
    from model.errors import InputErrors
    from model.io import load_with_slate
    from service.elections import ListsRequest, lists_call

    req = request(ListsRequest, {"township": args.township, "convention": args.convention,
                                 "time_limit": args.time_limit, "workers": args.workers})
    xlsx_target(args)
    sc, assignments = load_with_slate(args.scenario, args.slate, args.index)
    try:
        args.sc = sc
        return lists_call(sc, req.model_copy(update={"assignments": assignments}), stop=args.stop)
    except InputErrors as e:
        if args.slate is not None and all(x.field.startswith("assignments") for x in e.errors):
            from dataclasses import replace

            raise InputErrors([replace(x, file=args.slate) for x in e.errors]) from None
        raise


def lists_code(lists: ElectionLists) -> int:
    if lists.ballot is None or lists.promotions is None:
        return EXIT_INFEASIBLE if lists.status == "INFEASIBLE" else EXIT_NO_ANSWER
    return EXIT_INFEASIBLE if lists.ballot.committee.short or lists.promotions.short else EXIT_OK


def finish(args: argparse.Namespace, text: str, answer, workbook) -> None:
    """Print, then write --json and --xlsx (the workbook made only when asked for)."""
    print(text)
    if args.json:
        write_atomic(args.json, answer.model_dump_json(indent=2))
    if args.xlsx and workbook is not None:
        from service.render.sheets import written_line

        write_atomic(args.xlsx, workbook())
        print(written_line("xlsx", args.xlsx))


def cmd_ballot(args: argparse.Namespace) -> int:
    from service.render.elections import ballot_text, lists_workbook

    lists = lists_of(args)
    finish(args, ballot_text(args.sc, lists), lists,
           (lambda: lists_workbook(args.sc, lists)) if lists.ballot is not None else None)
    return lists_code(lists)


def cmd_candidates(args: argparse.Namespace) -> int:
    from service.render.elections import candidates_text, lists_workbook

    lists = lists_of(args)
    finish(args, candidates_text(args.sc, lists), lists,
           (lambda: lists_workbook(args.sc, lists)) if lists.ballot is not None else None)
    return lists_code(lists)


def cmd_meeting(args: argparse.Namespace) -> int:
    from model.election import Membership
    from service.elections import meeting_call
    from service.render.elections import meeting_text, meeting_workbook

    fields = {k: getattr(args, k) for k in ("members", "present", "dispersed", *(k for k, _ in FIVE_KINDS))}
    try:
        membership = request(Membership, fields)
    except UsageError:
        raise
    except ValueError as e:
        raise UsageError(str(e)) from None
    xlsx_target(args)
    plan = meeting_call(membership)
    finish(args, meeting_text(plan), plan, lambda: meeting_workbook(plan))
    return EXIT_INFEASIBLE if plan.quorate is False else EXIT_OK


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    for name, text, run in (
            ("ballot", "a township's committee ballot: secretary and deputies first, the others by strokes "
                       "(D1-V2), from the differential list (D1-V1)", cmd_ballot),
            ("candidates", "a township's differential candidate list (D1-V1) and the 1:2 list of new "
                           "promotions (D5-V1)", cmd_candidates)):
        p = sub.add_parser(name, parents=parents, help=text)
        p.add_argument("scenario", help="a scenario file (.json/.yaml/.xlsx) or folder")
        p.add_argument("slate", nargs="?", help="a slate or result JSON (default: solve first)")
        p.add_argument("--township", required=True, help="the township's id or name")
        p.add_argument("--index", type=int, default=0, help="which slate of a solve result (0 = best)")
        p.add_argument("--convention", choices=["surname", "fullname"], default="surname",
                       help="surname: 姓氏笔画, by surname then given name (default); fullname: 姓名笔画")
        p.add_argument("--time-limit", type=float, default=60.0, help="seconds for the solve, when no slate")
        p.add_argument("--workers", type=int, default=2)
        p.add_argument("--json", help="also write the lists as JSON to this file")
        p.add_argument("--xlsx", metavar="OUT.xlsx", help="also write the lists as an Excel workbook")
        p.set_defaults(run=run)
    m = sub.add_parser("meeting", parents=parents,
                       help="which meeting a township holds and the quorum of a members' meeting (D5-V2)")
    m.add_argument("--members", type=int, required=True, help="the township's party members")
    for kind, text in FIVE_KINDS:
        m.add_argument(f"--{kind}", type=int, default=0, help=f"{text}; not counted as should attend")
    m.add_argument("--present", type=int, help="members present at a members' meeting: is it quorate?")
    m.add_argument("--dispersed", action="store_true",
                   help="the township's party organizations lie far apart: it may hold a congress below 500")
    m.add_argument("--json", help="also write the answer as JSON to this file")
    m.add_argument("--xlsx", metavar="OUT.xlsx", help="also write it as an Excel workbook")
    m.set_defaults(run=cmd_meeting)


__all__ = ["EXIT_BAD_INPUT", "add_parsers"]
