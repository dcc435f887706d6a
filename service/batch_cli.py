"""`huanjie batch PATH`: every county under a folder solved, in parallel processes or on a
Dask cluster, resumably (service/batch.py), with a progress bar per county and overall on
a terminal and plain lines elsewhere, and the summary printed and written as
OUT/summary.json and OUT/summary.xlsx.

Exit codes as `solve`'s, the worst county's: 2 if any county failed (bad input, a memory
refusal), else 3 if any found no slate in time, else 1 if any is infeasible, else 0; 130
interrupted (the finished counties are kept: run the same command again to resume)."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported late: `huanjie --help` stays quick
    from service.batch import CountyRow

TICK = 0.5
"""Seconds between refreshes of the counties under way."""
PLAIN_EVERY = 30.0
"""Seconds between the plain progress's lines on the counties under way (a long run shows progress)."""


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parallel(processes: int | None, workers: int | None, cores: int) -> tuple[int, int, str | None]:
    """Processes and CP-SAT workers each, the cores used once over where not both given; and a
    warning where the given ones would oversubscribe the cores."""
    if workers is None:
        workers = max(1, cores // processes) if processes else 1
    if processes is None:
        processes = max(1, cores // workers)
    threads = processes * workers
    if threads <= cores:
        return processes, workers, None
    return processes, workers, (
        f"warning: {processes} processes x {workers} CP-SAT workers = {threads} threads on {cores} cores "
        f"oversubscribes them: each county runs slower and the batch no faster; use --processes "
        f"{max(1, cores // workers)} or --workers {max(1, cores // processes)}")


def check(args: argparse.Namespace) -> None:
    from service.boundary import UsageError

    for flag, value, least in (("--processes", args.processes, 1), ("--workers", args.workers, 1),
                               ("--top", args.top, 1)):
        if value is not None and value < least:
            raise UsageError(f"{flag} must be at least {least}, not {value}")
    if not args.time_limit > 0:
        raise UsageError(f"--time-limit must be a number of seconds above 0, not {args.time_limit}")
    if args.cluster is not None and not args.cluster.startswith(("tcp://", "tls://", "inproc://")):
        raise UsageError(f"--cluster {args.cluster}: give the scheduler's address, e.g. tcp://host:8786")


class Plain:
    """Progress as lines (stderr is not a terminal): one per county finished, and every
    `PLAIN_EVERY` seconds the counties under way."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.running: dict[str, float] = {}
        self.lock = threading.Lock()
        self.last = perf_counter()

    def begun(self, name: str) -> None:
        with self.lock:
            self.running[name] = perf_counter()

    def phase(self, name: str, kind: str) -> None:
        pass

    def finished(self, row: CountyRow) -> None:
        from service.render.batch import county_line

        with self.lock:
            self.running.pop(row.county, None)
            self.done += 1
            print(county_line(row, self.done, self.total), file=sys.stderr, flush=True)

    def tick(self) -> None:
        from service.render.batch import running_line

        with self.lock:
            now = perf_counter()
            if now - self.last < PLAIN_EVERY or not self.running:
                return
            self.last = now
            under_way = {n: now - t for n, t in self.running.items()}
            print(running_line(under_way, self.done, self.total), file=sys.stderr, flush=True)

    def close(self) -> None:
        pass


class Bars(Plain):
    """Progress as rich bars on a terminal: the batch's, and one per county under way (its
    time against its limit, and its step); a line above them for each county finished."""

    def __init__(self, total: int, time_limit: float) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        super().__init__(total)
        self.limit = time_limit
        self.bars = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(), console=Console(file=sys.stderr), transient=False)
        self.overall = self.bars.add_task("全部", total=total)
        self.tasks: dict[str, Any] = {}
        self.bars.start()

    def begun(self, name: str) -> None:
        from service.render.batch import phase_zh

        super().begun(name)
        with self.lock:
            self.tasks[name] = self.bars.add_task(f"  {name} {phase_zh('begun')}", total=self.limit)

    def phase(self, name: str, kind: str) -> None:
        from service.render.batch import phase_zh

        with self.lock:
            if name in self.tasks:
                self.bars.update(self.tasks[name], description=f"  {name} {phase_zh(kind)}")

    def finished(self, row: CountyRow) -> None:
        from service.render.batch import county_line

        with self.lock:
            self.running.pop(row.county, None)
            self.done += 1
            task = self.tasks.pop(row.county, None)
            if task is not None:
                self.bars.remove_task(task)
            self.bars.advance(self.overall)
            self.bars.console.print(county_line(row, self.done, self.total), highlight=False, markup=False)

    def tick(self) -> None:
        with self.lock:
            now = perf_counter()
            for name, task in self.tasks.items():
                self.bars.update(task, completed=min(self.limit, now - self.running[name]))

    def close(self) -> None:
        self.bars.stop()


def exit_code(rows: list[CountyRow]) -> int:
    from service.batch import FAILED
    from service.boundary import EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_NO_ANSWER, EXIT_OK

    statuses = {r.status for r in rows}
    if FAILED in statuses:
        return EXIT_BAD_INPUT
    if statuses & {"UNKNOWN", "MODEL_INVALID"}:
        return EXIT_NO_ANSWER
    return EXIT_INFEASIBLE if "INFEASIBLE" in statuses else EXIT_OK


def out_folder(path: Path, given: str | None) -> Path:
    """`--out`, else `<PATH>-batch` beside PATH."""
    if given is not None:
        return Path(given)
    real = path.resolve()
    return real.parent / f"{real.stem if real.is_file() else real.name}-batch"


def cmd_batch(args: argparse.Namespace) -> int:
    from service import batch
    from service.boundary import UsageError
    from service.output import check_folder_target, write_atomic
    from service.render.batch import interrupted_text, plan_lines, summary_text, summary_workbook
    from solver.batch import Begun, Settings

    check(args)
    path = Path(args.path)
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    out = out_folder(path, args.out)
    check_folder_target(out, what="--out")
    counties = batch.find_counties(path, out)
    if not counties:
        raise UsageError(f"{path}: no county here (a folder holding {batch.SCENARIO_FILE}, or a .json/.yaml "
                         "scenario file, at any depth)")
    if args.cluster is None:
        processes, workers, warning = parallel(args.processes, args.workers, cores())
        if warning:
            print(warning, file=sys.stderr, flush=True)
    else:
        processes, workers = 0, args.workers or 1
    settings = Settings(time_limit=args.time_limit, workers=workers, top=args.top, seed=args.seed,
                        deterministic=args.deterministic)
    try:
        todo = batch.plan(counties, out, settings, redo=args.redo)
    except batch.SettingsChanged as e:
        raise UsageError(str(e)) from None
    out.mkdir(parents=True, exist_ok=True)
    for line in plan_lines(todo, len(counties)):
        print(line, file=sys.stderr, flush=True)

    stop = args.stop
    stop.on_stop(lambda: None)  # the batch has begun: Ctrl-C now stops it and keeps what is finished
    rows: dict[str, CountyRow] = dict(todo.kept)
    display = Bars(len(todo.todo), settings.time_limit) if sys.stderr.isatty() else Plain(len(todo.todo))
    names = [c.name for c in todo.todo]

    def on_event(index: int, event: Any) -> None:
        if isinstance(event, Begun):
            display.begun(names[index])
        else:
            display.phase(names[index], event.kind)

    ticking = threading.Event()

    def ticker() -> None:
        while not ticking.wait(TICK):
            display.tick()

    threading.Thread(target=ticker, name="batch-progress", daemon=True).start()
    t0 = perf_counter()
    try:
        if args.cluster is None:
            runs = batch.run_local(todo.todo, settings, processes, stop=stop, on_event=on_event)
        else:
            runs = batch.run_cluster(args.cluster, todo.todo, settings, stop=stop)
        for done in runs:
            batch.keep(out, done)
            rows[done.row.county] = done.row
            display.finished(done.row)
    finally:
        ticking.set()
        display.close()
    summary = batch.summarize(path, out, settings, counties, rows, skipped=len(todo.kept),
                              seconds=perf_counter() - t0)
    write_atomic(out / batch.SUMMARY_JSON, summary.model_dump_json(indent=2))
    write_atomic(out / batch.SUMMARY_XLSX, summary_workbook(summary))
    print(summary_text(summary))
    if stop.should_stop():
        print(interrupted_text(summary.finished, summary.counties, str(out)), file=sys.stderr, flush=True)
    return exit_code(list(summary.rows))


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    b = sub.add_parser("batch", parents=parents,
                       help="solve every county under a folder, in parallel, resumably, with a summary")
    b.add_argument("path",
                   help="a folder of counties (scenario folders or files, at any depth), or one county")
    b.add_argument("--out", help="the folder for each county's result and the summary (default PATH-batch)")
    b.add_argument("--processes", type=int,
                   help="counties solved at once (default: the cores divided by --workers)")
    b.add_argument("--workers", type=int,
                   help="CP-SAT workers of each county (default: the cores divided by --processes, or 1)")
    b.add_argument("--time-limit", type=float, default=60.0, help="seconds for each county (default 60)")
    b.add_argument("--top", type=int, default=1, help="how many distinct slates per county (default 1)")
    b.add_argument("--seed", type=int, default=0, help="CP-SAT random seed")
    b.add_argument("--deterministic", action="store_true",
                   help="same input, seed and settings give the same slates (slower)")
    b.add_argument("--cluster", metavar="tcp://host:port",
                   help="run on this Dask scheduler (the workers must see PATH at the same path)")
    b.add_argument("--redo", action="store_true", help="solve every county again, the finished ones too")
    b.set_defaults(run=cmd_batch)
