"""The job queue and run records: submit, claim (atomic, fair per key), events and best so far,
finish, stop, recovery after a lost worker, lists and the counts /metrics reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import update

from model.slate import SolveStatus
from service.store import NotFound, Store
from service.store.clock import now
from service.store.jobs import MAX_ATTEMPTS
from service.store.tables import JobRow
from service.store.views import JobInfo, JobState, SlateProgress, VersionInfo
from tests.service.store.conftest import at_once, county, submit


def set_row(store: Store, job_id: str, **values) -> None:
    """Write a job's columns directly (a time in the past, as a lost server would leave it)."""
    with store.engine.begin() as conn:
        conn.execute(update(JobRow).where(JobRow.id == job_id).values(**values))


def test_submit_records_the_run(store: Store, version: VersionInfo) -> None:
    """A submitted job is queued and keeps its input as used, settings, version and who sent it."""
    job = submit(store, version, overrides={"D1-K1": {"level": "should"}}, settings={"seed": 7, "top": 2},
                 callback_url="http://127.0.0.1:9/done", rerun_of="j0")
    assert job.state == JobState.queued and job.attempts == 0 and not job.stop_requested
    assert (job.scenario.scenario_id, job.scenario.version) == (version.scenario_id, version.version)
    assert job.content_hash == version.content_hash
    assert (job.ruleset, job.overrides, job.settings) == ("xx-2011", {"D1-K1": {"level": "should"}},
                                                          {"seed": 7, "top": 2})
    assert (job.software_version, job.submitted_by, job.callback_url, job.rerun_of) == (
        "test", "k1", "http://127.0.0.1:9/done", "j0")
    assert (job.started_at, job.finished_at, job.status, job.has_result, job.progress) == (
        None, None, None, False, [])
    assert store.jobs.get(job.id) == job
    assert store.jobs.result(job.id) is None


def test_claim_takes_the_oldest_then_none(store: Store, version: VersionInfo) -> None:
    """claim hands out queued jobs oldest first, each now running under the owner; then None."""
    first, second = submit(store, version), submit(store, version)
    a = store.jobs.claim("server-a")
    b = store.jobs.claim("server-a")
    assert (a.id, b.id) == (first.id, second.id)
    assert a.state == JobState.running and a.attempts == 1 and a.started_at is not None
    assert store.jobs.claim("server-a") is None
    assert store.jobs.running_owners() == {"server-a"}


def test_claim_is_atomic(db_url: str, version: VersionInfo) -> None:
    """Many threads on several connections claiming at once take every job exactly once."""
    stores = [Store.open(db_url, upgrade=False) for _ in range(3)]
    try:
        jobs = [submit(stores[0], version).id for _ in range(30)]
        taken: list[str] = []

        def claimer(st: Store, owner: str) -> Callable[[], None]:
            def work() -> None:
                while (job := st.jobs.claim(owner)) is not None:
                    taken.append(job.id)
            return work

        claimers = [claimer(st, f"server-{i}-{t}") for i, st in enumerate(stores) for t in range(3)]
        assert at_once(*claimers) == []
        assert Counter(taken) == Counter(jobs)
        assert all(stores[0].jobs.get(j).attempts == 1 for j in jobs)
    finally:
        for st in stores:
            st.close()


def test_running_per_key_keeps_a_keys_extra_jobs_queued(store: Store, version: VersionInfo) -> None:
    """With one running job per key, a key's second job waits while another key's job runs."""
    a1, a2, a3 = (submit(store, version, by="ka") for _ in range(3))
    b1 = submit(store, version, by="kb")
    anon = submit(store, version, by=None)
    order = [store.jobs.claim("s", running_per_key=1) for _ in range(4)]
    assert [j and j.id for j in order] == [a1.id, b1.id, anon.id, None]
    assert store.jobs.active_of("ka") == {JobState.queued: 2, JobState.running: 1}
    assert store.jobs.finish(a1.id, JobState.completed, status=SolveStatus.OPTIMAL)
    assert store.jobs.claim("s", running_per_key=1).id == a2.id
    assert store.jobs.claim("s", running_per_key=1) is None
    assert store.jobs.claim("s", running_per_key=2).id == a3.id


def test_events_in_order_and_best_so_far(store: Store, version: VersionInfo) -> None:
    """Events come back numbered in order, each job's from 1; a better slate updates that slate's best,
    bound and gap."""
    job, other = submit(store, version), submit(store, version)
    store.jobs.add_event(job.id, "started", {"attempt": 1})
    store.jobs.add_event(other.id, "note", {})
    store.jobs.add_event(job.id, "better_slate", {"slate": 1, "objective": 80.0, "bound": 100.0})
    store.jobs.add_event(job.id, "better_slate", {"slate": 1, "objective": 90.0, "bound": 95.0})
    store.jobs.add_event(job.id, "better_slate", {"slate": 2, "objective": 70.0, "bound": 70.0})
    events = store.jobs.events(job.id)
    assert [(e.seq, e.kind) for e in events] == [(1, "started"), (2, "better_slate"), (3, "better_slate"),
                                                 (4, "better_slate")]
    assert events[1].data == {"slate": 1, "objective": 80.0, "bound": 100.0}
    assert [e.seq for e in store.jobs.events(job.id, after=2)] == [3, 4]
    assert [(e.seq, e.kind) for e in store.jobs.events(other.id)] == [(1, "note")]
    assert [e.seq for e in store.jobs.events(job.id, after=1, limit=2)] == [2, 3]
    assert store.jobs.get(job.id).progress == [
        SlateProgress(slate=1, objective=90.0, bound=95.0, gap=5 / 90),
        SlateProgress(slate=2, objective=70.0, bound=70.0, gap=0.0)]
    with pytest.raises(NotFound):
        store.jobs.events("nope")


def test_finish_once(store: Store, version: VersionInfo) -> None:
    """finish ends a job with status, result and reason; a second finish (a late worker) changes nothing."""
    job = submit(store, version)
    store.jobs.claim("s")
    best = {"1": {"objective": 5.0, "bound": 5.0}}
    assert store.jobs.finish(job.id, JobState.completed, status=SolveStatus.OPTIMAL, result='{"x": 1}',
                             best=best)
    assert not store.jobs.finish(job.id, JobState.failed, reason="late", result=None)
    ended = store.jobs.get(job.id)
    assert (ended.state, ended.status, ended.reason, ended.has_result) == (
        JobState.completed, SolveStatus.OPTIMAL, None, True)
    assert ended.finished_at >= ended.started_at
    assert ended.progress == [SlateProgress(slate=1, objective=5.0, bound=5.0, gap=0.0)]
    assert store.jobs.result(job.id) == '{"x": 1}'
    with pytest.raises(NotFound):
        store.jobs.finish("nope", JobState.completed)


def test_stop_a_queued_job_ends_it(store: Store, version: VersionInfo) -> None:
    """Stopping a queued job ends it as stopped at once, so it is never claimed."""
    job = submit(store, version)
    stopped = store.jobs.request_stop(job.id)
    assert stopped.state == JobState.stopped and stopped.finished_at is not None and stopped.reason
    assert store.jobs.claim("s") is None
    assert not store.jobs.finish(job.id, JobState.completed)
    assert store.jobs.request_stop(job.id) == stopped


def test_stop_a_running_job_flags_it(store: Store, version: VersionInfo) -> None:
    """Stopping a running job only flags it; its owner's supervisor sees the flag and no other does."""
    job = submit(store, version)
    store.jobs.claim("s")
    flagged = store.jobs.request_stop(job.id)
    assert flagged.state == JobState.running and flagged.stop_requested
    assert store.jobs.stops_wanted("s") == {job.id}
    assert store.jobs.stops_wanted("other") == set()
    assert store.jobs.finish(job.id, JobState.stopped, status=SolveStatus.FEASIBLE)
    assert store.jobs.stops_wanted("s") == set()
    with pytest.raises(NotFound):
        store.jobs.request_stop("nope")


def recovered_events(store: Store, job: JobInfo) -> list[dict]:
    return [e.data for e in store.jobs.events(job.id) if e.kind == "recovered"]


def test_recover_by_owner_requeues_once_then_fails(store: Store, version: VersionInfo) -> None:
    """A lost owner's job is queued again with the reason and a `recovered` event, and fails after
    MAX_ATTEMPTS; another owner's job is left alone."""
    job, other = submit(store, version), submit(store, version)
    store.jobs.claim("lost")
    store.jobs.claim("alive")
    store.jobs.add_event(job.id, "better_slate", {"slate": 1, "objective": 1.0, "bound": 2.0})
    (again,) = store.jobs.recover(owner="lost", why="the server stopped while it ran")
    assert again.id == job.id and again.state == JobState.queued
    assert again.reason == "the server stopped while it ran; queued again (attempt 2)"
    assert again.progress == [] and again.started_at is None
    assert recovered_events(store, job) == [{"state": "queued", "reason": again.reason}]
    assert store.jobs.get(other.id).state == JobState.running

    for _ in range(MAX_ATTEMPTS - 1):
        assert store.jobs.claim("lost").id == job.id
    (failed,) = store.jobs.recover(owner="lost", why="the server stopped while it ran")
    assert failed.state == JobState.failed and failed.finished_at is not None
    assert failed.reason == f"the server stopped while it ran, {MAX_ATTEMPTS} times; not tried again"
    assert [e["state"] for e in recovered_events(store, job)] == ["queued", "failed"]
    assert store.jobs.recover(owner="lost") == []
    assert store.jobs.get(other.id).state == JobState.running


def test_recover_a_job_being_stopped_fails_it(store: Store, version: VersionInfo) -> None:
    """A lost job whose stop was asked for is not run again: it fails, saying it was being stopped."""
    job = submit(store, version)
    store.jobs.claim("lost")
    store.jobs.request_stop(job.id)
    (failed,) = store.jobs.recover(owner="lost", why="gone")
    assert failed.state == JobState.failed and failed.reason == "gone; it was being stopped"
    assert recovered_events(store, job) == [{"state": "failed", "reason": failed.reason}]


def test_recover_by_stale_heartbeat(store: Store, version: VersionInfo) -> None:
    """Only jobs whose heartbeat is older than `stale` are recovered; a server that beats keeps its jobs."""
    quiet, beating = submit(store, version), submit(store, version)
    store.jobs.claim("quiet")
    store.jobs.claim("beating")
    for j in (quiet, beating):
        set_row(store, j.id, heartbeat_at=now() - timedelta(minutes=10))
    store.jobs.heartbeat("beating")
    recovered = store.jobs.recover(stale=timedelta(minutes=1), why="its server stopped answering")
    assert [j.id for j in recovered] == [quiet.id]
    assert recovered[0].reason == "its server stopped answering; queued again (attempt 2)"
    assert store.jobs.get(beating.id).state == JobState.running
    assert store.jobs.recover(stale=timedelta(minutes=1)) == []


def test_list_filters_and_pages(store: Store, version: VersionInfo) -> None:
    """list filters by state, submitter, scenario and time, newest first, with the total before paging."""
    other = store.scenarios.create(county(3, 90, 2))
    a1, a2 = submit(store, version, by="ka"), submit(store, version, by="ka")
    b1 = submit(store, other, by="kb")
    store.jobs.claim("s")
    set_row(store, a1.id, submitted_at=now() - timedelta(days=2))
    total, jobs = store.jobs.list()
    assert total == 3 and [j.id for j in jobs] == [b1.id, a2.id, a1.id]
    assert [j.id for j in store.jobs.list(state=JobState.running)[1]] == [a1.id]
    assert [j.id for j in store.jobs.list(state=JobState.queued)[1]] == [b1.id, a2.id]
    assert [j.id for j in store.jobs.list(by="ka")[1]] == [a2.id, a1.id]
    assert [j.id for j in store.jobs.list(scenario_id=other.scenario_id)[1]] == [b1.id]
    assert [j.id for j in store.jobs.list(since=now() - timedelta(days=1))[1]] == [b1.id, a2.id]
    assert store.jobs.list(by="ka", state=JobState.completed) == (0, [])
    total, page = store.jobs.list(limit=1, offset=1)
    assert total == 3 and [j.id for j in page] == [a2.id]


def test_counts_for_limits_and_metrics(store: Store, version: VersionInfo) -> None:
    """active_of counts one key's queued and running jobs; by_state counts every state."""
    jobs = [submit(store, version, by="ka") for _ in range(4)]
    submit(store, version, by="kb")
    store.jobs.claim("s")
    store.jobs.claim("s")
    store.jobs.finish(jobs[1].id, JobState.failed, reason="x")
    store.jobs.request_stop(jobs[2].id)
    assert store.jobs.active_of("ka") == {JobState.queued: 1, JobState.running: 1}
    assert store.jobs.active_of("nobody") == {JobState.queued: 0, JobState.running: 0}
    assert store.jobs.by_state() == {JobState.queued: 2, JobState.running: 1, JobState.completed: 0,
                                      JobState.stopped: 1, JobState.failed: 1}


def test_solve_seconds_of_jobs_that_ran(store: Store, version: VersionInfo) -> None:
    """solve_seconds gives the run time of every job that started and ended, and of no other."""
    ran, never, running = submit(store, version), submit(store, version), submit(store, version)
    store.jobs.claim("s")
    store.jobs.finish(ran.id, JobState.completed, status=SolveStatus.OPTIMAL)
    t = now()
    set_row(store, ran.id, started_at=t - timedelta(seconds=2.5), finished_at=t)
    store.jobs.request_stop(never.id)
    store.jobs.claim("s")
    assert store.jobs.get(running.id).state == JobState.running
    assert store.jobs.solve_seconds() == [pytest.approx(2.5)]


def test_long_names_are_kept_whole(store: Store, version: VersionInfo) -> None:
    """A long host name in the owner (hostname:pid:tag, up to 64 + 17 characters) and a long custom
    ruleset id are stored whole, not refused by PostgreSQL's column widths."""
    owner = f"{'h' * 64}:4194304:0123abcd"
    ruleset = "r" * 400
    job = submit(store, version, ruleset=ruleset)
    assert store.jobs.claim(owner).id == job.id
    assert store.jobs.running_owners() == {owner}
    assert store.jobs.get(job.id).ruleset == ruleset
    assert [j.id for j in store.jobs.recover(owner=owner)] == [job.id]
