"""Schema migrations by Alembic, run in code: `migrate(engine)` brings a database to the
newest revision (the server does it at start); `current` and `head` tell where it is."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")

_ONE_AT_A_TIME = threading.Lock()
"""Alembic's `context` and `op` are one per process: two threads migrating at once would mix up
each other's connections."""

PG_LOCK = int.from_bytes(b"huanjie")
"""The PostgreSQL advisory lock that migrations hold (any fixed number does)."""


def config(connection=None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest revision (a no-op when it is there), in one transaction
    that holds the database's lock: servers starting together migrate one after the other, and a
    migration that fails leaves the database as it was."""
    with _ONE_AT_A_TIME, engine.connect() as conn, _sqlite_foreign_keys_off(conn), conn.begin():
        _lock(conn)
        command.upgrade(config(conn), "head")
        if conn.dialect.name == "sqlite" and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
            raise RuntimeError("the migration left rows whose foreign key points nowhere")


@contextmanager
def _sqlite_foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite alters a table by copying it and dropping the old one, which the foreign keys of rows
    pointing at it forbid; the pragma is a no-op inside a transaction, hence outside it, and back on
    after (the connection goes back to the pool)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    conn.commit()
    try:
        yield
    finally:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()


def _lock(conn: Connection) -> None:
    """Take the database's migration lock for this transaction. SQLite: BEGIN IMMEDIATE, without
    which pysqlite would also run each CREATE TABLE in a transaction of its own."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK})


def head() -> str:
    return ScriptDirectory.from_config(config()).get_current_head() or ""


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
