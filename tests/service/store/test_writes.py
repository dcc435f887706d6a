"""What keeps the store's commits few under load (benchmarks/load.py): a key's use noted once a
minute, a job's events written together (its start with its claim, its last events with its
end), a resolved scenario parsed once; and the record stays whole."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event, update

from model.generator import generate_county
from service.jobs.supervisor import Slot, Supervisor
from service.settings import MAX_DEFAULT_WORKERS, Settings, default_workers
from service.store import Store
from service.store.scenarios import Resolved
from service.store.tables import KeyRow
from service.store.views import JobState, Role, VersionInfo


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    st = Store.open(db_url)
    yield st
    st.close()


def commits(store: Store) -> list[str]:
    """The statements that change rows and the commits, as they happen from now on."""
    seen: list[str] = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def _sql(conn, cursor, statement, *a) -> None:  # DBAPI objects
        if statement.split()[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            seen.append(statement.split()[0].upper())

    @event.listens_for(store.engine, "commit")
    def _commit(conn) -> None:
        seen.append("COMMIT")

    return seen


def stored(store: Store) -> VersionInfo:
    return store.scenarios.create(generate_county(3, 80, 1))


def queued(store: Store, version: VersionInfo) -> str:
    return store.jobs.submit(version, ruleset="xx-2011", overrides={}, settings={"time_limit": 5},
                             software_version="test", by=None).id


def test_a_key_check_writes_its_use_at_most_once_a_minute(store: Store) -> None:
    """The first check notes the key's use; the next ones within a minute write nothing; an older
    note is renewed."""
    new = store.keys.create("poller", Role.viewer)
    first = store.keys.check(new.secret)
    assert first is not None and first.last_used_at is not None
    seen = commits(store)
    again = store.keys.check(new.secret)
    assert again is not None and again.last_used_at == first.last_used_at
    assert "UPDATE" not in seen
    with store.engine.begin() as conn:
        conn.execute(update(KeyRow).values(last_used_at=first.last_used_at - timedelta(minutes=2)))
    later = store.keys.check(new.secret)
    assert later is not None and later.last_used_at > first.last_used_at and "UPDATE" in seen


def test_a_claim_records_the_start_in_its_own_transaction(store: Store) -> None:
    """The claimed job is running, and its first event, `started` with the attempt, came with the claim."""
    job_id = queued(store, stored(store))
    seen = commits(store)
    job = store.jobs.claim("owner-1")
    assert job is not None and job.id == job_id and job.state == JobState.running
    assert seen.count("COMMIT") == 1
    assert [(e.seq, e.kind, e.data) for e in store.jobs.events(job_id)] == [(1, "started", {"attempt": 1})]


def test_events_written_together_keep_their_order_and_the_best(store: Store) -> None:
    """Several events in one commit get consecutive seqs in the order sent, and a better slate
    among them updates the job's best so far; the end's events come with the end."""
    job_id = queued(store, stored(store))
    store.jobs.claim("owner-1")
    seen = commits(store)
    store.jobs.add_events(job_id, [("model_built", {"n": 1}),
                                   ("better_slate", {"slate": 0, "objective": 10.0, "bound": 12.0}),
                                   ("better_slate", {"slate": 0, "objective": 11.0, "bound": 12.0})])
    assert seen.count("COMMIT") == 1
    assert [p.objective for p in store.jobs.get(job_id).progress] == [11.0]
    judged = {"index": 0, "objective": 11.0, "status": "OPTIMAL"}
    assert store.jobs.finish(job_id, JobState.completed, events=[("slate_judged", judged)])
    assert seen.count("COMMIT") == 2
    events = store.jobs.events(job_id)
    assert [(e.seq, e.kind) for e in events] == [(1, "started"), (2, "model_built"), (3, "better_slate"),
                                                 (4, "better_slate"), (5, "slate_judged")]
    assert store.jobs.get(job_id).state == JobState.completed


def test_the_supervisor_writes_what_a_worker_sent_in_one_commit(store: Store) -> None:
    """A small solve's events and its end, waiting in the worker's pipe, become one commit, in order."""
    job_id = queued(store, stored(store))
    supervisor = Supervisor(store)
    job = store.jobs.claim(supervisor.owner)
    ours, theirs = mp.Pipe()
    slot = Slot(SimpleNamespace(), ours, ours, job=job)
    theirs.send(("event", job_id, "model_built", {"pairs": 10}))
    theirs.send(("event", job_id, "slate_judged", {"index": 0, "objective": 5.0, "status": "OPTIMAL"}))
    theirs.send(("done", job_id, "OPTIMAL", '{"status": "OPTIMAL"}'))
    seen = commits(store)
    supervisor._drain(slot)
    assert slot.job is None and seen.count("COMMIT") == 1
    assert [e.kind for e in store.jobs.events(job_id)] == ["started", "model_built", "slate_judged"]
    assert store.jobs.get(job_id).state == JobState.completed and store.jobs.result(job_id)


def test_a_resolved_scenario_is_parsed_once(store: Store) -> None:
    """Two resolves of one version share the parsed scenario; another version resolves to its own."""
    v1 = stored(store)
    a, b = store.scenarios.resolve(v1.scenario_id)[1], store.scenarios.resolve(v1.scenario_id, 1)[1]
    assert a is b
    v2 = store.scenarios.add_version(v1.scenario_id, generate_county(3, 80, 2))
    c = store.scenarios.resolve(v1.scenario_id)[1]
    assert v2.version == 2 and c is not a and len(c.cadres) == v2.cadres


def test_the_cache_of_resolved_scenarios_keeps_to_its_cadres() -> None:
    """Over its budget of cadres the least recently used scenario goes; one larger than it is not kept."""
    one, two = generate_county(3, 80, 1), generate_county(3, 80, 2)
    cache = Resolved(cadres=100)
    cache.put("one", one)
    cache.put("two", two)
    assert cache.get("one") is None and cache.get("two") is two
    small = Resolved(cadres=50)
    small.put("one", one)
    assert small.get("one") is None


def test_job_workers_default_to_the_cores() -> None:
    """One job worker per usable core, at most 4; HUANJIE_WORKERS still decides."""
    assert 1 <= default_workers() <= MAX_DEFAULT_WORKERS
    assert Settings.from_env({}).workers == default_workers()
    assert Settings.from_env({"HUANJIE_WORKERS": "3"}).workers == 3
