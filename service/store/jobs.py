"""The job queue and every run's record. Jobs wait in the database (state queued);
a server's supervisor claims them one at a time, atomically, so two servers on one
PostgreSQL never run the same job; a running job's heartbeat tells a restarted
server which jobs lost their worker."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from model.slate import Assignment, SolveStatus
from service.store.clock import aware, new_id, now
from service.store.scenarios import NotFound
from service.store.tables import EventRow, JobRow
from service.store.views import JobEvent, JobInfo, JobState, SlateProgress, VersionInfo, VersionRef

MAX_ATTEMPTS = 2
"""A job whose worker was lost is queued again once; the second loss fails it."""
Event = tuple[str, dict[str, Any]]
"""A progress event as the worker sends it: its kind and its data."""


def gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / max(1.0, abs(objective))


def job_info(row: JobRow) -> JobInfo:
    best = row.best or {}
    progress = [SlateProgress(slate=int(k), objective=v.get("objective"), bound=v.get("bound"),
                              gap=gap(v.get("objective"), v.get("bound")), judged=v.get("judged", False))
                for k, v in sorted(best.items(), key=lambda kv: int(kv[0]))]
    return JobInfo(
        id=row.id, state=JobState(row.state), status=row.status and SolveStatus(row.status),
        scenario=VersionRef(scenario_id=row.scenario_id, version=row.scenario_version),
        content_hash=row.content_hash, ruleset=row.ruleset, overrides=row.overrides, settings=row.settings,
        software_version=row.software_version, submitted_by=row.submitted_by,
        submitted_at=aware(row.submitted_at), started_at=aware(row.started_at),
        finished_at=aware(row.finished_at), attempts=row.attempts, stop_requested=row.stop_requested,
        callback_url=row.callback_url, callback_outcome=row.callback_outcome, progress=progress,
        reason=row.reason, rerun_of=row.rerun_of, has_result=row.result is not None)


def progressed(best: dict[str, Any], kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The best-so-far per slate after an event: a better slate moves its objective and bound;
    a judged slate adds its seats (and its bound, once proven optimal)."""
    out = dict(best)
    if kind == "better_slate":
        out[str(data["slate"])] = {**out.get(str(data["slate"]), {}), "objective": data["objective"],
                                   "bound": data["bound"]}
    else:  # the seats stay in the event (written once); `get` reads them from there
        entry = {**out.get(str(data["index"]), {}), "objective": data["objective"], "judged": True}
        if data["status"] == SolveStatus.OPTIMAL.value:
            entry["bound"] = data["objective"]
        out[str(data["index"])] = entry
    return out


class Jobs:
    def __init__(self, session: sessionmaker[Session]) -> None:
        self.session = session

    # ------------------------------------------------------------------ submit and read

    def submit(self, version: VersionInfo, *, ruleset: str, overrides: dict[str, Any],
               settings: dict[str, Any], software_version: str, by: str | None,
               callback_url: str | None = None, rerun_of: str | None = None) -> JobInfo:
        row = JobRow(id=new_id("j"), state=JobState.queued.value, scenario_id=version.scenario_id,
                     scenario_version=version.version, content_hash=version.content_hash, ruleset=ruleset,
                     overrides=overrides, settings=settings, software_version=software_version,
                     submitted_by=by, submitted_at=now(), attempts=0, stop_requested=False,
                     callback_url=callback_url, rerun_of=rerun_of)
        with self.session.begin() as s:
            s.add(row)
        return job_info(row)

    def _row(self, s: Session, job_id: str) -> JobRow:
        row = s.get(JobRow, job_id)
        if row is None:
            raise NotFound("job", job_id)
        return row

    def get(self, job_id: str) -> JobInfo:
        """A job's record, with the seats of each slate judged so far (a list leaves them out)."""
        with self.session() as s:
            info = job_info(self._row(s, job_id))
            if not any(p.judged for p in info.progress):
                return info
            judged = {e.data["index"]: e.data.get("assignments") for e in s.scalars(
                select(EventRow).where(EventRow.job_id == job_id, EventRow.kind == "slate_judged"))}
        seats = {k: [Assignment.model_validate(a) for a in v] for k, v in judged.items() if v is not None}
        progress = [p.model_copy(update={"assignments": seats[p.slate]}) if p.slate in seats else p
                    for p in info.progress]
        return info.model_copy(update={"progress": progress})

    def result(self, job_id: str) -> str | None:
        """The result's JSON as the solver wrote it (None before the job ends with one)."""
        with self.session() as s:
            return self._row(s, job_id).result

    def events(self, job_id: str, after: int = 0, limit: int = 1000) -> list[JobEvent]:
        with self.session() as s:
            self._row(s, job_id)
            rows = s.scalars(select(EventRow).where(EventRow.job_id == job_id, EventRow.seq > after)
                             .order_by(EventRow.seq).limit(limit))
            return [JobEvent(seq=r.seq, at=aware(r.at), kind=r.kind, data=r.data) for r in rows]

    def newest_result(self, scenario_id: str, version: int) -> tuple[str, str] | None:
        """The id and result JSON of a version's newest completed job: a what-if's job leans toward it."""
        with self.session() as s:
            row = s.execute(select(JobRow.id, JobRow.result).where(
                JobRow.scenario_id == scenario_id, JobRow.scenario_version == version,
                JobRow.state == JobState.completed.value, JobRow.result.is_not(None))
                .order_by(JobRow.finished_at.desc(), JobRow.id.desc()).limit(1)).first()
        return None if row is None else (row[0], row[1])

    def list(self, *, state: JobState | None = None, by: str | None = None, scenario_id: str | None = None,
             since: datetime | None = None, limit: int = 100, offset: int = 0) -> tuple[int, list[JobInfo]]:
        q = select(JobRow)
        if state is not None:
            q = q.where(JobRow.state == state.value)
        if by is not None:
            q = q.where(JobRow.submitted_by == by)
        if scenario_id is not None:
            q = q.where(JobRow.scenario_id == scenario_id)
        if since is not None:
            q = q.where(JobRow.submitted_at >= aware(since))
        with self.session() as s:
            total = s.scalar(select(func.count()).select_from(q.subquery())) or 0
            rows = s.scalars(q.order_by(JobRow.submitted_at.desc(), JobRow.id).limit(limit).offset(offset))
            return total, [job_info(r) for r in rows]

    def active_of(self, key_id: str) -> dict[JobState, int]:
        """How many jobs a key has queued and running (its limits)."""
        with self.session() as s:
            rows = s.execute(select(JobRow.state, func.count()).where(
                JobRow.submitted_by == key_id,
                JobRow.state.in_([JobState.queued.value, JobState.running.value])).group_by(JobRow.state))
            counts = {JobState(state): n for state, n in rows}
        return {st: counts.get(st, 0) for st in (JobState.queued, JobState.running)}

    def by_state(self) -> dict[JobState, int]:
        with self.session() as s:
            counts = dict(s.execute(select(JobRow.state, func.count()).group_by(JobRow.state)).all())
        return {st: counts.get(st.value, 0) for st in JobState}

    def solve_seconds(self) -> list[float]:
        """Run times of the jobs that ended after running (for /metrics)."""
        with self.session() as s:
            rows = s.execute(select(JobRow.started_at, JobRow.finished_at).where(
                JobRow.started_at.is_not(None), JobRow.finished_at.is_not(None)))
            return [(aware(b) - aware(a)).total_seconds() for a, b in rows]

    # ------------------------------------------------------------------ the supervisor's side

    def claim(self, owner: str, running_per_key: int | None = None) -> JobInfo | None:
        """The oldest queued job of a key below `running_per_key` running jobs, now running
        under `owner`; None when none waits. Atomic: the update only takes a row still queued."""
        q = select(JobRow.id).where(JobRow.state == JobState.queued.value)
        if running_per_key is not None:
            full = (select(JobRow.submitted_by).where(JobRow.state == JobState.running.value,
                                                      JobRow.submitted_by.is_not(None))
                    .group_by(JobRow.submitted_by).having(func.count() >= running_per_key))
            q = q.where(JobRow.submitted_by.is_(None) | JobRow.submitted_by.not_in(full))
        q = q.order_by(JobRow.submitted_at, JobRow.id).limit(1)
        while True:
            with self.session.begin() as s:
                job_id = s.scalar(q)
                if job_id is None:
                    return None
                t = now()
                took = s.execute(update(JobRow).where(JobRow.id == job_id,
                                                      JobRow.state == JobState.queued.value)
                                 .values(state=JobState.running.value, owner=owner, started_at=t,
                                         heartbeat_at=t, attempts=JobRow.attempts + 1)).rowcount
                if took:
                    row = self._row(s, job_id)
                    self._events(s, job_id, [("started", {"attempt": row.attempts})])
                    return job_info(row)

    def add_event(self, job_id: str, kind: str, data: dict[str, Any]) -> None:
        """A progress event; a better slate also updates the job's best so far."""
        self.add_events(job_id, [(kind, data)])

    def add_events(self, job_id: str, events: list[Event]) -> None:
        """Progress events in their order, in one transaction (one commit, not one each)."""
        with self.session.begin() as s:
            self._events(s, job_id, events)

    def _events(self, s: Session, job_id: str, events: list[Event]) -> None:
        if not events:
            return
        first = (s.scalar(select(func.max(EventRow.seq)).where(EventRow.job_id == job_id)) or 0) + 1
        at = now()
        for seq, (kind, data) in enumerate(events, start=first):
            s.add(EventRow(job_id=job_id, seq=seq, at=at, kind=kind, data=data))
        moving = [(kind, data) for kind, data in events if kind in ("better_slate", "slate_judged")]
        if moving:
            row = self._row(s, job_id)
            best = row.best or {}
            for kind, data in moving:
                best = progressed(best, kind, data)
            row.best = best

    def _event(self, s: Session, job_id: str, kind: str, data: dict[str, Any]) -> None:
        self._events(s, job_id, [(kind, data)])

    def finish(self, job_id: str, state: JobState, *, status: SolveStatus | None = None,
               result: str | None = None, reason: str | None = None, best: dict | None = None,
               events: list[Event] | None = None) -> bool:
        """End a job (False if it had already ended: a late message of a lost worker), with the
        events that came just before its end written in the same transaction."""
        with self.session.begin() as s:
            self._events(s, job_id, events or [])
            row = self._row(s, job_id)
            if JobState(row.state).ended:
                return False
            row.state, row.finished_at = state.value, now()
            row.status = status and status.value
            row.result, row.reason = result, reason
            if best is not None:
                row.best = best
            return True

    def request_stop(self, job_id: str) -> JobInfo:
        """Stop a job: a queued one ends now (stopped, nothing run); a running one is told to."""
        with self.session.begin() as s:
            row = self._row(s, job_id)
            if row.state == JobState.queued.value:
                row.state, row.finished_at = JobState.stopped.value, now()
                row.reason = "stopped before it started"
            elif row.state == JobState.running.value:
                row.stop_requested = True
            return job_info(row)

    def stops_wanted(self, owner: str) -> set[str]:
        with self.session() as s:
            return set(s.scalars(select(JobRow.id).where(JobRow.owner == owner, JobRow.stop_requested,
                                                         JobRow.state == JobState.running.value)))

    def running_owners(self) -> set[str]:
        with self.session() as s:
            return set(s.scalars(select(JobRow.owner).where(JobRow.state == JobState.running.value,
                                                            JobRow.owner.is_not(None))))

    def heartbeat(self, owner: str) -> None:
        with self.session.begin() as s:
            s.execute(update(JobRow).where(JobRow.owner == owner, JobRow.state == JobState.running.value)
                      .values(heartbeat_at=now()))

    def callback_done(self, job_id: str, outcome: str) -> None:
        with self.session.begin() as s:
            self._row(s, job_id).callback_outcome = outcome[:300]

    def recover(self, *, owner: str | None = None, stale: timedelta | None = None,
                why: str = "the server stopped while it ran") -> list[JobInfo]:
        """Running jobs whose worker is gone (owned by `owner`, or with a heartbeat older than
        `stale`): queued again, or failed after MAX_ATTEMPTS, each with the reason."""
        q = select(JobRow).where(JobRow.state == JobState.running.value)
        if owner is not None:
            q = q.where(JobRow.owner == owner)
        if stale is not None:
            q = q.where(JobRow.heartbeat_at < now() - stale)
        out: list[JobInfo] = []
        with self.session.begin() as s:
            for row in s.scalars(q.with_for_update()):
                if row.stop_requested or row.attempts >= MAX_ATTEMPTS:
                    row.state, row.finished_at = JobState.failed.value, now()
                    row.reason = (f"{why}; it was being stopped" if row.stop_requested
                                  else f"{why}, {row.attempts} times; not tried again")
                else:
                    row.state, row.owner, row.started_at = JobState.queued.value, None, None
                    row.best, row.reason = None, f"{why}; queued again (attempt {row.attempts + 1})"
                self._event(s, row.id, "recovered", {"state": row.state, "reason": row.reason})
                out.append(job_info(row))
        return out
