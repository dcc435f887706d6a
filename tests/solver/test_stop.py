"""Stopping criteria (solver/stop.py): a deadline, a cancel flag, both together, a step's share."""

from __future__ import annotations

import math
import threading

import pytest

from solver.stop import AnyOf, Cancel, MaxRuntime, MultipleCriteria, Share, Stop, budget, share
from tests.fakes import FakeClock


def test_every_criterion_meets_the_protocol() -> None:
    """MaxRuntime, Cancel, AnyOf, Share and the test clock all are a Stop."""
    clock = FakeClock(5)
    for stop in (MaxRuntime(1), Cancel(), AnyOf(Cancel(), MaxRuntime(1)), Share(clock, 1), clock):
        assert isinstance(stop, Stop)


def test_max_runtime_counts_from_when_it_is_made() -> None:
    """A fresh MaxRuntime(60) has at most 60 s left and is not stopped; MaxRuntime(0) is."""
    stop = MaxRuntime(60)
    assert 0 < stop.remaining() <= 60
    assert not stop.should_stop()
    assert MaxRuntime(0).should_stop() and MaxRuntime(0).remaining() == 0


@pytest.mark.parametrize("seconds", [-1.0, math.nan])
def test_max_runtime_refuses_a_negative_or_nan_time(seconds: float) -> None:
    """A run time below zero or NaN is a ValueError, not a deadline in the past."""
    with pytest.raises(ValueError, match="seconds"):
        MaxRuntime(seconds)


def test_cancel_calls_each_listener_once_from_another_thread() -> None:
    """cancel() from another thread stops the run and calls each live listener exactly once."""
    stop = Cancel()
    assert stop.remaining() == math.inf and not stop.should_stop()
    calls: list[str] = []
    stop.on_stop(lambda: calls.append("a"))
    remove = stop.on_stop(lambda: calls.append("removed"))
    remove()
    t = threading.Thread(target=stop.cancel)
    t.start()
    t.join()
    stop.cancel()  # a second cancel changes nothing
    assert calls == ["a"]
    assert stop.should_stop() and stop.remaining() == 0


def test_listener_added_after_cancel_is_called_at_once() -> None:
    """Subscribing to a flag already set calls the listener right away (a cancel is never missed)."""
    stop = Cancel()
    stop.cancel()
    calls: list[int] = []
    stop.on_stop(lambda: calls.append(1))
    assert calls == [1]


def test_any_of_stops_with_its_first_criterion() -> None:
    """AnyOf has the least time left of its criteria, stops when one does, and tells a listener once."""
    cancel, a, b = Cancel(), FakeClock(10), FakeClock(4)
    both = AnyOf(cancel, a, b)
    assert MultipleCriteria is AnyOf
    assert both.remaining() == 4 and not both.should_stop()
    calls: list[int] = []
    both.on_stop(lambda: calls.append(1))
    cancel.cancel()
    assert both.should_stop() and both.remaining() == 0 and calls == [1]
    with pytest.raises(ValueError):
        AnyOf()


def test_share_leaves_the_rest_for_later_steps() -> None:
    """share(run, 0.25) ends when the run has three quarters left; the run goes on after it."""
    clock = FakeClock(8)
    step = share(clock, 0.25)
    assert step.remaining() == 2
    clock.advance(1.5)
    assert step.remaining() == 0.5 and not step.should_stop()
    clock.advance(0.5)
    assert step.should_stop() and not clock.should_stop()
    assert clock.remaining() == 6


def test_share_stops_with_a_cancelled_run() -> None:
    """A step's share ends when its run is cancelled, and forwards the cancel to listeners."""
    cancel = Cancel()
    run = AnyOf(cancel, MaxRuntime(60))
    step = share(run, 0.5)
    calls: list[int] = []
    step.on_stop(lambda: calls.append(1))
    cancel.cancel()
    assert step.should_stop() and calls == [1]


def test_budget_always_has_a_deadline() -> None:
    """budget(): a time limit alone, a stop with a time limit, and a bare Cancel all get a deadline."""
    assert budget(None, 5).remaining() <= 5
    assert budget(None, None, default=7).remaining() <= 7
    assert budget(Cancel(), None, default=3).remaining() <= 3
    assert budget(Cancel(), 2).remaining() <= 2
    clock = FakeClock(9)
    assert budget(clock, None) is clock
