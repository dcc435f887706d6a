"""`huanjie report SCENARIO RESULT.json --xlsx OUT.xlsx --html OUT.html --pdf OUT.pdf`: a solve
result laid out for staff (service/render/xlsx.py, html.py, pdf.py), one or more files at once.

The scenario is an argument: a result names its scenario (`SolveResult.scenario`) but only by
its name, not where it lies, and the report needs the cadres' names, birth dates and posts
and the townships' names, which the result holds as ids. The result must come from this
scenario (same name, every cadre and seat known), or the report would name the wrong people.
Outputs, and Chromium for --pdf, are checked before anything is read."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from service.boundary import EXIT_OK, UsageError
from service.output import OutputError, check_target, input_files, write_atomic

if TYPE_CHECKING:
    from model.scenario import Scenario
    from model.slate import SolveResult

FORMATS = ("xlsx", "html", "pdf")


def load_result(source: str) -> SolveResult:
    """A solve result from a JSON file, every problem located (field path and value)."""
    from pydantic import ValidationError

    from model.errors import InputError, InputErrors
    from model.readers import Input
    from model.records import explain, path, scalar
    from model.slate import SolveResult

    data = Input.of(source).structured()
    try:
        return SolveResult.model_validate(data)
    except ValidationError as e:
        raise InputErrors([InputError(explain(x, SolveResult, cell=False), path(x["loc"]),
                                      scalar(x.get("input", "")), file=source) for x in e.errors()]) from None


def load_both(scenario: str, result: str) -> tuple[Scenario, SolveResult]:
    """The scenario and the result, every error of both raised together as one InputErrors."""
    from model.errors import InputErrors
    from model.io import load_scenario

    loaded: list = []
    errors = []
    for load, source in ((load_scenario, scenario), (load_result, result)):
        try:
            loaded.append(load(source))
        except InputErrors as e:
            errors += e.errors
    if errors:
        raise InputErrors(errors)
    return loaded[0], loaded[1]


def check_matches(sc: Scenario, result: SolveResult, source: str, index: int) -> None:
    """The result is of this scenario and holds slate `index`; each assignment names a known
    cadre and seat (located in the result's file otherwise)."""
    from model.errors import InputError, InputErrors

    if result.scenario != sc.name:
        raise UsageError(f"{source} was solved from the scenario named {result.scenario!r}, "
                         f"not from {sc.name!r}; give the scenario it was solved from")
    if not result.slates:
        raise UsageError(f"{source} holds no slate (status {result.status}); there is nothing to lay out. "
                         "`huanjie solve` prints why")
    if not 0 <= index < len(result.slates):
        raise UsageError(f"--index {index}: {source} holds slates 0 to {len(result.slates) - 1}")
    seats = {(s.township, s.id) for s in sc.seats}
    errors = []
    for i, a in enumerate(result.slates[index].assignments):
        where = f"slates[{index}].assignments[{i}]"
        if a.cadre not in sc.cadre_by_id:
            errors.append(InputError("no cadre of the scenario has this id", f"{where}.cadre", a.cadre,
                                     file=source))
        if (a.township, a.seat) not in seats:
            errors.append(InputError("the scenario has no such seat", f"{where}.seat",
                                     f"{a.township}/{a.seat}", file=source))
    if errors:
        raise InputErrors(errors)


def targets(args: argparse.Namespace) -> dict[str, Path]:
    """format -> the file to write, each checked (service/output.py) and none given twice."""
    given = {f: getattr(args, f) for f in FORMATS if getattr(args, f) is not None}
    if not given:
        raise UsageError("give at least one of --xlsx OUT.xlsx, --html OUT.html, --pdf OUT.pdf")
    reads = input_files([args.scenario, args.result])
    out = {f: check_target(p, reads, what=f"--{f}") for f, p in given.items()}
    if len(set(out.values())) < len(out):
        raise OutputError("give each of --xlsx, --html and --pdf a file of its own")
    return out


def cmd_report(args: argparse.Namespace) -> int:
    out = targets(args)
    if "pdf" in out:
        from service.render.pdf import ChromiumMissing, chromium

        try:
            chromium()
        except ChromiumMissing as e:
            raise UsageError(f"--pdf: {e}") from None
    from service.render.sheets import written_line

    sc, result = load_both(args.scenario, args.result)
    check_matches(sc, result, args.result, args.index)
    for kind, path in out.items():
        write_atomic(path, render(kind, sc, result, args.index))
        print(written_line(kind, args.__dict__[kind]))
    return EXIT_OK


def render(kind: str, sc: Scenario, result: SolveResult, index: int) -> str | bytes:
    """The file of this format (the renderers load only when asked for)."""
    if kind == "xlsx":
        from service.render.sheets import report_of
        from service.render.xlsx import workbook

        return workbook(report_of(sc, result, index))
    from service.render.html import html_report

    page = html_report(sc, result, index)
    if kind == "html":
        return page
    from service.render.pdf import ChromiumFailed, print_pdf

    try:
        return print_pdf(page)
    except ChromiumFailed as e:
        raise OutputError(f"--pdf: cannot print the report: {e}") from None


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    r = sub.add_parser("report", parents=parents,
                       help="lay out a solve result for staff: an Excel workbook, an HTML page, a PDF")
    r.add_argument("scenario", help="the scenario the result was solved from (file or folder)")
    r.add_argument("result", help="the result JSON (`huanjie solve --json`)")
    r.add_argument("--index", type=int, default=0, help="which slate of the result (0 = best)")
    r.add_argument("--xlsx", metavar="OUT.xlsx", help="write the Excel workbook here")
    r.add_argument("--html", metavar="OUT.html", help="write the HTML report (one self-contained file) here")
    r.add_argument("--pdf", metavar="OUT.pdf", help="write the PDF (printed by headless Chromium) here")
    r.set_defaults(run=cmd_report)
