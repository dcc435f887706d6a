"""Many scenarios in one process or a pool (solver/batch.py): the same slates as one solve each."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from model.generator import generate_county
from model.io import load_scenario, save_scenario
from model.slate import SolveResult
from solver.batch import Settings, solve_each, solve_pool, workers_each
from solver.search import solve
from solver.stop import Cancel

SETTINGS = Settings(time_limit=30, workers=1, deterministic=True)


@pytest.fixture(scope="module")
def counties(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three tiny generated counties, saved as scenario folders."""
    root = tmp_path_factory.mktemp("batch")
    folders = []
    for k in range(3):
        folder = root / f"county{k}"
        save_scenario(generate_county(2, 40, 40 + k), folder)
        folders.append(folder)
    return folders


@pytest.fixture(scope="module")
def alone(counties: list[Path]) -> list[tuple]:
    """Each county solved on its own with the batch's settings: status, objectives, assignments."""
    s = SETTINGS
    return [summary(solve(load_scenario(f), time_limit=s.time_limit, workers=s.workers, deterministic=True))
            for f in counties]


def summary(r: SolveResult) -> tuple:
    """What must agree between two solves of one county."""
    return (r.status, [s.score.objective for s in r.slates],
            [sorted((a.township, a.seat, a.cadre) for a in s.assignments) for s in r.slates])


def test_one_process_gives_the_slates_of_one_solve_each(counties: list[Path], alone: list[tuple]) -> None:
    """solve_each yields the counties in order, each with the slate a solve of it alone gives."""
    got = list(solve_each(counties, SETTINGS))
    assert [o.index for o in got] == [0, 1, 2]
    assert [o.source for o in got] == [str(f) for f in counties]
    assert [summary(o.result) for o in got] == alone


def test_a_pool_gives_the_same_slates(counties: list[Path], alone: list[tuple]) -> None:
    """solve_pool (2 processes, 1 worker each) gives every county the slate of a solve of it alone."""
    got = sorted(solve_pool(counties, SETTINGS, processes=2), key=lambda o: o.index)
    assert [o.index for o in got] == [0, 1, 2]
    assert [summary(o.result) for o in got] == alone


def test_an_unreadable_county_is_an_error_and_the_batch_goes_on(counties: list[Path], tmp_path: Path) -> None:
    """A folder that is no scenario gives an outcome with its located errors; the next county is solved."""
    got = list(solve_each([tmp_path, counties[0]], SETTINGS))
    assert got[0].result is None and got[0].input_errors and "scenario.yaml" in got[0].error
    assert got[1].error is None and got[1].result is not None and got[1].result.slates


def test_a_stopped_batch_starts_no_more_counties(counties: list[Path]) -> None:
    """After the batch's stop fires, the counties not yet started are not solved."""
    stop = Cancel()
    seen = []
    for o in solve_each(counties, SETTINGS, stop=stop):
        seen.append(o.index)
        stop.cancel()
    assert seen == [0]


def test_workers_are_divided_between_the_processes() -> None:
    """2 cores and 2 processes: 1 CP-SAT worker each; never fewer than 1."""
    assert workers_each(2, cores=2) == 1
    assert workers_each(2, cores=8) == 4
    assert workers_each(4, cores=2) == 1


def test_a_pool_relays_its_events_without_writing_to_their_queue(counties: list[Path]) -> None:
    """Every county's events reach the caller, and the caller never writes to the events' queue: a
    pool process ended while writing can leave the queue's lock taken, and a writer thread of the
    caller stuck on it held up the interpreter's exit (a test run once hung so after its summary)."""
    seen: set[int] = set()
    got = list(solve_pool(counties, SETTINGS, processes=2, on_event=lambda i, e: seen.add(i)))
    assert len(got) == 3 and seen == {0, 1, 2}
    assert [t.name for t in threading.enumerate() if t.name == "QueueFeederThread"] == []
