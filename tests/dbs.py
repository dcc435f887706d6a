"""The databases that store tests run against: SQLite in a file, and a real PostgreSQL server.

A test that takes the `db_url` fixture runs once per kind (ids `sqlite`, `postgresql`), each time on
a fresh, empty database of its own that is dropped afterwards, so tests never see each other's rows
and may run in any order. `postgres_url` is the PostgreSQL one alone.

PostgreSQL comes from `HUANJIE_TEST_PG`, the URL of a role that may CREATE DATABASE
(`export HUANJIE_TEST_PG="$(.ci/postgres.sh)"` starts one on loopback; `.ci/run` does this before
`make test`). Without it, or when it cannot be reached, a PostgreSQL test is skipped saying how to set
it up, except under `CI=true`, where it fails: a CI run must not pass by skipping its PostgreSQL tests.

The fixtures are registered for the whole suite in `tests/conftest.py`.
"""

from __future__ import annotations

import functools
import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

KINDS = ("sqlite", "postgresql")
VAR = "HUANJIE_TEST_PG"
SETUP = (f"PostgreSQL tests need {VAR}=postgresql+psycopg://USER:PASS@HOST:PORT/DB, a role that may "
         f'CREATE DATABASE; `export {VAR}="$(.ci/postgres.sh)"` starts one on loopback (.ci/run does). '
         "Without it these tests skip, and under CI=true they fail.")


def in_ci(env: Mapping[str, str]) -> bool:
    """CI=true (or 1/yes) turns an unreachable PostgreSQL from a skip into a failure."""
    return env.get("CI", "").strip().lower() in ("1", "true", "yes")


@functools.cache
def _unreachable(url: str) -> str | None:
    """Why the server at `url` cannot be used, or None; asked once per run, not once per test."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        return f"{VAR} is not a database URL ({exc})"
    if parsed.get_backend_name() != "postgresql":
        return f"{VAR} names {parsed.get_backend_name()!r}, not a postgresql URL"
    engine = sa.create_engine(parsed, poolclass=NullPool, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        return f"PostgreSQL at {parsed.render_as_string()} cannot be reached: {str(exc).splitlines()[0]}"
    finally:
        engine.dispose()
    return None


def postgres_server(env: Mapping[str, str] = os.environ) -> sa.URL:
    """The server from HUANJIE_TEST_PG, checked to answer; else the test fails (CI) or skips."""
    url = env.get(VAR, "").strip()
    why = _unreachable(url) if url else f"{VAR} is not set"
    if why is None:
        return sa.make_url(url)
    if in_ci(env):
        pytest.fail(f"{why}. {SETUP}", pytrace=False)
    pytest.skip(f"{why}. {SETUP}")


def _admin(server: sa.URL) -> sa.Engine:
    """CREATE/DROP DATABASE cannot run inside a transaction, hence autocommit."""
    return sa.create_engine(server, poolclass=NullPool, isolation_level="AUTOCOMMIT")


@contextmanager
def fresh_postgres(server: sa.URL) -> Iterator[str]:
    """A new, uniquely named database on `server` for one test; dropped after, even if the test
    left connections open (WITH (FORCE) ends them)."""
    name = f"huanjie_t_{secrets.token_hex(6)}"
    admin = _admin(server)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def fresh_database(kind: str, folder: Path, env: Mapping[str, str] = os.environ) -> Iterator[str]:
    """A new, empty database of `kind` ("sqlite": a file in `folder`; "postgresql"), as a URL string
    such as HUANJIE_DB and `Store.open` take."""
    if kind == "sqlite":
        folder.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{folder / 'huanjie.db'}"
    elif kind == "postgresql":
        with fresh_postgres(postgres_server(env)) as url:
            yield url
    else:
        raise ValueError(f"unknown database kind {kind!r}; known: {', '.join(KINDS)}")


@pytest.fixture(params=KINDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database URL, once per kind in KINDS."""
    with fresh_database(request.param, tmp_path / "db") as url:
        yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database URL, for tests of what only PostgreSQL does."""
    with fresh_postgres(postgres_server()) as url:
        yield url
