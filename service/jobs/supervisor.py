"""The server's side of the job pool: one thread that claims queued jobs, feeds idle
workers, writes their events and results, passes stop requests on, and watches for
workers that crash or run past their job's time limit (killed, the job failed with
the reason, a new worker started). Jobs it held when the server stopped are queued
again at shutdown; after a crash a restarted server finds them by their owner's pid
(same host) or a stale heartbeat (another host).
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing as mp
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from multiprocessing import resource_tracker
from multiprocessing.connection import Connection, wait
from typing import Any

from model.slate import SolveStatus
from service.jobs.callback import notify
from service.jobs.worker import READY, STOP, serve
from service.store import Store
from service.store.jobs import Event
from service.store.views import JobInfo, JobState, VersionInfo, VersionKind

log = logging.getLogger("huanjie.jobs")

TICK = 0.25
"""Seconds between the supervisor's rounds of housekeeping when nothing happens."""
DRAIN = 0.2
"""Seconds a round spends writing one worker's messages before it looks at the rest."""
HEARTBEAT = 2.0
STALE = timedelta(seconds=30)
"""A running job whose heartbeat is older than this lost its server (another host's)."""
GRACE = 10.0
"""Seconds past its time limit a job may run (the solver returns within 10% of it,
plus the model load) before its worker is killed as a runaway."""
DEFAULT_LIMIT = 60.0


def owner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_pid(owner: str | None) -> int | None:
    """The pid of a job's owner when it is a process of this host."""
    host, _, rest = (owner or "").partition(":")
    pid = rest.partition(":")[0]
    return int(pid) if host == socket.gethostname() and pid.isdigit() else None


def owner_gone(owner: str | None) -> bool:
    """A job's owner that was a process of this host which no longer runs."""
    pid = owner_pid(owner)
    if pid is None:
        return False
    if int(pid) == os.getpid():
        return False  # this very process, started again in-process (tests): not gone
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclass
class Slot:
    """One worker process and the job it runs. A worker is `ready` once it has said so (its imports
    done, it reads its pipe): only then is it given a job, so that sending a scenario bigger than the
    pipe's buffer never blocks this thread while the worker still boots."""

    process: Any
    jobs: Connection
    control: Connection
    ready: bool = False
    job: JobInfo | None = None
    deadline: float = 0.0
    stop_sent: bool = False
    best: dict[str, Any] = field(default_factory=dict)


class Supervisor:
    def __init__(self, store: Store, workers: int = 1, running_per_key: int | None = None,
                 on_end: Callable[[str], None] | None = None,
                 on_judged: Callable[[str], None] | None = None) -> None:
        """`on_end(job_id)` is called on this thread after a job's end is written, `on_judged(job_id)`
        after a judged slate's event is (the API's long-poll waiters); neither may block."""
        self.store, self.size, self.running_per_key = store, workers, running_per_key
        self.on_end, self.on_judged = on_end, on_judged
        self.owner = owner_id()
        self.slots: list[Slot] = []
        self._wake_r, self._wake_w = mp.Pipe(duplex=False)
        self._closing = threading.Event()
        self._thread: threading.Thread | None = None
        self._context = mp.get_context("spawn")
        self._last_beat = 0.0

    # ------------------------------------------------------------------ life

    def start(self) -> None:
        for job in self._recover_lost():
            log.warning("job %s recovered: %s", job.id, job.reason)
        self.slots = [self._spawn() for _ in range(self.size)]
        self._thread = threading.Thread(target=self._run, name="huanjie-supervisor", daemon=True)
        self._thread.start()

    def _recover_lost(self) -> list[JobInfo]:
        out: list[JobInfo] = []
        for owner in filter(owner_gone, self.store.jobs.running_owners()):
            why = f"its server (pid {owner_pid(owner)}) ended while it ran"
            out += self.store.jobs.recover(owner=owner, why=why)
        return out

    def close(self) -> None:
        """Stop the pool: jobs in flight are queued again (with the reason), workers end."""
        self._closing.set()
        self.wake()
        if self._thread is not None:
            self._thread.join(timeout=10)
        for job in self.store.jobs.recover(owner=self.owner, why="the server stopped while it ran"):
            log.warning("job %s: %s", job.id, job.reason)
        for slot in self.slots:
            self._end(slot, at_once=slot.job is not None)  # its job is queued again: no need to wait

    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._closing.is_set()

    def wake(self) -> None:
        """A job was submitted or a stop asked for: look now, not at the next tick."""
        with contextlib.suppress(OSError):
            self._wake_w.send(b"")

    def _spawn(self) -> Slot:
        jobs_parent, jobs_child = self._context.Pipe()
        control_parent, control_child = self._context.Pipe()
        process = self._context.Process(target=serve, args=(jobs_child, control_child), daemon=True,
                                        name="huanjie-worker")
        # Born with SIGINT and SIGTERM blocked (a mask survives fork and exec): Ctrl-C in a terminal, or
        # a service manager's SIGTERM, reaches the whole process group, and a worker that died of it
        # would fail its job; the server ends its workers itself once it has queued their jobs again.
        # The resource tracker first: starting it unblocks both signals in the calling thread.
        resource_tracker.ensure_running()
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        jobs_child.close()
        control_child.close()
        return Slot(process, jobs_parent, control_parent)

    def _end(self, slot: Slot, at_once: bool = False) -> None:
        if not at_once:
            with contextlib.suppress(OSError):
                slot.jobs.send(None)
            slot.process.join(timeout=2)
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join(timeout=2)

    # ------------------------------------------------------------------ the loop

    def _run(self) -> None:
        while not self._closing.is_set():
            try:
                self._round()
            except Exception:  # the loop must outlive a database hiccup
                log.exception("supervisor round failed")
                time.sleep(TICK)

    def _round(self) -> None:
        heard = {s.jobs: s for s in self.slots if s.job is not None or not s.ready}
        sentinels = {s.process.sentinel: s for s in self.slots}
        ready = wait([self._wake_r, *heard, *sentinels], timeout=TICK)
        for r in ready:
            if r is self._wake_r:
                while self._wake_r.poll():
                    self._wake_r.recv_bytes()
            elif r in heard and heard[r].ready:
                self._drain(heard[r])
            elif r in heard:
                self._booted(heard[r])
        for s in list(self.slots):
            if not s.process.is_alive():
                self._drain(s)
                self._lost(s, f"the worker process ended (exit code {s.process.exitcode})")
        if self._closing.is_set():
            return
        self._stops()
        self._runaways()
        self._beat()
        for s in self.slots:
            if s.job is None and s.ready and not self._closing.is_set() and not self._give(s):
                break

    def _booted(self, slot: Slot) -> None:
        """A booting worker's first message: it is ready for jobs."""
        with contextlib.suppress(EOFError, OSError):  # a worker that died booting: its sentinel tells
            if slot.jobs.poll() and slot.jobs.recv() == (READY,):
                slot.ready = True

    def _give(self, slot: Slot) -> bool:
        job = self.store.jobs.claim(self.owner, self.running_per_key)
        if job is None:
            return False
        try:
            info, sc = self.store.scenarios.resolve(job.scenario.scenario_id, job.scenario.version)
        except Exception as e:  # a stored version that no longer reads
            self._finish(job, JobState.failed, reason=f"its scenario could not be read: {e}")
            return True
        near = self._near(job, info)
        slot.job, slot.stop_sent, slot.best = job, False, {}
        slot.deadline = time.monotonic() + float(job.settings.get("time_limit", DEFAULT_LIMIT)) + GRACE
        slot.jobs.send((job.id, sc.model_dump_json(), job.settings, near))
        log.info("job %s started (scenario %s v%d)", job.id, job.scenario.scenario_id, job.scenario.version)
        return True

    def _near(self, job: JobInfo, info: VersionInfo) -> list[dict[str, Any]] | None:
        """A what-if's job leans toward the best slate of its base's newest completed job (the `near` of
        solver.search.solve): among slates of the best score, the solver can pick one far from the base,
        and a pin costing one point would show as dozens of moved seats. The event `near` names that job."""
        if info.kind != VersionKind.what_if or info.base is None:
            return None
        if job.rerun_of is not None:  # a rerun leans toward what its run leaned toward: the same slates
            leaned = [e.data["job"] for e in self.store.jobs.events(job.rerun_of) if e.kind == "near"]
            found = (leaned[0], self.store.jobs.result(leaned[0]) or "{}") if leaned else None
        else:
            found = self.store.jobs.newest_result(info.base.scenario_id, info.base.version)
        slates = json.loads(found[1]).get("slates") if found is not None else None
        if found is None or not slates:
            return None
        base = info.base.model_dump(mode="json")
        self.store.jobs.add_event(job.id, "near", {"job": found[0], "base": base})
        return slates[0]["assignments"]

    def _drain(self, slot: Slot) -> None:
        """What the worker has sent so far, for at most DRAIN seconds (a chatty solve must not starve
        the stop requests and the other workers), its events written in one transaction (with the
        job's end when that came too): a small solve's handful of events is one commit."""
        events: list[Event] = []
        until = time.monotonic() + DRAIN
        while slot.job is not None and time.monotonic() < until:
            try:
                if not slot.jobs.poll():
                    break
                message = slot.jobs.recv()
            except (EOFError, OSError):
                break
            if message[1] != slot.job.id:
                continue
            if message[0] == "event":
                events.append((message[2], message[3]))
            else:
                self._ended(slot, message, events)
                events = []
        if events and slot.job is not None:
            self.store.jobs.add_events(slot.job.id, events)
            if self.on_judged is not None and any(kind == "slate_judged" for kind, _ in events):
                self.on_judged(slot.job.id)

    def _ended(self, slot: Slot, message: tuple, events: list[Event]) -> None:
        job, slot.job = slot.job, None
        assert job is not None
        if message[0] == "done":
            status = SolveStatus(message[2])
            state = JobState.stopped if slot.stop_sent else JobState.completed
            self._finish(job, state, status=status, result=message[3], events=events,
                         reason="stopped on request; the best slates found" if slot.stop_sent else None)
        else:
            self._finish(job, JobState.failed, reason=f"the solve raised {message[2]}", events=events)

    def _finish(self, job: JobInfo, state: JobState, **kw: Any) -> None:
        if self.store.jobs.finish(job.id, state, **kw):
            log.info("job %s %s", job.id, state.value)
            if self.on_end is not None:
                self.on_end(job.id)
            ended = self.store.jobs.get(job.id)
            if ended.callback_url:
                threading.Thread(target=notify, args=(self.store, ended), daemon=True).start()

    def _lost(self, slot: Slot, why: str) -> None:
        """A worker that died or was killed: its job fails with `why`, a new worker takes its place."""
        if slot.job is not None:
            self._finish(slot.job, JobState.failed, reason=why)
        self.slots[self.slots.index(slot)] = self._spawn()
        for c in (slot.jobs, slot.control):
            c.close()

    def _stops(self) -> None:
        wanted = self.store.jobs.stops_wanted(self.owner)
        for s in self.slots:
            if s.job is not None and s.job.id in wanted and not s.stop_sent:
                s.control.send((STOP, s.job.id))
                s.stop_sent = True

    def _runaways(self) -> None:
        t = time.monotonic()
        for s in list(self.slots):
            if s.job is not None and t > s.deadline:
                limit = s.job.settings.get("time_limit", DEFAULT_LIMIT)
                s.process.kill()
                s.process.join(timeout=5)
                self._lost(s, f"it ran {GRACE:.0f} s past its time limit of {limit} s; its worker was killed")

    def _beat(self) -> None:
        if time.monotonic() - self._last_beat >= HEARTBEAT:
            self.store.jobs.heartbeat(self.owner)
            for job in self.store.jobs.recover(stale=STALE, why="its server stopped answering"):
                log.warning("job %s recovered: %s", job.id, job.reason)
                if job.state.ended and self.on_end is not None:
                    self.on_end(job.id)
            self._last_beat = time.monotonic()
