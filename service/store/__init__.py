"""Run records behind SQLAlchemy: SQLite by default, PostgreSQL by URL.

`Store.open(url)` migrates the database (Alembic) and hands out the five parts:
`scenarios` (stored, versioned), `memberships` (a scenario's party membership and nominee
rolls, section P), `jobs` (the queue and every run's record), `keys` (API keys, hashed)
and `audit` (who did what).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from service.store.jobs import Jobs
from service.store.keys import Audit, Keys
from service.store.memberships import Memberships
from service.store.migrate import migrate
from service.store.scenarios import NotFound, Scenarios

__all__ = ["NotFound", "Store"]

SQLITE_POOL = 40
"""Connections kept open to a SQLite file: one per thread of the server's thread pool (40,
AnyIO's default), so a busy server does not open and close a connection per request."""


def wal(cur) -> None:  # a DBAPI cursor
    """Put a SQLite file in WAL mode (it stays so). Changing the mode ignores the busy timeout: servers
    opening a new file at once may each be told it is locked, so they try again for a while."""
    if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
        return
    for attempt in range(WAL_TRIES):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if attempt == WAL_TRIES - 1:
                raise
            time.sleep(0.05)


WAL_TRIES = 200
"""Tries of the WAL switch, 0.05 s apart (10 s: the busy timeout's order)."""


def engine_of(url: str) -> Engine:
    """An engine; SQLite gets its folder made, WAL, a busy timeout (the server's threads
    and the CLI share the file) and a pool as large as the server's thread pool."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               pool_size=SQLITE_POOL, max_overflow=SQLITE_POOL)

        @event.listens_for(engine, "connect")
        def _pragmas(conn, _record) -> None:  # DBAPI objects
            cur = conn.cursor()
            wal(cur)
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        session = sessionmaker(engine, expire_on_commit=False)
        self.scenarios = Scenarios(session)
        self.memberships = Memberships(session)
        self.jobs = Jobs(session)
        self.keys = Keys(session)
        self.audit = Audit(session)

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True) -> Store:
        engine = engine_of(url)
        if upgrade:
            migrate(engine)
        return cls(engine)

    def ready(self) -> bool:
        """The database answers (for /readyz)."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # any driver error means not ready
            return False
        return True

    def close(self) -> None:
        self.engine.dispose()
