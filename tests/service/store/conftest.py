"""A fresh, migrated `Store` for each store test, once on SQLite and once on PostgreSQL
(`db_url` of tests/dbs.py), and the small stored things the tests share."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator

import pytest

from model.generator import generate_county
from model.scenario import Scenario
from service.store import Store
from service.store.views import JobInfo, VersionInfo


@functools.cache
def county(townships: int = 3, cadres: int = 80, seed: int = 1) -> Scenario:
    """Generated once per size (a scenario is an immutable value)."""
    return generate_county(townships, cadres, seed)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    st = Store.open(db_url)
    try:
        yield st
    finally:
        st.close()


def submit(store: Store, version: VersionInfo, by: str | None = "k1", **kw) -> JobInfo:
    """A job with the settings every test may leave alone."""
    return store.jobs.submit(version, ruleset=kw.pop("ruleset", "xx-2011"), overrides=kw.pop("overrides", {}),
                             settings=kw.pop("settings", {"seed": 1, "top": 1}),
                             software_version="test", by=by, **kw)


@pytest.fixture
def version(store: Store) -> VersionInfo:
    """A stored small county, version 1."""
    return store.scenarios.create(county(), by="k1")


def at_once(*works: Callable[[], None]) -> list[BaseException]:
    """Run each work in its own thread, all let go at the same moment; the errors they raised
    (a thread's exception would otherwise be lost)."""
    start = threading.Barrier(len(works))
    errors: list[BaseException] = []

    def run(work: Callable[[], None]) -> None:
        try:
            start.wait()
            work()
        except BaseException as e:  # handed to the test
            errors.append(e)

    threads = [threading.Thread(target=run, args=(w,)) for w in works]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors
