"""Alembic's migrations build exactly the tables of service/store/tables.py, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from service.store import engine_of
from service.store.migrate import current, head, migrate
from service.store.tables import Base


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


def test_empty_database_is_not_migrated(engine: Engine) -> None:
    """A fresh database has no revision and the comparison sees every table missing (it has teeth)."""
    assert current(engine) is None
    assert table_names(engine) == set()
    added = {diff[1].name for diff in differences(engine) if diff[0] == "add_table"}
    assert added == set(Base.metadata.tables)


def test_migrate_gives_exactly_the_tables(engine: Engine) -> None:
    """After `migrate`, autogenerate finds no difference from tables.py and the revision is head."""
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
