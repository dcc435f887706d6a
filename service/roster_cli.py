"""`huanjie import` and `huanjie export`: Excel rosters (model/roster.py) to a scenario folder,
and a scenario to a roster. Every other verb reads a roster directly (load_scenario takes .xlsx)."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_import(args: argparse.Namespace) -> int:
    from model.io import load_scenario, save_scenario
    from service.boundary import EXIT_OK, UsageError
    from service.output import check_folder_target
    from service.render.roster import imported_text

    check_folder_target(args.out, what="import: the folder")
    sc = load_scenario(args.roster)
    try:
        save_scenario(sc, Path(args.out), overwrite=args.overwrite)
    except FileExistsError as e:
        raise UsageError(f"{args.out} is not empty; choose a new or empty folder, or add --overwrite") from e
    print(imported_text(args.out, sc))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from model.io import load_scenario
    from model.writers import save_roster
    from service.boundary import EXIT_OK, UsageError
    from service.output import check_target, input_files
    from service.render.roster import exported_text

    if Path(args.out).suffix.lower() != ".xlsx":
        raise UsageError(f"{args.out}: a roster is an .xlsx file; name it like roster.xlsx")
    check_target(args.out, input_files([args.scenario]), what="export: the file")
    sc = load_scenario(args.scenario)
    try:
        save_roster(sc, args.out, overwrite=args.overwrite)
    except FileExistsError as e:
        raise UsageError(f"{args.out} exists; choose a new file name, or add --overwrite") from e
    print(exported_text(args.out, sc))
    return EXIT_OK


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    i = sub.add_parser("import", parents=parents,
                       help="read an Excel roster (干部名册, .xlsx) and write it as a scenario folder")
    i.add_argument("roster", help="the workbook (.xlsx)")
    i.add_argument("out", help="the scenario folder to write (new or empty)")
    i.add_argument("--overwrite", action="store_true", help="replace the scenario files of a folder")
    i.set_defaults(run=cmd_import)

    e = sub.add_parser("export", parents=parents,
                       help="write a scenario as an Excel roster (.xlsx) in the staff layout")
    e.add_argument("scenario", help="a scenario file (.json/.yaml/.xlsx) or folder")
    e.add_argument("out", help="the workbook to write (.xlsx)")
    e.add_argument("--overwrite", action="store_true", help="replace an existing workbook")
    e.set_defaults(run=cmd_export)
