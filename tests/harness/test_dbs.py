"""The database fixtures of tests/dbs.py: each kind connects and keeps rows, each test has its own
empty database, and an unreachable PostgreSQL fails under CI=true instead of skipping."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.dbs import SETUP, fresh_database, postgres_server

BAD = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"  # port 1: refused at once


def test_each_database_round_trips_a_row(db_url: str) -> None:
    """A SQLAlchemy 2 engine on each kind's URL is that kind, and reads back the row it wrote."""
    rows = sa.Table("rows", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(20)))
    engine = sa.create_engine(db_url)
    try:
        rows.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(rows.insert(), [{"id": 1, "name": "换届"}])
        with engine.connect() as conn:
            assert conn.execute(sa.select(rows.c.name)).scalars().all() == ["换届"]
        assert engine.dialect.name == sa.make_url(db_url).get_backend_name()
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_fresh_database_is_empty_and_its_own(kind: str, tmp_path: Path) -> None:
    """Two fresh databases do not share tables, and a PostgreSQL one is dropped when its test ends."""
    with fresh_database(kind, tmp_path / "a") as first, fresh_database(kind, tmp_path / "b") as second:
        assert first != second
        one, two = sa.create_engine(first), sa.create_engine(second)
        with one.begin() as conn:
            conn.execute(sa.text("CREATE TABLE marker (id INTEGER)"))
        assert sa.inspect(one).get_table_names() == ["marker"]
        assert sa.inspect(two).get_table_names() == []
        one.dispose()  # `two` stays open: the drop must not wait for it
    if kind == "postgresql":
        admin = sa.create_engine(postgres_server())
        with admin.connect() as conn:
            names = conn.execute(sa.text("SELECT datname FROM pg_database")).scalars().all()
        admin.dispose()
        assert sa.make_url(first).database not in names
        assert sa.make_url(second).database not in names


@pytest.mark.parametrize("env", [{"CI": "true", "HUANJIE_TEST_PG": BAD}, {"CI": "true"}],
                         ids=["unreachable", "unset"])
def test_no_postgres_fails_under_ci(env: dict[str, str]) -> None:
    """Under CI=true a PostgreSQL that is missing or cannot be reached fails, saying how to set it up."""
    with pytest.raises(pytest.fail.Exception, match="HUANJIE_TEST_PG") as failed:
        postgres_server(env)
    assert SETUP in str(failed.value)


@pytest.mark.parametrize("env", [{"HUANJIE_TEST_PG": BAD}, {"CI": "false"}, {"HUANJIE_TEST_PG": "mysql://x@y/z"}],
                         ids=["unreachable", "unset", "not-postgresql"])
def test_no_postgres_skips_outside_ci(env: dict[str, str]) -> None:
    """Outside CI a PostgreSQL that is missing, unreachable or not PostgreSQL skips, saying how to fix it."""
    with pytest.raises(pytest.skip.Exception) as skipped:
        postgres_server(env)
    assert SETUP in str(skipped.value)


def test_a_ci_run_without_postgres_fails(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pytest run with CI=true and an unreachable server errors on the PostgreSQL test, not skips it."""
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("HUANJIE_TEST_PG", BAD)
    pytester.makepyfile(test_probe='def test_probe(db_url):\n    """Any test on the store."""\n')
    run = pytester.runpytest_inprocess("-p", "tests.dbs", "-p", "no:cacheprovider")
    run.assert_outcomes(passed=1, errors=1)
    assert run.ret == pytest.ExitCode.TESTS_FAILED
    run.stdout.fnmatch_lines(["*cannot be reached*"])
