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


VERBS = (
    ("import", "read an Excel roster (干部名册, .xlsx) and write it as a scenario folder", cmd_import,
     ("roster", "the workbook (.xlsx)"), ("out", "the scenario folder to write (new or empty)"),
     "replace the scenario files of a folder"),
    ("export", "write a scenario as an Excel roster (.xlsx) in the staff layout", cmd_export,
     ("scenario", "a scenario file (.json/.yaml/.xlsx) or folder"), ("out", "the workbook to write (.xlsx)"),
     "replace an existing workbook"),
)
"""Each verb: its name, help, function, (what it reads, help), (what it writes, help), --overwrite's help."""


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    for name, text, run, source, out, overwrite in VERBS:
        p = sub.add_parser(name, parents=parents, help=text)
        p.add_argument(source[0], help=source[1])
        p.add_argument(out[0], help=out[1])
        p.add_argument("--overwrite", action="store_true", help=overwrite)
        p.set_defaults(run=run)
