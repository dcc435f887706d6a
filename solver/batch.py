"""Many scenarios solved by one process, or by a pool of processes each solving
many: the start-up (Python, OR-Tools, numpy, the model: about half a second) is
paid once per process, not once per county as a shell loop of `huanjie solve`
pays it. A province solved county by county is the use; a `huanjie batch` verb
is the way in to come, and this module is its library.

Outcomes come back as they finish, each with its index among the sources, so a
caller can show progress and still put them in order. A scenario that cannot be
read, or whose solve the memory bound refuses, is an outcome with an error and
the batch goes on; anything else (a bug) stops it.

In a pool each process runs CP-SAT with `Settings.workers` workers: on 2 cores a
pool of 2 processes with 1 worker each keeps both cores busy without
oversubscribing them (`workers_each`). A pool's processes ignore Ctrl-C: the
caller decides, and a `stop` (or closing the iterator) ends them, dropping the
scenarios under way; `on_event` hears, in the caller's process, each scenario
taken up (`Begun`) and its solver's progress events."""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from time import perf_counter

from model.errors import InputError, InputErrors
from model.io import load_scenario
from model.reasons import Reason
from model.slate import SolveResult
from solver.events import Event
from solver.memory import MAX_MEMORY_MB, MemoryBoundExceeded
from solver.search import solve
from solver.stop import Stop

POLL = 0.2
"""Seconds a pool waits for an outcome between looks at its stop."""


@dataclass(frozen=True)
class Settings:
    """What every scenario of a batch is solved with (the keywords of solver.search.solve)."""

    time_limit: float = 60.0
    """Seconds for each scenario's whole solve."""
    workers: int = 2
    """CP-SAT workers of each solve; in a pool, of each process (see `workers_each`)."""
    top: int = 1
    seed: int = 0
    deterministic: bool = False
    max_memory_mb: float | None = MAX_MEMORY_MB


@dataclass(frozen=True)
class Outcome:
    """One scenario of a batch: its result, or why it has none."""

    index: int
    """Its place among the sources given."""
    source: str
    result: SolveResult | None = None
    error: str | None = None
    """Why the scenario was not solved, in one English text (its input errors, located, or the
    memory bound's refusal); the same as data in `input_errors` or `refusal`."""
    input_errors: tuple[InputError, ...] = ()
    refusal: Reason | None = None
    """The memory bound's refusal (solver/memory.py), worded by service/render/limits.py."""
    load_seconds: float = 0.0
    solve_seconds: float = 0.0
    process: int = 0
    """The id of the process that solved it."""


@dataclass(frozen=True)
class Begun:
    """A scenario taken up by a pool's process: its first event, before its load."""

    process: int


OnEvent = Callable[[int, "Begun | Event"], None]
"""Hears a scenario's events by its index among the sources."""


def workers_each(processes: int, cores: int | None = None) -> int:
    """CP-SAT workers per process so that a pool of `processes` uses the cores once over."""
    return max(1, (cores or os.cpu_count() or 1) // processes)


def solve_source(index: int, source: str | Path, settings: Settings, stop: Stop | None = None,
                 on_event: Callable[[Event], None] | None = None) -> Outcome:
    """Load one scenario (a folder or file, model.io) and solve it."""
    t0 = perf_counter()
    where = {"index": index, "source": str(source), "process": os.getpid()}
    try:
        sc = load_scenario(source)
    except InputErrors as e:
        return Outcome(**where, error=str(e), input_errors=tuple(e.errors), load_seconds=perf_counter() - t0)
    except OSError as e:
        return Outcome(**where, error=str(e), load_seconds=perf_counter() - t0)
    t1 = perf_counter()
    try:
        result = solve(sc, stop=stop, on_event=on_event, **asdict(settings))
    except MemoryBoundExceeded as e:
        return Outcome(**where, error=str(e), refusal=e.reason(), load_seconds=t1 - t0,
                       solve_seconds=perf_counter() - t1)
    return Outcome(**where, result=result, load_seconds=t1 - t0, solve_seconds=perf_counter() - t1)


def solve_each(sources: Iterable[str | Path], settings: Settings,
               stop: Stop | None = None) -> Iterator[Outcome]:
    """Solve the scenarios one after another in this process, yielding each as it finishes.

    `stop` bounds the whole batch: a scenario under way when it fires returns what it
    has (each also within `settings.time_limit`), and the scenarios after it are not started."""
    for index, source in enumerate(sources):
        if stop is not None and stop.should_stop():
            return
        yield solve_source(index, source, settings, stop)


_events: queue.Queue | None = None
"""In a pool's process: where its events go to the caller (None: nobody listens)."""


def _start_process(events: queue.Queue | None) -> None:
    """A pool process's start: Ctrl-C is the caller's to act on, not each process's."""
    global _events
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _events = events


def _solve_task(task: tuple[int, str, Settings]) -> Outcome:
    """One task of a pool (a module-level function: the pool pickles it by name)."""
    events = _events
    if events is None:
        return solve_source(*task)
    index = task[0]
    events.put((index, Begun(os.getpid())))
    return solve_source(*task, on_event=lambda e: events.put((index, e)))


def _relay(events: queue.Queue, on_event: OnEvent, done: threading.Event) -> None:
    """The caller's thread that hands the pool's events to `on_event`, until the pool is `done`
    and none is left. The caller never writes to the queue (no sentinel): a pool process ended
    while writing can leave the queue's lock taken, and a writer thread of the caller stuck on
    it would hold up the interpreter's exit, which joins that thread."""
    while True:
        try:
            item = events.get(timeout=POLL)
        except queue.Empty:
            if done.is_set():
                return
            continue
        on_event(*item)


def solve_pool(sources: Iterable[str | Path], settings: Settings, processes: int = 2,
               stop: Stop | None = None, on_event: OnEvent | None = None) -> Iterator[Outcome]:
    """Solve the scenarios in a pool of `processes` processes, each solving many, yielding each
    outcome as it finishes (not in order: see `Outcome.index`).

    The processes are started fresh ("spawn": no state of this one, threads included, is
    copied into them) and each pays the start-up once, on its first task. Closing the
    iterator early, or `stop` firing, ends the pool: the scenarios under way are dropped."""
    tasks = [(i, str(s), settings) for i, s in enumerate(sources)]
    if not tasks:
        return
    ctx = mp.get_context("spawn")
    events = ctx.Queue() if on_event is not None else None
    relay, done = None, threading.Event()
    if events is not None and on_event is not None:
        relay = threading.Thread(target=_relay, args=(events, on_event, done), name="batch-events",
                                 daemon=True)
        relay.start()
    try:
        with ctx.Pool(min(processes, len(tasks)), initializer=_start_process, initargs=(events,)) as pool:
            outcomes = pool.imap_unordered(_solve_task, tasks, chunksize=1)
            for _ in tasks:
                while True:
                    if stop is not None and stop.should_stop():
                        return
                    try:
                        outcome = outcomes.next(timeout=POLL)
                    except mp.TimeoutError:
                        continue
                    break
                yield outcome
    finally:
        if relay is not None:
            done.set()
            relay.join(timeout=5)
