"""Long-poll waiters: `GET /v1/jobs/{id}?wait=S` parks on the event loop (a future per
waiter, no threadpool thread held) until the job ends (or, with `until=slate`, a slate is
judged) or S seconds pass. The supervisor's thread says so through `ended(job_id)` and
`judged(job_id)`, which hand the wake-up to the loop with `call_soon_threadsafe`: the
futures are only ever touched on the loop's own thread."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator


class Waits:
    """The futures of the requests waiting on each job id, on one event loop."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting: dict[str, set[asyncio.Future[None]]] = {}
        self._slates: dict[str, set[asyncio.Future[None]]] = {}
        """The waiters that also wake on a judged slate (each is in `_waiting` too)."""

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """The loop the requests run on (the app's, known once its lifespan starts)."""
        self._loop = loop

    def ended(self, job_id: str) -> None:
        """A job ended: wake its waiters. Safe from any thread; a no-op once the loop is gone."""
        self._call(self._wake, self._waiting, job_id)

    def judged(self, job_id: str) -> None:
        """A slate of a job was judged: wake the waiters that asked for it. Safe from any thread."""
        self._call(self._wake, self._slates, job_id)

    def _call(self, *args: object) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed between the check and the call
            loop.call_soon_threadsafe(*args)

    @staticmethod
    def _wake(table: dict[str, set[asyncio.Future[None]]], job_id: str) -> None:
        for f in table.get(job_id, set()):
            if not f.done():
                f.set_result(None)

    @contextlib.contextmanager
    def watch(self, job_id: str, slate: bool = False) -> Iterator[asyncio.Future[None]]:
        """A future done when `job_id` ends (or, with `slate`, has a slate judged). Enter it BEFORE
        reading the job's state, so that an end between the read and the wait is not missed; on the
        loop's thread only."""
        f: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        tables = (self._waiting, self._slates) if slate else (self._waiting,)
        for table in tables:
            table.setdefault(job_id, set()).add(f)
        try:
            yield f
        finally:
            for table in tables:
                waiting = table.get(job_id)
                if waiting is not None:
                    waiting.discard(f)
                    if not waiting:
                        del table[job_id]

    def __len__(self) -> int:
        """Requests waiting now (for tests and /metrics)."""
        return sum(len(v) for v in self._waiting.values())
