"""Alembic's migrations build exactly the tables of service/store/tables.py, on SQLite and PostgreSQL."""

from __future__ import annotations

import functools
import multiprocessing
from collections.abc import Iterator
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from service.store import Store, engine_of
from service.store.migrate import config, current, head, migrate
from service.store.tables import Base
from tests.service.store.conftest import at_once


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = engine_of(db_url)
    try:
        yield eng
    finally:
        eng.dispose()


def differences(engine: Engine) -> list:
    """What autogenerate would write into a new migration: nothing, when the two agree."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(ctx, Base.metadata)


def table_names(engine: Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_migrate_gives_exactly_the_tables(engine: Engine) -> None:
    """A fresh database has no revision and autogenerate sees every table missing (the comparison has
    teeth); after `migrate` it finds no difference from tables.py and the revision is head."""
    assert current(engine) is None and table_names(engine) == set()
    added = {diff[1].name for diff in differences(engine) if diff[0] == "add_table"}
    assert added == set(Base.metadata.tables)
    migrate(engine)
    assert differences(engine) == []
    assert table_names(engine) == set(Base.metadata.tables) | {"alembic_version"}
    assert current(engine) == head() != ""


def test_migrate_twice_is_a_no_op(engine: Engine) -> None:
    """Migrating a database already at head changes nothing (the server migrates at every start)."""
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO scenarios (id, name, latest, created_at) "
                             "VALUES ('s1', 'kept', 0, CURRENT_TIMESTAMP)"))
    migrate(engine)
    assert current(engine) == head()
    assert differences(engine) == []
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT name FROM scenarios")).scalars().all() == ["kept"]


def test_a_failed_migration_leaves_nothing(engine: Engine) -> None:
    """A migration that fails part way (here on a table in its way) is rolled back whole, so the next
    start does not meet half a schema with no revision."""
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE scenario_versions (x INTEGER)"))
    with pytest.raises(sa.exc.DatabaseError):
        migrate(engine)
    assert table_names(engine) == {"scenario_versions"}
    assert current(engine) is None


def test_threads_migrating_together_all_succeed(db_url: str) -> None:
    """Several stores opened at once in one process (Alembic's context is one per process) all migrate."""
    engines = [engine_of(db_url) for _ in range(3)]
    try:
        assert at_once(*(functools.partial(migrate, eng) for eng in engines)) == []
        assert current(engines[0]) == head()
        assert differences(engines[0]) == []
    finally:
        for eng in engines:
            eng.dispose()


def start_server(url: str, go: Barrier, errors: Queue) -> None:
    """A server process's start, as far as the database goes."""
    try:
        go.wait(timeout=30)
        Store.open(url).close()
    except BaseException as e:  # reported to the test: a child's exception would be lost
        errors.put(repr(e))


def test_servers_starting_together_all_migrate(db_url: str) -> None:
    """Several server processes migrating one fresh database at the same moment all start, at head
    (the database's lock, not the process's, keeps them apart). Forked: they start at once."""
    ctx = multiprocessing.get_context("fork")
    n = 3
    go, errors = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=start_server, args=(db_url, go, errors)) for _ in range(n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
    codes = [p.exitcode for p in procs]
    for p in procs:
        p.kill()
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert (codes, found) == ([0] * n, [])
    eng = engine_of(db_url)
    try:
        assert current(eng) == head()
        assert differences(eng) == []
    finally:
        eng.dispose()


def test_upgrade_keeps_the_rows(engine: Engine) -> None:
    """A database made by the first migration, with rows in every table, upgrades to head with
    all its rows (SQLite's table rebuilds must not trip the foreign keys, which stay on after)."""
    with engine.begin() as conn:
        command.upgrade(config(conn), "0001")
    t = "'2026-01-01 00:00:00'"
    rows = {
        "scenarios": f"('s1', 'county', 1, {t}, NULL)",
        "scenario_versions": f"('s1', 1, 'scenario', '{{}}', NULL, NULL, 'h', 1, 1, {t}, NULL)",
        "jobs": f"('j1', 'running', 's1', 1, 'h', 'xx-2011', '{{}}', '{{}}', 'v', 'k1', {t}, NULL, NULL, "
                "NULL, 'host:1:ab', 1, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
        "job_events": f"(1, 'j1', 1, {t}, 'started', '{{}}')",
        "api_keys": f"('k1', 'ops', 'admin', 'x', {t}, NULL, NULL)",
        "audit_log": f"(1, {t}, 'k1', 'admin', 'GET /v1/jobs', NULL, 200)",
    }
    with engine.begin() as conn:
        for table, values in rows.items():
            conn.execute(sa.text(f"INSERT INTO {table} VALUES {values}"))
    migrate(engine)
    assert current(engine) == head() and differences(engine) == []
    with engine.connect() as conn:
        counts = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() for t in rows}
    assert counts == dict.fromkeys(rows, 1)
    store = Store(engine)
    assert [e.kind for e in store.jobs.events("j1")] == ["started"]
    assert store.jobs.running_owners() == {"host:1:ab"}
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:  # foreign keys are back on
        conn.execute(sa.text("INSERT INTO job_events (job_id, seq, at, kind, data) "
                             "VALUES ('nope', 1, '2026-01-01 00:00:00', 'x', '{}')"))


def test_upgrade_from_0002_adds_memberships_and_downgrade_drops_them(engine: Engine) -> None:
    """A database at 0002 with a scenario upgrades to head with the memberships table (a row then
    stores and its foreign key holds), and a downgrade to 0002 drops that table alone."""
    with engine.begin() as conn:
        command.upgrade(config(conn), "0002")
        conn.execute(sa.text("INSERT INTO scenarios VALUES ('s1', 'county', 1, '2026-01-01 00:00:00', NULL)"))
    assert "memberships" not in table_names(engine)
    migrate(engine)
    assert "memberships" in table_names(engine) and differences(engine) == []
    row = "('s1', 1, '{}', 'h', '{}', '2026-01-01 00:00:00', NULL)"
    with engine.begin() as conn:
        conn.execute(sa.text(f"INSERT INTO memberships VALUES {row}"))
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(sa.text(f"INSERT INTO memberships VALUES {row.replace('s1', 'nope')}"))
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM memberships"))
        command.downgrade(config(conn), "0002")
    assert table_names(engine) == set(Base.metadata.tables) - {"memberships"} | {"alembic_version"}
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT name FROM scenarios")).scalars().all() == ["county"]
