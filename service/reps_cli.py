"""`huanjie representatives SCENARIO --township T`: a township's party-congress seats (D1-P1, D2-P1 or
D5-P1 as the preset says), their apportionment to the electoral units and the candidate lists under
the quotas (section P); `huanjie nominees generate FOLDER`: generated units, nominee rolls and
last-congress facts for a scenario folder (model/nominee_generator.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from service.boundary import EXIT_INFEASIBLE, EXIT_NO_ANSWER, EXIT_OK, UsageError

if TYPE_CHECKING:
    from model.membership import Membership
    from model.scenario import Scenario


def load_both(folder: str, membership: str | None) -> tuple[Scenario, Membership]:
    """The scenario and the membership files beside it (or in `membership`, a folder)."""
    from model.io import load_scenario
    from model.membership import load_membership_folder, scenario_townships

    sc = load_scenario(folder)
    where = Path(membership) if membership else Path(folder)
    if not where.is_dir():
        raise UsageError(
            f"{where}: the membership files (units, nominees) are read from a folder; "
            "give the scenario folder or --membership FOLDER"
        )
    return sc, load_membership_folder(where, scenario_townships(sc), sc.reshuffle_date)


def targets(args: argparse.Namespace) -> None:
    """--json and --xlsx checked before the solve, none of them a file the run reads (the membership's
    included: input_files knows the scenario's alone)."""
    from model.membership import CONGRESS_FILE, NOMINEES_FILE, TABLE_SUFFIXES, UNITS_FILE
    from service.output import check_target, input_files

    where = Path(args.membership or args.scenario)
    reads = input_files([args.scenario]) | {where / CONGRESS_FILE} | {
        where / f"{stem}{s}" for stem in (UNITS_FILE, NOMINEES_FILE) for s in TABLE_SUFFIXES}
    for flag in ("json", "xlsx"):
        if getattr(args, flag):
            check_target(getattr(args, flag), reads, what=f"--{flag}")


def cmd_representatives(args: argparse.Namespace) -> int:
    from service.calls import township_id
    from service.output import write_atomic
    from service.render.representatives import plan_text, plan_workbook
    from solver.representatives import plan_representatives

    targets(args)
    sc, m = load_both(args.scenario, args.membership)
    township = township_id(sc, args.township)
    try:
        plan = plan_representatives(sc, m, township, time_limit=args.time_limit, workers=args.workers)
    except KeyError as e:
        raise UsageError(str(e.args[0])) from None
    name = sc.townships[township].name
    print(plan_text(plan, m, name))
    if args.json:
        write_atomic(args.json, plan.model_dump_json(indent=2))
    if args.xlsx:
        write_atomic(args.xlsx, plan_workbook(plan, m, name))
    status = plan.result.status.value
    return (
        EXIT_OK
        if plan.result.selection is not None
        else EXIT_INFEASIBLE
        if status == "INFEASIBLE"
        else EXIT_NO_ANSWER
    )


def cmd_generate(args: argparse.Namespace) -> int:
    from model.io import load_scenario
    from model.membership import save_membership
    from model.nominee_generator import generate_membership
    from service.render.representatives import generated_text

    sc = load_scenario(args.folder)
    m = generate_membership(sc, args.seed)
    try:
        paths = save_membership(m, args.folder, overwrite=args.overwrite)
    except FileExistsError as e:
        raise UsageError(f"{e} exists; add --overwrite to replace the membership files") from None
    print(generated_text([str(p) for p in paths], m))
    return EXIT_OK


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    r = sub.add_parser(
        "representatives",
        parents=parents,
        help="party-congress representatives of a township: seats, apportionment, candidate lists",
    )
    r.add_argument("scenario", help="the scenario folder (its units and nominees files beside it)")
    r.add_argument("--township", required=True, help="the township, by id or name")
    r.add_argument("--membership", metavar="FOLDER", help="read units, nominees and congress.yaml from here")
    r.add_argument("--time-limit", type=float, default=10.0, help="seconds for CP-SAT (default 10)")
    r.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    r.add_argument("--json", help="also write the plan as JSON to this file")
    r.add_argument("--xlsx", metavar="OUT.xlsx", help="also write the Excel workbook here")
    r.set_defaults(run=cmd_representatives)
    n = sub.add_parser("nominees", parents=parents, help="nominee rolls for party-congress representatives")
    ns = n.add_subparsers(dest="nominees_verb", required=True)
    g = ns.add_parser(
        "generate",
        parents=parents,
        help="generate units, nominee rolls and congress.yaml for the townships of a scenario folder",
    )
    g.add_argument("folder", help="the scenario folder to write units.csv, nominees.csv, congress.yaml into")
    g.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    g.add_argument("--overwrite", action="store_true", help="replace existing membership files")
    g.set_defaults(run=cmd_generate)
