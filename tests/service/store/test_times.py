"""Every time the store hands out is timezone-aware UTC, on SQLite (which drops the zone) and on
a PostgreSQL whose session time zone is not UTC; a time filter means the same instant in any zone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from service.store import Store
from service.store.jobs import JobState
from tests.service.store.conftest import county, submit

SHANGHAI = timezone(timedelta(hours=8))


@pytest.fixture
def zoned_store(db_url: str) -> Iterator[Store]:
    """A store whose PostgreSQL database answers in Asia/Shanghai time, as a server set up in China would."""
    if db_url.startswith("postgresql"):
        admin = sa.create_engine(db_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            name = conn.execute(sa.text("SELECT current_database()")).scalar()
            conn.execute(sa.text(f"ALTER DATABASE \"{name}\" SET timezone TO 'Asia/Shanghai'"))
        admin.dispose()
    st = Store.open(db_url)
    try:
        yield st
    finally:
        st.close()


def is_utc(t: datetime | None) -> bool:
    return t is not None and t.tzinfo is not None and t.utcoffset() == timedelta(0)


def test_times_are_aware_utc(zoned_store: Store) -> None:
    """Scenario, version, job, event, key and audit times all come back aware, in UTC, and near now."""
    st = zoned_store
    before = datetime.now(UTC)
    v = st.scenarios.create(county())
    job = submit(st, v)
    st.jobs.claim("s")
    st.jobs.add_event(job.id, "started", {})
    st.jobs.finish(job.id, JobState.completed)
    new = st.keys.create("k", "viewer")
    st.keys.check(new.secret)
    st.keys.revoke(new.key.id)
    st.audit.record(new.key, "GET /v1/jobs", None, 200)
    ended = st.jobs.get(job.id)
    key = st.keys.list()[0]
    times = [st.scenarios.get(v.scenario_id).created_at, st.scenarios.versions(v.scenario_id)[0].created_at,
             st.scenarios.list()[1][0].created_at, ended.submitted_at, ended.started_at, ended.finished_at,
             st.jobs.list()[1][0].submitted_at, st.jobs.events(job.id)[0].at, key.created_at,
             key.last_used_at, key.revoked_at, st.audit.list()[0].at]
    assert all(is_utc(t) for t in times), times
    assert all(before - timedelta(seconds=1) <= t <= datetime.now(UTC) for t in times), times


def test_since_is_an_instant_in_any_zone(zoned_store: Store) -> None:
    """`list(since=)` given in UTC+8 keeps the jobs after that instant, as the same instant in UTC does."""
    st = zoned_store
    v = st.scenarios.create(county())
    job = submit(st, v)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    for since in (an_hour_ago, an_hour_ago.astimezone(SHANGHAI)):
        assert [j.id for j in st.jobs.list(since=since)[1]] == [job.id], since
    in_an_hour = datetime.now(UTC) + timedelta(hours=1)
    for since in (in_an_hour, in_an_hour.astimezone(SHANGHAI)):
        assert st.jobs.list(since=since) == (0, []), since
