"""When to stop: small criteria behind one protocol, as PyVRP's `stop/`.

Every verb (solve, explain_infeasible, why_not, recommend, compare) takes one
`Stop` for its whole run and passes it down, so every CP-SAT call and the LP
relaxation get their time from what is left of one budget. A deadline
(`MaxRuntime`), a cancel flag (`Cancel`) and both together (`AnyOf`); `Share`
carves a step's part out of a run's budget and still ends with it.

`on_stop` lets a running CP-SAT search be halted at once when a flag is set,
with no thread polling the flag: the flag calls its listeners.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from time import perf_counter
from typing import Protocol, runtime_checkable

DEFAULT_TIME_LIMIT = 30.0
"""Seconds a run gets when it is given no deadline (CP-SAT always gets a time limit)."""


@runtime_checkable
class Stop(Protocol):
    """When a run must end."""

    def remaining(self) -> float:
        """Seconds left (math.inf without a deadline, 0 once stopped)."""
        ...

    def should_stop(self) -> bool:
        """True once the run must end: its deadline passed, or it was cancelled."""
        ...

    def on_stop(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` (from any thread, at most once) when the run is stopped
        before its deadline; returns a function that removes it. Deadlines need no
        listener: CP-SAT gets the time left as its own limit."""
        ...


def _nothing() -> None:
    return None


class MaxRuntime:
    """A deadline `seconds` from when it is made."""

    def __init__(self, seconds: float) -> None:
        if not seconds >= 0:  # also refuses NaN
            raise ValueError(f"a run time must be a number of seconds >= 0, not {seconds}")
        self.seconds = seconds
        self.deadline = perf_counter() + seconds

    def remaining(self) -> float:
        return max(0.0, self.deadline - perf_counter())

    def should_stop(self) -> bool:
        return self.remaining() <= 0

    def on_stop(self, listener: Callable[[], None]) -> Callable[[], None]:
        return _nothing


class Cancel:
    """A flag another thread (a job's stop button, an event callback) sets to end
    the run now; the run returns the best slate found, not proven best."""

    def __init__(self) -> None:
        self._set = False
        self._lock = threading.Lock()
        self._listeners: dict[int, Callable[[], None]] = {}
        self._next = 0

    def cancel(self) -> None:
        with self._lock:
            if self._set:
                return
            self._set = True
            listeners = list(self._listeners.values())
            self._listeners.clear()
        for listener in listeners:  # outside the lock: a listener may take others
            listener()

    def cancelled(self) -> bool:
        return self._set

    def remaining(self) -> float:
        return 0.0 if self._set else math.inf

    def should_stop(self) -> bool:
        return self._set

    def on_stop(self, listener: Callable[[], None]) -> Callable[[], None]:
        with self._lock:
            if not self._set:
                key = self._next
                self._next += 1
                self._listeners[key] = listener

                def remove() -> None:
                    with self._lock:
                        self._listeners.pop(key, None)

                return remove
        listener()  # already cancelled: stop at once
        return _nothing


class AnyOf:
    """Stops when any of its criteria does (PyVRP's MultipleCriteria)."""

    def __init__(self, *criteria: Stop) -> None:
        if not criteria:
            raise ValueError("AnyOf needs at least one criterion")
        self.criteria = criteria

    def remaining(self) -> float:
        return min(c.remaining() for c in self.criteria)

    def should_stop(self) -> bool:
        return any(c.should_stop() for c in self.criteria)

    def on_stop(self, listener: Callable[[], None]) -> Callable[[], None]:
        once = _Once(listener)
        removes = [c.on_stop(once) for c in self.criteria]

        def remove() -> None:
            for r in removes:
                r()

        return remove


MultipleCriteria = AnyOf


class _Once:
    """A listener called at most once, however many criteria fire."""

    def __init__(self, listener: Callable[[], None]) -> None:
        self.listener, self.done, self.lock = listener, False, threading.Lock()

    def __call__(self) -> None:
        with self.lock:
            if self.done:
                return
            self.done = True
        self.listener()


class Share:
    """A step's part of a run: ends when the run has `leave` seconds left (for
    the steps after it) or when the run stops. It reads the run's own clock, so
    a step never outlives the run and a fake clock in a test drives both."""

    def __init__(self, run: Stop, leave: float) -> None:
        self.run, self.leave = run, leave

    def remaining(self) -> float:
        return max(0.0, self.run.remaining() - self.leave)

    def should_stop(self) -> bool:
        return self.run.should_stop() or self.remaining() <= 0

    def on_stop(self, listener: Callable[[], None]) -> Callable[[], None]:
        return self.run.on_stop(listener)


def share(run: Stop, fraction: float) -> Stop:
    """`fraction` of what is left of the run now, for one step; the rest is left
    for the steps after it (what the step does not use goes to them too)."""
    left = run.remaining()
    if math.isinf(left):
        return run
    return Share(run, left * (1.0 - fraction))


def budget(stop: Stop | None, time_limit: float | None, default: float = DEFAULT_TIME_LIMIT) -> Stop:
    """The one criterion of a run: `stop`, with `time_limit` seconds as a deadline
    too when given; a run with no deadline at all gets `default` seconds."""
    if stop is None:
        return MaxRuntime(default if time_limit is None else time_limit)
    if time_limit is not None:
        return AnyOf(stop, MaxRuntime(time_limit))
    if math.isinf(stop.remaining()) and not stop.should_stop():
        return AnyOf(stop, MaxRuntime(default))
    return stop
