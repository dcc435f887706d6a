"""A batch over a province (`huanjie batch`): every county under a folder solved, each
result kept in the output folder as it finishes, so a run that stops (Ctrl-C, a crash,
a reboot) resumes where it was.

    OUT/<county>/result.json   the county's SolveResult, as `huanjie solve --json` writes it
    OUT/<county>/done.json     its row of the summary (`CountyRow`), written last: the marker
    OUT/summary.json           the summary (`BatchSummary`); OUT/summary.xlsx the same for staff

Both files of a county are written atomically (service/output.py), the marker after the
result, so a county is finished exactly when its `done.json` reads; one without it (a
temporary file left by a killed run, a result with no marker) is solved again. A
finished county is skipped on a re-run when its input files and the settings that
shape its answer are those of this run; changed inputs are solved again, changed
settings are refused (`SettingsChanged`): hours of finished counties are not thrown
away by a mistyped option; `--redo` solves them all again.

The counties run in a pool of local processes (solver/batch.py) or on a Dask cluster
(`run_cluster`: one task per county, the solve in the worker, the outcome back as
JSON). Either way every county's outcome becomes a `Finished` (`finished`), so the two
write the same files and the same summary.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from model.errors import InputError
from model.io import CADRES_FILE, SCENARIO_FILE, TOWNSHIPS_FILE
from model.reasons import Reason
from model.slate import SolveResult
from service.output import input_files, write_atomic
from solver.batch import POLL, OnEvent, Outcome, Settings

RESULT_FILE, DONE_FILE = "result.json", "done.json"
SUMMARY_JSON, SUMMARY_XLSX = "summary.json", "summary.xlsx"
FAILED = "FAILED"
"""The status of a county that could not be solved: bad input, or a solve the memory bound refused."""
SCENARIO_FILES = (SCENARIO_FILE, TOWNSHIPS_FILE, CADRES_FILE)
STRUCTURED = (".json", ".yaml", ".yml")
SHAPING = ("time_limit", "top", "seed", "deterministic", "max_memory_mb")
"""The settings that shape a county's answer; the CP-SAT workers too in deterministic mode
(elsewhere they change only how fast an answer comes)."""


@dataclass(frozen=True)
class County:
    """One county of a batch: its name (its path under the batch's folder, the name of its
    folder under OUT) and the scenario folder or file it is read from."""

    name: str
    source: Path


class CountyRow(BaseModel):
    """How one county ended: the numbers of its best slate, or why it has none; a row of
    the summary, and the county's `done.json`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    county: str
    source: str
    status: str
    """A SolveStatus (OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID) or FAILED."""
    objective: int | None = None
    bound: float | None = None
    gap: float | None = None
    violations: int | None = None
    slates: int = 0
    load_seconds: float = 0.0
    solve_seconds: float = 0.0
    error: str | None = None
    errors: tuple[InputError, ...] = ()
    """A FAILED county's input errors, each located by file, row and field."""
    refusal: Reason | None = None
    """A FAILED county's memory refusal (solver/memory.py)."""
    inputs: str = ""
    """A digest of the county's input files: a changed file is solved again."""
    settings: dict[str, Any] = {}


class Finished(BaseModel):
    """One county's outcome as it travels (JSON from a cluster's worker) and is written."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    row: CountyRow
    result: SolveResult | None = None


class BatchSummary(BaseModel):
    """The batch: how many counties ended each way, and every county's row (by name)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str
    out: str
    settings: dict[str, Any]
    counties: int
    finished: int
    optimal: int
    feasible: int
    infeasible: int
    no_answer: int
    """UNKNOWN (no slate and no proof within the time limit) or MODEL_INVALID."""
    failed: int
    rows: tuple[CountyRow, ...]
    skipped: int = 0
    """Counties finished by an earlier run and kept."""
    seconds: float = 0.0
    """The wall time of this run."""


class SettingsChanged(Exception):
    """Finished counties in OUT were solved with other settings; the message names them."""


def settings_dict(settings: Settings) -> dict[str, Any]:
    return asdict(settings)


def shaping(settings: dict[str, Any]) -> dict[str, Any]:
    keys = (*SHAPING, "workers") if settings.get("deterministic") else SHAPING
    return {k: settings.get(k) for k in keys}


def is_county_folder(folder: Path) -> bool:
    return any((folder / name).is_file() for name in SCENARIO_FILES)


def find_counties(path: Path, out: Path | None = None) -> list[County]:
    """The counties under `path`, by name: `path` itself if it is a scenario file or folder;
    else every scenario folder (one holding any of the three scenario files, so a county
    missing one is a failed row, not left out) and every .json/.yaml file below it, not
    looking inside a county's folder, hidden entries, or `out`."""
    if path.is_file() or is_county_folder(path):
        return [County(path.stem if path.is_file() else path.name, path)]
    skip = Path(out).resolve() if out is not None else None
    found: list[County] = []

    def walk(folder: Path, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if entry.name.startswith((".", "_")) or entry.resolve() == skip:
                continue
            if entry.is_dir():
                if is_county_folder(entry):
                    found.append(County(prefix + entry.name, entry))
                else:
                    walk(entry, f"{prefix}{entry.name}/")
            elif entry.suffix.lower() in STRUCTURED:
                found.append(County(prefix + entry.stem, entry))

    walk(path, "")
    names = [c.name for c in found]  # east/ and east.yaml side by side: the file keeps its suffix
    return [County(f"{c.name}{c.source.suffix}", c.source) if c.source.is_file() and names.count(c.name) > 1
            else c for c in found]


def fingerprint(source: Path) -> str:
    """A digest of every file the county reads (a what-if's base too), by name and bytes."""
    h = hashlib.sha256()
    for f in sorted(input_files([source])):
        h.update(f.name.encode())
        with contextlib.suppress(OSError):
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def read_row(folder: Path) -> CountyRow | None:
    """A county's marker, or None: not finished (missing, or unreadable: written by no run of ours)."""
    try:
        return CountyRow.model_validate_json((folder / DONE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, ValidationError):
        return None


@dataclass(frozen=True)
class Plan:
    """What a run does: the counties to solve and those an earlier run finished."""

    todo: list[County]
    kept: dict[str, CountyRow]
    changed_inputs: list[str]
    """Finished counties whose input files changed since: solved again."""
    half_written: list[str]
    """Counties with a result or a temporary file but no marker: solved again."""


def plan(counties: list[County], out: Path, settings: Settings, redo: bool = False) -> Plan:
    """Which counties are finished with this run's inputs and settings, and which to solve.
    Raises `SettingsChanged` when finished counties had other settings (unless `redo`)."""
    wanted = shaping(settings_dict(settings))
    todo, kept, changed, half, other = [], {}, [], [], []
    for c in counties:
        folder = out / c.name
        row = None if redo else read_row(folder)
        if row is None:
            if folder.is_dir() and any(folder.iterdir()):
                half.append(c.name)
            todo.append(c)
        elif row.inputs != fingerprint(c.source):
            changed.append(c.name)
            todo.append(c)
        elif shaping(row.settings) != wanted:
            other.append((c.name, shaping(row.settings)))
        else:
            kept[c.name] = row
    if other:
        name, theirs = other[0]
        diff = ", ".join(f"{k} {theirs[k]} (now {wanted[k]})" for k in wanted if theirs.get(k) != wanted[k])
        raise SettingsChanged(
            f"{len(other)} finished counties in {out} were solved with other settings ({name}: {diff}); "
            "give the same settings to resume, another --out, or --redo to solve every county again")
    return Plan(todo, kept, changed, half)


def finished(county: County, outcome: Outcome, settings: Settings, inputs: str) -> Finished:
    """A county's outcome (solver/batch.py) as its row and result."""
    base = {"county": county.name, "source": str(county.source), "load_seconds": outcome.load_seconds,
            "solve_seconds": outcome.solve_seconds, "inputs": inputs, "settings": settings_dict(settings)}
    r = outcome.result
    if r is None:
        return Finished(row=CountyRow(**base, status=FAILED, error=outcome.error,
                                      errors=outcome.input_errors, refusal=outcome.refusal))
    score = r.slates[0].score if r.slates else None
    stats = r.solves[0] if r.solves else None
    return Finished(result=r, row=CountyRow(
        **base, status=str(r.status), slates=len(r.slates),
        objective=score.objective if score is not None else None,
        violations=score.violations if score is not None else None,
        bound=stats.bound if stats is not None else None, gap=stats.gap if stats is not None else None))


def keep(out: Path, done: Finished) -> None:
    """Write a county's result, then its marker; the folder's old files go first, so a
    marker never stands beside another run's result."""
    folder = out / done.row.county
    folder.mkdir(parents=True, exist_ok=True)
    for stale in [folder / DONE_FILE, folder / RESULT_FILE, *folder.glob(".*.tmp")]:
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    if done.result is not None:
        write_atomic(folder / RESULT_FILE, done.result.model_dump_json(indent=2))
    write_atomic(folder / DONE_FILE, done.row.model_dump_json(indent=2))


def run_local(todo: list[County], settings: Settings, processes: int, stop: Any = None,
              on_event: OnEvent | None = None) -> Iterator[Finished]:
    """The counties in a pool of local processes, each outcome as it finishes."""
    from solver.batch import solve_pool

    inputs = [fingerprint(c.source) for c in todo]
    for o in solve_pool([c.source for c in todo], settings, processes, stop=stop, on_event=on_event):
        yield finished(todo[o.index], o, settings, inputs[o.index])


def solve_json(name: str, source: str, settings: Settings, inputs: str) -> str:
    """A cluster's task: one county solved in the worker, its `Finished` back as JSON."""
    from solver.batch import solve_source

    return finished(County(name, Path(source)), solve_source(0, source, settings), settings,
                    inputs).model_dump_json()


def run_cluster(address: str, todo: list[County], settings: Settings, stop: Any = None,
                on_submitted: Callable[[int], None] | None = None) -> Iterator[Finished]:
    """The counties on a Dask cluster, one task per county, each outcome as it finishes. The
    workers read the counties at the same paths as here (a shared folder) and need huanjie
    installed. A stop cancels the tasks not finished."""
    from distributed import Client, wait

    with Client(address, timeout=30) as client:
        futures = [client.submit(solve_json, c.name, str(c.source.resolve()), settings,
                                 fingerprint(c.source), key=f"huanjie-batch-{k}-{c.name}", pure=False)
                   for k, c in enumerate(todo)]
        if on_submitted is not None:
            on_submitted(len(futures))
        pending = set(futures)
        try:
            while pending:
                if stop is not None and stop.should_stop():
                    return
                try:
                    done, pending = wait(pending, timeout=POLL, return_when="FIRST_COMPLETED")
                except TimeoutError:
                    continue
                for f in done:
                    yield Finished.model_validate_json(f.result())
        finally:
            if pending:
                client.cancel(list(pending))


def summarize(path: Path, out: Path, settings: Settings, counties: list[County], rows: dict[str, CountyRow],
              skipped: int = 0, seconds: float = 0.0) -> BatchSummary:
    """The summary of every county's row; counties without one (a stopped run) count as not finished."""
    ordered = [rows[c.name] for c in counties if c.name in rows]

    def count(*statuses: str) -> int:
        return sum(r.status in statuses for r in ordered)

    return BatchSummary(path=str(path), out=str(out), settings=settings_dict(settings),
                        counties=len(counties), finished=len(ordered), optimal=count("OPTIMAL"),
                        feasible=count("FEASIBLE"),
                        infeasible=count("INFEASIBLE"), no_answer=count("UNKNOWN", "MODEL_INVALID"),
                        failed=count(FAILED), rows=tuple(ordered), skipped=skipped, seconds=seconds)
